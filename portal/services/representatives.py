"""Someone a victim names to act for them (portal.domain.representatives): naming them,
proving their detail, ending it.

The rules:

- **Proved before it works.** The victim types the representative's email address or
  mobile number; a 6-digit code (CodePurpose.REPRESENTATIVE, portal.services.
  security_codes: its lifetime, guesses and limits) goes to it, and the victim enters the
  code the representative gives them. Until then nothing is on record (the victim's
  browser holds what was typed): a mistyped address reaches nobody who could use it.
- **Not one of the victim's own details, not twice, not too many**: a victim does not act
  for themselves, the same person is named once, and MOST_AT_ONCE act for one victim.
- **Everyone is told what they should be**: the representative is sent a content-free
  invitation (where to sign in; nothing about the victim or the case) in their language,
  and only while it lasts (the worker asks the "representative" gate before sending); the
  victim is sent "Someone can now act for you" on a detail still safe, so that someone
  else naming a representative in their name is noticed.
- **Ended at once**: by the victim, or by their officer; every session signed in with the
  representative's detail ends (a session belongs to its detail, as with a contact detail
  marked not safe), and signing in finds nothing more (portal.services.sign_in).
- **Recorded**: a timeline entry for the officer (never the name or the detail) on each of
  the victim's open cases, and an audit event (ids, kinds and permissions only).

The caller commits (everything a change does is one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.catalogue import N_
from portal.domain.representatives import DELEGABLE, MOST_AT_ONCE
from portal.models import (
    ActorType,
    Case,
    CodePurpose,
    Language,
    NotificationChannel,
    OutboxNotification,
    Permission,
    Relation,
    Representative,
    VictimSession,
    utcnow,
)
from portal.notifications.outbox import enqueue
from portal.services import contact_choices, security_codes
from portal.services.locks import lock_row
from portal.services.security_codes import CODE_LIFETIME, CheckResult, TooManyCodes
from portal.services.staff_changes import Actor, StaffActor, VictimActor, audit, staff_note
from portal.services.victim_contacts import SIGN_IN_CHANNELS, cases_to_note

__all__ = ["CODE_LIFETIME", "CheckResult", "TooManyCodes"]

#: What the officer reads on the timeline (never the name or the detail: the case's
#: Contact details page shows who acts for the victim).
NOTES = {
    "added": N_(
        "The victim named someone to act for them. Who, and what they may do, is on the "
        "case’s Contact details page."
    ),
    ActorType.VICTIM: N_("The victim ended the access of someone who acted for them."),
    ActorType.STAFF: N_("An officer ended the access of someone who acted for the victim."),
}
#: The notification the victim gets, and the one the representative gets.
ADDED = "representative_added"
INVITATION = "representative_invitation"


class Refused(ValueError):
    """The representative cannot be named; `reason` says why, for the page:

    - "own-detail": it is one of the victim's own email addresses or mobile numbers;
    - "already": someone acts for the victim with this detail already;
    - "too-many": MOST_AT_ONCE people act for the victim already;
    - "left": the victim has left the scheme (nothing is sent for them, invitations too);
    - "nothing-given": no permission was chosen.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class NewRepresentative:
    """A representative as the victim described them, before their detail is proved."""

    full_name: str
    relation: Relation
    channel: NotificationChannel
    destination: str
    permissions: frozenset[Permission]
    language: Language


@dataclass(frozen=True)
class Added:
    representative: Representative
    #: The invitation to the representative.
    invitation: OutboxNotification
    #: The confirmation to the victim, or None when no detail of theirs is safe.
    told: OutboxNotification | None


@dataclass(frozen=True)
class Ended:
    #: False when it had ended already (the form sent twice, or from two tabs).
    changed: bool
    sessions_ended: int = 0


# --- finding them -----------------------------------------------------------------------------


def of_victim(session: Session, victim_id: int) -> list[Representative]:
    """Everyone who acts, or acted, for the victim: those who still do first (oldest first),
    then those who did, the latest ended first."""
    found = session.scalars(
        select(Representative)
        .where(Representative.victim_id == victim_id)
        .order_by(Representative.created_at, Representative.id)
    ).all()
    live = [r for r in found if r.ended_at is None]
    ended = sorted((r for r in found if r.ended_at is not None), key=lambda r: r.ended_at)
    return [*live, *reversed(ended)]


def live_of(session: Session, victim_id: int) -> list[Representative]:
    return [r for r in of_victim(session, victim_id) if r.ended_at is None]


def one_of(session: Session, victim_id: int, representative_id: int) -> Representative | None:
    """Representative `representative_id` if they act, or acted, for this victim; else None."""
    return session.scalar(
        select(Representative).where(
            Representative.id == representative_id, Representative.victim_id == victim_id
        )
    )


# --- naming one -------------------------------------------------------------------------------


