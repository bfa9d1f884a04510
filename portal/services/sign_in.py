"""Signing a victim in without a password: a code to a safe email address or mobile.

A code goes only to an email address or mobile number that a victim's record
holds, marked safe, while one of their cases is waiting, active or paused (or
was declined in the last 90 days: they are told to sign in to read why; or is
one they left: they can see that they left, and ask to come back).
Whoever typed the address sees the same thing either way, so the sign-in page
never tells a stranger who is in the scheme.

A signed-in session lives on the server (`VictimSession`): the cookie holds a
random token and only its hash is kept, so signing out, 30 minutes without
a request, 8 hours in all, or the contact detail being marked unsafe or
removed ends it for good. The session belongs to the proved contact detail,
not to one record: a parent who registered two children with one email
address sees both cases. Each request finds the cases again, so what a
session can see never outlives what is on file.

**Someone acting for a victim** (a `Representative`, portal.domain.representatives)
signs in the same way, with their own proved detail. One place decides what a session
may do for whom (`access_of`, and in SQL `_victim_ids`): everything for each person
whose own record holds the detail (proved and safe), and what they were given for each
victim who named the detail's owner to act for them (while that lasts, and unless that
victim marked the same detail not safe on their own record: it is never used again). `cases_of`,
`case_of` and `case_ids_of` find the cases through it, optionally only those where the
session has a given permission; `victims_of` and `victim_ids_of` are the records the
session owns ("Your data"), never a represented victim's.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, delete, or_, select, union
from sqlalchemy.orm import Session, joinedload

from portal.domain.representatives import EVERYTHING
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    CodePurpose,
    ContactPreference,
    Language,
    NotificationChannel,
    Permission,
    Representative,
    Victim,
    VictimSession,
    utcnow,
)
from portal.notifications.gates import gate
from portal.services import security_codes, server_sessions
from portal.services.security_codes import CODE_LIFETIME, MAX_ATTEMPTS, CheckResult, TooManyCodes
from portal.services.server_sessions import still_live

#: Cases whose victim can sign in: not declined, not closed (but see DECLINED_READABLE_FOR).
OPEN_STATUSES = (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED)
#: A declined request to join stays readable this long after the decision, so the person
#: told "sign in to read it" can read why, and where to get support.
DECLINED_READABLE_FOR = timedelta(days=90)
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=8)
#: last_seen_at is written at most this often (a page view is not a write).
TOUCH_EVERY = server_sessions.TOUCH_EVERY
#: How long ended sessions are kept.
KEEP_FOR = timedelta(days=1)

CHANNELS = {
    NotificationChannel.EMAIL: Channel.EMAIL,
    NotificationChannel.SMS: Channel.SMS,
}

__all__ = ["CODE_LIFETIME", "MAX_ATTEMPTS", "CheckResult", "TooManyCodes"]


#: What the statements below are run with (`_values`). Each is built once for each shape
#: (a channel, a permission) with these in place of the values: every signed-in victim's
#: request runs three or four of them, and building a statement and its cache key cost
#: more than running it.
DESTINATION = bindparam("destination")
DECLINED_SINCE = bindparam("declined_since")
REFERENCE = bindparam("reference")

#: SQL: a case its victim may sign in to see: open, declined since DECLINED_SINCE (90 days
#: ago), or one they left (kept for the retention period: they may ask to come back). A
#: case closed for any other reason (the sentence ended) is not.
READABLE = or_(
    Case.status.in_(OPEN_STATUSES),
    and_(Case.status == CaseStatus.DECLINED, Case.triaged_at >= DECLINED_SINCE),
    and_(Case.status == CaseStatus.CLOSED, Case.left_at.is_not(None)),
)


def _values(value: str, **more) -> dict:
    """What the statements are run with for the contact detail `value`, now."""
    return {"destination": value, "declined_since": utcnow() - DECLINED_READABLE_FOR, **more}


@cache
def _safe_details_statement(channel: NotificationChannel):
    open_case = (
        select(Case.id).where(Case.victim_id == ContactPreference.victim_id, READABLE).exists()
    )
    return (
        select(ContactPreference)
        .where(
            ContactPreference.channel == CHANNELS[channel],
            ContactPreference.value == DESTINATION,
            ContactPreference.is_safe.is_(True),
            ContactPreference.verified_at.is_not(None),
            open_case,
        )
        .options(joinedload(ContactPreference.victim))
        .order_by(ContactPreference.id)
    )


def _safe_details(session: Session, channel: NotificationChannel, value: str):
    """The contact details on file that match, proved and safe, of people with an open case.

    Only a proved detail (a code sent to it was entered, or an officer confirmed
    it: `verified_at`) signs anyone in: a detail someone merely typed on a form
    may be a mistake, or someone else's on purpose. `value` is normalised
    (portal.domain.contact_details), as stored values are.
    """
    return session.scalars(_safe_details_statement(channel), _values(value)).all()


def _not_marked_unsafe_by_victim(channel: NotificationChannel):
    """SQL: the represented victim has not marked DESTINATION not safe on their own record
    (a detail marked not safe is never used again, even as someone's who acts for them)."""
    return ~(
        select(ContactPreference.id)
        .where(
            ContactPreference.victim_id == Representative.victim_id,
            ContactPreference.channel == CHANNELS[channel],
            ContactPreference.value == DESTINATION,
            ContactPreference.is_safe.is_(False),
        )
        .exists()
    )


@cache
def _representatives_statement(channel: NotificationChannel):
    readable_case = (
        select(Case.id).where(Case.victim_id == Representative.victim_id, READABLE).exists()
    )
    return (
        select(Representative)
        .where(
            Representative.channel == channel,
            Representative.destination == DESTINATION,
            Representative.ended_at.is_(None),
            _not_marked_unsafe_by_victim(channel),
            readable_case,
        )
        .options(joinedload(Representative.victim))
        .order_by(Representative.id)
    )


def _representatives(session: Session, channel: NotificationChannel, value: str):
    """The live representatives who sign in with `value`, of victims with a case they may
    see (a representative never sees more than the victim could), who have not marked
    `value` not safe themselves."""
    return session.scalars(_representatives_statement(channel), _values(value)).all()


@dataclass(frozen=True)
class Access:
    """What a session may do for one person: everything, when their own record holds the
    session's detail (`representative` is None); else what they gave `representative`."""

    victim: Victim
    permissions: frozenset[Permission]
    representative: Representative | None = None

    def may(self, permission: Permission | None) -> bool:
        """Whether the session may do what needs `permission` (None: anything signed in)."""
        return permission is None or permission in self.permissions


def _access(session: Session, channel: NotificationChannel, value: str) -> dict[int, Access]:
    found = {
        detail.victim_id: Access(detail.victim, EVERYTHING)
        for detail in _safe_details(session, channel, value)
    }
    for representative in _representatives(session, channel, value):
        if representative.victim_id not in found:
            found[representative.victim_id] = Access(
                representative.victim, representative.permissions, representative
            )
    return found


def access_of(session: Session, record: VictimSession) -> dict[int, Access]:
    """What this session may do, for each person it reaches (by victim id): the one place
    that decides (two statements, whoever signed in)."""
    return _access(session, record.channel, record.destination)


def may_sign_in(session: Session, channel: NotificationChannel, value: str) -> bool:
    """Whether anyone may sign in with `value`: a victim's proved, safe detail, or a live
    representative's, each with a case they may see."""
    return bool(_access(session, channel, value))


@gate("sign-in")
def language_of_signer(
    session: Session, channel: NotificationChannel, value: str
) -> Language | None:
    """Whether someone can sign in with `value` (the worker asks before sending a code), and
    in which language: the victim's own, or the representative's."""
    details = _safe_details(session, channel, value)
    if details:
        return details[0].victim.language
    representatives = _representatives(session, channel, value)
    return representatives[0].language if representatives else None


@gate("representative")
def language_of_representative(
    session: Session, channel: NotificationChannel, value: str
) -> Language | None:
    """Whether an invitation to act for a victim may still go to `value` (someone still
    acts for a victim with it), and in their language."""
    representatives = _representatives(session, channel, value)
    return representatives[0].language if representatives else None


def request_code(
    session: Session, channel: NotificationChannel, value: str, secret_key: str, **who
) -> None:
    """Ask for a sign-in code to `value` (security_codes.request_gated: the same work
    whoever `value` belongs to; the worker's "sign-in" gate decides whether to send)."""
    security_codes.request_gated(session, CodePurpose.SIGN_IN, channel, value, secret_key, **who)


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
    """Check a typed code against the newest code this browser asked for; the guess counts."""
    result = security_codes.check_newest(
        session,
        CodePurpose.SIGN_IN,
        channel,
        value,
        typed,
        secret_key,
        requester=requester,
        now=now,
    )
    if result == CheckResult.VERIFIED and not may_sign_in(session, channel, value):
        return CheckResult.WRONG  # marked unsafe, ended or closed since the code was sent
    return result


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session,
    channel: NotificationChannel,
    value: str,
    request_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """Sign in the owner of a proved contact detail; returns the cookie's token."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    reached = _access(session, channel, value)
    record = VictimSession(
        token_hash=_hash(token),
        channel=channel,
        destination=value,
        created_at=now,
        last_seen_at=now,
    )
    session.add(record)
    session.flush()
    for victim_id in sorted(reached):
        acting = reached[victim_id].representative
        session.add(
            AuditEvent(
                actor_type=ActorType.VICTIM,
                actor_id=victim_id,
                action="victim signed in",
                request_id=request_id,
                detail={
                    "session": record.id,
                    "channel": channel.value,
                    **({"representative": acting.id} if acting else {}),
                },
                created_at=now,
            )
        )
    return token


def current_session(
    session: Session, token: str | None, now: datetime | None = None, *, activity: bool = True
) -> VictimSession | None:
    """The live session for `token`, or None. Ends a session that has run out.

    `activity=False` for a request the person did not make themselves (a page asking
    every few seconds whether a reply has come): it finds the session like any other,
    but does not keep it alive, so a tab left open still signs its owner out after
    IDLE_LIMIT."""
    return live_session(session, token, now, activity=activity)[0]


#: Every signed-in victim's request's first statement, built once (building it and its
#: cache key cost more than running it).
_SESSION_BY_TOKEN = select(VictimSession).where(VictimSession.token_hash == bindparam("token_hash"))


def live_session(
    session: Session, token: str | None, now: datetime | None = None, *, activity: bool = True
) -> tuple[VictimSession | None, dict[int, Access]]:
    """`current_session`, and what the session may do for each person it reaches
    (`access_of`), found once for both: whether it may still be signed in at all is
    whether it reaches anyone. A token that is not a string (only a cookie signed with our
    key could hold one) is no session, as a wrong one is."""
    if not token or not isinstance(token, str):
        return None, {}
    now = now or utcnow()
    record = session.scalar(_SESSION_BY_TOKEN, {"token_hash": _hash(token)})
    if record is None or record.ended_at is not None:
        return None, {}
    reached = access_of(session, record)
    if not still_live(
        record,
        now,
        idle=IDLE_LIMIT,
        lifetime=SESSION_LIMIT,
        still_allowed=bool(reached),
        touch=activity,
    ):
        return None, {}
    return record, reached


def seconds_left(record: VictimSession, now: datetime | None = None) -> int:
    """How long `record` has before it runs out for want of a request (or in all)."""
    now = now or utcnow()
    ends = min(record.last_seen_at + IDLE_LIMIT, record.created_at + SESSION_LIMIT)
    return max(0, int((ends - now).total_seconds()))


def extend(record: VictimSession, now: datetime | None = None) -> None:
    """The victim is still there ("Stay signed in"): the idle limit counts from now."""
    record.last_seen_at = now or utcnow()


def end_session(
    session: Session,
    token: str | None,
    request_id: str | None = None,
    now: datetime | None = None,
    reason: str | None = None,
) -> bool:
    """Sign out: the token never works again. True if a live session ended. `reason` is
    "timeout" when the timeout warning ran out with nobody there."""
    now = now or utcnow()
    record = current_session(session, token, now)
    if record is None:
        return False
    record.ended_at = now
    session.add(
        AuditEvent(
            actor_type=ActorType.VICTIM,
            action="victim signed out",
            request_id=request_id,
            detail={"session": record.id, **({"reason": reason} if reason else {})},
            created_at=now,
        )
    )
    return True


def victims_of(session: Session, record: VictimSession) -> list[Victim]:
    """The people whose own records hold this session's contact detail, marked safe (never
    a victim the session only acts for)."""
    details = _safe_details(session, record.channel, record.destination)
    return sorted({detail.victim for detail in details}, key=lambda victim: victim.id)


def _victim_ids(channel: NotificationChannel, permission: Permission | None = None):
    """SQL: the ids of the victims a session with a `channel` detail (DESTINATION) reaches
    (with `permission`, only those it has it for): those whose records hold its detail,
    proved and safe, and those who named its detail's owner to act for them, while that
    lasts. What `access_of` decides."""
    own = select(ContactPreference.victim_id).where(
        ContactPreference.channel == CHANNELS[channel],
        ContactPreference.value == DESTINATION,
        ContactPreference.is_safe.is_(True),
        ContactPreference.verified_at.is_not(None),
    )
    if permission is not None and permission not in Representative.COLUMNS:
        return own  # only the person themselves
    acting = select(Representative.victim_id).where(
        Representative.channel == channel,
        Representative.destination == DESTINATION,
        Representative.ended_at.is_(None),
        _not_marked_unsafe_by_victim(channel),
    )
    if permission is not None:
        acting = acting.where(Representative.column_for(permission).is_(True))
    return union(own, acting)


@cache
def _case_ids_statement(channel: NotificationChannel, permission: Permission | None):
    return select(Case.id).where(Case.victim_id.in_(_victim_ids(channel, permission)), READABLE)


def case_ids_of(record: VictimSession, permission: Permission | None = None):
    """SQL (a subquery, not run here, its values bound): the ids of the cases `cases_of`
    returns."""
    return _case_ids_statement(record.channel, permission).params(_values(record.destination))


@cache
def _case_statement(channel: NotificationChannel, permission: Permission | None):
    return (
        select(Case)
        .where(
            Case.reference == REFERENCE,
            Case.victim_id.in_(_victim_ids(channel, permission)),
            READABLE,
        )
        .options(joinedload(Case.officer), joinedload(Case.region))
    )


def case_of(
    session: Session, record: VictimSession, reference: str, permission: Permission | None = None
) -> Case | None:
    """The case with `reference` if this session may see it (one of `cases_of`), else None:
    another victim's case, a closed one and one that does not exist look the same."""
    return session.scalar(
        _case_statement(record.channel, permission),
        _values(record.destination, reference=reference),
    )


