"""How we can contact someone: email, text, phone, letter, and each one's detail."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField, StringField, ValidationError
from wtforms.validators import InputRequired, Length

from portal.domain.contact_details import (
    InvalidContactDetail,
    normalise_email,
    normalise_postcode,
    normalise_uk_phone,
)
from portal.domain.journey import Choice
from portal.domain.registration_flow import CONTACT_WAYS
from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question, row
from portal.questions.fields import QuestionForm, text_field
from portal.validators import EachOneOf, PlainText, strip

#: The ways, in the order they are offered (safe-contact and verify use these words too).
WAYS = (
    Choice("email", _l("Email")),
    Choice("sms", _l("Text message")),
    Choice("phone", _l("Phone call")),
    Choice("letter", _l("Letter")),
)
ROW_NAMES = {
    "email": _l("Email"),
    "sms": _l("Mobile number for texts"),
    "phone": _l("Phone number for calls"),
    "letter": _l("Address for letters"),
}
SAFE = _l("Safe")
NOT_SAFE = _l("Not safe: we will not use it")

CONTACT_ERRORS = {
    "email-format": _l("Enter an email address in the correct format, like name@example.com"),
    "sms": _l("Enter a UK mobile number, like 07700 900 982"),
    "phone": _l("Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    "postcode-format": _l("Enter a real postcode, like CF10 1AA"),
}


class ContactForm(QuestionForm):
    ways = SelectMultipleField(
        choices=[SelectChoice(way) for way in CONTACT_WAYS],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Select at least one way we can contact you")),
            EachOneOf(CONTACT_WAYS, _l("Select at least one way we can contact you")),
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
    address_line_1 = text_field(
        100,
        _l("Address line 1 must be 100 characters or fewer"),
        PlainText(_l("Enter a real address")),
    )
    address_line_2 = text_field(
        100,
        _l("Address line 2 must be 100 characters or fewer"),
        PlainText(_l("Enter a real address")),
    )
    town = text_field(
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
        for way in CONTACT_WAYS:
            if not self._chosen(way):
                continue
            found[way] = {"value": values[way]}
            old = before.get(way) if isinstance(before, dict) else None
            if isinstance(old, dict) and old.get("value") == values[way] and "safe" in old:
                found[way]["safe"] = old["safe"]
        return found

    def answers(self, before: dict) -> dict:
        return {"contacts": self.contacts(before.get("contacts") or {})}

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


def _rows(answers: dict, language: str) -> list:
    return [
        row(
            ROW_NAMES[way],
            detail["value"],
            typed=True,
            extra=SAFE if detail.get("safe") else NOT_SAFE,
        )
        for way, detail in answers["contacts"].items()
    ]


def _record(answers: dict) -> dict:
    return {
        "contacts": {
            way: {"value": detail["value"], "is_safe": bool(detail.get("safe", True))}
            for way, detail in answers["contacts"].items()
        }
    }


QUESTION = Question(
    slug="contact",
    keys=("contacts",),
    form=ContactForm,
    title=_l("How can we contact you?"),
    template="register/questions/contact.html",
    choices=WAYS,
    section="contact",
    rows=_rows,
    record=_record,
)
