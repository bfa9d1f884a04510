"""The rules of a conversation between a victim and their Victim Liaison Officer.

- A victim may write on a case that is live: waiting for triage, active, or paused
  at their request. A declined, closed or joined case takes no new messages; the
  page says how to reach the unit instead.
- An officer replies within REPLY_WITHIN_WORKING_DAYS working days (the victim is
  told this); the officers' queues count each wait against it, longest first.
- A message is plain text of at most MESSAGE_LENGTH characters.
- A victim may send PER_HOUR messages an hour and PER_DAY a day, across their cases
  (enough to say everything; a limit stops a script or a stuck key flooding an officer).
- What a timeline shows: everything, or only messages, contacts or sentence events.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.domain.case_timeline import CONTACT_KINDS
from portal.domain.vocabulary import CaseStatus, TimelineEventKind

REPLY_WITHIN_WORKING_DAYS = 5
MESSAGE_LENGTH = 2000
PER_HOUR = 10
PER_DAY = 30

#: The statuses on which a victim may write.
WRITABLE = frozenset({CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED})
#: The statuses on which an officer may reply (a declined registration may still get an
#: answer to a question about the decision; a closed or joined case takes nothing).
REPLIABLE = frozenset(
    {CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.DECLINED}
)


#: The statuses on which the victim is told of an officer's message (a bare "you have a new
#: message"): not while they have paused updates (the message waits on their page, as a
#: step on a request does), and a closed case takes no message at all.
TOLD_OF_A_MESSAGE = REPLIABLE - {CaseStatus.PAUSED}


def victim_may_write(status: CaseStatus) -> bool:
    return status in WRITABLE


def officer_may_reply(status: CaseStatus) -> bool:
    return status in REPLIABLE


class Show(enum.StrEnum):
    """Which entries a timeline shows (the filter above it, both sides)."""

    EVERYTHING = "all"
    MESSAGES = "messages"
    CONTACTS = "contacts"
    STAGES = "stages"

    @classmethod
    def read(cls, value: Any) -> Show:
        """The filter a request asked for; anything unknown shows everything."""
        try:
            return cls(value)
        except ValueError:
            return cls.EVERYTHING


@dataclass(frozen=True)
class Entry:
    """One line of a timeline: a timeline event, or a message (exactly one is set)."""

    day: date
    written_at: datetime
    event: Any = None
    message: Any = None

    @property
    def is_message(self) -> bool:
        return self.message is not None


def _event_shown(kind: TimelineEventKind, show: Show) -> bool:
    if show == Show.EVERYTHING:
        return True
    if show == Show.CONTACTS:
        return kind in CONTACT_KINDS
    if show == Show.STAGES:
        return kind == TimelineEventKind.STAGE
    return False


def merged(events: Iterable[Any], messages: Iterable[Any], show: Show, day_of) -> list[Entry]:
    """Events (with `kind`, `occurred_on`, `created_at`) and messages (with `created_at`)
    in one list, newest first, as `show` filters them. `day_of(moment)` is the local day of
    a message (a message sent at 00:30 in London on a Tuesday is Tuesday's)."""
    entries = [
        Entry(event.occurred_on, event.created_at, event=event)
        for event in events
        if _event_shown(event.kind, show)
    ]
    if show in (Show.EVERYTHING, Show.MESSAGES):
        entries += [
            Entry(day_of(message.created_at), message.created_at, message=message)
            for message in messages
        ]
    return sorted(entries, key=lambda entry: (entry.day, entry.written_at), reverse=True)
