"""Every registration rule, and forged or malformed posts: a GOV.UK error, never a 500.

Each case walks to the question with good answers, posts the bad one, and
checks the message, the "Error:" title, and that nothing was saved.
"""

from __future__ import annotations

import pytest

from portal.models import RegistrationDraft
from portal.register.views import DRAFT
from tests.support.registration_state import registration_in_progress
from tests.support.registration_steps import VICTIM_ANSWERS, begin, csrf, post

SUPPORTER = {
    "who": {"registering_as": "supporter"},
    "relationship": {"relationship": "friend", "consent": "y"},
    "your-name": {"your_name": "Alex Jones"},
    **{k: v for k, v in VICTIM_ANSWERS.items() if k != "who"},
}
#: A phone number instead of email and post: the phone-call question comes where letters was.
WITH_PHONE = {
    ("phone-calls" if step == "letters" else step): {
        "contact": {"ways": ["phone"], "phone": "029 2018 3000"},
        "safe-contact": {"safe": ["phone"]},
        "letters": {"when": "any-time", "voicemail": "no"},
    }.get(step, data)
    for step, data in VICTIM_ANSWERS.items()
}


def walk_to(pages, slug: str, answers: dict = VICTIM_ANSWERS) -> None:
    begin(pages)
    for step, data in answers.items():
        if step == slug:
            return
        post(pages, f"/register/{step}", data)
    raise AssertionError(f"{slug} is not in the answers")


def answers_now(pages, app_db) -> dict:
    with pages.client.session_transaction() as cookie:
        draft_id = cookie[DRAFT]
    app_db.expire_all()
    return dict(app_db.get(RegistrationDraft, draft_id).answers)


def post_bad(pages, app_db, slug: str, data: dict, answers: dict = VICTIM_ANSWERS):
    walk_to(pages, slug, answers)
    before = answers_now(pages, app_db)
    page = post(pages, f"/register/{slug}", data)
    assert page.response.request.path == f"/register/{slug}", "a bad answer stays on its page"
    assert page.title.get_text().startswith("Error:")
    summary = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    inline = [
        m.get_text(" ", strip=True).replace("Error: ", "")
        for m in page.select(".govuk-error-message")
    ]
    assert answers_now(pages, app_db) == before, "nothing is half-saved"
    return summary, inline, page


LONG = "a" * 201

