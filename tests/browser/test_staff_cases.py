"""Cases (/staff/cases) in a real browser: filters and search with and without JavaScript,
in English and Welsh, at 375px and at a desktop width, with axe on every state the page
reaches with JavaScript, the back button after htmx changes, and by keyboard alone.

The demo administrator (portal/demo.py) sees every region's demo cases, among them
VCS-DEMO-0001 (Carys Hughes, who reads in Welsh), VCS-DEMO-0002 (Jordan Ellis, English)
and VCS-DEMO-0003 (the national queue). The checks hold however many more demo cases
there are: each search names one reference. One sign-in serves the whole module (a
saved browser state), since an authenticator code works only once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.axe import assert_no_axe_violations
from tests.support.browser import ENGLISH, LANGUAGES, Tongue, settled, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

ADMIN = "priya.shah@example.gov.uk"
DESKTOP = {"width": 1280, "height": 900}
SEARCH = "Search by reference number or name"
WELSH_ONLY = "Victims who prefer Welsh"


@pytest.fixture(scope="module")
def signed_in_state(
    browser: Browser, browser_context_args: dict, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The demo administrator signed in once, as a browser state each test starts from."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in_as(page, ADMIN, ENGLISH)
    path = Path(tmp_path_factory.mktemp("staff-cases")) / "admin.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


def found_text(tongue: Tongue, number: int) -> str:
    words = tongue.catalogue.ngettext("%(num)d case found", "%(num)d cases found", number)
    return words % {"num": number}


def references(page: Page) -> list[str]:
    return page.locator(".app-cases-table tbody tr td:first-child").all_inner_texts()


def mark_document(page: Page) -> None:
    page.evaluate("window.__casesDocument = 'the same document'")


def assert_same_document(page: Page) -> None:
    assert page.evaluate("window.__casesDocument") == "the same document", "a page load"


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def arrive(page: Page, tongue: Tongue, *, axe: bool) -> None:
    expect(page).to_have_url(url_ending("/staff/cases"))
    expect(page).to_have_title(tongue.title("Cases"))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(tongue._("Cases"))
    if axe:
        assert_no_axe_violations(page)


def type_search(page: Page, tongue: Tongue, text: str) -> None:
    """Type as a person does, a key at a time (faster than htmx's 300ms pause)."""
    box = page.get_by_label(tongue._(SEARCH))
    box.fill("")
    box.press_sequentially(text, delay=40)


def expect_only(page: Page, tongue: Tongue, reference: str) -> None:
    expect(page.locator("#cases-count")).to_have_text(found_text(tongue, 1))
    expect(page.locator(".app-cases-table tbody tr")).to_have_count(1)
    assert references(page) == [reference]


@LANGUAGES
def test_filter_and_search_with_javascript(
    new_context, signed_in_state: str, tongue: Tongue
) -> None:
    _ = tongue._
    context: BrowserContext = new_context(storage_state=signed_in_state)
    page = context.new_page()
    problems = BrowserProblems(page)
    page.goto(f"/staff/cases?lang={tongue.code}")
    arrive(page, tongue, axe=True)
    # At 375px the filters come first, above the results, in the page (not an overlay).
    filters = page.locator(".moj-filter-layout__filter").bounding_box()
    results = page.locator(".moj-filter-layout__content").bounding_box()
    assert filters["y"] + filters["height"] <= results["y"] + 1
    assert (
        page.locator(".moj-filter-layout__filter").evaluate("e => getComputedStyle(e).position")
        == "static"
    )
    mark_document(page)

    # The search follows the typing, without a page load; focus stays in the box.
    type_search(page, tongue, "vcs demo 0002")
    expect(page).to_have_url(re.compile(r"q=vcs(\+|%20)demo(\+|%20)0002"))
    expect_only(page, tongue, "VCS-DEMO-0002")
    expect(page.locator("#cases-status")).to_have_text(found_text(tongue, 1))
    assert focused_id(page) == "q"
    assert_same_document(page)

    type_search(page, tongue, "Demo-0001")
    expect(page).to_have_url(re.compile(r"q=Demo-0001"))
    expect_only(page, tongue, "VCS-DEMO-0001")
    expect(page.locator("td", has_text=_("Welsh"))).to_have_count(1)

    # A filter changes the results at once; its tag appears; focus stays on the box.
    welsh = page.get_by_label(_(WELSH_ONLY))
    welsh.check()
    expect(page).to_have_url(re.compile(r"only=welsh"))
    expect_only(page, tongue, "VCS-DEMO-0001")
    tag = page.locator("#selected-filters .moj-filter__tag", has_text=_(WELSH_ONLY))
    expect(tag).to_have_count(1)
    assert focused_id(page) == "only-2"
    assert_no_axe_violations(page)

    type_search(page, tongue, "vcs-demo-0002")
    expect(page.get_by_text(_("No cases match these filters and search."))).to_be_visible()
    expect(page.locator("#cases-status")).to_have_text(found_text(tongue, 0))
    expect(page.locator(".app-cases-table")).to_have_count(0)

    # Removing the filter by its tag: the results and the form follow, focus goes to
    # the number of cases found. The tag came in with the last search's results: it is
    # boosted when htmx settles them, and a click before that would load the whole page.
    settled(page)
    tag.click()
    expect(page).not_to_have_url(re.compile(r"only=welsh"))
    expect_only(page, tongue, "VCS-DEMO-0002")
    expect(welsh).not_to_be_checked()
    expect(page.locator("#cases-count")).to_be_focused()
    assert_same_document(page)
    assert_no_axe_violations(page)

    # Back: the earlier filters and results, as they were.
    page.go_back()
    expect(page).to_have_url(re.compile(r"only=welsh"))
    expect(page.get_by_text(_("No cases match these filters and search."))).to_be_visible()
    expect(page.get_by_label(_(WELSH_ONLY))).to_be_checked()
    expect(page.get_by_label(_(SEARCH))).to_have_value("vcs-demo-0002")
    # Forward again: the change undone by Back.
    page.go_forward()
    expect(page).not_to_have_url(re.compile(r"only=welsh"))
    expect_only(page, tongue, "VCS-DEMO-0002")
    expect(page.get_by_label(_(WELSH_ONLY))).not_to_be_checked()
    page.wait_for_load_state("load")
    problems.assert_none()


@LANGUAGES
def test_filter_and_search_without_javascript(
    new_context, signed_in_state: str, tongue: Tongue
) -> None:
    _ = tongue._
    context: BrowserContext = new_context(storage_state=signed_in_state, java_script_enabled=False)
    page = context.new_page()
    problems = BrowserProblems(page)
    page.goto(f"/staff/cases?lang={tongue.code}")
    arrive(page, tongue, axe=False)

    page.get_by_label(_(SEARCH)).fill("VCS DEMO 0002")
    with page.expect_navigation():
        page.get_by_role("button", name=_("Apply filters")).click()
    expect(page).to_have_url(re.compile(r"/staff/cases\?.*q=VCS\+DEMO\+0002"))
    expect_only(page, tongue, "VCS-DEMO-0002")

    page.get_by_label(_(WELSH_ONLY)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=_("Search"), exact=True).click()
    expect(page.get_by_text(_("No cases match these filters and search."))).to_be_visible()
    tag = page.locator("#selected-filters .moj-filter__tag", has_text=_(WELSH_ONLY))
    with page.expect_navigation():
        tag.click()
    expect_only(page, tongue, "VCS-DEMO-0002")
    expect(page.get_by_label(_(WELSH_ONLY))).not_to_be_checked()

    # At 375px the table's headings are not shown: the order is chosen in the form.
    expect(page.locator("thead")).to_be_hidden()
    page.get_by_label(_("Order of the cases")).select_option(label=_("Victim’s name, A to Z"))
    with page.expect_navigation():
        page.get_by_role("button", name=_("Apply filters")).click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("th:has(#sort-name)")).to_have_attribute("aria-sort", "ascending")
    expect_only(page, tongue, "VCS-DEMO-0002")

    with page.expect_navigation():
        page.get_by_role("link", name=_("Clear filters")).click()
    expect(page).to_have_url(re.compile(r"/staff/cases\?sort=name$"))
    expect(page.locator("#selected-filters .moj-filter__tag")).to_have_count(0)
    expect(page.get_by_label(_(SEARCH))).to_have_value("")
    expect(page.locator(".app-cases-table tbody tr").first).to_be_visible()
    problems.assert_none()


