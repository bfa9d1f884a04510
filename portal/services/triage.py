"""Triage: what an officer decides about a new registration, and what follows from it.

Four decisions, each made in the caller's one transaction:

- `accept`: an officer of the case's region takes it; the victim is told who, on their
  timeline and (content-free) through the outbox;
- `decline`: with a reason from `DeclineReason` and, if the officer wants, their own
  words to the victim; the victim is told through the outbox and, once signed in,
  reads a kind explanation and where to get support;
- `transfer`: to another region's Victim Liaison Unit, still waiting for triage; the
  victim's timeline names the new unit;
- `link`: a second registration joined to the victim's existing live case (a flagged
  possible duplicate, or one the officer names by reference); the proved contact
  details of the new registration are added to the existing record so the person can
  sign in with them, and nothing else of either record reaches the other.

Every decision is claimed with one conditional UPDATE (still in triage, still in the
region the officer was shown), so a double submit or a stale form changes nothing the
second time and notifies nobody twice: `AlreadyDecided`. Each writes one specific
audit event (ids and codes only, never names or free text).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from portal.catalogue import N_, in_language
from portal.domain import references
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    ContactPreference,
    DeclineReason,
    Region,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.notifications.outbox import notify_victim
from portal.services import messages
from portal.services.queues import today_in_england
from portal.services.staff_cases import in_reach

#: What the victim's timeline says, in the victim's language (portal.catalogue).
ACCEPTED = N_("Your request to join has been accepted. Your Victim Liaison Officer is %(name)s.")
DECLINED = N_(
    "We have looked carefully at your request to join, and we cannot add you to the scheme."
)
TRANSFERRED = N_(
    "Your request to join has been passed to %(unit)s, who look after cases from that area. "
    "They will be in touch."
)
JOINED = N_("Your second request to join has been joined to your existing case.")

#: Cases a registration may be joined to: not declined, closed or merged themselves.
LIVE_STATUSES = (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED)
#: How long an officer's words to a declined victim may be.
NOTE_LIMIT = 1000


class Decision(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    TRANSFER = "transfer"
    LINK = "link"


class AlreadyDecided(Exception):
    """The registration is no longer waiting for triage where the officer saw it."""


class NotAllowed(Exception):
    """What was chosen cannot be chosen (an officer of another region, say)."""


@dataclass(frozen=True)
class Who:
    """The officer deciding, and where the request came from (for the audit)."""

    officer: VictimLiaisonOfficer
    request_id: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    #: The case to show next (for a link: the existing case).
    case_id: int
    reference: str
    #: Whether a notification was queued (False: the victim has no safe written channel).
    told: bool = False
    #: Who now has the case (accept), the new region (transfer), the case joined (link).
    officer_name: str | None = None
    region_id: int | None = None
    joined_reference: str | None = None


# --- what an officer may choose -------------------------------------------------------


def assignable_officers(session: Session, case: Case, current: VictimLiaisonOfficer):
    """Active officers of the case's region, the officer deciding first (if one of them),
    then by name. None for a case in the national queue (no region yet)."""
    if case.region_id is None:
        return []
    officers = session.scalars(
        select(VictimLiaisonOfficer)
        .where(
            VictimLiaisonOfficer.region_id == case.region_id,
            VictimLiaisonOfficer.is_active.is_(True),
        )
        .order_by(VictimLiaisonOfficer.full_name, VictimLiaisonOfficer.id)
    ).all()
    return sorted(officers, key=lambda officer: officer.id != current.id)


def transfer_regions(session: Session, case: Case) -> list[Region]:
    """Every region but the case's own, in the order regions are listed."""
    return list(
        session.scalars(
            select(Region)
            .where(Region.id != case.region_id if case.region_id is not None else true())
            .order_by(Region.id)
        )
    )


def live_case(
    session: Session, officer: VictimLiaisonOfficer, reference: str, registration: Case
) -> Case | None:
    """The live case `reference` names, if this officer may see it and it is not the
    registration itself; else None (the same answer whatever the reason)."""
    return session.scalars(
        select(Case).where(
            Case.reference == references.normalise(reference),
            Case.status.in_(LIVE_STATUSES),
            Case.id != registration.id,
            in_reach(officer),
        )
    ).one_or_none()


