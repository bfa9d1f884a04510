"""How much someone wants to hear: every key stage, release only, or once a year."""

from __future__ import annotations

from portal.domain.journey import Choice
from portal.language import lazy_gettext as _l
from portal.models import UpdatesWanted
from portal.questions.declaration import Question

QUESTION = Question(
    slug="updates",
    keys=("updates_wanted",),
    title=_l("How much do you want to hear?"),
    kind="radios",
    choices=(
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
    ),
    error=_l("Select how much you want to hear"),
    hint=_l("You can change this at any time."),
    section="case",
    row_name=_l("How much you want to hear"),
    record=lambda a: {"case.updates_wanted": UpdatesWanted(a["updates_wanted"])},
)
