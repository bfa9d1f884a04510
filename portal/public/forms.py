"""Forms for the public pages: one question each, GOV.UK error messages."""

from __future__ import annotations

from functools import cache

from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.questions.fields import radio_field

#: What to say when a question is not answered (or answered with a forged value).
ELIGIBILITY_ERRORS = {
    "who": _l("Select who you are"),
    "consent": _l("Select yes if the victim knows you are asking and agrees"),
    "offence": _l("Select what kind of crime it was"),
    "sentence": _l("Select the sentence the offender got"),
    "restriction": _l("Select yes if the court also made a restriction order"),
    "domestic-abuse": _l("Select yes if the crime was part of domestic abuse"),
}


@cache
def _eligibility_form_class(question: str, choices: tuple[str, ...]) -> type[PortalForm]:
    """The form of one question, made once (a class made for each request cost more than
    the rest of the form)."""

    class EligibilityForm(PortalForm):
        answer = radio_field(ELIGIBILITY_ERRORS[question], choices)

    return EligibilityForm


def eligibility_form(question: str, choices: tuple[str, ...], **kwargs) -> PortalForm:
    return _eligibility_form_class(question, choices)(**kwargs)
