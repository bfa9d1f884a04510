"""Forms for the pages about one case: its contact details, and reassigning it.

Every choice is checked against what was offered (a forged value is a form error, never
a 500), every text has a limit, and contact details are checked and tidied by
portal.domain.contact_details (email-validator, phonenumbers, the UK postcode format).
"""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_pgettext
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.domain.contact_details import (
    InvalidContactDetail,
    normalise_email,
    normalise_postcode,
    normalise_uk_phone,
)
from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.models import Channel
from portal.services.case_officers import NOTE_LIMIT
from portal.validators import OneOf, PlainText, line_breaks, strip

#: Hours offered for safe times (as on the registration's phone-calls question).
HOURS = tuple(f"{hour:02d}:00" for hour in range(8, 21))
WHEN = ("any-time", "between")
YES_NO = ("yes", "no")
#: The ways an officer can add, as the form names them.
WAYS = {
    "email": Channel.EMAIL,
    "sms": Channel.SMS,
    "phone": Channel.PHONE,
    "letter": Channel.LETTER,
}

CONTACT_ERRORS = {
    "email": _l("Enter an email address in the correct format, like name@example.com"),
    "sms": _l("Enter a UK mobile number, like 07700 900 982"),
    "phone": _l("Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    "postcode": _l("Enter a real postcode, like CF10 1AA"),
}


def one_kind_of_line_break(value):
    """Browsers send a textarea's line breaks as CR LF, and pasted text brings others: keep
    LF only (portal.validators.line_breaks)."""
    return line_breaks(value)


def _radios(message, values, **kwargs) -> RadioField:
    return RadioField(
        choices=[SelectChoice(value) for value in values],
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(values, message)],
        **kwargs,
    )


class ConfirmForm(PortalForm):
    """A confirmation step: only the form's token (a forged post is refused)."""


class SafetyForm(PortalForm):
    """Mark a detail not safe, or safe again: the state asked for, so that sending the
    form twice changes nothing more."""

    to = StringField(validators=[OneOf(("safe", "unsafe"), _l("Choose what to do"))])


class SafeTimesMixin:
    when = _radios(_l("Select when it is safe to contact the victim"), WHEN)
    safe_from = StringField()
    safe_until = StringField()

    def validate_safe_from(self, field):
        if self.when.data == "between" and field.data not in HOURS:
            raise ValidationError(_l("Select the earliest safe time"))

    def validate_safe_until(self, field):
        if self.when.data != "between":
            return
        if field.data not in HOURS:
            raise ValidationError(_l("Select the latest safe time"))
        if self.safe_from.data in HOURS and field.data <= self.safe_from.data:
            raise ValidationError(_l("The latest safe time must be after the earliest"))

    def times(self) -> tuple[time | None, time | None]:
        if self.when.data != "between":
            return None, None
        return time.fromisoformat(self.safe_from.data), time.fromisoformat(self.safe_until.data)


