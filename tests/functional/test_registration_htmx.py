"""What htmx gets from the registration pages: partials, the URL to show, inline checks."""

from __future__ import annotations

from bs4 import BeautifulSoup

from portal.models import RegistrationDraft
from portal.register.views import DRAFT
from tests.support.registration_steps import VICTIM_ANSWERS, begin, csrf, post

HX = {"HX-Request": "true"}


def walk_to(pages, slug: str) -> str:
    begin(pages)
    for step, data in VICTIM_ANSWERS.items():
        if step == slug:
            return csrf(pages.get(f"/register/{slug}"))
        post(pages, f"/register/{step}", data)
    raise AssertionError(slug)


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_question_alone_for_htmx_with_its_title_toggle_and_back_link(pages, app_db):
    walk_to(pages, "date-of-birth")
    response = pages.client.get("/register/date-of-birth", headers=HX)
    page = parse(response)
    assert page.find("html") is None
    assert page.find("title").get_text().startswith("What is your date of birth?")
    assert page.find(id="language-toggle")["hx-swap-oob"] == "true"
    back = page.find(id="back-link-region")
    assert back["hx-swap-oob"] == "true"
    assert back.find("a")["href"] == "/register/victim-name"
    assert len(page.find_all("h1")) == 1
    assert response.headers["HX-Push-Url"] == "/register/date-of-birth"
    assert "HX-Request" in response.headers["Vary"]


def test_a_good_answer_with_htmx_brings_the_next_question_and_its_url(pages, app_db):
    token = walk_to(pages, "victim-name")
    response = pages.client.post(
        "/register/victim-name",
        data={"victim_name": "Siân", "csrf_token": token},
        headers=HX,
        follow_redirects=True,
    )
    assert response.request.path == "/register/date-of-birth"
    assert response.headers["HX-Push-Url"] == "/register/date-of-birth"
    assert parse(response).find("html") is None


def test_a_bad_answer_with_htmx_keeps_the_url_and_says_error(pages, app_db):
    token = walk_to(pages, "victim-name")
    response = pages.client.post(
        "/register/victim-name", data={"victim_name": "", "csrf_token": token}, headers=HX
    )
    page = parse(response)
    assert response.status_code == 200
    assert "HX-Push-Url" not in response.headers
    assert page.find("title").get_text().startswith("Error:")
    assert page.select_one(".govuk-error-summary")


def check(pages, slug: str, field: str, data: dict, token: str) -> BeautifulSoup:
    response = pages.client.post(
        f"/register/{slug}/check?field={field}", data={**data, "csrf_token": token}, headers=HX
    )
    assert response.status_code == 200
    return parse(response)


def test_inline_check_shows_only_the_field_that_lost_focus(pages, app_db):
    token = walk_to(pages, "contact")
    data = {"ways": ["email", "sms"], "email": "not-an-email", "mobile": "12"}
    page = check(pages, "contact", "email", data, token)
    group = page.find(id="email-group")
    assert "Enter an email address in the correct format" in group.get_text()
    assert page.find(id="mobile-group").select(".govuk-error-message") == []
    assert page.find(id="inline-status").get_text(strip=True).startswith("Enter an email address")
    page = check(pages, "contact", "email", {**data, "email": "good@example.com"}, token)
    assert page.find(id="email-group").select(".govuk-error-message") == []


def test_inline_check_says_nothing_about_an_empty_field(pages, app_db):
    token = walk_to(pages, "victim-name")
    page = check(pages, "victim-name", "victim_name", {"victim_name": ""}, token)
    assert page.select(".govuk-error-message") == []
    page = check(pages, "victim-name", "victim_name", {"victim_name": "1234"}, token)
    assert "Name must include letters" in page.find(id="victim_name-group").get_text()


def test_inline_check_of_a_date_checks_the_whole_date(pages, app_db):
    token = walk_to(pages, "date-of-birth")
    page = check(pages, "date-of-birth", "day", {"day": "31", "month": "2", "year": "2000"}, token)
    assert "Date of birth must be a real date" in page.find(id="day-group").get_text()


