"""The form that moves a victim's request on: the step (only those that can follow where
the request is are offered and accepted), what the victim will read (in their language;
needed to explain a decision or return a statement) and, for a decision summary, the day
it was sent. It carries the status the officer saw and a one-time key, so that a form sent
twice, or after someone else moved the request, changes nothing more."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length

from portal.domain import requests as rules
from portal.models import DatePrecision, RequestStatus
from portal.staff import request_wording as wording
from portal.staff.case_forms import TimelineEntryForm, _date_part
from portal.validators import PlainText


def _officer_words(value):
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class MoveForm(TimelineEntryForm):
    submission_key = HiddenField()
    seen = HiddenField()
    to = RadioField(
        choices=[SelectChoice(status.value) for status in RequestStatus],
        validate_choice=False,
        validators=[InputRequired(message=wording.CHOOSE_STEP)],
    )
    words = TextAreaField(
        filters=[_officer_words],
        validators=[
            Length(max=rules.OFFICER_WORDS_LENGTH, message=wording.WORDS_TOO_LONG),
            PlainText(wording.WORDS_CONTROL),
        ],
    )
    day = _date_part(2)
    month = _date_part(2)
    year = _date_part(4)

    def __init__(
        self, *args, offered: tuple[RequestStatus, ...] = (), asked_on: date | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.offered = offered
        #: The day the victim asked: a summary cannot have been sent before it.
        self.asked_on = asked_on

    @classmethod
    def blank(cls, today: date, prefix: str = "", **data):
        """Dated today (a summary is mostly recorded the day it is sent)."""
        parts = {"day": str(today.day), "month": str(today.month), "year": str(today.year)}
        return super().blank(today, prefix, **{**parts, **data})

    def chosen(self) -> RequestStatus | None:
        return (
            RequestStatus(self.to.data) if self.to.data in {s.value for s in self.offered} else None
        )

    def validate_to(self, field):
        if self.chosen() is None:
            raise ValidationError(wording.CHOOSE_STEP)

    def validate_words(self, field):
        chosen = self.chosen()
        if chosen in rules.WORDS_NEEDED and not field.data:
            raise ValidationError(wording.WORDS_NEEDED[chosen])

    def precision_wanted(self) -> DatePrecision | None:
        """Only the decision summary's step has a date (the day it was sent)."""
        return DatePrecision.DAY if self.chosen() in rules.DATED else None

    def check_date(self) -> bool:
        if not super().check_date():
            return False
        if self.precision_wanted() and self.asked_on and self.occurred_on < self.asked_on:
            self.date_error = str(wording.SENT_BEFORE_ASKED) % {
                "date": format_date(self.asked_on, format="long")
            }
            self.error_parts = ["day", "month", "year"]
            self.day.errors = [self.date_error]
            return False
        return True

    def sent_on(self) -> date | None:
        return self.occurred_on if self.chosen() in rules.DATED else None
