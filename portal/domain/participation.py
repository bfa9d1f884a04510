"""The rules of a victim's own say over their membership: pausing updates, leaving, coming back.

- **Pausing** stops the sentence updates the victim would be told of at once, until a day
  (tomorrow at the earliest, PAUSE_AT_MOST_YEARS ahead at the latest), or until a stage
  of the sentence is recorded ("until a parole review"): that stage, or one further along
  the path, ends the pause, and the victim is told of it as they chose (a recall is back
  in custody, so it does not end a pause until a parole review). A pause with neither
  lasts until the victim, or their officer, starts updates again. While paused the
  officer keeps recording what happens; the victim can sign in and read it.
- **Leaving** closes the case at the victim's word: nothing more is sent. The record is
  kept for the retention period; the victim may still sign in, see that they left and
  ask to come back, and their officer brings the case back. A victim who left, with no
  other case still open, is sent nothing at all after the confirmation of leaving: not
  even a confirmation of a change they make to their contact details afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from portal.domain.case_timeline import MAIN_STAGES, stage_on_path
from portal.domain.requests import FIRST_STEP_WITHIN_WORKING_DAYS
from portal.domain.vocabulary import CaseStatus, SentenceStage

#: The furthest ahead a pause may end on a day.
PAUSE_AT_MOST_YEARS = 5
#: The stages a pause may last until (those that mean something to wait for), when they
#: are still ahead of the sentence.
PAUSABLE_UNTIL = (
    SentenceStage.PAROLE,
    SentenceStage.RELEASE,
    SentenceStage.LICENCE_CONDITIONS,
    SentenceStage.END_OF_SENTENCE,
)
#: Cases whose victim may pause updates (an accepted, open case), and start them again.
MAY_PAUSE = frozenset({CaseStatus.ACTIVE, CaseStatus.PAUSED})
#: Cases the victim may leave: waiting for triage, active or paused.
MAY_LEAVE = frozenset({CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED})
#: Cases that are over: closed (left, or the sentence ended) or joined to another.
OVER = frozenset({CaseStatus.CLOSED, CaseStatus.MERGED})
#: How soon an officer answers a victim who asked to come back (brings them back, or
#: contacts them), in working days: as for their other requests to the officer
#: (portal.domain.requests.FIRST_STEP_WITHIN_WORKING_DAYS).
COME_BACK_WITHIN_WORKING_DAYS = FIRST_STEP_WITHIN_WORKING_DAYS


def _position(stage: SentenceStage) -> int:
    return MAIN_STAGES.index(stage_on_path(stage))


def stages_to_pause_until(current: SentenceStage) -> tuple[SentenceStage, ...]:
    """The stages a pause may last until: those still ahead of `current`."""
    return tuple(stage for stage in PAUSABLE_UNTIL if _position(stage) > _position(current))


def latest_pause_day(today: date) -> date:
    """The last day a pause may end on."""
    try:
        return today.replace(year=today.year + PAUSE_AT_MOST_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PAUSE_AT_MOST_YEARS, day=28)


def pause_day_problem(day: date, today: date) -> str | None:
    """Why a pause cannot end on `day` ("past", "too-far"), or None."""
    if day <= today:
        return "past"
    if day > latest_pause_day(today):
        return "too-far"
    return None


def pause_over(
    paused_until: date | None,
    paused_until_stage: SentenceStage | None,
    today: date,
    recorded: SentenceStage | None = None,
) -> bool:
    """Whether a pause has ended: its day has come, or the stage it waited for (or one further
    along) is being `recorded`. A pause with neither never ends on its own."""
    if paused_until is not None and paused_until <= today:
        return True
    return (
        paused_until_stage is not None
        and recorded is not None
        and _position(recorded) >= _position(paused_until_stage)
    )


def updates_paused(status: CaseStatus, paused_until: date | None, today: date) -> bool:
    """Whether a case is paused today (a pause whose day has come is over, even before the
    daily `flask cases resume-paused` has run)."""
    return status == CaseStatus.PAUSED and not pause_over(paused_until, None, today)


def left_the_scheme(cases: Iterable[tuple[CaseStatus, datetime | None]]) -> bool:
    """Whether a victim whose cases are these (status, when they left) has left the scheme
    and has no other case still open: nothing more is sent to them until they come back."""
    cases = list(cases)
    left = any(status == CaseStatus.CLOSED and left_at is not None for status, left_at in cases)
    return left and all(status in OVER for status, _ in cases)
