"""The words of a victim's contact preferences, pausing and leaving (Welsh beside the English)."""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.models import Channel, SentenceStage

TITLES = {
    "preferences": _l("Contact preferences"),
    "add-email": _l("Add an email address"),
    "add-sms": _l("Add a mobile number for texts"),
    "add-phone": _l("Add a phone number for calls"),
    "add-letter": _l("Add a postal address"),
    "change-email": _l("Change your email address"),
    "change-sms": _l("Change your mobile number for texts"),
    "change-phone": _l("Change your phone number for calls"),
    "change-letter": _l("Change your postal address"),
    "check": _l("Check your new contact detail"),
    "security-code": _l("Enter the security code"),
    "unsafe": _l("Stop using this contact detail?"),
    "safe": _l("Start using this contact detail again?"),
    "remove": _l("Remove this contact detail?"),
    "times": _l("When is it safe for us to call or text you?"),
    "envelope": _l("Is there a name we should not put on envelopes?"),
    "language": _l("Which language do you want us to write to you in?"),
    "access-needs": _l("Do you need any of these to read or talk to us?"),
    "updates": _l("How much do you want to hear?"),
    "pause": _l("Pause updates"),
    "pause-date": _l("When do you want updates to start again?"),
    "pause-check": _l("Check your pause"),
    "pause-end": _l("Start updates again?"),
    "leave": _l("Leave the Victim Contact Scheme?"),
    "come-back": _l("Ask to come back into the scheme"),
}

#: Each kind of detail, as the victim reads it (the labels of check your answers).
DETAIL_NAMES = {
    Channel.EMAIL: _l("Email address"),
    Channel.SMS: _l("Mobile number for texts"),
    Channel.PHONE: _l("Phone number for calls"),
    Channel.LETTER: _l("Address for letters"),
}
ADD_LINKS = {
    Channel.EMAIL: _l("Add an email address"),
    Channel.SMS: _l("Add a mobile number for texts"),
    Channel.PHONE: _l("Add a phone number for calls"),
    Channel.LETTER: _l("Add a postal address"),
}
ALREADY_GIVEN = {
    Channel.EMAIL: _l("You have already given us this email address"),
    Channel.SMS: _l("You have already given us this mobile number"),
    Channel.PHONE: _l("You have already given us this phone number"),
    Channel.LETTER: _l("You have already given us this address"),
}
SAME_AS_BEFORE = {
    Channel.EMAIL: _l("Enter a new email address, not the one we have"),
    Channel.SMS: _l("Enter a new mobile number, not the one we have"),
    Channel.PHONE: _l("Enter a new phone number, not the one we have"),
    Channel.LETTER: _l("Enter a new address, not the one we have"),
}
TOO_MANY_CODES = _l(
    "You have asked for too many codes. Wait an hour before asking again, or contact your "
    "Victim Liaison Officer."
)
KEEP_ONE = _l(
    "You need to keep at least one way for us to contact you. You can mark it as not safe "
    "instead, or leave the scheme."
)

#: What the banner says a change did (the heading), once, on the contact preferences page.
DONE = {
    "added": _l("Contact detail added"),
    "replaced": _l("Contact detail changed"),
    "unsafe": _l("We will not use that contact detail"),
    "safe": _l("We will use that contact detail again"),
    "removed": _l("Contact detail removed"),
    "times": _l("Safe times changed"),
    "envelope": _l("Name not to put on envelopes changed"),
    "language": _l("Language changed"),
    "access-needs": _l("Access needs changed"),
    "updates": _l("How much you want to hear changed"),
    "paused": _l("Updates paused"),
    "resumed": _l("Updates started again"),
    "left": _l("You have left the Victim Contact Scheme"),
    "come-back": _l("We have told your Victim Liaison Officer that you want to come back"),
}
#: How the change was confirmed: through which kind of detail (masked), or why not.
TOLD_BY = {
    "email": _l("We have sent an email to %(to)s to confirm this change."),
    "sms": _l("We have sent a text message to %(to)s to confirm this change."),
    "letter": _l("We will send a letter to your address ending %(to)s to confirm this change."),
}
NOT_TOLD = _l(
    "We have not sent a message to confirm this change, because no other way to contact "
    "you is safe."
)
NOT_TOLD_LEFT = _l(
    "You have left the scheme, so we have not sent a message to confirm this change. We "
    "will not contact you unless you ask to come back."
)

#: What each pause means, in a sentence (the check page, and the case while it lasts).
PAUSED_UNTIL_STAGE = {
    SentenceStage.PAROLE: _l("Until a parole review starts"),
    SentenceStage.RELEASE: _l("Until the offender is released"),
    SentenceStage.LICENCE_CONDITIONS: _l("Until the licence conditions are set"),
    SentenceStage.END_OF_SENTENCE: _l("Until the sentence ends"),
}
PAUSED_UNTIL_DAY = _l("Until %(date)s")
PAUSED_FOR_NOW = _l("Until you start updates again")
PAUSE_REFUSED = {
    "status": _l("You cannot pause updates on this case now"),
    "past": _l("The date to pause updates until must be in the future"),
    "too-far": _l("The date to pause updates until must be within the next 5 years"),
    "stage": _l("Select how long to pause updates for"),
}
