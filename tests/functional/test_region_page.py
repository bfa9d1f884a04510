"""A manager's page (staff.region): how the region is doing, in numbers that are right.

Cases are built at known dates around Christmas and New Year 2026-27 (25 and 28
December and 1 January are bank holidays), and "now" is fixed at noon on
Wednesday 13 January 2027 in London: the last 4 weeks are 17 December to 13
January. Each figure is checked in the service and on the page, where each chart
(an SVG with a title and a description) shows the same numbers as its table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    NotificationStatus,
    OfficerRole,
    OutboxNotification,
    Region,
    TimelineEvent,
    TimelineEventKind,
    Victim,
)
from portal.services import region_figures
from tests.support.factories import (
    CaseFactory,
    OfficerFactory,
    OutboxNotificationFactory,
    RegionFactory,
    StaffSessionFactory,
    TimelineEventFactory,
)
from tests.support.queries import queries
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database

NOW = datetime(2027, 1, 13, 12, 0, tzinfo=UTC)
TODAY = date(2027, 1, 13)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on `day` (London is on UTC in winter)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Built:
    region_id: int
    region_code: str
    busy_officer_id: int
    busy_officer_name: str
    idle_officer_id: int
    idle_officer_name: str


def build_region(app) -> Built:
    with app.app_context():
        region, elsewhere = RegionFactory(name_en="Aaa Test Region"), RegionFactory()
        busy = OfficerFactory(region=region, full_name="Busy Officer")
        idle = OfficerFactory(region=region, full_name="Idle Officer")
        StaffSessionFactory(officer=busy, last_seen_at=at(date(2027, 1, 12), 16, 45))

        # Awaiting triage: waited 2, 8, 12, 20 (the target, not over it) and 23 working days.
        for started in ("2027-01-11", "2026-12-31", "2026-12-23", "2026-12-11", "2026-12-08"):
            CaseFactory(
                region=region,
                status=CaseStatus.TRIAGE,
                clock_started_on=date.fromisoformat(started),
            )
        CaseFactory(region=elsewhere, status=CaseStatus.TRIAGE, clock_started_on=date(2026, 1, 1))

        # The busy officer's active cases: one contacted, one waiting 6 working days, one
        # waiting 20 (not overdue), one 21 (overdue); a closed case does not count.
        CaseFactory(
            assigned=True,
            officer=busy,
            region=region,
            clock_started_on=date(2026, 11, 2),
            first_contact_on=date(2026, 11, 20),
        )
        for started in ("2027-01-05", "2026-12-11", "2026-12-10"):
            CaseFactory(
                assigned=True,
                officer=busy,
                region=region,
                clock_started_on=date.fromisoformat(started),
            )
        CaseFactory(
            assigned=True,
            officer=busy,
            region=region,
            status=CaseStatus.CLOSED,
            clock_started_on=date(2026, 10, 1),
        )
        # An active case with no officer, long overdue.
        CaseFactory(region=region, status=CaseStatus.ACTIVE, clock_started_on=date(2026, 11, 2))

        # First contacts in the last 4 weeks (closed since, so as not to count above):
        # 20 working days only because 25 and 28 December are bank holidays (within);
        # 22 working days (later); the same day as today (within). One before the period
        # and one in another region do not count.
        for started, contacted, where in (
            ("2026-11-27", "2026-12-29", region),
            ("2026-11-20", "2026-12-22", region),
            ("2027-01-04", "2027-01-13", region),
            ("2026-11-01", "2026-12-16", region),
            ("2026-12-01", "2026-12-29", elsewhere),
        ):
            CaseFactory(
                region=where,
                status=CaseStatus.CLOSED,
                clock_started_on=date.fromisoformat(started),
                first_contact_on=date.fromisoformat(contacted),
            )

        # Stages recorded, and when their notification was sent.
        told_case = CaseFactory(
            assigned=True,
            officer=idle,
            region=region,
            clock_started_on=date(2026, 6, 1),
            first_contact_on=date(2026, 6, 10),
        )
        other_case = CaseFactory(region=elsewhere, status=CaseStatus.ACTIVE)

        def stage(case, recorded, sent, kind=TimelineEventKind.STAGE):
            notification = OutboxNotificationFactory(
                victim=case.victim,
                status=NotificationStatus.SENT if sent else NotificationStatus.PENDING,
                sent_at=sent,
            )
            TimelineEventFactory(
                case=case, kind=kind, created_at=recorded, notification_id=notification.id
            )

        # Christmas Eve to Tuesday 29 December: 1 working day (25 and 28 are holidays).
        stage(told_case, at(date(2026, 12, 24), 10), at(date(2026, 12, 29), 9))
        stage(told_case, at(date(2027, 1, 4), 16), at(date(2027, 1, 4), 16, 5))  # same day
        stage(told_case, at(date(2027, 1, 11), 23, 30), at(date(2027, 1, 12), 23, 59))  # 1 day
        stage(told_case, at(date(2027, 1, 4), 9), at(date(2027, 1, 7), 9))  # 3 working days
        stage(told_case, at(date(2026, 12, 17), 12), at(date(2026, 12, 31), 12))  # 8
        stage(told_case, at(date(2027, 1, 8), 12), None)  # not sent yet
        # Not counted: before the period, not a stage, another region, no notification.
        stage(told_case, at(date(2026, 12, 16), 23, 59), None)
        stage(told_case, at(date(2027, 1, 5), 12), None, kind=TimelineEventKind.CALL)
        stage(other_case, at(date(2027, 1, 5), 12), None)
        TimelineEventFactory(case=told_case, created_at=at(date(2027, 1, 6)))
        db.session.commit()
        return Built(region.id, region.code, busy.id, busy.full_name, idle.id, idle.full_name)


@pytest.fixture
def built(app, db_session) -> Built:
    return build_region(app)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr("portal.staff.region_views.utcnow", lambda: NOW)


def test_the_figures_count_working_days_with_bank_holidays(app, built):
    with app.app_context():
        region = db.session.get(Region, built.region_id)
        figures = region_figures.figures(db.session, region, NOW)
    assert figures.today == TODAY
    assert (figures.period.first, figures.period.last) == (date(2026, 12, 17), TODAY)
    assert figures.awaiting_triage == region_figures.AwaitingTriage(
        count=5, oldest_waited=23, by_wait=(1, 1, 2, 1)
    )
    loads = {officer.name: officer for officer in figures.officers}
    busy = loads["Busy Officer"]
    assert (busy.active, busy.waiting_for_first_contact, busy.overdue) == (4, 3, 1)
    assert busy.last_seen_at == at(date(2027, 1, 12), 16, 45)
    idle = loads["Idle Officer"]
    assert (idle.active, idle.waiting_for_first_contact, idle.overdue) == (1, 0, 0)
    assert idle.last_seen_at is None
    unassigned = loads[None]
    assert (unassigned.active, unassigned.waiting_for_first_contact, unassigned.overdue) == (
        1,
        1,
        1,
    )
    assert figures.first_contacts == region_figures.FirstContacts(within_target=2, later=1)
    assert figures.told_of_stages == region_figures.ToldOfStages(
        within_1=3, within_2_to_5=1, later=1, not_sent=1
    )


def test_today_is_the_day_in_london(app, built):
    """At 23:30 UTC on 13 January it is still the 13th in London, so nothing moves; at
    00:30 UTC on the 14th the waits have grown by a working day."""
    with app.app_context():
        region = db.session.get(Region, built.region_id)
        late = region_figures.figures(db.session, region, datetime(2027, 1, 13, 23, 30, tzinfo=UTC))
        next_day = region_figures.figures(
            db.session, region, datetime(2027, 1, 14, 0, 30, tzinfo=UTC)
        )
    assert late.today == TODAY and late.awaiting_triage.oldest_waited == 23
    assert next_day.today == TODAY + timedelta(days=1)
    assert next_day.awaiting_triage.oldest_waited == 24


def chart_numbers(page, chart_id: str) -> list[str]:
    svg = page.find("svg", attrs={"aria-labelledby": f"{chart_id}-title {chart_id}-desc"})
    assert svg is not None and svg["role"] == "img"
    assert svg.find("title", id=f"{chart_id}-title").get_text(strip=True)
    assert svg.find("desc", id=f"{chart_id}-desc").get_text(strip=True)
    texts = [text.get_text() for text in svg.find_all("text") if not text.has_attr("font-weight")]
    return texts


def table_numbers(page, table_id: str) -> list[str]:
    table = page.find("table", id=table_id)
    assert table.find("caption").get_text(strip=True)
    return [
        cell.get_text(strip=True) for cell in table.select("tbody td.govuk-table__cell--numeric")
    ]


def test_the_manager_sees_their_region_in_charts_and_tables(app, client, pages, built, fixed_clock):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=built.region_id)
    page = pages.get("/staff/region")
    assert page.find("h1").get_text(strip=True) == "How the region is doing"
    assert "Aaa Test Region" in page.select_one(".govuk-caption-l").get_text()
    main = " ".join(page.find(id="main-content").get_text(" ").split())
    assert "Today is 13 January 2027" in main
    assert "17 December 2026 to 13 January 2027" in main
    assert "5 registrations are awaiting triage. The oldest has waited 23 working days." in main
    assert page.find("select") is None  # a manager sees only their own region

    # Each chart writes the same numbers as its table (the table adds a total row).
    assert chart_numbers(page, "triage-chart") == ["1", "1", "2", "1"]
    assert table_numbers(page, "triage-table") == ["1", "1", "2", "1", "5"]
    assert chart_numbers(page, "first-contacts-chart") == ["2", "1"]
    assert table_numbers(page, "first-contacts-table") == ["2", "1", "3"]
    assert chart_numbers(page, "told-chart") == ["3", "1", "1", "1"]
    assert table_numbers(page, "told-table") == ["3", "1", "1", "1", "6"]
    desc = page.find("desc", id="told-chart-desc").get_text()
    assert "Within 1 working day: 3" in desc and "Not sent yet: 1" in desc

    # Cases per officer: the chart's words and the table's cells agree, officer by officer.
    rows = page.select("#officers-table tbody tr")
    table = {
        row.find("th").find(string=True, recursive=True).strip(): [
            cell.get_text(strip=True) for cell in row.find_all("td")
        ]
        for row in rows
    }
    assert table["Busy Officer"][:3] == ["4", "3", "1"]
    assert table["Busy Officer"][3] == "12 January 2027 at 16:45"
    assert table["Idle Officer"] == ["1", "0", "0", "Not signed in yet"]
    assert table["Not assigned to an officer"][:3] == ["1", "1", "1"]
    chart_texts = chart_numbers(page, "officer-cases-chart")
    assert chart_texts[:3] == ["Active: 4", "Waiting for first contact: 3", "Overdue: 1"]
    labels = [
        text.get_text()
        for text in page.select("svg[aria-labelledby^=officer-cases-chart] text[font-weight]")
    ]
    assert labels[:2] == ["Busy Officer", "Idle Officer"]
    # Each officer's name leads to their audit trail.
    link = page.find("a", string="Busy Officer")
    assert link["href"] == f"/staff/officers/{built.busy_officer_id}/audit"


def test_the_page_is_in_welsh_with_welsh_dates(app, client, pages, built, fixed_clock):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=built.region_id)
    page = pages.get("/staff/region?lang=cy")
    assert page.find("html")["lang"] == "cy"
    main = " ".join(page.find(id="main-content").get_text(" ").split())
    assert "13 Ionawr 2027" in main and "January" not in main
    assert table_numbers(page, "told-table") == ["3", "1", "1", "1", "6"]


def test_an_admin_chooses_any_region(app, client, pages, built, fixed_clock):
    signed_in_officer(client, role=OfficerRole.ADMIN)
    page = pages.get("/staff/region")
    select = page.find("select", attrs={"name": "region"})
    assert select is not None
    assert select.find("option", selected=True) is not None
    page = pages.get(f"/staff/region?region={built.region_code}")
    assert "Aaa Test Region" in page.select_one(".govuk-caption-l").get_text()
    assert select_value(page) == built.region_code
    assert table_numbers(page, "triage-table") == ["1", "1", "2", "1", "5"]
    assert client.get("/staff/region?region=no-such-region").status_code == 404
    assert client.get("/staff/region?region=").status_code == 404


def select_value(page) -> str:
    return page.find("select", attrs={"name": "region"}).find("option", selected=True)["value"]


def test_a_manager_cannot_see_another_region(app, client, built):
    with app.app_context():
        other = RegionFactory()
        db.session.commit()
        other_code = other.code
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=built.region_id)
    assert client.get(f"/staff/region?region={other_code}").status_code == 404
    assert client.get(f"/staff/region?region={built.region_code}").status_code == 200


def test_a_vlo_may_not_open_the_page(app, client, built):
    signed_in_officer(client, role=OfficerRole.VLO, region_id=built.region_id)
    assert client.get("/staff/region").status_code == 403


def test_the_navigation_shows_your_region_to_managers_only(app, client, pages, built):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=built.region_id)
    navigation = pages.get("/staff").select(".govuk-service-navigation__list a")
    assert "/staff/region" in [link["href"] for link in navigation]
    other = app.test_client()
    signed_in_officer(other, role=OfficerRole.VLO, region_id=built.region_id)
    navigation = pages.check(other.get("/staff"), 200).select(".govuk-service-navigation__list a")
    assert "/staff/region" not in [link["href"] for link in navigation]


def add_cases(app, region_id: int, officer_id: int, count: int) -> None:
    """`count` cases in every state, each with a stage told by notification, in bulk."""
    with app.app_context():
        victim = Victim(full_name="Bulk Victim")
        db.session.add(victim)
        db.session.flush()
        statuses = [CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.CLOSED]
        first = (
            db.session.execute(
                insert(Case).returning(Case.id),
                [
                    {
                        "reference": f"VCS-BULK-{uuid.uuid4().hex[:10]}",
                        "victim_id": victim.id,
                        "region_id": region_id,
                        "officer_id": officer_id if n % 3 else None,
                        "status": statuses[n % 3],
                        "offender_name": "Bulk Offender",
                        "offence_type": "violent",
                        "clock_started_on": TODAY - timedelta(days=n % 60),
                        "first_contact_on": TODAY - timedelta(days=n % 20) if n % 2 else None,
                    }
                    for n in range(count)
                ],
            )
            .scalars()
            .all()
        )
        notifications = [str(uuid.uuid4()) for _ in first]
        db.session.execute(
            insert(OutboxNotification),
            [
                {
                    "id": notification,
                    "victim_id": victim.id,
                    "recipient": "bulk@example.com",
                    "channel": "email",
                    "template_key": "new_stage",
                    "language": "en",
                    "personalisation": {},
                    "status": NotificationStatus.SENT,
                    "sent_at": NOW - timedelta(days=n % 10),
                }
                for n, notification in enumerate(notifications)
            ],
        )
        db.session.execute(
            insert(TimelineEvent),
            [
                {
                    "case_id": case_id,
                    "kind": TimelineEventKind.STAGE,
                    "stage": "custody",
                    "occurred_on": TODAY,
                    "summary": "Bulk stage.",
                    "language": "en",
                    "notification_id": notification,
                    "created_at": NOW - timedelta(days=n % 30),
                }
                for n, (case_id, notification) in enumerate(zip(first, notifications, strict=True))
            ],
        )
        region = db.session.get(Region, region_id)
        for n in range(count // 100 + 1):
            OfficerFactory(region=region, full_name=f"Bulk Officer {n}")
        db.session.commit()


def test_the_page_sends_the_same_statements_for_10_cases_as_for_2000(app, client, db_session):
    with app.app_context():
        small, large = RegionFactory(), RegionFactory()
        small_officer, large_officer = OfficerFactory(region=small), OfficerFactory(region=large)
        db.session.commit()
        ids = (small.id, small.code, small_officer.id, large.id, large.code, large_officer.id)
    add_cases(app, ids[0], ids[2], 10)
    add_cases(app, ids[3], ids[5], 2000)
    signed_in_officer(client, role=OfficerRole.ADMIN)
    client.get("/staff/region")  # the first request warms the session's caches

    def count(code):
        app.extensions.pop("region_figures", None)  # counted afresh, not the kept figures
        return queries(app, lambda: client.get(f"/staff/region?region={code}"))

    assert count(ids[1]) == count(ids[4])


def test_the_figures_are_counted_again_after_five_minutes(app, client, pages, built, monkeypatch):
    """Counting takes 100 ms or more at national scale: each region's figures are kept for
    5 minutes (on a new day at once), and the page says when they were counted."""
    now = [NOW]
    monkeypatch.setattr("portal.staff.region_views.utcnow", lambda: now[0])
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=built.region_id)

    def shown():
        page = pages.get("/staff/region")
        main = " ".join(page.find(id="main-content").get_text(" ").split())
        waiting = main.split(" registrations are awaiting triage.")[0].split()[-1]
        counted = page.find(id="figures-counted").get_text(" ", strip=True)
        return waiting, counted

    assert shown() == (
        "5",
        "These figures were counted at 12:00. They are counted again every 5 minutes.",
    )
    with app.app_context():
        CaseFactory(region_id=built.region_id, status=CaseStatus.TRIAGE, clock_started_on=TODAY)
        db.session.commit()
    now[0] = NOW + timedelta(minutes=4, seconds=59)
    kept = queries(app, lambda: client.get("/staff/region"))
    assert shown()[0] == "5"
    now[0] = NOW + timedelta(minutes=5)
    counted = queries(app, lambda: client.get("/staff/region"))
    assert shown() == (
        "6",
        "These figures were counted at 12:05. They are counted again every 5 minutes.",
    )
    assert counted - kept == 5  # the statements that count (region_figures.figures)

    # Another region's figures are its own; a new day counts again at once.
    with app.app_context():
        CaseFactory(region_id=built.region_id, status=CaseStatus.TRIAGE, clock_started_on=TODAY)
        db.session.commit()
    now[0] = datetime(2027, 1, 14, 0, 1, tzinfo=UTC)
    assert shown()[0] == "7"


def test_the_time_they_were_counted_is_in_welsh(app, client, pages, built, fixed_clock):
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=built.region_id)
    page = pages.get("/staff/region?lang=cy")
    assert page.find(id="figures-counted").get_text(" ", strip=True) == (
        "Cafodd y ffigurau hyn eu cyfrif am 12:00. Maen nhw’n cael eu cyfrif eto bob 5 munud."
    )
