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
