"""What needs you first (/staff): registrations to triage in the officer's region (and the
national queue for an admin), possible duplicates, the cases waiting for the officer's
first contact, their victims' requests waiting for a first step and victims who asked to
come back, each with its wait in working days, overdue ones first, one query a list."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from portal.demo_console import working_days_before
from portal.domain.contact_times import LONDON
from portal.extensions import db
from portal.models import (
    CaseStatus,
    OfficerRole,
    Region,
    RequestKind,
    RequestStatus,
    VictimLiaisonOfficer,
)
from portal.services import messages, queues
from tests.support.bulk import bulk_asks, bulk_cases
from tests.support.factories import (
    CaseFactory,
    MessageFactory,
    OfficerFactory,
    RegionFactory,
    VictimFactory,
    VictimRequestFactory,
)
from tests.support.queries import queries
from tests.support.staff_state import signed_in_officer
from tests.support.triage import add_registration

pytestmark = pytest.mark.database


def rows(page, table_id: str) -> list[list[str]]:
    table = page.find(id=table_id)
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find("tbody").find_all("tr")
    ]


def heading(page, list_id: str) -> str:
    return page.find(id=f"{list_id}-heading").get_text(strip=True)


@pytest.fixture(autouse=True)
def one_day(monkeypatch) -> None:
    """The app's day (London's) taken once: the cases are dated from it and the page counts
    their waits to it. A test's own `date.today()` is UTC's, a day behind London's from
    23:00 to midnight UTC in summer, and midnight may pass between the two."""
    day, real = queues.today_in_england(), queues.today_in_england
    monkeypatch.setattr(queues, "today_in_england", lambda now=None: real(now) if now else day)


def today() -> date:
    """The app's day, pinned for the test by `one_day`."""
    return queues.today_in_england()


@pytest.fixture
def region(app, db_session):
    with app.app_context():
        region = RegionFactory()
        db.session.commit()
        return region.id


def test_new_registrations_in_the_region_longest_wait_first_overdue_marked(
    app, client, pages, region
):
    officer_id = signed_in_officer(client, region_id=region)
    with app.app_context():
        recent = add_registration(db.session, region_id=region, clock_started_on=today())
        overdue = add_registration(
            db.session, region_id=region, clock_started_on=today() - timedelta(days=60)
        )
        middle = add_registration(
            db.session, region_id=region, clock_started_on=today() - timedelta(days=10)
        )
        elsewhere = add_registration(db.session, region_id=RegionFactory().id)
        national = add_registration(db.session, region_id=None)
        db.session.commit()
        assert db.session.get(VictimLiaisonOfficer, officer_id).region_id == region
    page = pages.get("/staff")
    assert page.find("h1").get_text(strip=True) == "What needs you first"
    assert heading(page, "to-triage") == "New registrations to triage (3)"
    found = rows(page, "to-triage")
    assert [row[0] for row in found] == [overdue.reference, middle.reference, recent.reference]
    assert "Overdue" in found[0][2] and "Overdue" not in found[1][2]
    assert found[0][1] == overdue.victim_name
    assert found[2][2] == "0 working days"
    assert found[0][3].startswith("Was due") and found[2][3].startswith("Due")
    # The overdue marker is words in an MOJ badge, not colour alone.
    badge = page.find(id="to-triage").find(class_="moj-badge")
    assert badge.get_text(strip=True) == "Overdue"
    links = [a["href"] for a in page.find(id="to-triage").find_all("a")]
    assert links == [f"/staff/cases/{c.case_id}/triage" for c in (overdue, middle, recent)]
    text = page.get_text()
    assert elsewhere.reference not in text and national.reference not in text


def test_an_admin_also_sees_the_national_queue(app, client, pages, region):
    signed_in_officer(client, region_id=region, role=OfficerRole.ADMIN)
    with app.app_context():
        national = add_registration(db.session, region_id=None)
        mine = add_registration(db.session, region_id=region)
        elsewhere = add_registration(db.session, region_id=RegionFactory().id)
        db.session.commit()
    page = pages.get("/staff")
    found = rows(page, "to-triage")
    references = [row[0].split(" ")[0] for row in found]
    assert national.reference in references and mine.reference in references
    assert elsewhere.reference not in references
    national_row = next(row for row in found if row[0].startswith(national.reference))
    assert "National queue" in national_row[0]


def test_a_vlo_does_not_see_the_national_queue(app, client, pages, region):
    signed_in_officer(client, region_id=region)
    with app.app_context():
        national = add_registration(db.session, region_id=None)
        db.session.commit()
    page = pages.get("/staff")
    assert national.reference not in page.get_text()


