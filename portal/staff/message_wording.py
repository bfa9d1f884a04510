"""The words of the console's messages pages, in the catalogue (Welsh beside the English).

What the victim reads of a standard reply is in portal.services.reply_templates, in the
victim's language; here is what the officer reads, in the console's language.
"""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.models import Language, NotificationChannel
from portal.services.reply_templates import ReplyTemplate

QUEUE_TITLE = _l("Messages waiting for a reply")
CASE_TITLE = _l("Messages")
ACCOUNT_TITLE = _l("Your account")

#: The two lists of the queue page (MOJ sub-navigation).
YOUR_CASES = _l("Your cases")
YOUR_REGION = _l("Your region")
EVERY_REGION = _l("Every region")
BACK_TO_MESSAGES = _l("Back to the messages")

#: Each standard reply, as the officer chooses it.
TEMPLATE_NAMES = {
    ReplyTemplate.ACKNOWLEDGE: _l("Thank them: their message is read and added to their case"),
    ReplyTemplate.FIND_OUT: _l("I will find out and reply"),
    ReplyTemplate.PAROLE: _l("What happens at a parole review"),
    ReplyTemplate.PLEASE_CALL: _l("Ask them to call their Victim Liaison Unit"),
    ReplyTemplate.LICENCE_CONDITIONS: _l("About licence conditions"),
}

#: The languages a reply or a standard reply may be in, named in the console's language.
LANGUAGE_NAMES = {Language.WELSH: _l("Welsh"), Language.ENGLISH: _l("English")}

#: How the victim was told of the reply (a bare "you have a new message" notification).
TOLD_BY = {
    NotificationChannel.EMAIL: _l("The victim was told they have a new message, by email."),
    NotificationChannel.SMS: _l("The victim was told they have a new message, by text message."),
    NotificationChannel.LETTER: _l("The victim was told they have a new message, by letter."),
}
#: The same, when the notification waits for the victim's safe time to be contacted.
TOLD_LATER_BY = {
    NotificationChannel.EMAIL: _l(
        "The victim will be told they have a new message, by email, when their safe time "
        "to be contacted starts."
    ),
    NotificationChannel.SMS: _l(
        "The victim will be told they have a new message, by text message, when their safe "
        "time to be contacted starts."
    ),
    NotificationChannel.LETTER: _l(
        "The victim will be told they have a new message, by letter, when their safe time "
        "to be contacted starts."
    ),
}
NOT_TOLD = _l(
    "The victim could not be told: they have no email address, mobile number or postal "
    "address marked safe. Call them if that is safe."
)
NOT_TOLD_PAUSED = _l(
    "The victim has paused updates, so they were not told of your reply. They will see it "
    "when they sign in."
)


#: Why no reply can be written on this case (the page says so instead of the form).
REFUSED = {
    "declined": _l(
        "This registration was declined more than 90 days ago, so the victim can no longer "
        "sign in to read a reply. If they need an answer, call or write to them in a way "
        "that is safe."
    ),
    "closed": _l(
        "This case is closed, so no reply can be sent here. If the victim needs an answer, "
        "call or write to them in a way that is safe."
    ),
    "merged": _l("This registration was joined to the victim’s other case. Reply to them there."),
}
REFUSED_TITLE = _l("No reply can be sent on this case")

#: Beside each message: the language it is written in.
WRITTEN_IN = {Language.WELSH: _l("Written in Welsh."), Language.ENGLISH: _l("Written in English.")}
