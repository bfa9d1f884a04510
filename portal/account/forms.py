"""Forms for signing in and for writing to the Victim Liaison Officer. The security code
form is the registration's own (CodeForm)."""

from __future__ import annotations

from flask_babel import format_decimal, gettext
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.domain.messages import MESSAGE_LENGTH
from portal.forms import PortalForm, is_submission_key, new_submission_key
from portal.language import lazy_gettext as _l
from portal.validators import CONTROL, PlainText, line_breaks, strip, typed_length

ENTER_CONTACT = _l(
    "Enter the email address or mobile number your Victim Liaison Officer has for you"
)
ENTER_MESSAGE = _l("Enter your message")
MESSAGE_NOT_PLAIN = _l("Your message must only include letters, numbers, spaces and punctuation")
#: A draft is what the person is typing, perhaps well over the limit; beyond this it is
#: not a draft of a message any more, and only the first DRAFT_LENGTH characters are kept.
DRAFT_LENGTH = 4 * MESSAGE_LENGTH


class SignInForm(PortalForm):
    contact = StringField(
        filters=[strip],
        validators=[DataRequired(message=ENTER_CONTACT), Length(max=254, message=ENTER_CONTACT)],
    )

    def validate_contact(self, field):
        if CONTROL.search(field.data or ""):
            raise ValidationError(ENTER_CONTACT)


def typed_text(value):
    """What was typed in a text box, as it was typed: a browser sends each line break as
    CR LF, which would count twice against the limit the page counts in; spaces around
    the whole text go."""
    if not isinstance(value, str):
        return value
    return line_breaks(value).strip()


class MessageForm(PortalForm):
    """A message to the officer: plain text, MESSAGE_LENGTH characters at most, and the
    form's one-time key (a second sending of the same form finds the first message)."""

    body = TextAreaField(
        id="message-body",
        filters=[typed_text],
        validators=[DataRequired(message=ENTER_MESSAGE), PlainText(MESSAGE_NOT_PLAIN)],
    )
    submission_key = HiddenField()

    @classmethod
    def blank(cls, draft: str | None = None) -> MessageForm:
        """A new form with a new key, holding the kept draft if there is one."""
        return cls(formdata=None, body=draft or "", submission_key=new_submission_key())

    def has_valid_key(self) -> bool:
        return is_submission_key(self.submission_key.data)

    def validate_body(self, field):
        if field.data and typed_length(field.data) > MESSAGE_LENGTH:
            raise ValidationError(
                gettext(
                    "Your message must be %(limit)s characters or fewer. It has %(count)s.",
                    limit=format_decimal(MESSAGE_LENGTH),
                    count=format_decimal(typed_length(field.data)),
                )
            )


def draft_text(value):
    """A draft keeps what is typed, less what a text box cannot hold (control characters)
    and anything past DRAFT_LENGTH: a save in the background never fails on its words."""
    if not isinstance(value, str):
        return ""
    return CONTROL.sub("", line_breaks(value))[:DRAFT_LENGTH]


class DraftForm(PortalForm):
    """The message form's text and key, sent in the background while the victim types."""

    body = TextAreaField(filters=[draft_text])
    submission_key = HiddenField()

    def has_valid_key(self) -> bool:
        return is_submission_key(self.submission_key.data)
