"""How much someone wants to hear: every key stage, release only, or once a year."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain.journey import Choice
from portal.domain.registration_flow import UPDATES_WANTED
from portal.models import UpdatesWanted
from portal.questions.declaration import Question, choice_text, row
from portal.questions.fields import QuestionForm, radio_field

CHOICES = (
    Choice(
        "every_stage",
        _l("Tell me about every key stage"),
        _l("Such as parole reviews, moves to open prison, release and licence."),
    ),
    Choice(
        "release_only",
        _l("Only tell me about release"),
        _l("We will tell you the month the offender is released."),
    ),
    Choice(
        "annual",
        _l("Give me an update once a year"),
        _l("A short update each year, and news of release."),
    ),
)


class UpdatesForm(QuestionForm):
    updates_wanted = radio_field(_l("Select how much you want to hear"), UPDATES_WANTED)


QUESTION = Question(
    slug="updates",
    keys=("updates_wanted",),
    form=UpdatesForm,
    title=_l("How much do you want to hear?"),
    kind="radios",
    choices=CHOICES,
    hint=_l("You can change this at any time."),
    section="case",
    rows=lambda a, language: [
        row(_l("How much you want to hear"), choice_text(CHOICES, a["updates_wanted"]))
    ],
    record=lambda a: {"case.updates_wanted": UpdatesWanted(a["updates_wanted"])},
)
