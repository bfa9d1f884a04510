"""The name of someone registering for a victim."""

from __future__ import annotations

from portal.domain.registration_flow import acting_for_someone
from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question
from portal.questions.fields import QuestionForm, name_field


class YourNameForm(QuestionForm):
    your_name = name_field(
        _l("Enter your full name"),
        _l("Your name must be 200 characters or fewer"),
        _l("Your name must include letters"),
    )


QUESTION = Question(
    slug="your-name",
    keys=("your_name",),
    applies=acting_for_someone,
    form=YourNameForm,
    title=_l("What is your full name?"),
    kind="text",
    hint=_l("We will use this name when we contact you."),
    autocomplete="name",
    spellcheck=False,
    section="you",
    row_name=_l("Your name"),
    column="victim.representative_name",
)
