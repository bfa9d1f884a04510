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
