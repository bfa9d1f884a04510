"""The layout's parts rendered once and reused (portal/rendering.py, `cached`) never show
one person what belongs to another: their own CSRF token in the sign-out form, their own
count of unread replies, the page they are on marked, their language; and a case page's
blank forms are each case's own, with a new one-time key each time."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from portal.extensions import db
from portal.models import CaseStatus, Language
from tests.support.case_pages import full_case
from tests.support.conversations import english_conversation, welsh_conversation
from tests.support.factories import CaseFactory, VictimFactory
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database


def page(client, address: str) -> BeautifulSoup:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def navigation(soup: BeautifulSoup):
    return soup.select_one(".govuk-service-navigation")


def sign_out_token(soup: BeautifulSoup) -> str:
    field = navigation(soup).select_one("form.app-sign-out-form input[name=csrf_token]")
    return field["value"]


def test_each_victim_gets_their_own_token_and_count(app, db_session):
    welsh, english = app.test_client(), app.test_client()
    signed_in(welsh, welsh_conversation(app).email)
    signed_in(english, english_conversation(app).email)
    for _ in range(2):  # the second time, from the cache
        mine = page(welsh, "/account?lang=en")
        theirs = page(english, "/account?lang=en")
        meta = mine.select_one("meta[name=csrf-token]")["content"]
        assert sign_out_token(mine) == meta
        assert sign_out_token(theirs) == theirs.select_one("meta[name=csrf-token]")["content"]
        assert sign_out_token(mine) != sign_out_token(theirs)
        assert "\x00" not in str(mine) and "\x00" not in str(theirs)
        assert "1 new reply" in navigation(mine).get_text()
        assert "new repl" not in navigation(theirs).get_text()


def test_the_current_page_and_the_language_are_marked(app, db_session):
    victim = app.test_client()
    made = english_conversation(app)
    signed_in(victim, made.email)
    for _ in range(2):
        home = navigation(page(victim, "/account?lang=en"))
        messages = navigation(page(victim, f"/account/cases/{made.reference}/messages"))
        current = home.select_one("[aria-current]").get_text(strip=True)
        assert current == "Your case"
        assert messages.select_one("[aria-current]").get_text(strip=True).startswith("Messages")
        welsh = page(victim, "/account?lang=cy")
        assert navigation(welsh).select_one("[aria-current]").get_text(strip=True) == "Eich achos"
        assert "Neidio i’r prif gynnwys" in welsh.select_one(".govuk-skip-link").get_text()
        public = page(app.test_client(), "/?lang=en")
        assert navigation(public).select_one("form") is None  # no sign-out for nobody


def test_each_officer_gets_their_own_token(app, db_session):
    first, second = app.test_client(), app.test_client()
    signed_in_officer(first)
    signed_in_officer(second)
    tokens = []
    for client in (first, second, first):
        soup = page(client, "/staff")
        token = sign_out_token(soup)
        assert token == soup.select_one("meta[name=csrf-token]")["content"]
        tokens.append(token)
    assert tokens[0] != tokens[1]
    response = second.post("/staff/sign-out", data={"csrf_token": tokens[1]})
    assert response.status_code == 303


def _form(soup: BeautifulSoup, details_id: str):
    form = soup.select_one(f"details#{details_id} form")
    fields = {field["name"]: field.get("value") for field in form.select("input[type=hidden]")}
    return form, fields


def test_the_case_pages_blank_forms_are_each_cases_own_with_new_keys(app, client, db_session):
    """The two blank forms of a case page (stage, contact) are rendered once and reused:
    each use has the case's own address, the session's CSRF token, a new one-time key,
    and the victim's language; a second case of another language gets its own."""
    welsh = full_case(app, case_id=900031)
    with app.app_context():
        english = CaseFactory(
            region_id=welsh.region_id,
            status=CaseStatus.ACTIVE,
            victim=VictimFactory(language=Language.ENGLISH),
        )
        db.session.commit()
        english_id = english.id
    signed_in_officer(client, region_id=welsh.region_id)
    keys = set()
    for case_id, language in ((welsh.case_id, "cy"), (english_id, "en"), (welsh.case_id, "cy")):
        soup = page(client, f"/staff/cases/{case_id}")
        token = soup.select_one("meta[name=csrf-token]")["content"]
        for details_id, path, prefix in (
            ("add-stage", "timeline/stage", "stage"),
            ("record-contact", "timeline/contact", "contact"),
        ):
            form, fields = _form(soup, details_id)
            assert form["action"] == form["hx-post"] == f"/staff/cases/{case_id}/{path}"
            assert fields["csrf_token"] == token
            key = fields[f"{prefix}-submission_key"]
            assert str(uuid.UUID(key)) == key and key not in keys
            keys.add(key)
            summary = form.select_one(f"textarea[name={prefix}-summary]")
            assert summary["lang"] == language
    assert len(keys) == 6


