"""What kind of crime it was (no details needed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain.journey import Choice
from portal.domain.registration_flow import OFFENCE_TYPES
from portal.questions.declaration import Question, choice_text, row
from portal.questions.fields import QuestionForm, radio_field

CHOICES = (
    Choice("violent", _l("A violent crime")),
    Choice("sexual", _l("A sexual crime")),
    Choice("other", _l("Another kind of crime")),
    Choice("not-sure", _l("I am not sure")),
)


class OffenceForm(QuestionForm):
    offence_type = radio_field(_l("Select what kind of crime it was"), OFFENCE_TYPES)


QUESTION = Question(
    slug="offence",
    keys=("offence_type",),
    form=OffenceForm,
    title=_l("What kind of crime was it?"),
    kind="radios",
    choices=CHOICES,
    hint=_l("You do not need to give any details."),
    section="case",
    rows=lambda a, language: [row(_l("Kind of crime"), choice_text(CHOICES, a["offence_type"]))],
    record=lambda a: {"case.offence_type": a["offence_type"]},
)
