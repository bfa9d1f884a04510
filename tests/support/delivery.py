"""Run the real notifications worker over the outbox, and see what it would send."""

from __future__ import annotations

import uuid

from flask import Flask
from sqlalchemy import update

from portal.models import NotificationStatus, OutboxNotification, utcnow
from portal.notifications.worker import LEASE, send_due, send_one


class RecordingProvider:
    """Stands in for Notify: what the real worker decides to send is what is under test."""

    name = "recording"

    def __init__(self) -> None:
        self.sent = []

    def send(self, outgoing):
        self.sent.append(outgoing)
        return outgoing.reference

    def find_sent(self, reference):
        return None


def deliver(app: Flask, session) -> list:
    """Everything due in the outbox, sent by the worker (gates and all); what it sent."""
    provider = RecordingProvider()
    with app.app_context():
        send_due(session, provider, now=utcnow())
    return provider.sent


def delivered_to(app: Flask, session, recipient: str) -> int:
    return sum(1 for outgoing in deliver(app, session) if outgoing.recipient == recipient)


def deliver_one(app: Flask, session, notification_id: str) -> tuple[str, list]:
    """One notification, sent by the worker's `send_one` (its gates, safety check and
    words), leaving the rest of the outbox alone: the browser tests share one live
    database, and other tests' rows are theirs. Claims the row as `claim_due` does (a
    conditional UPDATE of a due, pending row); returns the status and what was sent."""
    provider = RecordingProvider()
    token = uuid.uuid4().hex
    with app.app_context():
        now = utcnow()
        claimed = session.execute(
            update(OutboxNotification)
            .where(
                OutboxNotification.id == notification_id,
                OutboxNotification.status == NotificationStatus.PENDING,
                OutboxNotification.next_attempt_at <= now,
            )
            .values(
                status=NotificationStatus.SENDING,
                attempts=OutboxNotification.attempts + 1,
                next_attempt_at=now + LEASE,
                claim_token=token,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        assert claimed.rowcount == 1, f"notification {notification_id} is not due"
        status = send_one(session, provider, notification_id, token, now)
    return status, provider.sent
