"""Sending what is due in the outbox, safely with several workers at once.

1. Claim: in a short transaction, pick due rows (PostgreSQL: FOR UPDATE SKIP
   LOCKED, so two workers never pick the same row), mark them "sending" with
   a lease (next_attempt_at = now + lease) and count the attempt. Commit.
2. Send each claimed row outside any transaction. A row claimed again after
   an earlier attempt first asks the provider whether that attempt got
   through (the outbox id is the provider reference), so a crash or a
   timeout never sends twice.
3. Record: sent (and forget the sensitive personalisation), due again after
   a backoff with jitter, or failed after the last attempt.

A worker that dies mid-send leaves its rows "sending"; when the lease runs
out they are due again, so nothing is lost.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal.domain.retries import backoff
from portal.models import NotificationStatus, OutboxNotification, utcnow
from portal.notifications.content import SENSITIVE_FIELDS, render
from portal.notifications.providers import (
    Outgoing,
    PermanentFailure,
    Provider,
    TemporaryFailure,
)

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BATCH_SIZE = 50


@dataclass
class PassResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    claimed: list[str] = field(default_factory=list)


def claim_due(session: Session, now: datetime, limit: int = BATCH_SIZE) -> list[str]:
    """Claim up to `limit` due notifications for this worker, and commit."""
    due = (
        select(OutboxNotification.id)
        .where(
            OutboxNotification.status.in_([NotificationStatus.PENDING, NotificationStatus.SENDING]),
            OutboxNotification.next_attempt_at <= now,
        )
        .order_by(OutboxNotification.next_attempt_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = []
    for notification_id in session.scalars(due).all():
        # Conditional update: on a database without SKIP LOCKED, a row another
        # worker claimed in the meantime no longer matches and is left alone.
        result = session.execute(
            update(OutboxNotification)
            .where(
                OutboxNotification.id == notification_id,
                OutboxNotification.next_attempt_at <= now,
                or_(
                    OutboxNotification.status == NotificationStatus.PENDING,
                    OutboxNotification.status == NotificationStatus.SENDING,
                ),
            )
            .values(
                status=NotificationStatus.SENDING,
                attempts=OutboxNotification.attempts + 1,
                next_attempt_at=now + LEASE,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(notification_id)
    session.commit()
    return claimed


def _outgoing(notification: OutboxNotification) -> Outgoing:
    rendered = render(
        notification.template_key,
        notification.channel.value,
        notification.language.value,
        notification.personalisation,
    )
    name = notification.victim.full_name if notification.victim else ""
    return Outgoing(
        reference=notification.id,
        channel=notification.channel.value,
        recipient=notification.recipient,
        recipient_name=name,
        rendered=rendered,
    )


def _mark_sent(notification: OutboxNotification, provider_id: str, now: datetime) -> None:
    notification.status = NotificationStatus.SENT
    notification.provider_reference = provider_id
    notification.sent_at = now
    notification.last_error = None
    notification.personalisation = {
        key: value
        for key, value in notification.personalisation.items()
        if key not in SENSITIVE_FIELDS
    }


def send_one(session: Session, provider: Provider, notification_id: str, now: datetime) -> str:
    """Send one claimed notification and record the outcome. Returns the new status."""
    notification = session.get(OutboxNotification, notification_id)
    if notification is None or notification.status != NotificationStatus.SENDING:
        session.rollback()
        return "skipped"
    try:
        earlier = notification.attempts > 1 and provider.find_sent(notification.id)
        if earlier:
            log.info("notification_already_sent", extra={"reason": notification.id})
            _mark_sent(notification, earlier, now)
        else:
            session.commit()  # no transaction stays open while the provider works
            notification = session.get(OutboxNotification, notification_id)
            provider_id = provider.send(_outgoing(notification))
            _mark_sent(notification, provider_id, utcnow())
    except TemporaryFailure as failure:
        notification = session.get(OutboxNotification, notification_id)
        notification.last_error = str(failure)[:200]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = NotificationStatus.FAILED
        else:
            notification.status = NotificationStatus.PENDING
            notification.next_attempt_at = now + backoff(notification.attempts)
    except (PermanentFailure, ValueError, KeyError) as failure:
        notification = session.get(OutboxNotification, notification_id)
        notification.last_error = str(failure)[:200]
        notification.status = NotificationStatus.FAILED
    status = notification.status.value
    session.commit()
    log.info("notification_%s", status, extra={"reason": notification_id})
    return status


def send_due(session: Session, provider: Provider, now: datetime | None = None) -> PassResult:
    """One pass: claim what is due and send it (`flask notifications send-due`)."""
    result = PassResult()
    while True:
        moment = now or utcnow()
        claimed = claim_due(session, moment)
        if not claimed:
            return result
        result.claimed += claimed
        for notification_id in claimed:
            status = send_one(session, provider, notification_id, moment)
            if status == NotificationStatus.SENT:
                result.sent += 1
            elif status == NotificationStatus.PENDING:
                result.retrying += 1
            elif status == NotificationStatus.FAILED:
                result.failed += 1
        if now is not None and len(claimed) < BATCH_SIZE:
            return result


def work(session_factory, provider: Provider, stop: threading.Event, poll_seconds=2.0) -> None:
    """Send due notifications until `stop` is set (`flask notifications work`)."""
    while not stop.is_set():
        session = session_factory()
        try:
            send_due(session, provider)
        except Exception:
            log.exception("notification_pass_failed")
            session.rollback()
        finally:
            session.close()
        stop.wait(poll_seconds)


def retry_failed(session: Session, now: datetime | None = None) -> int:
    """Put failed notifications back in the queue (after fixing a key, say)."""
    result = session.execute(
        update(OutboxNotification)
        .where(OutboxNotification.status == NotificationStatus.FAILED)
        .values(status=NotificationStatus.PENDING, attempts=0, next_attempt_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount


def apply_receipt(session: Session, reference: str, provider_status: str) -> bool:
    """A delivery receipt: delivered, or a failure Notify reports after sending."""
    notification = session.get(OutboxNotification, reference)
    if notification is None:
        return False
    if provider_status == "delivered":
        notification.status = NotificationStatus.DELIVERED
    elif provider_status in ("permanent-failure", "temporary-failure", "technical-failure"):
        notification.status = NotificationStatus.FAILED
        notification.last_error = f"notify {provider_status}"
    else:
        return True  # "sending", "created"…: nothing final yet
    session.commit()
    return True
