"""Forms for the public pages: one question each, GOV.UK error messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

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


def eligibility_form(question: str, choices: tuple[str, ...], **kwargs) -> FlaskForm:
    class EligibilityForm(FlaskForm):
        answer = radio_field(ELIGIBILITY_ERRORS[question], choices)

    return EligibilityForm(**kwargs)
