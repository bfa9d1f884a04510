"""A region with something in every figure and trail, for the pages that show them (the
manager's page, a case's and an officer's audit trail): the i18n guard renders them."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.models import (
    ActorType,
    CaseStatus,
    NotificationStatus,
    TimelineEventKind,
    utcnow,
)
from tests.support.factories import (
    AuditEventFactory,
    CaseFactory,
    OfficerFactory,
    OutboxNotificationFactory,
    RegionFactory,
    StaffSessionFactory,
    TimelineEventFactory,
)


def region_with_history(app) -> dict:
    """A region, a VLO with cases (one overdue), a registration awaiting triage, a first
    contact, a stage told and one not yet, and a case's audit of every kind. Returns the
    ids the pages' addresses need: region_id, region_code, case_id, officer_id."""
    now = utcnow()
    today = now.date()
    with app.app_context():
        region = RegionFactory()
        officer = OfficerFactory(region=region)
        StaffSessionFactory(officer=officer, last_seen_at=now - timedelta(hours=2))
        case = CaseFactory(assigned=True, officer=officer, region=region)
        CaseFactory(
            assigned=True,
            officer=officer,
            region=region,
            clock_started_on=today - timedelta(days=60),
        )
        CaseFactory(
            region=region,
            status=CaseStatus.CLOSED,
            clock_started_on=today - timedelta(days=20),
            first_contact_on=today - timedelta(days=3),
        )
        CaseFactory(region=region, status=CaseStatus.TRIAGE, clock_started_on=today)
        for sent in (now, None):
            notification = OutboxNotificationFactory(
                victim=case.victim,
                status=NotificationStatus.SENT if sent else NotificationStatus.PENDING,
                sent_at=sent,
            )
            TimelineEventFactory(
                case=case,
                kind=TimelineEventKind.STAGE,
                created_at=now - timedelta(hours=1),
                notification_id=notification.id,
            )
        for action, actor, detail in (
            ("possible duplicate flagged", ActorType.SYSTEM, {}),
            ("GET staff.case", ActorType.STAFF, {"status": 200, "allowed": True}),
            ("GET staff.case", ActorType.SYSTEM, {"status": 303, "allowed": False}),
            ("GET staff.case_contact", ActorType.STAFF, {"status": 404, "allowed": True}),
            ("POST staff.triage", ActorType.STAFF, {"status": 303, "allowed": True}),
            ("an.action.with.no.words", ActorType.SYSTEM, {}),
        ):
            AuditEventFactory(
                case_id=case.id,
                action=action,
                actor_type=actor,
                actor_id=officer.id if actor == ActorType.STAFF else None,
                address="192.0.2.1" if actor == ActorType.STAFF else None,
                detail=detail,
            )
        db.session.commit()
        return {
            "region_id": region.id,
            "region_code": region.code,
            "case_id": case.id,
            "officer_id": officer.id,
        }
