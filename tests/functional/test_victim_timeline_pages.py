"""A victim's timeline on their case page (/account), 25 entries a page
(portal.services.timeline_pages): every case on the page has its own pages, in the order
the whole timeline has (worked out here independently), with only what the victim may
see counted, in English and Welsh, in a fixed number of statements."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from portal.domain.contact_times import LONDON
from portal.domain.messages import Show
from portal.extensions import db
from portal.models import (
    Case,
    Permission,
    Sender,
    TimelineEventKind,
    VictimSession,
)
from portal.services import sign_in, victim_messages
from tests.support.conversations import two_cases
from tests.support.factories import MessageFactory, TimelineEventFactory
from tests.support.queries import queries
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

#: The first moment an entry was written (the rest follow it hours apart).
START = datetime(2025, 3, 28, 20, 30, tzinfo=UTC)


def fill(app, case_id: int, events: int, messages: int, seed: int) -> list[str]:
    """`events` entries the victim sees and `messages` messages on the case, with entries
    the victim never sees among them (hidden, a handover note); returns what the victim
    should see, newest first, worked out here: by day (a message's is its day in London,
    across the clock change at the end of March), then by when it was written."""
    shown = []
    with app.app_context():
        case = db.session.get(Case, case_id)
        for n in range(events):
            written = START + timedelta(hours=n * 7 + seed)
            # Dates out of step with when they were written: an entry recorded late.
            occurred = date(2025, 3, 1) + timedelta(days=(n * 5 + seed) % 40)
            summary = f"Case {case_id} event {n}."
            kind = (TimelineEventKind.STAGE, TimelineEventKind.CALL)[n % 2]
            TimelineEventFactory(
                case=case, kind=kind, occurred_on=occurred, summary=summary, created_at=written
            )
            shown.append(((occurred, written), summary))
        for n in range(messages):
            written = START + timedelta(hours=n * 11 + 3 + seed)
            body = f"Case {case_id} message {n}."
            sender = (Sender.VICTIM, Sender.OFFICER)[n % 2]
            MessageFactory(
                case=case,
                sender=sender,
                officer_id=case.officer_id if sender == Sender.OFFICER else None,
                body=body,
                created_at=written,
                read_at=written,
            )
            shown.append(((written.astimezone(LONDON).date(), written), body))
        # Never shown to the victim, so never counted.
        TimelineEventFactory(case=case, summary="Hidden.", visible_to_victim=False)
        TimelineEventFactory(
            case=case, kind=TimelineEventKind.HANDOVER, summary="Handover.", stage=None
        )
        db.session.commit()
    return [words for _key, words in sorted(shown, reverse=True)]


def listed(page, reference: str) -> list[str]:
    """The words of each entry on the page, as listed."""
    entries = page.find(id=f"timeline-entries-{reference}")
    return [li.select_one("p[data-i18n-data]").get_text() for li in entries.select("ol > li")]


def page_links(page, reference: str) -> dict[str, dict]:
    """Each link of the case's pagination: its text and what its address asks for."""
    nav = page.find(id=f"timeline-entries-{reference}").find("nav", class_="govuk-pagination")
    found = {}
    for link in nav.find_all("a"):
        address = urlsplit(link["href"])
        found[link.get_text(" ", strip=True)] = {
            **{key: value[0] for key, value in parse_qs(address.query).items()},
            "path": address.path,
            "anchor": address.fragment,
        }
    return found


def range_text(page, reference: str) -> str:
    return page.find(id=f"timeline-range-{reference}").get_text(strip=True)


def test_each_case_has_its_own_pages_in_the_whole_timelines_order(app, pages):
    first, second = two_cases(app)
    whole = fill(app, first.case_id, events=40, messages=20, seed=0)
    # The second case has a reply written today (tests/support/conversations.py): newest.
    theirs = ["A reply on the second case.", *fill(app, second.case_id, 12, 3, seed=5)]
    signed_in(pages.client, first.email)

    page = pages.get("/account")
    assert listed(page, first.reference) == whole[:25]
    assert range_text(page, first.reference) == "Showing entries 1 to 25 of 60."
    # The second case fits on one page: no pages, no range.
    assert listed(page, second.reference) == theirs
    assert not page.find(id=f"timeline-range-{second.reference}")
    assert not page.find(id=f"timeline-entries-{second.reference}").find("nav")
    nav = page.find(id=f"timeline-entries-{first.reference}").find("nav")
    assert nav["aria-label"] == f"Pages of the timeline of case {first.reference}"
    links = page_links(page, first.reference)
    assert links["Next"] == {
        "case": first.reference,
        "page": "2",
        "path": "/account",
        "anchor": f"what-happened-{first.reference}",
    }

    middle = pages.get(f"/account?case={first.reference}&page=2")
    assert listed(middle, first.reference) == whole[25:50]
    assert range_text(middle, first.reference) == "Showing entries 26 to 50 of 60."
    assert listed(middle, second.reference) == theirs  # the other case stays as it was
    last = pages.get(f"/account?case={first.reference}&page=3")
    assert listed(last, first.reference) == whole[50:]
    assert range_text(last, first.reference) == "Showing entries 51 to 60 of 60."
    assert set(page_links(last, first.reference)) == {"Previous", "1", "2", "3"}
    # The pages together are the whole timeline, each entry once.
    assert (
        listed(page, first.reference)
        + listed(middle, first.reference)
        + listed(last, first.reference)
        == whole
    )


