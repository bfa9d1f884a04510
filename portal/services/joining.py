"""How a victim joins the scheme, whichever way they come: online, or referred by the police.

Both ways end in `open_case`: the victim's record with their contact details
(each safe or not, and proved or not), the case with a reference of its own,
its first timeline entry in the victim's language, and, when it looks like a
live case of the same person about the same offender (reached by a contact
detail that case holds marked safe), the flag for an officer to review and
merge (`Case.possible_duplicate_of_id` and a "possible duplicate flagged"
audit event). Nothing about the other case is added to it or told to anyone.

What goes in the record comes from the registration questions
(portal/questions/: each says what it puts in it), as a dict of
"victim.<column>", "case.<column>", "contacts", "every_contact.<column>" and
"phone.<column>" (see `portal.questions.record`). How the case starts (its
queue or officer, its source, the note, which details count as proved) is
the caller's: `Joining`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.catalogue import in_language
from portal.domain.names import same_person_name
from portal.domain.references import new_reference
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    Region,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    VictimLiaisonOfficer,
)

#: Cases a new one may duplicate: not declined, closed or merged.
LIVE_STATUSES = (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED)

#: A contact detail: its channel and its value as stored (normalised).
Detail = tuple[Channel, str]


@dataclass(frozen=True)
class Joining:
    """How the case starts: what differs between the ways of joining."""

    status: CaseStatus
    #: The region's queue, or None for the national queue (court not known).
    region: Region | None
    #: The first timeline entry, marked with N_ (portal.catalogue), visible to the victim.
    note: str
    #: The day the note is dated.
    occurred_on: date
    #: Contact details that count as proved, for signing in (`verified_at` is set).
    proved: frozenset[Detail] = frozenset()
    #: Contact details to look for on live cases, for the possible-duplicate flag.
    match_on: tuple[Detail, ...] = ()
    officer: VictimLiaisonOfficer | None = None
    #: Who wrote the note (an officer entering a referral), if anyone.
    recorded_by: VictimLiaisonOfficer | None = None
    #: More columns of the case (source, referral date, the clock's start...).
    case: dict[str, Any] = field(default_factory=dict)


def possible_duplicate(
    session: Session, details: Iterable[Detail], victim_name: str, offender_name: str
) -> Case | None:
    """The oldest live case of the same person about the same offender, reached by one of
    `details` that it holds marked safe. A parent may register two children with one
    address: the victim's name must match too."""
    wanted = list(dict.fromkeys(details))
    if not wanted:
        return None
    candidates = session.scalars(
        select(Case)
        .join(ContactPreference, ContactPreference.victim_id == Case.victim_id)
        .where(
            or_(
                *(
                    and_(ContactPreference.channel == channel, ContactPreference.value == value)
                    for channel, value in wanted
                )
            ),
            ContactPreference.is_safe.is_(True),
            Case.status.in_(LIVE_STATUSES),
        )
        .options(joinedload(Case.victim))
        .order_by(Case.created_at, Case.id)
    ).unique()
    offender = same_person_name(offender_name)
    victim = same_person_name(victim_name)
    for case in candidates:
        if (
            same_person_name(case.offender_name) == offender
            and same_person_name(case.victim.full_name) == victim
        ):
            return case
    return None


def unused_reference(session: Session) -> str:
    """A new case reference that no case has."""
    reference = new_reference()
    while session.scalar(select(Case.id).filter_by(reference=reference)) is not None:
        reference = new_reference()
    return reference


def _columns(found: dict, prefix: str) -> dict:
    return {
        key.removeprefix(prefix): value for key, value in found.items() if key.startswith(prefix)
    }


def _preferences(found: dict, proved: frozenset[Detail], now: datetime) -> list:
    every_contact = _columns(found, "every_contact.")
    preferences = []
    for channel_name, detail in found["contacts"].items():
        channel = Channel(channel_name)
        preferences.append(
            ContactPreference(
                channel=channel,
                value=detail["value"],
                is_safe=detail["is_safe"],
                verified_at=now if (channel, detail["value"]) in proved else None,
                **{
                    "voicemail_safe": False,
                    "safe_from": None,
                    "safe_until": None,
                    **every_contact,
                    **(_columns(found, "phone.") if channel == Channel.PHONE else {}),
                },
            )
        )
    return preferences


def open_case(session: Session, found: dict, joining: Joining, now: datetime) -> Case:
    """The victim, their contact details and the case, from what the questions put in the
    record (`found`); flagged when it may duplicate a live case. In the caller's
    transaction; flushed, so the case has its id."""
    victim_columns = _columns(found, "victim.")
    case_columns = _columns(found, "case.")
    duplicate = possible_duplicate(
        session, joining.match_on, victim_columns["full_name"], case_columns["offender_name"]
    )
    victim = Victim(**victim_columns, contact_preferences=_preferences(found, joining.proved, now))
    language = Language(victim_columns.get("language", Language.ENGLISH))
    case = Case(
        reference=unused_reference(session),
        victim=victim,
        region=joining.region,
        officer=joining.officer,
        status=joining.status,
        **case_columns,
        **joining.case,
        timeline=[
            TimelineEvent(
                kind=TimelineEventKind.NOTE,
                occurred_on=joining.occurred_on,
                summary=in_language(language.value, joining.note),
                language=language,
                recorded_by_id=joining.recorded_by.id if joining.recorded_by else None,
            )
        ],
    )
    session.add(case)
    case.possible_duplicate_of = duplicate
    session.flush()
    if duplicate is not None:
        session.add(
            AuditEvent(
                actor_type=ActorType.SYSTEM,
                action="possible duplicate flagged",
                case_id=case.id,
                detail={"possible_duplicate_of": duplicate.id},
                created_at=now,
            )
        )
    return case