def test_possible_duplicates_are_a_list_of_their_own(app, client, pages, region):
    signed_in_officer(client, region_id=region)
    with app.app_context():
        existing = CaseFactory(assigned=True, region=db.session.get(Region, region))
        existing.officer.region_id = region
        flagged = add_registration(
            db.session, region_id=region, possible_duplicate_of_id=existing.id
        )
        plain = add_registration(db.session, region_id=region)
        db.session.commit()
        existing_reference = existing.reference
    page = pages.get("/staff")
    assert heading(page, "possible-duplicates") == "Possible duplicates (1)"
    (row,) = rows(page, "possible-duplicates")
    assert row[0] == flagged.reference and row[2] == existing_reference
    assert [r[0] for r in rows(page, "to-triage")] == [plain.reference]


def test_cases_waiting_for_the_officers_first_contact(app, client, pages, region):
    officer_id = signed_in_officer(client, region_id=region)
    with app.app_context():
        officer = db.session.get(VictimLiaisonOfficer, officer_id)
        waiting = CaseFactory(
            status=CaseStatus.ACTIVE,
            officer=officer,
            region=officer.region,
            victim=VictimFactory(full_name="Waiting Victim"),
            clock_started_on=today() - timedelta(days=45),
        )
        contacted = CaseFactory(
            status=CaseStatus.ACTIVE,
            officer=officer,
            region=officer.region,
            first_contact_on=today(),
        )
        someone_elses = CaseFactory(assigned=True, region=officer.region)
        db.session.commit()
        expected = (waiting.reference, contacted.reference, someone_elses.reference)
    page = pages.get("/staff")
    assert heading(page, "waiting-for-contact") == "Waiting for you to make first contact (1)"
    (row,) = rows(page, "waiting-for-contact")
    assert row[0] == expected[0] and row[1] == "Waiting Victim" and "Overdue" in row[2]
    assert expected[1] not in page.get_text() and expected[2] not in page.get_text()


def test_empty_lists_say_so_in_words(client, pages, region):
    signed_in_officer(client, region_id=region)
    page = pages.get("/staff")
    assert heading(page, "to-triage") == "New registrations to triage (0)"
    assert page.find(id="to-triage-empty").get_text(strip=True) == (
        "There are no new registrations to triage."
    )
    assert page.find(id="possible-duplicates-empty")
    assert page.find(id="waiting-for-contact-empty").get_text(strip=True) == (
        "No cases are waiting for you to make first contact."
    )
    assert not page.find("table")


def test_a_long_list_shows_the_longest_waits_and_says_how_many_there_are(
    app, client, pages, region, monkeypatch
):
    signed_in_officer(client, region_id=region)
    monkeypatch.setattr(queues, "HOME_LIMIT", 3)
    with app.app_context():
        made = [
            add_registration(
                db.session, region_id=region, clock_started_on=today() - timedelta(days=n)
            )
            for n in range(5)
        ]
        db.session.commit()
    page = pages.get("/staff")
    assert heading(page, "to-triage") == "New registrations to triage (5)"
    assert [row[0] for row in rows(page, "to-triage")] == [r.reference for r in made[:1:-1]]
    assert "Showing the 3 that have waited longest, of 5." in page.get_text(" ", strip=True)


def test_the_recovery_codes_warning_stays(app, client, pages, region):
    signed_in_officer(client, region_id=region)
    page = pages.get("/staff")
    assert "You have 0 recovery codes left" in page.find(id="recovery-codes-left").get_text()


def test_the_queries_do_not_grow_with_the_cases(app, client, region):
    officer_id = signed_in_officer(client, region_id=region)

    def add(count: int) -> None:
        with app.app_context():
            officer = db.session.get(VictimLiaisonOfficer, officer_id)
            for n in range(count):
                existing = CaseFactory(status=CaseStatus.ACTIVE, region=officer.region)
                add_registration(db.session, region_id=region)
                add_registration(db.session, region_id=region, possible_duplicate_of_id=existing.id)
                CaseFactory(
                    status=CaseStatus.ACTIVE,
                    officer=officer,
                    region=officer.region,
                    clock_started_on=today() - timedelta(days=n),
                )
            db.session.commit()

    add(2)
    few = queries(app, lambda: client.get("/staff"))
    add(40)
    many = queries(app, lambda: client.get("/staff"))
    assert many == few


# --- what victims asked of the officer -------------------------------------------------------


def at_noon_working_days_ago(days: int) -> datetime:
    day = working_days_before(today(), days)
    return datetime.combine(day, time(12), tzinfo=LONDON)


