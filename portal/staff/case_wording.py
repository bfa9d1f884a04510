"""The words of a case's pages in the console, in the catalogue (Welsh beside the English).

The names of the stages come from portal/sentence_stages.py, as everywhere else.
"""

from __future__ import annotations

from portal.domain.messages import Show
from portal.language import lazy_gettext as _l
from portal.models import (
    CaseStatus,
    Channel,
    ContactDirection,
    DatePrecision,
    Language,
    NotificationChannel,
    TimelineEventKind,
    UpdatesWanted,
)

CASE_TITLE = _l("Summary and timeline")

#: The victim's language, named in the console's language (a badge on every page about them).
LANGUAGES = {Language.ENGLISH: _l("English"), Language.WELSH: _l("Welsh")}

#: What officers write to the victim is in the victim's language: each form says which.
WRITE_IN = {
    Language.ENGLISH: _l("Write this in English: the victim chose English."),
    Language.WELSH: _l("Write this in Welsh: the victim chose Welsh."),
}
#: For an officer who does not speak Welsh, writing to a victim who chose it.
WELSH_FIRST_IN_ENGLISH = _l(
    "If you write it in English first, put your English in the note for staff and ask a "
    "Welsh-speaking colleague or the translation service for the Welsh."
)
SPEAK_IN = {
    Language.ENGLISH: _l("Write and speak to them in English."),
    Language.WELSH: _l("Write and speak to them in Welsh."),
}

STATUSES = {
    CaseStatus.TRIAGE: _l("Waiting for triage"),
    CaseStatus.ACTIVE: _l("Active"),
    CaseStatus.PAUSED: _l("Paused at the victim’s request"),
    CaseStatus.DECLINED: _l("Declined"),
    CaseStatus.CLOSED: _l("Closed"),
    CaseStatus.MERGED: _l("Joined to another case"),
}
STATUS_COLOURS = {
    CaseStatus.TRIAGE: "purple",
    CaseStatus.ACTIVE: "green",
    CaseStatus.PAUSED: "grey",
    CaseStatus.DECLINED: "grey",
    CaseStatus.CLOSED: "grey",
    CaseStatus.MERGED: "grey",
}

#: Who registered: the first part of `Victim.relationship_to_victim` (the rest is their words).
REGISTERED_AS = {
    "self": _l("The victim, for themselves"),
    "parent": _l("A parent or guardian of a child victim"),
    "bereaved": _l("Close family of someone who died because of the crime"),
    "bereaved-family": _l("Close family of someone who died because of the crime"),
    "supporter": _l("Someone helping the victim, with their agreement"),
}

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
    Channel.EMAIL: _l("Email"),
    Channel.SMS: _l("Text message"),
    Channel.PHONE: _l("Phone"),
    Channel.LETTER: _l("Letter"),
}

#: An entry's name on the console's timeline.
KINDS = {
    TimelineEventKind.STAGE: _l("Sentence event"),
    TimelineEventKind.CALL: _l("Phone call"),
    TimelineEventKind.LETTER: _l("Letter"),
    TimelineEventKind.MESSAGE: _l("Message"),
    TimelineEventKind.NOTE: _l("Update"),
    TimelineEventKind.MEETING: _l("Meeting"),
    TimelineEventKind.HANDOVER: _l("Handover to a new officer"),
    TimelineEventKind.TRIAGE: _l("Triage decision"),
    TimelineEventKind.REQUEST: _l("The victim’s request"),
}
#: A call, letter or meeting, with who made contact.
CONTACTS = {
    (TimelineEventKind.CALL, ContactDirection.TO_VICTIM): _l("Phone call to the victim"),
    (TimelineEventKind.CALL, ContactDirection.FROM_VICTIM): _l("Phone call from the victim"),
    (TimelineEventKind.LETTER, ContactDirection.TO_VICTIM): _l("Letter to the victim"),
    (TimelineEventKind.LETTER, ContactDirection.FROM_VICTIM): _l("Letter from the victim"),
    (TimelineEventKind.MEETING, ContactDirection.TO_VICTIM): _l("Meeting arranged by the officer"),
    (TimelineEventKind.MEETING, ContactDirection.FROM_VICTIM): _l("Meeting the victim asked for"),
}