def refused(session: Session, case: Case, channel: NotificationChannel, value: str) -> str | None:
    """Why a representative with this detail cannot be named for the case's victim, or None
    (see Refused)."""
    victim = case.victim
    if contact_choices.out_of_scheme(victim):
        return "left"
    own = [c for c, notified in SIGN_IN_CHANNELS.items() if notified == channel]
    if any(p.channel in own and p.value == value for p in victim.contact_preferences):
        return "own-detail"
    live = live_of(session, victim.id)
    if any(r.channel == channel and r.destination == value for r in live):
        return "already"
    if len(live) >= MOST_AT_ONCE:
        return "too-many"
    return None


def send_code(
    session: Session,
    case: Case,
    channel: NotificationChannel,
    value: str,
    secret_key: str,
    *,
    requester: str,
    network: str,
    language: Language | str,
    now: datetime | None = None,
) -> None:
    """Send the code that proves the detail (`value`, normalised) of someone the case's
    victim is naming, for this browser, in words for the person asked (nothing about the
    victim). Raises Refused (nothing sent) when they cannot be named, TooManyCodes (having
    written an audit row) at a limit."""
    if reason := refused(session, case, channel, value):
        raise Refused(reason)
    security_codes.send(
        session,
        purpose=CodePurpose.REPRESENTATIVE,
        channel=channel,
        destination=value,
        secret_key=secret_key,
        network=network,
        requester=requester,
        language=language,
        kind="representative_code",
        now=now,
    )


def check_code(
    session: Session,
    channel: NotificationChannel,
    value: str,
    typed: str,
    secret_key: str,
    *,
    requester: str,
    now: datetime | None = None,
) -> str:
    """Check the code the victim typed against the newest this browser asked for `value`;
    the guess counts."""
    return security_codes.check_newest(
        session,
        CodePurpose.REPRESENTATIVE,
        channel,
        value,
        typed,
        secret_key,
        requester=requester,
        now=now,
    )


def add(
    session: Session,
    case: Case,
    actor: VictimActor,
    new: NewRepresentative,
    sign_in_url: str,
    *,
    proved: bool,
    now: datetime | None = None,
) -> Added:
    """Name `new` to act for the case's victim, once their detail is `proved` with a code.
    Raises Refused (see there); nothing is written then."""
    if not proved:
        raise ValueError("a representative's detail is proved first")
    given = frozenset(new.permissions) & frozenset(DELEGABLE)
    if not given:
        raise Refused("nothing-given")
    # Counted under the victim's row lock: two tabs naming a fourth person at once cannot
    # both find room for them.
    lock_row(session, case.victim)
    if reason := refused(session, case, new.channel, new.destination):
        raise Refused(reason)
    now = now or utcnow()
    victim = case.victim
    before = contact_choices.safe_now(victim)
    representative = Representative(
        victim_id=victim.id,
        full_name=new.full_name.strip(),
        relation=Relation(new.relation),
        channel=NotificationChannel(new.channel),
        destination=new.destination,
        language=Language(new.language),
        proved_at=now,
        created_at=now,
        **{Representative.COLUMNS[p]: p in given for p in DELEGABLE},
    )
    session.add(representative)
    session.flush()
    for noted in cases_to_note(case, actor):
        staff_note(session, actor, noted, NOTES["added"], now)
    audit(
        session,
        actor,
        case,
        "representative.added",
        {
            "representative": representative.id,
            "relation": representative.relation.value,
            "channel": representative.channel.value,
            "permissions": sorted(p.value for p in given),
        },
        now,
    )
    invitation = enqueue(
        session,
        recipient=representative.destination,
        channel=representative.channel,
        kind=INVITATION,
        language=representative.language,
        personalisation={"url": sign_in_url},
        gate="representative",
        now=now,
    )
    told = contact_choices.confirm(session, victim, before, sign_in_url, now, kind=ADDED)
    return Added(representative, invitation, told)


# --- ending one -------------------------------------------------------------------------------


def _end_sessions(session: Session, representative: Representative, now: datetime) -> int:
    return session.execute(
        update(VictimSession)
        .where(
            VictimSession.channel == representative.channel,
            VictimSession.destination == representative.destination,
            VictimSession.ended_at.is_(None),
        )
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


def end(
    session: Session,
    case: Case,
    representative: Representative,
    actor: Actor,
    now: datetime | None = None,
) -> Ended:
    """End `representative`'s access (the victim's own choice, or their officer's): their
    sessions end at once. Ending what has ended changes nothing."""
    if representative.victim_id != case.victim_id:
        raise ValueError("a representative is ended from their own victim's case")
    lock_row(session, representative)
    if representative.ended_at is not None:
        return Ended(changed=False)
    now = now or utcnow()
    by = ActorType.STAFF if isinstance(actor, StaffActor) else ActorType.VICTIM
    representative.ended_at = now
    representative.ended_by = by
    representative.ended_by_officer_id = actor.officer_id if isinstance(actor, StaffActor) else None
    ended = _end_sessions(session, representative, now)
    for noted in cases_to_note(case, actor):
        staff_note(session, actor, noted, NOTES[by], now)
    audit(
        session,
        actor,
        case,
        "representative.ended",
        {"representative": representative.id, "sessions_ended": ended},
        now,
    )
    return Ended(changed=True, sessions_ended=ended)
