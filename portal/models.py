"""The core of the domain, as SQLAlchemy 2 typed models.

Least data: only what a Victim Liaison Unit needs to keep a victim informed.
Free text written by people (messages, timeline notes) is never logged and
never put in a notification.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    bindparam,
    event,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.contact_times import london_today
from portal.domain.regions import WALES
from portal.domain.vocabulary import (
    ActorType,
    CaseSource,
    CaseStatus,
    Channel,
    CodePurpose,
    ContactDirection,
    DatePrecision,
    DeclineReason,
    Language,
    NotificationChannel,
    NotificationStatus,
    OfficerRole,
    Permission,
    Relation,
    RequestKind,
    RequestStatus,
    Sender,
    SentenceStage,
    StaffLinkPurpose,
    TimelineEventKind,
    UpdatesWanted,
)
from portal.encryption import EncryptedJSON, EncryptedText
from portal.extensions import db


class UTCDateTime(TypeDecorator):
    """A moment in UTC. PostgreSQL keeps the zone; SQLite gets UTC and gives it back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


#: Every moment is stored with its time zone (UTC).
TIMESTAMP = UTCDateTime()
#: The largest id an INTEGER key holds: a bigger number (in a URL, say) is no record at
#: all, and must not reach PostgreSQL, which refuses to compare it ("out of range").
LARGEST_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


def fixed(column: Any, value: Any) -> Any:
    """`column = value` with the value written into the SQL, not sent as a parameter: what
    a query needs to use a partial index whose WHERE names that value (the indexes below
    made by `partial_index`). Given `sender = ?`, SQLite reads every row the index finds to
    check the sender again (9 ms, not 3, counting the waiting messages at national
    scale), and PostgreSQL's generic plan for a prepared statement cannot use the index
    at all. The statement is still cached (literal_execute)."""
    return column == bindparam(None, value, type_=column.type, literal_execute=True)


def partial_index(name: str, *columns: str, where: str, **options: Any) -> Index:
    """An index of only the rows `where` holds, the same on SQLite and PostgreSQL. A query
    uses it only if its conditions say `where` in the same words, values written in (see
    `fixed`)."""
    return Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where), **options)


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    """A portable enum: a VARCHAR with a CHECK constraint on every database."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Region(db.Model):
    """One of the 12 probation regions, with its Victim Liaison Unit's contact details."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_cy: Mapped[str] = mapped_column(String(120))
    #: The Victim Liaison Unit's own name, and its postal address (the lines after the
    #: name), in English and in Welsh: the service provides both, like every other text.
    unit_name_en: Mapped[str] = mapped_column(String(200))
    unit_name_cy: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(Text)  # in English
    address_cy: Mapped[str] = mapped_column(Text)
    #: Demo data uses example contact details, and says so on the page.
    is_example: Mapped[bool] = mapped_column(default=False)

    officers: Mapped[list[VictimLiaisonOfficer]] = relationship(back_populates="region")
    cases: Mapped[list[Case]] = relationship(back_populates="region")

    def name(self, language: str) -> str:
        return self.name_cy if language == Language.WELSH else self.name_en

    def unit_name(self, language: str) -> str:
        return self.unit_name_cy if language == Language.WELSH else self.unit_name_en

    def postal_address(self, language: str) -> list[str]:
        """The unit's name and address, a line each, in `language`."""
        address = self.address_cy if language == Language.WELSH else self.address
        return [self.unit_name(language), *address.splitlines()]

    def address_languages(self, language: str) -> list[str]:
        """The languages a page in `language` shows the unit's address in: its own; and the
        Wales region's in Welsh first, then English, on an English page."""
        if self.code == WALES and language != Language.WELSH:
            return [Language.WELSH.value, Language.ENGLISH.value]
        return [Language.WELSH.value if language == Language.WELSH else Language.ENGLISH.value]


