"""Adding a referral from the police in a real browser, at 375px, in English and Welsh.

With JavaScript the whole form is done by keyboard alone (Tab, typing, arrows, Space
and Enter): a first try with Enter in the first field shows the errors, focus goes to
the error summary; the court list follows what is typed (htmx); the referral is
added and the banner gives its reference. Without JavaScript the court search is the
"Find court" button, which keeps everything typed. axe checks every page in the
JavaScript runs (it is a script), and nothing is wider than the screen.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine, text

from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

URL = "/staff/referrals/new"
TITLE = "Add a referral from the police"
#: Who adds the referral on the pages of each language (portal/demo.py).
OFFICER = {
    ("en", True): "sam.okafor@example.gov.uk",  # a manager: chooses the officer
    ("en", False): "priya.shah@example.gov.uk",  # an admin: chooses the region too
    ("cy", True): "alys.prydderch@example.gov.uk",  # a VLO in Wales
    ("cy", False): "alys.prydderch@example.gov.uk",
}
REFERENCE = re.compile(r"VCS-[0-9A-Z]{4}-[0-9A-Z]{4}")


def fits_the_screen(page: Page) -> None:
    """Nothing makes the page scroll sideways at 375px."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


#: Where a referral leads once added: the new case's page.
NEW_CASE = re.compile(r"/staff/cases/\d+$")


def arrive(page: Page, tongue: Tongue, path, title: str, *, js: bool, error=False) -> None:
    expect(page).to_have_url(path if isinstance(path, re.Pattern) else url_ending(path))
    expect(page).to_have_title(tongue.title(title, error=error))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    fits_the_screen(page)
    if js:
        assert_no_axe_violations(page)


# --- by keyboard alone -----------------------------------------------------------------


def focused(page: Page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector)


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has focus: it is reachable, in the page's order."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page: Page, field_id: str, value: str) -> None:
    tab_to(page, f"#{field_id}")
    page.keyboard.type(value)


def choose(page: Page, name: str, value: str) -> None:
    """A radio button: Tab into its group, then the arrow keys to the answer."""
    tab_to(page, f"input[type=radio][name='{name}']")
    target = page.locator(f"input[name='{name}'][value='{value}']")
    for _ in range(12):
        if focused(page, f"input[name='{name}'][value='{value}']"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def tick(page: Page, name: str, value: str) -> None:
    tab_to(page, f"input[name='{name}'][value='{value}']")
    page.keyboard.press("Space")
    expect(page.locator(f"input[name='{name}'][value='{value}']")).to_be_checked()


def pick(page: Page, field_id: str, label: str) -> None:
    """A select: focus it and move through its options with the arrow keys."""
    tab_to(page, f"#{field_id}")
    select = page.locator(f"#{field_id}")
    for _ in range(60):
        chosen = select.evaluate("(s) => s.options[s.selectedIndex].text.trim()")
        if chosen == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label} is not offered in #{field_id}")


