"""A case's timeline a page at a time: its events and messages in one list, newest first
(portal.domain.messages.merged), PER_PAGE entries a page.

A busy case has years of entries: the whole of it was 80 KB of HTML and most of the
time of a staff case page at national scale. A page is three statements whatever the
case holds: the two counts, then the newest `page × PER_PAGE` events and messages
(the two lists are merged, so the page's entries can come from either). A page after
the last shows the last (as the other paged lists do).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from portal.domain.case_timeline import CONTACT_KINDS
from portal.domain.messages import Show, merged
from portal.models import Message, TimelineEvent, TimelineEventKind
from portal.services.paging import Page
from portal.services.queues import local_day

PER_PAGE = 25
#: The most pages a timeline is shown in (each page reads the entries before it too).
MOST_PAGES = 400


@dataclass(frozen=True)
class TimelinePage(Page):
    """A page of a case's timeline (`entries`: portal.domain.messages.Entry)."""

    per_page: int = PER_PAGE
    most_pages: int | None = MOST_PAGES


def _event_conditions(case_id: int, show: Show) -> list | None:
    """Which of the case's events `show` lists, in SQL (None: none of them)."""
    if show == Show.MESSAGES:
        return None
    conditions = [TimelineEvent.case_id == case_id]
    if show == Show.CONTACTS:
        conditions.append(TimelineEvent.kind.in_(CONTACT_KINDS))
    elif show == Show.STAGES:
        conditions.append(TimelineEvent.kind == TimelineEventKind.STAGE)
    return conditions


def _with_messages(show: Show) -> bool:
    return show in (Show.EVERYTHING, Show.MESSAGES)


def _newest_events(conditions: list, limit: int, options: Iterable[Any]) -> Any:
    return (
        select(TimelineEvent)
        .where(*conditions)
        .options(*options)
        .order_by(
            TimelineEvent.occurred_on.desc(),
            TimelineEvent.created_at.desc(),
            TimelineEvent.id.desc(),
        )
        .limit(limit)
    )


def _newest_messages(case_id: int, limit: int, options: Iterable[Any]) -> Any:
    return (
        select(Message)
        .where(Message.case_id == case_id)
        .options(*options)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )


def timeline_page(
    session: Session,
    case_id: int,
    show: Show,
    page: int,
    *,
    event_options: Iterable[Any] = (),
    message_options: Iterable[Any] = (),
    per_page: int = PER_PAGE,
) -> TimelinePage:
    """Page `page` of the case's timeline as `show` filters it (moved into range)."""
    event_conditions = _event_conditions(case_id, show)
    count_events = (
        select(func.count()).select_from(TimelineEvent).where(*event_conditions).scalar_subquery()
        if event_conditions is not None
        else literal(0)
    )
    count_messages = (
        select(func.count())
        .select_from(Message)
        .where(Message.case_id == case_id)
        .scalar_subquery()
        if _with_messages(show)
        else literal(0)
    )
    events_total, messages_total = session.execute(select(count_events, count_messages)).one()
    total = events_total + messages_total
    # Past MOST_PAGES (10,000 entries at 25 a page) the pages stop: each page reads every
    # entry before it, and no case comes near it (the busiest at national scale has a few
    # hundred).
    pages = Page([], total, 1, per_page, MOST_PAGES).pages
    page = min(max(1, page), pages)
    wanted = page * per_page
    events = (
        list(session.scalars(_newest_events(event_conditions, wanted, event_options)))
        if event_conditions is not None and events_total
        else []
    )
    messages = (
        list(session.scalars(_newest_messages(case_id, wanted, message_options)))
        if messages_total
        else []
    )
    entries = merged(events, messages, show, local_day)[(page - 1) * per_page : wanted]
    return TimelinePage(
        entries=entries, total=total, page=page, per_page=per_page, most_pages=MOST_PAGES
    )


@dataclass(frozen=True)
class _Key:
    """What an entry sorts by, without the rest of the row."""

    id: int
    kind: Any = None
    occurred_on: Any = None
    created_at: Any = None


def page_holding(
    session: Session, case_id: int, show: Show, event_id: int, per_page: int = PER_PAGE
) -> int | None:
    """The page of the timeline (as `show` filters it) that holds event `event_id`, or None
    when the filter hides it. For the page an officer lands on after writing an entry
    dated long ago: it reads only what each entry sorts by."""
    event_conditions = _event_conditions(case_id, show)
    if event_conditions is None:
        return None
    events = [
        _Key(*row)
        for row in session.execute(
            select(
                TimelineEvent.id,
                TimelineEvent.kind,
                TimelineEvent.occurred_on,
                TimelineEvent.created_at,
            )
            .where(*event_conditions)
            .order_by(TimelineEvent.id.desc())
        )
    ]
    messages = (
        [
            _Key(row.id, created_at=row.created_at)
            for row in session.execute(
                select(Message.id, Message.created_at)
                .where(Message.case_id == case_id)
                .order_by(Message.id.desc())
            )
        ]
        if _with_messages(show)
        else []
    )
    for position, entry in enumerate(merged(events, messages, show, local_day)):
        if entry.event is not None and entry.event.id == event_id:
            return min(position // per_page + 1, MOST_PAGES)
    return None
