"""Registrations in progress: kept on the server for DRAFT_LIFETIME, then deleted."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.domain.journey import Journey
from portal.domain.registration_flow import change
from portal.domain.security_codes import LINK_LIFETIME
from portal.models import CodePurpose, Language, NotificationChannel, RegistrationDraft, utcnow
from portal.notifications.outbox import enqueue
from portal.services import security_codes

#: How long an unfinished registration is kept; the pages say so.
DRAFT_LIFETIME = timedelta(days=30)
#: How long an emailed "carry on" link works; the page and the email say so.
LINK_HOURS = int(LINK_LIFETIME.total_seconds() // 3600)


def start_draft(
    session: Session, language: str, answers: dict | None = None, now: datetime | None = None
) -> RegistrationDraft:
    now = now or utcnow()
    draft = RegistrationDraft(
        language=Language(language), answers=dict(answers or {}), expires_at=now + DRAFT_LIFETIME
    )
    session.add(draft)
    return draft


def _unexpired(session: Session, draft_id: str | None, now: datetime | None = None):
    """The draft with this id, unless it has expired or was submitted."""
    if not draft_id:
        return None
    draft = session.get(RegistrationDraft, draft_id)
    if draft is None or draft.submitted_case_id is not None:
        return None
    if draft.expires_at <= (now or utcnow()):
        return None
    return draft


def _holder_hash(holder: str) -> str:
    return hashlib.sha256(holder.encode()).hexdigest()


def holds(draft: RegistrationDraft, holder: str | None) -> bool:
    """Whether the browser with `holder` holds the draft (only one browser does)."""
    return bool(holder) and hmac.compare_digest(draft.holder_hash or "", _holder_hash(holder))


def hold(draft: RegistrationDraft) -> str:
    """Give the draft to the asking browser alone: returns its new holder token.

    Every other browser that held the draft loses it, so that carrying a
    registration on (by link or code) shuts out whoever else had it open,
    someone who started it in another person's name, say. The caller commits.
    """
    holder = secrets.token_urlsafe(24)
    draft.holder_hash = _holder_hash(holder)
    return holder


def hand_over_by_link(session: Session, draft: RegistrationDraft) -> str:
    """Hand the draft to the browser that opened its emailed link: returns the holder token.

    A contact detail proved before the hand-over no longer counts, and codes
    sent before it stop working: whoever carries on proves a detail again in
    their own browser. Otherwise someone who started a registration in another
    person's name, with his own number proved on it, could sign back in to it
    with that number, or be sent her reference. The caller commits.
    """
    draft.verified_channel = None
    draft.verified_value = None
    security_codes.withdraw(session, draft, CodePurpose.REGISTRATION)
    return hold(draft)


def live_draft(
    session: Session, draft_id: str | None, holder: str | None, now: datetime | None = None
):
    """The draft with this id, if this browser holds it and it has not expired or been sent."""
    draft = _unexpired(session, draft_id, now)
    if draft is None or not holds(draft, holder):
        return None
    return draft


def save_answers(draft: RegistrationDraft, answers: dict, now: datetime | None = None) -> None:
    """Save as you go: every saved answer keeps the draft for another DRAFT_LIFETIME."""
    draft.answers = {**draft.answers, **answers}
    draft.expires_at = (now or utcnow()) + DRAFT_LIFETIME


def save_page(
    session: Session,
    draft: RegistrationDraft,
    new: dict,
    journey: Journey,
    now: datetime | None = None,
) -> None:
    """Save one page's answers: only answers to questions that still apply are kept,
    links emailed to an address no longer given or safe stop working, and a proved
    contact detail that was changed or marked not safe must be proved again."""
    changed = change(journey, draft.answers, new, draft.verified_value)
    save_answers(draft, {}, now)
    draft.answers = changed.answers
    if changed.withdraw_links:
        forget_links(session, draft, now)
    if changed.forget_proof:
        draft.verified_channel = draft.verified_value = None


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


def link_address(draft: RegistrationDraft) -> str | None:
    """Where a carry-on link may go: the email address given, only while it is marked safe."""
    email = (draft.answers.get("contacts") or {}).get("email")
    if isinstance(email, dict) and email.get("safe") is True:
        return email["value"]
    return None


def send_resume_link(
    session: Session,
    draft: RegistrationDraft,
    secret_key: str,
    *,
    network: str,
    link_for: Callable[[str], str],
    keep_until: str,
    now: datetime | None = None,
) -> bool:
    """Email a one-use "carry on" link to the draft's `link_address`, counted like a
    security code. Sends nothing (and returns False) when there is no such address.

    The link works for LINK_LIFETIME from now (later saves do not extend it),
    and only while the draft lives. Raises TooManyCodes (audited) at a limit.
    `link_for(secret)` makes the link; `keep_until` is the draft's expiry date
    written in the person's language.
    """
    email = link_address(draft)
    if email is None:
        return False
    now = now or utcnow()
    _link, secret = security_codes.issue(
        session,
        purpose=CodePurpose.LINK,
        channel=NotificationChannel.EMAIL,
        destination=email,
        secret_key=secret_key,
        network=network,
        draft=draft,
        now=now,
    )
    save_answers(draft, {}, now)
    enqueue(
        session,
        recipient=email,
        channel=NotificationChannel.EMAIL,
        kind="registration_resume",
        language=draft.answers.get("language") or draft.language,
        personalisation={
            "link": link_for(secret),
            "date": keep_until,
            "hours": LINK_HOURS,
        },
        now=now,
    )
    return True


def draft_for_link(
    session: Session, secret: str, secret_key: str, now: datetime | None = None, use: bool = True
) -> RegistrationDraft | None:
    """The live draft this link was sent for, with the link used up; None if it is not valid.

    With use=False the link is only checked (for the page that asks to carry on: email
    scanners open links, and must not use them up).
    """
    link = security_codes.find_link(session, secret, secret_key, now)
    if link is None or _unexpired(session, link.draft_id, now) is None:
        return None
    if use and not security_codes.use_link(session, link, now):
        return None
    return link.draft


def forget_links(session: Session, draft: RegistrationDraft, now: datetime | None = None) -> None:
    """Links already sent stop working (the address changed or is no longer safe)."""
    security_codes.withdraw(session, draft, CodePurpose.LINK, now)


def draft_for_verified_contact(
    session: Session, value: str, now: datetime | None = None
) -> RegistrationDraft | None:
    """The newest live, unsubmitted draft whose contact detail was proved to be `value`.

    `value` is normalised (email addresses in lower case), as proved values are.
    """
    return session.scalar(
        select(RegistrationDraft)
        .where(
            RegistrationDraft.verified_value == value,
            RegistrationDraft.submitted_case_id.is_(None),
            RegistrationDraft.expires_at > (now or utcnow()),
        )
        .order_by(RegistrationDraft.updated_at.desc())
        .limit(1)
    )