def by_keyboard(page: Page, tongue: Tongue, email: str) -> None:
    _ = tongue._
    page.goto(f"{URL}?lang={tongue.code}")
    arrive(page, tongue, URL, TITLE, js=True)
    page.keyboard.press("Tab")  # the skip link first, as for everyone
    tab_to(page, "#referred_by")
    page.keyboard.type("Gwent Police Witness Care Unit")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sends the form: Enter adds the referral
    arrive(page, tongue, URL, TITLE, js=True, error=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(_("Enter the date of the referral"))
    expect(page.locator("#referred_by")).to_have_value("Gwent Police Witness Care Unit")

    page.keyboard.press("Tab")  # the summary's first link, to the first thing to fix
    expect(summary.locator("a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#referred-day")).to_be_focused()
    page.keyboard.type("2")
    type_into(page, "referred-month", "11")
    type_into(page, "referred-year", "2026")
    if page.locator("#officer").count():
        pick(page, "officer", "Sam Okafor")
    type_into(page, "victim_name", "Siân Ŵyn Jones")
    type_into(page, "born-day", "7")
    type_into(page, "born-month", "3")
    type_into(page, "born-year", "1985")
    choose(page, "registering_as", "self")
    choose(page, "language", tongue.code)
    tick(page, "accessibility_needs", "large-print")
    type_into(page, "email", email)
    choose(page, "email_safe", "yes")
    type_into(page, "mobile", "07700 900123")
    choose(page, "mobile_safe", "no")
    choose(page, "when", "between")
    pick(page, "safe_from", "09:00")
    pick(page, "safe_until", "17:00")
    type_into(page, "offender_name", "Dafydd Rhys")
    choose(page, "offence_type", "violent")
    type_into(page, "court_q", "abert" if tongue.code == "cy" else "swans")
    court = page.locator("#court-choices input[value='swansea']")
    expect(court).to_have_count(1)  # the courts follow the typing
    expect(page.locator("#court_q")).to_be_focused()  # focus stays where the typing is
    page.evaluate("window.__samePage = true")
    with page.expect_response(lambda response: "court_q=" in response.url):
        page.keyboard.press("Enter")  # Enter in the search searches, and sends nothing
    assert page.evaluate("window.__samePage === true")
    choose(page, "court", "swansea")
    type_into(page, "sentenced-month", "10")
    type_into(page, "sentenced-year", "2026")
    tab_to(page, "#main-content form button.govuk-button:not([hidden]):not([name])")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@LANGUAGES
def test_an_officer_adds_a_referral_by_keyboard_alone(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine
):
    _ = tongue._
    sign_in_as(page, OFFICER[(tongue.code, True)], tongue)
    email = f"referred-{uuid.uuid4().hex[:10]}@example.com"
    by_keyboard(page, tongue, email)
    arrive(page, tongue, NEW_CASE, "Summary and timeline", js=True)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_be_focused()  # GOV.UK's success banner takes focus: it is read out
    expect(banner).to_contain_text(REFERENCE)
    expect(banner).to_contain_text(
        _("It will be in Welsh.") if tongue.code == "cy" else _("It will be in English.")
    )
    with live_database.connect() as connection:
        channel, language = connection.execute(
            text(
                "SELECT channel, language FROM outbox_notifications WHERE recipient = :r "
                "AND template_key = 'referral_welcome'"
            ),
            {"r": email},
        ).one()
    assert (channel, language) == ("email", tongue.code)
    problems.assert_none()


# --- without JavaScript -----------------------------------------------------------------


def without_javascript(page: Page, tongue: Tongue, admin: bool) -> None:
    _ = tongue._
    page.goto(f"{URL}?lang={tongue.code}")
    arrive(page, tongue, URL, TITLE, js=False)
    page.locator("#referred_by").fill("North Wales Police Witness Care Unit")
    page.locator("#referred-day").fill("2")
    page.locator("#referred-month").fill("11")
    page.locator("#referred-year").fill("2026")
    if admin:
        page.locator("#region").select_option(label="Wales")
        page.locator("#officer").select_option(label="Alys Prydderch")
    page.locator("#victim_name").fill("Ifan Owen")
    page.locator("label[for='registering_as-2']").click()
    page.locator("#representative_name").fill("Gwen Owen")
    page.locator("label[for='language']").click()  # English
    page.locator("label[for='accessibility_needs-5']").click()  # something else
    page.locator("#accessibility_other").fill("Needs a hearing loop")
    page.locator("#address_line_1").fill("1 Stryd y Castell")
    page.locator("#town").fill("Caernarfon")
    page.locator("#postcode").fill("LL55 1SE")
    page.locator("label[for='letter_safe']").click()
    page.locator("#envelope_name_to_avoid").fill("Owen")
    page.locator("#offender_name").fill("Rhys Dafydd")
    page.locator("label[for='offence_type-2']").click()
    page.locator("#court_q").fill("caern")
    with page.expect_navigation():
        page.get_by_role("button", name=_("Find court"), exact=True).click()
    arrive(page, tongue, URL, TITLE, js=False)
    expect(page.locator("#court-count")).to_have_text(
        "1 llys yn cyfateb" if tongue.code == "cy" else "1 court matches"
    )
    # Everything typed is still there.
    expect(page.locator("#victim_name")).to_have_value("Ifan Owen")
    expect(page.locator("#accessibility_other")).to_have_value("Needs a hearing loop")
    expect(page.locator("input[name='letter_safe'][value='yes']")).to_be_checked()
    page.locator("#court-choices label").first.click()
    with page.expect_navigation():
        page.locator("#main-content form button.govuk-button:not([hidden]):not([name])").click()


@LANGUAGES
def test_an_officer_adds_a_referral_without_javascript(
    no_js: BrowserContext, tongue: Tongue, live_database: Engine
):
    _ = tongue._
    page = no_js.new_page()
    problems = BrowserProblems(page)
    admin = tongue.code == "en"
    sign_in_as(page, OFFICER[(tongue.code, False)], tongue)
    without_javascript(page, tongue, admin)
    arrive(page, tongue, NEW_CASE, "Summary and timeline", js=False)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(REFERENCE)
    expect(banner).to_contain_text(_("A welcome letter will go to the postal address marked safe."))
    reference = REFERENCE.search(banner.inner_text()).group(0)
    with live_database.connect() as connection:
        region, officer = connection.execute(
            text(
                "SELECT regions.code, victim_liaison_officers.email FROM cases "
                "JOIN regions ON regions.id = cases.region_id "
                "JOIN victim_liaison_officers ON victim_liaison_officers.id = cases.officer_id "
                "WHERE cases.reference = :r"
            ),
            {"r": reference},
        ).one()
    assert (region, officer) == ("wales", "alys.prydderch@example.gov.uk")
    problems.assert_none()
