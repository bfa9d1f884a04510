"""What the outbox sent (or tried to, or will) to a victim, for their officer to see.

Only what tells an officer whether the victim was told: the kind, the channel, the
recipient masked, the language, the status and its times. Never the personalisation
(codes and links until they are sent): the query does not even read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain.contact_details import masked
from portal.models import Language, NotificationChannel, NotificationStatus, OutboxNotification

PER_PAGE = 20


@dataclass(frozen=True)
class SentNotification:
    id: str
    kind: str
    channel: NotificationChannel
    #: Enough of the address to tell which it was (portal.domain.contact_details.masked).
    recipient: str
    language: Language
    status: NotificationStatus
    attempts: int
    queued_at: datetime
    sent_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class NotificationPage:
    rows: list[SentNotification]
    total: int
    page: int
    pages: int


COLUMNS = (
    OutboxNotification.id,
    OutboxNotification.template_key,
    OutboxNotification.channel,
    OutboxNotification.recipient,
    OutboxNotification.language,
    OutboxNotification.status,
    OutboxNotification.attempts,
    OutboxNotification.created_at,
    OutboxNotification.sent_at,
    OutboxNotification.last_error,
)


def sent_to(
    session: Session, victim_id: int, page: int = 1, per_page: int = PER_PAGE
) -> NotificationPage:
    """The victim's notifications, newest first, `per_page` at a time; `page` is moved into
    range (1 to the last page). Two queries, whatever the number: a count and the rows."""
    total = session.scalar(
        select(func.count())
        .select_from(OutboxNotification)
        .where(OutboxNotification.victim_id == victim_id)
    )
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(*COLUMNS)
        .where(OutboxNotification.victim_id == victim_id)
        .order_by(OutboxNotification.created_at.desc(), OutboxNotification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return NotificationPage(
        rows=[
            SentNotification(
                id=row.id,
                kind=row.template_key,
                channel=row.channel,
                recipient=masked(row.channel.value, row.recipient),
                language=row.language,
                status=row.status,
                attempts=row.attempts,
                queued_at=row.created_at,
                sent_at=row.sent_at,
                last_error=row.last_error,
            )
            for row in rows
        ],
        total=total,
        page=page,
        pages=pages,
    )
