"""Signing staff in: one interface, whatever proves who an officer is.

An `Authenticator` turns a proof (an email address and password, a second
factor, or later an OpenID Connect provider's verified claims) into a
`Verdict`. When the verdict is SIGNED_IN, the view calls `start_session`, and
everything after that (the server-side `StaffSession`, its idle and absolute
limits, `current_session`, `end_session`, the officer's role) is the same
whichever way they signed in. To add single sign-on, write another
Authenticator (e.g. with Authlib: find the officer by the verified email claim,
refuse a deactivated one) and a view pair for its redirect and callback in
portal/staff/sign_in_views.py; nothing else changes (README, "Signing in as staff").

`PasswordAndTotp` is the first: an email address and password (Argon2id),
then a code from an authenticator app (TOTP, RFC 6238) or a one-use recovery
code. A wrong password for a known email and any password for an unknown one
get the same answer after the same work (the same SQL statements, one Argon2
verification), and both count towards locking that email address out.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import pyotp
import segno
from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from portal import encryption
from portal.domain.passwords import verify_nobody, verify_password
from portal.models import (
    ActorType,
    AuditEvent,
    StaffLink,
    StaffRecoveryCode,
    StaffSession,
    StaffSignInFailure,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.services import server_sessions
from portal.services.locks import serialise
from portal.services.security_codes import fingerprint
from portal.services.server_sessions import still_live

#: Wrong passwords or second factors for one email address before it locks...
MAX_FAILURES = 5
#: ...counted over this long; it unlocks when the oldest of them is this old.
FAILURE_WINDOW = timedelta(minutes=15)
#: Between the right password and the second factor.
PENDING_LIFETIME = timedelta(minutes=10)
#: A session ends after this long without a request (the portal's STAFF_IDLE_MINUTES setting
#: may change it); the pages warn 2 minutes before (templates/components/timeout_warning.html).
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=10)
TOUCH_EVERY = server_sessions.TOUCH_EVERY
KEEP_FOR = timedelta(days=1)
RECOVERY_CODES = 10
#: Recovery codes avoid letters and digits that look alike.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ISSUER = "Victim Contact Scheme"
TOTP_STEP = 30


class Outcome(enum.StrEnum):
    SIGNED_IN = "signed-in"  # start a session
    SECOND_FACTOR = "second-factor"  # the password was right: ask for the app's code
    SET_UP_SECOND_FACTOR = "set-up-second-factor"  # right, and no app yet: set one up
    REFUSED = "refused"  # the same answer for every wrong, unknown or deactivated
    LOCKED = "locked"  # too many failures: try again later


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    officer_id: int | None = None


@dataclass(frozen=True)
class Attempt:
    """Who is asking, from where, and the keys to hash with."""

    secret_key: str
    network: str
    request_id: str | None = None
    now: datetime | None = None


class Authenticator(Protocol):
    """One way of proving who an officer is."""

    #: Kept on the session: how this officer proved who they are.
    method: str

    def verify(self, session: Session, proof: Mapping[str, str], attempt: Attempt) -> Verdict:
        """Check `proof`; the caller commits (the failure counts, right or wrong)."""
        ...


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_key(secret_key: str, email: str) -> str:
    return fingerprint(secret_key, f"staff:{normalise_email(email)}")


def _failures(session: Session, key: str, now: datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(StaffSignInFailure)
        .where(
            StaffSignInFailure.email_key == key,
            StaffSignInFailure.created_at > now - FAILURE_WINDOW,
        )
    )


def _fail(session: Session, key: str, attempt: Attempt, now: datetime, reason: str, officer_id):
    session.add(
        StaffSignInFailure(
            email_key=key,
            network_key=fingerprint(attempt.secret_key, attempt.network),
            created_at=now,
        )
    )
    session.add(
        AuditEvent(
            actor_type=ActorType.SYSTEM,
            actor_id=officer_id,
            action="staff sign-in refused",
            request_id=attempt.request_id,
            detail={"reason": reason, "email": key},
            created_at=now,
        )
    )


def _locked(session: Session, key: str, attempt: Attempt, now: datetime, officer_id) -> bool:
    """Whether this email address has had too many failures; serialises its attempts."""
    serialise(session, f"staff-sign-in:{key}")
    if _failures(session, key, now) < MAX_FAILURES:
        return False
    session.add(
        AuditEvent(
            actor_type=ActorType.SYSTEM,
            actor_id=officer_id,
            action="staff sign-in locked",
            request_id=attempt.request_id,
            detail={"email": key},
            created_at=now,
        )
    )
    return True


def _secret(officer: VictimLiaisonOfficer) -> str | None:
    sealed = officer.totp_secret_sealed
    return encryption.decrypt(sealed) if sealed else None


def _step(now: datetime) -> int:
    return int(now.timestamp()) // TOTP_STEP


def _totp_matches(
    session: Session, officer: VictimLiaisonOfficer, code: str, now, secret: str | None = None
) -> bool:
    """A code for this step or the one either side, never one already accepted; from the
    officer's app, or (setting one up) from the `secret` offered."""
    secret = secret or _secret(officer)
    code = "".join(code.split())
    if not secret or not (len(code) == 6 and code.isascii() and code.isdigit()):
        return False
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * TOTP_STEP), code):
            accepted = session.execute(
                update(VictimLiaisonOfficer)
                .where(
                    VictimLiaisonOfficer.id == officer.id,
                    or_(
                        VictimLiaisonOfficer.totp_last_step.is_(None),
                        VictimLiaisonOfficer.totp_last_step < step,
                    ),
                )
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False)
            ).rowcount
            session.refresh(officer)
            return accepted == 1
    return False


