"""No N+1: every page sends the same SQL statements with a little data and with a lot.

One world is built small (a region, its manager, a victim with one case, two timeline
entries and a message), every page below is counted, then the same world is made big
(200 more cases in the region and the manager's caseload, with messages and timeline
entries from several officers; the victim's contact detail on two more cases, each with
dozens of entries and messages, some by officers of another region; dozens more on the
first case) and every page is counted
again. The counts must be equal, page by page: a statement sent once per case, per
message or per entry (a lazy load in a loop) would make the big count bigger. Each page
also has a ceiling, so the statements taken out for speed stay out.

Statements are counted as tests/support/queries.py does (the test's savepoints left
out); a session's last-seen time, written at most once a minute, is left out as well,
so a minute ticking over between the two counts changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    Language,
    Message,
    OfficerRole,
    Sender,
    TimelineEvent,
    TimelineEventKind,
    utcnow,
)
from tests.support.bulk import bulk_cases
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    RegionFactory,
    TimelineEventFactory,
    VictimFactory,
)
from tests.support.messages import bulk_messages
from tests.support.queries import statements
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

EMAIL = "query.counts@example.com"

#: Each page, who asks for it, and the most statements it may send. Every victim's page
#: asks who acts for whom (representatives) with the session; "your data" also lists them.
VICTIM_PAGES = {
    "case page": ("/account", 7),
    "timeline: stages only": ("/account?show=stages", 6),
    "timeline: messages only": ("/account?show=messages", 7),
    "conversation": ("/account/cases/{reference}/messages", 7),
    "your data": ("/account/your-data", 13),
}
STAFF_PAGES = {
    "home": ("/staff", 11),
    "caseload": ("/staff/cases", 5),
    "caseload, filtered and searched": (
        "/staff/cases?only=welsh&only=access&q=a&sort=name&status=active&status=triage",
        5,
    ),
    "caseload, a later page": ("/staff/cases?page=3&size=50&sort=newest", 5),
    # A page of the timeline: its two counts, then the newest events and messages.
    "case view": ("/staff/cases/{case_id}", 8),
    "case view, a later page of the timeline": ("/staff/cases/{case_id}?page=2", 8),
    "case messages": ("/staff/cases/{case_id}/messages", 6),
    "messages queue": ("/staff/messages", 4),
    "messages queue, the region's": ("/staff/messages?whose=region", 4),
    "manager's page": ("/staff/region", 9),
}
#: An administrator sees every region's cases, and the national queue.
ADMIN_PAGES = {
    "caseload, every region": ("/staff/cases?status=active&status=triage&page=3&size=50", 6),
    "national queue": ("/staff/cases?region=national&sort=newest", 6),
}
PUBLIC_PAGES = {
    "start": ("/", 0),
    "information page": ("/information/privacy-notice", 0),
    "eligibility question": ("/check-if-you-can-join/who", 0),
}
#: What is left out of a count: the once-a-minute last-seen write of either session.
TOUCHES = ("UPDATE victim_sessions", "UPDATE staff_sessions")


@dataclass
class World:
    region_id: int
    officer_id: int
    case_id: int
    reference: str


def counted(app: Flask, client: FlaskClient, address: str) -> int:
    with statements(app) as seen:
        response = client.get(address)
    assert response.status_code == 200, (address, response.status_code, response.location)
    return sum(
        1
        for statement in seen
        if "SAVEPOINT" not in statement.upper() and not statement.startswith(TOUCHES)
    )


def small_world(app: Flask, staff: FlaskClient) -> World:
    with app.app_context():
        region_id = RegionFactory().id
        db.session.commit()
    officer_id = signed_in_officer(staff, role=OfficerRole.MANAGER, region_id=region_id)
    with app.app_context():
        victim = VictimFactory(language=Language.ENGLISH)
        ContactPreferenceFactory(victim=victim, value=EMAIL)
        case = CaseFactory(
            victim=victim, status=CaseStatus.ACTIVE, region_id=region_id, officer_id=officer_id
        )
        for on in (date(2024, 6, 20), date(2024, 7, 8)):
            TimelineEventFactory(case=case, occurred_on=on, recorded_by_id=officer_id)
        MessageFactory(case=case, sender=Sender.VICTIM, body="What happens next?")
        db.session.commit()
        return World(region_id, officer_id, case.id, case.reference)


def _entries(case_ids: list[int], officers: list[int], per_case: int) -> list[dict]:
    return [
        {
            "case_id": case_id,
            "kind": TimelineEventKind.CALL if n % 2 else TimelineEventKind.STAGE,
            "occurred_on": date(2024, 1, 1) + timedelta(days=n),
            "summary": f"Bulk entry {n} on case {case_id}.",
            "internal_note": f"Bulk note {n}",
            "language": Language.ENGLISH,
            "recorded_by_id": officers[n % len(officers)],
            "created_at": utcnow(),
        }
        for case_id in case_ids
        for n in range(per_case)
    ]


def _replies(case_ids: list[int], officers: list[int], per_case: int) -> list[dict]:
    """Officers' replies, already read (so opening a conversation writes nothing)."""
    return [
        {
            "case_id": case_id,
            "sender": Sender.OFFICER,
            "officer_id": officers[n % len(officers)],
            "body": f"Bulk reply {n} on case {case_id}.",
            "language": Language.ENGLISH,
            "submission_key": str(uuid.uuid4()),
            "created_at": utcnow() - timedelta(hours=n),
            "read_at": utcnow(),
        }
        for case_id in case_ids
        for n in range(per_case)
    ]


