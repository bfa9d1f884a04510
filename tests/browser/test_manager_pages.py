"""A manager's pages in a real browser: how the region is doing, a staff member's audit
trail and a case's, with and without JavaScript, in English and Welsh, at 375px and
1280px, with axe on every page, and by keyboard alone. The demo manager (Sam Okafor,
London) signs in once per language; the session's cookies serve the run without
JavaScript too (the session is on the server).
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import Engine, text

from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

MANAGER = "sam.okafor@example.gov.uk"
MANAGER_NAME = "Sam Okafor"
#: The demo case in London (portal/demo.py).
LONDON_CASE = "VCS-DEMO-0002"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
CHARTS = ("triage-chart", "officer-cases-chart", "first-contacts-chart", "told-chart")

#: The signed-in manager's cookies, per language, for every context of the run.
SIGNED_IN: dict[str, dict] = {}


def manager_page(browser: Browser, base_url: str, tongue: Tongue, *, js: bool) -> Page:
    """A new page of a new context (375px), signed in as the demo manager in `tongue`."""
    if tongue.code not in SIGNED_IN:
        context = browser.new_context(base_url=base_url, viewport=PHONE, locale="en-GB")
        sign_in_as(context.new_page(), MANAGER, tongue)
        SIGNED_IN[tongue.code] = context.storage_state()
        context.close()
    context = browser.new_context(
        base_url=base_url,
        viewport=PHONE,
        locale="en-GB",
        java_script_enabled=js,
        storage_state=SIGNED_IN[tongue.code],
    )
    return context.new_page()


def arrive(page: Page, tongue: Tongue, path: str, title: str, *, js: bool) -> None:
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(title))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    if js:
        assert_no_axe_violations(page)


def press_on(page: Page, target: Locator, key: str = "Enter", most: int = 80) -> None:
    """Tab (only the keyboard) until `target` has focus, then press `key`."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            page.keyboard.press(key)
            return
    raise AssertionError(f"{target} never took focus by Tab")


def fits(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width}px ({scroll_width}px)"


def chart_and_table_agree(page: Page, tongue: Tongue) -> None:
    """Each chart is an image named by its title, described, its numbers those of its table."""
    for chart_id in CHARTS:
        chart = page.locator(f"svg[aria-labelledby='{chart_id}-title {chart_id}-desc']")
        expect(chart).to_have_attribute("role", "img")
        title = chart.locator("title").text_content()
        expect(page.get_by_role("img", name=title)).to_be_visible()
        assert chart.locator("desc").text_content()
    told = page.locator("svg[aria-labelledby^='told-chart'] text:not([font-weight])")
    table = page.locator("#told-table tbody td")
    assert told.all_text_contents() == table.all_text_contents()[:4]


def the_managers_pages(page: Page, tongue: Tongue, case_id: int, *, js: bool) -> None:
    _ = tongue._
    page.goto(f"/staff?lang={tongue.code}")
    arrive(page, tongue, "/staff", "What needs you first", js=js)

    # By keyboard: "Your region" in the navigation (behind "Menu" on a phone, with JS).
    if js:
        press_on(page, page.get_by_role("button", name=_("Menu")))
    with page.expect_navigation():
        press_on(page, page.get_by_role("link", name=_("Your region"), exact=True))
    arrive(page, tongue, "/staff/region", "How the region is doing", js=js)
    expect(page.locator(".govuk-service-navigation__item--active")).to_contain_text(
        _("Your region")
    )
    chart_and_table_agree(page, tongue)
    fits(page, 375)
    page.set_viewport_size(DESKTOP)
    chart = page.locator("svg[aria-labelledby^='told-chart']").bounding_box()
    table = page.locator("#told-table").bounding_box()
    assert chart["x"] + chart["width"] <= table["x"], "at 1280px the table is beside its chart"
    if js:
        assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)

    # By keyboard: the manager's own name leads to their audit trail.
    with page.expect_navigation():
        press_on(page, page.locator("#officers-table").get_by_role("link", name=MANAGER_NAME))
    arrive(page, tongue, "/audit", "Audit trail of a member of staff", js=js)
    expect(page.locator("tbody tr").first).to_contain_text(_("View the region’s figures"))
    fits(page, 375)

    # A case's trail, then only the views, chosen by keyboard.
    page.goto(f"/staff/cases/{case_id}/audit")
    arrive(page, tongue, f"/staff/cases/{case_id}/audit", "Audit trail", js=js)
    expect(page.locator(".govuk-caption-l")).to_contain_text(LONDON_CASE)
    expect(page.locator(".moj-sub-navigation [aria-current=page]")).to_have_text(_("Audit"))
    kind = page.get_by_label(_("Show"), exact=True)
    press_on(page, kind, key="ArrowDown")  # "All kinds" -> "Views"
    expect(kind).to_have_value("views")
    apply = page.get_by_role("button", name=_("Apply filter"))
    if js:  # htmx brings the rows in place; the address follows; focus goes to the count
        press_on(page, apply)
        expect(page).to_have_url(re.compile(r"\?kind=views$"))
        expect(page.locator("#trail-results")).to_be_focused()
    else:
        with page.expect_navigation():
            press_on(page, apply)
        expect(page).to_have_url(re.compile(r"\?kind=views$"))
    expect(page).to_have_title(tongue.title("Audit trail"))
    expect(page.locator("#main-content")).to_contain_text(
        _("Only: %(kind)s") % {"kind": _("Views")}
    )
    whats = page.locator("tbody td:nth-child(3)")
    expect(whats.first).to_be_visible()
    assert set(whats.all_text_contents()) <= {
        _("View the case’s audit trail"),
        _("View the case summary and timeline"),
        _("View the victim’s contact details"),
        _("View the notifications sent"),
    }
    if js:
        assert_no_axe_violations(page)
    fits(page, 375)
    fits(page, 1280)


def london_case_id(live_database: Engine) -> int:
    with live_database.connect() as connection:
        return connection.execute(
            text("SELECT id FROM cases WHERE reference = :r"), {"r": LONDON_CASE}
        ).scalar_one()


@LANGUAGES
def test_a_manager_with_javascript(
    browser: Browser, base_url: str, live_database: Engine, tongue: Tongue
):
    page = manager_page(browser, base_url, tongue, js=True)
    problems = BrowserProblems(page)
    the_managers_pages(page, tongue, london_case_id(live_database), js=True)
    problems.assert_none()
    page.context.close()


@LANGUAGES
def test_a_manager_without_javascript(
    browser: Browser, base_url: str, live_database: Engine, tongue: Tongue
):
    page = manager_page(browser, base_url, tongue, js=False)
    problems = BrowserProblems(page)
    the_managers_pages(page, tongue, london_case_id(live_database), js=False)
    problems.assert_none()
    page.context.close()
