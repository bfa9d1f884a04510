"""Forms that more than one blueprint uses: the court search, the security code, and the
one-time key of a form that writes (portal.services.submissions)."""

from __future__ import annotations

import uuid
from functools import cache

from babel.support import NullTranslations, Translations
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import SearchField, StringField, TextAreaField, ValidationError
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length

from portal.domain.security_codes import is_code_shaped, typed_code
from portal.language import lazy_gettext as _l
from portal.validators import strip


@cache
def wtforms_translations(locale: str) -> NullTranslations:
    """WTForms' own messages ("Not a valid choice", in Welsh too) in `locale`, read from
    its catalogue once for the process."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


#: A one-line field sent with more characters than this (and more than it may have) is
#: shown again cut to its most length. Up to this, what was sent is shown back whole, so a
#: person who typed or pasted a little too much (a long sentence, a reference, a name)
#: shortens it themselves: cut, the field would look right beside its error, and sending it
#: again would save words they never chose (and the inline check, swapping in the field
#: when focus leaves it, would cut what they are still writing).
SHOWN_WHOLE_UP_TO = 1000


def longest_allowed(field) -> int | None:
    """The most characters a field's Length validator allows, or None."""
    allowed = [
        validator.max
        for validator in field.validators
        if isinstance(validator, Length) and validator.max is not None and validator.max >= 0
    ]
    return min(allowed) if allowed else None


class PortalForm(FlaskForm):
    """Every form's base. Flask-WTF read WTForms' catalogue from disk again for each
    request that made a form with choices (the eligibility questions, say); here it is
    read once for each language.

    A one-line field with a most length that was sent far longer (more than
    SHOWN_WHOLE_UP_TO characters) is shown again cut to that length, with its error: a page
    never sends back megabytes someone pasted (or a script sent) into an email address.
    A little too long, it is shown whole. A text area keeps all of it: its character count
    says how much to take out, and what was written is never lost."""

    class Meta:
        def get_translations(self, form):
            return wtforms_translations(str(get_locale()))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            for field in self:
                if isinstance(field, TextAreaField) or not field.errors:
                    continue
                longest = longest_allowed(field)
                data = field.data
                if (
                    longest is not None
                    and isinstance(data, str)
                    and len(data) > max(longest, SHOWN_WHOLE_UP_TO)
                ):
                    field.data = data[:longest]
                    field.raw_data = [field.data]
        return valid


class CourtSearchForm(PortalForm):
    """Find a Crown Court by town, city or name (regions, and the registration's court)."""

    class Meta:
        csrf = False  # a GET search: nothing is changed

    q = SearchField(
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name of a town, city or Crown Court")),
            Length(max=100, message=_l("Court name must be 100 characters or fewer")),
        ],
    )


#: The most characters a typed security code is read as (spaces and hyphens gone) and
#: shown again with its error: a code is 6; a megabyte sent as one came back as a
#: megabyte page, after a second reading it digit by digit.
TYPED_CODE_LENGTH = 50
CODE_NOT_SHAPED = _l("The security code must be 6 numbers")


def _typed_code(value):
    """What was typed, read as a code (typed_code); one too long to be a code is left as
    it is, to be refused and cut (PortalForm.validate) unread."""
    if isinstance(value, str) and len(value) <= 4 * TYPED_CODE_LENGTH:
        return typed_code(value)
    return value


class CodeForm(PortalForm):
    """A 6-digit security code: signing in, registering, carrying a registration on.

    Digits typed on another keyboard (full-width, Arabic-Indic) are read as 0-9."""

    code = StringField(
        filters=[_typed_code],
        validators=[
            DataRequired(message=_l("Enter the security code")),
            Length(max=TYPED_CODE_LENGTH, message=CODE_NOT_SHAPED),
        ],
    )

    def validate_code(self, field):
        if not field.errors and not is_code_shaped(field.data):  # one error, not two
            raise ValidationError(CODE_NOT_SHAPED)


def new_submission_key() -> str:
    """A form's one-time key: the same form sent twice writes once."""
    return str(uuid.uuid4())


def is_submission_key(value) -> bool:
    """Whether `value` is a key this service made (only a forged form has another)."""
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False