HINT = "If you write it in English first"


@pytest.mark.parametrize("speaks_welsh_first", [True, False])
def test_a_welsh_victims_forms_say_to_write_in_english_first_only_to_who_needs_it(
    app, db_session, speaks_welsh_first
):
    """The hint for an officer who does not write Welsh is in the key of the cached forms:
    whichever officer opens the case first, each sees the forms meant for them."""
    case = full_case(app, case_id=900032)  # the victim reads Welsh
    seen = {}
    for speaks_welsh in (speaks_welsh_first, not speaks_welsh_first):
        client = app.test_client()
        signed_in_officer(client, region_id=case.region_id, speaks_welsh=speaks_welsh)
        for _ in range(2):
            soup = page(client, f"/staff/cases/{case.case_id}?lang=en")
            stage, contact = (soup.select_one(f"details#{d} form") for d in FORMS)
            seen[speaks_welsh] = (HINT in stage.get_text(), HINT in contact.get_text())
    assert seen == {True: (False, False), False: (True, True)}


FORMS = ("add-stage", "record-contact")


def test_the_contact_form_is_dated_the_day_it_is_opened(app, client, db_session, monkeypatch):
    import portal.staff.case_views as views

    case = full_case(app, case_id=900033)
    signed_in_officer(client, region_id=case.region_id)
    for day in (date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 28)):
        monkeypatch.setattr(views, "today", lambda day=day: day)
        form = page(client, f"/staff/cases/{case.case_id}").select_one("details#record-contact")
        parts = [form.find("input", attrs={"name": f"contact-{p}"})["value"] for p in PARTS]
        assert parts == [str(day.day), str(day.month), str(day.year)]


PARTS = ("day", "month", "year")


def test_a_slot_is_filled_in_escaped_once_and_never_left_in_a_page(app):
    render = app.jinja_env.from_string
    with app.test_request_context("/"):
        link = (
            '{% call cached("test-slot", fill={"u": u}) %}<a href="{{ slot("u") }}">{% endcall %}'
        )
        assert render(link).render(u='/a?b=1&c="2"') == '<a href="/a?b=1&amp;c=&#34;2&#34;">'
        assert (
            render(link.replace("test-slot", "test-slot-2")).render(u=Markup("/a?b=1&amp;c=2"))
            == '<a href="/a?b=1&amp;c=2">'
        )
        with pytest.raises(ValueError, match="a slot's name"):
            render('{% call cached("test-bad") %}{{ slot("a&b") }}{% endcall %}').render()
        with pytest.raises(ValueError, match="not filled in"):
            render('{% call cached("test-unfilled") %}{{ slot("u") }}{% endcall %}').render()


def test_a_fragment_with_many_keys_never_empties_another_ones_cache(app, monkeypatch):
    """Each fragment's name has its own cache: an officer trying filter after filter (each
    set of choices its own key) starts only that one again, not the layout's."""
    from portal import rendering

    monkeypatch.setattr(rendering, "MOST_FRAGMENTS", 3)
    render = app.jinja_env.from_string
    made = []
    with app.test_request_context("/"):
        kept = '{% call cached("test-kept") %}{{ made("kept") }}{% endcall %}'
        churn = '{% call cached("test-churn", n) %}{{ made(n) }}{% endcall %}'

        def made_one(what):
            made.append(what)
            return what

        render(kept).render(made=made_one)
        for n in range(10):
            render(churn).render(made=made_one, n=n)
        render(kept).render(made=made_one)
    assert made.count("kept") == 1
    assert made[1:] == list(range(10))


