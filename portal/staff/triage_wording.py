"""The words of the triage pages and of "What needs you first", in the catalogue."""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.models import CaseStatus, Channel, DeclineReason, Language, UpdatesWanted
from portal.services.triage import Decision

#: Each decision: its words on the radios, and a hint.
DECISIONS = {
    Decision.ACCEPT: (
        _l("Accept it and choose its Victim Liaison Officer"),
        _l("The victim is told who their Victim Liaison Officer is, in their language."),
    ),
    Decision.DECLINE: (
        _l("Decline it"),
        _l("The victim cannot join the scheme. We tell them kindly, and explain why."),
    ),
    Decision.TRANSFER: (
        _l("Move it to another region"),
        _l("When another region’s Victim Liaison Unit looks after cases from that court."),
    ),
    Decision.LINK: (
        _l("Join it to an existing case"),
        _l("When the victim is already in the scheme for this offender."),
    ),
}
#: For a registration in the national queue, moving it is sending it to its first region.
SEND_TO_A_REGION = _l("Send it to a region")

#: Why a registration is declined, in plain words for the officer choosing.
DECLINE_REASONS = {
    DeclineReason.SENTENCE_TOO_SHORT: (
        _l("The sentence is under 12 months in custody"),
        _l("And it is not a hospital order."),
    ),
    DeclineReason.OFFENCE_NOT_COVERED: (
        _l("The crime is not a violent or sexual offence"),
        None,
    ),
    DeclineReason.CASE_NOT_FOUND: (
        _l("We cannot find the case from what we were told"),
        _l("The victim is asked to tell us more, so that we can look again."),
    ),
    DeclineReason.NOT_ELIGIBLE_PERSON: (
        _l("The scheme is not for the person who registered"),
        _l(
            "They are not the victim, close family of someone who died, or the parent or "
            "guardian of a child victim."
        ),
    ),
    DeclineReason.OTHER: (
        _l("Another reason"),
        _l("Explain it to the victim in your own words below."),
    ),
}

CHANNELS = {
    Channel.EMAIL: _l("Email"),
    Channel.SMS: _l("Text message"),
    Channel.PHONE: _l("Phone call"),
    Channel.LETTER: _l("Letter"),
}

LANGUAGES = {Language.ENGLISH: _l("English"), Language.WELSH: _l("Welsh (Cymraeg)")}

#: Who registered (the first part of `Victim.relationship_to_victim`).
REGISTERED_BY = {
    "self": _l("The victim"),
    "parent": _l("A parent or guardian of a child victim"),
    "bereaved": _l("Close family of someone who died because of the crime"),
    "supporter": _l("Someone helping the victim, who agrees"),
}

OFFENCES = {
    "violent": _l("A violent crime"),
    "sexual": _l("A sexual crime"),
    "other": _l("Another kind of crime"),
    "not-sure": _l("Not sure"),
}

UPDATES = {
    UpdatesWanted.EVERY_STAGE: _l("Every key stage"),
    UpdatesWanted.RELEASE_ONLY: _l("Release only"),
    UpdatesWanted.ANNUAL: _l("Once a year"),
}

#: A case's status, as staff see it.
STATUSES = {
    CaseStatus.TRIAGE: _l("Waiting for triage"),
    CaseStatus.ACTIVE: _l("Active"),
    CaseStatus.PAUSED: _l("Paused"),
    CaseStatus.DECLINED: _l("Declined"),
    CaseStatus.CLOSED: _l("Closed"),
    CaseStatus.MERGED: _l("Joined to another case"),
}


def registered_by(relationship: str | None) -> tuple[object | None, str | None]:
    """(who registered, in our words; how they said they are related, as they typed it)."""
    if not relationship:
        return None, None
    kind, _, typed = relationship.partition(":")
    return REGISTERED_BY.get(kind.strip()), typed.strip() or None


#: Help to read or talk to us (`Victim.accessibility_needs`: codes joined by ", ").
ACCESS_NEEDS = {
    "large-print": _l("Large print"),
    "easy-read": _l("Easy read"),
    "interpreter": _l("An interpreter"),
    "bsl": _l("British Sign Language (BSL)"),
}


def access_needs(stored: str | None) -> list:
    codes = [code.strip() for code in (stored or "").split(",") if code.strip()]
    return [ACCESS_NEEDS.get(code, code) for code in codes]
