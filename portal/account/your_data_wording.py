"""The words of "Your data", in the catalogue (Welsh beside the English).

The export's values are stored codes; these are the words a person reads for them, on
the page and in the downloaded web page. Names of stages, statuses, event kinds and
decline reasons come from the case page's own wording (portal/account/wording.py).
"""

from __future__ import annotations

from portal.account import representative_wording, wording
from portal.language import lazy_gettext as _l
from portal.models import CaseSource, CaseStatus, Channel, Language, UpdatesWanted
from portal.questions.accessibility import CHOICES as ACCESS_CHOICES

TITLE = _l("Your data")
#: The downloaded web page's name, before its date (letters, digits and hyphens only).
FILE_NAME = _l("your-data")

STATUSES = {
    **wording.STATUSES,
    CaseStatus.CLOSED: _l("Closed: you no longer get updates"),
    CaseStatus.MERGED: _l("Joined to your other request"),
}

#: Who registered: the first part of `Victim.relationship_to_victim` (the rest is their words).
REGISTERED_AS = {
    "self": _l("You, for yourself"),
    "parent": _l("A parent or guardian of a child victim"),
    "bereaved": _l("Close family of someone who died because of the crime"),
    "bereaved-family": _l("Close family of someone who died because of the crime"),
    "supporter": _l("Someone helping the victim, with their agreement"),
}

LANGUAGES = {Language.ENGLISH: _l("English"), Language.WELSH: _l("Welsh (Cymraeg)")}

ACCESS_NEEDS = {choice.value: choice.text for choice in ACCESS_CHOICES}

OFFENCES = {
    "violent": _l("A violent crime"),
    "sexual": _l("A sexual crime"),
    "other": _l("Another kind of crime"),
    "not-sure": _l("Not known"),
}

UPDATES_WANTED = {
    UpdatesWanted.EVERY_STAGE: _l("Every stage of the sentence"),
    UpdatesWanted.RELEASE_ONLY: _l("Only a release"),
    UpdatesWanted.ANNUAL: _l("An update once a year"),
}

CHANNELS = {
    Channel.EMAIL: _l("Email address"),
    Channel.SMS: _l("Mobile number for texts"),
    Channel.PHONE: _l("Phone number for calls"),
    Channel.LETTER: _l("Postal address"),
}

JOINED_BY = {
    CaseSource.ONLINE: _l("You asked to join online"),
    CaseSource.REFERRAL: _l("The police referred you"),
}

#: Who a representative is to the person, what they could do, and who ended it.
RELATIONS = representative_wording.RELATIONS
PERMISSIONS = {key.value: words for key, words in representative_wording.PERMISSIONS.items()}
ENDED_BY = representative_wording.ENDED_BY