def test_inline_check_saves_nothing(pages, app_db):
    token = walk_to(pages, "victim-name")
    check(pages, "victim-name", "victim_name", {"victim_name": "Someone"}, token)
    with pages.client.session_transaction() as cookie:
        draft = app_db.get(RegistrationDraft, cookie[DRAFT])
    assert "victim_name" not in draft.answers


def test_inline_check_out_of_order_or_without_a_draft_is_refused(app, pages, app_db):
    token = walk_to(pages, "victim-name")
    response = pages.client.post(
        "/register/court/check?field=court", data={"csrf_token": token}, headers=HX
    )
    assert response.status_code == 409
    other = app.test_client()
    response = other.post("/register/victim-name/check?field=victim_name", data={})
    assert response.status_code == 400  # no form token: the expired-form page


def test_the_fields_carry_their_inline_check(pages, app_db):
    walk_to(pages, "contact")
    page = pages.get("/register/contact")
    group = page.find(id="email-group")
    assert group.find(id="email") is not None
    assert group.has_attr("data-check-when-left")
    assert group["hx-post"] == "/register/contact/check?field=email"
    assert group["hx-trigger"] == "portal:left"
    assert group["hx-target"] == "this" and group["hx-select"] == "#email-group"


# --- the court search ----------------------------------------------------------------------


def test_court_search_without_javascript_lists_courts_to_choose(pages, app_db):
    walk_to(pages, "court")
    page = pages.get("/register/court?q=cardiff")
    values = [radio["value"] for radio in page.select("input[name=court]")]
    assert values == ["cardiff", "not-listed"]
    assert page.find(id="court-count").get_text(strip=True) == "1 court matches"


def test_court_search_in_welsh_finds_the_welsh_name(pages, app_db):
    walk_to(pages, "court")
    page = pages.get("/register/court?q=caerdydd&lang=cy")
    assert "Llys y Goron Caerdydd" in page.select_one("#court-choices").get_text()


def test_an_empty_court_search_is_an_error(pages, app_db):
    walk_to(pages, "court")
    page = pages.get("/register/court?q=")
    assert page.title.get_text().startswith("Error:")
    assert (
        "Enter the name of a town, city or Crown Court"
        in page.select_one(".govuk-error-summary").get_text()
    )


def test_live_court_search_does_not_fill_history(pages, app_db):
    walk_to(pages, "court")
    response = pages.client.get("/register/court?q=leeds", headers=HX)
    assert "HX-Push-Url" not in response.headers
    assert "Leeds Crown Court" in parse(response).find(id="court-choices").get_text()


def test_the_chosen_court_stays_offered_after_another_search(pages, app_db):
    walk_to(pages, "court")
    post(pages, "/register/court", {"court": "cardiff"})
    page = pages.get("/register/court?q=leeds&change=1")
    values = [radio["value"] for radio in page.select("input[name=court]")]
    assert values[0] == "cardiff" and "leeds" in values
    assert page.find("input", attrs={"value": "cardiff"}).has_attr("checked")


def test_a_little_too_much_is_shown_back_whole_to_shorten(pages, app_db):
    """A one-line field a little over its limit is shown again as typed, with its error,
    both after Continue and in the inline check (which swaps the field in while they are
    still on the page): cut to the limit, it would look right beside its error, and
    Continue again would save a sentence and a reference they never wrote. Only what no
    one types (more than portal.forms.SHOWN_WHOLE_UP_TO characters) is cut."""
    token = walk_to(pages, "sentence")
    sentence = ("Life imprisonment with a minimum term of 18 years, " * 5).strip()  # 254
    reference = "CF/2024/000123/" * 4  # 60 characters
    data = {"sentence": sentence, "external_reference": reference}
    page = check(pages, "sentence", "sentence", data, token)
    assert "200 characters or fewer" in page.find(id="sentence-group").get_text()
    assert page.find("input", id="sentence")["value"] == sentence
    page = parse(pages.client.post("/register/sentence", data={**data, "csrf_token": token}))
    assert page.find("input", id="sentence")["value"] == sentence
    assert page.find("input", id="external_reference")["value"] == reference
    with pages.client.session_transaction() as cookie:
        draft = app_db.get(RegistrationDraft, cookie[DRAFT])
    assert "sentence" not in draft.answers
