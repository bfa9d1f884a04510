"""Which of the ways given are safe to use: only those are used, or can prove who someone is."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField, ValidationError

from portal.domain.registration_flow import CONTACT_WAYS, safety_answered
from portal.language import lazy_gettext as _l
from portal.questions.contact import WAYS
from portal.questions.declaration import Question, choice_text, row
from portal.questions.fields import QuestionForm


class SafeContactForm(QuestionForm):
    safe = SelectMultipleField(
        choices=[SelectChoice(way) for way in CONTACT_WAYS], validate_choice=False
    )

    def __init__(self, *args, offered: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = offered

    def validate_safe(self, field):
        if not all(value in self.offered for value in field.data or ()):
            raise ValidationError(_l("Select the ways that are safe to use"))
        if not field.data:
            raise ValidationError(_l("Select at least one way that is safe for us to use"))

    @classmethod
    def options(cls, answers: dict, today) -> dict:
        return {"offered": tuple(answers.get("contacts") or {})}

    def answers(self, before: dict) -> dict:
        contacts = before.get("contacts") or {}
        return {
            "contacts": {
                way: {**detail, "safe": way in self.safe.data} for way, detail in contacts.items()
            }
        }

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        contacts = answers.get("contacts") or {}
        return {"safe": [way for way, detail in contacts.items() if detail.get("safe") is True]}


def _rows(answers: dict, language: str) -> list:
    safe = [
        str(choice_text(WAYS, way))
        for way, detail in answers["contacts"].items()
        if detail.get("safe")
    ]
    return [row(_l("Safe to use"), ", ".join(safe))]


QUESTION = Question(
    slug="safe-contact",
    keys=("contacts",),
    answered=safety_answered,
    form=SafeContactForm,
    title=_l("Which of these is it safe for us to use?"),
    template="register/questions/safe-contact.html",
    choices=WAYS,
    section="contact",
    rows=_rows,
)
