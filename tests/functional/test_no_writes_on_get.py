"""A plain GET writes nothing: a page that only shows something never takes the write lock.

A signed-in victim with nothing unread, and anyone on the public pages, send no INSERT,
UPDATE or DELETE. The exceptions, each tested where it is built: a session's last-seen
time (at most once a minute, tests/functional/test_victim_sign_in.py and
test_staff_sign_in.py), the officer's replies a victim has just opened (marked read,
test_victim_messages.py), a download of a victim's data (audited as such,
test_your_data.py), and the audit of every staff request (required: below, it is the
only thing a staff GET writes).
"""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import CaseStatus, Language, OfficerRole, Sender, utcnow
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    RegionFactory,
    TimelineEventFactory,
    VictimFactory,
)
from tests.support.queries import statements
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

EMAIL = "no.writes@example.com"
WRITES = ("INSERT", "UPDATE", "DELETE")

VICTIM_PAGES = (
    "/account",
    "/account?show=stages",
    "/account?show=messages",
    "/account/messages",
    "/account/cases/{reference}/messages",
    "/account/cases/{reference}/requests",
    "/account/cases/{reference}/contact",
    "/account/cases/{reference}/updates",
    "/account/your-data",
)
PUBLIC_PAGES = (
    "/",
    "/information/privacy-notice",
    "/check-if-you-can-join",
    "/check-if-you-can-join/who",
    "/regions",
    "/sign-in",
    "/register",
)
STAFF_PAGES = (
    "/staff",
    "/staff/cases?only=welsh&sort=name",
    "/staff/cases/{case_id}",
    "/staff/cases/{case_id}/messages",
    "/staff/messages",
    "/staff/region",
)


def writes_of(app, client, address: str) -> list[str]:
    with statements(app) as seen:
        response = client.get(address)
    assert response.status_code == 200, (address, response.status_code, response.location)
    return [statement for statement in seen if statement.split()[0].upper() in WRITES]


@pytest.fixture
def world(app, db_session):
    """A victim with two cases (two records with one email), timelines, and replies
    already read; the manager of their region."""
    with app.app_context():
        region = RegionFactory()
        db.session.flush()
        region_id = region.id
        db.session.commit()
    client = app.test_client()
    officer_id = signed_in_officer(client, role=OfficerRole.MANAGER, region_id=region_id)
    with app.app_context():
        cases = []
        for _ in range(2):
            victim = VictimFactory(language=Language.ENGLISH)
            ContactPreferenceFactory(victim=victim, value=EMAIL)
            case = CaseFactory(
                victim=victim, status=CaseStatus.ACTIVE, region_id=region_id, officer_id=officer_id
            )
            TimelineEventFactory(case=case, recorded_by_id=officer_id)
            MessageFactory(case=case, sender=Sender.VICTIM)
            MessageFactory(
                case=case, sender=Sender.OFFICER, officer_id=officer_id, read_at=utcnow()
            )
            cases.append(case)
        db.session.commit()
        return {"staff": client, "reference": cases[0].reference, "case_id": cases[0].id}


def test_a_victims_plain_gets_write_nothing(app, world):
    victim = app.test_client()
    signed_in(victim, EMAIL)
    found = {}
    for address in VICTIM_PAGES:
        address = address.format(**world)
        found[address] = writes_of(app, victim, address)
        found[address + " (again)"] = writes_of(app, victim, address)
    assert not any(found.values()), {page: w for page, w in found.items() if w}


def test_the_public_pages_write_nothing(app, db_session):
    public = app.test_client()
    found = {address: writes_of(app, public, address) for address in PUBLIC_PAGES}
    assert not any(found.values()), {page: w for page, w in found.items() if w}


def test_a_staff_get_writes_only_its_audit(app, world):
    staff = world["staff"]
    for address in STAFF_PAGES:
        address = address.format(**world)
        writes = writes_of(app, staff, address)
        assert len(writes) == 1 and writes[0].startswith("INSERT INTO audit_events"), (
            address,
            writes,
        )
