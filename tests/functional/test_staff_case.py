"""A case's summary and timeline in the console (staff.case): what an officer sees, in
English and Welsh, with the victim's language on every page; queries that do not grow
with the timeline; nothing written by a plain GET."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    DatePrecision,
    Language,
    OfficerRole,
    SentenceStage,
    TimelineEventKind,
)
from tests.support.case_pages import (
    ENVELOPE_NAME,
    HANDOVER_NOTE,
    HIDDEN_SUMMARY,
    INTERNAL_NOTE,
    OFFENDER_NAME,
    SAFE_EMAIL,
    UNSAFE_EMAIL,
    VICTIM_NAME,
    full_case,
)
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    RegionFactory,
    TimelineEventFactory,
    VictimFactory,
)
from tests.support.queries import queries, statements
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in


@pytest.fixture
def full(app, db_session):
    return full_case(app)


@pytest.fixture
def officer_id(client, full):
    return signed_in_officer(client, region_id=full.region_id)


def text(page) -> str:
    """What the main content says, spaces squashed (tags add none of their own)."""
    return " ".join(page.find(id="main-content").get_text().split())


def test_the_identity_bar_names_the_victim_the_case_and_their_language(pages, full, officer_id):
    page = pages.get(f"/staff/cases/{full.case_id}")
    bar = page.select_one(".moj-identity-bar")
    assert VICTIM_NAME in bar.get_text()
    assert full.reference in bar.get_text()
    assert "Welsh" in bar.select_one("#victim-language").get_text()
    assert "Active" in bar.get_text()
    assert page.title.get_text(strip=True).startswith("Summary and timeline")
    assert full.reference not in page.title.get_text()  # no case detail in the history


def test_in_welsh_the_language_is_named_in_welsh_and_the_court_and_month_too(
    pages, full, officer_id
):
    page = pages.get(f"/staff/cases/{full.case_id}?lang=cy")
    assert page.find("html")["lang"] == "cy"
    assert page.select_one("#victim-language").get_text(" ", strip=True).endswith("Cymraeg")
    body = text(page)
    assert "Llys y Goron Caerdydd" in body
    assert "Mai 2023" in body  # the month of sentence, through Babel
    assert "Hydref 2026" in body  # a stage told as a month
    assert "Gan" in page.select_one(".moj-timeline__byline").get_text()  # MOJ's "by"


def test_the_summary_shows_the_victim_the_offender_and_how_they_joined(pages, full, officer_id):
    body = text(pages.get(f"/staff/cases/{full.case_id}"))
    for expected in (
        "A parent or guardian of a child victim (Mam)",
        "Mererid Prydderch",
        "17 May 2009",
        "Large print letters, please.",
        OFFENDER_NAME,
        "A violent crime",
        "Cardiff Crown Court",
        "May 2023",
        "Six years in custody",
        "CPS-12345",
        "Parole review",
        "Every stage of the sentence",
        "Referred by Uned Gofal Tystion De Cymru on 30 May 2023",
        "Alys Swyddog",
    ):
        assert expected in body, expected


def test_the_contact_panel_says_in_words_which_details_are_not_safe(pages, full, officer_id):
    page = pages.get(f"/staff/cases/{full.case_id}")
    panel = page.select_one(".app-contact-panel")
    rows = {
        row.select_one(".govuk-summary-list__value")
        .select_one("[data-i18n-data]")
        .get_text("\n", strip=True): " ".join(row.get_text(" ").split())
        for row in panel.select(".govuk-summary-list__row")
    }
    assert "Not safe: do not use" in rows[UNSAFE_EMAIL]
    assert "Safe to use" in rows[SAFE_EMAIL]
    assert "Safe times: From 09:00 to 17:00" in rows["+447700900555"]
    phone = rows["+442920000111"]
    assert "Do not leave a voicemail" in phone and "From 18:00 to 20:30" in phone
    letter = next(value for key, value in rows.items() if key.startswith("1 Heol y Prawf"))
    assert f"Do not put this name on the envelope: {ENVELOPE_NAME}" in letter
    assert "Write and speak to them in Welsh." in panel.get_text()
    assert "Do not use a detail marked not safe" in panel.get_text()


def test_the_clock_counts_working_days_until_first_contact(app, pages, full, officer_id):
    body = text(pages.get(f"/staff/cases/{full.case_id}"))
    assert "Overdue" in body and "It was due by 27 June 2023." in body
    with app.app_context():
        db.session.get(Case, full.case_id).first_contact_on = date(2023, 6, 12)
        db.session.commit()
    body = text(pages.get(f"/staff/cases/{full.case_id}"))
    assert "First contact made on 12 June 2023." in body
    assert "That was 9 working days after the clock started." in body
    assert "Within the target" in body


def test_the_timeline_shows_everything_staff_see_newest_first(pages, full, officer_id):
    page = pages.get(f"/staff/cases/{full.case_id}")
    items = page.select(".moj-timeline__item")
    dates = [item.select_one("time")["datetime"] for item in items]
    assert dates == sorted(dates, reverse=True)
    titles = [
        " ".join(item.select_one(".moj-timeline__title").get_text().split()) for item in items
    ]
    assert titles[0] == "Sentence event: Parole review"
    assert "Handover to a new officer" in titles
    assert "Letter from the victim" in titles
    assert "Meeting the victim asked for" in titles
    assert "Phone call to the victim" in titles
    assert "Triage decision" in titles
    first = " ".join(items[0].get_text(" ").split())
    assert dates[0] == "2026-10"  # told as a month: no day in the machine-readable date either
    assert "October 2026" in first
    assert "By Alys Swyddog" in first
    assert "For the victim, written in Welsh:" in first
    assert items[0].select_one(".app-entry__summary")["lang"] == "cy"
    assert "Note for staff. Only staff can see this." in first and INTERNAL_NOTE in first
    assert "The victim was told there is an update, by email." in first
    handover = next(i for i in items if "Handover" in i.get_text())
    assert "Hidden from the victim" in handover.get_text() and HANDOVER_NOTE in handover.get_text()
    assert "Show to the victim" not in handover.get_text()  # a handover note never can be
    letter = next(i for i in items if HIDDEN_SUMMARY in i.get_text())
    assert "Hidden from the victim" in letter.get_text()
    assert "Show to the victim" in letter.get_text()
    assert "Recorded by the service." in page.get_text()


def test_the_forms_say_which_language_to_write_in(pages, full, officer_id):
    page = pages.get(f"/staff/cases/{full.case_id}")
    for form_id in ("add-stage", "record-contact"):
        form = page.find(id=form_id)
        assert "Write this in Welsh: the victim chose Welsh." in form.get_text()
        summary = form.find("textarea", attrs={"name": lambda name: name.endswith("-summary")})
        assert summary["lang"] == "cy"


def another_region(app) -> int:
    with app.app_context():
        region = RegionFactory()
        db.session.commit()
        return region.id


def test_another_regions_case_is_not_found(app, client, pages, full):
    signed_in_officer(client, region_id=another_region(app))
    pages.get(f"/staff/cases/{full.case_id}", status=404)


def test_an_admin_sees_every_region_and_the_national_queue(app, client, pages, full):
    signed_in_officer(client, role=OfficerRole.ADMIN)
    pages.get(f"/staff/cases/{full.case_id}")
    with app.app_context():
        queued = CaseFactory(region=None)
        db.session.commit()
        queued_id = queued.id
    body = text(pages.get(f"/staff/cases/{queued_id}"))
    assert "The national queue: the court is not known" in body
    assert "Not assigned yet" in body


def test_a_closed_case_offers_no_forms(app, pages, client, db_session):
    built = full_case(app, case_id=900009, status=CaseStatus.CLOSED)
    signed_in_officer(client, region_id=built.region_id)
    page = pages.get(f"/staff/cases/{built.case_id}")
    assert page.find(id="add-stage") is None and page.find(id="record-contact") is None
    assert "This case is closed, so its timeline cannot change." in text(page)
    assert "Hide from the victim" not in text(page)


def test_htmx_gets_the_page_alone_and_the_address_follows(client, full, officer_id):
    url = f"/staff/cases/{full.case_id}"
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert "HX-Request" in response.vary
    assert response.headers["HX-Push-Url"] == url
    whole = client.get(url)
    assert "<html" in whole.get_data(as_text=True) and "HX-Request" in whole.vary


def _many_entries(app, case_id: int, officer_id: int, count: int) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        for n in range(count):
            TimelineEventFactory(
                case=case,
                kind=TimelineEventKind.CALL,
                stage=None,
                occurred_on=date(2020, 1, 1),
                summary=f"Entry {n}",
                internal_note=f"Note {n}",
                recorded_by_id=officer_id,
                language=Language.WELSH,
            )
        db.session.commit()


def test_the_page_sends_the_same_queries_however_long_the_timeline(app, client, db_session):
    small = full_case(app, case_id=900011)
    large = full_case(app, case_id=900012, region_id=small.region_id)
    signed_in_officer(client, region_id=small.region_id)
    _many_entries(app, small.case_id, small.officer_id, 10)
    _many_entries(app, large.case_id, large.officer_id, 500)
    client.get(f"/staff/cases/{small.case_id}")  # warm up: the session's first touch
    few = queries(app, lambda: client.get(f"/staff/cases/{small.case_id}"))
    many = queries(app, lambda: client.get(f"/staff/cases/{large.case_id}"))
    assert few == many
    # A page of the timeline at a time (tests/functional/test_staff_timeline_pages.py).
    page = client.get(f"/staff/cases/{large.case_id}").get_data(as_text=True)
    assert page.count('class="moj-timeline__item') == 25
    assert "Showing entries 1 to 25 of 508." in page  # the case's own 8, and 500


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_a_plain_get_writes_only_the_audit_and_the_session(app, client, full, officer_id):
    with statements(app) as seen:
        client.get(f"/staff/cases/{full.case_id}")
    writes = [s for s in seen if s.split()[0].upper() in WRITES]
    assert writes, "the audit is written"
    assert all(("audit_events" in s) or ("staff_sessions" in s) for s in writes), writes


def test_the_victims_page_shows_meetings_and_triage_in_both_languages(app, client, db_session):
    victim_case = full_case(app, case_id=900021)
    with app.app_context():
        victim = db.session.get(Case, victim_case.case_id).victim
        email = next(
            p.value for p in victim.contact_preferences if p.is_safe and p.channel == Channel.EMAIL
        )
    signed_in(client, email)
    english = client.get("/account?lang=en").get_data(as_text=True)
    welsh = client.get("/account?lang=cy").get_data(as_text=True)
    assert "Meeting" in english and "Your request to join" in english
    assert "Cyfarfod" in welsh and "Eich cais i ymuno" in welsh
    for page in (english, welsh):
        assert INTERNAL_NOTE not in page and HANDOVER_NOTE not in page
        assert HIDDEN_SUMMARY not in page  # hidden from the victim


def test_a_handover_note_never_reaches_the_victim_even_if_marked_visible(app, client, db_session):
    with app.app_context():
        victim = VictimFactory(language=Language.ENGLISH)
        ContactPreferenceFactory(victim=victim, value="handover.victim@example.com")
        case = CaseFactory(assigned=True, victim=victim)
        TimelineEventFactory(
            case=case,
            kind=TimelineEventKind.HANDOVER,
            stage=None,
            summary="Handover words the victim must not see.",
            visible_to_victim=True,
        )
        TimelineEventFactory(
            case=case,
            kind=TimelineEventKind.STAGE,
            stage=SentenceStage.CUSTODY,
            summary="Seen by the victim.",
            internal_note="Internal words the victim must not see.",
            precision=DatePrecision.DAY,
        )
        db.session.commit()
    signed_in(client, "handover.victim@example.com")
    page = client.get("/account").get_data(as_text=True)
    assert "Seen by the victim." in page
    assert "Handover words" not in page and "Internal words" not in page
