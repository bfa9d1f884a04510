"""Signing a victim in without a password: a code to a safe email address or mobile.

A code goes only to an email address or mobile number that a victim's record
holds, marked safe, while one of their cases is waiting, active or paused.
Whoever typed the address sees the same thing either way, so the sign-in page
never tells a stranger who is in the scheme.

A signed-in session lives on the server (`VictimSession`): the cookie holds a
random token and only its hash is kept, so signing out, 30 minutes without
a request, 8 hours in all, or the contact detail being marked unsafe or
removed ends it for good. The session belongs to the proved contact detail,
not to one record: a parent who registered two children with one email
address sees both cases. Each request finds the cases again, so what a
session can see never outlives what is on file.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from portal.domain.security_codes import hash_code, new_code
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    NotificationChannel,
    SignInCode,
    Victim,
    VictimSession,
    utcnow,
)
from portal.notifications.outbox import enqueue
from portal.services.verification import CODE_LIFETIME, MAX_ATTEMPTS, CheckResult, judge

#: Cases whose victim can sign in: not declined, not closed.
OPEN_STATUSES = (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED)
#: Codes one email address or mobile number can be sent in WINDOW.
MAX_CODES_PER_DESTINATION = 5
WINDOW = timedelta(hours=1)
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=8)
#: last_seen_at is written at most this often (a page view is not a write).
TOUCH_EVERY = timedelta(minutes=1)
#: How long used and expired codes, and ended sessions, are kept (for the limits).
KEEP_FOR = timedelta(days=1)

CHANNELS = {
    NotificationChannel.EMAIL: Channel.EMAIL,
    NotificationChannel.SMS: Channel.SMS,
}

__all__ = ["CODE_LIFETIME", "MAX_ATTEMPTS", "CheckResult", "TooManyCodes"]


class TooManyCodes(Exception):
    """This email address or mobile number has had enough codes for now."""


def _key(channel: NotificationChannel, value: str) -> str:
    """How a destination is looked up: email addresses in any case."""
    return value.lower() if channel == NotificationChannel.EMAIL else value


def _safe_details(session: Session, channel: NotificationChannel, value: str):
    """The safe contact details on file that match, of people with an open case."""
    open_case = (
        select(Case.id)
        .where(Case.victim_id == ContactPreference.victim_id, Case.status.in_(OPEN_STATUSES))
        .exists()
    )
    return session.scalars(
        select(ContactPreference)
        .where(
            ContactPreference.channel == CHANNELS[channel],
            func.lower(ContactPreference.value) == _key(channel, value),
            ContactPreference.is_safe.is_(True),
            open_case,
        )
        .order_by(ContactPreference.id)
    ).all()


def send_code(
    session: Session,
    channel: NotificationChannel,
    value: str,
    secret_key: str,
    now: datetime | None = None,
) -> SignInCode | None:
    """Send a sign-in code to `value` if someone in the scheme can sign in with it.

    Returns None, having sent nothing, when nobody can. Raises TooManyCodes when
    the address has had its codes for the hour. The caller commits.
    """
    now = now or utcnow()
    details = _safe_details(session, channel, value)
    if not details:
        return None
    key = _key(channel, value)
    recent = session.scalar(
        select(func.count())
        .select_from(SignInCode)
        .where(SignInCode.destination == key, SignInCode.created_at >= now - WINDOW)
    )
    if recent >= MAX_CODES_PER_DESTINATION:
        raise TooManyCodes
    code = new_code()
    record = SignInCode(
        channel=channel,
        destination=key,
        code_hash=hash_code(secret_key, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    session.add(record)
    first = details[0]
    enqueue(
        session,
        recipient=first.value,
        channel=channel,
        kind="sign_in_code",
        language=first.victim.language,
        personalisation={"code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)},
        victim=first.victim,
        now=now,
    )
    return record


def check_code(
    session: Session,
    channel: NotificationChannel,
    value: str,
    typed: str,
    secret_key: str,
    now: datetime | None = None,
) -> CheckResult:
    """Check a typed code against the newest unused code for `value`; the attempt counts."""
    now = now or utcnow()
    latest = session.scalar(
        select(SignInCode)
        .where(SignInCode.destination == _key(channel, value), SignInCode.channel == channel)
        .order_by(SignInCode.created_at.desc(), SignInCode.id.desc())
        .limit(1)
    )
    if latest is not None and latest.used_at is not None:
        return CheckResult.NO_CODE
    result = judge(latest, typed, secret_key, now)
    if result == CheckResult.VERIFIED:
        latest.used_at = now
        if not _safe_details(session, channel, value):
            return CheckResult.WRONG  # marked unsafe or closed since the code was sent
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
    details = _safe_details(session, channel, value)
    record = VictimSession(
        token_hash=_hash(token),
        channel=channel,
        destination=_key(channel, value),
        created_at=now,
        last_seen_at=now,
    )
    session.add(record)
    session.flush()
    for victim_id in sorted({detail.victim_id for detail in details}):
        session.add(
            AuditEvent(
                actor_type=ActorType.VICTIM,
                actor_id=victim_id,
                action="victim signed in",
                request_id=request_id,
                detail={"session": record.id, "channel": channel.value},
                created_at=now,
            )
        )
    return token


def current_session(
    session: Session, token: str | None, now: datetime | None = None
) -> VictimSession | None:
    """The live session for `token`, or None. Ends a session that has run out."""
    if not token:
        return None
    now = now or utcnow()
    record = session.scalar(select(VictimSession).where(VictimSession.token_hash == _hash(token)))
    if record is None or record.ended_at is not None:
        return None
    if (
        now - record.last_seen_at >= IDLE_LIMIT
        or now - record.created_at >= SESSION_LIMIT
        or not _safe_details(session, record.channel, record.destination)
    ):
        record.ended_at = now
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now
    return record


def end_session(
    session: Session, token: str | None, request_id: str | None = None, now: datetime | None = None
) -> bool:
    """Sign out: the token never works again. True if a live session ended."""
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
            detail={"session": record.id},
            created_at=now,
        )
    )
    return True


def victims_of(session: Session, record: VictimSession) -> list[Victim]:
    """The people whose records hold this session's contact detail, marked safe."""
    details = _safe_details(session, record.channel, record.destination)
    return sorted({detail.victim for detail in details}, key=lambda victim: victim.id)


def cases_of(session: Session, record: VictimSession) -> list[Case]:
    """The open cases a signed-in session may see, oldest first."""
    victim_ids = [victim.id for victim in victims_of(session, record)]
    if not victim_ids:
        return []
    return list(
        session.scalars(
            select(Case)
            .where(Case.victim_id.in_(victim_ids), Case.status.in_(OPEN_STATUSES))
            .order_by(Case.created_at, Case.id)
        )
    )


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete codes and sessions no longer needed, even for the limits. Returns how many."""
    now = now or utcnow()
    cutoff = now - KEEP_FOR
    codes = session.execute(delete(SignInCode).where(SignInCode.expires_at < cutoff)).rowcount
    sessions = session.execute(
        delete(VictimSession).where(
            or_(
                VictimSession.ended_at < cutoff,
                VictimSession.created_at < now - SESSION_LIMIT - KEEP_FOR,
            )
        )
    ).rowcount
    return codes + sessions
