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

Just before sending, each row is checked again against what may have changed since it
was written: the contact detail must still be on file and safe, and the case it tells of
(if any) must not be paused or left by its victim; otherwise it is cancelled, unsent.

A worker that dies mid-send leaves its rows "sending"; when the lease runs
out they are due again, so nothing is lost.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, union_all, update
from sqlalchemy.orm import Session

from portal.domain.contact_times import LONDON, next_safe_moment
from portal.domain.names import addressee
from portal.domain.participation import updates_paused
from portal.domain.retries import backoff
from portal.models import (
    Case,
    CaseStatus,
    ContactPreference,
    Message,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    TimelineEvent,
    VictimRequest,
    VictimRequestStep,
    utcnow,
)
from portal.notifications.content import SEND_AT_ANY_TIME, SENSITIVE_FIELDS, render
from portal.notifications.gates import language_for
from portal.notifications.outbox import CHANNEL_OF, LEFT, NO_LONGER_SAFE, PAUSED
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


#: Statuses after which nothing more is sent.
FINAL = frozenset(
    {
        NotificationStatus.SENT,
        NotificationStatus.DELIVERED,
        NotificationStatus.FAILED,
        NotificationStatus.CANCELLED,
    }
)
#: Notify's final failures, for email, SMS and letters.
FAILED_RECEIPTS = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "validation-failed",
        "virus-scan-failed",
        "cancelled",
    }
)


@dataclass
class PassResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    claimed: list[str] = field(default_factory=list)


def _settle_exhausted(session: Session, now: datetime) -> None:
    """Rows whose last attempt was claimed and never recorded (a worker died
    on it each time) fail instead of being claimed for ever."""
    session.execute(
        update(OutboxNotification)
        .where(
            OutboxNotification.status == NotificationStatus.SENDING,
            OutboxNotification.attempts >= MAX_ATTEMPTS,
            OutboxNotification.next_attempt_at <= now,
        )
        .values(status=NotificationStatus.FAILED, last_error="gave up: no outcome recorded")
        .execution_options(synchronize_session=False)
    )


