"""Who is registering: the victim, or someone for them."""

from __future__ import annotations

from portal.domain.journey import Choice
from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question

QUESTION = Question(
    slug="who",
    keys=("registering_as",),
    title=_l("Who is registering?"),
    kind="radios",
    choices=(
        Choice("self", _l("I am the victim")),
        Choice("parent", _l("I am the parent or guardian of a child victim")),
        Choice("bereaved", _l("I am close family of someone who died because of the crime")),
        Choice(
            "supporter",
            _l("I am helping a victim, and they agree"),
            _l("For example, a friend or a support worker."),
        ),
    ),
    error=_l("Select who is registering"),
    hint=_l(
        "You can register for yourself, or for someone else if they cannot or would rather not."
    ),
    section="you",
    row_name=_l("Who is registering"),
    column="victim.relationship_to_victim",
)