def test_at_a_desktop_width_the_filters_are_beside_the_results(
    new_context, signed_in_state: str
) -> None:
    context: BrowserContext = new_context(storage_state=signed_in_state)
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    page.goto("/staff/cases?lang=en&region=national")
    arrive(page, ENGLISH, axe=True)
    filters = page.locator(".moj-filter-layout__filter").bounding_box()
    results = page.locator(".moj-filter-layout__content").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]
    assert abs(filters["y"] - results["y"]) < 5
    # The table's headings are shown, and sort on the server.
    expect(page.locator("thead th[aria-sort]")).to_have_count(3)
    assert "VCS-DEMO-0003" in references(page)
    expect(page.locator("td", has_text="National queue").first).to_be_visible()
    # Every column fits beside the filters, in both languages (Welsh words are longer).
    for code in ("en", "cy"):
        page.goto(f"/staff/cases?lang={code}&status=active")
        content = page.locator(".moj-filter-layout__content")
        assert content.evaluate("e => e.scrollWidth <= e.clientWidth"), code
    assert_no_axe_violations(page)
    problems.assert_none()


def test_by_keyboard_alone(new_context, signed_in_state: str) -> None:
    context: BrowserContext = new_context(storage_state=signed_in_state)
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    problems = BrowserProblems(page)
    page.goto("/staff/cases?lang=en")
    arrive(page, ENGLISH, axe=False)
    mark_document(page)

    def tab_to(element_id: str, backwards: bool = False) -> None:
        for _ in range(120):
            if focused_id(page) == element_id:
                return
            page.keyboard.press("Shift+Tab" if backwards else "Tab")
        raise AssertionError(f"Tab never reached #{element_id} (at #{focused_id(page)})")

    tab_to("q")
    page.keyboard.type("demo 0001", delay=40)
    expect_only(page, ENGLISH, "VCS-DEMO-0001")
    assert focused_id(page) == "q"

    tab_to("only-2", backwards=True)  # "Victims who prefer Welsh"
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"only=welsh"))
    expect(page.get_by_label(WELSH_ONLY)).to_be_checked()
    expect_only(page, ENGLISH, "VCS-DEMO-0001")
    assert focused_id(page) == "only-2"

    settled(page)
    tab_to("sort-name")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("th:has(#sort-name)")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("#sort-name")).to_be_focused()
    # The new heading's link is boosted when htmx settles; Enter before that would load
    # the whole page (which works, but is not what this test is about).
    settled(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=name-desc"))
    expect(page.locator("th:has(#sort-name)")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("#sort-name")).to_be_focused()
    expect_only(page, ENGLISH, "VCS-DEMO-0001")
    assert_same_document(page)
    assert_no_axe_violations(page)
    problems.assert_none()