def test_a_later_page_of_one_case_leaves_the_others_at_their_first_25(app, pages):
    # One statement reads as many of each case's newest entries as the furthest page asked
    # for needs (75 here): each case is then cut to its own page.
    first, second = two_cases(app)
    whole = fill(app, first.case_id, events=50, messages=20, seed=0)
    theirs = ["A reply on the second case.", *fill(app, second.case_id, 30, 10, seed=5)]
    signed_in(pages.client, first.email)

    last = pages.get(f"/account?case={first.reference}&page=3")
    assert listed(last, first.reference) == whole[50:]
    assert listed(last, second.reference) == theirs[:25]
    assert range_text(last, second.reference) == "Showing entries 1 to 25 of 41."


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("page=99", 3),  # past the last: the last
        ("page=0", 1),
        ("page=-2", 1),
        ("page=two", 1),
        ("page=%C2%B2", 1),  # "²": a digit to Python, not a number
        ("page=" + "9" * 40, 3),
        ("page=2&case=VCS-NOT-THEIRS", 1),  # another reference: every case's first page
    ],
)
def test_a_page_that_is_not_there_is_the_nearest_one(app, pages, asked, shown):
    first, _second = two_cases(app)
    whole = fill(app, first.case_id, events=40, messages=20, seed=0)
    signed_in(pages.client, first.email)
    if "case=" not in asked:
        asked += f"&case={first.reference}"
    page = pages.get(f"/account?{asked}")
    assert listed(page, first.reference) == whole[(shown - 1) * 25 : shown * 25]


def test_each_cases_pages_are_a_landmark_of_their_own_name(app, pages):
    """Two cases with pages have two navigation landmarks: each named for its case, so a
    screen reader's list of landmarks tells them apart (axe: landmark-unique)."""
    first, second = two_cases(app)
    fill(app, first.case_id, events=30, messages=0, seed=0)
    fill(app, second.case_id, events=30, messages=0, seed=1)
    signed_in(pages.client, first.email)
    page = pages.get("/account")
    assert [nav["aria-label"] for nav in page.select("nav.govuk-pagination")] == [
        f"Pages of the timeline of case {first.reference}",
        f"Pages of the timeline of case {second.reference}",
    ]


def test_the_filter_pages_what_it_shows(app, pages):
    first, _second = two_cases(app)
    whole = fill(app, first.case_id, events=60, messages=4, seed=1)
    stages = [words for words in whole if "event" in words and int(words.split()[-1][:-1]) % 2 == 0]
    signed_in(pages.client, first.email)
    page = pages.get(f"/account?show=stages&case={first.reference}&page=2")
    assert listed(page, first.reference) == stages[25:]
    assert range_text(page, first.reference) == f"Showing entries 26 to 30 of {len(stages)}."
    links = page_links(page, first.reference)
    assert links["Previous"]["show"] == "stages", links
    # The filter's form asks for its first page.
    form = page.find(id=f"timeline-{first.reference}").find("form")
    assert {field["name"] for field in form.find_all("input")} == {"show"}


def test_the_pages_in_welsh(app, pages):
    first, _second = two_cases(app)
    fill(app, first.case_id, events=30, messages=0, seed=0)
    signed_in(pages.client, first.email)
    page = pages.get(f"/account?case={first.reference}&page=2&lang=cy")
    assert range_text(page, first.reference) == "Yn dangos cofnodion 26 i 30 o 30."
    nav = page.find(id=f"timeline-entries-{first.reference}").find("nav")
    assert nav["aria-label"] == f"Tudalennau llinell amser achos {first.reference}"
    assert "Blaenorol" in nav.get_text()


def test_a_request_on_the_timeline_is_counted_only_for_who_may_see_requests(app, db_session):
    first, _second = two_cases(app)
    fill(app, first.case_id, events=30, messages=0, seed=0)
    with app.app_context():
        case = db.session.get(Case, first.case_id)
        TimelineEventFactory(
            case=case, kind=TimelineEventKind.REQUEST, stage=None, summary="A request."
        )
        db.session.commit()
        token = signed_in(app.test_client(), first.email)
        record = db.session.scalar(
            select(VictimSession).where(VictimSession.token_hash == sign_in._hash(token))
        )
        reached = sign_in.access_of(db.session, record)
        everything = victim_messages.overview(db.session, record, Show.EVERYTHING, reached)
        without = {
            victim_id: sign_in.Access(access.victim, access.permissions - {Permission.REQUESTS})
            for victim_id, access in reached.items()
        }
        limited = victim_messages.overview(db.session, record, Show.EVERYTHING, without)
        totals = {item.case.id: item.timeline.total for item in everything.cases if item.timeline}
        limited_totals = {
            item.case.id: item.timeline.total for item in limited.cases if item.timeline
        }
        assert totals[first.case_id] == 31 and limited_totals[first.case_id] == 30
        assert "A request." not in [
            entry.event.summary for item in limited.cases for entry in item.entries if entry.event
        ]


def test_the_statements_do_not_grow_with_the_cases_or_their_entries(app, pages):
    first, second = two_cases(app)
    signed_in(pages.client, first.email)
    address = f"/account?case={first.reference}&page=2"
    pages.get(address)
    few = queries(app, lambda: pages.get(address))
    fill(app, first.case_id, events=80, messages=40, seed=0)
    fill(app, second.case_id, events=50, messages=10, seed=3)
    pages.get(address)
    many = queries(app, lambda: pages.get(address))
    assert few == many
