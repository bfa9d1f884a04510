"""Audit trails for managers: a case's (staff.case_audit) and a staff member's
(staff.officer_audit): who, what in words, when in London time, from where, the outcome;
newest first, a page at a time, filtered by kind; only for the region's manager (another
region's gets 404) and admins; opening one is audited too; the same statements however
long the audit grows."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.models import ActorType, AuditEvent, Language, OfficerRole
from portal.services import audit_trail
from portal.services.audit_trail import Kind, kind_of
from portal.staff.audit_wording import ACTIONS
from tests.support.factories import (
    AuditEventFactory,
    CaseFactory,
    OfficerFactory,
    RegionFactory,
    VictimFactory,
)
from tests.support.queries import queries
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database

#: 09:15 UTC on 1 July 2026 is 10:15 in London (summer time).
SUMMER = datetime(2026, 7, 1, 9, 15, tzinfo=UTC)


def rows(page) -> list[dict[str, str]]:
    table = page.select_one("#main-content table")
    if table is None:
        return []
    headings = [th.get_text(strip=True) for th in table.select("thead th")]
    return [
        dict(
            zip(
                headings,
                (" ".join(td.get_text(" ").split()) for td in tr.find_all("td")),
                strict=True,
            )
        )
        for tr in table.select("tbody tr")
    ]


@pytest.fixture
def case_with_history(app, db_session):
    """A case in a region, with its VLO, and one of each kind of audit entry."""
    with app.app_context():
        region = RegionFactory()
        vlo = OfficerFactory(region=region, full_name="Vicky Officer")
        victim = VictimFactory(full_name="Morgan Victim", language=Language.WELSH)
        case = CaseFactory(assigned=True, officer=vlo, region=region, victim=victim)
        entries = [
            # oldest first: a service's own event, a view, a refused attempt, a change,
            # and an action with no words (shown as its code)
            dict(action="possible duplicate flagged", actor_type=ActorType.SYSTEM, detail={}),
            dict(
                action="GET staff.case",
                actor_type=ActorType.STAFF,
                actor_id=vlo.id,
                address="192.0.2.10",
                detail={"status": 200, "allowed": True},
            ),
            dict(
                action="GET staff.case_contact",
                actor_type=ActorType.SYSTEM,
                address="198.51.100.7",
                detail={"status": 303, "allowed": False},
            ),
            dict(
                action="triage.accepted",
                actor_type=ActorType.STAFF,
                actor_id=vlo.id,
                address="192.0.2.10",
                detail={"officer": vlo.id},
            ),
            dict(action="something.new", actor_type=ActorType.SYSTEM, detail={}),
        ]
        for minutes, entry in enumerate(entries):
            AuditEventFactory(
                case_id=case.id, created_at=SUMMER + timedelta(minutes=minutes), **entry
            )
        # Not about this case.
        AuditEventFactory(
            action="GET staff.case", actor_type=ActorType.STAFF, actor_id=vlo.id, detail={}
        )
        db.session.commit()
        return {"region": region.id, "case": case.id, "vlo": vlo.id, "ref": case.reference}


def test_a_managers_case_trail_says_who_what_when_where_and_the_outcome(
    client, pages, case_with_history
):
    manager = signed_in_officer(
        client, role=OfficerRole.MANAGER, region_id=case_with_history["region"]
    )
    page = pages.get(f"/staff/cases/{case_with_history['case']}/audit")
    assert page.find("h1").get_text(strip=True) == "Audit trail"
    caption = page.select_one(".govuk-caption-l").get_text()
    assert "Morgan Victim" in caption and case_with_history["ref"] in caption
    assert "The victim’s language: Welsh" in page.find(id="main-content").get_text()
    current = page.select_one(".moj-sub-navigation a[aria-current=page]")
    assert current.get_text(strip=True) == "Audit"

    assert rows(page) == [
        {
            "When": "1 July 2026 at 10:19:00",
            "Who": "System",
            "What": "something.new",
            "From where": "Not recorded",
            "Outcome": "Allowed",
        },
        {
            "When": "1 July 2026 at 10:18:00",
            "Who": "Vicky Officer",
            "What": "Accept the registration",
            "From where": "192.0.2.10",
            "Outcome": "Allowed",
        },
        {
            "When": "1 July 2026 at 10:17:00",
            "Who": "Someone not signed in",
            "What": "View the victim’s contact details",
            "From where": "198.51.100.7",
            "Outcome": "Refused Not signed in as staff Status 303",
        },
        {
            "When": "1 July 2026 at 10:16:00",
            "Who": "Vicky Officer",
            "What": "View the case summary and timeline",
            "From where": "192.0.2.10",
            "Outcome": "Allowed Status 200",
        },
        {
            "When": "1 July 2026 at 10:15:00",
            "Who": "System",
            "What": "Flag as a possible duplicate of another case",
            "From where": "Not recorded",
            "Outcome": "Allowed",
        },
    ]
    # The officer's name leads to their own trail; an unknown action is shown as its code.
    assert page.find("a", string="Vicky Officer")["href"] == (
        f"/staff/officers/{case_with_history['vlo']}/audit"
    )
    assert page.find("code", string="something.new") is not None
    assert manager


def test_the_trail_is_in_welsh_with_welsh_dates(client, pages, case_with_history):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=case_with_history["region"])
    page = pages.get(f"/staff/cases/{case_with_history['case']}/audit?lang=cy")
    first = rows(page)[-1]
    assert first["Pryd"] == "1 Gorffennaf 2026 am 10:15:00"  # "When"
    assert "July" not in page.get_text()


@pytest.mark.parametrize(
    ("kind", "actions"),
    [
        ("views", ["View the case summary and timeline"]),
        (
            "changes",
            [
                "something.new",
                "Accept the registration",
                "Flag as a possible duplicate of another case",
            ],
        ),
        ("refused", ["View the victim’s contact details"]),
    ],
)
def test_the_trail_filters_by_kind(client, pages, case_with_history, kind, actions):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=case_with_history["region"])
    page = pages.get(f"/staff/cases/{case_with_history['case']}/audit?kind={kind}")
    assert [row["What"] for row in rows(page)] == actions
    assert (
        page.find("select", attrs={"name": "kind"}).find("option", selected=True)["value"] == kind
    )


@pytest.mark.parametrize(
    "query", ["kind=everything", "page=0", "page=x", "page=2", "page=99999999999999999999"]
)
def test_a_made_up_filter_or_page_is_not_found(client, case_with_history, query):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=case_with_history["region"])
    response = client.get(f"/staff/cases/{case_with_history['case']}/audit?{query}")
    assert response.status_code == 404


def test_the_sql_filter_and_the_shown_kind_agree(app, case_with_history):
    """Every row is in exactly one kind, by the same rule in SQL and in Python."""
    with app.app_context():
        case_id = case_with_history["case"]
        for detail in (
            {"status": 500, "allowed": True},
            {"status": 404.0},
            {"status": True},
            {"status": "refused", "allowed": "false"},
            {"allowed": None},
            {"allowed": 0},
            {"status": {"nested": 500}},
        ):
            AuditEventFactory(case_id=case_id, action="POST staff.triage", detail=detail)
        AuditEventFactory(case_id=case_id, action="security code refused", detail={})
        db.session.commit()
        every = audit_trail.for_case(db.session, case_id).entries
        for kind in Kind:
            filtered = {
                entry.id for entry in audit_trail.for_case(db.session, case_id, kind).entries
            }
            assert filtered == {entry.id for entry in every if entry.kind is kind}, kind
            events = db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(filtered)))
            assert all(kind_of(event.action, event.detail) is kind for event in events)
    assert sum(1 for entry in every if entry.kind is Kind.REFUSED) == 4


def test_the_trail_comes_a_page_at_a_time_newest_first(app, client, pages, case_with_history):
    with app.app_context():
        for n in range(30):
            AuditEventFactory(
                case_id=case_with_history["case"],
                actor_type=ActorType.STAFF,
                actor_id=case_with_history["vlo"],
                action="GET staff.case_notifications",
                created_at=SUMMER + timedelta(hours=1, minutes=n),
                detail={"status": 200, "allowed": True},
            )
        db.session.commit()
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=case_with_history["region"])
    url = f"/staff/cases/{case_with_history['case']}/audit"
    first = pages.get(url)
    assert first.find(id="trail-results").get_text(strip=True) == "Showing 1 to 25 of 35 entries"
    assert rows(first)[0]["When"] == "1 July 2026 at 11:44:00"
    navigation = first.select_one("nav.govuk-pagination")
    assert navigation["aria-label"] == "Pages of the audit trail"
    assert navigation.find("a", rel="next")["href"] == f"{url}?page=2"
    second = pages.get(f"{url}?page=2")  # one more entry now: opening the first page
    assert second.find(id="trail-results").get_text(strip=True) == "Showing 26 to 36 of 36 entries"
    assert rows(second)[-1]["What"] == "Flag as a possible duplicate of another case"
    assert second.select_one("nav.govuk-pagination").find("a", rel="prev")["href"] == url
    # The filter is kept from page to page.
    views = pages.get(f"{url}?kind=views")
    assert views.find("a", rel="next")["href"] == f"{url}?kind=views&page=2"


def test_opening_a_trail_is_audited_and_then_on_the_trail(
    app, app_db, client, pages, case_with_history
):
    manager = signed_in_officer(
        client, role=OfficerRole.MANAGER, region_id=case_with_history["region"]
    )
    url = f"/staff/cases/{case_with_history['case']}/audit"
    pages.get(url)
    (event,) = app_db.scalars(
        select(AuditEvent).where(AuditEvent.action == "GET staff.case_audit")
    ).all()
    assert (event.actor_type, event.actor_id, event.case_id) == (
        ActorType.STAFF,
        manager,
        case_with_history["case"],
    )
    assert event.detail == {"status": 200, "allowed": True}
    newest = rows(pages.get(url))[0]
    assert newest["What"] == "View the case’s audit trail"
    assert newest["Outcome"] == "Allowed Status 200"


def test_who_may_open_a_case_trail(app, client, case_with_history):
    url = f"/staff/cases/{case_with_history['case']}/audit"
    signed_in_officer(client, role=OfficerRole.VLO, region_id=case_with_history["region"])
    assert client.get(url).status_code == 403
    elsewhere = app.test_client()
    signed_in_officer(elsewhere, role=OfficerRole.MANAGER)  # another region's manager
    assert elsewhere.get(url).status_code == 404
    admin = app.test_client()
    signed_in_officer(admin, role=OfficerRole.ADMIN)  # an admin of another region
    assert admin.get(url).status_code == 200
    assert admin.get("/staff/cases/999999999/audit").status_code == 404


def test_an_officers_trail_lists_what_they_did_with_links_to_the_cases(
    app, client, pages, case_with_history
):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=case_with_history["region"])
    page = pages.get(f"/staff/officers/{case_with_history['vlo']}/audit")
    assert page.find("h1").get_text(strip=True) == "Audit trail of a member of staff"
    assert "Vicky Officer" in page.select_one(".govuk-caption-l").get_text()
    found = rows(page)
    assert [row["What"] for row in found] == [
        "View the case summary and timeline",  # the entry with no case, written last
        "Accept the registration",
        "View the case summary and timeline",
    ]
    assert [row["Case"] for row in found] == [
        "None",
        case_with_history["ref"],
        case_with_history["ref"],
    ]
    assert "Who" not in found[0]
    link = page.find("a", string=case_with_history["ref"])
    assert (
        link["href"] == f"/staff/cases/{case_with_history['case']}/audit"
        or link["href"] == f"/staff/cases/{case_with_history['case']}"
    )
    assert page.find("a", class_="govuk-back-link")["href"].startswith("/staff/region")


def test_who_may_open_an_officers_trail(app, client, case_with_history):
    url = f"/staff/officers/{case_with_history['vlo']}/audit"
    signed_in_officer(client, role=OfficerRole.VLO, region_id=case_with_history["region"])
    assert client.get(url).status_code == 403
    elsewhere = app.test_client()
    signed_in_officer(elsewhere, role=OfficerRole.MANAGER)
    assert elsewhere.get(url).status_code == 404
    admin = app.test_client()
    signed_in_officer(admin, role=OfficerRole.ADMIN)
    assert admin.get(url).status_code == 200
    assert admin.get("/staff/officers/999999999/audit").status_code == 404


def bulk_audit(app, count: int, **columns) -> None:
    with app.app_context():
        db.session.execute(
            insert(AuditEvent),
            [
                {
                    "actor_type": ActorType.STAFF,
                    "action": "GET staff.case",
                    "detail": {"status": 200, "allowed": True},
                    "created_at": SUMMER - timedelta(seconds=n),
                    **columns,
                }
                for n in range(count)
            ],
        )
        db.session.commit()


def test_trails_send_the_same_statements_for_10_rows_as_for_2000(app, client, db_session):
    with app.app_context():
        region = RegionFactory()
        quiet, busy = (OfficerFactory(region=region) for _ in range(2))
        quiet_case, busy_case = (CaseFactory(region=region) for _ in range(2))
        db.session.commit()
        ids = (region.id, quiet.id, busy.id, quiet_case.id, busy_case.id)
    bulk_audit(app, 10, actor_id=ids[1], case_id=ids[3])
    bulk_audit(app, 2000, actor_id=ids[2], case_id=ids[4])
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=ids[0])
    client.get("/staff")

    def count(url):
        return queries(app, lambda: client.get(url))

    assert count(f"/staff/cases/{ids[3]}/audit") == count(f"/staff/cases/{ids[4]}/audit")
    assert count(f"/staff/officers/{ids[1]}/audit") == count(f"/staff/officers/{ids[2]}/audit")
    assert count(f"/staff/officers/{ids[2]}/audit?page=80&kind=views") == count(
        f"/staff/officers/{ids[1]}/audit?kind=views"
    )


def test_every_staff_route_has_words_on_a_trail(app):
    """A new console page needs a phrase in portal/staff/audit_wording.py ACTIONS."""
    missing = {
        f"{method} {rule.endpoint}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("staff.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    } - set(ACTIONS)
    assert not missing, f"add these to ACTIONS in portal/staff/audit_wording.py: {missing}"


def literal_actions() -> set[str]:
    """Every `action="..."` given to AuditEvent(...) in portal/."""
    found = set()
    for path in Path(PROJECT_ROOT, "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "AuditEvent"
            ):
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
    return found


def test_every_event_the_services_write_has_words_on_a_trail():
    actions = literal_actions()
    assert "possible duplicate flagged" in actions  # the reading works
    missing = actions - set(ACTIONS)
    assert not missing, f"add these to ACTIONS in portal/staff/audit_wording.py: {missing}"


@pytest.mark.parametrize(
    "url",
    [
        "/staff/cases/2147483647/audit",  # the largest id a row can have: no such case
        "/staff/cases/2147483648/audit",  # beyond it: no such address
        "/staff/cases/99999999999999999999999/audit",
        "/staff/officers/99999999999999999999999/audit",
    ],
)
def test_an_id_no_record_has_is_not_found_never_an_error(client, url):
    signed_in_officer(client, role=OfficerRole.ADMIN)
    assert client.get(url).status_code == 404


def test_asking_for_a_case_that_does_not_exist_is_audited(app, app_db, client):
    """The case id goes in the detail (the case column holds only real cases)."""
    nobody = app.test_client()
    assert nobody.get("/staff/cases/2000000000/audit").status_code == 303
    signed_in_officer(client, role=OfficerRole.ADMIN)
    assert client.get("/staff/cases/2000000001/audit").status_code == 404
    events = app_db.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "GET staff.case_audit")
        .order_by(AuditEvent.id)
    ).all()
    assert [(event.case_id, event.detail) for event in events] == [
        (None, {"status": 303, "allowed": False, "case_id": 2000000000}),
        (None, {"status": 404, "allowed": True, "case_id": 2000000001}),
    ]


def test_whose_trail_was_opened_is_in_the_audit(app, app_db, client, case_with_history):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=case_with_history["region"])
    client.get(f"/staff/officers/{case_with_history['vlo']}/audit")
    event = app_db.scalars(
        select(AuditEvent).where(AuditEvent.action == "GET staff.officer_audit")
    ).one()
    assert event.detail == {"status": 200, "allowed": True, "officer_id": case_with_history["vlo"]}
