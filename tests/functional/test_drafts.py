"""Drafts are kept on the server, extended as answers are saved, and deleted on expiry."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import NotificationChannel, RegistrationDraft, SecurityCode
from portal.services.drafts import (
    DRAFT_LIFETIME,
    hold,
    live_draft,
    purge_expired,
    save_answers,
    start_draft,
)
from portal.services.verification import send_code

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def test_a_draft_keeps_answers_and_is_found_until_it_expires(session):
    draft = start_draft(session, "cy", {"who": "victim"}, now=NOW)
    holder = hold(draft)
    session.flush()
    assert live_draft(session, draft.id, holder, NOW + timedelta(days=29)) is draft
    assert live_draft(session, draft.id, holder, NOW + DRAFT_LIFETIME) is None
    assert live_draft(session, "no-such-draft", holder, NOW) is None
    assert live_draft(session, None, holder, NOW) is None


def test_a_draft_is_held_by_one_browser_at_a_time(session):
    draft = start_draft(session, "en", {}, now=NOW)
    first = hold(draft)
    session.flush()
    assert live_draft(session, draft.id, first, NOW) is draft
    assert live_draft(session, draft.id, None, NOW) is None
    assert live_draft(session, draft.id, "someone-elses", NOW) is None
    second = hold(draft)  # carried on elsewhere, by link or code
    assert live_draft(session, draft.id, second, NOW) is draft
    assert live_draft(session, draft.id, first, NOW) is None


def test_saving_an_answer_extends_the_draft(session):
    draft = start_draft(session, "en", now=NOW)
    later = NOW + timedelta(days=20)
    save_answers(draft, {"victim_name": "Carys"}, now=later)
    assert draft.answers == {"victim_name": "Carys"}
    assert draft.expires_at == later + DRAFT_LIFETIME


def test_expired_drafts_and_their_codes_are_deleted(session):
    old = start_draft(session, "en", now=NOW - DRAFT_LIFETIME - timedelta(days=1))
    kept = start_draft(session, "en", now=NOW)
    session.flush()
    send_code(
        session, old, NotificationChannel.EMAIL, "old@example.com", "s" * 48, NOW - DRAFT_LIFETIME
    )
    session.flush()
    old_id, kept_id = old.id, kept.id
    assert purge_expired(session, NOW) == 1
    session.expire_all()
    assert session.get(RegistrationDraft, kept_id) is not None
    assert session.get(RegistrationDraft, old_id) is None
    remaining = session.scalar(
        select(func.count()).select_from(SecurityCode).where(SecurityCode.draft_id == old_id)
    )
    assert remaining == 0
