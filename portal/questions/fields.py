"""The pieces a registration question's form is built from (portal/questions/*.py)."""

from __future__ import annotations

from datetime import date

from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.forms import PortalForm
from portal.validators import OneOf, PersonName, strip


def radio_field(message, choices, **kwargs) -> RadioField:
    return RadioField(
        choices=[SelectChoice(choice) for choice in choices],
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(choices, message)],
        **kwargs,
    )


def name_field(required, too_long, bad, max_length=200) -> StringField:
    return StringField(
        filters=[strip],
        validators=[
            DataRequired(message=required),
            Length(max=max_length, message=too_long),
            PersonName(bad),
        ],
    )


def text_field(max_length: int, too_long, check) -> StringField:
    """An optional text answer: bounded, and checked by `check` (PlainText or PersonName)."""
    return StringField(
        filters=[strip], validators=[Length(max=max_length, message=too_long), check]
    )


class QuestionForm(PortalForm):
    """A registration question's form: its answers in and out of the draft.

    `from_answers` fills the form from the answers saved; `answers(before)` gives
    the answers to save (`before`: the draft's answers, for a form whose answer
    builds on them); `options` are the form's arguments for these answers.
    """

    @classmethod
    def options(cls, answers: dict, today: date) -> dict:
        return {}

    def answers(self, before: dict) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        return {name: answers.get(name) for name in cls.__dict__ if name in answers}

    def errors_only_for(self, field: str, formdata) -> None:
        """After validating: keep only the errors of `field`, the one that lost focus,
        and only when something was typed in it (checking as someone goes along)."""
        keep = self._group(field)
        typed = any((formdata.get(name) or "").strip() for name in keep)
        for name, form_field in self._fields.items():
            if name not in keep or not typed:
                form_field.errors = []

    def _group(self, field: str) -> set[str]:
        return {field}


class DateParts:
    """A GOV.UK date input's parts: the messages for one date, and the checks."""

    def __init__(self, messages: dict, need_day: bool, earliest_year: int = 1900):
        self.messages, self.need_day, self.earliest_year = messages, need_day, earliest_year

    def check(self, day: str, month: str, year: str, today: date) -> tuple[str | None, list]:
        """(message, parts to highlight), or (None, []) for a good date."""
        parts = {"day": day, "month": month, "year": year}
        if not self.need_day:
            parts.pop("day")
        missing = [name for name, value in parts.items() if not value]
        if len(missing) == len(parts):
            return self.messages["empty"], list(parts)
        if missing:
            return self.messages["missing-" + "-".join(missing)], missing
        if not all(value.isdigit() for value in parts.values()):
            return self.messages["real"], [n for n, v in parts.items() if not v.isdigit()]
        if len(year) != 4:
            return self.messages["year"], ["year"]
        try:
            found = date(int(year), int(month), int(day) if self.need_day else 1)
        except ValueError:
            return self.messages["real"], list(parts)
        if found > today:
            return self.messages["future"], list(parts)
        if found.year < self.earliest_year:
            return self.messages["early"], ["year"]
        return None, []


def date_part(max_length: int) -> StringField:
    # Spaces inside a number ("2 0 0 1") are typing slips, not errors.
    return StringField(
        filters=[lambda v: "".join(v.split()) if isinstance(v, str) else v],
        validators=[Optional(), Length(max=max_length)],
    )


DATE_PARTS = {"day", "month", "year"}


class DateForm(QuestionForm):
    """Shared by the two date questions: the error goes on the first part to fix.

    A subclass declares its parts and `not_known` (in page order), the answer
    `key`, and how the date is written in the answers (`_as_text`, `_as_parts`).
    A date that must be given (a referral's) declares no `not_known`.
    """

    parts: DateParts
    key: str

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.date_error, self.error_parts = None, []

    @classmethod
    def options(cls, answers: dict, today: date) -> dict:
        return {"today": today}

    def _unknown(self) -> bool:
        """Whether "I do not know" was chosen (a date that must be given has no such box)."""
        return "not_known" in self._fields and bool(self._fields["not_known"].data)

    def answers(self, before: dict) -> dict:
        return {self.key: None if self._unknown() else self._as_text()}

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        if cls.key not in answers:
            return {}
        if answers[cls.key] is None:
            return {"not_known": True}
        return cls._as_parts(answers[cls.key])

    def _group(self, field: str) -> set[str]:
        # A date is one answer: its parts are checked together.
        return DATE_PARTS if field in DATE_PARTS else {field}

    def errors_only_for(self, field: str, formdata) -> None:
        super().errors_only_for(field, formdata)
        keep = self._group(field)
        if field not in DATE_PARTS or not any((formdata.get(n) or "").strip() for n in keep):
            self.date_error, self.error_parts = None, []

    def validate(self, extra_validators=None) -> bool:
        typed = any(self._fields[n].data for n in ("day", "month", "year") if n in self._fields)
        if self._unknown() and not typed:
            self.date_error, self.error_parts = None, []
            return PortalForm.validate(self, extra_validators)
        if self._unknown():  # a date and "I do not know": which is it?
            PortalForm.validate(self, extra_validators)
            first = "day" if "day" in self._fields else "month"
            self.date_error, self.error_parts = self.parts.messages["empty"], [first]
            self._fields[first].errors = [self.date_error]
            return False
        ok = super().validate(extra_validators)
        if not ok:
            # Over-long parts: one clear message, not three.
            for name in ("day", "month", "year"):
                if name in self._fields:
                    self._fields[name].errors = []
            self.date_error, self.error_parts = self.parts.messages["real"], ["day", "month"]
        else:
            self.date_error, self.error_parts = self.parts.check(
                (self.day.data if "day" in self._fields else "") or "",
                self.month.data or "",
                self.year.data or "",
                self.today,
            )
        if self.date_error:
            first = next(
                name
                for name in ("day", "month", "year")
                if name in self.error_parts and name in self._fields
            )
            self._fields[first].errors = [self.date_error]
            return False
        return True
