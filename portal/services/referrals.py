"""Referrals from the police: an officer types a Witness Care Unit's referral into a case.

Most victims join this way. The case is made as an online registration's is
(`portal.services.joining`: the record from the same registration questions,
the same reference numbers, the same possible-duplicate flag and its audit
event), with these differences:

- it is active at once (an officer entered it: there is nothing to triage), in
  the entering officer's region (an admin chooses the region), and assigned to
  the entering officer unless a manager or an admin chooses another active
  officer of that region;
- its source is the referral, with the unit and the day; the 20-working-day
  clock starts on the day of the referral, not the day it was typed;
- contact details the officer marked safe count as proved (the police gave
  them), so the victim can sign in with a safe email address or mobile
  number. A detail marked not safe is kept for the record and never used: not
  to sign in, not to write, not to look for a duplicate by;
- the victim is welcomed on the first safe channel the provider can send
  (email, then text, else a letter to a safe postal address), in their
  language, with no case content; with no such channel nothing is sent and the
  officer is told to phone;
- the timeline's first entry, in the victim's language, says the police
  referred them; an audit event "referral.created" says who did it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.catalogue import N_
from portal.domain.journey import always
from portal.domain.registration_flow import safe_to_use
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseSource,
    CaseStatus,
    Channel,
    NotificationChannel,
    OfficerRole,
    OutboxNotification,
    Region,
    TimelineEvent,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.notifications.outbox import notify_victim
from portal.questions import (
    accessibility,
    contact,
    court,
    date_of_birth,
    language,
    letters,
    offence,
    offender,
    phone_calls,
    sentence,
    sentenced,
    victim_name,
    who,
    your_name,
)
from portal.questions.declaration import Question
from portal.services.joining import Joining, open_case

#: The timeline's first entry, in the victim's language.
REFERRED = N_(
    "The police’s Witness Care Unit referred you to the Victim Contact Scheme. Your Victim "
    "Liaison Officer will contact you within 20 working days."
)
#: The welcome: bare words, in the victim's language (portal.notifications.content).
WELCOME = "referral_welcome"
#: Roles that may give a referral to another officer of the region.
CHOOSE_OFFICER = frozenset({OfficerRole.MANAGER, OfficerRole.ADMIN})


def _calls_or_texts(answers: dict) -> bool:
    return safe_to_use(answers, "phone") or safe_to_use(answers, "sms")


#: The registration questions a referral answers, and when each puts its answers in the
#: record: as registering does, except that the safe times also hold texts back when only
#: a mobile number is safe (registering asks them only with a safe phone number).
RECORDED: tuple[tuple[Question, Callable[[dict], bool]], ...] = (
    (who.QUESTION, always),
    (your_name.QUESTION, your_name.QUESTION.applies),  # someone acting for the victim
    (victim_name.QUESTION, always),
    (date_of_birth.QUESTION, always),
    (contact.QUESTION, always),
    (phone_calls.QUESTION, _calls_or_texts),
    (letters.QUESTION, letters.QUESTION.applies),  # a safe postal address
    (language.QUESTION, always),
    (accessibility.QUESTION, always),
    (offender.QUESTION, always),
    (offence.QUESTION, always),
    (court.QUESTION, always),
    (sentenced.QUESTION, always),
    (sentence.QUESTION, always),
)


@dataclass(frozen=True)
class Referral:
    """A Witness Care Unit's referral as the officer typed it, checked by its form.

    `answers` has the keys a registration's answers have (portal.services.registration)
    for the questions in RECORDED; each contact detail has "safe" true or false."""

    answers: dict
    referred_by: str
    referred_on: date
    region_id: int
    officer_id: int
    accessibility_other: str | None = None
    #: The form's one-time key: the same form sent twice makes one case.
    submission_key: str | None = None


@dataclass(frozen=True)
class Referred:
    case: Case
    #: How the victim is welcomed; None when no safe channel could be used (phone them).
    welcome: NotificationChannel | None
    #: Nothing was sent because the only safe way to write is a letter, and the
    #: notifications provider cannot send letters (SMTP sends email alone).
    no_letters: bool = False
    #: The same form was sent before: this is the case it made, and nothing was done now.
    again: bool = False


class NotAllowed(Exception):
    """The region or officer is not one the entering officer may choose."""


def record(answers: dict) -> dict:
    """What the questions a referral answers put in the record (portal.services.joining)."""
    found: dict = {}
    for question, applies in RECORDED:
        if applies(answers):
            found.update(question.record_for(answers))
    return found


def regions_for(session: Session, officer: VictimLiaisonOfficer) -> list[Region]:
    """The regions `officer` may put a referral in: their own, or any for an admin."""
    if officer.role.sees_every_region:
        return list(session.scalars(select(Region).order_by(Region.id)))
    return [officer.region]


def officers_for(session: Session, officer: VictimLiaisonOfficer) -> list[VictimLiaisonOfficer]:
    """Who `officer` may give a referral to: themself; a manager, any active officer of
    their region; an admin, any active officer (of the region chosen: `may_refer`)."""
    if officer.role not in CHOOSE_OFFICER:
        return [officer]
    query = select(VictimLiaisonOfficer).where(VictimLiaisonOfficer.is_active.is_(True))
    if not officer.role.sees_every_region:
        query = query.where(VictimLiaisonOfficer.region_id == officer.region_id)
    return list(
        session.scalars(
            query.order_by(
                VictimLiaisonOfficer.region_id,
                VictimLiaisonOfficer.full_name,
                VictimLiaisonOfficer.id,
            )
        )
    )


def may_put_in(officer: VictimLiaisonOfficer, region_id: int) -> bool:
    return officer.role.sees_every_region or region_id == officer.region_id


def may_give_to(
    officer: VictimLiaisonOfficer, region_id: int, assigned: VictimLiaisonOfficer
) -> bool:
    """Whether `officer` may give a referral in `region_id` to `assigned`: to themself;
    else, as a manager or admin, to an active officer of that region."""
    if assigned.id == officer.id:
        return True
    return (
        officer.role in CHOOSE_OFFICER
        and assigned.is_active
        and assigned.region_id == region_id
        and may_put_in(officer, region_id)
    )


def _safe_details(found: dict) -> tuple[tuple[Channel, str], ...]:
    return tuple(
        (Channel(way), detail["value"])
        for way, detail in found["contacts"].items()
        if detail["is_safe"]
    )


def refer(
    session: Session,
    officer: VictimLiaisonOfficer,
    referral: Referral,
    *,
    sign_in_url: str,
    channels: Iterable[str],
    request_id: str | None = None,
    address: str | None = None,
    now: datetime | None = None,
) -> Referred:
    """Make the case for `referral`, entered by `officer`, and welcome the victim; in the
    caller's transaction. `channels`: what the notifications provider can send. A form
    sent again (its one-time key already made a case, even by a request running at the
    same moment) makes nothing and answers with that case."""
    now = now or utcnow()
    if earlier := _made_by(session, referral.submission_key):
        return earlier
    try:
        with session.begin_nested():
            made = _refer(
                session, officer, referral, sign_in_url, channels, request_id, address, now
            )
            session.flush()
    except IntegrityError:
        earlier = _made_by(session, referral.submission_key)
        if earlier is None:
            raise
        return earlier
    return made


def _made_by(session: Session, key: str | None) -> Referred | None:
    """The referral a form with one-time `key` already made, if any."""
    if not key:
        return None
    case = session.scalar(select(Case).where(Case.submission_key == key))
    if case is None:
        return None
    told = session.scalar(
        select(OutboxNotification.channel)
        .join(TimelineEvent, TimelineEvent.notification_id == OutboxNotification.id)
        .where(TimelineEvent.case_id == case.id)
    )
    return Referred(case, told, again=True)


def _refer(session, officer, referral, sign_in_url, channels, request_id, address, now):
    region = session.get(Region, referral.region_id)
    assigned = session.get(VictimLiaisonOfficer, referral.officer_id)
    if (
        region is None
        or assigned is None
        or not may_put_in(officer, region.id)
        or not may_give_to(officer, region.id, assigned)
    ):
        raise NotAllowed
    found = record(referral.answers)
    if "other" in (referral.answers.get("accessibility_needs") or ()):
        found["victim.accessibility_other"] = referral.accessibility_other
    safe = _safe_details(found)
    case = open_case(
        session,
        found,
        Joining(
            status=CaseStatus.ACTIVE,
            region=region,
            officer=assigned,
            note=REFERRED,
            occurred_on=referral.referred_on,
            proved=frozenset(safe),  # the police gave them, and the officer marked them safe
            match_on=safe,
            recorded_by=officer,
            case={
                "source": CaseSource.REFERRAL,
                "referred_on": referral.referred_on,
                "referred_by": referral.referred_by,
                "clock_started_on": referral.referred_on,
                "triaged_at": now,
                "triaged_by": officer,
                "submission_key": referral.submission_key,
            },
        ),
        now,
    )
    channels = frozenset(channels)
    sent = notify_victim(
        session, case.victim, WELCOME, {"url": sign_in_url}, now=now, channels=channels
    )
    welcome = sent[0].channel if sent else None
    no_letters = (
        not sent
        and NotificationChannel.LETTER.value not in channels
        and safe_to_use(referral.answers, "letter")
    )
    if sent:
        session.flush()
        case.timeline[0].notification_id = sent[0].id
    session.add(
        AuditEvent(
            actor_type=ActorType.STAFF,
            actor_id=officer.id,
            action="referral.created",
            case_id=case.id,
            request_id=request_id,
            address=address,
            detail={
                "region": region.id,
                "officer": assigned.id,
                "welcome": welcome.value if welcome else None,
                "possible_duplicate_of": case.possible_duplicate_of_id,
            },
            created_at=now,
        )
    )
    return Referred(case, welcome, no_letters)
