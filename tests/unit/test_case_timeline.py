"""What a signed-in victim sees of a case's timeline (portal/domain/case_timeline.py)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.case_timeline import (
    CONTACT_WITHIN_WORKING_DAYS,
    MAIN_STAGES,
    contact_due,
    stage_on_path,
    visible_events,
)
from portal.models import Language, SentenceStage, TimelineEvent, TimelineEventKind


def event(occurred_on: date, id: int | None = None, visible: bool = True) -> TimelineEvent:
    """An event as loaded from the database, not saved anywhere."""
    return TimelineEvent(
        id=id,
        kind=TimelineEventKind.NOTE,
        occurred_on=occurred_on,
        summary=f"Event {id}",
        language=Language.ENGLISH,
        visible_to_victim=visible,
    )


def test_an_officer_is_in_touch_within_twenty_working_days():
    assert CONTACT_WITHIN_WORKING_DAYS == 20
    # February 2026 has no bank holidays: four whole weeks.
    assert contact_due(date(2026, 2, 2)) == date(2026, 3, 2)
    # Registered on a Saturday: the weekend does not count.
    assert contact_due(date(2026, 1, 31)) == date(2026, 2, 27)


def test_bank_holidays_do_not_count():
    # Christmas Day, the Boxing Day holiday on Monday 28 December, New Year's Day.
    assert contact_due(date(2026, 12, 14)) == date(2027, 1, 14)


def test_the_main_stages_are_the_path_of_every_sentence_in_order():
    assert MAIN_STAGES == (
        SentenceStage.SENTENCE,
        SentenceStage.CUSTODY,
        SentenceStage.PAROLE,
        SentenceStage.RELEASE,
        SentenceStage.LICENCE_CONDITIONS,
        SentenceStage.END_OF_SENTENCE,
    )
    assert set(SentenceStage) - set(MAIN_STAGES) == {SentenceStage.RECALL}


@pytest.mark.parametrize("stage", MAIN_STAGES)
def test_a_stage_on_the_path_is_itself(stage):
    assert stage_on_path(stage) is stage


def test_a_recall_is_back_in_custody():
    assert stage_on_path(SentenceStage.RECALL) is SentenceStage.CUSTODY


def test_the_victim_sees_only_visible_events_newest_first():
    old = event(date(2022, 3, 14), id=1)
    hidden = event(date(2025, 1, 1), id=2, visible=False)
    new = event(date(2026, 10, 1), id=3)
    middle = event(date(2024, 6, 20), id=4)
    assert visible_events([old, hidden, new, middle]) == [new, middle, old]


def test_events_on_the_same_day_are_newest_recorded_first():
    first, second = event(date(2024, 6, 20), id=7), event(date(2024, 6, 20), id=8)
    assert visible_events([first, second]) == [second, first]
    assert visible_events([second, first]) == [second, first]


def test_an_event_not_yet_saved_sorts_as_the_oldest_of_its_day():
    unsaved, saved = event(date(2024, 6, 20)), event(date(2024, 6, 20), id=1)
    assert visible_events([unsaved, saved]) == [saved, unsaved]


def test_no_events_and_only_hidden_events_show_nothing():
    assert visible_events([]) == []
    assert visible_events([event(date(2024, 1, 1), id=1, visible=False)]) == []
    assert visible_events(iter([event(date(2024, 1, 1), id=1)]))[0].id == 1
