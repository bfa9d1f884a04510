"""The one place that decides what a signed-in session may do for whom
(portal.services.sign_in.access_of, and the SQL the case finders share), and the rules of
naming and ending a representative (portal.services.representatives), on SQLite and
PostgreSQL: a victim's own detail reaches everything, a representative's only what they
were given, while it lasts, and never more than the victim could see; every finder agrees;
nothing is half-saved; the worker sends the invitation only while it lasts, in the
representative's language, and nothing about the victim."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.domain.representatives import DELEGABLE, EVERYTHING
from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Language,
    NotificationChannel,
    Permission,
    Relation,
    Representative,
    TimelineEvent,
    Victim,
    VictimSession,
)
from portal.services import contact_choices, representatives, sign_in
from portal.services.staff_changes import StaffActor, VictimActor
from tests.support.delivery import deliver
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    OfficerFactory,
    RepresentativeFactory,
    VictimFactory,
    VictimSessionFactory,
)

pytestmark = pytest.mark.database

HELPER = "helper.service@example.com"
SIGN_IN_URL = "https://portal.example/sign-in"
FINDERS = (None, *Permission)


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db_session


def victim_with_case(email: str, **case) -> Case:
    victim = VictimFactory(language=Language.ENGLISH)
    ContactPreferenceFactory(victim=victim, value=email)
    return CaseFactory(assigned=True, victim=victim, **case)


def session_for(value: str, channel=NotificationChannel.EMAIL) -> VictimSession:
    sign_in.start_session(db.session, channel, value)
    db.session.flush()
    return db.session.scalar(select(VictimSession).order_by(VictimSession.id.desc()).limit(1))


def assert_finders_agree(record: VictimSession) -> None:
    """cases_of, case_ids_of and case_of give the same answer for every permission, and
    agree with access_of (the one place that decides)."""
    reached = sign_in.access_of(db.session, record)
    for permission in FINDERS:
        found = {case.id for case in sign_in.cases_of(db.session, record, permission)}
        assert set(db.session.scalars(sign_in.case_ids_of(record, permission))) == found
        every = sign_in.cases_of(db.session, record)
        expected = {c.id for c in every if reached[c.victim_id].may(permission)}
        assert found == expected, permission
        for case in every:
            by_reference = sign_in.case_of(db.session, record, case.reference, permission)
            assert (by_reference is not None) == (case.id in found)


def test_a_victims_own_detail_reaches_everything(session):
    mine = victim_with_case("own.service@example.com")
    record = session_for("own.service@example.com")
    reached = sign_in.access_of(session, record)
    assert set(reached) == {mine.victim_id}
    assert reached[mine.victim_id].permissions == EVERYTHING
    assert reached[mine.victim_id].representative is None
    assert_finders_agree(record)


@pytest.mark.parametrize(
    "given",
    [(Permission.CASE,), (Permission.MESSAGES,), (Permission.REQUESTS,), DELEGABLE],
)
def test_a_representative_reaches_only_what_they_were_given(session, given):
    theirs = victim_with_case("victim.service@example.com")
    helper = RepresentativeFactory(
        victim=theirs.victim,
        destination=HELPER,
        **{Representative.COLUMNS[p]: p in given for p in DELEGABLE},
    )
    record = session_for(HELPER)
    reached = sign_in.access_of(session, record)
    assert reached[theirs.victim_id].permissions == frozenset(given)
    assert reached[theirs.victim_id].representative == helper
    assert Permission.OWN not in reached[theirs.victim_id].permissions
    assert sign_in.victims_of(session, record) == []  # "Your data" holds nothing of theirs
    assert sign_in.cases_of(session, record, Permission.OWN) == []
    assert_finders_agree(record)


def test_a_session_that_is_both(session):
    mine = victim_with_case(HELPER)
    theirs = victim_with_case("victim.both@example.com")
    RepresentativeFactory(
        victim=theirs.victim,
        destination=HELPER,
        may_see_case=False,
        may_message=True,
        may_request=False,
    )
    record = session_for(HELPER)
    reached = sign_in.access_of(session, record)
    assert reached[mine.victim_id].permissions == EVERYTHING
    assert reached[theirs.victim_id].permissions == {Permission.MESSAGES}
    assert {c.id for c in sign_in.cases_of(session, record, Permission.CASE)} == {mine.id}
    assert {c.id for c in sign_in.cases_of(session, record, Permission.MESSAGES)} == {
        mine.id,
        theirs.id,
    }
    assert sign_in.victim_ids_of(session, record) == [mine.victim_id]
    assert_finders_agree(record)


def test_an_ended_representative_reaches_nothing_and_cannot_sign_in(session):
    theirs = victim_with_case("victim.ended@example.com")
    RepresentativeFactory(victim=theirs.victim, destination=HELPER, ended_at=theirs.created_at)
    assert not sign_in.may_sign_in(session, NotificationChannel.EMAIL, HELPER)
    assert sign_in.language_of_signer(session, NotificationChannel.EMAIL, HELPER) is None
    record = VictimSessionFactory(destination=HELPER)
    assert sign_in.access_of(session, record) == {}
    assert sign_in.cases_of(session, record) == []
    assert sign_in.case_of(session, record, theirs.reference) is None


def test_a_detail_the_victim_marked_not_safe_reaches_nothing_as_their_representative(session):
    """The victim named someone to act for them, then gave that address as one of their own
    and marked it not safe: whoever holds that mailbox gets no code, no invitation and
    reaches nothing of the victim's ("never used afterwards"), as for any unsafe detail."""
    theirs = victim_with_case("victim.unsafe@example.com")
    RepresentativeFactory(victim=theirs.victim, destination=HELPER)
    shared = ContactPreferenceFactory(victim=theirs.victim, value=HELPER)
    session.flush()
    before = session_for(HELPER)
    contact_choices.set_safety(
        session, theirs, VictimActor(theirs.victim_id), shared, False, SIGN_IN_URL
    )
    session.flush()
    session.refresh(before)
    assert before.ended_at is not None
    assert not sign_in.may_sign_in(session, NotificationChannel.EMAIL, HELPER)
    assert sign_in.language_of_signer(session, NotificationChannel.EMAIL, HELPER) is None
    assert sign_in.language_of_representative(session, NotificationChannel.EMAIL, HELPER) is None
    record = VictimSessionFactory(destination=HELPER)
    assert sign_in.access_of(session, record) == {}
    assert_finders_agree(record)
    assert sign_in.case_of(session, record, theirs.reference) is None
    # Safe again, the representative acts for them again (and the victim owns it again).
    contact_choices.set_safety(
        session, theirs, VictimActor(theirs.victim_id), shared, True, SIGN_IN_URL
    )
    session.flush()
    assert sign_in.may_sign_in(session, NotificationChannel.EMAIL, HELPER)