def flagged_case(session: Session, officer: VictimLiaisonOfficer, registration: Case):
    """The live case registration flagged as a possible duplicate, if this officer may see
    it."""
    if registration.possible_duplicate_of_id is None:
        return None
    return session.scalars(
        select(Case).where(
            Case.id == registration.possible_duplicate_of_id,
            Case.status.in_(LIVE_STATUSES),
            in_reach(officer),
        )
    ).one_or_none()


# --- the decisions ----------------------------------------------------------------------


def _claim(session: Session, case: Case, values: dict, now: datetime) -> None:
    """Change the case only if it still waits for triage in the region the officer saw."""
    same_region = (
        Case.region_id.is_(None) if case.region_id is None else Case.region_id == case.region_id
    )
    result = session.execute(
        update(Case)
        .where(Case.id == case.id, Case.status == CaseStatus.TRIAGE, same_region)
        .values(**values, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise AlreadyDecided
    session.expire(case)


def _audit(session: Session, who: Who, action: str, case_id: int, detail: dict, now) -> None:
    session.add(
        AuditEvent(
            actor_type=ActorType.STAFF,
            actor_id=who.officer.id,
            action=action,
            case_id=case_id,
            request_id=who.request_id,
            address=who.address,
            detail=detail,
            created_at=now,
        )
    )


def _tell(
    session: Session,
    case_id: int,
    victim: Victim,
    who: Who,
    summary: str,
    now: datetime,
    kind: str | None = None,
    sign_in_url: str | None = None,
) -> bool:
    """A victim-visible triage entry on the timeline, in the victim's language, and, with
    `kind`, a content-free notification on their first safe channel. True if notified."""
    notifications = (
        notify_victim(session, victim, kind, {"url": sign_in_url}, now=now) if kind else []
    )
    session.flush()
    session.add(
        TimelineEvent(
            case_id=case_id,
            kind=TimelineEventKind.TRIAGE,
            occurred_on=today_in_england(now),
            summary=summary,
            language=victim.language,
            visible_to_victim=True,
            recorded_by_id=who.officer.id,
            notification_id=notifications[0].id if notifications else None,
            created_at=now,
        )
    )
    return bool(notifications)


def accept(
    session: Session,
    case: Case,
    who: Who,
    officer_id: int,
    sign_in_url: str,
    now: datetime | None = None,
) -> Outcome:
    """An officer of the case's region takes it; the victim is told who."""
    now = now or utcnow()
    assignee = session.get(VictimLiaisonOfficer, officer_id)
    if (
        assignee is None
        or not assignee.is_active
        or case.region_id is None
        or assignee.region_id != case.region_id
    ):
        raise NotAllowed
    _claim(
        session,
        case,
        {
            "status": CaseStatus.ACTIVE,
            "officer_id": assignee.id,
            "triaged_at": now,
            "triaged_by_id": who.officer.id,
        },
        now,
    )
    victim = case.victim
    summary = in_language(victim.language, ACCEPTED) % {"name": assignee.full_name}
    told = _tell(session, case.id, victim, who, summary, now, "registration_accepted", sign_in_url)
    _audit(
        session,
        who,
        "triage.accepted",
        case.id,
        {"officer": assignee.id, "region": case.region_id, "notified": told},
        now,
    )
    return Outcome(
        Decision.ACCEPT, case.id, case.reference, told=told, officer_name=assignee.full_name
    )


def decline(
    session: Session,
    case: Case,
    who: Who,
    reason: DeclineReason,
    note: str | None,
    sign_in_url: str,
    now: datetime | None = None,
) -> Outcome:
    """Not accepted, for `reason` (and the officer's own words, needed for OTHER)."""
    now = now or utcnow()
    reason = DeclineReason(reason)
    note = (note or "").strip() or None
    if (reason == DeclineReason.OTHER and not note) or (note and len(note) > NOTE_LIMIT):
        raise NotAllowed
    _claim(
        session,
        case,
        {
            "status": CaseStatus.DECLINED,
            "decline_reason": reason,
            "decline_note": note,
            "officer_id": None,
            "triaged_at": now,
            "triaged_by_id": who.officer.id,
        },
        now,
    )
    victim = case.victim
    summary = in_language(victim.language, DECLINED)
    told = _tell(session, case.id, victim, who, summary, now, "registration_declined", sign_in_url)
    _audit(
        session,
        who,
        "triage.declined",
        case.id,
        {"reason": reason.value, "with_note": note is not None, "notified": told},
        now,
    )
    return Outcome(Decision.DECLINE, case.id, case.reference, told=told)


def transfer(
    session: Session, case: Case, who: Who, region_id: int, now: datetime | None = None
) -> Outcome:
    """To another region's unit: still waiting for triage there, with no officer."""
    now = now or utcnow()
    region = session.get(Region, region_id)
    if region is None or region.id == case.region_id:
        raise NotAllowed
    from_region = case.region_id
    _claim(session, case, {"region_id": region.id, "officer_id": None}, now)
    victim = case.victim
    summary = in_language(victim.language, TRANSFERRED) % {
        "unit": region.unit_name(victim.language)
    }
    _tell(session, case.id, victim, who, summary, now)
    _audit(
        session,
        who,
        "triage.transferred",
        case.id,
        {"from_region": from_region, "to_region": region.id},
        now,
    )
    return Outcome(Decision.TRANSFER, case.id, case.reference, region_id=region.id)


def _add_proved_contacts(new: Victim, existing: Victim) -> int:
    """The new registration's proved contact details, on the existing record (so the
    person can sign in with them and see the existing case); returns how many were
    added. A detail already there marked not safe stays as it is."""
    added = 0
    for detail in new.contact_preferences:
        if detail.verified_at is None:
            continue
        same = next(
            (
                held
                for held in existing.contact_preferences
                if held.channel == detail.channel and held.value == detail.value
            ),
            None,
        )
        if same is None:
            existing.contact_preferences.append(
                ContactPreference(
                    channel=detail.channel,
                    value=detail.value,
                    is_safe=detail.is_safe,
                    voicemail_safe=detail.voicemail_safe,
                    safe_from=detail.safe_from,
                    safe_until=detail.safe_until,
                    verified_at=detail.verified_at,
                )
            )
            added += 1
        elif same.is_safe and same.verified_at is None:
            same.verified_at = detail.verified_at
    return added


def link(
    session: Session,
    case: Case,
    who: Who,
    existing: Case,
    sign_in_url: str,
    now: datetime | None = None,
) -> Outcome:
    """Join a second registration to the victim's existing live case."""
    now = now or utcnow()
    if (
        existing.id == case.id
        or existing.status not in LIVE_STATUSES
        or not who.officer.is_active
        or not (who.officer.role.sees_every_region or existing.region_id == who.officer.region_id)
    ):
        raise NotAllowed
    flagged = existing.id == case.possible_duplicate_of_id
    # A message the victim sends on the registration meanwhile lands before the move (and
    # moves with the others) or, once the join is committed, is refused: never on the
    # joined case, where nobody would answer it.
    messages.lock_victims_messages(session, case.victim_id)
    _claim(
        session,
        case,
        {
            "status": CaseStatus.MERGED,
            "merged_into_id": existing.id,
            "officer_id": None,
            "triaged_at": now,
            "triaged_by_id": who.officer.id,
        },
        now,
    )
    added = _add_proved_contacts(case.victim, existing.victim)
    moved = messages.move_to(session, case, existing)
    victim = existing.victim
    summary = in_language(victim.language, JOINED)
    told = _tell(
        session, existing.id, victim, who, summary, now, "registration_accepted", sign_in_url
    )
    _audit(
        session,
        who,
        "triage.linked",
        case.id,
        {
            "merged_into": existing.id,
            "flagged": flagged,
            "contacts_added": added,
            "messages_moved": moved,
        },
        now,
    )
    _audit(
        session,
        who,
        "triage.joined",
        existing.id,
        {"merged_from": case.id, "contacts_added": added, "notified": told},
        now,
    )
    return Outcome(
        Decision.LINK,
        existing.id,
        case.reference,
        told=told,
        joined_reference=existing.reference,
    )
