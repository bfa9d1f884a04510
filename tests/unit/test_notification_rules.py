"""SMS length, quiet hours and backoff: the rules behind notifications."""

import random
from datetime import UTC, datetime, time, timedelta

import pytest

from portal.domain.contact_times import is_within, next_safe_moment
from portal.domain.retries import MAX_DELAY, backoff
from portal.domain.security_codes import code_matches, hash_code, new_code
from portal.domain.sms import sms_length


def test_plain_english_is_gsm():
    assert sms_length("Your code is 123456.") == ("GSM", 20, 1)
    assert sms_length("x" * 160).fragments == 1
    assert sms_length("x" * 161).fragments == 2
    assert sms_length("x" * 306).fragments == 2
    assert sms_length("x" * 307).fragments == 3


def test_extension_characters_count_twice():
    assert sms_length("€" * 80) == ("GSM", 160, 1)
    assert sms_length("€" * 81).fragments == 2


@pytest.mark.parametrize("welsh", ["ŵ", "ŷ", "â", "’"])
def test_welsh_letters_and_curly_quotes_force_ucs2(welsh):
    assert sms_length("Helo " + welsh).encoding == "UCS-2"
    assert sms_length(welsh * 70).fragments == 1
    assert sms_length(welsh * 71).fragments == 2
    assert sms_length(welsh * 134).fragments == 2
    assert sms_length(welsh * 135).fragments == 3


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


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    rng = random.Random(1)
    waits = [backoff(attempt, rng) for attempt in range(1, 8)]
    for attempt, wait in enumerate(waits, start=1):
        base = timedelta(seconds=30) * 2 ** (attempt - 1)
        assert base * 0.5 <= wait <= base * 1.5
    assert backoff(40, rng) <= MAX_DELAY * 1.5
    assert len({backoff(3) for _ in range(20)}) > 1, "jitter spreads retries"


def test_security_codes_are_six_digits_and_kept_hashed():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150
    digest = hash_code("secret", "123456")
    assert digest != "123456"
    assert code_matches("secret", "123456", digest)
    assert not code_matches("secret", "123457", digest)
    assert not code_matches("other", "123456", digest)
