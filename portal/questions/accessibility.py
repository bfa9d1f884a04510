"""Help to read or talk to us: large print, easy read, an interpreter, BSL."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField, ValidationError
from wtforms.validators import InputRequired

from portal.domain.journey import Choice
from portal.domain.registration_flow import ACCESSIBILITY_NEEDS
from portal.language import lazy_gettext as _l
from portal.questions.declaration import NONE, Question, choice_text, row
from portal.questions.fields import QuestionForm
from portal.validators import EachOneOf

CHOICES = (
    Choice("large-print", _l("Large print")),
    Choice("easy-read", _l("Easy read")),
    Choice("interpreter", _l("An interpreter")),
    Choice("bsl", _l("British Sign Language (BSL)")),
    Choice("none", _l("No, none of these"), exclusive=True),
)


class AccessibilityForm(QuestionForm):
    accessibility_needs = SelectMultipleField(
        choices=[SelectChoice(need) for need in (*ACCESSIBILITY_NEEDS, "none")],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Select what would help you, or select ‘No, none of these’")),
            EachOneOf(
                (*ACCESSIBILITY_NEEDS, "none"),
                _l("Select what would help you, or select ‘No, none of these’"),
            ),
        ],
    )

    def validate_accessibility_needs(self, field):
        if "none" in field.data and len(field.data) > 1:
            raise ValidationError(_l("Select what would help you, or select ‘No, none of these’"))

    def answers(self, before: dict) -> dict:
        return {"accessibility_needs": [n for n in self.accessibility_needs.data if n != "none"]}

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        if "accessibility_needs" not in answers:
            return {}
        return {"accessibility_needs": answers["accessibility_needs"] or ["none"]}


def _rows(answers: dict, language: str) -> list:
    needs = ", ".join(str(choice_text(CHOICES, need)) for need in answers["accessibility_needs"])
    return [row(_l("Help to read or talk to us"), needs or NONE)]


QUESTION = Question(
    slug="accessibility",
    keys=("accessibility_needs",),
    form=AccessibilityForm,
    title=_l("Do you need any of these to read or talk to us?"),
    kind="checkboxes",
    choices=CHOICES,
    hint=_l("Select all that apply."),
    section="contact",
    rows=_rows,
    record=lambda a: {
        "victim.accessibility_needs": ", ".join(a.get("accessibility_needs") or []) or None
    },
)
