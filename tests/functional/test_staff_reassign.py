"""A manager gives a case to another officer of its region with a handover note
(staff.case_reassign): the note is for staff only, the victim may be told who their new
officer is, in their language, content-free through the outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Language,
    NotificationStatus,
    OfficerRole,
    OutboxNotification,
    TimelineEvent,
    TimelineEventKind,
)
from portal.notifications.content import render
from tests.support.case_details import EMAIL, case_with_details, signed_in_with_case
from tests.support.factories import OfficerFactory, RegionFactory
from tests.support.registration_steps import csrf
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

NOTE = (
    "Carys prefers calls after 10:00.\r\nShe has asked about the parole review twice; "
    "she knows the hearing is in March."
)


def page_url(case) -> str:
    return f"/staff/cases/{case.case_id}/reassign"


def error_messages(page) -> list[str]:
    summary = page.find(class_="govuk-error-summary")
    return [li.get_text(" ", strip=True) for li in summary.find_all("li")] if summary else []


def reassign(client, pages, case, **data):
    page = pages.get(page_url(case))
    return client.post(page_url(case), data={"csrf_token": csrf(page), **data})


def new_entries(app_db, case_id: int) -> list[TimelineEvent]:
    return app_db.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.id)
    ).all()


def reassigned_events(app_db, case_id: int) -> list[AuditEvent]:
    return app_db.scalars(
        select(AuditEvent).where(
            AuditEvent.case_id == case_id, AuditEvent.action == "case.reassigned"
        )
    ).all()


@pytest.fixture
def staff(client):
    _manager, case = signed_in_with_case(client)
    return case


def test_the_officers_to_choose_from(pages, staff):
    page = pages.get(page_url(staff))
    assert page.title.get_text(strip=True).startswith("Reassign the case")
    assert "Officer Of The Case" in page.find(id="current-officer").get_text()
    labels = [
        label.get_text(" ", strip=True)
        for label in page.find_all("label", class_="govuk-radios__label")
    ]
    names = [label for label in labels]
    assert "Another Officer" in names and "Welsh Speaking Officer" in names
    assert "Officer Of The Case" not in names  # the case is theirs already
    assert "Inactive Officer" not in names
    hints = {
        hint["id"]: hint.get_text(strip=True) for hint in page.find_all(class_="govuk-radios__hint")
    }
    assert "0 open cases. Speaks Welsh." in hints.values()
    assert "The victim chose Welsh: officers who speak Welsh are marked." in page.get_text()
    assert page.find("input", attrs={"name": "tell_victim", "checked": True})


def test_welsh_speakers_are_marked_only_for_a_victim_who_chose_welsh(client, pages):
    _manager, case = signed_in_with_case(client, language=Language.ENGLISH)
    page = pages.get(page_url(case))
    assert "Speaks Welsh" not in page.get_text()


def test_only_officers_of_the_region_are_offered(app, pages, staff):
    with app.app_context():
        OfficerFactory(region=RegionFactory(), full_name="Officer Elsewhere")
        db.session.commit()
    assert "Officer Elsewhere" not in pages.get(page_url(staff)).get_text()


def test_reassigning_with_a_handover_note(app, client, pages, app_db, staff):
    response = reassign(
        client, pages, staff, officer=str(staff.welsh_officer_id), note=NOTE, tell_victim="y"
    )
    assert response.status_code == 303
    assert response.headers["Location"] == page_url(staff)

    assert app_db.get(Case, staff.case_id).officer_id == staff.welsh_officer_id
    handover, told = new_entries(app_db, staff.case_id)
    assert handover.kind == TimelineEventKind.HANDOVER
    assert not handover.visible_to_victim
    assert handover.internal_note == NOTE.replace("\r\n", "\n")
    assert handover.summary == (
        "Achos wedi’i drosglwyddo gan Officer Of The Case i Welsh Speaking Officer"
    )
    assert told.kind == TimelineEventKind.NOTE and told.visible_to_victim
    assert told.language == Language.WELSH
    assert told.summary.startswith(
        "Eich Swyddog Cyswllt Dioddefwyr nawr yw Welsh Speaking Officer."
    )
    assert NOTE[:20] not in told.summary

    notification = app_db.get(OutboxNotification, told.notification_id)
    assert notification.template_key == "new_officer"
    assert notification.recipient == EMAIL  # the first safe channel
    assert notification.language == Language.WELSH
    assert notification.status == NotificationStatus.PENDING
    with app.test_request_context():
        words = render("new_officer", "email", "cy", notification.personalisation)
    assert words.subject == "Mae gennych ddiweddariad"
    assert "Welsh Speaking Officer" not in words.body and "Carys" not in words.body

    [event] = reassigned_events(app_db, staff.case_id)
    assert event.actor_id is not None
    assert event.detail == {
        "from_officer": staff.officer_id,
        "to_officer": staff.welsh_officer_id,
        "handover_event": handover.id,
        "victim_event": told.id,
        "notification": notification.id,
    }

    page = pages.get(page_url(staff))
    banner = " ".join(page.find(class_="govuk-notification-banner").get_text().split())
    assert "The case is now with Welsh Speaking Officer." in banner
    assert "Welsh Speaking Officer" in page.find(id="current-officer").get_text()


def test_the_victim_reads_who_their_new_officer_is_and_never_the_note(app, client, pages, staff):
    reassign(client, pages, staff, officer=str(staff.other_officer_id), note=NOTE, tell_victim="y")
    victim = app.test_client()
    signed_in(victim, EMAIL)
    html = victim.get("/account").get_data(as_text=True)
    assert "Eich Swyddog Cyswllt Dioddefwyr nawr yw Another Officer." in html
    assert "parole review twice" not in html
    assert "Achos wedi’i drosglwyddo" not in html


def test_without_telling_the_victim(client, pages, app_db, staff):
    response = reassign(client, pages, staff, officer=str(staff.other_officer_id), note=NOTE)
    assert response.status_code == 303
    [handover] = new_entries(app_db, staff.case_id)
    assert handover.kind == TimelineEventKind.HANDOVER
    assert not app_db.scalars(
        select(OutboxNotification).where(OutboxNotification.template_key == "new_officer")
    ).all()
    assert reassigned_events(app_db, staff.case_id)[0].detail["notification"] is None


def test_a_paused_case_is_told_on_its_page_but_sent_nothing(client, pages, app_db):
    _manager, case = signed_in_with_case(client, status=CaseStatus.PAUSED)
    page = pages.get(page_url(case))
    assert "The case is paused" in page.get_text()
    reassign(client, pages, case, officer=str(case.other_officer_id), note=NOTE, tell_victim="y")
    _handover, told = new_entries(app_db, case.case_id)
    assert told.visible_to_victim and told.notification_id is None
    assert not app_db.scalars(
        select(OutboxNotification).where(OutboxNotification.template_key == "new_officer")
    ).all()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": NOTE}, "Select the officer who should have the case"),
        ({"officer": "other", "note": " "}, "Write a handover note for the new officer"),
        (
            {"officer": "other", "note": "x" * 5001},
            "The handover note must be 5000 characters or fewer",
        ),
        (
            {"officer": "same", "note": NOTE},
            "The case is already with this officer. Select another officer",
        ),
        (
            {"officer": "inactive", "note": NOTE},
            "This officer’s account is no longer active. Select another officer",
        ),
        ({"officer": "elsewhere", "note": NOTE}, "Select an officer of the case’s region"),
        ({"officer": "999999", "note": NOTE}, "Select one of the officers listed"),
        ({"officer": "99999999999", "note": NOTE}, "Select one of the officers listed"),
        ({"officer": "²", "note": NOTE}, "Select one of the officers listed"),
        ({"officer": "nonsense", "note": NOTE}, "Select one of the officers listed"),
    ],
)
def test_what_cannot_be_done_is_a_form_error(app, client, pages, app_db, staff, data, message):
    with app.app_context():
        elsewhere = OfficerFactory(region=RegionFactory())
        db.session.commit()
        elsewhere_id = elsewhere.id
    ids = {
        "other": staff.other_officer_id,
        "same": staff.officer_id,
        "inactive": staff.inactive_officer_id,
        "elsewhere": elsewhere_id,
    }
    if "officer" in data:
        data = {**data, "officer": str(ids.get(data["officer"], data["officer"]))}
    response = reassign(client, pages, staff, **data)
    page = pages.check(response, 200)
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert message in error_messages(page)
    assert app_db.get(Case, staff.case_id).officer_id == staff.officer_id
    assert not new_entries(app_db, staff.case_id)
    assert not reassigned_events(app_db, staff.case_id)


def test_a_control_character_in_the_note_is_refused(client, pages, app_db, staff):
    """The portal refuses control characters in any form (portal/request_checks.py)."""
    response = reassign(
        client, pages, staff, officer=str(staff.other_officer_id), note="Bad \x07 bell"
    )
    assert response.status_code == 400
    assert app_db.get(Case, staff.case_id).officer_id == staff.officer_id


def test_the_service_refuses_what_the_form_would_not_offer(app, app_db, staff):
    """Behind the form: the same officer, another region's, an inactive one."""
    from portal.services import case_officers
    from portal.services.staff_changes import StaffActor

    with app.app_context():
        elsewhere = OfficerFactory(region=RegionFactory())
        db.session.flush()
        case = db.session.get(Case, staff.case_id)
        for officer_id, reason in (
            (staff.officer_id, "same-officer"),
            (elsewhere.id, "other-region"),
            (staff.inactive_officer_id, "inactive"),
            (999999, "not-an-officer"),
        ):
            with pytest.raises(case_officers.ReassignRefused) as refused:
                case_officers.reassign(
                    db.session,
                    case,
                    officer_id,
                    NOTE,
                    StaffActor(officer_id=staff.officer_id),
                    tell_victim=True,
                    sign_in_url="https://portal.example/sign-in",
                )
            assert refused.value.reason == reason
        assert case.officer_id == staff.officer_id
        db.session.rollback()


