"""What a signed-in victim sees of a case: where the sentence is, and what has happened.

Only events marked visible to the victim are shown, newest first, each at the
precision the victim may be told (a release is a month, never a day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from portal.domain.vocabulary import SentenceStage
from portal.domain.working_days import add_working_days


class Event(Protocol):
    """What the rules need of a timeline entry (portal.models.TimelineEvent has it)."""

    id: int | None
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


def contact_due(registered_on: date) -> date:
    """The day by which a Victim Liaison Officer will be in touch."""
    return add_working_days(registered_on, CONTACT_WITHIN_WORKING_DAYS)


def stage_on_path(stage: SentenceStage) -> SentenceStage:
    """Where `stage` sits on the path: a recall is back in custody."""
    return SentenceStage.CUSTODY if stage == SentenceStage.RECALL else stage


def visible_events(events: Iterable[E]) -> list[E]:
    """What the victim may see, newest first."""
    shown = [event for event in events if event.visible_to_victim]
    return sorted(shown, key=lambda event: (event.occurred_on, event.id or 0), reverse=True)
