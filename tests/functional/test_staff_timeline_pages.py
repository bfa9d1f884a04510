"""A case's timeline in the console, a page at a time (portal.services.timeline_pages):
25 entries a page, newest first, events and messages merged across the pages exactly as
the whole list would be; the filter and the pages together; a page after the last shows
the last; after writing an entry dated long ago, the page that holds it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from portal.extensions import db
from portal.models import CaseStatus, Sender, TimelineEventKind
from portal.services.timeline_pages import PER_PAGE
from tests.support.factories import (
    CaseFactory,
    MessageFactory,
    RegionFactory,
    TimelineEventFactory,
)
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database

#: 40 events a day apart from 1 March 2025 (every third a call, all written in June) and
#: 30 messages written on those days: the two kinds interleave.
EVENTS, MESSAGES = 40, 30
START = date(2025, 3, 1)


def build(app) -> tuple[int, int, list[str]]:
    """The case, its region, and every entry's element id, newest first (worked out here
    from the dates, not by the code under test)."""
    with app.app_context():
        region = RegionFactory()
        case = CaseFactory(region=region, status=CaseStatus.ACTIVE)
        ordered: list[tuple[tuple, str]] = []
        for n in range(EVENTS):
            day = START + timedelta(days=n)
            written = datetime(2025, 6, 1, 9, tzinfo=UTC) + timedelta(minutes=n)
            event = TimelineEventFactory(
                case=case,
                kind=TimelineEventKind.CALL if n % 3 == 0 else TimelineEventKind.STAGE,
                occurred_on=day,
                created_at=written,
                visible_to_victim=True,
            )
            db.session.flush()
            ordered.append(((day, written, 1, event.id), f"entry-{event.id}"))
        for n in range(MESSAGES):
            day = START + timedelta(days=n)
            written = datetime(day.year, day.month, day.day, 11, 30, tzinfo=UTC)
            message = MessageFactory(
                case=case, sender=Sender.VICTIM if n % 2 else Sender.OFFICER, created_at=written
            )
            db.session.flush()
            key = (written.date(), written, 0, message.id)
            ordered.append((key, f"message-entry-{message.id}"))
        db.session.commit()
        newest_first = [element for _key, element in sorted(ordered, reverse=True)]
        return case.id, region.id, newest_first


@pytest.fixture
def built(app, db_session):
    return build(app)


def shown(client, address: str) -> tuple[BeautifulSoup, list[str]]:
    response = client.get(address)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    timeline = page.find(id="timeline-entries")
    return page, [item["id"] for item in timeline.select(".moj-timeline__item")]


def test_the_timeline_is_shown_25_entries_a_page_in_the_order_of_the_whole(app, client, built):
    case_id, region_id, newest_first = built
    signed_in_officer(client, region_id=region_id)
    total = EVENTS + MESSAGES
    seen = []
    for number in (1, 2, 3):
        page, items = shown(client, f"/staff/cases/{case_id}?page={number}")
        seen += items
        first = (number - 1) * PER_PAGE + 1
        last = min(number * PER_PAGE, total)
        assert page.find(id="timeline-range").get_text(strip=True) == (
            f"Showing entries {first} to {last} of {total}."
        )
        assert page.find(id="timeline-status").get_text(strip=True) == (
            f"Showing entries {first} to {last} of {total}."
        )
        nav = page.find("nav", attrs={"aria-label": "Pages of the timeline"})
        current = nav.find("a", attrs={"aria-current": "page"})
        assert current.get_text(strip=True) == str(number)
    assert seen == newest_first

    # Each page's links keep to the timeline; a page after the last is the last.
    page, items = shown(client, f"/staff/cases/{case_id}")
    assert items == newest_first[:PER_PAGE]
    nav = page.find("nav", attrs={"aria-label": "Pages of the timeline"})
    assert nav.find("a", rel="next")["href"] == (
        f"/staff/cases/{case_id}?page=2#timeline-entries-heading"
    )
    assert shown(client, f"/staff/cases/{case_id}?page=99")[1] == newest_first[2 * PER_PAGE :]
    for nonsense in ("0", "-1", "two", "9" * 30):
        assert shown(client, f"/staff/cases/{case_id}?page={nonsense}")[1] == items


def test_the_filter_and_the_pages_go_together(app, client, built):
    case_id, region_id, _newest_first = built
    signed_in_officer(client, region_id=region_id)
    stages = EVENTS - (EVENTS + 2) // 3  # every third event is a call
    page, items = shown(client, f"/staff/cases/{case_id}?show=stages&page=2")
    assert len(items) == stages - PER_PAGE
    assert all(item.startswith("entry-") for item in items)
    assert page.find(id="timeline-range").get_text(strip=True) == (
        f"Showing entries {PER_PAGE + 1} to {stages} of {stages}."
    )
    nav = page.find("nav", attrs={"aria-label": "Pages of the timeline"})
    assert nav.find("a", rel="prev")["href"] == (
        f"/staff/cases/{case_id}?show=stages&page=1#timeline-entries-heading"
    )
    # Few enough for one page: no pages, and the count as before.
    page, items = shown(client, f"/staff/cases/{case_id}?show=contacts")
    assert len(items) == (EVENTS + 2) // 3
    assert page.find("nav", attrs={"aria-label": "Pages of the timeline"}) is None
    assert page.find(id="timeline-range") is None
    assert page.find(id="timeline-status").get_text(strip=True) == f"{len(items)} entries shown"


def test_after_writing_an_entry_dated_long_ago_the_page_holding_it_is_shown(app, client, built):
    case_id, region_id, newest_first = built
    signed_in_officer(client, region_id=region_id)
    oldest = [element for element in newest_first if element.startswith("entry-")][-1]
    event_id = int(oldest.removeprefix("entry-"))
    page, items = shown(client, f"/staff/cases/{case_id}?added={event_id}")
    assert oldest in items and items == newest_first[2 * PER_PAGE :]
    entry = page.find(id=oldest)
    assert "New" in entry.find(class_="moj-timeline__title").get_text()
    link = page.find(id="case-outcome").find("a", string="Go to the entry on the timeline")
    assert link["href"] == f"#{oldest}"
    # A page asked for is the page shown.
    assert (
        shown(client, f"/staff/cases/{case_id}?added={event_id}&page=1")[1]
        == (newest_first[:PER_PAGE])
    )


def test_the_pages_are_in_welsh(app, client, built):
    case_id, region_id, _newest_first = built
    signed_in_officer(client, region_id=region_id)
    page, _items = shown(client, f"/staff/cases/{case_id}?page=2&lang=cy")
    assert page.find(id="timeline-range").get_text(strip=True) == (
        "Yn dangos cofnodion 26 i 50 o 70."
    )
    assert page.find("nav", attrs={"aria-label": "Tudalennau’r llinell amser"}) is not None


@pytest.mark.parametrize("value", ["²", "³³", "%C2%B2", "2147483648", "99999999999", "١"])
def test_odd_numbers_for_a_page_or_an_entry_are_ignored_never_a_500(app, client, built, value):
    """Found by an outside review: "²" is a digit to str.isdigit but not to int(), and an
    id past PostgreSQL's integer was sent to the database."""
    case_id, region_id, newest_first = built
    signed_in_officer(client, region_id=region_id)
    for name in ("page", "added", "hidden", "shown"):
        assert (
            shown(client, f"/staff/cases/{case_id}?{name}={value}")[1] == (newest_first[:PER_PAGE])
        )


def test_the_pages_stop_at_the_most_a_timeline_is_shown_in(app, client, built, monkeypatch):
    """Past MOST_PAGES the pagination ends there: no "Next" that shows the same page."""
    monkeypatch.setattr("portal.services.timeline_pages.MOST_PAGES", 2)
    case_id, region_id, newest_first = built
    signed_in_officer(client, region_id=region_id)
    page, items = shown(client, f"/staff/cases/{case_id}?page=3")
    assert items == newest_first[PER_PAGE : 2 * PER_PAGE]
    nav = page.find("nav", attrs={"aria-label": "Pages of the timeline"})
    assert nav.find("a", rel="next") is None
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "2"
