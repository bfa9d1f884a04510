"""One mechanism for every one-use secret that proves a contact detail.

A 6-digit code (signing in, proving a detail while registering, signing in to
carry on a registration) or an emailed "carry on" link: each is a
`SecurityCode` row with its purpose, kept only as a keyed hash, that expires,
allows MAX_ATTEMPTS guesses and works once.

The rules an outside test asked for, and where they hold:

- **A code belongs to the browser that asked for it.** `requester` is a hash
  of a random value in that browser's cookie; a code is checked only against
  the newest code *that browser* asked for, so a stranger asking for codes
  for someone else's address neither replaces nor uses up theirs.
- **Limits are counted atomically.** Asking takes a lock on the destination
  (PostgreSQL: a transaction-scoped advisory lock; SQLite: a writing request
  holds the database's one write lock, see portal.database) before counting,
  so parallel requests cannot all see room for one more. A guess is counted
  by one conditional UPDATE (`attempts = attempts + 1 WHERE attempts < 5`),
  and a right code is used by another (`used_at = now WHERE used_at IS NULL`),
  so only one of many parallel guesses can ever win.
- **Limits never tell who is in the scheme.** What is counted is what was
  asked for, whoever the address belongs to; a refused request writes the
  same audit row either way.

Limits (README, "Security"): PER_NETWORK_AND_DESTINATION codes or links an
hour for one network address and one destination together; PER_DESTINATION_A_DAY
for one destination from anywhere; PER_DRAFT an hour for one registration.
Whoever asked too often is told the same words whether or not the address
is known (the callers see to that).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from portal.domain.contact_details import counted_form
from portal.domain.security_codes import (
    CODE_LIFETIME,
    LINK_LIFETIME,
    MAX_ATTEMPTS,
    code_matches,
    hash_code,
    is_code_shaped,
    new_code,
    new_link_secret,
    typed_code,
)
from portal.models import (
    ActorType,
    AuditEvent,
    CodePurpose,
    Language,
    NotificationChannel,
    RegistrationDraft,
    SecurityCode,
    utcnow,
)
from portal.notifications.outbox import enqueue
from portal.services.locks import serialise

PER_NETWORK_AND_DESTINATION = 5
PER_DESTINATION_A_DAY = 20
PER_DRAFT = 3
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
#: Used and expired codes are kept this long after expiry, for the daily limit.
KEEP_FOR = DAY


class TooManyCodes(Exception):
    """No more codes for now; `reason` says whose limit was reached (never shown)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CheckResult:
    VERIFIED = "verified"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY_ATTEMPTS = "too-many-attempts"
    NO_CODE = "no-code"


def fingerprint(secret_key: str, value: str) -> str:
    """A keyed hash of a browser binding, a network or an address: comparable, not readable."""
    return hmac.new(secret_key.encode(), f"vcs:{value}".encode(), hashlib.sha256).hexdigest()


def _count(session: Session, *conditions) -> int:
    return session.scalar(select(func.count()).select_from(SecurityCode).where(*conditions))


def _refuse(session: Session, reason: str, purpose: CodePurpose, destination_hash: str, now):
    """Refused requests are audited (officers can see someone trying an address)."""
    session.add(
        AuditEvent(
            actor_type=ActorType.SYSTEM,
            action="security code refused",
            detail={"reason": reason, "purpose": purpose.value, "destination": destination_hash},
            created_at=now,
        )
    )
    raise TooManyCodes(reason)


