"""Submitting a registration: routed by court, no duplicates, one case per draft."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Case, CaseStatus, NotificationChannel, OutboxNotification
from portal.services.drafts import start_draft
from portal.services.registration import NotReadyToSubmit, same_person_name, submit

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def answers(**changes):
    base = {
        "registering_as": "self",
        "victim_name": "Siân Ŵyn",
        "contacts": {
            "email": {"value": "sian@example.com", "safe": True},
            "letter": {"value": "1 Stryd y Castell\nCaerdydd\nCF10 1AA", "safe": False},
        },
        "language": "cy",
        "offender_name": "Demo Offender",
        "offence_type": "violent",
        "court": "cardiff",
        "updates_wanted": "every_stage",
    }
    return {**base, **changes}


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def verified_draft(session, **changes):
    draft = start_draft(session, "cy", answers(**changes), now=NOW)
    draft.verified_channel = NotificationChannel.EMAIL
    draft.verified_value = draft.answers["contacts"]["email"]["value"]
    session.flush()
    return draft


def cases(session) -> int:
    return session.scalar(select(func.count()).select_from(Case))


def test_a_registration_lands_in_the_courts_regions_triage_queue(session):
    draft = verified_draft(session)
    submission = submit(session, draft, NOW)
    case = submission.case
    assert case.possible_duplicate_of is None
    assert case.region.code == "wales"
    assert case.status == CaseStatus.TRIAGE
    assert case.reference.startswith("VCS-")
    assert case.victim.language == "cy"
    email = next(p for p in case.victim.contact_preferences if p.channel == "email")
    letter = next(p for p in case.victim.contact_preferences if p.channel == "letter")
    assert email.verified_at is not None and letter.verified_at is None
    assert letter.is_safe is False
    assert case.timeline[0].summary == "Gwnaethoch ofyn am gael ymuno â’r cynllun ar-lein."
    notification = session.scalars(
        select(OutboxNotification).filter_by(
            template_key="registration_received", victim_id=case.victim.id
        )
    ).one()
    assert notification.language == "cy"
    assert notification.recipient == "sian@example.com"
    assert notification.personalisation == {"reference": case.reference}


def test_an_unknown_court_goes_to_the_national_queue(session):
    case = submit(session, verified_draft(session, court="not-listed"), NOW).case
    assert case.region is None


def test_submitting_twice_makes_one_case(session):
    draft = verified_draft(session)
    before = cases(session)
    first = submit(session, draft, NOW)
    second = submit(session, draft, NOW + timedelta(seconds=1))
    assert first.case.id == second.case.id
    assert cases(session) == before + 1


def test_same_contact_and_offender_is_a_new_case_flagged_for_an_officer(session):
    first = submit(session, verified_draft(session), NOW).case
    timeline = [event.summary for event in first.timeline]
    before = cases(session)
    again = verified_draft(session, offender_name="  demo   OFFENDER ")
    case = submit(session, again, NOW + timedelta(days=3)).case
    assert case.id != first.id and case.reference != first.reference
    assert cases(session) == before + 1
    assert case.possible_duplicate_of == first
    # Nothing is added to the other case by someone else's registration.
    session.refresh(first)
    assert [event.summary for event in first.timeline] == timeline
    flagged = session.scalars(select(AuditEvent).filter_by(action="possible duplicate flagged"))
    assert [(event.case_id, event.detail) for event in flagged] == [
        (case.id, {"possible_duplicate_of": first.id})
    ]
    # The registrant is told only about their own request.
    received = session.scalars(
        select(OutboxNotification)
        .filter_by(template_key="registration_received")
        .where(OutboxNotification.victim_id.in_([first.victim.id, case.victim.id]))
    ).all()
    assert sorted((n.victim_id, n.personalisation["reference"]) for n in received) == [
        (first.victim.id, first.reference),
        (case.victim.id, case.reference),
    ]


def test_a_detail_marked_unsafe_or_a_closed_case_is_never_matched(session):
    first = submit(session, verified_draft(session), NOW).case
    email = next(p for p in first.victim.contact_preferences if p.channel == "email")
    email.is_safe = False
    session.flush()
    second = submit(session, verified_draft(session), NOW).case
    assert second.possible_duplicate_of is None
    email.is_safe = True
    first.status = second.status = CaseStatus.CLOSED
    session.flush()
    assert submit(session, verified_draft(session), NOW).case.possible_duplicate_of is None


def test_a_different_offender_is_a_new_case(session):
    submit(session, verified_draft(session), NOW)
    before = cases(session)
    submission = submit(session, verified_draft(session, offender_name="Someone Else"), NOW)
    assert submission.case.possible_duplicate_of is None
    assert cases(session) == before + 1


def test_an_unverified_or_incomplete_draft_is_not_submitted(session):
    draft = start_draft(session, "en", answers(), now=NOW)
    session.flush()
    with pytest.raises(NotReadyToSubmit) as caught:
        submit(session, draft, NOW)
    assert caught.value.missing == ["verified_contact"]
    partial = verified_draft(session, offender_name="", court=None)
    with pytest.raises(NotReadyToSubmit) as caught:
        submit(session, partial, NOW)
    assert caught.value.missing == ["offender_name", "court"]


def test_names_compare_without_case_accents_or_spaces():
    assert same_person_name("  Siân  ŴYN ") == same_person_name("sian wyn")
    assert same_person_name("Ellis") != same_person_name("Ellison")


@pytest.mark.parametrize(
    ("sent", "day"),
    [
        # 23:30 UTC in summer is 00:30 in London: the next day there.
        (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), date(2026, 7, 2)),
        # In winter London keeps UTC's day.
        (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), date(2026, 11, 23)),
    ],
)
def test_the_clock_and_the_first_entry_start_on_londons_day(session, sent, day):
    """The 20-working-day clock and the "you asked to join" entry are dated where the
    units work, not on the server's day (UTC's)."""
    case = submit(session, verified_draft(session), sent).case
    assert case.clock_started_on == day
    assert case.timeline[0].occurred_on == day
