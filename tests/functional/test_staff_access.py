"""Who may reach each staff route: an access matrix generated from the URL map.

Every route of the `staff` blueprint, for each of its methods, is tried as
nobody, a signed-in victim, a VLO of the region, a VLO of another region, a
manager of the region and an admin. Anything not theirs is refused: sent to
sign in (nobody, a victim), 403 (a role that may not open the page), 404 (a
case of another region, as if it did not exist); and every refusal is in the
audit. A staff route missing from ROUTES fails the first test, so a new page
cannot ship without saying who may open it.

Add an entry when you add a route: the URL to try (built from `World`, the
records each test makes), the roles that may open it, and whether it is about a
record of the officer's region (`scoped`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, CaseStatus, OfficerRole
from tests.support.case_pages import contact_form, stage_form
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    OfficerFactory,
    RegionFactory,
    RepresentativeFactory,
    TimelineEventFactory,
    VictimRequestStepFactory,
)
from tests.support.registration_steps import csrf
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in_victim

pytestmark = pytest.mark.database

EVERY_ROLE = frozenset(OfficerRole)
MANAGERS = frozenset({OfficerRole.MANAGER, OfficerRole.ADMIN})
ADMINS = frozenset({OfficerRole.ADMIN})


@dataclass(frozen=True)
class World:
    """What each test builds: two regions, a case in each."""

    region_id: int
    other_region_id: int
    case_id: int  # in the officer's region, waiting for triage
    other_case_id: int  # in another region
    event_id: int  # an entry on the timeline of case_id
    contact_id: int  # the victim's email address, on the case in the officer's region
    #: A member of staff of the region (a VLO with an app) and one invited, not yet set up.
    officer_id: int
    invited_id: int
    #: An active case of the region, with a request the victim has sent (a request waits on
    #: a case that has an officer).
    active_case_id: int
    request_id: int
    #: Someone acting for the victim of case_id.
    representative_id: int


@dataclass(frozen=True)
class Route:
    url: Callable[[World], str]
    roles: frozenset[OfficerRole] = EVERY_ROLE
    #: About a record of the officer's region: a VLO of another region gets 404.
    scoped: bool = False
    #: What an allowed person posts (a POST is tried with the CSRF token and this).
    data: dict = field(default_factory=dict)


#: (endpoint, method) -> how to reach it and who may.
ROUTES: dict[tuple[str, str], Route] = {
    ("staff.home", "GET"): Route(lambda w: "/staff"),
    ("staff.cases", "GET"): Route(lambda w: "/staff/cases"),
    ("staff.case", "GET"): Route(lambda w: f"/staff/cases/{w.case_id}", scoped=True),
    ("staff.case_add_stage", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/timeline/stage", scoped=True
    ),
    ("staff.case_add_stage", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/timeline/stage", scoped=True, data=stage_form()
    ),
    ("staff.case_record_contact", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/timeline/contact", scoped=True
    ),
    ("staff.case_record_contact", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/timeline/contact", scoped=True, data=contact_form()
    ),
    ("staff.case_entry_visibility", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/timeline/{w.event_id}/visibility", scoped=True
    ),
    ("staff.case_entry_visibility", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/timeline/{w.event_id}/visibility",
        scoped=True,
        data={"visible": "no"},
    ),
    ("staff.case_contact", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact", scoped=True
    ),
    ("staff.case_contact_add", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/add", scoped=True
    ),
    ("staff.case_contact_add", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/add",
        scoped=True,
        data={"way": "email", "email": "added@example.com", "safe": "yes", "confirmed": "no"},
    ),
    ("staff.case_contact_safety", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/{w.contact_id}/safety", scoped=True
    ),
    ("staff.case_contact_safety", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/{w.contact_id}/safety",
        scoped=True,
        data={"to": "unsafe"},
    ),
    ("staff.case_contact_change", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/{w.contact_id}/change", scoped=True
    ),
    ("staff.case_contact_change", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/{w.contact_id}/change",
        scoped=True,
        data={"when": "between", "safe_from": "09:00", "safe_until": "17:00"},
    ),
    ("staff.case_contact_remove", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/{w.contact_id}/remove", scoped=True
    ),
    ("staff.case_contact_remove", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/{w.contact_id}/remove", scoped=True
    ),
    ("staff.case_representative_end", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/representatives/{w.representative_id}/end",
        scoped=True,
    ),
    ("staff.case_representative_end", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/contact/representatives/{w.representative_id}/end",
        scoped=True,
    ),
    ("staff.case_notifications", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/notifications", scoped=True
    ),
    ("staff.case_requests", "GET"): Route(
        lambda w: f"/staff/cases/{w.active_case_id}/requests", scoped=True
    ),
    ("staff.case_request", "GET"): Route(
        lambda w: f"/staff/cases/{w.active_case_id}/requests/{w.request_id}", scoped=True
    ),
    ("staff.case_request_status", "GET"): Route(
        lambda w: f"/staff/cases/{w.active_case_id}/requests/{w.request_id}/status", scoped=True
    ),
    ("staff.case_request_status", "POST"): Route(
        lambda w: f"/staff/cases/{w.active_case_id}/requests/{w.request_id}/status",
        scoped=True,
        data={
            "submission_key": "5b0b4c3e-7f57-4f7e-9a8e-2f4f3a1c9d10",
            "seen": "sent",
            "to": "considering",
        },
    ),
    ("staff.case_reassign", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/reassign", MANAGERS, scoped=True
    ),
    ("staff.case_reassign", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/reassign",
        MANAGERS,
        scoped=True,
        data={"officer": "0", "note": "A handover note."},
    ),
    ("staff.messages", "GET"): Route(lambda w: "/staff/messages"),
    ("staff.case_messages", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/messages", scoped=True
    ),
    ("staff.case_message_reply", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/messages/reply", scoped=True
    ),
    ("staff.case_message_reply", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/messages/reply",
        scoped=True,
        data={
            "reply-submission_key": "8f1d2c4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
            "reply-seen": "0",
            "reply-body": "A reply.",
            "reply-language": "en",
        },
    ),
    ("staff.case_messages_no_reply", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/messages/no-reply-needed", scoped=True
    ),
    ("staff.case_messages_no_reply", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/messages/no-reply-needed",
        scoped=True,
        data={"seen": "0"},
    ),
    ("staff.my_account", "GET"): Route(lambda w: "/staff/account"),
    ("staff.my_account", "POST"): Route(lambda w: "/staff/account", data={"wanted": "on"}),
    # Bringing back a victim who left: the world's case was not left, so an allowed post
    # is the page saying there is nothing to bring back (200), and changes nothing.
    ("staff.case_bring_back", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/bring-back", scoped=True
    ),
    ("staff.case_bring_back", "POST"): Route(
        lambda w: f"/staff/cases/{w.case_id}/bring-back", scoped=True
    ),
    ("staff.case_audit", "GET"): Route(
        lambda w: f"/staff/cases/{w.case_id}/audit", MANAGERS, scoped=True
    ),
    ("staff.officer_audit", "GET"): Route(
        lambda w: f"/staff/officers/{w.officer_id}/audit", MANAGERS, scoped=True
    ),
    ("staff.region", "GET"): Route(lambda w: "/staff/region", MANAGERS),
    # Triage: a VLO or manager of the registration's region, or an admin. What is posted
    # here chooses nothing, so an allowed post is a form error (200) and changes nothing.
    **{
        (f"staff.{endpoint}", method): Route(
            lambda w, step=step: f"/staff/cases/{w.case_id}/triage{step}", scoped=True
        )
        for endpoint, step in (
            ("triage", ""),
            ("triage_accept", "/accept"),
            ("triage_decline", "/decline"),
            ("triage_transfer", "/transfer"),
            ("triage_link", "/link"),
        )
        for method in ("GET", "POST")
    },
    # Every role adds referrals (to their own region; an admin chooses): an empty post
    # is answered with the form's errors.
    ("staff.new_referral", "GET"): Route(lambda w: "/staff/referrals/new"),
    ("staff.new_referral", "POST"): Route(lambda w: "/staff/referrals/new"),
    ("staff.extend_session", "POST"): Route(lambda w: "/staff/session/extend"),
    ("staff.accounts", "GET"): Route(lambda w: "/staff/accounts", ADMINS),
    ("staff.accounts_invite", "GET"): Route(lambda w: "/staff/accounts/invite", ADMINS),
    ("staff.accounts_invite", "POST"): Route(lambda w: "/staff/accounts/invite", ADMINS),
    **{
        (f"staff.accounts_{name}", method): Route(
            lambda w, path=path: f"/staff/accounts/{w.officer_id}{path}", ADMINS
        )
        for name, path in (
            ("officer", ""),
            ("change", "/change"),
            ("reset_app", "/reset-app"),
            ("reset_password", "/reset-password"),
            ("deactivate", "/deactivate"),
            ("reactivate", "/reactivate"),
        )
        for method in (("GET",) if name == "officer" else ("GET", "POST"))
    },
    **{
        ("staff.accounts_invite_again", method): Route(
            lambda w: f"/staff/accounts/{w.invited_id}/invite-again", ADMINS
        )
        for method in ("GET", "POST")
    },
}

PERSONAS = ("nobody", "victim", "vlo", "vlo elsewhere", "manager", "admin")
ROLE_OF = {
    "vlo": OfficerRole.VLO,
    "vlo elsewhere": OfficerRole.VLO,
    "manager": OfficerRole.MANAGER,
    "admin": OfficerRole.ADMIN,
}


def staff_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff."):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method


def test_every_staff_route_says_who_may_open_it(app):
    assert set(staff_rules(app)) == set(ROUTES)


@pytest.fixture
def world(app, db_session) -> World:
    with app.app_context():
        region, other = RegionFactory(), RegionFactory()
        case = CaseFactory(region=region, status=CaseStatus.TRIAGE)
        other_case = CaseFactory(region=other, status=CaseStatus.TRIAGE)
        event = TimelineEventFactory(case=case)
        contact = ContactPreferenceFactory(victim=case.victim)
        officer = OfficerFactory(region=region, with_app=True)
        invited = OfficerFactory(region=region)
        active = CaseFactory(assigned=True, officer=OfficerFactory(region=region))
        sent = VictimRequestStepFactory(request__case=active)
        representative = RepresentativeFactory(victim=case.victim)
        db.session.commit()
        return World(
            region_id=region.id,
            other_region_id=other.id,
            case_id=case.id,
            other_case_id=other_case.id,
            event_id=event.id,
            contact_id=contact.id,
            officer_id=officer.id,
            invited_id=invited.id,
            active_case_id=active.id,
            request_id=sent.request_id,
            representative_id=representative.id,
        )


def become(client, persona: str, world: World) -> None:
    if persona == "nobody":
        return
    if persona == "victim":
        signed_in_victim(client)
        return
    region = world.other_region_id if persona == "vlo elsewhere" else world.region_id
    signed_in_officer(client, role=ROLE_OF[persona], region_id=region)


def page_token(client) -> str:
    response = client.get("/staff/sign-in", follow_redirects=True)
    return csrf(BeautifulSoup(response.get_data(as_text=True), "html.parser"))


def expected(route: Route, persona: str) -> str:
    if persona in ("nobody", "victim"):
        return "sign in"
    role = ROLE_OF[persona]
    if role not in route.roles:
        return "forbidden"
    if route.scoped and persona == "vlo elsewhere":
        return "not found"
    return "allowed"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("endpoint", "method"), sorted(ROUTES), ids=[" ".join(key) for key in sorted(ROUTES)]
)
def test_each_person_reaches_only_what_is_theirs(
    app, client, app_db, world, persona, endpoint, method
):
    route = ROUTES[(endpoint, method)]
    become(client, persona, world)
    url = route.url(world)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": page_token(client), **route.data})
    outcome = expected(route, persona)
    if outcome == "sign in":
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/staff/sign-in")
    elif outcome == "forbidden":
        assert response.status_code == 403
    elif outcome == "not found":
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 204, 303), response.status_code
    if outcome != "allowed":
        refusals = app_db.scalars(
            select(AuditEvent).where(AuditEvent.action == f"{method} {endpoint}"[:64])
        ).all()
        assert refusals, "a refused request must be audited"
        assert all(
            event.detail["status"] == response.status_code or not event.detail["allowed"]
            for event in refusals
        )
