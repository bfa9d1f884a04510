"""The fixed values the service speaks in: languages, statuses, stages, channels.

Plain enums with no Flask or database in them, so that the domain's rules
can use them; portal.models stores them and re-exports them.
"""

from __future__ import annotations

import enum


class Language(enum.StrEnum):
    ENGLISH = "en"
    WELSH = "cy"


class CaseStatus(enum.StrEnum):
    TRIAGE = "triage"  # registered online, waiting for a Victim Liaison Unit
    ACTIVE = "active"
    PAUSED = "paused"  # the victim asked for no contact for now
    DECLINED = "declined"  # not eligible after triage
    CLOSED = "closed"  # the victim left, or the sentence ended
    MERGED = "merged"  # a second registration, joined to the victim's existing case


class UpdatesWanted(enum.StrEnum):
    EVERY_STAGE = "every_stage"
    RELEASE_ONLY = "release_only"
    ANNUAL = "annual"


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
    LETTER = "letter"


class SentenceStage(enum.StrEnum):
    SENTENCE = "sentence"
    CUSTODY = "custody"
    PAROLE = "parole"
    RELEASE = "release"
    LICENCE_CONDITIONS = "licence_conditions"
    RECALL = "recall"
    END_OF_SENTENCE = "end_of_sentence"


class TimelineEventKind(enum.StrEnum):
    STAGE = "stage"  # the sentence moved to a new stage
    CALL = "call"  # a phone call, recorded by the officer
    LETTER = "letter"  # a letter sent or received
    MESSAGE = "message"  # a portal message (the message itself is in Message)
    NOTE = "note"  # something the victim should know
    MEETING = "meeting"  # a meeting with the victim, recorded by the officer
    HANDOVER = "handover"  # a new officer takes the case: a note for them, never the victim
    TRIAGE = "triage"  # accepted, declined, moved to another region or joined to a case
    REQUEST = "request"  # a step of a victim's request to their officer (VictimRequest)


class ContactDirection(enum.StrEnum):
    """Who made a call, letter or meeting happen: the officer, or the victim."""

    TO_VICTIM = "to_victim"  # we called, wrote or arranged to meet
    FROM_VICTIM = "from_victim"  # the victim called, wrote or asked to meet


class CaseSource(enum.StrEnum):
    """How a victim joined: online, or referred by the police's Witness Care Unit."""

    ONLINE = "online"
    REFERRAL = "referral"


class DeclineReason(enum.StrEnum):
    """Why a Victim Liaison Unit could not accept a registration (told to the victim kindly)."""

    SENTENCE_TOO_SHORT = "sentence_too_short"  # under 12 months, and no hospital order
    OFFENCE_NOT_COVERED = "offence_not_covered"  # not a violent or sexual offence
    CASE_NOT_FOUND = "case_not_found"  # no sentence found from what we were told
    NOT_ELIGIBLE_PERSON = "not_eligible_person"  # not the victim or their family
    OTHER = "other"


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"  # release dates are only ever told as a month
    YEAR = "year"


class Sender(enum.StrEnum):
    VICTIM = "victim"
    OFFICER = "officer"


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


class NotificationChannel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"


class ActorType(enum.StrEnum):
    STAFF = "staff"
    VICTIM = "victim"
    SYSTEM = "system"


class OfficerRole(enum.StrEnum):
    """What a member of staff may do: a VLO and a manager work in their own region; an
    admin sees every region (and, later, runs the staff accounts)."""

    VLO = "vlo"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def sees_every_region(self) -> bool:
        return self is OfficerRole.ADMIN


class StaffLinkPurpose(enum.StrEnum):
    """What an emailed link to a member of staff lets them do (portal.services.staff_links)."""

    INVITATION = "invitation"  # a new account: set a password, then set up the app
    NEW_APP = "new-app"  # the second factor was reset: set up a new authenticator app
    NEW_PASSWORD = "new-password"  # noqa: S105 (a purpose): the password was reset

    @property
    def sets_password(self) -> bool:
        return self is not StaffLinkPurpose.NEW_APP

    @property
    def sets_up_app(self) -> bool:
        return self is not StaffLinkPurpose.NEW_PASSWORD


class CodePurpose(enum.StrEnum):
    SIGN_IN = "sign-in"  # a victim signs in
    REGISTRATION = "registration"  # someone registering proves their email or mobile
    RESUME = "resume"  # someone signs in to carry on a registration
    LINK = "link"  # the emailed "carry on with your registration" link
    CONTACT = "contact"  # a signed-in victim proves a new email address or mobile number
    REPRESENTATIVE = "representative"  # a victim proves the detail of someone to act for them


class RequestKind(enum.StrEnum):
    """What a victim asks their officer for online (portal.domain.requests)."""

    LICENCE_CONDITIONS = "licence_conditions"  # conditions on the offender's licence
    PERSONAL_STATEMENT = "personal_statement"  # a Victim Personal Statement for a parole review
    DECISION_SUMMARY = "decision_summary"  # the summary of a parole decision


class RequestStatus(enum.StrEnum):
    """Where a victim's request is: one vocabulary for every kind (portal.domain.requests
    says which kind goes through which)."""

    DRAFT = "draft"  # being written: only the victim sees it
    SENT = "sent"  # sent to the officer (again, after it was returned)
    CONSIDERING = "considering"  # the officer is considering it
    PASSED_ON = "passed_on"  # passed to the Parole Board or the prison
    DECIDED = "decided"  # a decision, explained to the victim in their language
    RETURNED = "returned"  # a statement sent back to the victim with comments
    SUMMARY_SENT = "summary_sent"  # the decision summary was sent to the victim


class Permission(enum.StrEnum):
    """What a signed-in session may do for a person (portal.domain.representatives): the
    person themselves may do everything; someone acting for them what they were given."""

    CASE = "case"  # see the case and its timeline
    MESSAGES = "messages"  # read and send messages
    REQUESTS = "requests"  # make requests: licence conditions, a statement, the summary
    OWN = "own"  # only the person themselves: contact preferences, pausing, leaving, ...


class Relation(enum.StrEnum):
    """Who a representative is to the victim, as the victim chose it."""

    FAMILY = "family"  # a family member or partner
    FRIEND = "friend"
    SUPPORT = "support"  # a support worker or advocate
    OTHER = "other"