def test_the_start_and_information_pages_are_rendered_once_for_each_language_and_prefix(app):
    """The start page's and the information pages' content is the same for everyone in a
    language: rendered once for each page, language and address prefix, and each request
    gets its own language's words and links that carry its prefix, whatever was asked
    before."""
    fragments = app.jinja_env.globals["_fragments"]
    fragments.pop("start-page", None)
    fragments.pop("information-page", None)
    client = app.test_client()
    addresses = ("/", "/information/what-you-will-be-told", "/information/cookies")
    related = {}  # the pages about the scheme listed beside the content, by language
    for _ in range(2):  # the second time, from the cache
        for prefix in ("", "/vcs"):
            for code, words in (("en", "Start now"), ("cy", "Dechrau nawr")):
                for address in addresses:
                    response = client.get(
                        f"{address}?lang={code}", environ_overrides={"SCRIPT_NAME": prefix}
                    )
                    assert response.status_code == 200, (address, prefix, code)
                    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
                    content = soup.select_one("#main-content .govuk-grid-row")
                    assert soup.html["lang"] == code
                    if address == "/":
                        assert content.select_one(".govuk-button").get_text(strip=True) == words
                    else:
                        language = content.select_one("[data-content-language]")
                        assert language["data-content-language"] == code
                    titles = [a.get_text(strip=True) for a in content.select("aside a")]
                    if address != "/information/cookies":
                        assert related.setdefault((code, address), titles) == titles
                    links = [a["href"] for a in content.select("a[href^='/']")]
                    assert links and all(link.startswith(f"{prefix}/") for link in links)
                    if prefix:
                        assert not any(link.startswith("/vcs/vcs") for link in links)
                    else:
                        assert not any(link.startswith("/vcs") for link in links)
    welsh = {address: titles for (code, address), titles in related.items() if code == "cy"}
    english = {address: titles for (code, address), titles in related.items() if code == "en"}
    assert welsh["/"][0] == "Beth yw’r Cynllun Cyswllt â Dioddefwyr"
    assert english["/"][0] == "What the Victim Contact Scheme is"
    assert len(english["/"]) == 7 and len(english["/information/what-you-will-be-told"]) == 6
    # One for each language and prefix, of each page.
    assert len(fragments["start-page"]) == 4
    assert len(fragments["information-page"]) == 8


def test_the_sign_in_form_is_rendered_once_and_each_visitor_gets_their_own_token(app):
    """The sign-in page's form, as it first shows, is the same for everyone in a language:
    rendered once, each visitor's own CSRF token filled in, which signing in accepts. What
    was typed, with its error, is never kept for the next visitor."""
    app.jinja_env.globals["_fragments"].pop("sign-in-form", None)
    tokens = set()
    for code, button in (("en", "Send a code"), ("cy", "Anfon cod"), ("en", "Send a code")):
        visitor = app.test_client()
        soup = page(visitor, f"/sign-in?lang={code}")
        form = soup.select_one("form[action='/sign-in']")
        assert form.select_one("button").get_text(strip=True) == button
        token = form.select_one("input[name=csrf_token]")["value"]
        assert token == soup.select_one("meta[name=csrf-token]")["content"]
        tokens.add(token)
        assert "\x00" not in str(soup)
        typed = visitor.post("/sign-in", data={"csrf_token": token, "contact": "not-an-address"})
        assert typed.status_code == 200  # the token was accepted: the form's own error
        assert 'value="not-an-address"' in typed.get_data(as_text=True)
    assert len(tokens) == 3
    assert len(app.jinja_env.globals["_fragments"]["sign-in-form"]) == 2
    again = BeautifulSoup(app.test_client().get("/sign-in").get_data(as_text=True), "html.parser")
    assert again.select_one("#contact").get("value", "") == ""


