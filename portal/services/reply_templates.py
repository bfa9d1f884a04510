"""Standard replies an officer may start from, in English and Welsh.

The words are in the catalogue (marked with N_, translated when they are used, like the
timeline's standard wording in portal.services.timeline): an officer writing to a victim
who chose Welsh starts from the Welsh, whatever language the console is in. The officer
edits what they start from; nothing is sent as it stands without them pressing "Send".

Each reply is whole sentences in the victim's register ("you", plain words), names no
offender and no date, and points to a safe next step.
"""

from __future__ import annotations

import enum

from portal.catalogue import N_, in_language
from portal.domain.messages import REPLY_WITHIN_WORKING_DAYS


class ReplyTemplate(enum.StrEnum):
    ACKNOWLEDGE = "acknowledge"
    FIND_OUT = "find-out"
    PAROLE = "parole"
    PLEASE_CALL = "please-call"
    LICENCE_CONDITIONS = "licence-conditions"


#: What each standard reply says (the officer edits it before sending).
WORDING = {
    ReplyTemplate.ACKNOWLEDGE: N_(
        "Thank you for your message. I have read it and added it to your case. Write to me "
        "here if there is anything else you want to tell me or ask."
    ),
    ReplyTemplate.FIND_OUT: N_(
        "Thank you for your message. I do not know the answer yet. I will find out and "
        "reply to you here within %(days)d working days."
    ),
    ReplyTemplate.PAROLE: N_(
        "At a parole review, the Parole Board decides whether the offender can be released. "
        "You can write a Victim Personal Statement to say how the crime has affected you, "
        "and you can ask for licence conditions that keep you safe. I will tell you what the "
        "Parole Board decides. I can help you with each step."
    ),
    ReplyTemplate.PLEASE_CALL: N_(
        "Thank you for your message. It would be easier to talk about this on the phone. "
        "Please call your Victim Liaison Unit when it is safe for you to talk. The phone "
        "number is on your case page."
    ),
    ReplyTemplate.LICENCE_CONDITIONS: N_(
        "Licence conditions are rules the offender must follow after they are released. You "
        "can ask for conditions that protect you, such as not contacting you or not going "
        "to the area where you live. I can tell you about the conditions that relate to you. "
        "If you are in danger, call 999."
    ),
}


def read(value) -> ReplyTemplate | None:
    """The template a form chose, or None for anything else."""
    try:
        return ReplyTemplate(value)
    except ValueError:
        return None


def wording(template: ReplyTemplate, language: str) -> str:
    """The standard reply `template` in `language` ("en" or "cy"), ready to edit."""
    return in_language(str(language), WORDING[template]) % {"days": REPLY_WITHIN_WORKING_DAYS}
