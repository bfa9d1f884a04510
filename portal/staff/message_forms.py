"""The forms of a case's messages (staff.case_messages) and of an officer's own account.

- A reply: what the officer writes (plain text, at most MESSAGE_LENGTH characters once a
  browser's CR LF line breaks are counted as one, as the character count counts them), the
  language it is written in, and a one-time key (a double click sends it once).
- A standard reply to start from: which one, and in which language (the victim's unless
  the officer chooses the other).
- The daily summary email: on or off.

Every choice is checked against what was offered: a forged value is a form error.
"""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from portal.domain.messages import MESSAGE_LENGTH
from portal.forms import PortalForm, is_submission_key, new_submission_key
from portal.language import lazy_gettext as _l
from portal.models import LARGEST_ID, Language
from portal.services.reply_templates import ReplyTemplate
from portal.staff.contact_forms import one_kind_of_line_break
from portal.validators import OneOf, PlainText, typed_length

LANGUAGES = [language.value for language in Language]
REPLY_PREFIX, TEMPLATE_PREFIX = "reply", "template"


def _strip(value):
    # Line breaks inside are kept; spaces around the whole reply are not.
    return value.strip() if isinstance(value, str) else value


def _language(message) -> RadioField:
    return RadioField(
        choices=[SelectChoice(value) for value in LANGUAGES],
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(LANGUAGES, message)],
    )


def seen_up_to(value) -> int | None:
    """The newest message the page showed (a form's `seen`), or None for a forged value."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


class ReplyForm(PortalForm):
    """The officer's reply to the victim."""

    submission_key = HiddenField()
    #: The newest message of the conversation the page showed: the reply answers the
    #: victim's messages up to it, not one that arrived while the officer wrote.
    seen = HiddenField()
    body = TextAreaField(
        filters=[one_kind_of_line_break, _strip],
        validators=[
            PlainText(_l("Your reply must not include special characters")),
        ],
    )
    language = _language(_l("Select the language your reply is written in"))

    @classmethod
    def blank(cls, language: Language, body: str = ""):
        """The form as the page first shows it: a new one-time key, the victim's language."""
        return cls(
            formdata=None,
            prefix=REPLY_PREFIX,
            submission_key=new_submission_key(),
            language=language.value,
            body=body,
        )

    def has_valid_key(self) -> bool:
        return is_submission_key(self.submission_key.data) and self.seen_up_to() is not None

    def seen_up_to(self) -> int | None:
        return seen_up_to(self.seen.data)

    def validate_body(self, field):
        if not field.data:
            raise ValidationError(_l("Write your reply"))
        # Counted as the page's character count counts (an emoji is 2).
        if typed_length(field.data) > MESSAGE_LENGTH:
            raise ValidationError(
                _l("Your reply must be %(max)s characters or fewer", max=f"{MESSAGE_LENGTH:,}")
            )


class TemplateForm(PortalForm):
    """Which standard reply to start from, and in which language."""

    choice = SelectField(
        choices=[SelectChoice(""), *(SelectChoice(t.value) for t in ReplyTemplate)],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Select a standard reply")),
            OneOf([t.value for t in ReplyTemplate], _l("Select a standard reply")),
        ],
    )
    language = _language(_l("Select the language of the standard reply"))

    @classmethod
    def blank(cls, language: Language):
        return cls(formdata=None, prefix=TEMPLATE_PREFIX, language=language.value)


#: Each answer is a whole statement (a bare Yes or No would need the question's verb in
#: Welsh).
DAILY_SUMMARY_ANSWERS = {
    "on": _l("Email me a summary each working day"),
    "off": _l("Do not email me a summary"),
}


class DailySummaryForm(PortalForm):
    """Whether the officer wants the morning email of how many messages wait."""

    wanted = RadioField(
        choices=[SelectChoice(value) for value in DAILY_SUMMARY_ANSWERS],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Select whether you want a daily summary email")),
            OneOf(DAILY_SUMMARY_ANSWERS, _l("Select whether you want a daily summary email")),
        ],
    )
