"""The words of the registration's own pages that Python needs: titles and messages.

Each question's words are in its module in portal/questions/.
"""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.questions.contact import WAYS
from portal.questions.declaration import choice_text
from portal.services.verification import CheckResult

PAGE_TITLES = {
    "check-answers": _l("Check your answers"),
    "verify": _l("Where should we send a security code?"),
    "verify-none": _l("We need an email address or mobile number"),
    "security-code": _l("Enter the security code"),
    "declaration": _l("Send your request to join"),
    "confirmation": _l("Request sent"),
    "resume": _l("Enter your email address or mobile number"),
}

CHOOSE_WHERE = _l("Select where to send the code")
TOO_MANY_CODES = _l(
    "Too many codes have been asked for. Try again in an hour. If it still does not work, "
    "contact the Victim Liaison Unit for your area."
)
RESUME_FORMAT = _l("Enter an email address like name@example.com, or a UK mobile number")
CODE_RESULTS = {
    CheckResult.WRONG: _l("The security code is not right. Check it and try again."),
    CheckResult.EXPIRED: _l("This code has expired. Ask for a new code."),
    CheckResult.TOO_MANY_ATTEMPTS: _l(
        "You have entered the wrong code too many times. Ask for a new code."
    ),
    CheckResult.NO_CODE: _l("Ask for a new code."),
}


def way_label(way: str) -> str:
    return str(choice_text(WAYS, way))
