"""Writing notifications to the outbox, in the caller's own transaction.

`enqueue` only adds a row to the session: it commits nothing. The caller's
commit saves the change and its notification together, or neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.orm import Session

from portal.domain.contact_times import next_safe_moment
from portal.models import (
    Channel,
    ContactPreference,
    Language,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    Victim,
    utcnow,
)
from portal.notifications.content import KINDS, SEND_AT_ANY_TIME

#: How each contact channel is notified (a phone call is not a notification).
NOTIFIABLE = {
    Channel.EMAIL: NotificationChannel.EMAIL,
    Channel.SMS: NotificationChannel.SMS,
    Channel.LETTER: NotificationChannel.LETTER,
}
#: The contact channel a notification goes through.
CHANNEL_OF = {notified: channel for channel, notified in NOTIFIABLE.items()}


def enqueue(
    session: Session,
    *,
    recipient: str,
    channel: NotificationChannel,
    kind: str,
    language: Language | str,
    personalisation: Mapping[str, Any],
    victim: Victim | None = None,
    safe_from=None,
    safe_until=None,
    gate: str | None = None,
    now: datetime | None = None,
) -> OutboxNotification:
    """Add one notification to the outbox; quiet hours hold back SMS.

    With `gate`, the worker decides at sending time whether anyone may receive
    it and in which language (portal.notifications.gates).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    now = now or utcnow()
    due = now
    if channel == NotificationChannel.SMS and kind not in SEND_AT_ANY_TIME:
        due = next_safe_moment(now, safe_from, safe_until)
    notification = OutboxNotification(
        victim=victim,
        recipient=recipient,
        channel=NotificationChannel(channel),
        template_key=kind,
        language=Language(language),
        personalisation=dict(personalisation),
        gate=gate,
        next_attempt_at=due,
    )
    session.add(notification)
    return notification


def safe_channels(victim: Victim) -> list[ContactPreference]:
    """The victim's contact details that are safe to notify, most immediate first."""
    order = [Channel.EMAIL, Channel.SMS, Channel.LETTER]
    usable = [p for p in victim.contact_preferences if p.is_safe and p.channel in NOTIFIABLE]
    return sorted(usable, key=lambda p: order.index(p.channel))


def notify_victim(
    session: Session,
    victim: Victim,
    kind: str,
    personalisation: Mapping[str, Any],
    now: datetime | None = None,
    channels: Iterable[str] | None = None,
) -> list[OutboxNotification]:
    """Notify `victim` on their first safe channel, in their language; with `channels`, only
    through those (what the provider can send: portal.notifications.providers.channels_for)."""
    allowed = None if channels is None else {NotificationChannel(c) for c in channels}
    for preference in safe_channels(victim):
        if allowed is not None and NOTIFIABLE[preference.channel] not in allowed:
            continue
        return [
            enqueue(
                session,
                recipient=preference.value,
                channel=NOTIFIABLE[preference.channel],
                kind=kind,
                language=victim.language,
                personalisation=personalisation,
                victim=victim,
                safe_from=preference.safe_from,
                safe_until=preference.safe_until,
                now=now,
            )
        ]
    return []


#: Why the worker or an officer cancelled a notification to a detail that is no longer safe.
NO_LONGER_SAFE = "contact detail no longer safe"
#: Why a notification about a case was cancelled: its victim paused updates, or left the
#: scheme (portal.services.participation when it happens; the worker just before sending).
PAUSED = "the victim paused updates"
LEFT = "the victim left the scheme"


def cancel_pending(
    session: Session,
    preference: ContactPreference,
    reason: str = NO_LONGER_SAFE,
    now: datetime | None = None,
) -> int:
    """Cancel what is waiting to go to `preference` (marked not safe, or removed): never sent.

    Rows for its victim to that address, and security codes anyone asked for to it (gated
    rows name no victim: the worker would ask the gate, but the detail is not to be used
    now whoever asked). Only rows still pending: one a worker has claimed is checked
    against the contact detail again just before it is sent (worker._safe_preference).
    The personalisation (a code, a link) is forgotten. Returns how many were cancelled.
    """
    channel = NOTIFIABLE.get(preference.channel)
    if channel is None:
        return 0  # a phone number: nothing is sent to it
    result = session.execute(
        update(OutboxNotification)
        .where(
            OutboxNotification.status == NotificationStatus.PENDING,
            OutboxNotification.channel == channel,
            OutboxNotification.recipient == preference.value,
            or_(
                OutboxNotification.victim_id == preference.victim_id,
                and_(
                    OutboxNotification.victim_id.is_(None),
                    OutboxNotification.gate.is_not(None),
                ),
            ),
        )
        .values(
            status=NotificationStatus.CANCELLED,
            last_error=reason,
            personalisation={},
            claim_token=None,
            updated_at=now or utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
