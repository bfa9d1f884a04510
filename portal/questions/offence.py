"""What kind of crime it was (no details needed)."""

from __future__ import annotations

from portal.domain.journey import Choice
from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question

QUESTION = Question(
    slug="offence",
    keys=("offence_type",),
    title=_l("What kind of crime was it?"),
    kind="radios",
    choices=(
        Choice("violent", _l("A violent crime")),
        Choice("sexual", _l("A sexual crime")),
        Choice("other", _l("Another kind of crime")),
        Choice("not-sure", _l("I am not sure")),
    ),
    error=_l("Select what kind of crime it was"),
    hint=_l("You do not need to give any details."),
    section="case",
    row_name=_l("Kind of crime"),
    column="case.offence_type",
)
