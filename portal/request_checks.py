"""Requests the portal refuses before any view sees them.

No address, query string or form has a reason to carry a control character:
NUL (which PostgreSQL cannot store or compare, so a query with one fails),
the other C0 characters, DEL and the C1 characters. Such a request gets the
translated 400 page at once, before CSRF, rate limits or a database query.
Form values may still hold the line breaks and tabs a person can type into a
text box, and the line breaks they paste (vertical tab, form feed, NEL). No
form takes a file, so a form carrying one is refused too (a file
where a text field belongs would otherwise reach the form as an object no
validator expects).

A number in an address (`<int:case_id>`) names a record, whose id is a
PostgreSQL `integer`: a larger number matches no route (404), rather than
reaching the database, which would refuse it with an error (a 500).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from portal.models import LARGEST_ID  # the largest id a record can have

#: C0 controls (NUL included), DEL and the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The same, less what a text box may send: tab, line feed and carriage return, and the
#: line breaks people paste from other programs (vertical tab, form feed, NEL), which the
#: forms read as line breaks (portal.validators.line_breaks) or refuse with a clear error.
CONTROL_CHARACTERS_IN_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _any(pattern: re.Pattern[str], values: Iterable[str]) -> bool:
    return any(pattern.search(value) for value in values)


def refuse_control_characters() -> None:
    """A 400 for a control character in the path, the query string or a form."""
    if CONTROL_CHARACTERS.search(request.path):
        abort(400)
    arguments = request.args.items(multi=True)
    if _any(CONTROL_CHARACTERS, (part for pair in arguments for part in pair)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        if request.files:
            abort(400)  # no form here takes a file: one in a text field's place is forged
        fields = request.form.items(multi=True)
        if _any(CONTROL_CHARACTERS, (name for name, _ in fields)):
            abort(400)
        if _any(CONTROL_CHARACTERS_IN_TEXT, (value for _, value in request.form.items(multi=True))):
            abort(400)


class RecordId(IntegerConverter):
    """`<int:...>` in every route: a whole number no larger than a record's id can be."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RecordId
    app.before_request(refuse_control_characters)