#: The choices of the contact form.
CONTACT_KIND_CHOICES = {
    TimelineEventKind.CALL: _l("A phone call"),
    TimelineEventKind.LETTER: _l("A letter"),
    TimelineEventKind.MEETING: _l("A meeting"),
}
DIRECTION_CHOICES = {
    ContactDirection.TO_VICTIM: _l("We contacted the victim"),
    ContactDirection.FROM_VICTIM: _l("The victim contacted us"),
}
PRECISION_CHOICES = {
    DatePrecision.DAY: _l("The day"),
    DatePrecision.MONTH: _l("The month only"),
    DatePrecision.YEAR: _l("The year only"),
}

#: How the victim was told of an entry (a bare "there is an update" notification).
TOLD_BY = {
    NotificationChannel.EMAIL: _l("The victim was told there is an update, by email."),
    NotificationChannel.SMS: _l("The victim was told there is an update, by text message."),
    NotificationChannel.LETTER: _l("The victim was told there is an update, by letter."),
}
NOT_SENT = _l("It could not be sent. Call or write to them if that is safe.")

#: Why a new stage was not told to the victim at once (the message after adding it).
NOT_TOLD = {
    CaseStatus.TRIAGE: _l("The victim was not told at once: the case is waiting for triage."),
    CaseStatus.PAUSED: _l("The victim was not told: they asked us not to contact them for now."),
    CaseStatus.DECLINED: _l("The victim was not told: the registration was declined."),
    UpdatesWanted.RELEASE_ONLY: _l(
        "The victim was not told at once: they chose to hear only about a release."
    ),
    UpdatesWanted.ANNUAL: _l("The victim was not told at once: they chose an update once a year."),
    "no-safe-channel": _l(
        "The victim could not be told: they have no email address, mobile number or postal "
        "address marked safe. Call them if that is safe."
    ),
}

ADDED = {
    TimelineEventKind.STAGE: _l("Sentence event added"),
    TimelineEventKind.CALL: _l("Phone call recorded"),
    TimelineEventKind.LETTER: _l("Letter recorded"),
    TimelineEventKind.MEETING: _l("Meeting recorded"),
}
HIDDEN = _l("The entry is hidden from the victim")
SHOWN = _l("The victim can see the entry again")

#: Why nothing can be added to a case (a forged or late form is refused kindly).
REFUSED_TITLE = _l("This case cannot be changed")
REFUSED = {
    "closed": _l("This case is closed, so its timeline cannot change."),
    "merged": _l(
        "This registration was joined to the victim’s other case. Add to the timeline there."
    ),
    "precision": _l("A release is only ever told as a month or a year, never the day."),
    "kind": _l("Only a phone call, a letter or a meeting can be recorded here."),
    "cannot-show": _l(
        "This entry cannot be shown to the victim: it is a note for staff, or nothing was "
        "written for the victim."
    ),
}

#: Above what the victim reads, on the console's timeline.
WRITTEN_IN = {
    Language.ENGLISH: _l("For the victim, written in English:"),
    Language.WELSH: _l("For the victim, written in Welsh:"),
}

HIDE_TITLE = _l("Hide this entry from the victim?")
SHOW_TITLE = _l("Show this entry to the victim again?")

#: The timeline's filter.
SHOW = {
    Show.EVERYTHING: _l("Everything"),
    Show.MESSAGES: _l("Messages"),
    Show.CONTACTS: _l("Calls, letters and meetings"),
    Show.STAGES: _l("Sentence events"),
}
#: Above a message on the timeline.
MESSAGE_WRITTEN_IN = {
    Language.ENGLISH: _l("Written in English:"),
    Language.WELSH: _l("Written in Welsh:"),
}