class VictimLiaisonOfficer(db.Model):
    __tablename__ = "victim_liaison_officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    speaks_welsh: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    role: Mapped[OfficerRole] = mapped_column(
        _enum(OfficerRole, "officer_role"), default=OfficerRole.VLO, server_default="vlo"
    )
    #: The authenticator app's shared secret, encrypted at rest (portal.encryption).
    totp_secret_sealed: Mapped[str | None] = mapped_column(Text, info={"encrypted": True})
    #: When the officer proved their app works; until then the secret is only offered.
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    #: The last 30-second step whose code was accepted: no code works twice.
    totp_last_step: Mapped[int | None]
    #: The language of the console emails to this officer (invitations, reset links), as an
    #: administrator chose it for them.
    language: Mapped[Language] = mapped_column(
        _enum(Language, "officer_language"), default=Language.ENGLISH, server_default="en"
    )
    #: Whether the officer wants a morning email saying how many messages wait for a reply
    #: (no content; off by default: the console's queues show new messages).
    daily_summary: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: When the officer last signed in (set by portal.services.staff_auth.start_session).
    last_signed_in_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )

    region: Mapped[Region] = relationship(back_populates="officers")
    cases: Mapped[list[Case]] = relationship(
        back_populates="officer", foreign_keys="Case.officer_id"
    )
    recovery_codes: Mapped[list[StaffRecoveryCode]] = relationship(
        back_populates="officer", cascade="all, delete-orphan"
    )

    def sees_region(self, region_id: int) -> bool:
        """Whether this officer's role covers cases in `region_id`."""
        return self.role.sees_every_region or self.region_id == region_id


class StaffRecoveryCode(db.Model):
    """A one-use code for when the authenticator app is lost; only its keyed hash is kept."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("victim_liaison_officers.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    officer: Mapped[VictimLiaisonOfficer] = relationship(back_populates="recovery_codes")


class StaffSession(db.Model):
    """A signed-in officer, on the server: the cookie holds a random token, this its hash."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("victim_liaison_officers.id", ondelete="CASCADE"), index=True
    )
    #: How the officer proved who they are ("password+totp", "password+recovery", later "oidc").
    method: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    officer: Mapped[VictimLiaisonOfficer] = relationship()


