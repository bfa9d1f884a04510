"""Someone registering for a victim: how they are related, and a supporter's agreement."""

from __future__ import annotations

from wtforms import BooleanField, StringField, ValidationError
from wtforms.validators import DataRequired, Length

from portal.domain.registration_flow import needs_relationship
from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question
from portal.questions.fields import QuestionForm
from portal.validators import PersonName, strip


class RelationshipForm(QuestionForm):
    relationship = StringField(
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your relationship to the victim")),
            Length(max=50, message=_l("Relationship must be 50 characters or fewer")),
            PersonName(_l("Relationship must include letters")),
        ],
    )
    consent = BooleanField()

    def __init__(self, *args, supporter: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.supporter = supporter

    @classmethod
    def options(cls, answers: dict, today) -> dict:
        return {"supporter": answers.get("registering_as") == "supporter"}

    def validate_consent(self, field):
        if self.supporter and not field.data:
            raise ValidationError(_l("Confirm that the victim knows and agrees"))

    def answers(self, before: dict) -> dict:
        found = {"relationship": self.relationship.data}
        if self.supporter:
            found["consent"] = True
        return found


def _answered(answers: dict) -> bool:
    return "relationship" in answers and (
        answers.get("registering_as") != "supporter" or answers.get("consent") is True
    )


def _tidy(answers: dict) -> dict:
    """Only a supporter gives the victim's agreement."""
    if answers.get("registering_as") == "supporter":
        return answers
    return {key: value for key, value in answers.items() if key != "consent"}


def _record(answers: dict) -> dict:
    """Who registered, and in their words how they are related ("supporter: friend")."""
    words = answers["relationship"]
    return {"victim.relationship_to_victim": f"{answers['registering_as']}: {words}"[:64]}


QUESTION = Question(
    slug="relationship",
    keys=("relationship", "consent"),
    applies=needs_relationship,
    answered=_answered,
    tidy=_tidy,
    form=RelationshipForm,
    title=_l("What is your relationship to the victim?"),
    template="register/questions/relationship.html",
    section="you",
    row_name=_l("Relationship to the victim"),
    record=_record,
)