def test_a_representative_never_sees_more_than_the_victim_could(session):
    """A victim whose cases are all closed (not left: the sentence ended) cannot sign in,
    and nor can anyone acting for them."""
    theirs = victim_with_case("victim.closed@example.com", status=CaseStatus.CLOSED)
    RepresentativeFactory(victim=theirs.victim, destination=HELPER)
    assert not sign_in.may_sign_in(session, NotificationChannel.EMAIL, "victim.closed@example.com")
    assert not sign_in.may_sign_in(session, NotificationChannel.EMAIL, HELPER)


def test_a_session_ends_when_nothing_lets_it_sign_in_any_more(session):
    theirs = victim_with_case("victim.live@example.com")
    helper = RepresentativeFactory(victim=theirs.victim, destination=HELPER)
    token = sign_in.start_session(session, NotificationChannel.EMAIL, HELPER)
    assert sign_in.current_session(session, token) is not None
    helper.ended_at = theirs.created_at  # ended by a way the service does not offer
    assert sign_in.current_session(session, token) is None


def test_the_representatives_language_decides_their_codes_and_invitation(session):
    theirs = victim_with_case("victim.lang@example.com")
    RepresentativeFactory(victim=theirs.victim, destination=HELPER, language=Language.WELSH)
    assert sign_in.language_of_signer(session, NotificationChannel.EMAIL, HELPER) == "cy"
    assert sign_in.language_of_representative(session, NotificationChannel.EMAIL, HELPER) == "cy"


# --- naming and ending ------------------------------------------------------------------


def new(**changes) -> representatives.NewRepresentative:
    values = {
        "full_name": "Dilwyn Helper",
        "relation": Relation.FRIEND,
        "channel": NotificationChannel.EMAIL,
        "destination": HELPER,
        "permissions": frozenset({Permission.CASE}),
        "language": Language.WELSH,
        **changes,
    }
    return representatives.NewRepresentative(**values)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"permissions": frozenset()}, "nothing-given"),
        ({"permissions": frozenset({Permission.OWN})}, "nothing-given"),
        ({"destination": "victim.rules@example.com"}, "own-detail"),
    ],
)
def test_naming_is_refused_and_nothing_is_written(session, changes, reason):
    case = victim_with_case("victim.rules@example.com")
    actor = VictimActor(case.victim_id)
    before = (count(Representative), count(AuditEvent), count(TimelineEvent))
    with pytest.raises(representatives.Refused) as refused:
        representatives.add(session, case, actor, new(**changes), SIGN_IN_URL, proved=True)
    assert refused.value.reason == reason
    assert (count(Representative), count(AuditEvent), count(TimelineEvent)) == before


