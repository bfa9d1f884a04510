"""Forms for a victim's own choices, built from the registration questions' forms
(portal/questions/): the same fields, checks and words for a contact detail, the safe
times and voicemail, the name not to put on envelopes, the language, access needs and how
much to hear. Every choice is checked against what was offered (a forged value is a form
error, never a 500) and every text has a limit.
"""

from __future__ import annotations

from datetime import date

from wtforms import SelectChoice, SelectMultipleField, StringField, ValidationError
from wtforms.validators import InputRequired

from portal.domain.journey import Choice
from portal.domain.participation import latest_pause_day, pause_day_problem
from portal.domain.registration_flow import ACCESSIBILITY_NEEDS
from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.models import SentenceStage
from portal.questions import accessibility, updates
from portal.questions import language as language_question
from portal.questions.accessibility import AccessibilityForm
from portal.questions.contact import ContactForm
from portal.questions.fields import DateForm, DateParts, date_part, text_field
from portal.questions.letters import LettersForm
from portal.questions.phone_calls import PhoneCallsForm
from portal.validators import EachOneOf, OneOf, PlainText

#: Registering's forms for the questions asked again here, as they are.
LanguageForm = language_question.QUESTION.form
UpdatesForm = updates.QUESTION.form
EnvelopeForm = LettersForm


class DetailForm(ContactForm):
    """One new contact detail of the kind `way` ("email", "sms", "phone" or "letter"):
    registering's fields and checks for it, without its "which ways" boxes."""

    ways = None

    def __init__(self, *args, way: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.way = way

    def _chosen(self, way: str) -> bool:
        return way == self.way

    def value(self) -> str:
        """The detail as it is kept (normalised), once the form is valid."""
        return self.contacts({})[self.way]["value"]


class TimesForm(PhoneCallsForm):
    """When it is safe to call or text; a voicemail only when there is a phone number."""

    def __init__(self, *args, with_voicemail: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_voicemail:
            del self["voicemail"]

    def voicemail_safe(self) -> bool | None:
        return self.voicemail.data == "yes" if "voicemail" in self._fields else None

    def times(self) -> tuple[str | None, str | None]:
        """The safe window ("09:00", "17:00"), or (None, None) for any time."""
        between = self.when.data == "between"
        return (
            self.safe_from.data if between else None,
            self.safe_until.data if between else None,
        )


SOMETHING_ELSE = Choice("other", _l("Something else"))
#: Registering's access needs, and one in other words; or none.
ACCESS_NEEDS = (
    *(choice for choice in accessibility.CHOICES if choice.value in ACCESSIBILITY_NEEDS),
    SOMETHING_ELSE,
    *(choice for choice in accessibility.CHOICES if choice.exclusive),
)
NEEDS_VALUES = tuple(choice.value for choice in ACCESS_NEEDS)
SELECT_NEEDS = _l("Select what would help you, or select ‘No, none of these’")


class AccessNeedsForm(AccessibilityForm):
    """Registering's access needs question, with "Something else" in words (as a referral
    records it, in `Victim.accessibility_other`)."""

    accessibility_needs = SelectMultipleField(
        choices=[SelectChoice(value) for value in NEEDS_VALUES],
        validate_choice=False,
        validators=[InputRequired(message=SELECT_NEEDS), EachOneOf(NEEDS_VALUES, SELECT_NEEDS)],
    )
    accessibility_other = text_field(
        200,
        _l("What would help you must be 200 characters or fewer"),
        PlainText(_l("Tell us in words what would help you")),
    )

    def validate_accessibility_other(self, field):
        if "other" in (self.accessibility_needs.data or ()) and not field.data:
            raise ValidationError(_l("Tell us what else would help you"))

    def needs(self) -> list[str]:
        return [need for need in self.accessibility_needs.data if need != "none"]

    @classmethod
    def of(cls, kept: str | None, other: str | None) -> dict:
        """The form's data from what the victim's record holds ("large-print, bsl")."""
        needs = [need.strip() for need in (kept or "").split(",") if need.strip() in NEEDS_VALUES]
        return {"accessibility_needs": needs or ["none"], "accessibility_other": other or ""}


class SafetyForm(PortalForm):
    """Mark a detail not safe, or safe again: the state asked for, so that sending the form
    twice changes nothing more."""

    to = StringField(validators=[OneOf(("safe", "unsafe"), _l("Choose what to do"))])


class ConfirmForm(PortalForm):
    """A confirmation step: only the form's token (a forged post is refused)."""


# --- pausing ------------------------------------------------------------------------------

PAUSE_DAY = DateParts(
    {
        "empty": _l("Enter the date for the pause to end"),
        "missing-day": _l("The date to pause updates until must include a day"),
        "missing-month": _l("The date to pause updates until must include a month"),
        "missing-year": _l("The date to pause updates until must include a year"),
        "missing-day-month": _l("The date to pause updates until must include a day and month"),
        "missing-day-year": _l("The date to pause updates until must include a day and year"),
        "missing-month-year": _l("The date to pause updates until must include a month and year"),
        "real": _l("The date to pause updates until must be a real date"),
        "year": _l("Year must include 4 numbers"),
        "future": _l("The date to pause updates until must be within the next 5 years"),
        "early": _l("The date to pause updates until must be in the future"),
    },
    need_day=True,
)
PAUSE_DAY_PROBLEMS = {
    "past": _l("The date to pause updates until must be in the future"),
    "too-far": _l("The date to pause updates until must be within the next 5 years"),
}


class PauseDayForm(DateForm):
    """The day a pause ends: a real date, after today and within PAUSE_AT_MOST_YEARS."""

    day = date_part(2)
    month = date_part(2)
    year = date_part(4)
    parts = PAUSE_DAY
    key = "until"

    def chosen(self) -> date:
        return date(int(self.year.data), int(self.month.data), int(self.day.data))

    def validate(self, extra_validators=None) -> bool:
        # DateParts refuses a day after `today` (it checks days in the past): the
        # furthest day allowed stands in for it, and a day not ahead is checked here.
        real_today, self.today = self.today, latest_pause_day(self.today)
        try:
            if not super().validate(extra_validators):
                return False
        finally:
            self.today = real_today
        problem = pause_day_problem(self.chosen(), self.today)
        if problem:
            self.date_error, self.error_parts = (
                PAUSE_DAY_PROBLEMS[problem],
                ["day", "month", "year"],
            )
            self.day.errors = [self.date_error]
            return False
        return True

    def error_list(self) -> list[dict]:
        if not self.date_error:
            return []
        first = next(n for n in ("day", "month", "year") if n in self.error_parts)
        return [{"text": self.date_error, "href": f"#{self[first].id}"}]


class PauseForm(PortalForm):
    """How long to pause updates: until a date (asked next), or until one of the stages still
    ahead."""

    until = StringField()

    def __init__(self, *args, stages: tuple[SentenceStage, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = ("day", *(stage.value for stage in stages))

    def validate_until(self, field):
        if field.data not in self.choices:
            raise ValidationError(_l("Select how long to pause updates for"))

    def stage(self) -> SentenceStage | None:
        """The stage chosen, or None for "until a date" (once the form is valid)."""
        return None if self.until.data == "day" else SentenceStage(self.until.data)


__all__ = [
    "AccessNeedsForm",
    "ConfirmForm",
    "DetailForm",
    "EnvelopeForm",
    "LanguageForm",
    "PauseDayForm",
    "PauseForm",
    "SafetyForm",
    "TimesForm",
    "UpdatesForm",
]
