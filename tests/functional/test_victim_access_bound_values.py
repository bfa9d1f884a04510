"""The statements that decide which cases a signed-in session reaches are built once for
each channel and permission, and run with the session's detail and the time as bound
values (portal.services.sign_in._values). Each request must bring its own: these tests use
the same built statements for several sessions in turn, and move the clock, and check that
nothing one session or one moment bound stays for the next (a value bound on a shared
statement, or a time fixed when the statement was built, would pass every test that uses
one session at one moment)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    NotificationChannel,
    Permission,
    Sender,
    VictimSession,
    utcnow,
)
from portal.services import messages, sign_in, victim_messages
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    RepresentativeFactory,
    VictimFactory,
)

pytestmark = pytest.mark.database

FINDERS = (None, *Permission)


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def victim_case(officer, value: str, channel=Channel.EMAIL, **fields) -> Case:
    victim = VictimFactory()
    ContactPreferenceFactory(victim=victim, channel=channel, value=value)
    case = CaseFactory(
        victim=victim,
        officer=officer,
        region=officer.region,
        **{"status": CaseStatus.ACTIVE, **fields},
    )
    MessageFactory(case=case, sender=Sender.OFFICER, officer_id=officer.id, read_at=None)
    return case


def by_email(value: str) -> VictimSession:
    """A session signed in with the email address `value` (only its detail matters here)."""
    return VictimSession(channel=NotificationChannel.EMAIL, destination=value)


def reached(session, record: VictimSession, references: list[str]) -> dict:
    """What each finder gives the session: its cases for each permission, the cases it
    finds by reference, and the cases the navigation counts unread replies on."""
    return {
        "cases_of": {
            permission: {case.id for case in sign_in.cases_of(session, record, permission)}
            for permission in FINDERS
        },
        "case_ids_of": {
            permission: set(session.scalars(sign_in.case_ids_of(record, permission)))
            for permission in FINDERS
        },
        "case_of": {
            permission: {
                found.id
                for reference in references
                if (found := sign_in.case_of(session, record, reference, permission))
            }
            for permission in FINDERS
        },
        "unread": set(victim_messages.unread_replies(session, record)),
        "unread_all": set(messages.unread(session, sign_in.case_ids_of(record))),
    }


def everywhere(ids: set[int], messages_ids: set[int] | None = None, own: bool = True) -> dict:
    """What a session that reaches `ids` should get from every finder."""
    messages_ids = ids if messages_ids is None else messages_ids
    each = {None: ids, Permission.CASE: ids, Permission.MESSAGES: messages_ids}
    each |= {Permission.REQUESTS: ids, Permission.OWN: ids if own else set()}
    return {
        "cases_of": each,
        "case_ids_of": each,
        "case_of": each,
        "unread": messages_ids,
        "unread_all": ids,
    }


def test_sessions_in_turn_each_reach_only_their_own_cases(session):
    officer = OfficerFactory()
    ann = victim_case(officer, "ann.bound@example.com")
    bob = victim_case(officer, "bob.bound@example.com")
    sms = victim_case(officer, "+447700900123", channel=Channel.SMS)
    # Someone acting for Ann, who may read her case but not her messages or requests.
    RepresentativeFactory(
        victim=ann.victim,
        destination="helper.bound@example.com",
        may_see_case=True,
        may_message=False,
        may_request=False,
    )
    session.flush()
    references = [ann.reference, bob.reference, sms.reference]
    sessions = {
        "ann": by_email("ann.bound@example.com"),
        "bob": by_email("bob.bound@example.com"),
        "sms": VictimSession(channel=NotificationChannel.SMS, destination="+447700900123"),
        "helper": by_email("helper.bound@example.com"),
        "nobody": by_email("nobody.bound@example.com"),
    }
    helper = everywhere({ann.id}, messages_ids=set(), own=False)
    helper["cases_of"] = helper["case_ids_of"] = helper["case_of"] = {
        None: {ann.id},
        Permission.CASE: {ann.id},
        Permission.MESSAGES: set(),
        Permission.REQUESTS: set(),
        Permission.OWN: set(),
    }
    expected = {
        "ann": everywhere({ann.id}),
        "bob": everywhere({bob.id}),
        "sms": everywhere({sms.id}),
        "helper": helper,
        "nobody": everywhere(set()),
    }
    # Twice round, in two orders: each session after each other one.
    for name in [*sessions, *reversed(sessions)]:
        assert reached(session, sessions[name], references) == expected[name], name


def test_a_declined_case_is_read_for_90_days_from_the_decision_by_the_clock_of_each_request(
    session, monkeypatch
):
    """The 90 days are counted from now in each request, not from when the statements
    were built: the statements are built (and used) first, then the clock moves on."""
    officer = OfficerFactory()
    declined = victim_case(
        officer,
        "declined.bound@example.com",
        status=CaseStatus.DECLINED,
        triaged_at=utcnow() - timedelta(days=85),
    )
    session.flush()
    record = by_email("declined.bound@example.com")
    references = [declined.reference]
    assert reached(session, record, references) == everywhere({declined.id})
    assert sign_in.may_sign_in(session, NotificationChannel.EMAIL, record.destination)

    later = utcnow() + timedelta(days=10)  # 95 days after the decision
    monkeypatch.setattr(sign_in, "utcnow", lambda: later)
    assert reached(session, record, references) == everywhere(set())
    assert not sign_in.may_sign_in(session, NotificationChannel.EMAIL, record.destination)