CASES = [
    ("who", {}, "Select who is registering"),
    ("who", {"registering_as": "king"}, "Select who is registering"),
    ("victim-name", {}, "Enter the victim’s full name"),
    ("victim-name", {"victim_name": "   "}, "Enter the victim’s full name"),
    ("victim-name", {"victim_name": LONG}, "Name must be 200 characters or fewer"),
    ("victim-name", {"victim_name": "x" * 100_000}, "Name must be 200 characters or fewer"),
    ("victim-name", {"victim_name": "12345"}, "Name must include letters"),
    ("date-of-birth", {}, "Enter the date of birth, or select that you do not know"),
    (
        "date-of-birth",
        {"day": "1", "month": "1", "year": "2000", "not_known": "y"},
        "Enter the date of birth, or select that you do not know",
    ),
    ("date-of-birth", {"day": "7", "year": "1985"}, "Date of birth must include a month"),
    ("date-of-birth", {"day": "7"}, "Date of birth must include a month and year"),
    (
        "date-of-birth",
        {"day": "31", "month": "2", "year": "2000"},
        "Date of birth must be a real date",
    ),
    (
        "date-of-birth",
        {"day": "1", "month": "13", "year": "2000"},
        "Date of birth must be a real date",
    ),
    (
        "date-of-birth",
        {"day": "x", "month": "1", "year": "2000"},
        "Date of birth must be a real date",
    ),
    ("date-of-birth", {"day": "1", "month": "1", "year": "85"}, "Year must include 4 numbers"),
    (
        "date-of-birth",
        {"day": "1", "month": "1", "year": "2999"},
        "Date of birth must be in the past",
    ),
    (
        "date-of-birth",
        {"day": "1", "month": "1", "year": "1899"},
        "Date of birth must be after 1900",
    ),
    (
        "date-of-birth",
        {"day": "9" * 50, "month": "1", "year": "2000"},
        "Date of birth must be a real date",
    ),
    ("contact", {}, "Select at least one way we can contact you"),
    ("contact", {"ways": ["pigeon"]}, "Select at least one way we can contact you"),
    ("contact", {"ways": ["email"]}, "Enter your email address"),
    (
        "contact",
        {"ways": ["email"], "email": "not an email"},
        "Enter an email address in the correct format, like name@example.com",
    ),
    (
        "contact",
        {"ways": ["sms"], "mobile": "029 2018 3000"},
        "Enter a UK mobile number, like 07700 900 982",
    ),
    (
        "contact",
        {"ways": ["sms"], "mobile": "+1 202 555 0100"},
        "Enter a UK mobile number, like 07700 900 982",
    ),
    (
        "contact",
        {"ways": ["phone"], "phone": "12"},
        "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
    ),
    (
        "contact",
        {"ways": ["letter"], "town": "Cardiff", "postcode": "CF10 1AA"},
        "Enter address line 1, typically the building and street",
    ),
    (
        "contact",
        {"ways": ["letter"], "address_line_1": "1 Road", "town": "Cardiff", "postcode": "XX1"},
        "Enter a real postcode, like CF10 1AA",
    ),
    ("safe-contact", {}, "Select at least one way that is safe for us to use"),
    ("safe-contact", {"safe": ["sms"]}, "Select the ways that are safe to use"),
    ("language", {"language": "fr"}, "Select the language you want us to write to you in"),
    ("accessibility", {}, "Select what would help you, or select ‘No, none of these’"),
    (
        "accessibility",
        {"accessibility_needs": ["none", "bsl"]},
        "Select what would help you, or select ‘No, none of these’",
    ),
    ("offender", {"offender_name": ""}, "Enter the name of the person who committed the crime"),
    ("offence", {"offence_type": "treason"}, "Select what kind of crime it was"),
    ("court", {}, "Select the court, or select that it is not listed"),
    ("court", {"court": "atlantis"}, "Select the court, or select that it is not listed"),
    ("sentenced", {}, "Enter the month and year, or select that you do not know"),
    ("sentenced", {"month": "4"}, "The date they were sentenced must include a year"),
    (
        "sentenced",
        {"month": "4", "year": "2999"},
        "The date they were sentenced must be in the past",
    ),
    (
        "sentenced",
        {"month": "4", "year": "1900"},
        "The date they were sentenced must be after 1950",
    ),
    (
        "sentenced",
        {"month": "4", "year": "2020", "not_known": "y"},
        "Enter the month and year, or select that you do not know",
    ),
    ("sentence", {"sentence": LONG}, "Sentence must be 200 characters or fewer"),
    ("sentence", {"external_reference": "r" * 51}, "Reference must be 50 characters or fewer"),
    ("updates", {"updates_wanted": "daily"}, "Select how much you want to hear"),
]


@pytest.mark.parametrize(("slug", "data", "message"), CASES)
def test_a_bad_answer_is_a_govuk_error(pages, app_db, slug, data, message):
    summary, inline, _ = post_bad(pages, app_db, slug, data)
    assert message in summary
    assert message in inline


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("relationship", {"relationship": "friend"}, "Confirm that the victim knows and agrees"),
        ("relationship", {"consent": "y"}, "Enter your relationship to the victim"),
        ("your-name", {"your_name": ""}, "Enter your full name"),
    ],
)
def test_a_bad_answer_from_someone_helping(pages, app_db, slug, data, message):
    summary, _, _ = post_bad(pages, app_db, slug, data, SUPPORTER)
    assert message in summary


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select when it is safe to call"),
        ({"when": "between", "voicemail": "no"}, "Select the earliest time we can call"),
        (
            {"when": "between", "safe_from": "16:00", "safe_until": "10:00", "voicemail": "no"},
            "The latest time must be after the earliest time",
        ),
        (
            {"when": "between", "safe_from": "03:00", "safe_until": "10:00", "voicemail": "no"},
            "Select the earliest time we can call",
        ),
        ({"when": "any-time"}, "Select yes if we can leave a voicemail"),
    ],
)
def test_bad_phone_call_times(pages, app_db, data, message):
    summary, _, _ = post_bad(pages, app_db, "phone-calls", data, WITH_PHONE)
    assert message in summary


def test_the_error_summary_links_to_the_field(pages, app_db):
    _, _, page = post_bad(pages, app_db, "date-of-birth", {"day": "7", "year": "1985"})
    link = page.select_one(".govuk-error-summary a")
    assert link["href"] == "#month"
    assert page.find(id="month") is not None
    assert "govuk-input--error" in page.find(id="month")["class"]
    assert "govuk-input--error" not in page.find(id="day")["class"]


