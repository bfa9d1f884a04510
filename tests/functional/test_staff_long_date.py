"""Days in words on staff pages (portal.staff.views.long_date): each day is put in words
once a language, and says what Babel says, in Welsh as in English."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import format_date

from portal.staff.views import long_date


@pytest.mark.parametrize(
    ("language", "words"), [("en", "1 December 2026"), ("cy", "1 Rhagfyr 2026")]
)
def test_a_day_is_put_in_words_in_the_pages_language(app, language, words):
    with app.test_request_context("/", headers={"Cookie": f"vcs_lang={language}"}):
        assert long_date(date(2026, 12, 1)) == words
        assert long_date(date(2026, 12, 1)) == format_date(date(2026, 12, 1), format="long")


def test_the_same_day_in_the_other_language_is_not_the_first_ones_words(app):
    with app.test_request_context("/", headers={"Cookie": "vcs_lang=en"}):
        assert long_date(date(2027, 3, 2)) == "2 March 2027"
    with app.test_request_context("/", headers={"Cookie": "vcs_lang=cy"}):
        assert long_date(date(2027, 3, 2)) == "2 Mawrth 2027"


def test_a_moment_is_the_day_it_was_in_london(app):
    late_on_30_june = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 BST
    with app.test_request_context("/", headers={"Cookie": "vcs_lang=en"}):
        assert long_date(late_on_30_june) == "1 July 2026"
