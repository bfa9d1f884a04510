"""Days in words (portal.day_words, and the staff pages' long_date over it): each day is
put in words once a language and pattern, and says what Babel says, in Welsh as in
English; a timeline entry's date as precisely as it is known; a moment is the day it was
in London."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import format_date, format_datetime

from portal.day_words import day_in_words, event_date, event_datetime, london_day
from portal.models import DatePrecision, TimelineEvent
from portal.staff.views import long_date


@pytest.mark.parametrize(
    ("language", "words"), [("en", "1 December 2026"), ("cy", "1 Rhagfyr 2026")]
)
def test_a_day_is_put_in_words_in_the_pages_language(app, language, words):
    with app.test_request_context("/", headers={"Cookie": f"vcs_lang={language}"}):
        assert long_date(date(2026, 12, 1)) == words
        assert day_in_words(date(2026, 12, 1)) == words
        assert long_date(date(2026, 12, 1)) == format_date(date(2026, 12, 1), format="long")


def test_the_same_day_in_the_other_language_is_not_the_first_ones_words(app):
    with app.test_request_context("/", headers={"Cookie": "vcs_lang=en"}):
        assert long_date(date(2027, 3, 2)) == "2 March 2027"
        assert day_in_words(date(2027, 3, 2), "LLLL y") == "March 2027"
    with app.test_request_context("/", headers={"Cookie": "vcs_lang=cy"}):
        assert long_date(date(2027, 3, 2)) == "2 Mawrth 2027"
        assert day_in_words(date(2027, 3, 2), "LLLL y") == "Mawrth 2027"


@pytest.mark.parametrize(
    ("precision", "english", "welsh", "machine"),
    [
        (DatePrecision.DAY, "2 March 2027", "2 Mawrth 2027", "2027-03-02"),
        (DatePrecision.MONTH, "March 2027", "Mawrth 2027", "2027-03"),
        (DatePrecision.YEAR, "2027", "2027", "2027"),
    ],
)
def test_a_timeline_entry_is_dated_as_precisely_as_it_is_known(
    app, precision, english, welsh, machine
):
    event = TimelineEvent(occurred_on=date(2027, 3, 2), precision=precision)
    for language, words in (("en", english), ("cy", welsh)):
        with app.test_request_context("/", headers={"Cookie": f"vcs_lang={language}"}):
            assert event_date(event) == words
            assert event_datetime(event) == machine


def test_a_moment_is_the_day_it_was_in_london(app):
    late_on_30_june = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 BST
    with app.test_request_context("/", headers={"Cookie": "vcs_lang=en"}):
        assert long_date(late_on_30_june) == "1 July 2026"
        assert day_in_words(london_day(late_on_30_june), "d MMMM y") == "1 July 2026"
        assert day_in_words(london_day(late_on_30_june), "d MMMM y") == format_datetime(
            late_on_30_june, "d MMMM y"
        )
        # A moment is never kept as a day: it would be the day in UTC.
        with pytest.raises(TypeError):
            day_in_words(late_on_30_june)
