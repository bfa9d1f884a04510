"""Working days in England and Wales (portal/domain/working_days.py)."""

from datetime import date

import pytest

from portal.domain.working_days import add_working_days, is_working_day


def test_working_days_skip_weekends_and_bank_holidays():
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 26))  # a Saturday
    assert is_working_day(date(2026, 12, 24))
    # Friday 18 December 2026 + 5 working days: 21-24, then 29 December
    # (25 December, 28 December Boxing Day substitute).
    assert add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 29)
    assert add_working_days(date(2026, 11, 23), 20) == date(2026, 12, 21)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)


def test_working_days_between_counts_the_days_after_the_start():
    from portal.domain.working_days import working_days_between

    assert working_days_between(date(2026, 12, 18), date(2026, 12, 18)) == 0
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 17)) == 0
    # Friday to Monday: one working day; across Christmas: 21-24 and 29 December.
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 21)) == 1
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 29)) == 5
    start = date(2026, 11, 23)
    assert working_days_between(start, add_working_days(start, 20)) == 20


def test_a_wait_is_overdue_after_its_target():
    from portal.domain.waiting import wait

    on_time = wait(date(2026, 11, 23), date(2026, 12, 21))
    assert (on_time.waited, on_time.overdue, on_time.left) == (20, False, 0)
    assert on_time.due_on == date(2026, 12, 21)
    late = wait(date(2026, 11, 23), date(2026, 12, 22))
    assert (late.waited, late.overdue) == (21, True)
    assert wait(date(2026, 11, 30), date(2026, 12, 1)).left == 19


def test_counting_matches_walking_day_by_day_over_years():
    """Working days are counted (weeks and bank holidays), not walked: the count agrees
    with a walk day by day for starts across ten years (2022's extra bank holidays, the
    Christmases that fall on a weekend) and waits of up to three years."""
    import random
    from datetime import timedelta

    import holidays

    from portal.domain.working_days import working_days_between

    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=range(2019, 2033))

    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in bank_holidays

    def walked_between(start: date, end: date) -> int:
        return sum(working(start + timedelta(days)) for days in range(1, (end - start).days + 1))

    def walked_on(start: date, days: int) -> date:
        day = start
        while days:
            day += timedelta(1)
            days -= working(day)
        return day

    draw = random.Random(17)
    starts = [date(2022, 6, 1), date(2022, 9, 16), date(2027, 12, 24), date(2021, 12, 24)]
    starts += [date(2020, 1, 1) + timedelta(draw.randrange(3650)) for _ in range(1500)]
    for start in starts:
        end = start + timedelta(draw.randrange(-3, 1100))
        assert working_days_between(start, end) == walked_between(start, end), (start, end)
        days = draw.randrange(0, 400)
        assert add_working_days(start, days) == walked_on(start, days), (start, days)