def test_the_same_detail_twice_and_more_than_three_are_refused(session):
    case = victim_with_case("victim.many@example.com")
    actor = VictimActor(case.victim_id)
    representatives.add(session, case, actor, new(), SIGN_IN_URL, proved=True)
    with pytest.raises(representatives.Refused) as refused:
        representatives.add(session, case, actor, new(), SIGN_IN_URL, proved=True)
    assert refused.value.reason == "already"
    for n in range(2):
        representatives.add(
            session, case, actor, new(destination=f"more{n}@example.com"), SIGN_IN_URL, proved=True
        )
    with pytest.raises(representatives.Refused) as refused:
        representatives.add(
            session, case, actor, new(destination="fourth@example.com"), SIGN_IN_URL, proved=True
        )
    assert refused.value.reason == "too-many"


def test_a_victim_who_left_the_scheme_names_nobody_and_nothing_is_sent(session):
    """Nothing is sent for a victim who left, an invitation to act for them neither: they
    ask to come back first."""
    from portal.models import OutboxNotification, utcnow

    case = victim_with_case("victim.left@example.com", status=CaseStatus.CLOSED, left_at=utcnow())
    before = (count(Representative), count(OutboxNotification))
    with pytest.raises(representatives.Refused) as refused:
        representatives.add(
            session, case, VictimActor(case.victim_id), new(), SIGN_IN_URL, proved=True
        )
    assert refused.value.reason == "left"
    assert (count(Representative), count(OutboxNotification)) == before


def test_a_detail_not_proved_is_never_named(session):
    case = victim_with_case("victim.proof@example.com")
    with pytest.raises(ValueError, match="proved"):
        representatives.add(
            session, case, VictimActor(case.victim_id), new(), SIGN_IN_URL, proved=False
        )
    assert representatives.of_victim(session, case.victim_id) == []


def test_naming_notes_every_open_case_of_the_victim(session):
    case = victim_with_case("victim.two@example.com")
    other = CaseFactory(assigned=True, victim=case.victim)
    representatives.add(session, case, VictimActor(case.victim_id), new(), SIGN_IN_URL, proved=True)
    for case_id in (case.id, other.id):
        notes = session.scalars(
            select(TimelineEvent.summary).where(TimelineEvent.case_id == case_id)
        ).all()
        assert any("act for them" in note for note in notes)


def test_the_worker_sends_the_invitation_in_their_language_and_only_while_it_lasts(app, session):
    case = victim_with_case("victim.invite@example.com")
    added = representatives.add(
        session, case, VictimActor(case.victim_id), new(), SIGN_IN_URL, proved=True
    )
    db.session.commit()
    sent = deliver(app, session)
    [invitation] = [o for o in sent if o.recipient == HELPER]
    assert invitation.rendered.subject == "Mae rhywun wedi gofyn i chi eu helpu"
    assert SIGN_IN_URL in invitation.rendered.body
    assert case.victim.full_name not in invitation.rendered.body
    assert case.reference not in invitation.rendered.body
    [told] = [o for o in sent if o.recipient == "victim.invite@example.com"]
    assert told.rendered.subject == "Someone can now act for you"
    assert "Dilwyn" not in told.rendered.body

    # Named and ended before the worker got to it: nothing goes.
    second = representatives.add(
        session,
        case,
        VictimActor(case.victim_id),
        new(destination="late.helper@example.com"),
        SIGN_IN_URL,
        proved=True,
    )
    representatives.end(session, case, second.representative, VictimActor(case.victim_id))
    db.session.commit()
    assert [o for o in deliver(app, session) if o.recipient == "late.helper@example.com"] == []
    assert added.invitation.victim_id is None


def test_ending_ends_every_session_with_that_detail_once(session):
    case = victim_with_case("victim.end@example.com")
    helper = RepresentativeFactory(victim=case.victim, destination=HELPER)
    for _ in range(2):
        sign_in.start_session(session, NotificationChannel.EMAIL, HELPER)
    officer = OfficerFactory(region=case.region)
    done = representatives.end(session, case, helper, StaffActor(officer.id))
    assert (done.changed, done.sessions_ended) == (True, 2)
    assert (helper.ended_by, helper.ended_by_officer_id) == (ActorType.STAFF, officer.id)
    assert representatives.end(session, case, helper, VictimActor(case.victim_id)) == (
        representatives.Ended(changed=False)
    )
    someone_else = victim_with_case("someone.else@example.com")
    theirs = RepresentativeFactory(victim=someone_else.victim)
    with pytest.raises(ValueError, match="own victim"):
        representatives.end(session, case, theirs, VictimActor(case.victim_id))


def test_everyone_acting_for_a_victim_is_listed_live_first(session):
    case = victim_with_case("victim.list@example.com")
    victim = session.get(Victim, case.victim_id)
    first = RepresentativeFactory(victim=victim, full_name="First")
    gone = RepresentativeFactory(victim=victim, full_name="Gone", ended_at=case.created_at)
    second = RepresentativeFactory(victim=victim, full_name="Second")
    assert representatives.of_victim(session, victim.id) == [first, second, gone]
    assert representatives.live_of(session, victim.id) == [first, second]
    assert representatives.one_of(session, victim.id, gone.id) == gone
    assert representatives.one_of(session, victim.id + 1000, gone.id) is None
