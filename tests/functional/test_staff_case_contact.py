"""An officer sees and changes a victim's contact details (staff.case_contact and its forms).

A detail marked not safe, or removed, is never used again, at once: the victim's sessions
signed in with it end (their next request is signed out), what waits in the outbox for it
is cancelled, and nothing is sent to say so. Every change is on the timeline (staff only,
no contact value) and in the audit (ids and kinds only).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Channel,
    ContactPreference,
    NotificationChannel,
    NotificationStatus,
    OfficerRole,
    OutboxNotification,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    VictimSession,
)
from portal.services import sign_in
from tests.support.case_details import EMAIL, MOBILE, case_with_details, signed_in_with_case
from tests.support.delivery import deliver
from tests.support.factories import OutboxNotificationFactory, SecurityCodeFactory
from tests.support.registration_steps import csrf
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database


def url(case, *parts) -> str:
    return "/".join([f"/staff/cases/{case.case_id}/contact", *map(str, parts)])


def post_form(client, pages, page_url: str, data: dict, action: str | None = None):
    """Open the page, then send its form (with its token) and `data`."""
    page = pages.get(page_url)
    return client.post(action or page_url, data={"csrf_token": csrf(page), **data})


def notes(app_db, case_id: int) -> list[TimelineEvent]:
    return app_db.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.id)
    ).all()


def audits(app_db, case_id: int, prefix: str = "contact.") -> list[AuditEvent]:
    return app_db.scalars(
        select(AuditEvent)
        .where(AuditEvent.case_id == case_id, AuditEvent.action.startswith(prefix))
        .order_by(AuditEvent.id)
    ).all()


def banner(page) -> str:
    found = page.find(class_="govuk-notification-banner")
    return found.get_text(" ", strip=True) if found else ""


def error_messages(page) -> list[str]:
    summary = page.find(class_="govuk-error-summary")
    return [li.get_text(" ", strip=True) for li in summary.find_all("li")] if summary else []


@pytest.fixture
def staff(client):
    """A manager signed in, and a case of their region with every kind of detail."""
    _officer, case = signed_in_with_case(client)
    return case


def test_the_page_shows_each_detail_its_safety_and_the_victims_language(pages, staff):
    page = pages.get(url(staff))
    assert page.title.get_text(strip=True).startswith("Contact details")
    bar = page.find(class_="moj-identity-bar")
    assert "Carys Case" in bar.get_text()
    assert staff.reference in bar.get_text()
    assert page.find(id="victim-language").get_text(" ", strip=True) == "Language they chose: Welsh"
    sections = page.find("nav", class_="moj-sub-navigation")
    current = sections.find("a", attrs={"aria-current": "page"})
    assert current.get_text(strip=True) == "Contact details"

    email = page.find(id=f"contact-{staff.email_id}").get_text(" ", strip=True)
    assert EMAIL in email
    assert "Safe" in email and "they can sign in with it" in email
    assert "At any time" in email
    mobile = page.find(id=f"contact-{staff.mobile_id}").get_text(" ", strip=True)
    assert "07700 900111" in mobile and "From 09:00 to 17:00" in mobile
    phone = page.find(id=f"contact-{staff.phone_id}").get_text(" ", strip=True)
    assert "029 2018 0000" in phone and "A voicemail is safe" in phone
    letter = page.find(id=f"contact-{staff.letter_id}").get_text(" ", strip=True)
    assert "Not safe" in letter and "CF10 1AA" in letter and "Mark as safe again" in letter
    assert "Change" not in letter  # a letter has no safe times
    assert "Probation" in page.find("h2", string="Letters").find_next("dl").get_text()


def test_the_victims_language_is_shown_in_the_consoles_own_language(client, pages, staff):
    page = pages.get(url(staff) + "?lang=cy")
    assert (
        page.find(id="victim-language").get_text(" ", strip=True) == "Yr iaith a ddewiswyd: Cymraeg"
    )


def test_marking_unsafe_asks_first_and_a_look_changes_nothing(pages, app_db, staff):
    page = pages.get(url(staff, staff.email_id, "safety"))
    assert page.find("h1").get_text(strip=True) == "Mark this contact detail as not safe?"
    assert page.find(class_="govuk-warning-text")
    assert page.find("button", class_="govuk-button--warning").get_text(strip=True) == (
        "Mark as not safe"
    )
    assert app_db.get(ContactPreference, staff.email_id).is_safe
    assert not notes(app_db, staff.case_id)


def test_marking_a_detail_unsafe_signs_the_victim_out_at_once(app, client, pages, app_db, staff):
    victim = app.test_client()
    signed_in(victim, EMAIL)
    assert victim.get("/account").status_code == 200
    signed_in(app.test_client(), EMAIL)  # a second browser, signed in with it too
    by_text = app.test_client()
    signed_in(by_text, MOBILE)

    response = post_form(client, pages, url(staff, staff.email_id, "safety"), {"to": "unsafe"})
    assert response.status_code == 303
    assert response.headers["Location"] == url(staff)

    sessions = app_db.scalars(select(VictimSession).where(VictimSession.destination == EMAIL)).all()
    assert len(sessions) == 2 and all(s.ended_at is not None for s in sessions)
    next_request = victim.get("/account")
    assert next_request.status_code == 303
    assert next_request.headers["Location"] == "/sign-in"
    assert by_text.get("/account").status_code == 200  # the mobile number is still safe
    assert not sign_in.language_of_signer(app_db, NotificationChannel.EMAIL, EMAIL)

    page = pages.get(url(staff))
    said = banner(page)
    assert "Email address marked not safe" in said
    assert "2 sessions signed in with it have ended" in said
    assert "Nothing was sent to anyone to say so." in said
    assert "Not safe" in page.find(id=f"contact-{staff.email_id}").get_text()
    assert not banner(pages.get(url(staff))), "the notice is shown once"


def test_pending_notifications_to_an_unsafe_detail_are_cancelled_and_never_sent(
    app, client, pages, app_db, staff
):
    with app.app_context():
        email_row = OutboxNotificationFactory(
            victim=db.session.get(Victim, staff.victim_id),
            recipient=EMAIL,
            template_key="new_stage",
            safe_contact=False,
        )
        code = OutboxNotificationFactory(
            victim=None,
            recipient=EMAIL,
            template_key="sign_in_code",
            gate="sign-in",
            personalisation={"code": "123456", "minutes": 10},
            safe_contact=False,
        )
        SecurityCodeFactory(to=EMAIL)
        db.session.commit()
        code_id, email_row_id = code.id, email_row.id
    before = app_db.scalar(select(func.count()).select_from(OutboxNotification))
    waiting = app_db.scalars(
        select(OutboxNotification).where(
            OutboxNotification.victim_id == staff.victim_id,
            OutboxNotification.status == NotificationStatus.PENDING,
        )
    ).all()
    assert sorted(row.recipient for row in waiting) == sorted([EMAIL, MOBILE])

    post_form(client, pages, url(staff, staff.email_id, "safety"), {"to": "unsafe"})

    app_db.expire_all()
    for row_id in (email_row_id, code_id):
        row = app_db.get(OutboxNotification, row_id)
        assert row.status == NotificationStatus.CANCELLED
        assert row.last_error == "contact detail no longer safe"
        assert row.personalisation == {}
    still_waiting = app_db.get(OutboxNotification, waiting[0].id)
    assert still_waiting.status == NotificationStatus.PENDING  # the mobile number's
    # Nothing was added to tell anyone, and the worker sends nothing to the address.
    assert app_db.scalar(select(func.count()).select_from(OutboxNotification)) == before
    assert all(outgoing.recipient != EMAIL for outgoing in deliver(app, app_db))
    assert "2 notifications waiting to go to it were cancelled." in banner(pages.get(url(staff)))


def test_the_change_is_recorded_without_the_detail_itself(client, pages, app_db, staff):
    post_form(client, pages, url(staff, staff.email_id, "safety"), {"to": "unsafe"})
    [note] = notes(app_db, staff.case_id)
    assert note.kind == TimelineEventKind.NOTE
    assert not note.visible_to_victim
    assert note.summary == "Cyfeiriad e-bost wedi’i nodi’n anniogel"  # the victim's language
    assert note.language == "cy"
    [event] = audits(app_db, staff.case_id)
    assert event.action == "contact.marked_unsafe"
    assert event.detail == {
        "preference": staff.email_id,
        "channel": "email",
        "sessions_ended": 0,
        "notifications_cancelled": 0,
    }
    assert EMAIL not in str(event.detail) and EMAIL not in note.summary

    # Sending the form again (two tabs, a double click) changes nothing more.
    post_form(client, pages, url(staff, staff.email_id, "safety"), {"to": "unsafe"})
    assert len(notes(app_db, staff.case_id)) == 1
    assert len(audits(app_db, staff.case_id)) == 1


def test_marking_safe_again_asks_first_and_keeps_whether_it_was_confirmed(
    client, pages, app_db, staff
):
    post_form(client, pages, url(staff, staff.email_id, "safety"), {"to": "unsafe"})
    page = pages.get(url(staff, staff.email_id, "safety"))
    assert page.find("h1").get_text(strip=True) == "Mark this contact detail as safe again?"
    response = client.post(
        url(staff, staff.email_id, "safety"), data={"csrf_token": csrf(page), "to": "safe"}
    )
    assert response.status_code == 303
    detail = app_db.get(ContactPreference, staff.email_id)
    app_db.refresh(detail)
    assert detail.is_safe and detail.verified_at is not None
    assert [e.action for e in audits(app_db, staff.case_id)] == [
        "contact.marked_unsafe",
        "contact.marked_safe",
    ]
    assert "Email address marked safe again" in banner(pages.get(url(staff)))


def test_removing_a_detail_asks_first_then_ends_its_sessions(app, client, pages, app_db, staff):
    victim = app.test_client()
    signed_in(victim, MOBILE)
    page = pages.get(url(staff, staff.mobile_id, "remove"))
    assert page.find("h1").get_text(strip=True) == "Remove this contact detail?"
    assert app_db.get(ContactPreference, staff.mobile_id) is not None

    response = client.post(url(staff, staff.mobile_id, "remove"), data={"csrf_token": csrf(page)})
    assert response.status_code == 303
    app_db.expire_all()
    assert app_db.get(ContactPreference, staff.mobile_id) is None
    assert victim.get("/account").headers["Location"] == "/sign-in"
    pending = app_db.scalars(
        select(OutboxNotification).where(OutboxNotification.recipient == MOBILE)
    ).all()
    assert NotificationStatus.PENDING not in {row.status for row in pending}
    [event] = audits(app_db, staff.case_id)
    assert event.action == "contact.removed"
    assert event.detail["sessions_ended"] == 1 and event.detail["notifications_cancelled"] == 1
    assert notes(app_db, staff.case_id)[0].summary == (
        "Rhif ffôn symudol ar gyfer negeseuon testun wedi’i dynnu"
    )
    assert not pages.get(url(staff)).find(id=f"contact-{staff.mobile_id}")


def test_changing_safe_times_and_voicemail(client, pages, app_db, staff):
    page = pages.get(url(staff, staff.phone_id, "change"))
    assert page.find("input", attrs={"name": "when", "value": "any-time", "checked": True})
    assert page.find("input", attrs={"name": "voicemail", "value": "yes", "checked": True})
    assert not page.find("input", attrs={"name": "confirmed"})  # a phone does not sign in
    response = client.post(
        url(staff, staff.phone_id, "change"),
        data={
            "csrf_token": csrf(page),
            "when": "between",
            "safe_from": "10:00",
            "safe_until": "16:00",
            "voicemail": "no",
        },
    )
    assert response.status_code == 303
    detail = app_db.get(ContactPreference, staff.phone_id)
    app_db.refresh(detail)
    assert (detail.safe_from.hour, detail.safe_until.hour) == (10, 16)
    assert not detail.voicemail_safe
    assert [e.action for e in audits(app_db, staff.case_id)] == [
        "contact.times_changed",
        "contact.voicemail_unsafe",
    ]
    said = banner(pages.get(url(staff)))
    assert "Safe times for the phone number for calls changed" in said
    assert "Voicemail on the phone number for calls marked not safe" in said


def test_saving_with_nothing_changed_records_nothing(client, pages, app_db, staff):
    page = pages.get(url(staff, staff.mobile_id, "change"))
    assert page.find("option", attrs={"value": "09:00", "selected": True})
    response = client.post(
        url(staff, staff.mobile_id, "change"),
        data={
            "csrf_token": csrf(page),
            "when": "between",
            "safe_from": "09:00",
            "safe_until": "17:00",
        },
    )
    assert response.status_code == 303
    assert not audits(app_db, staff.case_id) and not notes(app_db, staff.case_id)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select when it is safe to contact the victim"),
        ({"when": "sometimes"}, "Select when it is safe to contact the victim"),
        (
            {"when": "between", "safe_from": "", "safe_until": "17:00"},
            "Select the earliest safe time",
        ),
        (
            {"when": "between", "safe_from": "09:00", "safe_until": "03:00"},
            "Select the latest safe time",
        ),
        (
            {"when": "between", "safe_from": "15:00", "safe_until": "09:00"},
            "The latest safe time must be after the earliest",
        ),
    ],
)
def test_safe_times_are_checked(client, pages, app_db, staff, data, message):
    page = pages.get(url(staff, staff.mobile_id, "change"))
    response = client.post(
        url(staff, staff.mobile_id, "change"), data={"csrf_token": csrf(page), **data}
    )
    answer = pages.check(response, 200)
    assert answer.title.get_text(strip=True).startswith("Error: ")
    assert message in error_messages(answer)
    assert not audits(app_db, staff.case_id)


def test_confirming_an_email_address_with_the_victim_lets_them_sign_in(app, app_db, client, pages):
    _officer, case = signed_in_with_case(client)
    with app.app_context():
        db.session.get(ContactPreference, case.email_id).verified_at = None
        db.session.commit()
    assert not sign_in.language_of_signer(app_db, NotificationChannel.EMAIL, EMAIL)
    page = pages.get(url(case))
    assert "Not confirmed with the victim" in page.find(id=f"contact-{case.email_id}").get_text()
    page = pages.get(url(case, case.email_id, "change"))
    response = client.post(
        url(case, case.email_id, "change"),
        data={"csrf_token": csrf(page), "when": "any-time", "confirmed": "yes"},
    )
    assert response.status_code == 303
    assert sign_in.language_of_signer(app_db, NotificationChannel.EMAIL, EMAIL) == "cy"
    assert [e.action for e in audits(app_db, case.case_id)] == ["contact.confirmed"]
    # Once confirmed, the question is not asked again.
    assert not pages.get(url(case, case.email_id, "change")).find(
        "input", attrs={"name": "confirmed"}
    )


def test_a_letter_has_nothing_to_change(pages, staff):
    pages.get(url(staff, staff.letter_id, "change"), status=404)


@pytest.mark.parametrize(
    ("data", "channel", "stored"),
    [
        (
            {"way": "email", "email": " New.Person@Example.COM "},
            Channel.EMAIL,
            "new.person@example.com",
        ),
        ({"way": "sms", "mobile": "07700 900 222"}, Channel.SMS, "+447700900222"),
        ({"way": "phone", "phone": "029 2018 0001"}, Channel.PHONE, "+442920180001"),
        (
            {
                "way": "letter",
                "address_line_1": "2 Heol y Prawf",
                "town": "Abertawe",
                "postcode": "sa1 1aa",
            },
            Channel.LETTER,
            "2 Heol y Prawf\nAbertawe\nSA1 1AA",
        ),
    ],
)
def test_adding_a_detail(client, pages, app_db, staff, data, channel, stored):
    response = post_form(
        client, pages, url(staff, "add"), {**data, "safe": "yes", "confirmed": "no"}
    )
    assert response.status_code == 303
    detail = app_db.scalars(
        select(ContactPreference).where(
            ContactPreference.victim_id == staff.victim_id, ContactPreference.value == stored
        )
    ).one()
    assert detail.channel == channel and detail.is_safe
    assert detail.verified_at is None, "not confirmed: it signs nobody in"
    [event] = audits(app_db, staff.case_id)
    assert event.action == "contact.added"
    assert event.detail == {"preference": detail.id, "channel": channel.value, "confirmed": False}
    assert stored.splitlines()[0] not in str(event.detail)


def test_a_detail_confirmed_with_the_victim_signs_them_in(client, pages, app_db, staff):
    post_form(
        client,
        pages,
        url(staff, "add"),
        {"way": "email", "email": "second@example.com", "safe": "yes", "confirmed": "yes"},
    )
    assert sign_in.language_of_signer(app_db, NotificationChannel.EMAIL, "second@example.com")


def test_a_detail_added_as_not_safe_is_never_used(app, client, pages, app_db, staff):
    post_form(
        client,
        pages,
        url(staff, "add"),
        {"way": "email", "email": "not.safe@example.com", "safe": "no", "confirmed": "yes"},
    )
    assert not sign_in.language_of_signer(app_db, NotificationChannel.EMAIL, "not.safe@example.com")
    assert all(o.recipient != "not.safe@example.com" for o in deliver(app, app_db))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select the kind of contact detail to add"),
        ({"way": "fax"}, "Select the kind of contact detail to add"),
        ({"way": "email", "email": ""}, "Enter the email address"),
        (
            {"way": "email", "email": "not an email"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"way": "sms", "mobile": "029 2018 0000"}, "Enter a UK mobile number, like 07700 900 982"),
        (
            {"way": "phone", "phone": "12345"},
            "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
        ),
        (
            {"way": "letter", "address_line_1": "1 Road", "town": "Town", "postcode": "XX"},
            "Enter a real postcode, like CF10 1AA",
        ),
        (
            {"way": "letter", "town": "Town", "postcode": "CF10 1AA"},
            "Enter address line 1, typically the building and street",
        ),
        ({"way": "email", "email": EMAIL}, "The victim’s record already has this contact detail"),
        (
            {"way": "email", "email": "a@example.com", "safe": "maybe"},
            "Select whether it is safe for us to use",
        ),
        (
            {"way": "email", "email": "a@example.com", "confirmed": "perhaps"},
            "Select whether you confirmed it with the victim",
        ),
    ],
)
def test_what_an_officer_adds_is_checked(client, pages, app_db, staff, data, message):
    answers = {"safe": "yes", "confirmed": "no", **data}
    response = post_form(client, pages, url(staff, "add"), answers)
    page = pages.check(response, 200)
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert message in error_messages(page)
    assert not audits(app_db, staff.case_id)


def test_the_error_page_is_in_welsh_too(client, pages, staff):
    page = pages.get(url(staff, "add") + "?lang=cy")
    response = client.post(url(staff, "add"), data={"csrf_token": csrf(page)})
    answer = pages.check(response, 200)
    assert answer.title.get_text(strip=True).startswith("Gwall: ")
    assert "Dewiswch y math o fanylyn cyswllt i’w ychwanegu" in error_messages(answer)


def test_another_victims_detail_is_not_found(app, client, pages, staff):
    other = case_with_details(app, staff.region_id)
    for action in ("safety", "remove", "change"):
        pages.get(url(staff, other.email_id, action), status=404)
    page = pages.get(url(staff, staff.email_id, "safety"))
    response = client.post(
        url(staff, other.email_id, "safety"), data={"csrf_token": csrf(page), "to": "unsafe"}
    )
    assert response.status_code == 404


def test_a_forged_post_changes_nothing(client, pages, app_db, staff):
    assert (
        client.post(url(staff, staff.email_id, "safety"), data={"to": "unsafe"}).status_code == 400
    )
    assert client.post(url(staff, staff.email_id, "remove"), data={}).status_code == 400
    page = pages.get(url(staff, staff.email_id, "safety"))
    response = client.post(
        url(staff, staff.email_id, "safety"), data={"csrf_token": csrf(page), "to": "gone"}
    )
    assert response.status_code == 400
    app_db.expire_all()
    detail = app_db.get(ContactPreference, staff.email_id)
    assert detail.is_safe
    assert not audits(app_db, staff.case_id)


def test_a_vlo_of_the_region_may_change_contact_details(client, pages, app_db):
    _officer, case = signed_in_with_case(client, OfficerRole.VLO)
    response = post_form(client, pages, url(case, case.email_id, "safety"), {"to": "unsafe"})
    assert response.status_code == 303


def test_htmx_gets_the_page_alone_and_the_url_follows(client, pages, staff):
    response = client.get(url(staff), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"] == url(staff)
    assert re.search(r"<title>Contact details", html)
    assert (
        'hx-post="' + url(staff, staff.email_id, "safety") + '"'
        in pages.get(url(staff, staff.email_id, "safety")).decode()
    )


def test_a_plain_look_writes_nothing_but_the_audit(app, client, app_db, staff):
    counted = {}
    for model in (ContactPreference, TimelineEvent, OutboxNotification, VictimSession):
        counted[model] = app_db.scalar(select(func.count()).select_from(model))
    for page_url in (
        url(staff),
        url(staff, "add"),
        url(staff, staff.email_id, "safety"),
        url(staff, staff.email_id, "remove"),
        url(staff, staff.phone_id, "change"),
    ):
        assert client.get(page_url).status_code == 200
    for model, count in counted.items():
        assert app_db.scalar(select(func.count()).select_from(model)) == count
    assert not audits(app_db, staff.case_id)


def test_only_what_waits_for_this_victims_detail_is_cancelled(app, client, pages, app_db, staff):
    """Another record holding the same address keeps its own notifications (the worker
    checks that record's own detail), and a row a worker is already sending is left to
    the worker, which checks the detail again just before it sends."""
    with app.app_context():
        someone_else = OutboxNotificationFactory(recipient=EMAIL, template_key="new_stage")
        being_sent = OutboxNotificationFactory(
            victim=db.session.get(Victim, staff.victim_id),
            recipient=EMAIL,
            status=NotificationStatus.SENDING,
            safe_contact=False,
        )
        db.session.commit()
        ids = someone_else.id, being_sent.id
    post_form(client, pages, url(staff, staff.email_id, "safety"), {"to": "unsafe"})
    app_db.expire_all()
    assert app_db.get(OutboxNotification, ids[0]).status == NotificationStatus.PENDING
    assert app_db.get(OutboxNotification, ids[1]).status == NotificationStatus.SENDING


@pytest.mark.parametrize(
    "path",
    [
        "/staff/cases/99999999999/contact",
        "/staff/cases/{case}/contact/99999999999/safety",
        "/staff/cases/2147483648/notifications",
        "/staff/cases/{case}/reassign?x=1",
    ],
)
def test_a_number_too_large_to_be_an_id_is_not_found(client, pages, staff, path):
    """Never a database error (PostgreSQL's integer ends at 2147483647)."""
    status = 200 if path.endswith("?x=1") else 404
    pages.get(path.format(case=staff.case_id), status=status)
