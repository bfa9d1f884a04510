"""Registrations in progress: kept on the server for DRAFT_LIFETIME, then deleted."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.domain.security_codes import hash_code
from portal.models import Language, RegistrationDraft, utcnow

#: How long an unfinished registration is kept; the pages say so.
DRAFT_LIFETIME = timedelta(days=30)


def start_draft(
    session: Session, language: str, answers: dict | None = None, now: datetime | None = None
) -> RegistrationDraft:
    now = now or utcnow()
    draft = RegistrationDraft(
        language=Language(language), answers=dict(answers or {}), expires_at=now + DRAFT_LIFETIME
    )
    session.add(draft)
    return draft


def live_draft(session: Session, draft_id: str | None, now: datetime | None = None):
    """The draft with this id, unless it has expired or was submitted."""
    if not draft_id:
        return None
    draft = session.get(RegistrationDraft, draft_id)
    if draft is None or draft.submitted_case_id is not None:
        return None
    if draft.expires_at <= (now or utcnow()):
        return None
    return draft


def save_answers(draft: RegistrationDraft, answers: dict, now: datetime | None = None) -> None:
    """Save as you go: every saved answer keeps the draft for another DRAFT_LIFETIME."""
    draft.answers = {**draft.answers, **answers}
    draft.expires_at = (now or utcnow()) + DRAFT_LIFETIME


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete drafts (and their codes) past their expiry that were never submitted."""
    result = session.execute(
        delete(RegistrationDraft)
        .where(
            RegistrationDraft.expires_at <= (now or utcnow()),
            RegistrationDraft.submitted_case_id.is_(None),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


#: Random bytes in a "carry on" link's token (192 bits; 32 characters in the link, so that
#: the link fits in one SMS with a long public address).
RESUME_TOKEN_BYTES = 24


def new_resume_token() -> str:
    return secrets.token_urlsafe(RESUME_TOKEN_BYTES)


def issue_resume_token(draft: RegistrationDraft, secret_key: str) -> str:
    """A new one-use secret for the "carry on" link; only its keyed hash is kept."""
    token = new_resume_token()
    draft.resume_token_hash = hash_code(secret_key, token)
    return token


def draft_for_resume_token(
    session: Session, token: str, secret_key: str, now: datetime | None = None, use: bool = True
) -> RegistrationDraft | None:
    """The live draft this link was sent for, with the link used up; None if it is not valid.

    With use=False the link is only checked (for the page that asks to carry on: email
    scanners open links, and must not use them up).
    """
    if not token or len(token) > 100:
        return None
    draft = session.scalar(
        select(RegistrationDraft).where(
            RegistrationDraft.resume_token_hash == hash_code(secret_key, token)
        )
    )
    if draft is None or live_draft(session, draft.id, now) is None:
        return None
    if use:
        draft.resume_token_hash = None
    return draft


def draft_for_verified_contact(
    session: Session, value: str, now: datetime | None = None
) -> RegistrationDraft | None:
    """The newest live, unsubmitted draft whose contact detail was proved to be `value`.

    Email addresses are compared without case: people do not type them the same way twice.
    """
    return session.scalar(
        select(RegistrationDraft)
        .where(
            func.lower(RegistrationDraft.verified_value) == value.lower(),
            RegistrationDraft.submitted_case_id.is_(None),
            RegistrationDraft.expires_at > (now or utcnow()),
        )
        .order_by(RegistrationDraft.updated_at.desc())
        .limit(1)
    )
