"""Registering over HTTP, page by page as without JavaScript, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.models import (
    Case,
    OutboxNotification,
    RegistrationDraft,
    SecurityCode,
    TimelineEvent,
    utcnow,
)
from portal.register.views import DRAFT
from tests.support.pages import PageClient
from tests.support.registration_steps import (
    VICTIM_ANSWERS,
    answer_all,
    begin,
    csrf,
    latest_code,
    post,
    register,
    verify,
)


def cases(app_db) -> int:
    return app_db.scalar(select(func.count()).select_from(Case))


def draft_of(pages, app_db) -> RegistrationDraft:
    with pages.client.session_transaction() as cookie:
        draft_id = cookie[DRAFT]
    app_db.expire_all()
    return app_db.get(RegistrationDraft, draft_id)


def error_messages(page) -> list[str]:
    return [
        message.get_text(" ", strip=True).replace("Error: ", "")
        for message in page.select(".govuk-error-message")
    ]


# --- the whole journey ---------------------------------------------------------------------


def test_the_whole_journey_makes_one_case_in_the_courts_region(pages, app_db):
    page = register(pages, app_db)
    reference = page.select_one(".govuk-panel strong").get_text(strip=True)
    assert page.title.get_text().startswith("Request sent")
    case = app_db.scalar(select(Case).filter_by(reference=reference))
    assert case.region.code == "wales"
    assert case.status.value == "triage"
    assert case.victim.full_name == "Siân Ŵyn Jones"
    assert case.victim.date_of_birth.isoformat() == "1985-03-07"
    assert case.court_code == "cardiff"
    assert case.sentenced_in == "2024-04"
    assert case.sentence_description == "8 years"
    assert case.external_reference == "CF/1234"
    assert case.victim.language.value == "cy"
    assert case.victim.accessibility_needs == "large-print"
    by_channel = {p.channel.value: p for p in case.victim.contact_preferences}
    assert by_channel["letter"].value == "1 Heol y Frenhines\nCaerdydd\nCF10 1AA"
    assert by_channel["email"].verified_at is not None
    received = app_db.scalars(
        select(OutboxNotification).filter_by(
            template_key="registration_received", victim_id=case.victim.id
        )
    ).all()
    assert [(n.language.value, n.recipient) for n in received] == [("cy", "sian@example.com")]
    assert received[0].personalisation == {"reference": reference}  # no case content


def test_the_confirmation_says_when_someone_will_be_in_touch(pages, app_db):
    page = register(pages, app_db)
    text = page.get_text(" ", strip=True)
    assert "Your reference number" in text
    assert "will check the details and contact you by" in text
    with pages.client.session_transaction() as cookie:
        assert DRAFT not in cookie  # nothing left to submit twice


def test_the_journey_in_welsh(pages, app_db):
    page = register(pages, app_db, language="cy")
    assert page.find("html")["lang"] == "cy"
    assert page.title.get_text().startswith("Cais wedi’i anfon")
    assert "Eich cyfeirnod" in page.select_one(".govuk-panel").get_text()
    assert "Your reference number" not in page.get_text()


def test_someone_helping_a_victim_is_asked_who_they_are_and_for_agreement(pages, app_db):
    begin(pages)
    page = post(pages, "/register/who", {"registering_as": "supporter"})
    assert page.response.request.path == "/register/relationship"
    page = post(pages, "/register/relationship", {"relationship": "support worker"})
    assert "Confirm that the victim knows and agrees" in error_messages(page)
    page = post(pages, "/register/relationship", {"relationship": "support worker", "consent": "y"})
    assert page.response.request.path == "/register/your-name"
    page = post(pages, "/register/your-name", {"your_name": "Alex Jones"})
    assert page.find("h1").get_text(strip=True) == "What is the victim’s full name?"
    draft = draft_of(pages, app_db)
    assert draft.answers["consent"] is True
    assert draft.answers["relationship"] == "support worker"


def test_the_checkers_answers_are_carried_in(pages, app_db):
    with pages.client.session_transaction() as cookie:
        cookie["eligibility_answers"] = {
            "who": "bereaved",
            "offence": "sexual",
            "sentence": "12-months-or-more",
        }
    page = begin(pages)
    checked = page.find("input", attrs={"name": "registering_as", "checked": True})
    assert checked["value"] == "bereaved"
    assert draft_of(pages, app_db).answers["offence_type"] == "sexual"


def test_the_likely_result_starts_a_registration(pages, app_db):
    with pages.client.session_transaction() as cookie:
        cookie["eligibility_answers"] = {
            "who": "victim",
            "offence": "violent",
            "sentence": "12-months-or-more",
        }
    result = pages.get("/check-if-you-can-join/result")
    form = result.find("form", attrs={"action": "/register/start"})
    assert form is not None
    page = pages.post("/register/start", data={"csrf_token": csrf(result)}, follow_redirects=True)
    assert page.response.request.path == "/register/who"
    assert draft_of(pages, app_db).answers == {"registering_as": "self", "offence_type": "violent"}


def test_starting_twice_carries_on_the_same_draft(pages, app_db):
    begin(pages)
    post(pages, "/register/who", {"registering_as": "self"})
    first = draft_of(pages, app_db).id
    page = begin(pages)
    assert page.response.request.path == "/register/victim-name"
    assert draft_of(pages, app_db).id == first


# --- check answers and changing an answer --------------------------------------------------


def test_check_answers_shows_every_answer_with_change_links(pages, app_db):
    begin(pages)
    page = answer_all(pages)
    assert page.response.request.path == "/register/check-answers"
    text = page.get_text(" ", strip=True)
    for expected in (
        "Siân Ŵyn Jones",
        "7 March 1985",
        "sian@example.com",
        "CF10 1AA",
        "Welsh (Cymraeg)",
        "Large print",
        "Dafydd Rhys",
        "Cardiff Crown Court",
        "April 2024",
        "CF/1234",
        "Tell me about every key stage",
    ):
        assert expected in text, expected
    changes = [a["href"] for a in page.select(".govuk-summary-list__actions a")]
    assert "/register/victim-name?change=1" in changes
    assert all(href.endswith("?change=1") for href in changes)


def test_a_change_returns_to_check_answers(pages, app_db):
    begin(pages)
    answer_all(pages)
    page = post(pages, "/register/victim-name?change=1", {"victim_name": "Siân Jones"})
    assert page.response.request.path == "/register/check-answers"
    assert "Siân Jones" in page.get_text()


def test_a_change_that_needs_a_new_answer_asks_it_first(pages, app_db):
    begin(pages)
    answer_all(pages)
    # Adding a phone number: it needs its safety and call times before check answers.
    data = {
        **VICTIM_ANSWERS["contact"],
        "ways": ["email", "letter", "phone"],
        "phone": "029 2018 3000",
    }
    page = post(pages, "/register/contact?change=1", data)
    assert page.response.request.path == "/register/safe-contact"
    page = post(pages, "/register/safe-contact?change=1", {"safe": ["email", "letter", "phone"]})
    assert page.response.request.path == "/register/phone-calls"
    page = post(
        pages,
        "/register/phone-calls?change=1",
        {"when": "between", "safe_from": "10:00", "safe_until": "16:00", "voicemail": "no"},
    )
    assert page.response.request.path == "/register/check-answers"
    assert "From 10:00 to 16:00" in page.get_text()


def test_call_times_are_one_sentence_in_welsh(pages, app_db):
    begin(pages, language="cy")
    answer_all(pages)
    data = {
        **VICTIM_ANSWERS["contact"],
        "ways": ["email", "letter", "phone"],
        "phone": "029 2018 3000",
    }
    post(pages, "/register/contact?change=1", data)
    post(pages, "/register/safe-contact?change=1", {"safe": ["email", "letter", "phone"]})
    page = post(
        pages,
        "/register/phone-calls?change=1",
        {"when": "between", "safe_from": "09:00", "safe_until": "16:00", "voicemail": "yes"},
    )
    assert page.response.request.path == "/register/check-answers"
    text = page.get_text(" ", strip=True)
    assert "O 09:00 tan 16:00" in text
    assert "Rhwng" not in text
    # Away from its question, the answer is a whole phrase, not a bare "Cewch".
    assert "Cewch adael neges llais" in text


def test_an_unchanged_contact_keeps_its_safety_answer(pages, app_db):
    begin(pages)
    answer_all(pages)
    post(pages, "/register/contact?change=1", VICTIM_ANSWERS["contact"])
    contacts = draft_of(pages, app_db).answers["contacts"]
    assert contacts["email"] == {"value": "sian@example.com", "safe": True}


def test_a_question_out_of_order_goes_to_the_first_unanswered(pages, app_db):
    begin(pages)
    post(pages, "/register/who", {"registering_as": "self"})
    response = pages.client.get("/register/court")
    assert response.status_code == 303
    assert response.headers["Location"] == "/register/victim-name"
    response = pages.client.get("/register/check-answers")
    assert response.headers["Location"] == "/register/victim-name"
    response = pages.client.get("/register/declaration")
    assert response.headers["Location"] == "/register/check-answers"


def test_a_question_that_does_not_apply_is_not_shown(pages, app_db):
    begin(pages)
    answer_all(pages)
    # No phone number was given, so there is no phone-call question.
    response = pages.client.get("/register/phone-calls")
    assert response.status_code == 303


def test_an_unknown_question_is_404(pages, app_db):
    begin(pages)
    pages.get("/register/no-such-question", status=404)


def test_without_a_draft_the_pages_go_to_the_start(pages):
    for url in (
        "/register/who",
        "/register/check-answers",
        "/register/verify",
        "/register/declaration",
        "/register/save",
    ):
        response = pages.client.get(url)
        assert response.status_code == 303
        assert response.headers["Location"] == "/register?expired=1"
    page = pages.get("/register?expired=1")
    assert "We could not find your answers" in page.get_text()


def test_an_expired_draft_is_not_used(pages, app_db):
    begin(pages)
    post(pages, "/register/who", {"registering_as": "self"})
    draft = draft_of(pages, app_db)
    draft.expires_at = utcnow() - timedelta(seconds=1)
    app_db.commit()
    response = pages.client.get("/register/victim-name")
    assert response.headers["Location"] == "/register?expired=1"


# --- the security code ---------------------------------------------------------------------


RESEND = "/register/security-code/resend"


def resend(pages, status: int = 200):
    return post(pages, RESEND, {}, status=status, page_url="/register/security-code")


def to_code_page(pages, app_db):
    begin(pages)
    answer_all(pages)
    post(pages, "/register/check-answers", {})
    return post(pages, "/register/verify", {"way": "email"})


def test_the_code_goes_to_the_chosen_safe_contact(pages, app_db):
    page = to_code_page(pages, app_db)
    assert page.response.request.path == "/register/security-code"
    assert "We have sent an email with a code to sian@example.com" in page.get_text()
    code = app_db.scalars(select(SecurityCode).order_by(SecurityCode.id)).all()[-1]
    assert code.destination == "sian@example.com"
    assert (
        len(code.code_hash) == 64 and latest_code(app_db, "sian@example.com") not in code.code_hash
    )


def test_only_a_safe_email_or_mobile_is_offered(pages, app_db):
    begin(pages)
    answers = {**VICTIM_ANSWERS, "safe-contact": {"safe": ["letter"]}}
    answer_all(pages, answers)
    page = post(pages, "/register/check-answers", {})
    assert page.find("h1").get_text(strip=True) == "We need an email address or mobile number"
    page = post(pages, "/register/verify", {"way": "email"}, page_url="/register/check-answers")
    assert error_messages(page) == [] and "Select where to send the code" in page.get_text()
    assert pages.client.get("/register/declaration").headers["Location"] == "/register/verify"


def test_a_forged_destination_is_refused(pages, app_db):
    begin(pages)
    answer_all(pages)
    page = post(pages, "/register/verify", {"way": "sms"})
    assert error_messages(page) == ["Select where to send the code"]
    assert app_db.scalar(select(func.count()).select_from(SecurityCode)) == 0


def test_a_wrong_code_is_an_error_and_counts(pages, app_db):
    to_code_page(pages, app_db)
    wrong = "000000" if latest_code(app_db, "sian@example.com") != "000000" else "999999"
    page = post(pages, "/register/security-code", {"code": wrong})
    assert error_messages(page) == ["The security code is not right. Check it and try again."]
    assert page.title.get_text().startswith("Error:")
    assert app_db.scalars(select(SecurityCode).order_by(SecurityCode.id)).all()[-1].attempts == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the security code"),
        ("12345", "The security code must be 6 numbers"),
        ("abcdef", "The security code must be 6 numbers"),
        ("1" * 5000, "The security code must be 6 numbers"),
    ],
)
def test_a_malformed_code_is_an_error_and_does_not_count(pages, app_db, typed, message):
    to_code_page(pages, app_db)
    page = post(pages, "/register/security-code", {"code": typed})
    assert error_messages(page) == [message]
    assert app_db.scalars(select(SecurityCode).order_by(SecurityCode.id)).all()[-1].attempts == 0


def test_a_code_with_spaces_works(pages, app_db):
    to_code_page(pages, app_db)
    code = latest_code(app_db, "sian@example.com")
    page = post(pages, "/register/security-code", {"code": f" {code[:3]} {code[3:]} "})
    assert page.response.request.path == "/register/declaration"


def test_five_wrong_codes_use_up_the_code(pages, app_db):
    to_code_page(pages, app_db)
    real = latest_code(app_db, "sian@example.com")
    wrong = "111111" if real != "111111" else "222222"
    for _ in range(5):
        post(pages, "/register/security-code", {"code": wrong})
    page = post(pages, "/register/security-code", {"code": real})
    assert error_messages(page) == [
        "You have entered the wrong code too many times. Ask for a new code."
    ]
    assert draft_of(pages, app_db).verified_value is None


def test_an_expired_code_is_refused(pages, app_db):
    to_code_page(pages, app_db)
    code = app_db.scalars(select(SecurityCode).order_by(SecurityCode.id)).all()[-1]
    code.expires_at = utcnow() - timedelta(seconds=1)
    app_db.commit()
    page = post(pages, "/register/security-code", {"code": latest_code(app_db, "sian@example.com")})
    assert error_messages(page) == ["This code has expired. Ask for a new code."]


def test_a_new_code_can_be_sent_a_limited_number_of_times(pages, app_db):
    to_code_page(pages, app_db)
    page = resend(pages)
    assert "We have sent a new code." in page.get_text()
    resend(pages)
    page = resend(pages, status=429)
    assert error_messages(page) == [
        "Too many codes have been asked for. Try again in an hour. If it still does not work, "
        "contact the Victim Liaison Unit for your area."
    ]
    assert app_db.scalar(select(func.count()).select_from(SecurityCode)) == 3


def test_the_newest_code_is_the_one_that_works(pages, app_db):
    to_code_page(pages, app_db)
    first = latest_code(app_db, "sian@example.com")
    resend(pages)
    second = latest_code(app_db, "sian@example.com")
    if first != second:  # two random codes are the same one time in a million
        page = post(pages, "/register/security-code", {"code": first})
        assert error_messages(page)
    page = post(pages, "/register/security-code", {"code": second})
    assert error_messages(page) == []
    assert page.response.request.path == "/register/declaration"


def test_code_requests_are_limited_per_network_address(app, pages, app_db):
    app.config["REGISTRATION_CODE_LIMIT"] = "2 per hour"
    try:
        begin(pages)
        answer_all(pages)
        post(pages, "/register/verify", {"way": "email"})
        resend(pages)
        response = pages.client.post(
            "/register/security-code/resend",
            data={"csrf_token": csrf(pages.get("/register/security-code"))},
        )
        assert response.status_code == 429
        assert "Sorry, there have been too many attempts" in response.get_data(as_text=True)
    finally:
        app.config["REGISTRATION_CODE_LIMIT"] = "10 per hour"


def test_changing_the_proved_contact_needs_a_new_code(pages, app_db):
    to_code_page(pages, app_db)
    post(pages, "/register/security-code", {"code": latest_code(app_db, "sian@example.com")})
    assert draft_of(pages, app_db).verified_value == "sian@example.com"
    data = {**VICTIM_ANSWERS["contact"], "email": "new@example.com"}
    post(pages, "/register/contact?change=1", data)
    post(pages, "/register/safe-contact?change=1", {"safe": ["email", "letter"]})
    assert draft_of(pages, app_db).verified_value is None
    response = pages.client.get("/register/declaration")
    assert response.headers["Location"] == "/register/verify"


# --- submitting: declaration, double submit, duplicates ------------------------------------


def test_the_declaration_must_be_agreed(pages, app_db):
    before = cases(app_db)
    begin(pages)
    answer_all(pages)
    verify(pages, app_db)
    page = post(pages, "/register/declaration", {})
    assert error_messages(page) == [
        "Confirm that the information is true and that you agree to us using it"
    ]
    page = post(pages, "/register/declaration", {"agree": "false"})
    assert error_messages(page)
    assert cases(app_db) == before  # no case was made


def test_two_clicks_or_back_and_resubmit_make_one_case(pages, app_db):
    begin(pages)
    answer_all(pages)
    verify(pages, app_db)
    page = pages.get("/register/declaration")
    token = csrf(page)
    before = cases(app_db)

    def received() -> int:
        return app_db.scalar(
            select(func.count())
            .select_from(OutboxNotification)
            .filter_by(template_key="registration_received")
        )

    received_before = received()
    first = pages.client.post("/register/declaration", data={"agree": "y", "csrf_token": token})
    again = pages.client.post("/register/declaration", data={"agree": "y", "csrf_token": token})
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == "/register/confirmation"
    assert cases(app_db) == before + 1
    assert received() == received_before + 1


def test_a_second_registration_reveals_nothing_about_the_first(app, pages, app_db):
    """Whoever registers again with the same details (perhaps from a mailbox the victim
    has since marked unsafe) sees only their own new request (issue 11, item 1)."""
    first = register(pages, app_db)
    first_reference = first.find(class_="govuk-panel__body").find("strong").get_text()
    first_case = app_db.scalars(select(Case).filter_by(reference=first_reference)).one()
    email = next(p for p in first_case.victim.contact_preferences if p.channel == "email")
    email.is_safe = False  # the victim marks it unsafe
    app_db.flush()
    timeline = len(app_db.scalars(select(TimelineEvent).filter_by(case_id=first_case.id)).all())
    before = cases(app_db)
    page = register(PageClient(app.test_client()), app_db)  # someone else, another browser
    assert cases(app_db) == before + 1
    assert page.title.get_text().startswith("Request sent")
    reference = page.find(class_="govuk-panel__body").find("strong").get_text()
    assert reference != first_reference
    assert first_reference not in page.get_text()
    assert "already" not in page.get_text()
    assert (
        len(app_db.scalars(select(TimelineEvent).filter_by(case_id=first_case.id)).all())
        == timeline
    )
    second_case = app_db.scalars(select(Case).filter_by(reference=reference)).one()
    assert second_case.possible_duplicate_of_id is None  # matched only on safe details


def test_a_different_offender_is_a_new_case(app, pages, app_db):
    register(pages, app_db)
    before = cases(app_db)
    answers = {**VICTIM_ANSWERS, "offender": {"offender_name": "Someone Else"}}
    register(PageClient(app.test_client()), app_db, answers=answers)
    assert cases(app_db) == before + 1


def test_an_unknown_court_goes_to_the_national_queue(pages, app_db):
    answers = {**VICTIM_ANSWERS, "court": {"court": "not-listed"}}
    page = register(pages, app_db, answers=answers)
    reference = page.select_one(".govuk-panel strong").get_text(strip=True)
    case = app_db.scalar(select(Case).filter_by(reference=reference))
    assert case.region is None and case.court_code is None


def test_a_code_for_a_contact_since_changed_does_not_prove_anything(pages, app_db):
    to_code_page(pages, app_db)
    old_code = latest_code(app_db, "sian@example.com")
    data = {**VICTIM_ANSWERS["contact"], "email": "someone.else@example.com"}
    post(pages, "/register/contact?change=1", data)
    post(pages, "/register/safe-contact?change=1", {"safe": ["email", "letter"]})
    page = pages.get("/register/check-answers")
    response = pages.client.post(
        "/register/security-code", data={"code": old_code, "csrf_token": csrf(page)}
    )
    assert response.headers["Location"] == "/register/verify"
    assert draft_of(pages, app_db).verified_value is None
    assert pages.client.get("/register/declaration").headers["Location"] == "/register/verify"


def test_marking_the_proved_email_unsafe_needs_a_new_proof(pages, app_db):
    to_code_page(pages, app_db)
    post(pages, "/register/security-code", {"code": latest_code(app_db, "sian@example.com")})
    post(pages, "/register/safe-contact?change=1", {"safe": ["letter"]})
    assert pages.client.get("/register/declaration").headers["Location"] == "/register/verify"


def test_a_second_click_with_the_old_cookie_shows_the_confirmation(app, pages, app_db):
    begin(pages)
    answer_all(pages)
    verify(pages, app_db)
    page = pages.get("/register/declaration")
    with pages.client.session_transaction() as cookie:
        old_cookie = dict(cookie)
    pages.client.post("/register/declaration", data={"agree": "y", "csrf_token": csrf(page)})
    with pages.client.session_transaction() as cookie:  # the browser sends the cookie it had
        cookie.clear()
        cookie.update(old_cookie)
    again = pages.client.post(
        "/register/declaration", data={"agree": "y", "csrf_token": csrf(page)}
    )
    assert again.headers["Location"] == "/register/confirmation"
    assert "Request sent" in pages.get("/register/confirmation").title.get_text()


def test_a_sent_draft_keeps_no_answers(pages, app_db):
    begin(pages)
    answer_all(pages)
    verify(pages, app_db)
    with pages.client.session_transaction() as cookie:
        draft_id = cookie[DRAFT]
    post(pages, "/register/declaration", {"agree": "y"})
    app_db.expire_all()
    draft = app_db.get(RegistrationDraft, draft_id)
    assert draft.answers == {} and draft.codes == [] and draft.submitted_case_id is not None


def test_a_parent_registering_a_second_child_is_not_merged(app, pages, app_db):
    register(pages, app_db)
    before = cases(app_db)
    answers = {**VICTIM_ANSWERS, "victim-name": {"victim_name": "Another Child"}}
    page = register(PageClient(app.test_client()), app_db, answers=answers)
    assert cases(app_db) == before + 1
    assert page.title.get_text().startswith("Request sent")


def test_check_answers_can_change_which_ways_are_safe(pages, app_db):
    begin(pages)
    page = answer_all(pages)
    changes = [a["href"] for a in page.select(".govuk-summary-list__actions a")]
    assert "/register/safe-contact?change=1" in changes


def test_someone_who_does_not_know_the_date_of_birth_can_go_on(pages, app_db):
    begin(pages)
    post(pages, "/register/who", {"registering_as": "bereaved"})
    post(pages, "/register/relationship", {"relationship": "sister"})
    post(pages, "/register/your-name", {"your_name": "Ceri Jones"})
    post(pages, "/register/victim-name", {"victim_name": "Alun Jones"})
    page = post(pages, "/register/date-of-birth", {"not_known": "y"})
    assert page.response.request.path == "/register/contact"
    assert draft_of(pages, app_db).answers["date_of_birth"] is None
    page = pages.get("/register/date-of-birth")
    assert page.find("input", attrs={"name": "not_known"}).has_attr("checked")
