"""What a signed-in victim sees of a case: where the sentence is, and what has happened.

Only events marked visible to the victim are shown, newest first, each at the
precision the victim may be told (a release is a month, never a day). A handover
note is for the next officer only: it never reaches the victim, whatever it is marked.
Which new stages a victim is told about at once depends on what they chose to hear.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from portal.domain.vocabulary import (
    CaseStatus,
    DatePrecision,
    SentenceStage,
    TimelineEventKind,
    UpdatesWanted,
)
from portal.domain.working_days import add_working_days


class Event(Protocol):
    """What the rules need of a timeline entry (portal.models.TimelineEvent has it)."""

    id: int | None
    kind: TimelineEventKind
    occurred_on: date
    visible_to_victim: bool


E = TypeVar("E", bound=Event)

#: A Victim Liaison Officer makes contact within this many working days.
CONTACT_WITHIN_WORKING_DAYS = 20

#: The stages every sentence passes through, in order. A recall is not on the
#: path: it sends the sentence back to custody, and the page says so.
MAIN_STAGES = (
    SentenceStage.SENTENCE,
    SentenceStage.CUSTODY,
    SentenceStage.PAROLE,
    SentenceStage.RELEASE,
    SentenceStage.LICENCE_CONDITIONS,
    SentenceStage.END_OF_SENTENCE,
)


#: Entries the victim never sees, whatever they are marked: a note for the next officer.
NEVER_SHOWN_TO_VICTIM = frozenset({TimelineEventKind.HANDOVER})

#: What an officer records as contact with the victim (the first one stops the clock).
CONTACT_KINDS = (TimelineEventKind.CALL, TimelineEventKind.LETTER, TimelineEventKind.MEETING)

#: How precisely the victim may be told the date of each stage: a release is told as a
#: month (or a year), never the day, so that nobody learns where or when to wait.
PRECISIONS_ALLOWED = {
    stage: (
        (DatePrecision.MONTH, DatePrecision.YEAR)
        if stage == SentenceStage.RELEASE
        else tuple(DatePrecision)
    )
    for stage in SentenceStage
}


def contact_due(registered_on: date) -> date:
    """The day by which a Victim Liaison Officer will be in touch."""
    return add_working_days(registered_on, CONTACT_WITHIN_WORKING_DAYS)


def stage_on_path(stage: SentenceStage) -> SentenceStage:
    """Where `stage` sits on the path: a recall is back in custody."""
    return SentenceStage.CUSTODY if stage == SentenceStage.RECALL else stage


def shown_to_victim(event: Event) -> bool:
    return event.visible_to_victim and event.kind not in NEVER_SHOWN_TO_VICTIM


def newest_first(events: Iterable[E]) -> list[E]:
    """Newest first: by date, then by the order they were written."""
    return sorted(events, key=lambda event: (event.occurred_on, event.id or 0), reverse=True)


def visible_events(events: Iterable[E]) -> list[E]:
    """What the victim may see, newest first."""
    return newest_first(event for event in events if shown_to_victim(event))


def wants_to_hear(updates_wanted: UpdatesWanted, stage: SentenceStage) -> bool:
    """Whether a victim who chose `updates_wanted` wants to be told of `stage` at once: every
    stage; only a release; or nothing at once (an annual update gathers what happened)."""
    if updates_wanted == UpdatesWanted.EVERY_STAGE:
        return True
    if updates_wanted == UpdatesWanted.RELEASE_ONLY:
        return stage == SentenceStage.RELEASE
    return False


def tell_victim_at_once(
    status: CaseStatus, updates_wanted: UpdatesWanted, stage: SentenceStage
) -> bool:
    """Whether a new stage on a case is told to the victim straight away: only on an active
    case (not one waiting for triage, paused at their request, declined, closed or merged),
    and only a stage they chose to hear about."""
    return status == CaseStatus.ACTIVE and wants_to_hear(updates_wanted, stage)