def test_names_in_any_script_and_with_welsh_letters_are_kept(pages, app_db):
    for name in ("Siân Ŵyn ap Dafydd", "Ŷr Êl", "محمد علي", "O’Neil-Smith", "Zoë Ωmega 李"):
        walk_to(pages, "victim-name")
        page = post(pages, "/register/victim-name", {"victim_name": name})
        assert page.response.request.path == "/register/date-of-birth", name
        assert answers_now(pages, app_db)["victim_name"] == name


def test_phone_numbers_and_postcodes_are_stored_tidily(pages, app_db):
    walk_to(pages, "contact")
    post(
        pages,
        "/register/contact",
        {
            "ways": ["sms", "phone", "letter"],
            "mobile": "07911 123456",
            "phone": "+44 29 2018 3000",
            "address_line_1": "1  Heol  y Frenhines",
            "town": "Caerdydd",
            "postcode": "cf101aa",
        },
    )
    contacts = answers_now(pages, app_db)["contacts"]
    assert contacts["sms"]["value"] == "+447911123456"
    assert contacts["phone"]["value"] == "+442920183000"
    assert contacts["letter"]["value"] == "1 Heol y Frenhines\nCaerdydd\nCF10 1AA"


def test_emails_are_checked_by_the_library(pages, app_db):
    walk_to(pages, "contact")
    post(pages, "/register/contact", {"ways": ["email"], "email": "  Siân@Example.COM "})
    assert answers_now(pages, app_db)["contacts"]["email"]["value"] == "siân@example.com"


# --- forged and malformed posts ------------------------------------------------------------


def test_a_post_without_a_token_is_refused_and_saves_nothing(pages, app_db):
    walk_to(pages, "victim-name")
    before = answers_now(pages, app_db)
    response = pages.client.post("/register/victim-name", data={"victim_name": "Forged"})
    assert response.status_code == 400
    assert "Sorry, your form has expired" in response.get_data(as_text=True)
    assert answers_now(pages, app_db) == before


def test_a_token_from_another_browser_is_refused(app, pages, app_db):
    walk_to(pages, "victim-name")
    other = app.test_client()
    foreign = csrf_of(other.get("/register").get_data(as_text=True))
    response = pages.client.post(
        "/register/victim-name", data={"victim_name": "Forged", "csrf_token": foreign}
    )
    assert response.status_code == 400


def csrf_of(html: str) -> str:
    from bs4 import BeautifulSoup

    return csrf(BeautifulSoup(html, "html.parser"))


def test_a_replayed_form_after_submitting_goes_to_the_confirmation(pages, app_db):
    from tests.support.registration_steps import register

    register(pages, app_db)
    page = pages.get("/register/confirmation")
    response = pages.client.post(
        "/register/victim-name", data={"victim_name": "Again", "csrf_token": csrf(page)}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/register/confirmation"


@pytest.mark.parametrize(
    "data",
    [
        {"registering_as": ["self", "parent"]},
        {"registering_as": "self" * 10_000},
        {"day": ["1", "2"], "month": "1", "year": "2000"},
        {"ways": "email", "email": ["a@example.com", "b@example.com"]},
        {"court": ["cardiff", "leeds"]},
    ],
)
def test_malformed_posts_to_every_kind_of_field_are_errors_not_500s(pages, app_db, data):
    registration_in_progress(pages.client)  # every question can be reached
    token = csrf(pages.get("/register/who"))
    for slug in ("who", "date-of-birth", "contact", "court"):
        response = pages.client.post(f"/register/{slug}", data={**data, "csrf_token": token})
        # An error on the page, or (a repeated field whose first value is a good answer)
        # saved and on to the next question; never a 500.
        assert response.status_code in (200, 303), (slug, response.status_code)
        if response.status_code == 200:
            assert "govuk-error-summary" in response.get_data(as_text=True), slug


@pytest.mark.parametrize(
    ("slug", "data"),
    [("victim-name", {"victim_name": "Ann\x00e"}), ("who", {"registering_as": "\x00"})],
)
def test_a_control_character_in_an_answer_is_refused_with_the_400_page(pages, app_db, slug, data):
    """Refused before the form is read (tests/functional/test_control_characters.py)."""
    walk_to(pages, slug)
    page = pages.post(
        f"/register/{slug}",
        data={**data, "csrf_token": csrf(pages.get(f"/register/{slug}"))},
        status=400,
    )
    assert page.find("h1").get_text(strip=True) == "Sorry, there is a problem with your request"


def test_a_huge_post_is_refused_with_the_413_page(pages, app_db):
    walk_to(pages, "victim-name")
    response = pages.client.post(
        "/register/victim-name",
        data={"victim_name": "x" * (3 * 1024 * 1024), "csrf_token": "x"},
    )
    assert response.status_code == 413
