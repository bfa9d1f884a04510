"""The rules of pausing updates: which stages a pause may wait for, which days, when it ends."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.participation import (
    latest_pause_day,
    pause_day_problem,
    pause_over,
    stages_to_pause_until,
    updates_paused,
)
from portal.models import CaseStatus, SentenceStage

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("current", "offered"),
    [
        (
            SentenceStage.SENTENCE,
            (
                SentenceStage.PAROLE,
                SentenceStage.RELEASE,
                SentenceStage.LICENCE_CONDITIONS,
                SentenceStage.END_OF_SENTENCE,
            ),
        ),
        (
            SentenceStage.RECALL,  # back in custody: everything after custody is ahead
            (
                SentenceStage.PAROLE,
                SentenceStage.RELEASE,
                SentenceStage.LICENCE_CONDITIONS,
                SentenceStage.END_OF_SENTENCE,
            ),
        ),
        (
            SentenceStage.RELEASE,
            (SentenceStage.LICENCE_CONDITIONS, SentenceStage.END_OF_SENTENCE),
        ),
        (SentenceStage.END_OF_SENTENCE, ()),
    ],
)
def test_only_stages_still_ahead_can_be_waited_for(current, offered):
    assert stages_to_pause_until(current) == offered


def test_a_pause_ends_tomorrow_at_the_earliest_and_within_five_years():
    assert pause_day_problem(TODAY, TODAY) == "past"
    assert pause_day_problem(date(2026, 12, 1), TODAY) is None
    assert pause_day_problem(date(2031, 11, 30), TODAY) is None
    assert pause_day_problem(date(2031, 12, 1), TODAY) == "too-far"
    assert latest_pause_day(date(2028, 2, 29)) == date(2033, 2, 28)


def test_a_pause_until_a_day_ends_on_that_day():
    assert not pause_over(date(2026, 12, 1), None, TODAY)
    assert pause_over(date(2026, 12, 1), None, date(2026, 12, 1))
    assert pause_over(date(2026, 12, 1), None, date(2027, 1, 1))


@pytest.mark.parametrize(
    ("recorded", "over"),
    [
        (None, False),
        (SentenceStage.CUSTODY, False),
        (SentenceStage.RECALL, False),  # a recall is back in custody: still before parole
        (SentenceStage.PAROLE, True),
        (SentenceStage.RELEASE, True),  # a later stage ends it too
    ],
)
def test_a_pause_until_a_stage_ends_when_it_or_a_later_one_is_recorded(recorded, over):
    assert pause_over(None, SentenceStage.PAROLE, TODAY, recorded) is over


def test_a_pause_with_neither_never_ends_on_its_own():
    assert not pause_over(None, None, date(2099, 1, 1), SentenceStage.END_OF_SENTENCE)


def test_a_case_is_paused_only_until_its_day():
    assert updates_paused(CaseStatus.PAUSED, None, TODAY)
    assert updates_paused(CaseStatus.PAUSED, date(2026, 12, 1), TODAY)
    assert not updates_paused(CaseStatus.PAUSED, TODAY, TODAY)
    assert not updates_paused(CaseStatus.ACTIVE, None, TODAY)


def test_a_victim_who_left_with_no_other_case_open_has_left_the_scheme():
    from datetime import UTC, datetime

    from portal.domain.participation import left_the_scheme

    left = (CaseStatus.CLOSED, datetime(2026, 11, 2, tzinfo=UTC))
    ended = (CaseStatus.CLOSED, None)
    assert left_the_scheme([left])
    assert left_the_scheme([left, ended, (CaseStatus.MERGED, None)])
    # Another case still open (or declined, whose questions are still answered): not out.
    for status in (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.DECLINED):
        assert not left_the_scheme([left, (status, None)])
    # A case closed because the sentence ended is not leaving (nothing is sent to them
    # anyway: they cannot sign in).
    assert not left_the_scheme([ended])
    assert not left_the_scheme([])
