"""One form a registration question, with GOV.UK error messages in both languages.

Each form turns its fields into draft answers (`answers()`) and back
(`from_answers()`), so the views stay the same for every question.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.domain import registration_flow as flow
from portal.domain.contact_details import (
    InvalidContactDetail,
    normalise_email,
    normalise_postcode,
    normalise_uk_phone,
)
from portal.domain.courts import court_by_code
from portal.validators import CONTROL, EachOneOf, OneOf, PersonName, PlainText, strip


def _radio(message, choices, **kwargs) -> RadioField:
    return RadioField(
        choices=[SelectChoice(choice) for choice in choices],
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(choices, message)],
        **kwargs,
    )


def _name_field(required, too_long, bad, max_length=200) -> StringField:
    return StringField(
        filters=[strip],
        validators=[
            DataRequired(message=required),
            Length(max=max_length, message=too_long),
            PersonName(bad),
        ],
    )


def _text(max_length: int, too_long, check) -> StringField:
    """An optional text answer: bounded, and checked by `check` (PlainText or PersonName)."""
    return StringField(
        filters=[strip], validators=[Length(max=max_length, message=too_long), check]
    )


class Question(FlaskForm):
    """A registration question: its answers in and out of the draft."""

    def answers(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        return {name: answers.get(name) for name in cls.__dict__ if name in answers}


class WhoForm(Question):
    registering_as = _radio(_l("Select who is registering"), flow.REGISTERING_AS)

    def answers(self) -> dict:
        return {"registering_as": self.registering_as.data}


class RelationshipForm(Question):
    relationship = StringField(
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your relationship to the victim")),
            Length(max=50, message=_l("Relationship must be 50 characters or fewer")),
            PersonName(_l("Relationship must include letters")),
        ],
    )
    consent = BooleanField()

    def __init__(self, *args, supporter: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.supporter = supporter

    def validate_consent(self, field):
        if self.supporter and not field.data:
            raise ValidationError(_l("Confirm that the victim knows and agrees"))

    def answers(self) -> dict:
        found = {"relationship": self.relationship.data}
        if self.supporter:
            found["consent"] = True
        return found


class YourNameForm(Question):
    your_name = _name_field(
        _l("Enter your full name"),
        _l("Your name must be 200 characters or fewer"),
        _l("Your name must include letters"),
    )


class VictimNameForm(Question):
    victim_name = _name_field(
        _l("Enter the victim’s full name"),
        _l("Name must be 200 characters or fewer"),
        _l("Name must include letters"),
    )


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


DATE_OF_BIRTH = DateParts(
    {
        "empty": _l("Enter the date of birth, or select that you do not know"),
        "missing-day": _l("Date of birth must include a day"),
        "missing-month": _l("Date of birth must include a month"),
        "missing-year": _l("Date of birth must include a year"),
        "missing-day-month": _l("Date of birth must include a day and month"),
        "missing-day-year": _l("Date of birth must include a day and year"),
        "missing-month-year": _l("Date of birth must include a month and year"),
        "real": _l("Date of birth must be a real date"),
        "year": _l("Year must include 4 numbers"),
        "future": _l("Date of birth must be in the past"),
        "early": _l("Date of birth must be after 1900"),
    },
    need_day=True,
)
SENTENCED = DateParts(
    {
        "empty": _l("Enter the month and year, or select that you do not know"),
        "missing-month": _l("The date they were sentenced must include a month"),
        "missing-year": _l("The date they were sentenced must include a year"),
        "real": _l("The date they were sentenced must be a real date"),
        "year": _l("Year must include 4 numbers"),
        "future": _l("The date they were sentenced must be in the past"),
        "early": _l("The date they were sentenced must be after 1950"),
    },
    need_day=False,
    earliest_year=1950,
)


def _part(max_length: int) -> StringField:
    # Spaces inside a number ("2 0 0 1") are typing slips, not errors.
    return StringField(
        filters=[lambda v: "".join(v.split()) if isinstance(v, str) else v],
        validators=[Optional(), Length(max=max_length)],
    )


class DateForm(Question):
    """Shared by the two date questions: the error goes on the first part to fix.

    A subclass declares its parts and `not_known` (in page order), the answer
    `key`, and how the date is written in the answers (`_as_text`, `_as_parts`).
    """

    parts: DateParts
    key: str

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.date_error, self.error_parts = None, []

    def answers(self) -> dict:
        return {self.key: None if self.not_known.data else self._as_text()}

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        if cls.key not in answers:
            return {}
        if answers[cls.key] is None:
            return {"not_known": True}
        return cls._as_parts(answers[cls.key])

    def validate(self, extra_validators=None) -> bool:
        typed = any(self._fields[n].data for n in ("day", "month", "year") if n in self._fields)
        if self.not_known.data and not typed:
            self.date_error, self.error_parts = None, []
            return FlaskForm.validate(self, extra_validators)
        if self.not_known.data:  # a date and "I do not know": which is it?
            FlaskForm.validate(self, extra_validators)
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


class DateOfBirthForm(DateForm):
    day = _part(2)
    month = _part(2)
    year = _part(4)
    not_known = BooleanField()
    parts = DATE_OF_BIRTH
    key = "date_of_birth"

    def _as_text(self) -> str:
        return date(int(self.year.data), int(self.month.data), int(self.day.data)).isoformat()

    @staticmethod
    def _as_parts(text: str) -> dict:
        found = date.fromisoformat(text)
        return {"day": str(found.day), "month": str(found.month), "year": str(found.year)}


class SentencedForm(DateForm):
    month = _part(2)
    year = _part(4)
    not_known = BooleanField()
    parts = SENTENCED
    key = "sentenced_in"

    def _as_text(self) -> str:
        return f"{int(self.year.data):04d}-{int(self.month.data):02d}"

    @staticmethod
    def _as_parts(text: str) -> dict:
        year, month = text.split("-")
        return {"month": str(int(month)), "year": year}


CONTACT_ERRORS = {
    "email-format": _l("Enter an email address in the correct format, like name@example.com"),
    "sms": _l("Enter a UK mobile number, like 07700 900 982"),
    "phone": _l("Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    "postcode-format": _l("Enter a real postcode, like CF10 1AA"),
}


class ContactForm(Question):
    ways = SelectMultipleField(
        choices=[SelectChoice(way) for way in flow.CONTACT_WAYS],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Select at least one way we can contact you")),
            EachOneOf(flow.CONTACT_WAYS, _l("Select at least one way we can contact you")),
        ],
    )
    email = StringField(
        filters=[strip],
        validators=[Length(max=254, message=_l("Email address must be 254 characters or fewer"))],
    )
    mobile = StringField(
        filters=[strip], validators=[Length(max=30, message=CONTACT_ERRORS["sms"])]
    )
    phone = StringField(
        filters=[strip], validators=[Length(max=30, message=CONTACT_ERRORS["phone"])]
    )
    address_line_1 = _text(
        100,
        _l("Address line 1 must be 100 characters or fewer"),
        PlainText(_l("Enter a real address")),
    )
    address_line_2 = _text(
        100,
        _l("Address line 2 must be 100 characters or fewer"),
        PlainText(_l("Enter a real address")),
    )
    town = _text(
        60, _l("Town or city must be 60 characters or fewer"), PlainText(_l("Enter a real address"))
    )
    postcode = StringField(
        filters=[strip], validators=[Length(max=10, message=CONTACT_ERRORS["postcode-format"])]
    )

    def _chosen(self, way: str) -> bool:
        return way in (self.ways.data or ())

    def validate_email(self, field):
        if self._chosen("email"):
            if not field.data:
                raise ValidationError(_l("Enter your email address"))
            try:
                field.clean = normalise_email(field.data)
            except InvalidContactDetail as error:
                raise ValidationError(CONTACT_ERRORS["email-format"]) from error

    def _phone(self, field, way: str, empty):
        if self._chosen(way):
            if not field.data:
                raise ValidationError(empty)
            try:
                field.clean = normalise_uk_phone(field.data, mobile=way == "sms")
            except InvalidContactDetail as error:
                raise ValidationError(CONTACT_ERRORS[way]) from error

    def validate_mobile(self, field):
        self._phone(field, "sms", _l("Enter your mobile number"))

    def validate_phone(self, field):
        self._phone(field, "phone", _l("Enter your phone number"))

    def validate_address_line_1(self, field):
        if self._chosen("letter") and not field.data:
            raise ValidationError(_l("Enter address line 1, typically the building and street"))

    def validate_town(self, field):
        if self._chosen("letter") and not field.data:
            raise ValidationError(_l("Enter town or city"))

    def validate_postcode(self, field):
        if self._chosen("letter"):
            if not field.data:
                raise ValidationError(_l("Enter postcode"))
            try:
                field.clean = normalise_postcode(field.data)
            except InvalidContactDetail as error:
                raise ValidationError(CONTACT_ERRORS["postcode-format"]) from error

    def contacts(self, before: dict) -> dict:
        """The chosen ways with their details; a detail that did not change keeps its safety."""
        values = {
            "email": getattr(self.email, "clean", None),
            "sms": getattr(self.mobile, "clean", None),
            "phone": getattr(self.phone, "clean", None),
            "letter": "\n".join(
                part
                for part in (
                    self.address_line_1.data,
                    self.address_line_2.data,
                    self.town.data,
                    getattr(self.postcode, "clean", None),
                )
                if part
            ),
        }
        found = {}
        for way in flow.CONTACT_WAYS:
            if not self._chosen(way):
                continue
            found[way] = {"value": values[way]}
            old = before.get(way) if isinstance(before, dict) else None
            if isinstance(old, dict) and old.get("value") == values[way] and "safe" in old:
                found[way]["safe"] = old["safe"]
        return found

    def answers(self) -> dict:
        raise NotImplementedError("use contacts(), which needs the answers before")

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        contacts = answers.get("contacts") or {}
        data: dict = {"ways": list(contacts)}
        for way, field in (("email", "email"), ("sms", "mobile"), ("phone", "phone")):
            if way in contacts:
                data[field] = contacts[way]["value"]
        if "letter" in contacts:
            lines = contacts["letter"]["value"].split("\n")
            data["postcode"] = lines.pop() if len(lines) > 1 else ""
            data["town"] = lines.pop() if len(lines) > 1 else ""
            data["address_line_1"] = lines[0] if lines else ""
            data["address_line_2"] = "\n".join(lines[1:])
        return data


class SafeContactForm(Question):
    safe = SelectMultipleField(
        choices=[SelectChoice(way) for way in flow.CONTACT_WAYS], validate_choice=False
    )

    def __init__(self, *args, offered: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = offered

    def validate_safe(self, field):
        if not all(value in self.offered for value in field.data or ()):
            raise ValidationError(_l("Select the ways that are safe to use"))
        if not field.data:
            raise ValidationError(_l("Select at least one way that is safe for us to use"))

    def apply(self, contacts: dict) -> dict:
        return {way: {**detail, "safe": way in self.safe.data} for way, detail in contacts.items()}

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        contacts = answers.get("contacts") or {}
        return {"safe": [way for way, detail in contacts.items() if detail.get("safe") is True]}


#: Hours offered for safe call times: 8am to 8pm.
CALL_HOURS = tuple(f"{hour:02d}:00" for hour in range(8, 21))


class PhoneCallsForm(Question):
    when = _radio(_l("Select when it is safe to call"), ("any-time", "between"))
    safe_from = RadioField(choices=[SelectChoice(h) for h in CALL_HOURS], validate_choice=False)
    safe_until = RadioField(choices=[SelectChoice(h) for h in CALL_HOURS], validate_choice=False)
    voicemail = _radio(_l("Select yes if we can leave a voicemail"), ("yes", "no"))

    def validate_safe_from(self, field):
        if self.when.data == "between" and field.data not in CALL_HOURS:
            raise ValidationError(_l("Select the earliest time we can call"))

    def validate_safe_until(self, field):
        if self.when.data != "between":
            return
        if field.data not in CALL_HOURS:
            raise ValidationError(_l("Select the latest time we can call"))
        if self.safe_from.data in CALL_HOURS and field.data <= self.safe_from.data:
            raise ValidationError(_l("The latest time must be after the earliest time"))

    def answers(self) -> dict:
        between = self.when.data == "between"
        return {
            "safe_from": self.safe_from.data if between else None,
            "safe_until": self.safe_until.data if between else None,
            "voicemail_safe": self.voicemail.data == "yes",
        }

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        if "voicemail_safe" not in answers:
            return {}
        between = bool(answers.get("safe_from"))
        return {
            "when": "between" if between else "any-time",
            "safe_from": answers.get("safe_from"),
            "safe_until": answers.get("safe_until"),
            "voicemail": "yes" if answers["voicemail_safe"] else "no",
        }


class LettersForm(Question):
    envelope_name_to_avoid = _text(
        200, _l("Name must be 200 characters or fewer"), PersonName(_l("Name must include letters"))
    )


class LanguageForm(Question):
    language = _radio(_l("Select the language you want us to write to you in"), ("en", "cy"))


class AccessibilityForm(Question):
    accessibility_needs = SelectMultipleField(
        choices=[SelectChoice(need) for need in (*flow.ACCESSIBILITY_NEEDS, "none")],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Select what would help you, or select ‘No, none of these’")),
            EachOneOf(
                (*flow.ACCESSIBILITY_NEEDS, "none"),
                _l("Select what would help you, or select ‘No, none of these’"),
            ),
        ],
    )

    def validate_accessibility_needs(self, field):
        if "none" in field.data and len(field.data) > 1:
            raise ValidationError(_l("Select what would help you, or select ‘No, none of these’"))

    def answers(self) -> dict:
        return {"accessibility_needs": [n for n in self.accessibility_needs.data if n != "none"]}

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        if "accessibility_needs" not in answers:
            return {}
        return {"accessibility_needs": answers["accessibility_needs"] or ["none"]}


class OffenderForm(Question):
    offender_name = _name_field(
        _l("Enter the name of the person who committed the crime"),
        _l("Name must be 200 characters or fewer"),
        _l("Name must include letters"),
    )


class OffenceForm(Question):
    offence_type = _radio(_l("Select what kind of crime it was"), flow.OFFENCE_TYPES)


class CourtForm(Question):
    court = StringField(
        validators=[InputRequired(message=_l("Select the court, or select that it is not listed"))]
    )

    def validate_court(self, field):
        if field.data != flow.NOT_LISTED and court_by_code(field.data or "") is None:
            raise ValidationError(_l("Select the court, or select that it is not listed"))


class SentenceForm(Question):
    sentence = _text(
        200,
        _l("Sentence must be 200 characters or fewer"),
        PlainText(_l("Enter the sentence in words")),
    )
    external_reference = _text(
        50,
        _l("Reference must be 50 characters or fewer"),
        PlainText(_l("Enter the reference as it is written")),
    )


class UpdatesForm(Question):
    updates_wanted = _radio(_l("Select how much you want to hear"), flow.UPDATES_WANTED)


class ChooseContactForm(FlaskForm):
    """Where to send the security code: one of the safe email address or mobile number."""

    way = RadioField(
        choices=[SelectChoice(w) for w in flow.VERIFIABLE],
        validate_choice=False,
        validators=[InputRequired(message=_l("Select where to send the code"))],
    )


class DeclarationForm(FlaskForm):
    agree = BooleanField(
        validators=[
            DataRequired(
                message=_l("Confirm that the information is true and that you agree to us using it")
            )
        ]
    )


class ResumeForm(FlaskForm):
    contact = StringField(
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the email address or mobile number you gave us")),
            Length(max=254, message=_l("Enter the email address or mobile number you gave us")),
        ],
    )

    def validate_contact(self, field):
        if CONTROL.search(field.data or ""):
            raise ValidationError(_l("Enter the email address or mobile number you gave us"))


#: Each question's form.
FORMS = {
    "who": WhoForm,
    "relationship": RelationshipForm,
    "your-name": YourNameForm,
    "victim-name": VictimNameForm,
    "date-of-birth": DateOfBirthForm,
    "contact": ContactForm,
    "safe-contact": SafeContactForm,
    "phone-calls": PhoneCallsForm,
    "letters": LettersForm,
    "language": LanguageForm,
    "accessibility": AccessibilityForm,
    "offender": OffenderForm,
    "offence": OffenceForm,
    "court": CourtForm,
    "sentenced": SentencedForm,
    "sentence": SentenceForm,
    "updates": UpdatesForm,
}
