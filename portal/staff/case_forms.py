"""The forms on a case's page: a sentence event, a call, letter or meeting, hiding an entry.

Each form that writes an entry carries a one-time key (a random UUID made when the
page is shown), so that sending it twice writes one entry (portal.services.timeline).
A date is typed as a day, a month or a year (portal.domain.event_dates); the error
goes on the first part to fix, as in the registration's date questions.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.case_timeline import CONTACT_KINDS, PRECISIONS_ALLOWED
from portal.domain.event_dates import DateProblem, read_date
from portal.forms import PortalForm, is_submission_key, new_submission_key
from portal.language import lazy_gettext as _l
from portal.models import ContactDirection, DatePrecision, SentenceStage, TimelineEventKind
from portal.validators import OneOf, PlainText

SUMMARY_LENGTH = 2000
NOTE_LENGTH = 2000

DATE_MESSAGES = {
    DateProblem.EMPTY: _l("Enter the date"),
    DateProblem.MISSING_DAY: _l("The date must include a day"),
    DateProblem.MISSING_MONTH: _l("The date must include a month"),
    DateProblem.MISSING_YEAR: _l("The date must include a year"),
    DateProblem.MISSING_DAY_MONTH: _l("The date must include a day and month"),
    DateProblem.MISSING_DAY_YEAR: _l("The date must include a day and year"),
    DateProblem.MISSING_MONTH_YEAR: _l("The date must include a month and year"),
    DateProblem.NOT_REAL: _l("The date must be a real date"),
    DateProblem.YEAR_DIGITS: _l("Year must include 4 numbers"),
    DateProblem.FUTURE: _l("The date must be today or in the past"),
    DateProblem.TOO_EARLY: _l("The date must be in 1950 or later"),
    DateProblem.DAY_NOT_WANTED: _l(
        "Leave the day empty when the victim may be told only the month or the year"
    ),
    DateProblem.MONTH_NOT_WANTED: _l(
        "Leave the month empty when the victim may be told only the year"
    ),
}

RELEASE_IS_A_MONTH = _l(
    "A release is only ever told as a month or a year, never the day, so that nobody can "
    "wait for the offender: select the month or the year"
)


def _date_part(max_length: int) -> StringField:
    # Spaces inside a number ("2 0 2 6") are typing slips, not errors.
    return StringField(
        filters=[lambda v: "".join(v.split()) if isinstance(v, str) else v],
        validators=[Optional(), Length(max=max_length)],
    )


def _radio(message, values) -> RadioField:
    return RadioField(
        choices=[SelectChoice(value) for value in values],
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(values, message)],
    )


def _text(max_length: int, too_long, control) -> TextAreaField:
    # Line breaks are kept; spaces around the whole text are not. A field left out of the
    # post (only a forged form does that) is empty, as a browser sends it, never None.
    return TextAreaField(
        filters=[lambda v: v.strip() if isinstance(v, str) else ""],
        validators=[Length(max=max_length, message=too_long), PlainText(control)],
    )


def _summary() -> TextAreaField:
    return _text(
        SUMMARY_LENGTH,
        _l("What the victim will read must be 2000 characters or fewer"),
        _l("What the victim will read must not include special characters"),
    )


def _internal_note() -> TextAreaField:
    return _text(
        NOTE_LENGTH,
        _l("The note for staff must be 2000 characters or fewer"),
        _l("The note for staff must not include special characters"),
    )


class TimelineEntryForm(PortalForm):
    """What both entry forms share: the one-time key, the date, the texts. Each form declares
    its fields in the order of the page, so that the error summary lists them in that order."""

    def __init__(self, *args, today: date, not_before: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        #: A contact cannot come before the case's clock started (it would stop the clock
        #: before it ran: an outside test dated a call a year early, "within target").
        self.not_before = not_before
        self.date_error, self.error_parts = None, []
        self.occurred_on: date | None = None

    @classmethod
    def blank(cls, today: date, prefix: str, **data):
        """The form as a page first shows it, with a new one-time key."""
        return cls(
            formdata=None, today=today, prefix=prefix, submission_key=new_submission_key(), **data
        )

    def has_valid_key(self) -> bool:
        return is_submission_key(self.submission_key.data)

    def precision_wanted(self) -> DatePrecision | None:
        return DatePrecision.DAY

    def check_date(self) -> bool:
        precision = self.precision_wanted()
        if precision is None:
            return True  # the precision's own error says what to do first
        self.occurred_on, problem, parts = read_date(
            self.day.data or "", self.month.data or "", self.year.data or "", precision, self.today
        )
        if problem is None and self.not_before and self.occurred_on < self.not_before:
            self.date_error = _l(
                "The date must be on or after %(date)s, the day this case started",
                date=format_date(self.not_before, format="long"),
            )
            self.error_parts = ["day", "month", "year"]
            self.day.errors = [self.date_error]
            return False
        if problem is None:
            return True
        self.date_error, self.error_parts = DATE_MESSAGES[problem], parts
        first = next(name for name in ("day", "month", "year") if name in parts)
        self._fields[first].errors = [self.date_error]
        return False

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        too_long = [name for name in ("day", "month", "year") if self._fields[name].errors]
        if too_long:  # one clear message, not three
            for name in ("day", "month", "year"):
                self._fields[name].errors = []
            self.date_error, self.error_parts = DATE_MESSAGES[DateProblem.NOT_REAL], too_long
            self._fields[too_long[0]].errors = [self.date_error]
            return False
        dated = self.check_date()
        return ok and dated


class StageForm(TimelineEntryForm):
    """A stage of the sentence, for the victim to read in their language."""

    submission_key = HiddenField()
    stage = _radio(_l("Select the stage of the sentence"), [s.value for s in SentenceStage])
    day = _date_part(2)
    month = _date_part(2)
    year = _date_part(4)
    precision = _radio(
        _l("Select how precisely the victim may be told the date"),
        [p.value for p in DatePrecision],
    )
    summary = _summary()
    internal_note = _internal_note()

    def precision_wanted(self) -> DatePrecision | None:
        if self.precision.data not in {p.value for p in DatePrecision}:
            return None
        return DatePrecision(self.precision.data)

    def validate_precision(self, field):
        """A release is told as a month or a year (checked once both answers are real)."""
        stages = {s.value for s in SentenceStage}
        precisions = {p.value for p in DatePrecision}
        if self.stage.data not in stages or field.data not in precisions:
            return
        if DatePrecision(field.data) not in PRECISIONS_ALLOWED[SentenceStage(self.stage.data)]:
            raise ValidationError(RELEASE_IS_A_MONTH)

    def validate_summary(self, field):
        if not field.data:
            raise ValidationError(_l("Write what the victim will read"))

    def chosen_stage(self) -> SentenceStage | None:
        """The stage chosen, checked alone (to offer its standard wording); its error if none."""
        if not self.stage.validate(self):
            return None
        return SentenceStage(self.stage.data)

    @property
    def entry_precision(self) -> DatePrecision:
        return DatePrecision(self.precision.data)


class ContactForm(TimelineEntryForm):
    """A call, letter or meeting with the victim."""

    submission_key = HiddenField()
    kind = _radio(
        _l("Select whether it was a phone call, a letter or a meeting"),
        [k.value for k in CONTACT_KINDS],
    )
    direction = _radio(_l("Select who made contact"), [d.value for d in ContactDirection])
    day = _date_part(2)
    month = _date_part(2)
    year = _date_part(4)
    visible = _radio(
        _l("Select whether the victim will see this on their case page"), ["yes", "no"]
    )
    summary = _summary()
    internal_note = _internal_note()

    @classmethod
    def blank(cls, today: date, prefix: str, **data):
        """Dated today (most contacts are recorded the day they happen), shown to the victim."""
        today_parts = {"day": str(today.day), "month": str(today.month), "year": str(today.year)}
        return super().blank(today, prefix, **{**today_parts, "visible": "yes", **data})

    def validate_summary(self, field):
        if self.visible.data == "yes" and not field.data:
            raise ValidationError(
                _l("Write what the victim will read, or select that only staff will see this")
            )

    def validate_internal_note(self, field):
        if self.visible.data == "no" and not field.data and not self.summary.data:
            raise ValidationError(_l("Write a note for staff about what happened"))

    @property
    def kind_value(self) -> TimelineEventKind:
        return TimelineEventKind(self.kind.data)


class VisibilityForm(PortalForm):
    """Hide an entry from the victim, or show it again (the answer, not a toggle)."""

    visible = _radio(_l("Select whether the victim will see this entry"), ["yes", "no"])
