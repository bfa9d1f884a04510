"""What the console asks of portal.services.messages, called directly: a reply says which
notification told the victim, the queues come a page at a time, an admin's counts can
cover every region, a conversation says how long its oldest waiting message has waited,
and an officer's daily summary choice is saved and audited once per change."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    CaseStatus,
    Channel,
    Language,
    OfficerRole,
    Sender,
)
from portal.services import messages
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    RegionFactory,
    VictimFactory,
)
from tests.support.messages import at_noon, today, working_days_ago

pytestmark = pytest.mark.database


def actor(officer) -> messages.Actor:
    return messages.Actor(type=ActorType.STAFF, id=officer.id)


def waiting_on(case, days: int):
    return MessageFactory(
        case=case, sender=Sender.VICTIM, created_at=at_noon(working_days_ago(days))
    )


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


@pytest.fixture
def region(session):
    return RegionFactory()


def test_a_reply_says_which_notification_told_the_victim(session, region):
    officer = OfficerFactory(region=region)
    victim = VictimFactory(language=Language.WELSH)
    ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value="v@example.com")
    case = CaseFactory(region=region, officer=officer, victim=victim, status=CaseStatus.ACTIVE)
    waiting_on(case, 2)
    session.flush()
    key = str(uuid.uuid4())
    sent = messages.reply(
        session, case, officer, "Diolch.", Language.WELSH, key, "https://x/sign-in", actor(officer)
    )
    assert sent.created and sent.told is not None
    assert sent.told.template_key == "new_message" and sent.told.language == Language.WELSH
    again = messages.reply(
        session, case, officer, "Diolch.", Language.WELSH, key, "https://x/sign-in", actor(officer)
    )
    assert not again.created and again.told is None and again.message.id == sent.message.id


def test_a_reply_to_a_victim_with_no_safe_channel_tells_nobody(session, region):
    officer = OfficerFactory(region=region)
    victim = VictimFactory()
    ContactPreferenceFactory(
        victim=victim, channel=Channel.EMAIL, value="x@example.com", is_safe=False
    )
    case = CaseFactory(region=region, officer=officer, victim=victim, status=CaseStatus.ACTIVE)
    session.flush()
    sent = messages.reply(
        session, case, officer, "Hello.", Language.ENGLISH, str(uuid.uuid4()), "u", actor(officer)
    )
    assert sent.created and sent.told is None


def test_the_queues_come_a_page_at_a_time_longest_wait_first(session, region):
    officer = OfficerFactory(region=region)
    cases = [CaseFactory(region=region, officer=officer) for _ in range(5)]
    for days, case in enumerate(cases):
        waiting_on(case, days)
    session.flush()
    first = messages.waiting_for_reply(session, officer, today(), limit=2)
    second = messages.waiting_for_reply(session, officer, today(), limit=2, offset=2)
    last = messages.waiting_for_reply(session, officer, today(), limit=2, offset=4)
    order = [row.case_id for page in (first, second, last) for row in page.rows]
    assert order == [case.id for case in reversed(cases)]
    assert first.total == second.total == last.total == 5
    assert [row.wait.waited for row in first.rows] == [4, 3]


def test_an_admins_counts_cover_every_region_when_asked(session, region):
    admin = OfficerFactory(region=region, role=OfficerRole.ADMIN)
    elsewhere = RegionFactory()
    waiting_on(CaseFactory(region=region, officer=admin), 1)
    waiting_on(CaseFactory(region=elsewhere), 1)
    session.flush()
    mine, region_count = messages.waiting_counts(session, admin)
    assert mine == 1 and region_count == 1
    mine, every = messages.waiting_counts(session, admin, every_region_for_admin=True)
    assert mine == 1 and every >= 2  # the demo's cases wait too
    vlo = OfficerFactory(region=region)
    session.flush()
    assert messages.waiting_counts(session, vlo, every_region_for_admin=True) == (0, 1)


def test_a_conversation_says_how_long_its_oldest_waiting_message_has_waited(session, region):
    case = CaseFactory(region=region)
    answered = waiting_on(case, 9)
    answered.answered_at = answered.created_at
    waiting_on(case, 4)
    waiting_on(case, 1)
    MessageFactory(case=case, sender=Sender.OFFICER, created_at=at_noon(working_days_ago(8)))
    session.flush()
    found = messages.oldest_waiting(messages.conversation(session, case.id), today())
    assert found.waited == 4 and not found.overdue and found.target == 5
    assert messages.oldest_waiting([], today()) is None


def test_the_daily_summary_choice_is_saved_and_audited_once_per_change(session, region):
    officer = OfficerFactory(region=region)
    session.flush()
    assert officer.daily_summary is False
    assert messages.set_daily_summary(session, officer, True, actor(officer)) is True
    assert messages.set_daily_summary(session, officer, True, actor(officer)) is False
    assert messages.set_daily_summary(session, officer, False, actor(officer)) is True
    session.flush()
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.actor_id == officer.id, AuditEvent.action.like("staff.daily_summary_%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["staff.daily_summary_on", "staff.daily_summary_off"]
    assert officer.daily_summary is False