def claim_due(session: Session, now: datetime, limit: int = BATCH_SIZE) -> list[tuple[str, str]]:
    """Claim up to `limit` due notifications for this worker, and commit.

    Returns (notification id, claim token) pairs: the token proves the claim
    is still this worker's when it sends and when it records the outcome.
    """
    _settle_exhausted(session, now)
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
        token = uuid.uuid4().hex
        # Conditional update: on a database without SKIP LOCKED, a row another
        # worker claimed in the meantime no longer matches and is left alone.
        result = session.execute(
            update(OutboxNotification)
            .where(
                OutboxNotification.id == notification_id,
                OutboxNotification.next_attempt_at <= now,
                OutboxNotification.status.in_(
                    [NotificationStatus.PENDING, NotificationStatus.SENDING]
                ),
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
        if result.rowcount == 1:
            claimed.append((notification_id, token))
    session.commit()
    return claimed


def _still_mine(session: Session, notification_id: str, token: str, now: datetime) -> bool:
    """Renew the lease just before sending; False when another worker has the row."""
    result = session.execute(
        update(OutboxNotification)
        .where(
            OutboxNotification.id == notification_id,
            OutboxNotification.claim_token == token,
            OutboxNotification.status == NotificationStatus.SENDING,
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def _outgoing(notification: OutboxNotification) -> Outgoing:
    rendered = render(
        notification.template_key,
        notification.channel.value,
        notification.language.value,
        notification.personalisation,
    )
    victim = notification.victim
    # A letter's envelope: whoever we write to, never a name they asked us to keep off it.
    name = (
        addressee(victim.full_name, victim.representative_name, victim.envelope_name_to_avoid)
        if victim
        else ""
    )
    return Outgoing(
        reference=notification.id,
        channel=notification.channel.value,
        recipient=notification.recipient,
        recipient_name=name,
        rendered=rendered,
    )


def _forget_sensitive(notification: OutboxNotification) -> None:
    notification.personalisation = {
        key: value
        for key, value in notification.personalisation.items()
        if key not in SENSITIVE_FIELDS
    }


def _finish(notification: OutboxNotification, status: NotificationStatus, error=None) -> None:
    notification.status = status
    notification.claim_token = None
    if error is not None:
        notification.last_error = str(error)[:200]
    if status in FINAL:
        _forget_sensitive(notification)


def _safe_preference(session: Session, notification: OutboxNotification):
    """The victim's contact detail this row goes to, if it is still on file and safe.

    Rows not linked to a victim (sign-in codes to an address being verified)
    have no preference to check and return True.
    """
    if notification.victim_id is None:
        return True
    channel = CHANNEL_OF[notification.channel]
    return session.scalar(
        select(ContactPreference).where(
            ContactPreference.victim_id == notification.victim_id,
            ContactPreference.channel == channel,
            ContactPreference.value == notification.recipient,
            ContactPreference.is_safe.is_(True),
        )
    )


def _case_quiet(session: Session, notification: OutboxNotification, now: datetime) -> str | None:
    """Why nothing may be sent about the case this notification tells of, now: its victim
    paused updates (PAUSED) or left the scheme (LEFT); None when it tells of no case (a
    code, the confirmation of their own change) or the case may be told.

    Pausing and leaving cancel what is still waiting; this catches what a worker had
    already picked up. The case is found by what caused the notification: a timeline
    entry, a step on a request, or an officer's message."""
    caused_by = union_all(
        select(TimelineEvent.case_id).where(TimelineEvent.notification_id == notification.id),
        select(VictimRequest.case_id)
        .join(VictimRequestStep, VictimRequestStep.request_id == VictimRequest.id)
        .where(VictimRequestStep.notification_id == notification.id),
        select(Message.case_id).where(Message.notification_id == notification.id),
    ).subquery()
    today = now.astimezone(LONDON).date()
    for status, paused_until, left_at in session.execute(
        select(Case.status, Case.paused_until, Case.left_at).where(
            Case.id.in_(select(caused_by.c.case_id))
        )
    ):
        if updates_paused(CaseStatus(status), paused_until, today):
            return PAUSED
        if status == CaseStatus.CLOSED and left_at is not None:
            return LEFT
    return None


def send_one(
    session: Session, provider: Provider, notification_id: str, token: str, now: datetime
) -> str:
    """Send one claimed notification and record the outcome. Returns the new status."""
    if not _still_mine(session, notification_id, token, now):
        return "skipped"
    notification = session.get(OutboxNotification, notification_id)
    try:
        if notification.gate is not None:
            language = language_for(
                session, notification.gate, notification.channel, notification.recipient
            )
            if language is None:
                # Nobody in the scheme has this address: forget it entirely.
                notification.recipient = ""
                notification.personalisation = {}
                _finish(notification, NotificationStatus.CANCELLED, "nobody to send to")
                session.commit()
                return NotificationStatus.CANCELLED.value
            notification.language = language
        # The person's choices may have changed since the row was written.
        preference = _safe_preference(session, notification)
        if preference is None:
            _finish(notification, NotificationStatus.CANCELLED, NO_LONGER_SAFE)
            session.commit()
            return NotificationStatus.CANCELLED.value
        # The case it tells of may have been paused or left since the row was written.
        if notification.victim_id is not None and (
            quiet := _case_quiet(session, notification, now)
        ):
            _finish(notification, NotificationStatus.CANCELLED, quiet)
            session.commit()
            return NotificationStatus.CANCELLED.value
        if (
            notification.channel == NotificationChannel.SMS
            and notification.template_key not in SEND_AT_ANY_TIME
            and preference is not True
        ):
            due = next_safe_moment(now, preference.safe_from, preference.safe_until)
            if due > now:
                notification.status = NotificationStatus.PENDING
                notification.claim_token = None
                notification.attempts -= 1  # waiting for safe hours is not a failed try
                notification.next_attempt_at = due
                session.commit()
                return NotificationStatus.PENDING.value
        earlier = notification.attempts > 1 and provider.find_sent(notification.id)
        if earlier:
            log.info("notification_already_sent", extra={"reason": notification.id})
            provider_id = earlier
        else:
            outgoing = _outgoing(notification)
            session.commit()  # no transaction stays open while the provider works
            provider_id = provider.send(outgoing)
    except TemporaryFailure as failure:
        return _record_failure(session, notification_id, token, failure, now, retry=True)
    except (PermanentFailure, ValueError, KeyError) as failure:
        return _record_failure(session, notification_id, token, failure, now, retry=False)
    except Exception as failure:  # an unexpected fault: retry, within the limit
        log.exception("notification_unexpected_error", extra={"reason": notification_id})
        session.rollback()
        return _record_failure(
            session, notification_id, token, type(failure).__name__, now, retry=True
        )
    # Record "sent" only if the claim is still ours and no receipt got here first.
    session.execute(
        update(OutboxNotification)
        .where(
            OutboxNotification.id == notification_id,
            OutboxNotification.claim_token == token,
            OutboxNotification.status == NotificationStatus.SENDING,
        )
        .values(
            status=NotificationStatus.SENT,
            provider_reference=provider_id,
            sent_at=utcnow(),
            last_error=None,
            claim_token=None,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    notification = session.get(OutboxNotification, notification_id)
    session.refresh(notification)
    _forget_sensitive(notification)
    session.commit()
    log.info("notification_sent", extra={"reason": notification_id})
    return NotificationStatus.SENT.value


def _record_failure(session, notification_id, token, failure, now, *, retry: bool) -> str:
    session.rollback()
    notification = session.get(OutboxNotification, notification_id)
    if notification.claim_token != token:
        return "skipped"
    if retry and notification.attempts < MAX_ATTEMPTS:
        notification.status = NotificationStatus.PENDING
        notification.claim_token = None
        notification.last_error = str(failure)[:200]
        notification.next_attempt_at = now + backoff(notification.attempts)
    else:
        _finish(notification, NotificationStatus.FAILED, failure)
    status = notification.status.value
    session.commit()
    log.info("notification_%s", status, extra={"reason": notification_id})
    return status


def send_due(
    session: Session,
    provider: Provider,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> PassResult:
    """One pass: claim what is due and send it (`flask notifications send-due`).

    With `stop`, the pass ends after the notification being sent when stop is
    set; the rest of the claimed batch is due again when its lease runs out.
    """
    result = PassResult()
    while stop is None or not stop.is_set():
        moment = now or utcnow()
        claimed = claim_due(session, moment)
        if not claimed:
            return result
        for notification_id, token in claimed:
            if stop is not None and stop.is_set():
                return result
            result.claimed.append(notification_id)
            status = send_one(session, provider, notification_id, token, now or utcnow())
            if status == NotificationStatus.SENT:
                result.sent += 1
            elif status == NotificationStatus.PENDING:
                result.retrying += 1
            elif status == NotificationStatus.FAILED:
                result.failed += 1
            elif status == NotificationStatus.CANCELLED:
                result.cancelled += 1
        if now is not None and len(claimed) < BATCH_SIZE:
            return result
    return result


def work(session_factory, provider: Provider, stop: threading.Event, poll_seconds=2.0) -> None:
    """Send due notifications until `stop` is set (`flask notifications work`)."""
    while not stop.is_set():
        session = session_factory()
        try:
            send_due(session, provider, stop=stop)
        except Exception:
            log.exception("notification_pass_failed")
            session.rollback()
        finally:
            session.close()
        stop.wait(poll_seconds)


def retry_failed(session: Session, now: datetime | None = None) -> int:
    """Put failed notifications back in the queue (after fixing a key, say).

    Security codes are not resent (they have expired; the person asks again).
    The attempt count restarts at 1, so the first retry still asks the
    provider whether an earlier attempt got through.
    """
    now = now or utcnow()
    failed = (
        OutboxNotification.status == NotificationStatus.FAILED,
        OutboxNotification.template_key.not_in(SEND_AT_ANY_TIME),
    )
    receipt_errors = [f"notify {status}" for status in FAILED_RECEIPTS]
    # The provider told us these were not delivered: send them again, fresh.
    undelivered = session.execute(
        update(OutboxNotification)
        .where(*failed, OutboxNotification.last_error.in_(receipt_errors))
        .values(status=NotificationStatus.PENDING, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    # The rest may have got through on an attempt we never heard back from.
    unknown = session.execute(
        update(OutboxNotification)
        .where(*failed)
        .values(status=NotificationStatus.PENDING, attempts=1, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return undelivered.rowcount + unknown.rowcount


def apply_receipt(session: Session, reference: str, provider_status: str) -> bool:
    """A delivery receipt: delivered, or a failure Notify reports after sending."""
    notification = session.get(OutboxNotification, reference)
    if notification is None:
        return False
    if provider_status in ("delivered", "received"):
        _finish(notification, NotificationStatus.DELIVERED)
    elif provider_status in FAILED_RECEIPTS:
        _finish(notification, NotificationStatus.FAILED, f"notify {provider_status}")
    else:
        return True  # "sending", "created"…: nothing final yet
    session.commit()
    return True
