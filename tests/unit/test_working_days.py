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
