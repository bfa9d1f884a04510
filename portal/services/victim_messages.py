"""What a signed-in victim's pages ask of their conversations (portal.services.messages).

A victim reaches a case only through their session (portal.services.sign_in.case_of
and cases_of): another victim's case, a closed one and one that does not exist are
the same "not found". Each function here is what one page needs, in a fixed number
of statements whatever the number of cases, events or messages:

- `inbox`: the cases and their unread counts (the navigation's "Messages");
- `overview`: the case page (/account): a page of each case's timeline with its
  messages merged in and filtered (portal.services.timeline_pages), and how many
  replies are unread, for every case at once;
- `open_conversation`: a conversation, oldest first; opening it marks the officers'
  replies read (one conditional UPDATE: nothing is written when nothing was unread);
- `newer`: what a conversation page polls for: the messages after the last one it
  shows (one indexed query; replies in it are marked read, as the page shows them);
- `keep_draft`: what the victim is typing, kept on the server, unless the form it
  belongs to has been sent already (a save that arrives after its form's message
  would otherwise bring back, as a draft, words already sent).

Someone acting for a victim (a representative: portal.services.sign_in.access_of) sees
what they were given and nothing more: a case's timeline only with "see the case", its
messages (and unread counts) only with "messages", the steps of its requests only with
"requests". Their drafts are their own; reading a reply does not mark it read (the
officer's "Read by the victim" stays true, and the victim still sees it as new).

The caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import case_timeline
from portal.domain.messages import Entry, Show
from portal.domain.representatives import EVERYTHING
from portal.models import (
    Case,
    Message,
    Permission,
    Representative,
    Sender,
    TimelineEvent,
    TimelineEventKind,
    VictimSession,
    utcnow,
)
from portal.services import messages, sign_in
from portal.services.timeline_pages import TimelinePage, timeline_pages


@dataclass(frozen=True)
class CaseOverview:
    case: Case
    #: The page of the timeline shown: visible events and messages, newest first, as
    #: `show` filters them (None: the session may not see the case's timeline).
    timeline: TimelinePage | None
    #: How many of the officers' replies the victim has not read.
    unread: int
    #: What the session may do on this case (portal.services.sign_in.Access).
    permissions: frozenset[Permission] = EVERYTHING
    #: Who the session acts as, when it acts for the case's victim.
    representative: Representative | None = None

    @property
    def entries(self) -> list[Entry]:
        return self.timeline.entries if self.timeline is not None else []


@dataclass(frozen=True)
class Overview:
    cases: list[CaseOverview]
    #: Unread replies by case id (the navigation's count adds them up).
    unread: dict[int, int]


def unread_replies(session: Session, record: VictimSession) -> dict[int, int]:
    """Unread replies on each case whose messages this session may read (one query,
    whatever the cases)."""
    return messages.unread(session, sign_in.case_ids_of(record, Permission.MESSAGES))


#: The events a victim sees of their case: those shown to them, never a handover note
#: (portal.domain.case_timeline.shown_to_victim, in SQL).
SHOWN_TO_VICTIM = (
    TimelineEvent.visible_to_victim.is_(True),
    TimelineEvent.kind.not_in(sorted(case_timeline.NEVER_SHOWN_TO_VICTIM)),
)
#: A request's steps on a case whose session may not see requests are not shown
#: (`without_requests`: those cases' ids).
WITHOUT_REQUESTS = bindparam("without_requests", expanding=True)
VICTIM_EVENTS = (
    *SHOWN_TO_VICTIM,
    or_(
        TimelineEvent.case_id.not_in(WITHOUT_REQUESTS),
        TimelineEvent.kind != TimelineEventKind.REQUEST,
    ),
)
EVENT_OPTIONS = (joinedload(TimelineEvent.representative),)
MESSAGE_OPTIONS = (joinedload(Message.officer), joinedload(Message.representative))


def overview(
    session: Session,
    record: VictimSession,
    show: Show,
    reached: dict[int, sign_in.Access] | None = None,
    pages: Mapping[str, int] | None = None,
) -> Overview:
    """Every case the session may see, each with a page of its filtered timeline (the
    first, or the one `pages` asks for by the case's reference) and its unread count, as
    much as the session may see of each: a fixed number of statements however many
    cases, entries and messages there are."""
    cases = sign_in.cases_of(session, record)
    if reached is None:  # what sign_in.live_session found with the session, if given
        reached = sign_in.access_of(session, record)
    cases = [case for case in cases if case.victim_id in reached]
    permissions = {case.id: reached[case.victim_id].permissions for case in cases}
    ids = [case.id for case in cases if Permission.MESSAGES in permissions[case.id]]
    # A case's timeline needs "see the case"; a request's steps on it need "requests" too.
    seen = {case.id: case.reference for case in cases if Permission.CASE in permissions[case.id]}
    without_requests = [
        case_id for case_id in seen if Permission.REQUESTS not in permissions[case_id]
    ]
    found = timeline_pages(
        session,
        {case_id: (pages or {}).get(reference, 1) for case_id, reference in seen.items()},
        show,
        event_conditions=VICTIM_EVENTS,
        values={"without_requests": without_requests},
        messages_of=ids,
        event_options=EVENT_OPTIONS,
        message_options=MESSAGE_OPTIONS,
    )
    unread = messages.unread(session, ids)
    return Overview(
        cases=[
            CaseOverview(
                case=case,
                timeline=found.get(case.id),
                unread=unread.get(case.id, 0),
                permissions=permissions[case.id],
                representative=reached[case.victim_id].representative,
            )
            for case in cases
        ],
        unread=unread,
    )


def inbox(session: Session, record: VictimSession) -> Overview:
    """Every case whose messages the session may read, with its unread count (no
    timelines)."""
    cases = sign_in.cases_of(session, record, Permission.MESSAGES)
    unread = messages.unread(session, [case.id for case in cases])
    return Overview(
        cases=[CaseOverview(case, None, unread.get(case.id, 0)) for case in cases], unread=unread
    )


@dataclass(frozen=True)
class Conversation:
    case: Case
    #: Oldest first: the newest is at the bottom, next to the form.
    messages: list[Message]
    #: The officers' replies that were unread until this page opened (marked "New").
    new_ids: frozenset[int]
    #: Why the victim cannot write here ("declined", "closed", "merged"), or None.
    refused: str | None
    #: What the victim typed and has not sent, kept on the server, or None.
    draft: str | None

    @property
    def last_id(self) -> int:
        """The newest message's id (what the page polls after), or 0."""
        return max((message.id for message in self.messages), default=0)


def open_conversation(
    session: Session,
    case: Case,
    *,
    mark_read: bool = True,
    representative_id: int | None = None,
    now: datetime | None = None,
) -> Conversation:
    """A case's conversation for its victim (or for `representative_id`, acting for them);
    the officers' replies are now read (unless `mark_read` is False: a refused form shown
    again reads nothing new; nor when a representative reads them: the victim has not)."""
    found = messages.conversation(session, case.id)
    new_ids = frozenset(
        message.id
        for message in found
        if message.sender == Sender.OFFICER and message.read_at is None
    )
    if mark_read and new_ids and representative_id is None:
        messages.mark_read(session, case.id, now or utcnow())
    return Conversation(
        case=case,
        messages=found,
        new_ids=new_ids,
        refused=messages.victim_refused(case),
        draft=messages.draft_for(session, case, representative_id),
    )


def newer(
    session: Session,
    case: Case,
    after_id: int,
    now: datetime | None = None,
    *,
    mark_read: bool = True,
) -> list[Message]:
    """The case's messages after `after_id`, oldest first; replies among them are marked
    read (the page that asked shows them at once), unless `mark_read` is False (someone
    acting for the victim is reading)."""
    found = list(
        session.scalars(
            select(Message)
            .where(Message.case_id == case.id, Message.id > after_id)
            .options(joinedload(Message.officer), joinedload(Message.representative))
            .order_by(Message.id)
        )
    )
    if mark_read and any(m.sender == Sender.OFFICER and m.read_at is None for m in found):
        messages.mark_read(session, case.id, now or utcnow())
    return found


def keep_draft(
    session: Session,
    case: Case,
    body: str,
    submission_key: str,
    representative_id: int | None = None,
) -> bool:
    """Keep `body` as the draft of the form with `submission_key` (the victim's, or the
    representative's writing for them); False (and nothing kept) when that form's message
    has been sent. Under the lock sending takes, so a save racing its own form's message
    cannot come back after it as a draft."""
    messages.lock_victims_messages(session, case.victim_id)
    sent = session.scalar(
        select(Message.id).where(
            Message.case_id == case.id, Message.submission_key == submission_key
        )
    )
    if sent is not None:
        return False
    messages.save_draft(session, case, body, representative_id=representative_id)
    return True
