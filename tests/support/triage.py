"""Registrations waiting for triage, built with any SQLAlchemy session: the test's own
(functional tests, inside an application context) or one on the live server's database
(browser tests, through the `live_database` engine).

Built from the models directly, not the factories, so that they work outside Flask.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy.orm import Session

from portal.domain.references import new_reference
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    utcnow,
)
from portal.services import queues

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Registration:
    case_id: int
    reference: str
    victim_id: int
    victim_name: str
    #: The proved, safe email address the victim signs in with.
    email: str


def add_registration(
    session: Session,
    *,
    region_id: int | None,
    language: Language = Language.ENGLISH,
    victim_name: str | None = None,
    offender_name: str = "Offender Waiting For Triage",
    email: str | None = None,
    clock_started_on: date | None = None,
    possible_duplicate_of_id: int | None = None,
    unsafe_phone: str | None = "+447700900111",
    case_id: int | None = None,
) -> Registration:
    """A registration in triage: a victim with a proved, safe email address (and a phone
    number marked not safe), a case at Cardiff Crown Court, the "you asked to join" note.
    Flushed, not committed. Dated, unless told, the day it is in London, as the queues
    count (queues.today_in_england), not the machine's own day (UTC's, in CI)."""
    number = next(_numbers)
    clock_started_on = clock_started_on or queues.today_in_england()
    victim_name = victim_name or f"Victim Waiting {number}"
    email = email or f"waiting.{number}.{new_reference().lower()}@example.com"
    victim = Victim(
        full_name=victim_name,
        language=language,
        relationship_to_victim="self",
        accessibility_needs="large-print",
        contact_preferences=[
            ContactPreference(
                channel=Channel.EMAIL, value=email, is_safe=True, verified_at=utcnow()
            ),
            *(
                [
                    ContactPreference(
                        channel=Channel.PHONE,
                        value=unsafe_phone,
                        is_safe=False,
                        safe_from=time(9),
                        safe_until=time(17),
                    )
                ]
                if unsafe_phone
                else []
            ),
        ],
    )
    case = Case(
        id=case_id,
        reference=new_reference(),
        victim=victim,
        region_id=region_id,
        status=CaseStatus.TRIAGE,
        offender_name=offender_name,
        offence_type="violent",
        court_code="cardiff",
        sentenced_in="2024-04",
        sentence_description="8 years",
        clock_started_on=clock_started_on,
        possible_duplicate_of_id=possible_duplicate_of_id,
        timeline=[
            TimelineEvent(
                kind=TimelineEventKind.NOTE,
                occurred_on=clock_started_on,
                summary="You asked to join the scheme online.",
                language=language,
            )
        ],
    )
    session.add(case)
    session.flush()
    return Registration(case.id, case.reference, victim.id, victim_name, email)


# --- records for the i18n guard's pages (tests/i18n/test_no_english_leaks.py) -----------

#: Fixed ids, so that the guard's URLs can name them (each test's records are rolled back).
TRIAGE_CASE_ID = 990_001
TRIAGED_CASE_ID = 990_002


def triage_pages_for(app, officer_id: int) -> None:
    """In the officer's region: a Welsh victim's registration flagged as a possible
    duplicate of a live case (TRIAGE_CASE_ID), one already accepted (TRIAGED_CASE_ID), and
    something in each list of "What needs you first", an overdue one included."""
    from datetime import timedelta

    from portal.extensions import db
    from portal.models import VictimLiaisonOfficer

    with app.app_context():
        officer = db.session.get(VictimLiaisonOfficer, officer_id)
        region_id = officer.region_id
        existing = add_registration(db.session, region_id=region_id, victim_name="Siân Jones")
        add_registration(
            db.session,
            region_id=region_id,
            language=Language.WELSH,
            victim_name="Siân Jones",
            possible_duplicate_of_id=existing.case_id,
            clock_started_on=date.today() - timedelta(days=60),
            case_id=TRIAGE_CASE_ID,
        )
        accepted = add_registration(db.session, region_id=region_id, case_id=TRIAGED_CASE_ID)
        session = db.session
        session.get(Case, existing.case_id).status = CaseStatus.ACTIVE
        waiting = session.get(Case, accepted.case_id)
        waiting.status = CaseStatus.ACTIVE
        waiting.officer_id = officer.id
        waiting.clock_started_on = date.today() - timedelta(days=40)
        session.commit()


@dataclass(frozen=True)
class SignsIn:
    email: str
    mobile: str | None = None


def declined_victim(app) -> SignsIn:
    """A Welsh victim whose request to join was declined last week, with the officer's
    words: they can still sign in and read why."""
    from datetime import timedelta

    from portal.extensions import db
    from portal.models import DeclineReason, Region

    with app.app_context():
        region = db.session.query(Region).filter_by(code="wales").one()
        made = add_registration(db.session, region_id=region.id, language=Language.WELSH)
        case = db.session.get(Case, made.case_id)
        case.status = CaseStatus.DECLINED
        case.decline_reason = DeclineReason.CASE_NOT_FOUND
        case.decline_note = "Allen ni ddim dod o hyd i ddedfryd yng Nghaerdydd."
        case.triaged_at = utcnow() - timedelta(days=7)
        db.session.commit()
        return SignsIn(made.email)
