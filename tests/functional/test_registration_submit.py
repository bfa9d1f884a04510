"""Submitting a registration: routed by court, no duplicates, one case per draft."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Case, CaseStatus, NotificationChannel, OutboxNotification
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
    assert not submission.already_registered
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
        select(OutboxNotification).filter_by(template_key="registration_received")
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


def test_same_contact_and_offender_is_linked_not_duplicated(session):
    first = submit(session, verified_draft(session), NOW).case
    before = cases(session)
    again = verified_draft(session, offender_name="  demo   OFFENDER ")
    submission = submit(session, again, NOW + timedelta(days=3))
    assert submission.already_registered
    assert submission.case.id == first.id
    assert cases(session) == before
    assert first.timeline[-1].summary == "Gwnaethoch ofyn am gael ymuno eto ar-lein."


def test_a_different_offender_is_a_new_case(session):
    submit(session, verified_draft(session), NOW)
    before = cases(session)
    submission = submit(session, verified_draft(session, offender_name="Someone Else"), NOW)
    assert not submission.already_registered
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
