"""Safe hours for contact, in London time (portal/domain/contact_times.py)."""

from datetime import UTC, datetime, time

from portal.domain.contact_times import is_within, next_safe_moment


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_quiet_hours_window_in_london_time():
    assert is_within(time(10), time(9), time(17))
    assert not is_within(time(17), time(9), time(17))
    assert is_within(time(23), time(22), time(6))  # crosses midnight
    assert not is_within(time(12), time(22), time(6))


def test_no_window_means_now():
    now = utc(2026, 11, 23, 3, 0)
    assert next_safe_moment(now, None, None) == now


def test_held_until_the_window_opens_in_winter_and_summer():
    # 23 November: London is UTC+0. 20:00 is after 9-17, so 09:00 next day.
    assert next_safe_moment(utc(2026, 11, 23, 20, 0), time(9), time(17)) == utc(2026, 11, 24, 9)
    # 06:00 is before the window: 09:00 the same day.
    assert next_safe_moment(utc(2026, 11, 23, 6, 0), time(9), time(17)) == utc(2026, 11, 23, 9)
    # 1 July: London is UTC+1, so 09:00 London is 08:00 UTC.
    assert next_safe_moment(utc(2026, 7, 1, 20, 0), time(9), time(17)) == utc(2026, 7, 2, 8)
    # Inside the window: now.
    assert next_safe_moment(utc(2026, 7, 1, 10, 0), time(9), time(17)) == utc(2026, 7, 1, 10)