class ChangeContactForm(SafeTimesMixin, PortalForm):
    """When a detail is safe to use; a phone's voicemail; an email address or mobile number
    confirmed with the victim. Only the questions that apply to the detail are asked
    (`asks`), and only those are checked."""

    voicemail = _radios(_l("Select whether a voicemail is safe"), YES_NO)
    confirmed = _radios(_l("Select whether you confirmed it with the victim"), YES_NO)

    def __init__(self, *args, asks: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.asks = asks
        for name in ("when", "safe_from", "safe_until", "voicemail", "confirmed"):
            if name not in asks and name in self._fields:
                del self[name]

    @classmethod
    def questions_for(cls, channel: Channel, confirmed: bool) -> frozenset[str]:
        asks = set()
        if channel in (Channel.EMAIL, Channel.SMS, Channel.PHONE):
            asks |= {"when", "safe_from", "safe_until"}
        if channel == Channel.PHONE:
            asks.add("voicemail")
        if channel in (Channel.EMAIL, Channel.SMS) and not confirmed:
            asks.add("confirmed")
        return frozenset(asks)

    def times(self) -> tuple[time | None, time | None]:
        return super().times() if "when" in self.asks else (None, None)


class AddContactForm(PortalForm):
    way = _radios(_l("Select the kind of contact detail to add"), tuple(WAYS))
    email = StringField(
        filters=[strip], validators=[Length(max=254, message=CONTACT_ERRORS["email"])]
    )
    mobile = StringField(
        filters=[strip], validators=[Length(max=30, message=CONTACT_ERRORS["sms"])]
    )
    phone = StringField(
        filters=[strip], validators=[Length(max=30, message=CONTACT_ERRORS["phone"])]
    )
    address_line_1 = StringField(
        filters=[strip],
        validators=[
            Length(max=100, message=_l("Address line 1 must be 100 characters or fewer")),
            PlainText(_l("Enter a real address")),
        ],
    )
    address_line_2 = StringField(
        filters=[strip],
        validators=[
            Length(max=100, message=_l("Address line 2 must be 100 characters or fewer")),
            PlainText(_l("Enter a real address")),
        ],
    )
    town = StringField(
        filters=[strip],
        validators=[
            Length(max=60, message=_l("Town or city must be 60 characters or fewer")),
            PlainText(_l("Enter a real address")),
        ],
    )
    postcode = StringField(
        filters=[strip], validators=[Length(max=10, message=CONTACT_ERRORS["postcode"])]
    )
    safe = _radios(_l("Select whether it is safe for us to use"), YES_NO)
    confirmed = _radios(_l("Select whether you confirmed it with the victim"), YES_NO)

    def _chosen(self, way: str) -> bool:
        return self.way.data == way

    def validate_email(self, field):
        if self._chosen("email"):
            if not field.data:
                raise ValidationError(_l("Enter the email address"))
            try:
                field.clean = normalise_email(field.data)
            except InvalidContactDetail as error:
                raise ValidationError(CONTACT_ERRORS["email"]) from error

    def _phone(self, field, way: str, empty) -> None:
        if self._chosen(way):
            if not field.data:
                raise ValidationError(empty)
            try:
                field.clean = normalise_uk_phone(field.data, mobile=way == "sms")
            except InvalidContactDetail as error:
                raise ValidationError(CONTACT_ERRORS[way]) from error

    def validate_mobile(self, field):
        self._phone(field, "sms", _l("Enter the mobile number"))

    def validate_phone(self, field):
        self._phone(field, "phone", _l("Enter the phone number"))

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
                raise ValidationError(CONTACT_ERRORS["postcode"]) from error

    def channel(self) -> Channel:
        return WAYS[self.way.data]

    def value(self) -> str:
        """The detail as it is kept: normalised, an address a line each."""
        way = self.way.data
        if way == "letter":
            lines = (self.address_line_1.data, self.address_line_2.data, self.town.data)
            return "\n".join([*(line for line in lines if line), self.postcode.clean])
        field = {"email": self.email, "sms": self.mobile, "phone": self.phone}[way]
        return field.clean

    def field_for(self, way: str):
        """The field a duplicate is reported on."""
        return {"email": self.email, "sms": self.mobile, "phone": self.phone}.get(
            way, self.address_line_1
        )


#: An officer's id as a form sends it: ASCII digits, small enough for a 32-bit integer.
OFFICER_ID = re.compile(r"[0-9]{1,9}")


class ReassignForm(PortalForm):
    officer = RadioField(validate_choice=False)
    note = TextAreaField(
        filters=[one_kind_of_line_break],
        validators=[
            DataRequired(message=_l("Write a handover note for the new officer")),
            Length(
                max=NOTE_LIMIT,
                message=_l("The handover note must be %(max)d characters or fewer", max=NOTE_LIMIT),
            ),
        ],
    )
    tell_victim = BooleanField(default=True)

    def validate_officer(self, field):
        """Which officers may have the case is the service's rule (case_officers.reassign):
        it says why one may not, the same officer, another region's, an inactive one."""
        if not field.data:
            raise ValidationError(_l("Select the officer who should have the case"))
        if not OFFICER_ID.fullmatch(field.data):
            raise ValidationError(_l("Select one of the officers listed"))


#: Welsh answers follow the question's verb: each yes and no has its question as context.
SAFE_ANSWERS = (
    ("yes", lazy_pgettext("Is it safe for us to use?", "Yes")),
    ("no", lazy_pgettext("Is it safe for us to use?", "No")),
)
CONFIRMED_ANSWERS = (
    ("yes", lazy_pgettext("Have you confirmed it with the victim?", "Yes")),
    ("no", lazy_pgettext("Have you confirmed it with the victim?", "No")),
)
VOICEMAIL_ANSWERS = (
    ("yes", lazy_pgettext("Is a voicemail safe?", "Yes")),
    ("no", lazy_pgettext("Is a voicemail safe?", "No")),
)
