"""Save and come back: a one-use link by email, or sign in with the proved contact detail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.models import CodePurpose, OutboxNotification, RegistrationDraft, SecurityCode, utcnow
from portal.register.views import DRAFT
from portal.services.drafts import purge_expired
from tests.support.delivery import deliver, delivered_to
from tests.support.pages import PageClient
from tests.support.registration_steps import (
    VICTIM_ANSWERS,
    answer_all,
    begin,
    csrf,
    latest_code,
    post,
    verify,
)


def resume_link(app_db) -> str:
    notification = app_db.scalars(
        select(OutboxNotification)
        .filter_by(template_key="registration_resume")
        .order_by(OutboxNotification.created_at.desc())
    ).first()
    assert notification.channel.value == "email"
    return notification.personalisation["link"]


def current_draft_id(pages) -> str | None:
    with pages.client.session_transaction() as cookie:
        return cookie.get(DRAFT)


def start_with_email(pages):
    begin(pages)
    for step in ("who", "victim-name", "date-of-birth", "contact", "safe-contact"):
        post(pages, f"/register/{step}", VICTIM_ANSWERS[step])


def test_the_save_page_says_how_long_answers_are_kept(pages, app_db):
    start_with_email(pages)
    page = pages.get("/register/save")
    text = page.get_text(" ", strip=True)
    draft = app_db.get(RegistrationDraft, current_draft_id(pages))
    assert f"{draft.expires_at.day} " in text and str(draft.expires_at.year) in text
    assert "We can email a link to sian@example.com" in text


def test_an_emailed_link_carries_on_in_another_browser_once(app, pages, app_db):
    start_with_email(pages)
    page = post(pages, "/register/save", {})
    assert page.response.request.path == "/register/save"
    assert "We have sent a link to sian@example.com" in page.get_text()
    link = resume_link(app_db)
    assert link.startswith("http://127.0.0.1:5000/register/resume/")
    stored = app_db.scalars(select(SecurityCode).filter_by(purpose=CodePurpose.LINK)).one()
    assert stored.draft_id == current_draft_id(pages)
    assert len(stored.code_hash) == 64 and stored.code_hash not in link

    elsewhere = PageClient(app.test_client())
    path = link.removeprefix("http://127.0.0.1:5000")
    # Opening the link (as an email scanner would) uses nothing: a button does.
    page = elsewhere.get(path)
    elsewhere.get(path)
    assert current_draft_id(elsewhere) is None
    response = elsewhere.client.post(path, data={"csrf_token": csrf(page)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/register/letters"  # the next unanswered
    assert current_draft_id(elsewhere) == stored.draft_id

    again = PageClient(app.test_client())
    page = again.get(path, status=404)
    assert again.client.post(path, data={"csrf_token": csrf(page)}).status_code == 404
    assert page.find("h1").get_text(strip=True) == "This link does not work"
    assert current_draft_id(again) is None


def test_the_resume_email_has_no_answers_in_it(pages, app_db):
    start_with_email(pages)
    post(pages, "/register/save", {})
    notification = app_db.scalars(
        select(OutboxNotification).filter_by(template_key="registration_resume")
    ).one()
    assert set(notification.personalisation) == {"link", "date", "hours"}


def test_no_link_is_offered_to_an_email_that_is_not_safe(pages, app_db):
    start_with_email(pages)
    post(pages, "/register/safe-contact?change=1", {"safe": ["letter"]})
    page = pages.get("/register/save")
    assert "Email me a link" not in page.get_text()
    post(pages, "/register/save", {}, page_url="/register/save")
    assert (
        app_db.scalars(
            select(OutboxNotification).filter_by(template_key="registration_resume")
        ).all()
        == []
    )


def test_an_expired_draft_cannot_be_resumed_and_is_purged(app, pages, app_db):
    start_with_email(pages)
    post(pages, "/register/save", {})
    link = resume_link(app_db).removeprefix("http://127.0.0.1:5000")
    draft_id = current_draft_id(pages)
    app_db.get(RegistrationDraft, draft_id).expires_at = utcnow() - timedelta(seconds=1)
    app_db.commit()
    PageClient(app.test_client()).get(link, status=404)
    assert purge_expired(app_db) == 1
    app_db.expire_all()
    assert app_db.get(RegistrationDraft, draft_id) is None


def test_signing_in_with_the_proved_contact_carries_on(app, pages, app_db):
    begin(pages)
    answer_all(pages)
    verify(pages, app_db)  # proves sian@example.com
    draft_id = current_draft_id(pages)

    elsewhere = PageClient(app.test_client())
    page = post(elsewhere, "/register/resume", {"contact": "SIAN@example.com"})
    assert page.response.request.path == "/register/resume/security-code"
    # One form of an email address, whatever the case it was typed in (issue 11, item 6).
    assert "If sian@example.com is registered with us" in page.get_text()
    page = post(
        elsewhere,
        "/register/resume/security-code",
        {"code": latest_code(app_db, "sian@example.com")},
    )
    assert page.response.request.path == "/register/check-answers"
    assert current_draft_id(elsewhere) == draft_id


def test_signing_in_with_an_unknown_contact_says_the_same_and_sends_nothing(app, pages, app_db):
    page = post(pages, "/register/resume", {"contact": "nobody@example.com"})
    assert "If nobody@example.com is registered with us" in page.get_text()
    page = post(pages, "/register/resume/security-code", {"code": "123456"})
    assert "The security code is not right" in page.get_text()
    assert delivered_to(app, app_db, "nobody@example.com") == 0
    # The worker forgot the address it had nobody to send to.
    row = app_db.scalars(select(OutboxNotification).filter_by(gate="resume")).one()
    assert (row.recipient, row.personalisation, row.status) == ("", {}, "cancelled")


def test_signing_in_with_a_mobile_number(app, pages, app_db):
    begin(pages)
    answers = {
        **VICTIM_ANSWERS,
        "contact": {"ways": ["sms"], "mobile": "07911 123456"},
        "safe-contact": {"safe": ["sms"]},
    }
    answers.pop("letters")
    answer_all(pages, answers)
    verify(pages, app_db, way="sms", destination="+447911123456")
    elsewhere = PageClient(app.test_client())
    post(elsewhere, "/register/resume", {"contact": "07911 123456"})
    page = post(
        elsewhere,
        "/register/resume/security-code",
        {"code": latest_code(app_db, "+447911123456")},
    )
    assert page.response.request.path == "/register/check-answers"


def test_a_contact_that_is_neither_email_nor_mobile_is_an_error(pages):
    page = post(pages, "/register/resume", {"contact": "029 2018 3000"})
    assert "Enter an email address like name@example.com, or a UK mobile number" in (
        page.select_one(".govuk-error-summary").get_text()
    )


def test_a_submitted_registration_cannot_be_resumed(app, pages, app_db):
    from tests.support.registration_steps import register

    register(pages, app_db)
    deliver(app, app_db)  # what the registration sent
    elsewhere = PageClient(app.test_client())
    post(elsewhere, "/register/resume", {"contact": "sian@example.com"})
    assert delivered_to(app, app_db, "sian@example.com") == 0
    page = post(elsewhere, "/register/resume/security-code", {"code": "123456"})
    assert "The security code is not right" in page.get_text()
    assert current_draft_id(elsewhere) is None


def test_the_purge_command_deletes_expired_drafts(app, app_db):
    from portal.services.drafts import start_draft

    old = start_draft(app_db, "en", {}, now=utcnow() - timedelta(days=31))
    live = start_draft(app_db, "en", {})
    app_db.commit()
    old_id, live_id = old.id, live.id
    result = app.test_cli_runner().invoke(args=["drafts", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 expired registrations." in result.output
    app_db.expire_all()
    assert app_db.get(RegistrationDraft, old_id) is None
    assert app_db.get(RegistrationDraft, live_id) is not None


def test_the_session_cookie_never_says_whether_a_registration_exists(app, pages, app_db):
    begin(pages)
    answer_all(pages)
    verify(pages, app_db)
    draft_id = current_draft_id(pages)
    stranger = PageClient(app.test_client())
    post(stranger, "/register/resume", {"contact": "sian@example.com"})
    with stranger.client.session_transaction() as cookie:
        assert draft_id not in str(dict(cookie))
        assert DRAFT not in cookie


def test_signing_in_reads_the_same_for_a_real_and_an_unknown_contact(app, pages, app_db):
    begin(pages)
    answer_all(pages)
    verify(pages, app_db)
    messages = {}
    for who in ("sian@example.com", "nobody@example.com"):
        stranger = PageClient(app.test_client())
        post(stranger, "/register/resume", {"contact": who})
        seen = []
        for _ in range(7):
            page = post(stranger, "/register/resume/security-code", {"code": "000000"})
            seen.append(page.select_one(".govuk-error-message").get_text(" ", strip=True))
        messages[who] = seen
    assert messages["sian@example.com"] == messages["nobody@example.com"]