def test_a_case_not_yet_accepted_cannot_be_reassigned(client, pages, app_db):
    _manager, case = signed_in_with_case(client, status=CaseStatus.TRIAGE)
    page = pages.get(page_url(case))
    assert "Only a case that has been accepted, and is still open, can be reassigned." in (
        page.get_text()
    )
    assert not page.find("form", attrs={"action": page_url(case)})
    response = client.post(
        page_url(case),
        data={"csrf_token": csrf(page), "officer": str(case.other_officer_id), "note": NOTE},
    )
    assert response.status_code == 200
    assert app_db.get(Case, case.case_id).officer_id == case.officer_id


def test_a_vlo_may_not_reassign(client, pages, app_db):
    _vlo, case = signed_in_with_case(client, OfficerRole.VLO)
    assert client.get(page_url(case)).status_code == 403
    token = csrf(pages.get(f"/staff/cases/{case.case_id}/contact"))
    response = client.post(
        page_url(case),
        data={"csrf_token": token, "officer": str(case.other_officer_id), "note": NOTE},
    )
    assert response.status_code == 403
    assert app_db.get(Case, case.case_id).officer_id == case.officer_id


def test_another_regions_manager_finds_nothing(app, client):
    case = case_with_details(app)
    signed_in_officer(client, role=OfficerRole.MANAGER)
    assert client.get(page_url(case)).status_code == 404


def test_an_admin_may_reassign_in_any_region(app, client, pages, app_db):
    case = case_with_details(app)
    signed_in_officer(client, role=OfficerRole.ADMIN)
    response = reassign(client, pages, case, officer=str(case.other_officer_id), note=NOTE)
    assert response.status_code == 303
    assert app_db.get(Case, case.case_id).officer_id == case.other_officer_id


def test_the_page_in_welsh(pages, staff):
    page = pages.get(page_url(staff) + "?lang=cy")
    assert page.find("h1").get_text(strip=True) == "Ailbennu’r achos"
    assert "0 achos agored. Yn siarad Cymraeg." in page.get_text()
