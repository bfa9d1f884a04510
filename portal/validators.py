"""Form checks shared by every blueprint, each with a GOV.UK error message."""

from __future__ import annotations

import re

from wtforms.validators import ValidationError

#: A letter in any script (Latin with ŵ ŷ â, Greek, Arabic, Chinese…), not a digit or "_".
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
#: Control characters (other than ordinary spaces) never belong in a typed answer.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class OneOf:
    """The answer must be one of the offered choices (a forged value is an error)."""

    def __init__(self, values, message):
        self.values, self.message = tuple(values), message

    def __call__(self, form, field):
        if field.data not in self.values:
            raise ValidationError(self.message)


class EachOneOf(OneOf):
    """Every ticked box must be one of the offered boxes."""

    def __call__(self, form, field):
        if not all(value in self.values for value in field.data or ()):
            raise ValidationError(self.message)


class PersonName:
    """A name in any script: it has at least one letter and no control characters."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        text = field.data or ""
        if text and (not LETTER.search(text) or CONTROL.search(text)):
            raise ValidationError(self.message)


class PlainText:
    """Free text with no control characters (line breaks are fine)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if CONTROL.search(field.data or ""):
            raise ValidationError(self.message)


#: What a person may paste as a line break: CR LF and CR (a browser sends every line break
#: of a text box as CR LF), a vertical tab (Word's and PowerPoint's line break), a form
#: feed, NEL and the Unicode line and paragraph separators.
LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def line_breaks(value):
    """Every kind of line break as one LF: a text counts each once, as the page does."""
    return LINE_BREAKS.sub("\n", value) if isinstance(value, str) else value


def typed_length(text: str) -> int:
    """A text's length as the GOV.UK character count counts it in the browser (JavaScript's
    `length`: UTF-16 code units, so an emoji counts 2), so that the page and the limit
    agree."""
    return len(text.encode("utf-16-le")) // 2


def strip(value):
    """Drop spaces around a typed answer; squash runs of spaces inside it."""
    return " ".join(value.split()) if isinstance(value, str) else value
