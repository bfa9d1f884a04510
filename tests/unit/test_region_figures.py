"""The dates and moments a manager's figures compare with (portal/domain/region_figures.py),
checked against the working-day rules they stand for (portal/domain/waiting.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.domain.contact_times import london_today
from portal.domain.region_figures import (
    earliest_start_within,
    last_four_weeks,
    told_by,
)
from portal.domain.waiting import wait
from portal.domain.working_days import working_days_between
from portal.staff.charts import Bar, BarChart, Group

#: Days around Christmas and New Year 2026-27 (25, 28 December and 1 January are bank
#: holidays) and around the change to summer time (29 March 2026).
DAYS = [date(2026, 12, 1) + timedelta(days=n) for n in range(60)] + [
    date(2026, 3, 20) + timedelta(days=n) for n in range(20)
]


@pytest.mark.parametrize("target", [0, 1, 5, 10, 20])
@pytest.mark.parametrize("today", [date(2027, 1, 13), date(2026, 12, 29), date(2026, 12, 26)])
def test_a_start_before_the_earliest_has_waited_longer_than_the_target(today, target):
    earliest = earliest_start_within(today, target)
    for start in [today - timedelta(days=n) for n in range(60)]:
        assert (start < earliest) == wait(start, today, target).overdue, start


def test_twenty_working_days_back_skip_christmas_and_new_year():
    # 13 January 2027 back 20 working days: 11-13 and 4-8 January, 29-31 December,
    # 21-24 and 14-18 December; 25 and 28 December and 1 January are bank holidays.
    assert earliest_start_within(date(2027, 1, 13), 20) == date(2026, 12, 11)
    assert wait(date(2026, 12, 11), date(2027, 1, 13)).waited == 20
    assert wait(date(2026, 12, 10), date(2027, 1, 13)).overdue


@pytest.mark.parametrize("within", [1, 5])
@pytest.mark.parametrize("recorded_on", DAYS)
def test_told_by_is_the_first_moment_past_the_working_days_allowed(recorded_on, within):
    limit = told_by(recorded_on, within)
    for sent_on in [recorded_on + timedelta(days=n) for n in range(15)]:
        in_time = working_days_between(recorded_on, sent_on) <= within
        sent_at_noon = datetime.combine(sent_on, datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=12
        )
        assert (sent_at_noon < limit) == in_time, (recorded_on, sent_on)


def test_told_by_counts_bank_holidays_and_london_midnight():
    # Recorded on Christmas Eve 2026: Christmas Day and the Boxing Day holiday (Monday 28)
    # do not count, so Tuesday 29 December is still 1 working day later.
    assert told_by(date(2026, 12, 24), 1) == datetime(2026, 12, 30, tzinfo=UTC)
    # In summer time a London day starts at 23:00 UTC the day before.
    assert told_by(date(2026, 7, 3), 1) == datetime(2026, 7, 6, 23, 0, tzinfo=UTC)


def test_today_and_the_period_are_london_days():
    assert london_today(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == date(2026, 7, 2)
    assert london_today(datetime(2027, 1, 13, 23, 30, tzinfo=UTC)) == date(2027, 1, 13)
    period = last_four_weeks(date(2027, 1, 13))
    assert (period.first, period.last, len(period.days)) == (
        date(2026, 12, 17),
        date(2027, 1, 13),
        28,
    )
    assert period.starts_at == datetime(2026, 12, 17, tzinfo=UTC)
    summer = last_four_weeks(date(2026, 7, 28))
    assert summer.starts_at == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert summer.ends_at == datetime(2026, 7, 28, 23, 0, tzinfo=UTC)


def test_bars_are_in_proportion_and_their_numbers_follow_them():
    chart = BarChart(
        "c",
        "Title",
        "Description",
        [
            Group("Six", [Bar(6, "6")]),
            Group("Three", [Bar(3, "3", "stripes")]),
            Group("None", [Bar(0, "0")]),
        ],
    )
    six, three, none = chart.bars
    assert abs(six.width - 2 * three.width) <= 1
    assert six.label.x + 11 <= 440  # the longest bar leaves room for its number
    assert none.width == 2  # a sliver, outlined, beside its "0"
    assert [bar.label.text for bar in chart.bars] == ["6", "3", "0"]
    assert all(bar.label.x == bar.x + bar.width + 8 for bar in chart.bars)
    assert [label.text for label in chart.labels] == ["Six", "Three", "None"]
    assert chart.patterns == ["solid", "stripes"]
    assert chart.height > chart.bars[-1].y + chart.bars[-1].height
