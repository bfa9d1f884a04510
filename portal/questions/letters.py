"""Letters, when an address is safe: a name not to put on envelopes."""

from __future__ import annotations

from portal.domain.registration_flow import safe_to_use
from portal.language import lazy_gettext as _l
from portal.questions.declaration import NONE, Question, row
from portal.questions.fields import QuestionForm, text_field
from portal.validators import PersonName


class LettersForm(QuestionForm):
    envelope_name_to_avoid = text_field(
        200, _l("Name must be 200 characters or fewer"), PersonName(_l("Name must include letters"))
    )


def _rows(answers: dict, language: str) -> list:
    avoid = answers["envelope_name_to_avoid"]
    return [row(_l("Name not to put on envelopes"), avoid or NONE, typed=bool(avoid))]


QUESTION = Question(
    slug="letters",
    keys=("envelope_name_to_avoid",),
    applies=lambda a: safe_to_use(a, "letter"),
    form=LettersForm,
    title=_l("Is there a name we should not put on envelopes?"),
    template="register/questions/letters.html",
    section="contact",
    rows=_rows,
    record=lambda a: {"victim.envelope_name_to_avoid": a.get("envelope_name_to_avoid") or None},
)
