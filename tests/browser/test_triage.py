"""Triage in a real browser, at 375px, in English and Welsh, with and without JavaScript:
Alys (a VLO in Wales) signs in, finds a new registration in "What needs you first" and
accepts it by keyboard alone; axe runs on every page on the way (and on the other
decisions' pages), and no page scrolls sideways.

The live server holds only demo data, so each test adds its own registrations to the
live server's database (`live_database`) in Alys's region.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.models import Case, CaseStatus, Language, Region, VictimLiaisonOfficer
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as
from tests.support.triage import Registration, add_registration

ALYS = "alys.prydderch@example.gov.uk"
#: Enough Tab presses to reach anything on these pages.
MOST_TABS = 80


def registrations(database: Engine, tongue: Tongue) -> tuple[Registration, Registration]:
    """Two registrations in Wales in the victim's language of the run: one overdue, one
    flagged as a possible duplicate of a live case (so its pages compare the two)."""
    with Session(database) as session:
        wales = session.scalars(select(Region.id).filter_by(code="wales")).one()
        language = Language(tongue.code)
        overdue = add_registration(
            session,
            region_id=wales,
            language=language,
            clock_started_on=date.today() - timedelta(days=60),
        )
        live = add_registration(session, region_id=wales, language=language)
        session.get(Case, live.case_id).status = CaseStatus.ACTIVE
        other = add_registration(
            session, region_id=wales, language=language, possible_duplicate_of_id=live.case_id
        )
        session.commit()
        return overdue, other


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, as someone using only a keyboard would."""
    handle = target.element_handle()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("element => element === document.activeElement", handle):
            return
    raise AssertionError(f"Tab never reached {target}")


def enter(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def check(page: Page, tongue: Tongue, path: str, title: str, *, js: bool, error=False) -> None:
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(title, error=error))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{path} scrolls sideways at 375px ({width}px)"
    if js:
        assert_no_axe_violations(page)


def triage_by_keyboard(page: Page, tongue: Tongue, database: Engine, *, js: bool) -> None:
    _ = tongue._
    overdue, other = registrations(database, tongue)
    sign_in_as(page, ALYS, tongue)
    check(page, tongue, "/staff", "What needs you first", js=js)
    queue = page.locator("#to-triage")
    row = queue.locator("tr", has=page.get_by_role("link", name=overdue.reference))
    expect(row).to_contain_text(_("Overdue"))
    expect(row).to_contain_text(overdue.victim_name)

    # From the queue to the registration, by keyboard.
    tab_to(page, queue.get_by_role("link", name=overdue.reference))
    enter(page)
    triage_path = f"/staff/cases/{overdue.case_id}/triage"
    check(page, tongue, triage_path, "Triage this registration", js=js)
    expect(page.locator("main")).to_contain_text(overdue.victim_name)
    expect(page.locator("main")).to_contain_text(overdue.email)

    # Continue with no decision: the error summary says what to do.
    continue_button = page.locator("main").get_by_role("button", name=_("Continue"))
    tab_to(page, continue_button)
    enter(page)
    check(page, tongue, triage_path, "Triage this registration", js=js, error=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(_("Select what to do with this registration"))
    if js:
        expect(summary).to_be_focused()

    # Choose "Accept" (the first radio) with the space bar, then Continue.
    accept = page.get_by_label(_("Accept it and choose its Victim Liaison Officer"))
    tab_to(page, accept)
    page.keyboard.press("Space")
    expect(accept).to_be_checked()
    tab_to(page, continue_button)
    enter(page)
    check(page, tongue, f"{triage_path}/accept", "Accept this registration", js=js)
    officer = page.get_by_label(_("Victim Liaison Officer"), exact=True)
    expected_name = (
        _("%(name)s (speaks Welsh)") % {"name": "Alys Prydderch"}
        if tongue.code == "cy"
        else "Alys Prydderch"
    )
    expect(officer.locator("option:checked")).to_have_text(expected_name)
    tab_to(page, page.locator("main").get_by_role("button", name=_("Accept and assign")))
    enter(page)

    # On the case's own page, with the banner.
    check(page, tongue, f"/staff/cases/{overdue.case_id}", "Summary and timeline", js=js)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(overdue.reference)
    expect(banner).to_contain_text("Alys Prydderch")
    expect(page.get_by_role("link", name=overdue.reference)).to_have_count(0)  # not waiting
    with Session(database) as session:
        case = session.get(Case, overdue.case_id)
        alys = session.scalars(select(VictimLiaisonOfficer).filter_by(email=ALYS)).one()
        assert case.status == CaseStatus.ACTIVE and case.officer_id == alys.id

    # The other decisions' pages, for axe and the width (nothing is submitted); the
    # triage and join pages compare the flagged possible duplicate side by side.
    for step, title in (
        ("", "Triage this registration"),
        ("decline", "Decline this registration"),
        ("transfer", "Move this registration to another region"),
        ("link", "Join this registration to an existing case"),
    ):
        path = f"/staff/cases/{other.case_id}/triage" + (f"/{step}" if step else "")
        page.goto(path)
        check(page, tongue, path, title, js=js)
    expect(page.locator("#possible-duplicate")).to_be_visible()


@LANGUAGES
def test_triage_by_keyboard_with_javascript(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine
) -> None:
    triage_by_keyboard(page, tongue, live_database, js=True)
    problems.assert_none()


@LANGUAGES
def test_triage_by_keyboard_without_javascript(
    no_js: BrowserContext, tongue: Tongue, live_database: Engine
) -> None:
    page = no_js.new_page()
    problems = BrowserProblems(page)
    triage_by_keyboard(page, tongue, live_database, js=False)
    problems.assert_none()


def test_declining_in_welsh_shows_the_error_then_sends_on(
    page: Page, problems: BrowserProblems, live_database: Engine
) -> None:
    """ "Another reason" needs words for the victim: the error is in Welsh, focused, and
    axe finds nothing; then the decline is made."""
    from tests.support.browser import CYMRAEG

    _ = CYMRAEG._
    overdue, _other = registrations(live_database, CYMRAEG)
    sign_in_as(page, ALYS, CYMRAEG)
    path = f"/staff/cases/{overdue.case_id}/triage/decline"
    page.goto(path)
    page.get_by_label(_("Another reason")).check()
    with page.expect_navigation():
        page.get_by_role("button", name=_("Decline and tell the victim")).click()
    check(page, CYMRAEG, path, "Decline this registration", js=True, error=True)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        _("Explain to the victim why we cannot accept their request")
    )
    page.get_by_label(_("What you want to say to the victim (optional)")).fill(
        "Allen ni ddim dod o hyd i’r ddedfryd."
    )
    with page.expect_navigation():
        page.get_by_role("button", name=_("Decline and tell the victim")).click()
    expect(page).to_have_url(url_ending(f"/staff/cases/{overdue.case_id}"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(overdue.reference)
    with Session(live_database) as session:
        assert session.get(Case, overdue.case_id).status == CaseStatus.DECLINED
    problems.assert_none()
