"""Each case's count of messages waiting for a reply (`Case.messages_waiting`), kept by
triggers on messages (migration 0026), on SQLite and PostgreSQL: after every way a
message is written, answered, moved or deleted, it is what counting the messages
themselves says, and the navigation's counts (messages.waiting_counts) follow it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, insert, select, update

from portal.extensions import db
from portal.models import (
    ActorType,
    Case,
    Language,
    Message,
    OfficerRole,
    Region,
    Sender,
    utcnow,
)
from portal.services import messages
from tests.support.factories import CaseFactory, MessageFactory, OfficerFactory, RegionFactory

pytestmark = pytest.mark.database


def counted(session, case_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each case's (kept count, count of its waiting messages)."""
    session.expire_all()
    kept = dict(
        session.execute(select(Case.id, Case.messages_waiting).where(Case.id.in_(case_ids))).all()
    )
    waiting = dict(
        session.execute(
            select(Message.case_id, func.count())
            .where(Message.case_id.in_(case_ids), *messages.WAITING)
            .group_by(Message.case_id)
        ).all()
    )
    return {case_id: (kept[case_id], waiting.get(case_id, 0)) for case_id in case_ids}


def assert_kept(session, case_ids: list[int], expected: list[int]) -> None:
    found = counted(session, case_ids)
    assert [found[case_id] for case_id in case_ids] == [(n, n) for n in expected]


def test_the_count_follows_every_write(app, db_session):
    with app.app_context():
        session = db.session
        region = RegionFactory()
        officer = OfficerFactory(region=region)
        mine = CaseFactory(assigned=True, officer=officer, region=region)
        other = CaseFactory(assigned=True, officer=officer, region=region)
        session.flush()
        ids = [mine.id, other.id]
        assert_kept(session, ids, [0, 0])

        # Written by the ORM (a factory), in bulk (the demo data, the benchmark), and by
        # the officer (never waiting).
        MessageFactory(case=mine)
        MessageFactory(case=mine, sender=Sender.OFFICER, officer_id=officer.id)
        session.flush()
        session.execute(
            insert(Message),
            [
                {
                    "case_id": case_id,
                    "sender": Sender.VICTIM,
                    "body": f"Bulk {n}.",
                    "language": Language.ENGLISH,
                    "submission_key": str(uuid.uuid4()),
                    "created_at": utcnow() - timedelta(minutes=n),
                }
                for n, case_id in enumerate([mine.id, mine.id, other.id])
            ],
        )
        MessageFactory(case=other, answered_at=utcnow())  # already answered
        session.flush()
        assert_kept(session, ids, [3, 1])

        # Answered by the reply service (all the officer was shown).
        messages.reply(
            session,
            mine,
            officer,
            "An answer.",
            Language.ENGLISH,
            str(uuid.uuid4()),
            "https://example.com/sign-in",
            messages.Actor(ActorType.STAFF, officer.id),
        )
        session.flush()
        assert_kept(session, ids, [0, 1])

        # A new one, then "no reply needed".
        MessageFactory(case=mine)
        session.flush()
        assert_kept(session, ids, [1, 1])
        messages.mark_no_reply_needed(
            session, mine, officer, messages.Actor(ActorType.STAFF, officer.id)
        )
        session.flush()
        assert_kept(session, ids, [0, 1])

        # Moved to another case (a second registration joined to the first), waiting still.
        MessageFactory(case=mine)
        session.flush()
        messages.move_to(session, mine, other)
        session.flush()
        assert_kept(session, ids, [0, 2])

        # Every victim's message there waiting again (a correction: seven, with the ones
        # moved and those answered), then deleted (retention).
        session.execute(update(Message).where(Message.case_id == other.id).values(answered_at=None))
        assert_kept(session, ids, [0, 7])
        session.execute(delete(Message).where(Message.case_id == other.id))
        assert_kept(session, ids, [0, 0])


def test_the_navigations_counts_read_the_kept_count(app, db_session):
    """The officer's and the region's cases with something waiting, and an admin's every
    region, from the kept counts: a case with two waiting counts once."""
    with app.app_context():
        session = db.session
        region, elsewhere = RegionFactory(), RegionFactory()
        officer = OfficerFactory(region=region)
        colleague = OfficerFactory(region=region)
        cases = [
            CaseFactory(assigned=True, officer=officer, region=region),
            CaseFactory(assigned=True, officer=officer, region=region),
            CaseFactory(assigned=True, officer=colleague, region=region),
            CaseFactory(assigned=True, officer=OfficerFactory(region=elsewhere), region=elsewhere),
        ]
        for case, waiting in zip(cases, (2, 0, 1, 1), strict=True):
            for _ in range(waiting):
                MessageFactory(case=case)
        MessageFactory(case=cases[1], answered_at=utcnow())
        session.flush()
        assert messages.waiting_counts(session, officer) == (1, 2)
        admin = OfficerFactory(region=region, role=OfficerRole.ADMIN)
        session.flush()
        nationally = session.scalar(select(func.count()).where(Case.messages_waiting > 0))
        assert messages.waiting_counts(session, admin, every_region_for_admin=True) == (
            0,
            nationally,
        )
        assert session.get(Region, elsewhere.id) is not None
