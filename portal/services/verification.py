"""Proving a contact detail while registering, and signing in to carry a registration on.

Both use the one code mechanism (portal.services.security_codes): codes kept
only as a keyed hash, CODE_LIFETIME, MAX_ATTEMPTS guesses, once, and the same
limits (per network address and destination together, per destination a
day, per registration). The caller limits requests per network address
(flask-limiter) and commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.models import (
    CodePurpose,
    Language,
    NotificationChannel,
    RegistrationDraft,
    SecurityCode,
    utcnow,
)
from portal.notifications.gates import gate
from portal.services import drafts, security_codes
from portal.services.security_codes import (
    CODE_LIFETIME,
    MAX_ATTEMPTS,
    CheckResult,
    TooManyCodes,
)

__all__ = ["CODE_LIFETIME", "MAX_ATTEMPTS", "CheckResult", "TooManyCodes"]

#: The network a code is counted against when the caller names none (scripts, tests).
NO_NETWORK = "unknown"


def send_code(
    session: Session,
    draft: RegistrationDraft,
    channel: NotificationChannel,
    destination: str,
    secret_key: str,
    now: datetime | None = None,
    *,
    network: str = NO_NETWORK,
) -> SecurityCode:
    """Make a code for `destination`, queue it in the draft's language, and return it."""
    return security_codes.send(
        session,
        purpose=CodePurpose.REGISTRATION,
        channel=channel,
        destination=destination,
        secret_key=secret_key,
        network=network,
        draft=draft,
        # The language they chose for letters and messages, once they have said.
        language=draft.answers.get("language") or draft.language,
        now=now,
    )


def latest_code(session: Session, draft: RegistrationDraft) -> SecurityCode | None:
    """The draft's newest code (the only one that works)."""
    return security_codes.newest(session, CodePurpose.REGISTRATION, "", draft=draft)


def check_code(
    session: Session,
    draft: RegistrationDraft,
    typed: str,
    secret_key: str,
    now: datetime | None = None,
) -> str:
    """Check a typed code against the draft's newest code, counting the attempt."""
    now = now or utcnow()
    latest = latest_code(session, draft)
    result = security_codes.check(session, latest, typed, secret_key, now)
    if result == CheckResult.VERIFIED:
        draft.verified_channel = latest.channel
        draft.verified_value = latest.destination
    return result


# --- signing in to carry on a registration ----------------------------------------------------


@gate("resume")
def language_of_draft(
    session: Session, channel: NotificationChannel, value: str
) -> Language | None:
    """Whether a registration can be carried on with `value` (asked before sending a code)."""
    draft = drafts.draft_for_verified_contact(session, value)
    if draft is None or draft.verified_channel != channel:
        return None
    return Language(draft.answers.get("language") or draft.language)


def request_resume_code(
    session: Session, channel: NotificationChannel, value: str, secret_key: str, **who
) -> None:
    """Ask for a code to carry on a registration proved with `value`
    (security_codes.request_gated; the worker's "resume" gate decides whether to send)."""
    security_codes.request_gated(session, CodePurpose.RESUME, channel, value, secret_key, **who)


def check_resume_code(
    session: Session,
    channel: NotificationChannel,
    value: str,
    typed: str,
    secret_key: str,
    *,
    requester: str,
    now: datetime | None = None,
) -> RegistrationDraft | None:
    """The registration to carry on if `typed` is this browser's newest resume code, else None."""
    now = now or utcnow()
    result = security_codes.check_newest(
        session, CodePurpose.RESUME, channel, value, typed, secret_key, requester=requester, now=now
    )
    if result != CheckResult.VERIFIED:
        return None
    draft = drafts.draft_for_verified_contact(session, value, now)
    if draft is None or draft.verified_channel != channel:
        return None
    return draft
