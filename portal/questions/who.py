"""Who is registering: the victim, or someone for them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain.journey import Choice
from portal.domain.registration_flow import REGISTERING_AS
from portal.questions.declaration import Question, choice_text, row
from portal.questions.fields import QuestionForm, radio_field

CHOICES = (
    Choice("self", _l("I am the victim")),
    Choice("parent", _l("I am the parent or guardian of a child victim")),
    Choice("bereaved", _l("I am close family of someone who died because of the crime")),
    Choice(
        "supporter",
        _l("I am helping a victim, and they agree"),
        _l("For example, a friend or a support worker."),
    ),
)


class WhoForm(QuestionForm):
    registering_as = radio_field(_l("Select who is registering"), REGISTERING_AS)


QUESTION = Question(
    slug="who",
    keys=("registering_as",),
    form=WhoForm,
    title=_l("Who is registering?"),
    kind="radios",
    choices=CHOICES,
    hint=_l(
        "You can register for yourself, or for someone else if they cannot or would rather not."
    ),
    section="you",
    rows=lambda a, language: [
        row(_l("Who is registering"), choice_text(CHOICES, a["registering_as"]))
    ],
    record=lambda a: {"victim.relationship_to_victim": a["registering_as"]},
)
