"""Proving a contact detail with a 6-digit code, sent through the outbox.

Codes are kept only as a keyed hash, expire after CODE_LIFETIME, allow
MAX_ATTEMPTS guesses, and can be resent a limited number of times: per
registration (MAX_CODES_PER_DRAFT an hour) and per email address or phone
number across registrations (MAX_CODES_PER_DESTINATION an hour), so the
service cannot be used to flood someone. The caller limits requests per IP
address (flask-limiter) and commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain.security_codes import code_matches, hash_code, new_code
from portal.models import (
    NotificationChannel,
    RegistrationDraft,
    VerificationCode,
    utcnow,
)
from portal.notifications.outbox import enqueue

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_DRAFT = 3
MAX_CODES_PER_DESTINATION = 5
WINDOW = timedelta(hours=1)


class TooManyCodes(Exception):
    """No more codes for now; `reason` says whose limit was reached."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CheckResult(StrEnum):
    VERIFIED = "verified"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY_ATTEMPTS = "too-many-attempts"
    NO_CODE = "no-code"


def send_code(
    session: Session,
    draft: RegistrationDraft,
    channel: NotificationChannel,
    destination: str,
    secret_key: str,
    now: datetime | None = None,
) -> VerificationCode:
    """Make a code for `destination`, queue it in the draft's language, and return it."""
    now = now or utcnow()
    since = now - WINDOW
    for_draft = session.scalar(
        select(func.count())
        .select_from(VerificationCode)
        .where(VerificationCode.draft_id == draft.id, VerificationCode.created_at >= since)
    )
    if for_draft >= MAX_CODES_PER_DRAFT:
        raise TooManyCodes("draft")
    for_destination = session.scalar(
        select(func.count())
        .select_from(VerificationCode)
        .where(VerificationCode.destination == destination, VerificationCode.created_at >= since)
    )
    if for_destination >= MAX_CODES_PER_DESTINATION:
        raise TooManyCodes("destination")
    code = new_code()
    record = VerificationCode(
        draft=draft,
        channel=channel,
        destination=destination,
        code_hash=hash_code(secret_key, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    session.add(record)
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    enqueue(
        session,
        recipient=destination,
        channel=channel,
        kind="sign_in_code",
        # The language they chose for letters and messages, once they have said.
        language=draft.answers.get("language") or draft.language,
        personalisation={"code": code, "minutes": minutes},
        now=now,
    )
    return record


def check_code(
    session: Session,
    draft: RegistrationDraft,
    typed: str,
    secret_key: str,
    now: datetime | None = None,
) -> CheckResult:
    """Check a typed code against the draft's newest code, counting the attempt."""
    now = now or utcnow()
    latest = session.scalar(
        select(VerificationCode)
        .where(VerificationCode.draft_id == draft.id)
        .order_by(VerificationCode.created_at.desc(), VerificationCode.id.desc())
        .limit(1)
    )
    result = judge(latest, typed, secret_key, now)
    if result == CheckResult.VERIFIED:
        latest.verified_at = now
        draft.verified_channel = latest.channel
        draft.verified_value = latest.destination
    return result


def judge(code, typed: str, secret_key: str, now: datetime) -> CheckResult:
    """Whether `typed` matches the newest `code` (a VerificationCode or SignInCode).

    Every guess at a live code counts towards MAX_ATTEMPTS; the caller commits.
    """
    if code is None:
        return CheckResult.NO_CODE
    if code.expires_at <= now:
        return CheckResult.EXPIRED
    if code.attempts >= MAX_ATTEMPTS:
        return CheckResult.TOO_MANY_ATTEMPTS
    code.attempts += 1
    cleaned = "".join(typed.split()).replace("-", "")
    if not (cleaned.isdigit() and len(cleaned) == 6) or not code_matches(
        secret_key, cleaned, code.code_hash
    ):
        return CheckResult.WRONG
    return CheckResult.VERIFIED
