"""The victim's date of birth (optional: "I do not know")."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from wtforms import BooleanField

from portal.language import lazy_gettext as _l
from portal.questions.declaration import NOT_KNOWN, Question, row
from portal.questions.fields import DateForm, DateParts, date_part

DATE_OF_BIRTH = DateParts(
    {
        "empty": _l("Enter the date of birth, or select that you do not know"),
        "missing-day": _l("Date of birth must include a day"),
        "missing-month": _l("Date of birth must include a month"),
        "missing-year": _l("Date of birth must include a year"),
        "missing-day-month": _l("Date of birth must include a day and month"),
        "missing-day-year": _l("Date of birth must include a day and year"),
        "missing-month-year": _l("Date of birth must include a month and year"),
        "real": _l("Date of birth must be a real date"),
        "year": _l("Year must include 4 numbers"),
        "future": _l("Date of birth must be in the past"),
        "early": _l("Date of birth must be after 1900"),
    },
    need_day=True,
)


class DateOfBirthForm(DateForm):
    day = date_part(2)
    month = date_part(2)
    year = date_part(4)
    not_known = BooleanField()
    parts = DATE_OF_BIRTH
    key = "date_of_birth"

    def _as_text(self) -> str:
        return date(int(self.year.data), int(self.month.data), int(self.day.data)).isoformat()

    @staticmethod
    def _as_parts(text: str) -> dict:
        found = date.fromisoformat(text)
        return {"day": str(found.day), "month": str(found.month), "year": str(found.year)}


def _rows(answers: dict, language: str) -> list:
    born = answers.get("date_of_birth")
    born_text = format_date(date.fromisoformat(born), format="long") if born else NOT_KNOWN
    return [row(_l("Date of birth"), born_text)]


QUESTION = Question(
    slug="date-of-birth",
    keys=("date_of_birth",),
    form=DateOfBirthForm,
    title=_l("What is the victim’s date of birth?"),
    title_for_answers=lambda a: (
        _l("What is your date of birth?")
        if a.get("registering_as") == "self"
        else _l("What is the victim’s date of birth?")
    ),
    template="register/questions/date-of-birth.html",
    section="you",
    rows=_rows,
    record=lambda a: {
        "victim.date_of_birth": date.fromisoformat(a["date_of_birth"])
        if a.get("date_of_birth")
        else None
    },
)