def grow(app: Flask, world: World) -> None:
    """The same world, big: 200 more cases in the region and the manager's caseload, with
    messages and entries from several officers; the victim's detail on two more cases;
    dozens more entries and messages on every case of theirs."""
    with app.app_context():
        made = bulk_cases(
            db.session,
            200,
            region_ids=[world.region_id],
            officers={world.region_id: [world.officer_id]},
            officers_per_region=4,
            seed=17,
        )
        # Officers of another region wrote some of it too (a case transferred between
        # regions keeps its history): none of them is loaded by anything else on a page.
        elsewhere = bulk_cases(db.session, 5, regions=1, officers_per_region=4, seed=18)
        officers = [*made.officers[world.region_id], *elsewhere.officers[elsewhere.region_ids[0]]]
        bulk_ids = [case.id for case in made.cases]
        bulk_messages(db.session, bulk_ids, per_case=3)
        theirs = [world.case_id]
        for _ in range(2):
            victim = VictimFactory(language=Language.ENGLISH)
            ContactPreferenceFactory(victim=victim, value=EMAIL)
            case = CaseFactory(
                victim=victim,
                status=CaseStatus.ACTIVE,
                region_id=world.region_id,
                officer_id=officers[len(theirs)],
            )
            theirs.append(case.id)
        db.session.flush()
        db.session.execute(insert(TimelineEvent), _entries(bulk_ids[:50], officers, 3))
        db.session.execute(insert(TimelineEvent), _entries(theirs, officers, 40))
        db.session.execute(insert(Message), _replies(theirs, officers, 30))
        bulk_messages(db.session, theirs, per_case=10, waiting=False, answered_by=officers[1])
        db.session.commit()
        assert db.session.get(Case, world.case_id).timeline


def count_every_page(app, clients: list[tuple[dict, FlaskClient]], world: World) -> dict[str, int]:
    fill = {"reference": world.reference, "case_id": world.case_id}
    counts = {}
    for pages, client in clients:
        for name, (address, _most) in pages.items():
            address = address.format(**fill)
            client.get(address)  # the same request first, before each count
            # A manager's figures are kept for minutes (region_figures.Kept): count the
            # request that works them out.
            app.extensions.pop("region_figures", None)
            counts[name] = counted(app, client, address)
    return counts


def test_every_page_sends_the_same_statements_with_little_and_much_data(app, db_session):
    victim, staff, admin, public = (app.test_client() for _ in range(4))
    world = small_world(app, staff)
    signed_in(victim, EMAIL)
    signed_in_officer(admin, role=OfficerRole.ADMIN, region_id=world.region_id)
    clients = [
        (VICTIM_PAGES, victim),
        (STAFF_PAGES, staff),
        (ADMIN_PAGES, admin),
        (PUBLIC_PAGES, public),
    ]
    few = count_every_page(app, clients, world)
    grow(app, world)
    many = count_every_page(app, clients, world)
    grew = {name: (few[name], many[name]) for name in few if few[name] != many[name]}
    assert not grew, f"statements (few, many) that grew with the data: {grew}"
    ceilings = {
        name: most
        for pages in (VICTIM_PAGES, STAFF_PAGES, ADMIN_PAGES, PUBLIC_PAGES)
        for name, (_address, most) in pages.items()
    }
    over = {name: (count, ceilings[name]) for name, count in few.items() if count > ceilings[name]}
    assert not over, f"statements (sent, most allowed): {over}"
