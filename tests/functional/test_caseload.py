"""Cases (/staff/cases): the caseload with thousands of cases, on SQLite and PostgreSQL.

Each test fills the database with a realistic caseload (tests/support/bulk.py) and
works out on its own, from the cases it made, which cases each filter, search and
sort should show, on which page, then compares with what the page shows. That its
SQL statements do not grow with the caseload is tested with every other page's, in
tests/functional/test_query_counts.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

from portal.domain.contact_times import LONDON
from portal.domain.waiting import wait
from portal.extensions import db
from portal.models import CaseStatus, Language, OfficerRole, SentenceStage, VictimLiaisonOfficer
from tests.support.bulk import Bulk, BulkCase, bulk_cases
from tests.support.factories import RegionFactory
from tests.support.queries import statements
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database

MANY = 2000


@dataclass
class Caseload:
    bulk: Bulk
    officer_id: int
    region_id: int


def _officer(app, officer_id: int) -> VictimLiaisonOfficer:
    with app.app_context():
        return db.session.get(VictimLiaisonOfficer, officer_id)


def build(client, count: int, role=OfficerRole.VLO, regions: int = 3, seed: int = 14) -> Caseload:
    """`count` cases over `regions` new regions; an officer of the first region (in
    `role`), who has cases of their own among them, signed in on `client`."""
    app = client.application
    with app.app_context():
        region_ids = [RegionFactory().id for _ in range(regions)]
        db.session.commit()
    officer_id = signed_in_officer(client, role=role, region_id=region_ids[0])
    with app.app_context():
        bulk = bulk_cases(
            db.session,
            count,
            region_ids=region_ids,
            officers={region_ids[0]: [officer_id]},
            wales_region_id=region_ids[0],
            seed=seed,
        )
        db.session.commit()
    return Caseload(bulk, officer_id, region_ids[0])


# --- what the page should show, worked out from the cases made ----------------------------

CLOCK_RUNNING = (CaseStatus.TRIAGE, CaseStatus.ACTIVE)


def waiting(case: BulkCase) -> bool:
    return case.first_contact_on is None and case.status in CLOCK_RUNNING


def compact(text: str) -> str:
    return re.sub(r"[\s-]", "", text.upper())


def matches_search(case: BulkCase, text: str) -> bool:
    text = " ".join(text.split())
    return text.lower() in case.victim_name.lower() or (
        compact(text).isalnum() and compact(text) in case.reference.replace("-", "")
    )


SORT_KEYS = {
    "waited": (lambda c: (not waiting(c), c.clock_started_on, c.id), False),
    "newest": (lambda c: (c.clock_started_on, c.id), True),
    "reference": (lambda c: c.reference, False),
    "reference-desc": (lambda c: c.reference, True),
    "name": (lambda c: (c.victim_name.lower(), c.id), False),
    "name-desc": (lambda c: (c.victim_name.lower(), c.id), True),
}


def expected(cases: list[BulkCase], officer_id: int, args: dict) -> list[BulkCase]:
    """What a VLO or manager of the region should find, in order (the args are valid)."""
    found = cases
    if args.get("whose", "region") == "mine":
        found = [c for c in found if c.officer_id == officer_id]
    if statuses := args.get("status"):
        found = [c for c in found if c.status.value in statuses]
    if stages := args.get("stage"):
        found = [c for c in found if c.stage.value in stages]
    only = args.get("only", [])
    if "waiting" in only:
        found = [
            c
            for c in found
            if c.officer_id == officer_id
            and c.status is CaseStatus.ACTIVE
            and c.first_contact_on is None
        ]
    if "welsh" in only:
        found = [c for c in found if c.language is Language.WELSH]
    if "access" in only:
        found = [c for c in found if (c.accessibility_needs or "").strip()]
    if q := args.get("q"):
        found = [c for c in found if matches_search(c, q)]
    key, reverse = SORT_KEYS[args.get("sort", "waited")]
    return sorted(found, key=key, reverse=reverse)


# --- what the page shows ---------------------------------------------------------------------


@dataclass
class Shown:
    total: int
    references: list[str]
    page: BeautifulSoup


def url(args: dict) -> str:
    pairs = []
    for key, value in args.items():
        pairs += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return "/staff/cases?" + urlencode(pairs)


def shown(client, address: str, **headers) -> Shown:
    response = client.get(address, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    count = page.find(id="cases-count").get_text(strip=True)
    total = int(re.match(r"(\d+) cases? found", count).group(1))
    references = [
        row.find("td").get_text(strip=True) for row in page.select(".app-cases-table tbody tr")
    ]
    return Shown(total, references, page)


def assert_page(client, caseload: Caseload, args: dict, page: int = 1, size: int = 25):
    cases = caseload.bulk.in_region(caseload.region_id)
    want = expected(cases, caseload.officer_id, args)
    query = {**args, **({"page": str(page)} if page != 1 else {})}
    if size != 25:
        query["size"] = str(size)
    got = shown(client, url(query))
    assert got.total == len(want), f"{args}: {got.total} shown, {len(want)} expected"
    start = (page - 1) * size
    assert got.references == [c.reference for c in want[start : start + size]], args
    return got


# --- the tests -----------------------------------------------------------------------------


def test_a_vlo_sees_their_own_cases_first_and_their_regions_when_asked(client):
    caseload = build(client, MANY)
    mine = expected(
        caseload.bulk.in_region(caseload.region_id), caseload.officer_id, {"whose": "mine"}
    )
    assert mine
    got = shown(client, "/staff/cases")
    assert got.total == len(mine)
    assert got.references == [c.reference for c in mine[:25]]
    assert_page(client, caseload, {"whose": "mine"})
    region = assert_page(client, caseload, {"whose": "region"})
    # Another region's cases are never in reach.
    others = {c.reference for c in caseload.bulk.cases if c.region_id != caseload.region_id}
    assert not others & set(region.references)
    assert region.total == len(caseload.bulk.in_region(caseload.region_id))


FILTERS = [
    {"whose": "region", "status": ["active"]},
    {"whose": "region", "status": ["triage", "paused"]},
    {"whose": "region", "stage": ["parole", "recall"]},
    {"whose": "region", "only": ["welsh"]},
    {"whose": "region", "only": ["access"]},
    {"whose": "region", "only": ["waiting"]},
    {"whose": "mine", "only": ["waiting", "welsh"]},
    {"whose": "region", "status": ["active", "closed"], "stage": ["custody"], "only": ["access"]},
    {"whose": "region", "status": ["merged"], "stage": ["end_of_sentence"], "only": ["welsh"]},
]


def test_each_filter_finds_the_right_cases_among_thousands(client):
    caseload = build(client, MANY)
    for args in FILTERS:
        assert_page(client, caseload, args)
    # A filter that matches nothing shows an empty state, not a table.
    empty = shown(client, url({"q": "no such name anywhere"}))
    assert empty.total == 0 and not empty.references
    assert "No cases match these filters and search." in empty.page.get_text()


def test_every_sort_orders_every_page(client):
    caseload = build(client, MANY)
    for sort in SORT_KEYS:
        args = {"whose": "region", "sort": sort}
        total = assert_page(client, caseload, args).total
        last = -(-total // 25)
        assert_page(client, caseload, args, page=2)
        assert_page(client, caseload, args, page=last)


def test_search_finds_names_and_references_however_they_are_typed(client):
    caseload = build(client, MANY)
    region = caseload.bulk.in_region(caseload.region_id)
    target = next(c for c in region if "0" in c.reference[4:] or "1" in c.reference[4:])
    # Names: any part, any case, spaces squashed.
    surname = region[0].victim_name.split()[1]
    for typed in (surname.lower(), surname.upper()[:4], f"  {region[0].victim_name.upper()}  "):
        assert_page(client, caseload, {"whose": "region", "q": typed})
    welsh_name = next(c for c in region if "â" in c.victim_name or "ô" in c.victim_name)
    assert_page(client, caseload, {"whose": "region", "q": welsh_name.victim_name.upper()})
    # References: lower case, spaces for dashes, no dashes, part of one.
    code = target.reference
    for typed in (code.lower(), code.replace("-", " "), code.replace("-", ""), code[-6:].lower()):
        got = assert_page(client, caseload, {"whose": "region", "q": typed})
        assert code in got.references
    # A whole reference with look-alike letters (O for 0, I or L for 1) finds it too.
    typed = code.replace("0", "o").replace("1", "l").lower()
    got = shown(client, url({"whose": "region", "q": typed}))
    assert code in got.references
    # Wildcards are searched for as they are typed, not as patterns.
    assert shown(client, url({"whose": "region", "q": "%"})).total == 0
    assert shown(client, url({"whose": "region", "q": "_"})).total == 0


def test_pages_keep_the_filters_and_are_bounded(client):
    caseload = build(client, MANY)
    args = {"whose": "region", "status": ["active"], "sort": "name"}
    want = expected(caseload.bulk.in_region(caseload.region_id), caseload.officer_id, args)
    pages = -(-len(want) // 10)
    got = assert_page(client, caseload, args, page=3, size=10)
    # Every page link keeps the filters, the sort and the page size.
    links = [a["href"] for a in got.page.select(".govuk-pagination a")]
    assert links
    for link in links:
        query = parse_qsl(urlsplit(link).query)
        assert ("status", "active") in query and ("sort", "name") in query
        assert ("size", "10") in query and ("whose", "region") in query
    current = got.page.select_one(".govuk-pagination__item--current a")
    assert current.get_text(strip=True) == "3" and current["aria-current"] == "page"
    # Too far: the last page. Not a number, or less than 1: the first. Sizes are bounded.
    assert_page(client, caseload, args, page=pages, size=10)
    last = shown(client, url({**args, "size": "10", "page": "99999"}))
    assert last.references == [c.reference for c in want[(pages - 1) * 10 :]]
    for page in ("0", "-3", "abc", "1e9", "99999999999999999999"):
        first = shown(client, url({**args, "page": page}))
        assert first.references == [c.reference for c in want[:25]], page
    for size in ("100000", "0", "-1", "abc"):
        assert len(shown(client, url({**args, "size": size})).references) == 25, size
    assert len(shown(client, url({**args, "size": "100"})).references) == 100


def test_values_it_does_not_know_are_ignored_and_a_long_search_is_an_error(client, pages):
    caseload = build(client, 300)
    plain = shown(client, url({"whose": "region"}))
    forged = shown(
        client,
        url(
            {
                "whose": ["region", "everyone"],
                "status": ["bogus", "active"],
                "stage": "'; DROP TABLE cases; --",
                "only": ["nothing"],
                "sort": "sideways",
                "region": "1",  # a VLO cannot choose a region
            }
        ),
    )
    active = expected(
        caseload.bulk.in_region(caseload.region_id), caseload.officer_id, {"status": ["active"]}
    )
    assert forged.total == len(active) and plain.total > forged.total
    page = pages.get(url({"whose": "region", "q": "x" * 101}))
    assert page.title.get_text().startswith("Error: Cases")
    summary = page.select_one(".govuk-error-summary")
    assert "Search must be 100 characters or fewer" in summary.get_text()
    assert summary.find("a")["href"] == "#q"
    assert page.select_one("#q-error")
    # The search is not applied; the rest of the page works.
    assert int(page.find(id="cases-count").get_text().split()[0]) == plain.total


def test_selected_filters_are_tags_that_each_remove_one_filter(client):
    build(client, 300)
    args = {"whose": "region", "status": ["active", "paused"], "only": ["welsh"], "q": "ann"}
    got = shown(client, url(args))
    tags = {
        a.get_text(" ", strip=True).replace("Remove this filter ", ""): a["href"]
        for a in got.page.select("#selected-filters .moj-filter__tag")
    }
    assert set(tags) == {
        "All cases in my region",
        "Active",
        "Paused",
        "Victims who prefer Welsh",
        "ann",
    }
    removed = dict(parse_qsl(urlsplit(tags["Paused"]).query))
    assert parse_qsl(urlsplit(tags["Paused"]).query) == [
        ("q", "ann"),
        ("whose", "region"),
        ("status", "active"),
        ("only", "welsh"),
    ]
    assert "q" not in dict(parse_qsl(urlsplit(tags["ann"]).query))
    assert "whose" not in dict(parse_qsl(urlsplit(tags["All cases in my region"]).query))
    assert removed["status"] == "active"
    clear = got.page.select_one("#selected-filters .moj-filter__heading-action a")
    assert clear["href"] == "/staff/cases"
    # The form shows the same choices, for changing them without JavaScript.
    form = got.page.find("form", id="caseload-form")
    assert form["method"] == "get" and form["action"] == "/staff/cases"
    ticked = {(i["name"], i["value"]) for i in form.select("input[checked]")}
    assert {("status", "active"), ("status", "paused"), ("only", "welsh")} <= ticked
    assert form.find("input", id="q")["value"] == "ann"
    assert form.find("button", string=re.compile("Apply filters"))


def test_column_headings_sort_on_the_server_and_keep_the_filters(client):
    build(client, 300)
    got = shown(client, url({"whose": "region", "status": "active", "sort": "name"}))
    headings = {th.get_text(strip=True): th for th in got.page.select(".app-cases-table thead th")}
    assert headings["Victim"]["aria-sort"] == "ascending"
    assert headings["Reference number"]["aria-sort"] == "none"
    assert headings["Working days waited"]["aria-sort"] == "none"
    assert "aria-sort" not in headings["Officer"].attrs
    toggle = dict(parse_qsl(urlsplit(headings["Victim"].a["href"]).query))
    assert toggle == {"whose": "region", "status": "active", "sort": "name-desc"}
    waited = shown(client, url({"whose": "region"}))
    heading = waited.page.select_one("th:has(#sort-waited)")
    assert heading["aria-sort"] == "descending"  # the most days waited first
    assert dict(parse_qsl(urlsplit(heading.a["href"]).query))["sort"] == "newest"


def test_each_row_says_who_what_and_how_long(client, app, monkeypatch):
    caseload = build(client, 300)
    today = datetime.now(LONDON).date()
    monkeypatch.setattr("portal.staff.caseload_views._today", lambda: today)  # one day for both
    got = shown(client, url({"whose": "region", "size": "100"}))
    by_reference = {c.reference: c for c in caseload.bulk.cases}
    rows = got.page.select(".app-cases-table tbody tr")
    assert len(rows) == min(100, len(caseload.bulk.in_region(caseload.region_id)))
    for row in rows:
        cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
        case = by_reference[cells[0]]
        victim = row.find_all("td")[1]
        assert victim.find("span").get_text(strip=True) == case.victim_name
        badge = victim.find(class_="moj-badge")
        if case.language is Language.WELSH:
            assert badge is not None and badge.get_text(strip=True) == "Welsh"
        else:
            assert badge is None  # a badge only when the victim prefers Welsh
        assert cells[2].startswith(
            {
                CaseStatus.TRIAGE: "To triage",
                CaseStatus.ACTIVE: "Active",
                CaseStatus.PAUSED: "Paused",
                CaseStatus.DECLINED: "Declined",
                CaseStatus.CLOSED: "Closed",
                CaseStatus.MERGED: "Merged",
            }[case.status]
        )
        assert len(row.find_all("td")[2].select(".moj-badge")) == 2
        if case.officer_id is None:
            assert cells[3] == "Not assigned"
        if waiting(case):
            expected_wait = wait(case.clock_started_on, today)
            assert cells[4].split()[0] == str(expected_wait.waited)
            assert ("Overdue" in cells[4]) is expected_wait.overdue
        elif case.first_contact_on:
            assert cells[4] == "Contact made"
        else:
            assert cells[4] == "Not waiting"
        link = row.find("td").find("a")
        if "staff.case" in app.view_functions:
            assert link["href"] == f"/staff/cases/{case.id}"
        else:
            assert link is None


def test_an_admin_sees_every_region_and_narrows_to_one(client):
    caseload = build(client, MANY, role=OfficerRole.ADMIN)
    everything = shown(client, "/staff/cases")
    assert everything.total >= MANY
    region = shown(client, url({"region": str(caseload.region_id), "size": "100"}))
    in_region = sorted(caseload.bulk.in_region(caseload.region_id), key=SORT_KEYS["waited"][0])
    assert region.total == len(in_region)
    assert region.references == [c.reference for c in in_region[:100]]
    assert "Region" in [th.get_text(strip=True) for th in region.page.select("thead th")]
    national = shown(client, url({"region": "national", "size": "100", "sort": "newest"}))
    national_refs = {c.reference for c in caseload.bulk.in_region(None)}
    assert national_refs and national_refs <= set(national.references)
    cells = [tr.find_all("td")[4].get_text(strip=True) for tr in national.page.select("tbody tr")]
    assert set(cells) == {"National queue"}
    # A region that does not exist is not a choice: ignored.
    assert shown(client, url({"region": "999999999"})).total == everything.total
    tag = region.page.select_one("#selected-filters .moj-filter__tag")
    assert tag is not None and "Remove this filter" in tag.get_text()


def test_a_get_writes_only_the_audit_and_the_session(client, app):
    build(client, 300)
    with statements(app) as seen:
        client.get(url({"whose": "region", "only": "welsh"}))
    writes = [s for s in seen if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes
    for statement in writes:
        assert re.match(r"(INSERT INTO audit_events|UPDATE staff_sessions)", statement), statement
    selects_of_cases = [
        s
        for s in seen
        if s.startswith("SELECT") and "FROM cases" in s and "messages_waiting > 0" not in s
    ]  # the navigation's count of cases with messages waiting left out
    assert len(selects_of_cases) == 2, selects_of_cases  # the count, and the page


def test_htmx_gets_only_the_part_it_asked_for(client):
    build(client, 300)
    address = url({"whose": "region", "only": "welsh", "q": "a"})
    results = client.get(address, headers={"HX-Request": "true", "HX-Target": "cases-results"})
    html = results.get_data(as_text=True)
    assert "HX-Request" in results.headers["Vary"]
    assert "<html" not in html and 'id="caseload-form"' not in html
    page = BeautifulSoup(html, "html.parser")
    assert page.find("title").get_text().startswith("Cases")
    for oob in ("selected-filters", "cases-errors", "q-error-slot", "cases-status"):
        element = page.find(id=oob)
        assert element is not None and element.has_attr("hx-swap-oob"), oob
        assert element.has_attr("data-keep-focus"), oob  # focus stays in the form
    assert re.match(r"\d+ cases? found", page.find(id="cases-status").get_text(strip=True))
    layout = client.get(
        address, headers={"HX-Request": "true", "HX-Target": "caseload", "HX-Trigger": "sort-name"}
    )
    page = BeautifulSoup(layout.get_data(as_text=True), "html.parser")
    assert page.find("form", id="caseload-form") and not page.find("h1")
    assert page.find(id="sort-name").has_attr("data-focus-after-swap")
    assert not page.find(id="cases-count").has_attr("data-focus-after-swap")
    # The back button after htmx: history restore gets the whole page.
    restored = client.get(
        address, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restored.get_data(as_text=True)


def test_the_form_and_its_links_work_without_javascript(client, pages):
    build(client, 300)
    page = pages.get(url({"whose": "region", "status": "active"}))
    form = page.find("form", id="caseload-form")
    assert form["hx-get"] == "/staff/cases" and form["hx-push-url"] == "true"
    assert "input changed delay:300ms from:#q" in form["hx-trigger"]
    for link in page.select("#selected-filters a, thead a, .govuk-pagination a"):
        assert link["href"].startswith("/staff/cases")
    assert page.find(id="cases-status")["role"] == "status"


@pytest.mark.parametrize("status", list(CaseStatus))
def test_every_status_and_stage_has_its_words(client, status):
    caseload = build(client, 200)
    got = shown(client, url({"whose": "region", "status": status.value, "size": "100"}))
    want = expected(
        caseload.bulk.in_region(caseload.region_id), caseload.officer_id, {"status": [status]}
    )
    assert got.total == len(want)
    stages = {c.stage for c in want}
    names = {s: t for s, t in zip(SentenceStage, _stage_words(), strict=True)}
    text = got.page.select_one(".app-cases-table").get_text(" ") if want else ""
    for stage in stages:
        assert names[stage].upper() in text.upper()


def _stage_words():
    from portal.sentence_stages import NAMES

    return [str(NAMES[s]) for s in SentenceStage]


def test_the_page_in_welsh(client):
    caseload = build(client, 200)
    want = expected(
        caseload.bulk.in_region(caseload.region_id),
        caseload.officer_id,
        {"whose": "region", "only": ["welsh"]},
    )
    response = client.get(url({"whose": "region", "only": "welsh", "lang": "cy"}))
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("html")["lang"] == "cy"
    assert page.find("h1").get_text(strip=True) == "Achosion"
    assert page.find(id="cases-count").get_text(strip=True) == (
        f"Wedi dod o hyd i {len(want)} achos"
    )
    assert {b.get_text(strip=True) for b in page.select("tbody td:nth-child(2) .moj-badge")} == {
        "Cymraeg"
    }
    tag = page.select_one("#selected-filters .moj-filter__tag").get_text(" ", strip=True)
    assert tag == "Tynnu’r hidlydd hwn Pob achos yn fy rhanbarth i"


def test_the_filters_have_their_indexes(app, db_session):
    from sqlalchemy import inspect

    with app.app_context():
        inspector = inspect(db_session.get_bind())
        cases = {tuple(index["column_names"]) for index in inspector.get_indexes("cases")}
        victims = {tuple(index["column_names"]) for index in inspector.get_indexes("victims")}
    # An index serves a filter when it starts with the filter's columns (ix_cases_region_status
    # also holds the duplicate flag, ix_cases_officer_status the day of first contact).
    for columns in (
        ("region_id", "status"),
        ("officer_id", "status"),
        ("region_id", "stage"),
        ("clock_started_on",),
    ):
        assert any(index[: len(columns)] == columns for index in cases), columns
    assert ("language",) in victims


def test_the_filter_options_show_each_requests_own_choices(client):
    """The options are rendered once for each language and set of choices, then reused
    (templates/staff/_caseload.html): each page still ticks its own, in its language,
    whichever choices were asked for before it."""
    build(client, 50)

    def ticked(args: dict) -> tuple[str, set[tuple[str, str]]]:
        response = client.get(url(args))
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        options = page.select_one(".moj-filter__options")
        legend = options.select_one("legend").get_text(strip=True)
        return legend, {(box["name"], box["value"]) for box in options.select("input[checked]")}

    first = {"whose": "mine", "status": "active", "stage": ["custody", "parole"]}
    second = {"whose": "region", "status": "closed", "only": "welsh"}
    english = (
        "Whose cases",
        {("whose", "mine"), ("status", "active"), ("stage", "custody"), ("stage", "parole")},
    )
    assert ticked(first) == english
    assert ticked(second) == (
        "Whose cases",
        {("whose", "region"), ("status", "closed"), ("only", "welsh")},
    )
    assert ticked(first) == english
    assert ticked({**first, "lang": "cy"}) == ("Achosion pwy", english[1])
    assert ticked({"lang": "en"}) == ("Whose cases", {("whose", "mine")})
