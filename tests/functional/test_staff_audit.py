"""Every request to a staff page is audited, allowed or refused."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import ActorType, AuditEvent
from tests.support.factories import CaseFactory


def audit_events(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_a_signed_in_officer_viewing_a_case_is_audited(probe_app, probe_client):
    with probe_app.app_context():
        case_id = CaseFactory(assigned=True).id
        db.session.commit()
    with probe_client.session_transaction() as session:
        session["audience"] = "staff"
        session["officer_id"] = 7
    response = probe_client.get(f"/probe-staff/cases/{case_id}")
    assert response.status_code == 200
    (event,) = audit_events(probe_app)
    assert event.actor_type == ActorType.STAFF
    assert event.actor_id == 7
    assert event.case_id == case_id
    assert event.action == "GET probe_staff.staff_case_by_id"
    assert event.request_id == response.headers["X-Request-Id"]
    assert event.detail == {"status": 200, "allowed": True}


def test_a_refused_attempt_is_audited_too(probe_app, probe_client):
    response = probe_client.get("/probe-staff/case")
    assert response.status_code == 403
    (event,) = audit_events(probe_app)
    assert event.actor_type == ActorType.SYSTEM and event.actor_id is None
    assert event.detail == {"status": 403, "allowed": False}


def test_public_pages_are_not_audited(app, client):
    client.get("/")
    assert audit_events(app) == []


def test_a_staff_request_that_matches_no_page_is_audited_too(app, client, app_db):
    """An outside test found that a wrong method (DELETE a case) or a made-up address under
    /staff/ left no audit row: probing the console is audited like any refusal, without the
    address (a name may have been typed into it)."""
    from portal.access import UNMATCHED_STAFF_REQUEST
    from tests.support.staff_state import signed_in_officer

    officer_id = signed_in_officer(client)
    assert client.delete("/staff/cases/2").status_code == 405
    assert client.get("/staff/cases/Hughes").status_code == 404
    events = app_db.scalars(select(AuditEvent).filter_by(action=UNMATCHED_STAFF_REQUEST)).all()
    assert [(e.actor_id, e.detail["method"], e.detail["status"]) for e in events] == [
        (officer_id, "DELETE", 405),
        (officer_id, "GET", 404),
    ]
    assert all(e.detail["allowed"] is False and "Hughes" not in str(e.detail) for e in events)