def test_an_eligibility_question_is_rendered_once_for_each_answer_with_each_visitors_token(app):
    """A question of the eligibility checker, without an error, is the same for everyone in
    a language with the same answer chosen: rendered once, with each visitor's own CSRF
    token (which answering accepts), their own answer ticked, and an error never kept."""
    app.jinja_env.globals["_fragments"].pop("eligibility-question", None)
    address = "/check-if-you-can-join/who"

    def ticked(soup: BeautifulSoup) -> list[str]:
        return [radio["value"] for radio in soup.select("input[name=answer][checked]")]

    for code, heading in (("en", "Who are you?"), ("cy", "Pwy ydych chi?")):
        first, second = app.test_client(), app.test_client()
        mine, theirs = page(first, f"{address}?lang={code}"), page(second, address)
        assert mine.select_one("h1").get_text(strip=True) == heading
        tokens = [soup.select_one("form [name=csrf_token]")["value"] for soup in (mine, theirs)]
        assert tokens[0] != tokens[1]
        assert ticked(mine) == [] and ticked(theirs) == []
        answered = first.post(address, data={"csrf_token": tokens[0], "answer": "parent"})
        assert answered.status_code == 303  # the token was accepted
        assert ticked(page(first, address)) == ["parent"]
        assert ticked(page(second, address)) == []
        refused = second.post(address, data={"csrf_token": tokens[1], "answer": "forged"})
        assert refused.status_code == 200
        assert page(second, address).select_one(".govuk-error-summary") is None
    kept = app.jinja_env.globals["_fragments"]["eligibility-question"]
    assert len(kept) == 4  # each language, with no answer and with "parent"


@pytest.mark.parametrize(
    ("address", "answer", "accepted_status", "expired"),
    [
        # Not an address: accepted, the form's own error (nothing is written).
        ("/sign-in", {"contact": "not-an-address"}, 200, "Sorry, your form has expired"),
        ("/sign-in?lang=cy", {"contact": "not-an-address"}, 200, "ffurflen wedi dod i ben"),
        ("/check-if-you-can-join/who", {"answer": "victim"}, 303, "Sorry, your form has expired"),
    ],
)
def test_a_token_from_a_cached_form_is_refused_in_another_visitors_session(
    app, address, answer, accepted_status, expired
):
    """The token filled into a form rendered once (the sign-in form, an eligibility
    question) is its visitor's alone: another visitor who sends it is refused with the
    expired form's page, in their language (never a 500), and it still works for its own."""
    first, second = app.test_client(), app.test_client()
    theirs = page(first, address).select_one("form [name=csrf_token]")["value"]
    page(second, address)  # the second visitor has a session and a token of their own
    refused = second.post(address, data={"csrf_token": theirs, **answer})
    assert refused.status_code == 400
    assert expired in refused.get_data(as_text=True)
    accepted = first.post(address, data={"csrf_token": theirs, **answer})
    assert accepted.status_code == accepted_status


def test_a_part_cached_where_nothing_is_escaped_is_not_escaped_where_everything_is(
    probe_client,
):
    """A page whose template does not autoescape (a probe's, named without .html: the
    whole render, its layout too) caches the layout's parts as text; a page that does must
    not take that text and escape it. The two are cached apart."""
    probe_client.application.jinja_env.globals["_fragments"].clear()
    assert probe_client.get("/probe/fragment?lang=en").status_code == 200
    body = probe_client.get("/probe/abort/404?lang=en").get_data(as_text=True)
    assert "&lt;" not in body
    page = BeautifulSoup(body, "html.parser")
    assert page.select_one("header .govuk-header") and page.select_one("footer .govuk-footer")


@pytest.mark.parametrize("address", ["/", "/sign-in", "/staff/sign-in"])
def test_every_cached_part_has_the_links_of_the_prefix_the_page_is_served_under(app, address):
    """The layout's parts whose keys do not name the prefix ("Exit this page", the staff
    navigation's sign-in link) carry the prefix of the request that shows them, not of the
    one that first rendered them (portal.rendering.cached keys every part by it)."""
    client = app.test_client()
    for _ in range(2):  # the second time, from the cache
        for prefix in ("", "/vcs"):
            response = client.get(address, environ_overrides={"SCRIPT_NAME": prefix})
            assert response.status_code == 200, (address, prefix)
            soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
            links = [
                tag.get(name)
                for tag in soup.find_all(True)
                for name in ("href", "src", "action")
                if (tag.get(name) or "").startswith("/")
            ]
            assert links and all(link.startswith(f"{prefix}/") for link in links), (
                prefix,
                [link for link in links if not link.startswith(f"{prefix}/")],
            )
            assert prefix or not any(link.startswith("/vcs") for link in links)