class StaffLink(db.Model):
    """A one-use link emailed to a member of staff: an invitation, or a reset of their
    password or authenticator app. Only a keyed hash of its token is kept; it works once
    (used by a conditional UPDATE) and until `expires_at` (portal.services.staff_links)."""

    __tablename__ = "staff_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[StaffLinkPurpose] = mapped_column(_enum(StaffLinkPurpose, "staff_link_purpose"))
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("victim_liaison_officers.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    officer: Mapped[VictimLiaisonOfficer] = relationship()


class StaffSignInFailure(db.Model):
    """A wrong password or second factor, counted against the keyed hash of the email
    typed (known to us or not), so that an account locks after too many."""

    __tablename__ = "staff_sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(64))
    network_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    __table_args__ = (Index("ix_staff_sign_in_failures_email_created", "email_key", "created_at"),)


class Victim(db.Model):
    """A person in the scheme: the victim, or someone acting for them."""

    __tablename__ = "victims"
    __table_args__ = (Index("ix_victims_language", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None]
    #: Who registered: the victim, a parent or guardian, bereaved family, a supporter.
    relationship_to_victim: Mapped[str | None] = mapped_column(String(64))
    #: The name of the person acting for the victim (a parent, family, a supporter), if any.
    representative_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[Language] = mapped_column(
        _enum(Language, "language"), default=Language.ENGLISH
    )
    accessibility_needs: Mapped[str | None] = mapped_column(String(500))
    #: An access need not in the list, in words (accessibility_needs then holds "other").
    accessibility_other: Mapped[str | None] = mapped_column(String(200))
    #: A name never to put on an envelope (someone else may open the post).
    envelope_name_to_avoid: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    #: When the retention rule removed this person's name, details and contact details
    #: (portal.services.retention): every one of their cases was anonymised first.
    anonymised_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    contact_preferences: Mapped[list[ContactPreference]] = relationship(
        back_populates="victim", cascade="all, delete-orphan"
    )
    cases: Mapped[list[Case]] = relationship(back_populates="victim")


class ContactPreference(db.Model):
    """One way to reach a victim, whether it is safe, and when."""

    __tablename__ = "contact_preferences"
    __table_args__ = (
        Index("ix_contact_preferences_channel_value", "channel", "value"),
        Index("ix_contact_preferences_victim_id", "victim_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[int] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    #: An email address, an E.164 phone number, or a postal address.
    value: Mapped[str] = mapped_column(String(500))
    is_safe: Mapped[bool] = mapped_column(default=True)
    voicemail_safe: Mapped[bool] = mapped_column(default=False)
    #: The window in which contact is safe (local time); none means any time.
    safe_from: Mapped[time | None]
    safe_until: Mapped[time | None]
    verified_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    victim: Mapped[Victim] = relationship(back_populates="contact_preferences")


class Representative(db.Model):
    """Someone a victim named to act for them (portal.domain.representatives): a family
    member, a friend, a support worker. They sign in with their own email address or mobile
    number (`channel`, `destination`, as a VictimSession holds it), proved with a code before
    the row exists, and see only what the victim gave them. Ending it (`ended_at`) ends their
    sessions; the row is kept, so that what they did still says who did it.
    """

    __tablename__ = "representatives"
    __table_args__ = (
        #: Signing in finds the representatives who hold a detail.
        Index("ix_representatives_destination", "channel", "destination"),
        #: One live representative for one detail, for each victim.
        partial_index(
            "uq_representatives_live",
            "victim_id",
            "channel",
            "destination",
            unique=True,
            where="ended_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[int] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[Relation] = mapped_column(_enum(Relation, "representative_relation"))
    channel: Mapped[NotificationChannel] = mapped_column(
        _enum(NotificationChannel, "representative_channel")
    )
    #: The email address (in lower case) or mobile number (E.164) they sign in with.
    destination: Mapped[str] = mapped_column(String(254))
    #: The language of what is sent to them (the page's, when the victim named them).
    language: Mapped[Language] = mapped_column(_enum(Language, "representative_language"))
    #: What the victim gave them (portal.domain.representatives.DELEGABLE).
    may_see_case: Mapped[bool] = mapped_column(default=False)
    may_message: Mapped[bool] = mapped_column(default=False)
    may_request: Mapped[bool] = mapped_column(default=False)
    #: When the code sent to `destination` was entered (always before the row was made).
    proved_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    #: When it ended, and who ended it: the victim, or an officer (`ended_by_officer_id`).
    ended_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    ended_by: Mapped[ActorType | None] = mapped_column(_enum(ActorType, "representative_ended_by"))
    ended_by_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("victim_liaison_officers.id")
    )

    victim: Mapped[Victim] = relationship()
    ended_by_officer: Mapped[VictimLiaisonOfficer | None] = relationship()

    #: Each permission that can be given, and the column that holds it.
    COLUMNS = {
        Permission.CASE: "may_see_case",
        Permission.MESSAGES: "may_message",
        Permission.REQUESTS: "may_request",
    }

    @property
    def permissions(self) -> frozenset[Permission]:
        return frozenset(p for p, column in self.COLUMNS.items() if getattr(self, column))

    @classmethod
    def column_for(cls, permission: Permission):
        """The column that says whether `permission` was given (for SQL)."""
        return getattr(cls, cls.COLUMNS[permission])


class Case(db.Model):
    """A victim's membership of the scheme for one offender's sentence."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("submission_key", name="uq_cases_submission_key"),
        #: With the flag of a possible duplicate (migration 0027): a region's registrations
        #: to triage are counted from the index alone, not by reading 1,100 cases.
        Index("ix_cases_region_status", "region_id", "status", "possible_duplicate_of_id"),
        Index("ix_cases_region_status_clock", "region_id", "status", "clock_started_on"),
        Index("ix_cases_victim_id", "victim_id"),
        #: With the day of first contact (migration 0027): an officer's cases waiting for it
        #: are counted from the index alone.
        Index("ix_cases_officer_status", "officer_id", "status", "first_contact_on"),
        Index("ix_cases_region_stage", "region_id", "stage"),
        #: The retention rule's batches: closed cases by when they were closed.
        Index("ix_cases_status_closed", "status", "closed_at"),
        #: Registrations flagged as possible duplicates, by region and clock (migration
        #: 0025): a few among the region's many in triage, found without reading them all.
        partial_index(
            "ix_cases_possible_duplicates",
            "region_id",
            "status",
            "clock_started_on",
            "id",
            where="possible_duplicate_of_id IS NOT NULL",
        ),
        #: The cases with messages waiting for a reply, by officer and by region (migration
        #: 0026): the navigation's counts read only these.
        partial_index(
            "ix_cases_messages_waiting_officer",
            "officer_id",
            where="messages_waiting > 0",
        ),
        partial_index(
            "ix_cases_messages_waiting_region",
            "region_id",
            where="messages_waiting > 0",
        ),
        #: The officer's cases waiting for first contact, oldest clock first (migration 0024).
        partial_index(
            "ix_cases_awaiting_first_contact",
            "officer_id",
            "clock_started_on",
            "id",
            where="status = 'active' AND first_contact_on IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    victim_id: Mapped[int] = mapped_column(ForeignKey("victims.id"))
    #: None while the case waits in the national queue (court not known).
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("victim_liaison_officers.id"))
    status: Mapped[CaseStatus] = mapped_column(
        _enum(CaseStatus, "case_status"), default=CaseStatus.TRIAGE
    )
    offender_name: Mapped[str] = mapped_column(String(200))
    offence_type: Mapped[str] = mapped_column(String(32))
    #: The Crown Court's code (portal.domain.courts), or None when not known.
    court_code: Mapped[str | None] = mapped_column(String(32))
    #: When the offender was sentenced, to the month ("2025-03"), if known.
    sentenced_in: Mapped[str | None] = mapped_column(String(7))
    #: The sentence in the victim's words, if they know it.
    sentence_description: Mapped[str | None] = mapped_column(String(200))
    #: A police or court reference the victim has, to find the case faster.
    external_reference: Mapped[str | None] = mapped_column(String(50))
    stage: Mapped[SentenceStage] = mapped_column(
        _enum(SentenceStage, "sentence_stage"), default=SentenceStage.SENTENCE
    )
    updates_wanted: Mapped[UpdatesWanted] = mapped_column(
        _enum(UpdatesWanted, "updates_wanted"), default=UpdatesWanted.EVERY_STAGE
    )
    #: A live case that may be the same person about the same offender, for an
    #: officer to review and merge. Never shown to, or acted on for, the registrant.
    possible_duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: Online registration, or a referral from the police's Witness Care Unit.
    source: Mapped[CaseSource] = mapped_column(
        _enum(CaseSource, "case_source"), default=CaseSource.ONLINE, server_default="online"
    )
    #: How many of the victim's messages on the case wait for a reply (sender victim, not
    #: answered): kept by triggers on messages (migration 0026), never written here.
    messages_waiting: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The day the 20-working-day clock started: the registration's day, or the referral's.
    clock_started_on: Mapped[date] = mapped_column(default=london_today, index=True)
    #: For a referral: the day the Witness Care Unit referred, and which unit it was.
    referred_on: Mapped[date | None]
    referred_by: Mapped[str | None] = mapped_column(String(200))
    #: When an officer first made contact with the victim (stops the clock).
    first_contact_on: Mapped[date | None]
    #: Triage: when and by whom it was decided; why a registration was declined.
    triaged_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("victim_liaison_officers.id"))
    decline_reason: Mapped[DeclineReason | None] = mapped_column(
        _enum(DeclineReason, "decline_reason")
    )
    #: The officer's own words to the victim about the decline, in the victim's language.
    decline_note: Mapped[str | None] = mapped_column(Text)
    #: The one-time key of the staff form that made the case (a referral): the same form
    #: sent twice makes one case.
    submission_key: Mapped[str | None] = mapped_column(String(36))
    #: A second registration joined to the victim's existing case (status merged).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: When the case was closed (the victim left, or the sentence ended): the retention
    #: period runs from here. Set and cleared with the status (`_closed_when_closing`).
    closed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    #: When the retention rule emptied the case of everything personal, leaving the shell
    #: that the manager's figures count (portal.services.retention).
    anonymised_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    #: A pause the victim asked for (status paused): no sentence updates are sent until
    #: this day, or until this stage (or a later one) is recorded; neither means until
    #: they, or their officer, start updates again (portal.services.participation).
    paused_until: Mapped[date | None]
    paused_until_stage: Mapped[SentenceStage | None] = mapped_column(
        _enum(SentenceStage, "pause_stage")
    )
    #: When the victim left the scheme (status closed): nothing is sent; they may still
    #: sign in, see that they left and ask to come back (`come_back_asked_at`), and their
    #: officer brings them back from the case page.
    left_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    come_back_asked_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    victim: Mapped[Victim] = relationship(back_populates="cases")
    region: Mapped[Region | None] = relationship(back_populates="cases")
    officer: Mapped[VictimLiaisonOfficer | None] = relationship(
        back_populates="cases", foreign_keys=[officer_id]
    )
    triaged_by: Mapped[VictimLiaisonOfficer | None] = relationship(foreign_keys=[triaged_by_id])
    possible_duplicate_of: Mapped[Case | None] = relationship(
        remote_side=[id], foreign_keys=[possible_duplicate_of_id]
    )
    merged_into: Mapped[Case | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    timeline: Mapped[list[TimelineEvent]] = relationship(
        back_populates="case", order_by="TimelineEvent.occurred_on"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="case", order_by="Message.created_at"
    )


@event.listens_for(Case.status, "set")
def _closed_when_closing(case: Case, value, old, initiator) -> None:
    """A case closed through the ORM records when (unless the caller gave the moment); one
    opened again forgets it. A bulk UPDATE that closes cases must set `closed_at` itself."""
    if value == CaseStatus.CLOSED:
        if case.closed_at is None:
            case.closed_at = utcnow()
    elif old == CaseStatus.CLOSED:
        case.closed_at = None


class TimelineEvent(db.Model):
    """One entry on a case's timeline: a stage of the sentence, or a contact."""

    __tablename__ = "timeline_events"
    __table_args__ = (
        Index("ix_timeline_events_case_occurred", "case_id", "occurred_on"),
        Index("ix_timeline_events_notification", "notification_id"),
        UniqueConstraint("case_id", "submission_key", name="uq_timeline_events_case_submission"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[TimelineEventKind] = mapped_column(_enum(TimelineEventKind, "timeline_kind"))
    stage: Mapped[SentenceStage | None] = mapped_column(_enum(SentenceStage, "timeline_stage"))
    occurred_on: Mapped[date]
    #: How precisely the victim may be told the date (a release is a month).
    precision: Mapped[DatePrecision] = mapped_column(
        _enum(DatePrecision, "date_precision"), default=DatePrecision.DAY
    )
    #: Written by the officer in the victim's language.
    summary: Mapped[str] = mapped_column(Text)
    language: Mapped[Language] = mapped_column(_enum(Language, "timeline_language"))
    visible_to_victim: Mapped[bool] = mapped_column(default=True)
    #: What only staff see (never shown to the victim, never in a notification).
    internal_note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("victim_liaison_officers.id"))
    #: The content-free "your case has been updated" notification this entry caused, if any.
    notification_id: Mapped[str | None] = mapped_column(ForeignKey("outbox_notifications.id"))
    #: A call, letter or meeting: who made contact (the officer, or the victim).
    direction: Mapped[ContactDirection | None] = mapped_column(
        _enum(ContactDirection, "contact_direction")
    )
    #: The one-time key of the form that wrote this entry (unique on its case): sending the
    #: form twice (a double click, Back and send again) finds this entry instead of writing
    #: a second one.
    submission_key: Mapped[str | None] = mapped_column(String(36))
    #: A step of a victim's request (kind REQUEST): the request, for a link to it.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("victim_requests.id"))
    #: Someone acting for the victim who did what the entry says (a request they sent).
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representatives.id"))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )

    case: Mapped[Case] = relationship(back_populates="timeline")
    recorded_by: Mapped[VictimLiaisonOfficer | None] = relationship()
    representative: Mapped[Representative | None] = relationship()
    notification: Mapped[OutboxNotification | None] = relationship()


class Message(db.Model):
    """A message between a victim and their Victim Liaison Officer.

    The words are encrypted at rest (portal.encryption): never logged, never in a
    notification, a URL or a title. A victim's message waits for a reply until an
    officer answers the conversation or marks it as needing none.
    """

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_case_created", "case_id", "created_at"),
        UniqueConstraint("case_id", "submission_key", name="uq_messages_case_submission"),
        #: The queues: victims' messages still waiting for a reply (a few among millions).
        partial_index(
            "ix_messages_waiting",
            "case_id",
            "created_at",
            where="sender = 'victim' AND answered_at IS NULL",
        ),
        #: The victim's unread replies (the marks on their pages).
        partial_index(
            "ix_messages_unread",
            "case_id",
            where="sender = 'officer' AND read_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    sender: Mapped[Sender] = mapped_column(_enum(Sender, "sender"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("victim_liaison_officers.id"))
    #: Encrypted at rest (portal.encryption.EncryptedText).
    body: Mapped[str] = mapped_column(EncryptedText)
    language: Mapped[Language] = mapped_column(_enum(Language, "message_language"))
    #: The one-time key of the form that sent it (unique on its case): a double click, Back
    #: and send again, or a retry after a timeout finds this message instead of a second.
    submission_key: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    #: An officer's message: when the victim first read it.
    read_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    #: A victim's message: when an officer replied to the conversation, or marked it as
    #: needing no reply (`no_reply_needed`), and who did.
    answered_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("victim_liaison_officers.id"))
    no_reply_needed: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: An officer's message: the content-free "you have a new message" it caused, if any
    #: (cancelled if the victim pauses or leaves before it is sent).
    notification_id: Mapped[str | None] = mapped_column(ForeignKey("outbox_notifications.id"))
    #: A victim's message written by someone acting for them (sender is still the victim).
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representatives.id"))

    case: Mapped[Case] = relationship(back_populates="messages")
    officer: Mapped[VictimLiaisonOfficer | None] = relationship(foreign_keys=[officer_id])
    representative: Mapped[Representative | None] = relationship()
    answered_by: Mapped[VictimLiaisonOfficer | None] = relationship(foreign_keys=[answered_by_id])


class MessageDraft(db.Model):
    """What a victim has typed and not yet sent, kept on the server (encrypted) so that
    nothing is lost if their session ends before they send it. One per victim and case,
    and one for each representative writing on the case (their own, never the victim's)."""

    __tablename__ = "message_drafts"
    __table_args__ = (
        partial_index(
            "uq_message_drafts_case_victim",
            "case_id",
            "victim_id",
            unique=True,
            where="representative_id IS NULL",
        ),
        partial_index(
            "uq_message_drafts_case_representative",
            "case_id",
            "representative_id",
            unique=True,
            where="representative_id IS NOT NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    victim_id: Mapped[int] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"))
    #: A draft someone acting for the victim is writing.
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("representatives.id", ondelete="CASCADE")
    )
    body: Mapped[str] = mapped_column(EncryptedText)
    updated_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    case: Mapped[Case] = relationship()
    victim: Mapped[Victim] = relationship()


class VictimRequest(db.Model):
    """A victim's request to their Victim Liaison Officer: licence conditions, a Victim
    Personal Statement for a parole review, or the summary of a parole decision.

    One model for every kind (portal.domain.requests holds the rules): the victim's answers
    are encrypted at rest (never logged, never in a notification, a URL or a title); each
    step, the victim's or an officer's, is a VictimRequestStep, on the case's timeline too.
    Only the victim sees a draft.
    """

    __tablename__ = "victim_requests"
    __table_args__ = (
        UniqueConstraint("case_id", "submission_key", name="uq_victim_requests_case_submission"),
        Index("ix_victim_requests_case_kind", "case_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[RequestKind] = mapped_column(_enum(RequestKind, "request_kind"))
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus, "request_status"), default=RequestStatus.DRAFT
    )
    #: What the victim wrote and chose, by answer key (portal.domain.requests.QUESTIONS):
    #: encrypted at rest (portal.encryption.EncryptedJSON).
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    #: The language the victim wrote it in (their language when they started it).
    language: Mapped[Language] = mapped_column(_enum(Language, "request_language"))
    #: The one-time key of the form that started it (unique on its case): "Start" pressed
    #: twice starts one request.
    submission_key: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, onupdate=utcnow, server_default=func.now()
    )
    #: When the victim last sent it to their officer.
    sent_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    #: A decision summary: the day the officer sent it to the victim.
    summary_sent_on: Mapped[date | None]

    case: Mapped[Case] = relationship()
    steps: Mapped[list[VictimRequestStep]] = relationship(
        back_populates="request",
        order_by="(VictimRequestStep.created_at, VictimRequestStep.id)",
        cascade="all, delete-orphan",
    )


class VictimRequestStep(db.Model):
    """One step of a request: sent (or sent again) by the victim, or moved on by an officer,
    with the words the officer wrote to the victim, encrypted at rest."""

    __tablename__ = "victim_request_steps"
    __table_args__ = (
        UniqueConstraint(
            "request_id", "submission_key", name="uq_victim_request_steps_request_submission"
        ),
        Index("ix_victim_request_steps_request_created", "request_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("victim_requests.id", ondelete="CASCADE"))
    #: The status the request moved to.
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, "request_step_status"))
    #: Who took the step: the victim, or an officer (officer_id).
    actor_type: Mapped[ActorType] = mapped_column(_enum(ActorType, "request_step_actor"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("victim_liaison_officers.id"))
    #: A victim's step taken by someone acting for them.
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("representatives.id"))
    #: What the officer wrote to the victim (a decision explained, comments), in the
    #: victim's language: encrypted at rest (portal.encryption.EncryptedText).
    message: Mapped[str | None] = mapped_column(EncryptedText)
    language: Mapped[Language] = mapped_column(_enum(Language, "request_step_language"))
    #: The one-time key of the form that took the step (unique on its request): a form sent
    #: twice takes one step.
    submission_key: Mapped[str | None] = mapped_column(String(36))
    #: The content-free "there is an update for you" this step caused, if any.
    notification_id: Mapped[str | None] = mapped_column(ForeignKey("outbox_notifications.id"))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )

    request: Mapped[VictimRequest] = relationship(back_populates="steps")
    officer: Mapped[VictimLiaisonOfficer | None] = relationship()
    representative: Mapped[Representative | None] = relationship()
    notification: Mapped[OutboxNotification | None] = relationship()


class AuditEvent(db.Model):
    """Who looked at or changed what. Every staff access writes one.

    Append-only: triggers made by migration 0009 refuse any UPDATE or DELETE
    (and, on PostgreSQL, TRUNCATE) of these rows, whatever the application does.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_case_created", "case_id", "created_at"),
        Index("ix_audit_events_actor_created", "actor_type", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_type: Mapped[ActorType] = mapped_column(_enum(ActorType, "actor_type"))
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    request_id: Mapped[str | None] = mapped_column(String(64))
    #: Where the request came from (the network address staff used).
    address: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )


class OutboxNotification(db.Model):
    """A notification written in the same transaction as the change that caused it.

    Its id is the provider reference, so a retry after a crash is recognisable.
    """

    __tablename__ = "outbox_notifications"
    __table_args__ = (
        Index("ix_outbox_notifications_due", "status", "next_attempt_at"),
        #: A victim's notifications, newest first (a case's "Notifications sent" page).
        Index("ix_outbox_notifications_victim_created", "victim_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    victim_id: Mapped[int | None] = mapped_column(ForeignKey("victims.id"))
    #: The email address, phone number or postal address to send to.
    recipient: Mapped[str] = mapped_column(String(500))
    channel: Mapped[NotificationChannel] = mapped_column(
        _enum(NotificationChannel, "notification_channel")
    )
    template_key: Mapped[str] = mapped_column(String(64))
    language: Mapped[Language] = mapped_column(_enum(Language, "notification_language"))
    #: Encrypted at rest: it holds security codes and links until they are sent.
    personalisation: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    #: A check the worker makes before sending, and the language it picks
    #: (portal.notifications.gates): for codes asked for by whoever typed an
    #: address, so that the request does the same work whether or not we know it.
    gate: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[NotificationStatus] = mapped_column(
        _enum(NotificationStatus, "notification_status"), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    provider_reference: Mapped[str | None] = mapped_column(String(255))
    #: Which worker's claim this is: checked before sending and when recording.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, onupdate=utcnow, server_default=func.now()
    )
    sent_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    victim: Mapped[Victim | None] = relationship()


class RegistrationDraft(db.Model):
    """A registration in progress, kept on the server so a victim can come back.

    The session holds only the draft's id. Drafts expire and are deleted.
    """

    __tablename__ = "registration_drafts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    #: Encrypted at rest: names, addresses, the offender's name.
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    language: Mapped[Language] = mapped_column(
        _enum(Language, "draft_language"), default=Language.ENGLISH
    )
    verified_channel: Mapped[NotificationChannel | None] = mapped_column(
        _enum(NotificationChannel, "draft_verified_channel")
    )
    verified_value: Mapped[str | None] = mapped_column(String(254))
    submitted_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: A hash of the token that shows which one browser holds the draft.
    holder_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, onupdate=utcnow, server_default=func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(TIMESTAMP)

    codes: Mapped[list[SecurityCode]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", passive_deletes=True
    )


class SecurityCode(db.Model):
    """A one-use secret sent to prove a contact detail: a 6-digit code, or a link.

    Kept only as a keyed hash; it expires, allows a few guesses, and belongs
    to the browser that asked for it (`requester`), so a code someone else
    asked for neither replaces nor uses up yours (portal.services.security_codes).
    """

    __tablename__ = "security_codes"
    __table_args__ = (
        Index("ix_security_codes_destination_key_created", "destination_key", "created_at"),
        Index("ix_security_codes_requester", "purpose", "destination_key", "requester"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[CodePurpose] = mapped_column(_enum(CodePurpose, "code_purpose"))
    channel: Mapped[NotificationChannel] = mapped_column(_enum(NotificationChannel, "code_channel"))
    #: A keyed hash of where it went, as limits count it (portal.domain.contact_details.
    #: counted_form): what codes are looked up and counted by.
    destination_key: Mapped[str] = mapped_column(String(64))
    #: Where a registration code went (the draft holds it anyway); kept for no other
    #: purpose, so that addresses strangers type are never stored readable.
    destination: Mapped[str | None] = mapped_column(String(254))
    #: A hash of the asking browser's random binding (none for links).
    requester: Mapped[str | None] = mapped_column(String(64))
    #: A keyed hash of the asking network (an IPv4 address or an IPv6 /64), for limits.
    network: Mapped[str] = mapped_column(String(64))
    draft_id: Mapped[str | None] = mapped_column(
        ForeignKey("registration_drafts.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    draft: Mapped[RegistrationDraft | None] = relationship(back_populates="codes")


class VictimSession(db.Model):
    """A signed-in victim, on the server, so signing out or timing out really ends it.

    The cookie holds a random token; only its hash is kept here. It belongs to
    the contact detail proved with a code, and sees the cases of the records
    that hold that detail, marked safe (portal.services.sign_in).
    """

    __tablename__ = "victim_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[NotificationChannel] = mapped_column(
        _enum(NotificationChannel, "victim_session_channel")
    )
    #: The email address (in lower case) or mobile number (E.164) proved.
    destination: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP, default=utcnow, server_default=func.now()
    )
    last_seen_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
