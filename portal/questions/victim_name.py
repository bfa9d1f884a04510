"""The victim's name (the person registering's own, for a victim)."""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question
from portal.questions.fields import QuestionForm, name_field

TITLES = {
    "self": _l("What is your full name?"),
    "bereaved": _l("What was the full name of the person who died?"),
    "other": _l("What is the victim’s full name?"),
}


class VictimNameForm(QuestionForm):
    victim_name = name_field(
        _l("Enter the victim’s full name"),
        _l("Name must be 200 characters or fewer"),
        _l("Name must include letters"),
    )


QUESTION = Question(
    slug="victim-name",
    keys=("victim_name",),
    form=VictimNameForm,
    title=TITLES["other"],
    title_for_answers=lambda a: TITLES.get(a.get("registering_as"), TITLES["other"]),
    template="register/questions/victim-name.html",
    section="you",
    row_name=_l("Victim’s name"),
    column="victim.full_name",
)
