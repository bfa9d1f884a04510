"""The day it is where the units work (portal.domain.contact_times.london_today), which
every page and service that dates something by "today" takes, never the server's own
day (UTC's on a server: a day behind London's from 23:00 to midnight in summer)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.domain.contact_times import london_today
from portal.register import views as register_views
from portal.staff import referral_views

SUMMER_NIGHT = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
WINTER_NIGHT = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)


def test_londons_day_is_a_day_ahead_of_utcs_late_on_a_summer_night():
    assert london_today(SUMMER_NIGHT) == date(2026, 7, 2)
    assert london_today(WINTER_NIGHT) == date(2026, 11, 23)
    # The clocks go forward at 01:00 UTC on 29 March 2026, back at 01:00 UTC on 25 October.
    assert london_today(datetime(2026, 3, 28, 23, 59, tzinfo=UTC)) == date(2026, 3, 28)
    assert london_today(datetime(2026, 10, 24, 23, 0, tzinfo=UTC)) == date(2026, 10, 25)


@pytest.mark.parametrize("module", [register_views, referral_views])
def test_the_forms_today_is_londons(module, monkeypatch):
    """The registration's and the referral's "today" (a date in the future is refused):
    at 00:30 in London, today's date there is not in the future."""
    monkeypatch.setattr(module, "utcnow", lambda: SUMMER_NIGHT)
    assert module._today() == date(2026, 7, 2)
