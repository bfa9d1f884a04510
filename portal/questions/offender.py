"""The name of the person who committed the crime."""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question
from portal.questions.fields import QuestionForm, name_field


class OffenderForm(QuestionForm):
    offender_name = name_field(
        _l("Enter the name of the person who committed the crime"),
        _l("Name must be 200 characters or fewer"),
        _l("Name must include letters"),
    )


QUESTION = Question(
    slug="offender",
    keys=("offender_name",),
    form=OffenderForm,
    title=_l("What is the name of the person who committed the crime?"),
    kind="text",
    hint=_l(
        "This helps us find the case. Give the name you know them by if you are not sure "
        "of their full name."
    ),
    spellcheck=False,
    section="case",
    row_name=_l("Offender’s name"),
    column="case.offender_name",
)
