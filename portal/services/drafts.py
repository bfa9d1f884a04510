"""Registrations in progress: kept on the server for DRAFT_LIFETIME, then deleted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

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
