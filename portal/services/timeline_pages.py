"""Cases' timelines a page at a time: each case's events and messages in one list, newest
first (portal.domain.messages.merged), PER_PAGE entries a page.

A busy case has years of entries: the whole of it was 80 KB of HTML and most of the
time of a staff case page at national scale, and a victim on a phone was sent all of it.
Two statements whatever the cases hold and however many there are: each case's newest
events, then messages, as many as the furthest page asked for needs (`page × PER_PAGE`),
ranked and counted by a window over each case (the two lists are merged, so a page's
entries can come from either); each case is then cut to its own page. A page after the
last shows the last (as the other paged lists do).

Staff see every entry of a case (`timeline_page`); a victim's page shows each of their
cases with what they may see of it (`timeline_pages` with `event_conditions` and the
cases whose messages they may read).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select
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


#: Which events each `show` lists, in SQL (None: none of them). Built once: a timeline's
#: statements are built once for each shape (`_newest_statement`).
SHOW_CONDITIONS: dict[Show, tuple | None] = {
    Show.EVERYTHING: (),
    Show.MESSAGES: None,
    Show.CONTACTS: (TimelineEvent.kind.in_(CONTACT_KINDS),),
    Show.STAGES: (TimelineEvent.kind == TimelineEventKind.STAGE,),
}


def _event_conditions(case_id: int, show: Show) -> list | None:
    """Which of the case's events `show` lists, in SQL (None: none of them)."""
    conditions = SHOW_CONDITIONS[show]
    return None if conditions is None else [TimelineEvent.case_id == case_id, *conditions]


def _with_messages(show: Show) -> bool:
    return show in (Show.EVERYTHING, Show.MESSAGES)


#: What a timeline's statements are run with: the cases, and how many of each one's newest
#: rows to read (the most any of them wants: each case's are cut to its own in Python).
CASE_IDS = bindparam("case_ids", expanding=True)
MOST = bindparam("most")


@lru_cache(maxsize=64)
def _newest_statement(entity: Any, conditions: tuple, order: tuple, options: tuple):
    """The statement `_newest` runs, built once for each shape (building a statement and its
    cache key cost more than running it). Its arguments must be built once too (module
    constants): a fresh condition each call would build it every time (the tests check the
    pages reuse it)."""
    ranked = (
        select(
            entity.id.label("id"),
            func.row_number().over(partition_by=entity.case_id, order_by=order).label("rank"),
            func.count().over(partition_by=entity.case_id).label("total"),
        )
        .where(entity.case_id.in_(CASE_IDS), *conditions)
        .subquery()
    )
    return (
        select(entity, ranked.c.total)
        .join(ranked, ranked.c.id == entity.id)
        .where(ranked.c.rank <= MOST)
        .options(*options)
        .order_by(entity.case_id, ranked.c.rank)
    )


def _newest(
    session: Session,
    entity: Any,
    conditions: tuple,
    order: tuple,
    wanted: Mapping[int, int],
    options: tuple,
    values: Mapping[str, Any],
) -> tuple[dict[int, list], dict[int, int]]:
    """Each case's newest `wanted[case id]` rows of `entity` (newest first) and how many
    it has in all: one statement, ranked and counted by a window over each case, run with
    the bound `values` its `conditions` name."""
    rows: dict[int, list] = {case_id: [] for case_id in wanted}
    totals: dict[int, int] = dict.fromkeys(wanted, 0)
    for row, total in session.execute(
        _newest_statement(entity, conditions, order, options),
        {**values, "case_ids": sorted(wanted), "most": max(wanted.values())},
    ):
        kept = rows[row.case_id]
        if len(kept) < wanted[row.case_id]:
            kept.append(row)
        totals[row.case_id] = total
    return rows, totals


EVENTS_NEWEST_FIRST = (
    TimelineEvent.occurred_on.desc(),
    TimelineEvent.created_at.desc(),
    TimelineEvent.id.desc(),
)
MESSAGES_NEWEST_FIRST = (Message.created_at.desc(), Message.id.desc())


def timeline_pages(
    session: Session,
    pages: Mapping[int, int],
    show: Show,
    *,
    event_conditions: tuple = (),
    values: Mapping[str, Any] | None = None,
    messages_of: Collection[int] | None = None,
    event_options: tuple = (),
    message_options: tuple = (),
    per_page: int = PER_PAGE,
) -> dict[int, TimelinePage]:
    """For each case id in `pages`, the page asked for of its timeline as `show` filters it
    (moved into range): its events that also meet `event_conditions` (built once, with
    bound parameters whose `values` are given), and its messages if it is one of
    `messages_of` (None: every case's)."""
    asked = {case_id: min(max(1, page), MOST_PAGES) for case_id, page in pages.items()}
    # Past MOST_PAGES (10,000 entries at 25 a page) the pages stop: each page reads every
    # entry before it, and no case comes near it (the busiest at national scale has a few
    # hundred).
    wanted = {case_id: page * per_page for case_id, page in asked.items()}
    shown = SHOW_CONDITIONS[show]
    events, event_totals = (
        _newest(
            session,
            TimelineEvent,
            (*shown, *event_conditions),
            EVENTS_NEWEST_FIRST,
            wanted,
            event_options,
            values or {},
        )
        if shown is not None and wanted
        else ({}, {})
    )
    with_messages = {
        case_id: number
        for case_id, number in wanted.items()
        if messages_of is None or case_id in messages_of
    }
    messages, message_totals = (
        _newest(session, Message, (), MESSAGES_NEWEST_FIRST, with_messages, message_options, {})
        if _with_messages(show) and with_messages
        else ({}, {})
    )
    found = {}
    for case_id, page in asked.items():
        total = event_totals.get(case_id, 0) + message_totals.get(case_id, 0)
        page = min(page, Page([], total, 1, per_page, MOST_PAGES).pages)
        entries = merged(events.get(case_id, []), messages.get(case_id, []), show, local_day)
        found[case_id] = TimelinePage(
            entries=entries[(page - 1) * per_page : page * per_page],
            total=total,
            page=page,
            per_page=per_page,
            most_pages=MOST_PAGES,
        )
    return found


def timeline_page(
    session: Session,
    case_id: int,
    show: Show,
    page: int,
    *,
    event_options: tuple = (),
    message_options: tuple = (),
    per_page: int = PER_PAGE,
) -> TimelinePage:
    """Page `page` of the case's whole timeline (what staff see) as `show` filters it."""
    return timeline_pages(
        session,
        {case_id: page},
        show,
        event_options=event_options,
        message_options=message_options,
        per_page=per_page,
    )[case_id]


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
