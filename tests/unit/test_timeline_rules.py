"""The rules of a case's timeline that need no app: dates at a precision, who is told of a
new stage at once, what the victim never sees (portal/domain/event_dates.py and
portal/domain/case_timeline.py)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.case_timeline import (
    PRECISIONS_ALLOWED,
    tell_victim_at_once,
    visible_events,
    wants_to_hear,
)
from portal.domain.event_dates import DateProblem, read_date
from portal.models import (
    CaseStatus,
    DatePrecision,
    Language,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    UpdatesWanted,
)

TODAY = date(2026, 11, 30)
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("typed", "precision", "expected"),
    [
        (("14", "3", "2026"), DAY, date(2026, 3, 14)),
        (("", "3", "2026"), MONTH, date(2026, 3, 1)),  # no more than the month is kept
        (("", "", "2026"), YEAR, date(2026, 1, 1)),
        (("30", "11", "2026"), DAY, TODAY),
        (("", "11", "2026"), MONTH, date(2026, 11, 1)),  # this month is not the future
        ((" 7 ", "03", "2026"), DAY, date(2026, 3, 7)),
    ],
)
def test_a_good_date_at_each_precision(typed, precision, expected):
    assert read_date(*typed, precision, TODAY) == (expected, None, [])


@pytest.mark.parametrize(
    ("typed", "precision", "problem", "parts"),
    [
        (("", "", ""), DAY, DateProblem.EMPTY, ["day", "month", "year"]),
        (("", "", ""), MONTH, DateProblem.EMPTY, ["month", "year"]),
        (("", "", ""), YEAR, DateProblem.EMPTY, ["year"]),
        (("", "3", "2026"), DAY, DateProblem.MISSING_DAY, ["day"]),
        (("1", "", "2026"), DAY, DateProblem.MISSING_MONTH, ["month"]),
        (("1", "3", ""), DAY, DateProblem.MISSING_YEAR, ["year"]),
        (("", "", "2026"), DAY, DateProblem.MISSING_DAY_MONTH, ["day", "month"]),
        (("", "3", ""), DAY, DateProblem.MISSING_DAY_YEAR, ["day", "year"]),
        (("1", "", ""), DAY, DateProblem.MISSING_MONTH_YEAR, ["month", "year"]),
        (("", "", "2026"), MONTH, DateProblem.MISSING_MONTH, ["month"]),
        (("", "3", ""), MONTH, DateProblem.MISSING_YEAR, ["year"]),
        (("14", "3", "2026"), MONTH, DateProblem.DAY_NOT_WANTED, ["day"]),
        (("14", "3", "2026"), YEAR, DateProblem.DAY_NOT_WANTED, ["day", "month"]),
        (("", "3", "2026"), YEAR, DateProblem.MONTH_NOT_WANTED, ["month"]),
        (("31", "2", "2026"), DAY, DateProblem.NOT_REAL, ["day", "month", "year"]),
        (("", "13", "2026"), MONTH, DateProblem.NOT_REAL, ["month", "year"]),
        (("x", "3", "2026"), DAY, DateProblem.NOT_REAL, ["day"]),
        (("²", "3", "2026"), DAY, DateProblem.NOT_REAL, ["day", "month", "year"]),
        (("1", "3", "26"), DAY, DateProblem.YEAR_DIGITS, ["year"]),
        (("1", "12", "2026"), DAY, DateProblem.FUTURE, ["day", "month", "year"]),
        (("", "12", "2026"), MONTH, DateProblem.FUTURE, ["month", "year"]),
        (("", "", "2027"), YEAR, DateProblem.FUTURE, ["year"]),
        (("", "", "1949"), YEAR, DateProblem.TOO_EARLY, ["year"]),
    ],
)
def test_a_date_with_a_mistake_says_which_parts_to_fix(typed, precision, problem, parts):
    assert read_date(*typed, precision, TODAY) == (None, problem, parts)


def test_a_release_is_only_told_as_a_month_or_a_year():
    assert PRECISIONS_ALLOWED[SentenceStage.RELEASE] == (MONTH, YEAR)
    for stage in set(SentenceStage) - {SentenceStage.RELEASE}:
        assert DAY in PRECISIONS_ALLOWED[stage]


@pytest.mark.parametrize("stage", list(SentenceStage))
def test_who_wants_to_hear_of_each_stage_at_once(stage):
    assert wants_to_hear(UpdatesWanted.EVERY_STAGE, stage)
    assert wants_to_hear(UpdatesWanted.RELEASE_ONLY, stage) == (stage == SentenceStage.RELEASE)
    assert not wants_to_hear(UpdatesWanted.ANNUAL, stage)


@pytest.mark.parametrize("status", list(CaseStatus))
def test_only_an_active_case_tells_the_victim_at_once(status):
    told = tell_victim_at_once(status, UpdatesWanted.EVERY_STAGE, SentenceStage.PAROLE)
    assert told == (status == CaseStatus.ACTIVE)


def entry(kind: TimelineEventKind, visible: bool = True, id: int = 1) -> TimelineEvent:
    return TimelineEvent(
        id=id,
        kind=kind,
        occurred_on=date(2026, 1, id),
        summary="x",
        language=Language.ENGLISH,
        visible_to_victim=visible,
    )


def test_a_handover_note_is_never_shown_to_the_victim_whatever_it_is_marked():
    shown = visible_events(
        [
            entry(TimelineEventKind.HANDOVER, id=1),
            entry(TimelineEventKind.MEETING, id=2),
            entry(TimelineEventKind.CALL, visible=False, id=3),
            entry(TimelineEventKind.TRIAGE, id=4),
        ]
    )
    assert [event.id for event in shown] == [4, 2]