def victim_ids_of(session: Session, record: VictimSession) -> list[int]:
    """The ids of `victims_of` (one statement, the records themselves not loaded)."""
    details = _safe_details(session, record.channel, record.destination)
    return sorted({detail.victim_id for detail in details})


def cases_of(
    session: Session, record: VictimSession, permission: Permission | None = None
) -> list[Case]:
    """The cases a signed-in session may see, oldest first: open ones, lately declined ones
    and ones the victim left; with `permission`, only those it has it for (a page of each
    one's timeline: portal.services.timeline_pages)."""
    return list(
        session.scalars(_cases_statement(record.channel, permission), _values(record.destination))
    )


@cache
def _cases_statement(channel: NotificationChannel, permission: Permission | None):
    return (
        select(Case)
        .where(Case.victim_id.in_(_victim_ids(channel, permission)), READABLE)
        .options(joinedload(Case.officer), joinedload(Case.region))
        .order_by(Case.created_at, Case.id)
    )


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete codes and sessions no longer needed, even for the limits. Returns how many."""
    now = now or utcnow()
    cutoff = now - KEEP_FOR
    codes = security_codes.purge_expired(session, now)
    sessions = session.execute(
        delete(VictimSession).where(
            or_(
                VictimSession.ended_at < cutoff,
                VictimSession.created_at < now - SESSION_LIMIT - KEEP_FOR,
            )
        )
    ).rowcount
    return codes + sessions