def recovery_hash(secret_key: str, code: str) -> str:
    cleaned = "".join(ch for ch in code.lower() if ch.isalnum())
    return fingerprint(secret_key, f"recovery:{cleaned}")


def _use_recovery_code(session: Session, officer_id: int, code: str, secret_key: str, now) -> bool:
    used = session.execute(
        update(StaffRecoveryCode)
        .where(
            StaffRecoveryCode.officer_id == officer_id,
            StaffRecoveryCode.code_hash == recovery_hash(secret_key, code),
            StaffRecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return used >= 1


class PasswordAndTotp:
    """An email address and password, then the authenticator app or a recovery code.

    `verify` takes {"email", "password"} first; then, for the officer it named,
    {"officer_id", "code"} (the app) or {"officer_id", "recovery_code"}.
    """

    method = "password+totp"

    def verify(self, session: Session, proof: Mapping[str, str], attempt: Attempt) -> Verdict:
        now = attempt.now or utcnow()
        if "password" in proof:
            return self._password(session, proof.get("email", ""), proof["password"], attempt, now)
        officer = session.get(VictimLiaisonOfficer, int(proof.get("officer_id") or 0))
        if officer is None or not officer.is_active or officer.totp_confirmed_at is None:
            return Verdict(Outcome.REFUSED)
        key = email_key(attempt.secret_key, officer.email)
        if _locked(session, key, attempt, now, officer.id):
            return Verdict(Outcome.LOCKED)
        if "recovery_code" in proof:
            right = _use_recovery_code(
                session, officer.id, proof["recovery_code"], attempt.secret_key, now
            )
            reason = "recovery code"
        else:
            right = _totp_matches(session, officer, proof.get("code", ""), now)
            reason = "authenticator code"
        if not right:
            _fail(session, key, attempt, now, reason, officer.id)
            return Verdict(Outcome.REFUSED)
        return Verdict(Outcome.SIGNED_IN, officer.id)

    def _password(self, session, email: str, password: str, attempt: Attempt, now) -> Verdict:
        """The same statements, and one Argon2 verification, whoever `email` belongs to."""
        key = email_key(attempt.secret_key, email)
        if _locked(session, key, attempt, now, None):
            verify_nobody(password)
            return Verdict(Outcome.LOCKED)
        officer = session.scalar(
            select(VictimLiaisonOfficer).where(VictimLiaisonOfficer.email == normalise_email(email))
        )
        if officer is None:
            right = verify_nobody(password)
        else:
            right = verify_password(officer.password_hash, password)
        if not (right and officer is not None and officer.is_active):
            _fail(session, key, attempt, now, "password", officer.id if officer else None)
            return Verdict(Outcome.REFUSED)
        if officer.totp_confirmed_at is None:
            return Verdict(Outcome.SET_UP_SECOND_FACTOR, officer.id)
        return Verdict(Outcome.SECOND_FACTOR, officer.id)


#: The way staff sign in today. A single sign-on provider would sit beside it.
PASSWORD_AND_TOTP = PasswordAndTotp()


# --- setting up the authenticator app ------------------------------------------------------


def offer_totp() -> str:
    """A new secret to set an app up with. It is held by the one browser setting the app
    up (its session) and stored for the officer only when a code from it proves the app
    works: two browsers that reach the set-up page never share a secret, and the page
    writes nothing."""
    return pyotp.random_base32()


def provisioning_uri(officer: VictimLiaisonOfficer, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=officer.email, issuer_name=ISSUER)


def qr_code_svg(uri: str, title: str) -> str:
    """The QR code as inline SVG (no script, no style attribute: CSP-safe), with a title."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, title=title, svgclass="app-qr-code", lineclass=None, omitsize=False
    )
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def new_recovery_codes() -> list[str]:
    return [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]


def confirm_totp(
    session: Session, officer: VictimLiaisonOfficer, code: str, attempt: Attempt, secret: str
) -> list[str] | None:
    """Prove the app set up with `secret` (offer_totp) works with a code from it: the secret
    becomes the officer's, and the new recovery codes are returned (shown once, only their
    hashes kept); None for a wrong code (which counts towards the lock), or when another
    browser set an app up first."""
    now = attempt.now or utcnow()
    key = email_key(attempt.secret_key, officer.email)
    if officer.totp_confirmed_at is not None or _locked(session, key, attempt, now, officer.id):
        return None
    if not _totp_matches(session, officer, code, now, secret=secret):
        _fail(session, key, attempt, now, "authenticator set-up code", officer.id)
        return None
    claimed = session.execute(
        update(VictimLiaisonOfficer)
        .where(
            VictimLiaisonOfficer.id == officer.id,
            VictimLiaisonOfficer.totp_confirmed_at.is_(None),
        )
        .values(totp_secret_sealed=encryption.encrypt(secret), totp_confirmed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(officer)
    if claimed != 1:
        return None
    return replace_recovery_codes(session, officer, attempt.secret_key, now)


def replace_recovery_codes(
    session: Session, officer: VictimLiaisonOfficer, secret_key: str, now: datetime | None = None
) -> list[str]:
    now = now or utcnow()
    session.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.officer_id == officer.id))
    codes = new_recovery_codes()
    for code in codes:
        session.add(
            StaffRecoveryCode(
                officer_id=officer.id, code_hash=recovery_hash(secret_key, code), created_at=now
            )
        )
    return codes


def recovery_codes_left(session: Session, officer_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(StaffRecoveryCode)
        .where(StaffRecoveryCode.officer_id == officer_id, StaffRecoveryCode.used_at.is_(None))
    )


# --- sessions ------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session,
    officer_id: int,
    method: str,
    *,
    secret_key: str,
    request_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """Sign the officer in; returns the cookie's token. Their past failures are forgiven."""
    now = now or utcnow()
    officer = session.get(VictimLiaisonOfficer, officer_id)
    token = secrets.token_urlsafe(32)
    record = StaffSession(
        token_hash=_hash(token),
        officer_id=officer_id,
        method=method,
        created_at=now,
        last_seen_at=now,
    )
    session.add(record)
    officer.last_signed_in_at = now
    session.flush()
    forgive_failures(session, secret_key, officer.email)
    session.add(
        AuditEvent(
            actor_type=ActorType.STAFF,
            actor_id=officer_id,
            action="staff signed in",
            request_id=request_id,
            detail={"session": record.id, "method": method},
            created_at=now,
        )
    )
    return token


def forgive_failures(session: Session, secret_key: str, email: str) -> None:
    """Forget the failures counted against `email`: its owner has proved who they are (signed
    in, or chosen a new password through a link emailed to them)."""
    session.execute(
        delete(StaffSignInFailure).where(
            StaffSignInFailure.email_key == email_key(secret_key, email)
        )
    )


#: Every staff request's first statement, built once (building it and its cache key cost
#: more than running it): the session with that token, and its officer.
_SESSION_BY_TOKEN = (
    select(StaffSession)
    .where(StaffSession.token_hash == bindparam("token_hash"))
    .options(joinedload(StaffSession.officer))
)


def current_session(
    session: Session,
    token: str | None,
    now: datetime | None = None,
    idle: timedelta = IDLE_LIMIT,
) -> StaffSession | None:
    """The live session for `token`, or None. Ends one that has run out (after `idle` without
    a request, or SESSION_LIMIT in all), or whose officer has been deactivated. A token that
    is not a string (only a cookie signed with our key could hold one) is no session."""
    if not token or not isinstance(token, str):
        return None
    now = now or utcnow()
    record = session.scalar(_SESSION_BY_TOKEN, {"token_hash": _hash(token)})
    if record is None or record.ended_at is not None:
        return None
    allowed = record.officer.is_active
    if not still_live(record, now, idle=idle, lifetime=SESSION_LIMIT, still_allowed=allowed):
        return None
    return record


def seconds_left(record: StaffSession, now: datetime | None = None, idle=IDLE_LIMIT) -> int:
    """How long `record` has before it runs out for want of a request (or in all)."""
    now = now or utcnow()
    ends = min(record.last_seen_at + idle, record.created_at + SESSION_LIMIT)
    return max(0, int((ends - now).total_seconds()))


def extend(record: StaffSession, now: datetime | None = None) -> None:
    """The officer is still there ("Stay signed in"): the idle limit counts from now."""
    record.last_seen_at = now or utcnow()


def end_session(
    session: Session,
    token: str | None,
    request_id: str | None = None,
    now: datetime | None = None,
    reason: str | None = None,
    idle: timedelta = IDLE_LIMIT,
) -> bool:
    """Sign out: the token never works again. True if a live session ended. `reason` is
    "timeout" when the timeout warning ran out with nobody there."""
    now = now or utcnow()
    record = current_session(session, token, now, idle=idle)
    if record is None:
        return False
    record.ended_at = now
    session.add(
        AuditEvent(
            actor_type=ActorType.STAFF,
            actor_id=record.officer_id,
            action="staff signed out",
            request_id=request_id,
            detail={"session": record.id, **({"reason": reason} if reason else {})},
            created_at=now,
        )
    )
    return True


def end_every_session(session: Session, officer_id: int, now: datetime | None = None) -> int:
    """End all of the officer's live sessions at once (deactivated, or a reset): their next
    request, on any device, goes to the sign-in page. Returns how many ended."""
    return session.execute(
        update(StaffSession)
        .where(StaffSession.officer_id == officer_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete ended sessions, failures no longer counted and emailed links a day after they
    ran out. Returns how many."""
    now = now or utcnow()
    sessions = session.execute(
        delete(StaffSession).where(
            or_(
                StaffSession.ended_at < now - KEEP_FOR,
                StaffSession.created_at < now - SESSION_LIMIT - KEEP_FOR,
            )
        )
    ).rowcount
    failures = session.execute(
        delete(StaffSignInFailure).where(StaffSignInFailure.created_at < now - FAILURE_WINDOW)
    ).rowcount
    links = session.execute(delete(StaffLink).where(StaffLink.expires_at < now - KEEP_FOR)).rowcount
    return sessions + failures + links
