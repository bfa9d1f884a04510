"""Checking and tidying the contact details people type.

Phone numbers with `phonenumbers` (UK numbers, stored as E.164), email
addresses with `email-validator` (syntax only: no network look-ups), UK
postcodes with the published format (no library for them is kept up).
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberType


class InvalidContactDetail(ValueError):
    """The detail is not in a form we can use; `reason` says which way."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_email(text: str) -> str:
    """An email address in the one form we keep, match and count: the whole of it lower case.

    Mail systems treat the part before the @ without case in practice, and a
    person types it differently from one day to the next: one form means one
    person's codes, limits and records always meet. Every email address the
    portal keeps or looks up goes through here.
    """
    try:
        result = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidContactDetail("email-format") from error
    return result.normalized.lower()


#: Ofcom keeps 07700 900000 to 07700 900999 for drama and examples: no phone has
#: one. phonenumbers calls them invalid; the demo data and training use them, so
#: that an example can never reach a real person.
DRAMA_MOBILES = re.compile(r"^7700900\d{3}$")


def normalise_uk_phone(text: str, *, mobile: bool) -> str:
    """A UK number as E.164 (+447700900123); `mobile` insists on a mobile number."""
    try:
        number = phonenumbers.parse(text.strip(), "GB")
    except NumberParseException as error:
        raise InvalidContactDetail("phone-format") from error
    if number.country_code == 44 and DRAMA_MOBILES.match(str(number.national_number)):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number):
        raise InvalidContactDetail("phone-format")
    if number.country_code != 44:
        raise InvalidContactDetail("phone-not-uk")
    kind = phonenumbers.number_type(number)
    if mobile and kind not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise InvalidContactDetail("phone-not-mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


#: The UK postcode format (outward code, space, inward code), including GIR 0AA.
POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|"
    r"[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(text: str) -> str:
    compact = re.sub(r"\s+", "", text).upper()
    if not POSTCODE.match(compact):
        raise InvalidContactDetail("postcode-format")
    return f"{compact[:-3]} {compact[-3:]}"


#: The ways a security code can go (NotificationChannel's values): what email_or_mobile finds.
CODE_WAYS = ("email", "sms")


def email_or_mobile(text: str) -> tuple[str, str] | None:
    """Read what someone typed to sign in: ("email", address) or ("sms", E.164), or None."""
    if "@" in text:
        try:
            return "email", normalise_email(text)
        except InvalidContactDetail:
            return None
    try:
        return "sms", normalise_uk_phone(text, mobile=True)
    except InvalidContactDetail:
        return None


def counted_form(value: str) -> str:
    """The form of an email address (normalised) or mobile number that limits count.

    Mail services deliver name+anything@example.com to name@example.com, so the
    "+anything" is left out, and Gmail ignores dots: one mailbox, one count.
    Phone numbers are as they are.
    """
    local, at, domain = value.partition("@")
    if not at:
        return value
    local = local.split("+", 1)[0] or local
    if domain in GMAIL_DOMAINS:
        # Gmail ignores dots, and googlemail.com is gmail.com.
        local, domain = local.replace(".", "") or local, "gmail.com"
    return f"{local}@{domain}"


#: Domains whose mailboxes ignore dots in the name.
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


#: What stands for the hidden part of a masked address or number.
MASK = "•••"


def masked(channel: str, value: str) -> str:
    """Enough of an address or number for an officer to tell which one it was, not enough
    to use: j•••@example.com, •••• 456, ••• 2BB (a letter: the end of the postcode).

    `channel` is a way of contact ("email", "sms", "phone", "letter"); an empty value
    (one the outbox forgot) stays empty.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if channel == "email":
        local, at, domain = value.rpartition("@")
        if not at or not local:
            return MASK
        return f"{local[0]}{MASK}@{domain}"
    if channel in ("sms", "phone"):
        digits = re.sub(r"\D", "", value)
        return f"•••• {digits[-3:]}" if len(digits) > 3 else MASK
    last_line = value.splitlines()[-1].replace(" ", "")
    return f"{MASK} {last_line[-3:]}" if len(last_line) > 3 else MASK


def readable(channel: str, value: str) -> str:
    """A detail as a person reads it: a UK phone number in the national form
    (029 2018 0000, 07700 900456); anything else as it is kept."""
    if channel not in ("sms", "phone"):
        return value
    try:
        number = phonenumbers.parse(value, "GB")
    except NumberParseException:
        return value
    if number.country_code != 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
