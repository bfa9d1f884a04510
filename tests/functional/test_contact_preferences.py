"""A signed-in victim changes how they are contacted: each change on its own page, confirmed
on screen and content-free through a detail that stayed safe, recorded for the officer and
audited; a new email address or mobile number is proved with a code before it is used; a
detail marked not safe is never used again, not even to confirm that change."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    Channel,
    CodePurpose,
    ContactPreference,
    DatePrecision,
    Language,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    SecurityCode,
    SentenceStage,
    TimelineEvent,
    UpdatesWanted,
    Victim,
    VictimSession,
)
from portal.services import sign_in, timeline
from tests.support.delivery import deliver
from tests.support.factories import CaseFactory, OfficerFactory
from tests.support.preferences import EMAIL, MOBILE, any_time, member
from tests.support.registration_steps import csrf, post
from tests.support.victim_state import signed_in

NEW_EMAIL = "bethan.new@example.com"
NEW_MOBILE = "+447700900222"


def main_text(page) -> str:
    return page.find("main").get_text(" ", strip=True)


def banner(page) -> str:
    found = page.find(id="preferences-notice")
    return found.get_text(" ", strip=True) if found else ""


def errors(page) -> list[str]:
    summary = page.find(class_="govuk-error-summary")
    return [li.get_text(" ", strip=True) for li in summary.find_all("li")] if summary else []


def notes(app_db, case_id: int) -> list[TimelineEvent]:
    return list(
        app_db.scalars(
            select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.id)
        )
    )


def confirmations(app_db, victim_id: int) -> list[OutboxNotification]:
    return list(
        app_db.scalars(
            select(OutboxNotification).where(
                OutboxNotification.victim_id == victim_id,
                OutboxNotification.template_key == "contact_changed",
            )
        )
    )


def audits(app_db, action: str) -> list[AuditEvent]:
    return list(app_db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def latest_contact_code(app_db, destination: str) -> str:
    row = app_db.scalars(
        select(OutboxNotification)
        .where(
            OutboxNotification.recipient == destination,
            OutboxNotification.template_key == "sign_in_code",
        )
        .order_by(OutboxNotification.created_at.desc())
    ).first()
    return row.personalisation["code"]


def detail(app_db, preference_id: int) -> ContactPreference | None:
    app_db.expire_all()
    return app_db.get(ContactPreference, preference_id)


# --- the summary, and who may see it -----------------------------------------------------


def test_the_summary_lists_every_detail_with_change_links_in_both_languages(app, pages, client):
    me = member(app, client=client)
    page = pages.get(me.url("/contact"))
    assert page.title.get_text(strip=True).startswith("Contact preferences")
    text = main_text(page)
    for shown in (EMAIL, "07700 900111", "029 2000 0111", "CF10 1AA", "From 09:00 to 17:00"):
        assert shown in text
    assert "Tell me about every key stage" in text and "Large print" in text
    links = {a["href"] for a in page.find("main").find_all("a")}
    for path in (
        f"/contact/{me.email_id}/change",
        f"/contact/{me.email_id}/safety",
        f"/contact/{me.email_id}/remove",
        "/contact/add/email",
        "/contact/times",
        "/contact/envelope",
        "/contact/language",
        "/contact/access-needs",
        "/updates",
        "/pause",
        "/leave",
    ):
        assert me.url(path) in links, path
    # Every Change link says, to a screen reader, what it changes.
    change = page.find("a", href=me.url(f"/contact/{me.email_id}/change"))
    assert change.get_text(" ", strip=True) == "Change email address"
    welsh = pages.get(me.url("/contact?lang=cy"))
    assert welsh.find("h1").get_text(strip=True) == "Dewisiadau cyswllt"
    assert "Newid" in main_text(welsh)
    # The case page links here.
    home = pages.get("/account")
    assert home.find("a", href=me.url("/contact"))


def test_only_the_sessions_own_cases_and_details(app, pages, client):
    me = member(app, client=client)
    other = member(app, email="someone.else@example.com", mobile="+447700900999", sign_in_with=None)
    pages.get(other.url("/contact"), status=404)
    pages.get(me.url(f"/contact/{other.email_id}/change"), status=404)
    pages.get(me.url(f"/contact/{other.email_id}/safety"), status=404)
    pages.get("/account/cases/not%20a%20reference/contact", status=404)
    pages.get("/account/cases/" + "A" * 30 + "/contact", status=404)
    pages.get(me.url("/contact/add/fax"), status=404)
    pages.get(me.url(f"/contact/{2**40}/remove"), status=404)


def test_not_signed_in_is_sent_to_sign_in(app, client):
    me = member(app)
    response = client.get(me.url("/contact"))
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"


# --- not safe, at once, and never used again -----------------------------------------------


def test_marking_a_detail_not_safe_stops_it_at_once_and_confirms_elsewhere(
    app, pages, client, app_db
):
    me = member(app, client=client, sign_in_with="mobile")
    with app.app_context():
        victim = db.session.get(Victim, me.victim_id)
        waiting = OutboxNotification(
            victim=victim,
            recipient=EMAIL,
            channel=NotificationChannel.EMAIL,
            template_key="new_stage",
            language=Language.ENGLISH,
            personalisation={"url": "x"},
        )
        db.session.add(waiting)
        db.session.commit()
        waiting_id = waiting.id
    other_browser = app.test_client()
    signed_in(other_browser, EMAIL)  # someone signed in with the email address elsewhere

    page = pages.get(me.url(f"/contact/{me.email_id}/safety"))
    assert page.find("h1").get_text(strip=True) == "Stop using this contact detail?"
    page = post(pages, me.url(f"/contact/{me.email_id}/safety"), {"to": "unsafe"})
    assert page.response.request.path == me.url("/contact")
    assert "We will not use that contact detail" in banner(page)
    assert "We have sent a text message to •••• 111 to confirm this change." in banner(page)
    assert not detail(app_db, me.email_id).is_safe
    # What was waiting to go to it is cancelled; the other browser is signed out.
    assert app_db.get(OutboxNotification, waiting_id).status == NotificationStatus.CANCELLED
    assert other_browser.get("/account").headers["Location"] == "/sign-in"
    # The confirmation went to the mobile, which is still safe: never to the email.
    [told] = confirmations(app_db, me.victim_id)
    assert (told.channel, told.recipient) == (NotificationChannel.SMS, MOBILE)
    # The officer reads it on the timeline; the victim does not; the audit names the victim.
    [entry] = [e for e in notes(app_db, me.case_id) if "not safe" in e.summary]
    assert entry.summary == "The victim marked their email address not safe"
    assert not entry.visible_to_victim and entry.recorded_by_id is None
    assert EMAIL not in entry.summary
    [event] = audits(app_db, "contact.marked_unsafe")
    assert (event.actor_type, event.actor_id) == (ActorType.VICTIM, me.victim_id)
    assert EMAIL not in str(event.detail)


def test_a_detail_marked_unsafe_is_never_used_afterwards_including_for_the_confirmation(
    app, pages, client, app_db
):
    """Mark the email address not safe, then change other things and have the officer
    record a stage: the worker sends nothing to it, ever, confirmation included."""
    me = member(app, client=client, sign_in_with="mobile")
    any_time(app, me.victim_id)  # what is sent to the mobile goes now, whatever the hour
    post(pages, me.url(f"/contact/{me.email_id}/safety"), {"to": "unsafe"})
    post(pages, me.url("/contact/language"), {"language": "cy"})
    post(pages, me.url("/updates"), {"updates_wanted": "release_only"})
    post(pages, me.url("/updates"), {"updates_wanted": "every_stage"})
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        officer = db.session.get(type(case.officer), me.officer_id)
        timeline.add_stage(
            db.session,
            case,
            timeline.StageEntry(
                stage=SentenceStage.PAROLE,
                occurred_on=case.timeline[0].occurred_on,
                precision=DatePrecision.DAY,
                summary="Parole.",
                internal_note=None,
                submission_key="8d3b2c4e-0000-4000-8000-000000000001",
            ),
            timeline.Actor(officer=officer),
            "http://127.0.0.1:5000/sign-in",
        )
        db.session.commit()
    rows = list(
        app_db.scalars(
            select(OutboxNotification).where(OutboxNotification.victim_id == me.victim_id)
        )
    )
    assert rows and all(row.recipient != EMAIL for row in rows)
    sent = deliver(app, app_db)
    assert sent and all(outgoing.recipient != EMAIL for outgoing in sent)
    # The confirmations were in the language chosen at the time (Welsh after the change).
    assert {row.template_key for row in rows} == {"contact_changed", "new_stage"}


def test_marking_the_only_safe_detail_not_safe_sends_no_confirmation_anywhere(
    app, pages, client, app_db
):
    me = member(app, client=client, ways=(Channel.EMAIL,))
    page = post(pages, me.url(f"/contact/{me.email_id}/safety"), {"to": "unsafe"})
    # Signed in with it: signed out, and told why; nothing is sent to confirm it.
    assert page.response.request.path == "/sign-in"
    assert "We no longer use the email address or mobile number you signed in with" in main_text(
        page
    )
    assert confirmations(app_db, me.victim_id) == []
    assert all(outgoing.recipient != EMAIL for outgoing in deliver(app, app_db))
    assert client.get("/account").headers["Location"] == "/sign-in"


def test_a_confirmation_waiting_for_a_detail_then_marked_not_safe_is_cancelled(
    app, pages, client, app_db
):
    me = member(app, client=client, ways=(Channel.EMAIL, Channel.SMS, Channel.PHONE))
    post(pages, me.url(f"/contact/{me.mobile_id}/safety"), {"to": "unsafe"})
    page = post(pages, me.url(f"/contact/{me.email_id}/safety"), {"to": "unsafe"})
    # Signed in with the email: signed out, as the page warned.
    assert page.response.request.path == "/sign-in"
    # The first change's confirmation went to the email address, then still safe; marking
    # that not safe cancelled it, and the second change had nowhere safe to be confirmed.
    [told] = confirmations(app_db, me.victim_id)
    assert told.recipient == EMAIL and told.status == NotificationStatus.CANCELLED
    assert all(outgoing.recipient != EMAIL for outgoing in deliver(app, app_db))


def test_marking_safe_again_uses_it_again(app, pages, client, app_db):
    me = member(app, client=client)
    post(pages, me.url(f"/contact/{me.mobile_id}/safety"), {"to": "unsafe"})
    page = pages.get(me.url(f"/contact/{me.mobile_id}/safety"))
    assert page.find("h1").get_text(strip=True) == "Start using this contact detail again?"
    page = post(pages, me.url(f"/contact/{me.mobile_id}/safety"), {"to": "safe"})
    assert "We will use that contact detail again" in banner(page)
    assert detail(app_db, me.mobile_id).is_safe
    # Sending it twice changes nothing more.
    before = len(notes(app_db, me.case_id))
    post(
        pages,
        me.url(f"/contact/{me.mobile_id}/safety"),
        {"to": "safe"},
        page_url=me.url("/contact"),
    )
    assert len(notes(app_db, me.case_id)) == before


def test_the_warning_before_stopping_the_detail_you_signed_in_with(app, pages, client):
    me = member(app, client=client, ways=(Channel.EMAIL, Channel.PHONE))
    page = pages.get(me.url(f"/contact/{me.email_id}/safety"))
    text = main_text(page)
    assert "You signed in with this, and you have no other safe email address" in text
    assert "No other way for us to write to you is safe" in text


# --- a new email address or mobile number, proved first ------------------------------------


def test_a_new_email_address_is_proved_before_it_is_used(app, pages, client, app_db):
    me = member(app, client=client)
    page = post(pages, me.url("/contact/add/email"), {"email": " Bethan.New@Example.com "})
    assert page.response.request.path == me.url("/contact/check")
    assert NEW_EMAIL in main_text(page)
    page = post(pages, me.url("/contact/check"), {})
    assert page.response.request.path == me.url("/contact/security-code")
    assert f"We have sent an email with a code to {NEW_EMAIL}." in main_text(page)
    # Until the code is entered it is on no record: nothing is sent to it but the code,
    # nobody signs in with it.
    assert not app_db.scalar(select(ContactPreference).filter_by(value=NEW_EMAIL))
    [code_row] = app_db.scalars(select(OutboxNotification).filter_by(recipient=NEW_EMAIL)).all()
    assert code_row.victim_id is None and code_row.template_key == "sign_in_code"
    assert app_db.scalar(select(SecurityCode.purpose).order_by(SecurityCode.id.desc())) == (
        CodePurpose.CONTACT
    )
    with app.app_context():
        assert sign_in._safe_details(db.session, NotificationChannel.EMAIL, NEW_EMAIL) == []
    code = latest_contact_code(app_db, NEW_EMAIL)
    page = post(
        pages,
        me.url("/contact/security-code"),
        {"code": "000000" if code != "000000" else "111111"},
    )
    assert errors(page) == [
        "The security code is not right, or it has run out. Check it, or send a new code."
    ]
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert not app_db.scalar(select(ContactPreference).filter_by(value=NEW_EMAIL))
    page = post(pages, me.url("/contact/security-code"), {"code": code})
    assert page.response.request.path == me.url("/contact")
    assert "Contact detail added" in banner(page)
    added = app_db.scalar(select(ContactPreference).filter_by(value=NEW_EMAIL))
    assert added.is_safe and added.verified_at is not None
    assert (added.safe_from, added.safe_until) == (time(9, 0), time(17, 0))
    # Confirmed to the address that was already safe, never to the one just added.
    [told] = confirmations(app_db, me.victim_id)
    assert told.recipient == EMAIL
    [entry] = [e for e in notes(app_db, me.case_id) if "added" in e.summary]
    assert entry.summary == "The victim added an email address and proved it with a security code"
    assert NEW_EMAIL not in entry.summary and not entry.visible_to_victim


def test_a_code_for_another_browser_or_address_does_not_add_it(app, pages, client, app_db):
    me = member(app, client=client)
    post(pages, me.url("/contact/add/sms"), {"mobile": "07700 900222"})
    post(pages, me.url("/contact/check"), {})
    code = latest_contact_code(app_db, NEW_MOBILE)
    # Another browser signed in as the same victim has no such pending detail or code.
    other = app.test_client()
    signed_in(other, EMAIL)
    response = other.get(me.url("/contact/security-code"))
    assert response.status_code == 303 and response.headers["Location"] == me.url("/contact")
    # Five wrong guesses use the code up.
    for _ in range(5):
        post(
            pages,
            me.url("/contact/security-code"),
            {"code": "000000" if code != "000000" else "111111"},
        )
    page = post(pages, me.url("/contact/security-code"), {"code": code})
    assert errors(page)
    assert not app_db.scalar(select(ContactPreference).filter_by(value=NEW_MOBILE))


def test_replacing_the_email_you_signed_in_with_signs_you_out(app, pages, client, app_db):
    me = member(app, client=client)
    post(pages, me.url(f"/contact/{me.email_id}/change"), {"email": NEW_EMAIL})
    page = pages.get(me.url("/contact/check"))
    assert "Replaces" in main_text(page) and EMAIL in main_text(page)
    post(pages, me.url("/contact/check"), {})
    page = post(
        pages, me.url("/contact/security-code"), {"code": latest_contact_code(app_db, NEW_EMAIL)}
    )
    assert page.response.request.path == "/sign-in"
    assert detail(app_db, me.email_id) is None
    new = app_db.scalar(select(ContactPreference).filter_by(value=NEW_EMAIL))
    assert new.verified_at is not None and new.victim_id == me.victim_id
    # The old address is not told; the mobile (safe before and after) is.
    [told] = confirmations(app_db, me.victim_id)
    assert told.recipient == MOBILE
    assert {e.summary for e in notes(app_db, me.case_id)} >= {
        "The victim added an email address and proved it with a security code",
        "The victim removed an email address",
    }
    # They sign in again with the new one.
    signed_in(client, NEW_EMAIL)
    assert pages.get(me.url("/contact")).find("h1")


def test_a_detail_already_given_or_unchanged_is_an_error(app, pages, client):
    me = member(app, client=client)
    page = post(pages, me.url("/contact/add/email"), {"email": EMAIL.upper()})
    assert errors(page) == ["You have already given us this email address"]
    page = post(pages, me.url(f"/contact/{me.email_id}/change"), {"email": EMAIL})
    assert errors(page) == ["Enter a new email address, not the one we have"]
    page = post(pages, me.url("/contact/add/email"), {"email": "not an email"})
    assert errors(page) == ["Enter an email address in the correct format, like name@example.com"]
    page = post(pages, me.url("/contact/add/sms"), {"mobile": "029 2000 0111"})
    assert errors(page) == ["Enter a UK mobile number, like 07700 900 982"]
    page = post(pages, me.url("/contact/add/letter"), {"address_line_1": "1 Road"})
    assert errors(page) == ["Enter town or city", "Enter postcode"]


def test_a_phone_number_or_address_is_checked_then_saved(app, pages, client, app_db):
    me = member(app, client=client, ways=(Channel.EMAIL,))
    post(pages, me.url("/contact/add/phone"), {"phone": "029 2034 5678"})
    page = pages.get(me.url("/contact/check"))
    assert page.find("button", string="Save")
    page = post(pages, me.url("/contact/check"), {})
    assert "Contact detail added" in banner(page)
    phone = app_db.scalar(
        select(ContactPreference).filter_by(victim_id=me.victim_id, channel=Channel.PHONE)
    )
    assert phone.value == "+442920345678" and phone.is_safe
    # The times of the victim's other details, and a voicemail only when they say so.
    assert (phone.safe_from, phone.voicemail_safe) == (time(9, 0), False)
    post(
        pages,
        me.url("/contact/add/letter"),
        {"address_line_1": "2 Ffordd", "town": "Abertawe", "postcode": "sa1 1aa"},
    )
    post(pages, me.url("/contact/check"), {})
    letter = app_db.scalar(
        select(ContactPreference).filter_by(victim_id=me.victim_id, channel=Channel.LETTER)
    )
    assert letter.value == "2 Ffordd\nAbertawe\nSA1 1AA"


def test_removing_a_detail_and_never_the_last(app, pages, client, app_db):
    me = member(app, client=client, ways=(Channel.EMAIL, Channel.PHONE))
    page = post(pages, me.url(f"/contact/{me.phone_id}/remove"), {})
    assert "Contact detail removed" in banner(page)
    assert detail(app_db, me.phone_id) is None
    page = pages.get(me.url(f"/contact/{me.email_id}/remove"))
    assert "You need to keep at least one way for us to contact you" in main_text(page)
    assert not page.find("main").find("form")
    # Forged anyway: refused, nothing removed.
    page = pages.post(
        me.url(f"/contact/{me.email_id}/remove"), data={"csrf_token": csrf(page)}, status=409
    )
    assert detail(app_db, me.email_id) is not None
    # The row for the detail removed earlier is gone: its page is "not found".
    pages.get(me.url(f"/contact/{me.phone_id}/remove"), status=404)


# --- times, envelopes, language, access needs, how much to hear -----------------------------


def test_safe_times_and_voicemail(app, pages, client, app_db):
    me = member(app, client=client)
    page = pages.get(me.url("/contact/times"))
    assert page.find("input", attrs={"name": "voicemail"})
    page = post(
        pages,
        me.url("/contact/times"),
        {"when": "between", "safe_from": "10:00", "safe_until": "12:00", "voicemail": "no"},
    )
    assert "Safe times changed" in banner(page)
    for preference_id in (me.email_id, me.mobile_id, me.phone_id):
        found = detail(app_db, preference_id)
        assert (found.safe_from, found.safe_until) == (time(10, 0), time(12, 0))
    assert not detail(app_db, me.phone_id).voicemail_safe
    summaries = {e.summary for e in notes(app_db, me.case_id)}
    assert "The victim changed when it is safe to call or text them" in summaries
    assert "The victim said a voicemail is not safe" in summaries
    # Forged hours and answers are form errors, and change nothing.
    for forged in (
        {"when": "between", "safe_from": "03:00", "safe_until": "12:00", "voicemail": "no"},
        {"when": "between", "safe_from": "12:00", "safe_until": "10:00", "voicemail": "no"},
        {"when": "sometimes", "voicemail": "no"},
        {"when": "any-time", "voicemail": "maybe"},
    ):
        page = post(pages, me.url("/contact/times"), forged)
        assert errors(page), forged
    assert detail(app_db, me.phone_id).safe_from == time(10, 0)


def test_no_voicemail_question_without_a_phone(app, pages, client, app_db):
    me = member(app, client=client, ways=(Channel.EMAIL, Channel.SMS))
    page = pages.get(me.url("/contact/times"))
    assert not page.find("input", attrs={"name": "voicemail"})
    page = post(pages, me.url("/contact/times"), {"when": "any-time"})
    assert "Safe times changed" in banner(page)
    assert detail(app_db, me.mobile_id).safe_from is None
    only_letters = member(
        app,
        email="x@example.com",
        mobile="+447700900998",
        ways=(Channel.LETTER,),
        sign_in_with=None,
    )
    signed_in(client, EMAIL)
    pages.get(only_letters.url("/contact/times"), status=404)


def test_the_name_not_to_put_on_envelopes(app, pages, client, app_db):
    me = member(app, client=client)
    page = post(pages, me.url("/contact/envelope"), {"envelope_name_to_avoid": "Gareth Jones"})
    assert "Name not to put on envelopes changed" in banner(page)
    assert app_db.get(Victim, me.victim_id).envelope_name_to_avoid == "Gareth Jones"
    [entry] = [e for e in notes(app_db, me.case_id) if "envelopes" in e.summary]
    assert "Gareth" not in entry.summary
    page = post(pages, me.url("/contact/envelope"), {"envelope_name_to_avoid": "1234"})
    assert errors(page) == ["Name must include letters"]


def test_the_language_changes_and_the_confirmation_follows_it(app, pages, client, app_db):
    me = member(app, client=client)
    page = post(pages, me.url("/contact/language"), {"language": "cy"})
    assert "Language changed" in banner(page)
    app_db.expire_all()
    assert app_db.get(Victim, me.victim_id).language == Language.WELSH
    [told] = confirmations(app_db, me.victim_id)
    assert told.language == Language.WELSH
    [sent] = [o for o in deliver(app, app_db) if o.recipient == EMAIL]
    assert sent.rendered.subject == "Mae eich dewisiadau cyswllt wedi newid"
    assert "newid" in sent.rendered.body and "Contact" not in sent.rendered.body
    # One confirmation waiting covers several changes.
    post(pages, me.url("/contact/envelope"), {"envelope_name_to_avoid": "Gareth"})
    post(pages, me.url("/contact/language"), {"language": "en"})
    post(pages, me.url("/contact/envelope"), {"envelope_name_to_avoid": ""})
    assert len(confirmations(app_db, me.victim_id)) == 2  # the first was sent already
    [event] = audits(app_db, "victim.language_changed")[:1]
    assert event.detail["from"] == "en" and event.actor_type == ActorType.VICTIM
    page = post(pages, me.url("/contact/language"), {"language": "fr"})
    assert errors(page) == ["Select the language you want us to write to you in"]


def test_access_needs_with_something_else_in_words(app, pages, client, app_db):
    me = member(app, client=client)
    page = post(
        pages,
        me.url("/contact/access-needs"),
        {"accessibility_needs": ["bsl", "other"], "accessibility_other": "Someone to read it"},
    )
    assert "Access needs changed" in banner(page)
    victim = app_db.get(Victim, me.victim_id)
    assert (victim.accessibility_needs, victim.accessibility_other) == (
        "bsl, other",
        "Someone to read it",
    )
    assert "British Sign Language (BSL)" in main_text(page) and "Someone to read it" in main_text(
        page
    )
    page = pages.get(me.url("/contact/access-needs"))
    ticked = {box["value"] for box in page.find_all("input", checked=True)}
    assert ticked == {"bsl", "other"}
    for forged, message in (
        ({"accessibility_needs": ["other"]}, "Tell us what else would help you"),
        ({"accessibility_needs": ["none", "bsl"]}, None),
        ({"accessibility_needs": ["telepathy"]}, None),
        ({}, None),
    ):
        page = post(pages, me.url("/contact/access-needs"), forged)
        assert errors(page), forged
        if message:
            assert errors(page) == [message]
    post(pages, me.url("/contact/access-needs"), {"accessibility_needs": ["none"]})
    app_db.expire_all()
    victim = app_db.get(Victim, me.victim_id)
    assert (victim.accessibility_needs, victim.accessibility_other) == (None, None)


def test_how_much_to_hear_is_per_case(app, pages, client, app_db):
    me = member(app, client=client)
    with app.app_context():
        victim = db.session.get(Victim, me.victim_id)
        second = CaseFactory(victim=victim, status="active", officer=OfficerFactory())
        db.session.commit()
        second_id = second.id
    page = post(pages, me.url("/updates"), {"updates_wanted": "annual"})
    assert "How much you want to hear changed" in banner(page)
    app_db.expire_all()
    assert app_db.get(Case, me.case_id).updates_wanted == UpdatesWanted.ANNUAL
    assert app_db.get(Case, second_id).updates_wanted == UpdatesWanted.EVERY_STAGE
    assert [e.summary for e in notes(app_db, me.case_id) if "chose" in e.summary] == [
        "The victim chose an update once a year"
    ]
    assert not [e for e in notes(app_db, second_id) if "chose" in e.summary]
    # A change to a contact detail goes on both cases' timelines.
    post(pages, me.url(f"/contact/{me.phone_id}/safety"), {"to": "unsafe"})
    assert [e for e in notes(app_db, second_id) if "phone number" in e.summary]
    page = post(pages, me.url("/updates"), {"updates_wanted": "everything"})
    assert errors(page) == ["Select how much you want to hear"]


# --- forged and repeated posts ----------------------------------------------------------------


def test_forged_posts_are_refused_and_change_nothing(app, pages, client, app_db):
    me = member(app, client=client)
    page = pages.get(me.url("/contact"))
    token = csrf(page)
    # No token: the kind "form expired" page, nothing changed.
    response = client.post(me.url(f"/contact/{me.email_id}/safety"), data={"to": "unsafe"})
    assert response.status_code == 400
    # A state not offered.
    pages.post(
        me.url(f"/contact/{me.email_id}/safety"),
        data={"to": "maybe", "csrf_token": token},
        status=400,
    )
    assert detail(app_db, me.email_id).is_safe
    # A code page and a check page with nothing pending go back to the summary.
    for path in ("/contact/check", "/contact/security-code"):
        response = client.post(me.url(path), data={"csrf_token": token, "code": "123456"})
        assert response.status_code == 303 and response.headers["Location"] == me.url("/contact")
    response = client.post(me.url("/contact/security-code/resend"), data={})
    assert response.status_code == 400
    # A pending detail forged into another case's reference is not this case's.
    with client.session_transaction() as cookie:
        cookie["contact_pending"] = {"case": "VCS-OTHER", "way": "email", "value": "x@y.z"}
    assert client.get(me.url("/contact/check")).headers["Location"] == me.url("/contact")
    with client.session_transaction() as cookie:
        cookie["contact_pending"] = {"case": me.reference, "way": "fax", "value": "1"}
    assert client.get(me.url("/contact/check")).headers["Location"] == me.url("/contact")
    # Nothing was recorded by any of these.
    assert not [e for e in notes(app_db, me.case_id) if e.summary.startswith("The victim")]
    assert confirmations(app_db, me.victim_id) == []


def test_htmx_gets_the_partial_and_the_address(app, client):
    me = member(app, client=client)
    response = client.get(me.url("/contact/language"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Which language do you want us to write to you in?" in html
    assert response.headers["HX-Push-Url"] == me.url("/contact/language")


def test_signing_out_by_htmx_loads_the_sign_in_page_whole(app, pages, client, app_db):
    me = member(app, client=client, ways=(Channel.EMAIL, Channel.SMS))
    token = csrf(pages.get(me.url(f"/contact/{me.email_id}/safety")))
    response = client.post(
        me.url(f"/contact/{me.email_id}/safety"),
        data={"to": "unsafe", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/sign-in"
    sessions = app_db.scalars(select(VictimSession).filter_by(destination=EMAIL)).all()
    assert sessions and all(s.ended_at is not None for s in sessions)


@pytest.mark.parametrize("way", ["email", "sms"])
def test_too_many_codes_for_one_address(app, pages, client, app_db, way):
    me = member(app, client=client)
    value = {"email": ("email", NEW_EMAIL), "sms": ("mobile", "07700 900222")}[way]
    post(pages, me.url(f"/contact/add/{way}"), {value[0]: value[1]})
    for _ in range(5):
        page = post(pages, me.url("/contact/check"), {})
        assert page.response.request.path == me.url("/contact/security-code")
    page = post(pages, me.url("/contact/check"), {}, status=429)
    assert errors(page) == [
        "You have asked for too many codes. Wait an hour before asking again, or contact your "
        "Victim Liaison Officer."
    ]
    assert audits(app_db, "security code refused")