def test_requests_waiting_for_the_officers_first_step_longest_first(app, client, pages, region):
    officer_id = signed_in_officer(client, region_id=region)
    with app.app_context():
        officer = db.session.get(VictimLiaisonOfficer, officer_id)
        mine = CaseFactory(
            status=CaseStatus.ACTIVE,
            officer=officer,
            region=officer.region,
            victim=VictimFactory(full_name="Asking Victim", language="cy"),
        )
        paused = CaseFactory(status=CaseStatus.PAUSED, officer=officer, region=officer.region)

        def sent(case, kind, days, status=RequestStatus.SENT):
            return VictimRequestFactory(
                case=case, kind=kind, status=status, sent_at=at_noon_working_days_ago(days)
            )

        overdue = sent(mine, RequestKind.LICENCE_CONDITIONS, 14)
        recent = sent(paused, RequestKind.DECISION_SUMMARY, 2)
        sent(mine, RequestKind.PERSONAL_STATEMENT, 20, RequestStatus.CONSIDERING)  # moved on
        sent(mine, RequestKind.PERSONAL_STATEMENT, 20, RequestStatus.RETURNED)  # the victim's
        VictimRequestFactory(case=mine, kind=RequestKind.DECISION_SUMMARY)  # a draft
        someone_elses = CaseFactory(assigned=True, region=officer.region)
        sent(someone_elses, RequestKind.LICENCE_CONDITIONS, 30)
        closed = CaseFactory(status=CaseStatus.CLOSED, officer=officer, region=officer.region)
        sent(closed, RequestKind.LICENCE_CONDITIONS, 30)
        db.session.commit()
        expected = [(mine.id, overdue.id, mine.reference), (paused.id, recent.id, paused.reference)]
    page = pages.get("/staff")
    assert heading(page, "requests-waiting") == "Requests waiting for you (2)"
    found = rows(page, "requests-waiting")
    assert [row[0] for row in found] == [
        f"{expected[0][2]} : Licence conditions request",
        f"{expected[1][2]} : Decision summary request",
    ]
    assert found[0][1] == "Asking Victim Reads Welsh"
    assert found[0][2] == "Licence conditions request"
    assert found[0][3] == "14 working days Overdue" and found[0][4].startswith("Was due")
    assert found[1][3] == "2 working days" and found[1][4].startswith("Due")
    links = [a["href"] for a in page.find(id="requests-waiting").find_all("a")]
    assert links == [f"/staff/cases/{case}/requests/{request}" for case, request, _ in expected]
    assert "within 10 working days of its being sent" in page.get_text(" ", strip=True)


def test_victims_who_asked_to_come_back(app, client, pages, region):
    officer_id = signed_in_officer(client, region_id=region)
    with app.app_context():
        officer = db.session.get(VictimLiaisonOfficer, officer_id)

        def left(officer=officer, asked_days=None, region=officer.region, **more):
            return CaseFactory(
                status=CaseStatus.CLOSED,
                officer=officer,
                region=region,
                left_at=at_noon_working_days_ago(40),
                come_back_asked_at=(
                    at_noon_working_days_ago(asked_days) if asked_days is not None else None
                ),
                **more,
            )

        long_ago = left(asked_days=12)
        lately = left(asked_days=1)
        before_triage = left(officer=None, asked_days=5)  # left while waiting for triage
        left()  # left, and has not asked
        left(officer=OfficerFactory(region=officer.region), asked_days=3)  # a colleague's
        left(officer=None, asked_days=3, region=RegionFactory())  # another region's triage
        CaseFactory(  # closed because the sentence ended: not someone who left
            status=CaseStatus.CLOSED,
            officer=officer,
            region=officer.region,
            come_back_asked_at=at_noon_working_days_ago(3),
        )
        db.session.commit()
        expected = [long_ago, before_triage, lately]
        expected = [(case.id, case.reference) for case in expected]
    page = pages.get("/staff")
    assert heading(page, "asked-to-come-back") == "Victims who asked to come back (3)"
    found = rows(page, "asked-to-come-back")
    assert [row[0] for row in found] == [reference for _, reference in expected]
    assert "Overdue" in found[0][2] and "Overdue" not in found[1][2]
    links = [a["href"] for a in page.find(id="asked-to-come-back").find_all("a")]
    assert links == [f"/staff/cases/{case_id}" for case_id, _ in expected]
    # The case page offers to bring them back.
    case_page = pages.get(links[0])
    assert case_page.find("a", href=f"/staff/cases/{expected[0][0]}/bring-back")