def issue(
    session: Session,
    *,
    purpose: CodePurpose,
    channel: NotificationChannel,
    destination: str,
    secret_key: str,
    network: str,
    requester: str | None = None,
    draft: RegistrationDraft | None = None,
    now: datetime | None = None,
) -> tuple[SecurityCode, str]:
    """Make a code (or a link's secret) for `destination`; returns the row and the secret.

    `destination` is already normalised (portal.domain.contact_details);
    `network` and `requester` are the caller's raw values, stored only as
    keyed hashes. Raises TooManyCodes, having written an audit row, when a
    limit is reached. The caller sends the secret and commits.
    """
    now = now or utcnow()
    destination_hash = fingerprint(secret_key, counted_form(destination))
    network_hash = fingerprint(secret_key, network)
    serialise(session, f"code:{destination_hash}", *([f"draft:{draft.id}"] if draft else []))
    limits = [
        # (whose limit, how many, counted over which codes)
        (
            "network",
            PER_NETWORK_AND_DESTINATION,
            (
                SecurityCode.destination_key == destination_hash,
                SecurityCode.network == network_hash,
                SecurityCode.created_at >= now - HOUR,
            ),
        ),
        (
            "destination",
            PER_DESTINATION_A_DAY,
            (
                SecurityCode.destination_key == destination_hash,
                SecurityCode.created_at >= now - DAY,
            ),
        ),
    ]
    if draft is not None:
        drafts_codes = (
            SecurityCode.draft_id == draft.id,
            SecurityCode.purpose.in_([CodePurpose.REGISTRATION, CodePurpose.LINK]),
            SecurityCode.created_at >= now - HOUR,
        )
        limits.insert(0, ("draft", PER_DRAFT, drafts_codes))
    for reason, most, conditions in limits:
        if _count(session, *conditions) >= most:
            _refuse(session, reason, purpose, destination_hash, now)
    secret = new_link_secret() if purpose == CodePurpose.LINK else new_code()
    record = SecurityCode(
        purpose=purpose,
        channel=channel,
        destination_key=destination_hash,
        destination=destination if purpose == CodePurpose.REGISTRATION else None,
        requester=fingerprint(secret_key, requester) if requester else None,
        network=network_hash,
        draft=draft,
        code_hash=hash_code(secret_key, secret),
        created_at=now,
        expires_at=now + (LINK_LIFETIME if purpose == CodePurpose.LINK else CODE_LIFETIME),
    )
    session.add(record)
    session.flush()
    return record, secret


