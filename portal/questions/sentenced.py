"""When the offender was sentenced: a month and year (optional: "I do not know")."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from wtforms import BooleanField

from portal.language import lazy_gettext as _l
from portal.questions.declaration import NOT_KNOWN, Question, row
from portal.questions.fields import DateForm, DateParts, date_part

SENTENCED = DateParts(
    {
        "empty": _l("Enter the month and year, or select that you do not know"),
        "missing-month": _l("The date they were sentenced must include a month"),
        "missing-year": _l("The date they were sentenced must include a year"),
        "real": _l("The date they were sentenced must be a real date"),
        "year": _l("Year must include 4 numbers"),
        "future": _l("The date they were sentenced must be in the past"),
        "early": _l("The date they were sentenced must be after 1950"),
    },
    need_day=False,
    earliest_year=1950,
)


class SentencedForm(DateForm):
    month = date_part(2)
    year = date_part(4)
    not_known = BooleanField()
    parts = SENTENCED
    key = "sentenced_in"

    def _as_text(self) -> str:
        return f"{int(self.year.data):04d}-{int(self.month.data):02d}"

    @staticmethod
    def _as_parts(text: str) -> dict:
        year, month = text.split("-")
        return {"month": str(int(month)), "year": year}


def _rows(answers: dict, language: str) -> list:
    sentenced = answers.get("sentenced_in")
    if sentenced:
        year, month = (int(part) for part in sentenced.split("-"))
        sentenced = format_date(date(year, month, 1), format="MMMM y")
    return [row(_l("When they were sentenced"), sentenced or NOT_KNOWN)]


QUESTION = Question(
    slug="sentenced",
    keys=("sentenced_in",),
    form=SentencedForm,
    title=_l("When were they sentenced?"),
    template="register/questions/sentenced.html",
    section="case",
    rows=_rows,
    record=lambda a: {"case.sentenced_in": a.get("sentenced_in") or None},
)
