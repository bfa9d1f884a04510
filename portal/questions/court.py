"""The court that sentenced them: searched by town, city or name, or "not listed"."""

from __future__ import annotations

from collections.abc import Mapping

from wtforms import StringField, ValidationError
from wtforms.validators import InputRequired

from portal.domain.courts import court_by_code, region_for_court
from portal.domain.registration_flow import NOT_LISTED
from portal.forms import CourtSearchForm
from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question, row
from portal.questions.fields import QuestionForm
from portal.services import directory

NOT_LISTED_TEXT = _l("Not listed, or not sure")


class CourtForm(QuestionForm):
    court = StringField(
        validators=[InputRequired(message=_l("Select the court, or select that it is not listed"))]
    )

    def validate_court(self, field):
        if field.data != NOT_LISTED and court_by_code(field.data or "") is None:
            raise ValidationError(_l("Select the court, or select that it is not listed"))


def _rows(answers: dict, language: str) -> list:
    court = court_by_code(answers["court"])
    return [row(_l("Court"), court.name(language) if court else NOT_LISTED_TEXT)]


def _record(answers: dict) -> dict:
    region = region_for_court(answers["court"])  # None: the national triage queue
    return {"region": region, "case.court_code": answers["court"] if region else None}


def _search(answers: dict, args: Mapping, language: str) -> dict:
    """The search above the choices: the courts it finds, and the court already chosen."""
    search = CourtSearchForm(args)
    searched = "q" in args
    if searched:
        search.validate()
    courts, match_count = directory.court_choices(
        search.q.data if not search.errors else None, language, answers.get("court")
    )
    return {
        "search": search,
        "searched": searched,
        "courts": courts,
        "match_count": match_count,
        "summary_form": search if searched and search.errors else None,
    }


QUESTION = Question(
    slug="court",
    keys=("court",),
    form=CourtForm,
    title=_l("Which court sentenced them?"),
    template="register/questions/court.html",
    lead_template="register/questions/_court_search.html",
    context=_search,
    section="case",
    rows=_rows,
    record=_record,
)