def send(
    session: Session,
    *,
    purpose: CodePurpose,
    channel: NotificationChannel,
    destination: str,
    secret_key: str,
    network: str,
    language: Language | str,
    requester: str | None = None,
    draft: RegistrationDraft | None = None,
    gate: str | None = None,
    kind: str = "sign_in_code",
    now: datetime | None = None,
) -> SecurityCode:
    """Issue a 6-digit code and queue it to `destination` in `language`, in the words of
    notification `kind` (a code and its minutes: "sign_in_code", "representative_code").

    With `gate`, the worker decides at sending time whether anyone may have it
    (and in which language): see portal.notifications.gates.
    """
    now = now or utcnow()
    record, code = issue(
        session,
        purpose=purpose,
        channel=channel,
        destination=destination,
        secret_key=secret_key,
        network=network,
        requester=requester,
        draft=draft,
        now=now,
    )
    enqueue(
        session,
        recipient=destination,
        channel=channel,
        kind=kind,
        language=language,
        personalisation={"code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)},
        gate=gate,
        now=now,
    )
    return record


#: Codes anyone may ask for by typing an address (to sign in, or to carry a registration on),
#: and the gate the worker asks before sending one (portal.notifications.gates).
GATES = {CodePurpose.SIGN_IN: "sign-in", CodePurpose.RESUME: "resume"}


def request_gated(
    session: Session,
    purpose: CodePurpose,
    channel: NotificationChannel,
    value: str,
    secret_key: str,
    *,
    requester: str,
    network: str,
    language: Language | str,
    now: datetime | None = None,
) -> None:
    """Ask for a code to `value`, for the browser `requester`: the same work whoever
    `value` belongs to. The code is recorded and queued with the purpose's gate, and
    the worker sends it only if someone may have it, so neither the page nor its
    timing tells a stranger who is in the scheme. Raises TooManyCodes (having written
    an audit row) at a limit. The caller commits either way."""
    send(
        session,
        purpose=purpose,
        channel=channel,
        destination=value,
        secret_key=secret_key,
        network=network,
        requester=requester,
        language=language,
        gate=GATES[purpose],
        now=now,
    )


def check_newest(
    session: Session,
    purpose: CodePurpose,
    channel: NotificationChannel,
    destination: str,
    typed: str,
    secret_key: str,
    *,
    requester: str,
    now: datetime | None = None,
) -> str:
    """Check `typed` against the newest code of `purpose` this browser asked for."""
    code = newest(session, purpose, secret_key, destination=destination, requester=requester)
    if code is not None and code.channel != channel:
        code = None
    return check(session, code, typed, secret_key, now)


def newest(
    session: Session,
    purpose: CodePurpose,
    secret_key: str,
    *,
    destination: str | None = None,
    requester: str | None = None,
    draft: RegistrationDraft | None = None,
) -> SecurityCode | None:
    """The newest code of `purpose` for this draft, or this browser and destination."""
    query = select(SecurityCode).where(SecurityCode.purpose == purpose)
    if draft is not None:
        query = query.where(SecurityCode.draft_id == draft.id)
    else:
        query = query.where(
            SecurityCode.destination_key == fingerprint(secret_key, counted_form(destination)),
            SecurityCode.requester == fingerprint(secret_key, requester or ""),
        )
    return session.scalar(
        query.order_by(SecurityCode.created_at.desc(), SecurityCode.id.desc()).limit(1)
    )


def check(
    session: Session,
    code: SecurityCode | None,
    typed: str,
    secret_key: str,
    now: datetime | None = None,
) -> str:
    """Whether `typed` is `code` (the newest one), counting the guess atomically.

    Returns a CheckResult value. A right code is used up by the same call.
    The last wrong guess writes an audit row. The caller commits.
    """
    now = now or utcnow()
    if code is None or code.used_at is not None:
        return CheckResult.NO_CODE
    if code.expires_at <= now:
        return CheckResult.EXPIRED
    counted = session.execute(
        update(SecurityCode)
        .where(
            SecurityCode.id == code.id,
            SecurityCode.attempts < MAX_ATTEMPTS,
            SecurityCode.used_at.is_(None),
        )
        .values(attempts=SecurityCode.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if counted != 1:
        return CheckResult.TOO_MANY_ATTEMPTS
    session.refresh(code)
    cleaned = typed_code(typed)
    if not is_code_shaped(cleaned) or not code_matches(secret_key, cleaned, code.code_hash):
        if code.attempts >= MAX_ATTEMPTS:
            session.add(
                AuditEvent(
                    actor_type=ActorType.SYSTEM,
                    action="security code guesses used up",
                    detail={"purpose": code.purpose.value, "destination": code.destination_key},
                    created_at=now,
                )
            )
        return CheckResult.WRONG
    return CheckResult.VERIFIED if _use(session, code, now) else CheckResult.NO_CODE


def _use(session: Session, code: SecurityCode, now: datetime) -> bool:
    """Use the code up; False when a parallel request used it first."""
    used = session.execute(
        update(SecurityCode)
        .where(SecurityCode.id == code.id, SecurityCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(code)
    return used == 1


def find_link(
    session: Session, secret: str, secret_key: str, now: datetime | None = None
) -> SecurityCode | None:
    """The live, unused link with this secret, or None (nothing is used up)."""
    if not secret or len(secret) > 100:
        return None
    link = session.scalar(
        select(SecurityCode).where(
            SecurityCode.purpose == CodePurpose.LINK,
            SecurityCode.code_hash == hash_code(secret_key, secret),
        )
    )
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()):
        return None
    return link


def use_link(session: Session, link: SecurityCode, now: datetime | None = None) -> bool:
    """Use a link found by find_link; False when a parallel request used it first."""
    return _use(session, link, now or utcnow())


def withdraw(session: Session, draft: RegistrationDraft, purpose: CodePurpose, now=None) -> None:
    """Make every unused code of `purpose` for this draft stop working."""
    session.execute(
        update(SecurityCode)
        .where(
            SecurityCode.draft_id == draft.id,
            SecurityCode.purpose == purpose,
            SecurityCode.used_at.is_(None),
        )
        .values(expires_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete codes no longer needed, even for the daily limit. Returns how many."""
    now = now or utcnow()
    return session.execute(
        delete(SecurityCode)
        .where(SecurityCode.expires_at < now - KEEP_FOR)
        .execution_options(synchronize_session=False)
    ).rowcount