def test_empty_lists_of_what_victims_asked_say_so(client, pages, region):
    signed_in_officer(client, region_id=region)
    page = pages.get("/staff")
    assert page.find(id="requests-waiting-empty").get_text(strip=True) == (
        "No requests are waiting for you."
    )
    assert page.find(id="asked-to-come-back-empty").get_text(strip=True) == (
        "No victims are waiting to come back into the scheme."
    )


def test_the_lists_of_what_victims_asked_are_in_welsh(app, client, pages, region):
    officer_id = signed_in_officer(client, region_id=region)
    with app.app_context():
        officer = db.session.get(VictimLiaisonOfficer, officer_id)
        case = CaseFactory(status=CaseStatus.ACTIVE, officer=officer, region=officer.region)
        VictimRequestFactory(
            case=case,
            kind=RequestKind.PERSONAL_STATEMENT,
            status=RequestStatus.SENT,
            sent_at=at_noon_working_days_ago(12),
        )
        db.session.commit()
    page = pages.get("/staff?lang=cy")
    [row] = rows(page, "requests-waiting")
    assert row[2] == "Datganiad Personol Dioddefwr"
    assert row[3] == "12 diwrnod gwaith Yn hwyr"


def test_the_statements_stay_the_same_with_10_cases_or_many(app, client, region):
    """One statement a list: the same with 10 cases as with hundreds, every list full."""
    officer_id = signed_in_officer(client, region_id=region)

    def add(count: int, seed: int) -> None:
        with app.app_context():
            made = bulk_cases(
                db.session,
                count,
                region_ids=[region],
                officers={region: [officer_id]},
                officers_per_region=0,
                seed=seed,
            )
            bulk_asks(db.session, made, seed=seed)
            db.session.commit()

    add(10, seed=1)
    client.get("/staff")
    few = queries(app, lambda: client.get("/staff"))
    add(400, seed=2)
    many = queries(app, lambda: client.get("/staff"))
    assert many == few
    page = client.get("/staff").get_data(as_text=True)
    assert 'id="requests-waiting"' in page and 'id="asked-to-come-back"' in page


def test_each_list_counts_every_row_when_it_shows_only_some(app, region):
    """Each queue counts its total in the statement that reads its page (queues.queue_of):
    with a page of one, every total is what the whole list holds, from the same
    conditions (another region's and a colleague's rows left out of both), and the row
    shown is the whole list's first."""
    with app.app_context():
        officer = OfficerFactory(region=db.session.get(Region, region))
        colleague = OfficerFactory(region=officer.region)
        elsewhere = RegionFactory()
        for days in (30, 20, 10):
            add_registration(
                db.session,
                region_id=region,
                clock_started_on=queues.today_in_england() - timedelta(days=days),
            )
        add_registration(db.session, region_id=elsewhere.id)
        live = CaseFactory(assigned=True, region=officer.region)
        for days in (12, 4):
            add_registration(
                db.session,
                region_id=region,
                possible_duplicate_of_id=live.id,
                clock_started_on=queues.today_in_england() - timedelta(days=days),
            )
        add_registration(db.session, region_id=elsewhere.id, possible_duplicate_of_id=live.id)
        mine = [
            CaseFactory(
                status=CaseStatus.ACTIVE,
                officer=officer,
                region=officer.region,
                clock_started_on=queues.today_in_england() - timedelta(days=days),
            )
            for days in (40, 15)
        ]
        CaseFactory(status=CaseStatus.ACTIVE, officer=colleague, region=officer.region)
        for days in (9, 3):
            VictimRequestFactory(
                case=mine[0],
                kind=RequestKind.LICENCE_CONDITIONS,
                status=RequestStatus.SENT,
                sent_at=at_noon_working_days_ago(days),
            )
        for days in (8, 2):
            CaseFactory(
                status=CaseStatus.CLOSED,
                officer=officer,
                region=officer.region,
                left_at=at_noon_working_days_ago(40),
                come_back_asked_at=at_noon_working_days_ago(days),
            )
        for case in mine:
            MessageFactory(case=case)
        MessageFactory(case=CaseFactory(status=CaseStatus.ACTIVE, officer=colleague))
        db.session.commit()
        today = queues.today_in_england()
        expected = {
            queues.to_triage: 3,
            queues.possible_duplicates: 2,
            queues.waiting_for_contact: 2,
            queues.requests_waiting: 2,
            queues.asked_to_come_back: 2,
            messages.waiting_for_reply: 2,
        }
        for queue, total in expected.items():
            whole = queue(db.session, officer, today, limit=50)
            one = queue(db.session, officer, today, limit=1)
            assert (len(whole.rows), whole.total) == (total, total), queue.__name__
            assert (one.rows, one.total, one.truncated) == (whole.rows[:1], total, True), (
                queue.__name__
            )
