"""Registering in a real browser, at 375px, in English and Welsh, with and without JavaScript.

The whole journey, from the start page to the confirmation panel, with an axe
check on every page. With JavaScript each answer swaps in the next question
(no page load; the URL, title and back link follow; focus moves to the new
heading or the error summary), a field is checked when it loses focus, and
the court search shows results as you type. Without JavaScript every page is
a plain form and the court search is a button and a results page. The
security code is read from the live server's outbox, as the person would
read it from their email.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine

from tests.support.axe import assert_no_axe_violations
from tests.support.browser import (
    CYMRAEG,
    ENGLISH,
    LANGUAGES,
    Tongue,
    latest_code,
    settled,
    url_ending,
)
from tests.support.browser_problems import BrowserProblems


class Journey:
    """One person registering: fills each page as a person would, checking it on the way."""

    def __init__(self, page: Page, tongue: Tongue, *, js: bool) -> None:
        self.page, self.tongue, self.js = page, tongue, js
        self.email = f"reg-{uuid.uuid4().hex[:10]}@example.com"

    def tick(self, name: str, value: str) -> None:
        box = self.page.locator(f"input[name='{name}'][value='{value}']")
        self.page.locator(f"label[for='{box.get_attribute('id')}']").click()
        expect(box).to_be_checked()

    def fill(self, field_id: str, value: str) -> None:
        self.page.locator(f"#{field_id}").fill(value)

    def submit(self) -> None:
        button = self.page.locator("#main-content form[method=post] button[type=submit]").first
        if self.js:
            button.click()
        else:
            with self.page.expect_navigation():
                button.click()

    def arrive(self, path: str, page_title: str, swapped: bool = True) -> None:
        """The page for `path` is showing, whole or swapped in; it passes axe."""
        expect(self.page).to_have_url(url_ending(path))
        expect(self.page).to_have_title(self.tongue.title(page_title))
        expect(self.page.locator("html")).to_have_attribute("lang", self.tongue.code)
        expect(self.page.locator("h1")).to_have_count(1)
        if self.js:
            if swapped:
                # Focus follows the swap to the new page's heading, for screen readers.
                expect(self.page.locator("h1")).to_be_focused()
            # axe runs in the page, so only where JavaScript is on; the pages are the same
            # HTML without it (tests/functional checks the plain pages).
            assert_no_axe_violations(self.page)

    def answer(self, path: str, page_title: str, fill) -> None:
        self.arrive(path, page_title)
        fill()
        self.submit()


def register(page: Page, tongue: Tongue, database: Engine, *, js: bool) -> Journey:
    journey = Journey(page, tongue, js=js)
    _ = tongue._
    page.goto(f"/register?lang={tongue.code}")
    expect(page).to_have_title(tongue.title("Register for the Victim Contact Scheme"))
    if js:
        assert_no_axe_violations(page)
    with page.expect_navigation():  # the start button is a plain form: a whole new page
        page.get_by_role("button", name=_("Start now")).click()
    if js:
        page.evaluate("window.__sameDocument = true")

    journey.arrive(
        "/register/who", "Who is registering?", swapped=False
    )  # first page: loaded, not swapped
    journey.tick("registering_as", "self")
    journey.submit()
    journey.answer(
        "/register/victim-name",
        "What is your full name?",
        lambda: journey.fill("victim_name", "Siân Ŵyn Jones"),
    )
    journey.answer(
        "/register/date-of-birth",
        "What is your date of birth?",
        lambda: (
            journey.fill("day", "7"),
            journey.fill("month", "3"),
            journey.fill("year", "1985"),
        ),
    )

    def contact():
        journey.tick("ways", "email")
        journey.fill("email", journey.email)

    journey.answer("/register/contact", "How can we contact you?", contact)
    journey.answer(
        "/register/safe-contact",
        "Which of these is it safe for us to use?",
        lambda: journey.tick("safe", "email"),
    )
    journey.answer(
        "/register/language",
        "Which language do you want us to write to you in?",
        lambda: journey.tick("language", tongue.code),
    )
    journey.answer(
        "/register/accessibility",
        "Do you need any of these to read or talk to us?",
        lambda: journey.tick("accessibility_needs", "none"),
    )
    journey.answer(
        "/register/offender",
        "What is the name of the person who committed the crime?",
        lambda: journey.fill("offender_name", f"Offender {journey.email[4:14]}"),
    )
    journey.answer(
        "/register/offence",
        "What kind of crime was it?",
        lambda: journey.tick("offence_type", "violent"),
    )

    journey.arrive("/register/court", "Which court sentenced them?")
    search = page.locator("#q")
    if js:
        # Results as you type: no button, no page load, and focus stays in the box.
        search.press_sequentially("caerd" if tongue.code == "cy" else "card", delay=30)
        expect(page.locator("#court-choices input[value='cardiff']")).to_have_count(1)
        expect(search).to_be_focused()
        assert_no_axe_violations(page)
    else:
        search.fill("caerdydd" if tongue.code == "cy" else "cardiff")
        with page.expect_navigation():
            page.get_by_role("button", name=_("Search"), exact=True).click()
        expect(page).to_have_url(re.compile(r"/register/court\?q=(cardiff|caerdydd)$"))
    journey.tick("court", "cardiff")
    journey.submit()

    journey.answer(
        "/register/sentenced",
        "When were they sentenced?",
        lambda: (journey.fill("month", "4"), journey.fill("year", "2024")),
    )
    journey.answer(
        "/register/sentence", "About the sentence", lambda: journey.fill("sentence", "8 years")
    )
    journey.answer(
        "/register/updates",
        "How much do you want to hear?",
        lambda: journey.tick("updates_wanted", "every_stage"),
    )

    journey.arrive("/register/check-answers", "Check your answers")
    expect(page.locator(".govuk-summary-list")).to_have_count(3)
    expect(page.locator("#main-content")).to_contain_text("Siân Ŵyn Jones")
    journey.submit()

    journey.arrive("/register/verify", "Where should we send a security code?")
    expect(page.locator("input[name=way][value=email]")).to_be_checked()  # the only choice
    journey.submit()
    journey.arrive("/register/security-code", "Enter the security code")
    journey.fill("code", latest_code(database, journey.email))
    journey.submit()

    journey.arrive("/register/declaration", "Send your request to join")
    journey.tick("agree", "y")
    journey.submit()
    expect(page).to_have_url(url_ending("/register/confirmation"))
    expect(page).to_have_title(tongue.title("Request sent"))
    reference = page.locator(".govuk-panel strong").inner_text().strip()
    assert re.fullmatch(r"VCS-[0-9A-Z]{4}-[0-9A-Z]{4}", reference), reference
    if js:
        assert_no_axe_violations(page)
        assert page.evaluate("window.__sameDocument === true"), "a whole page load happened"
    return journey


# --- the whole journey ---------------------------------------------------------------------


@LANGUAGES
def test_registering_with_javascript(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine
) -> None:
    register(page, tongue, live_database, js=True)
    problems.assert_none()


@LANGUAGES
def test_registering_without_javascript(
    no_js: BrowserContext, tongue: Tongue, live_database: Engine
) -> None:
    page = no_js.new_page()
    problems = BrowserProblems(page)
    register(page, tongue, live_database, js=False)
    problems.assert_none()


# --- errors, inline checks, back button ----------------------------------------------------


def start(page: Page, tongue: Tongue) -> Journey:
    journey = Journey(page, tongue, js=True)
    page.goto(f"/register?lang={tongue.code}")
    with page.expect_navigation():
        page.get_by_role("button", name=tongue._("Start now")).click()
    journey.tick("registering_as", "self")
    journey.submit()
    expect(page).to_have_url(url_ending("/register/victim-name"))
    return journey


@LANGUAGES
def test_an_error_with_javascript_focuses_the_summary(
    page: Page, problems: BrowserProblems, tongue: Tongue
) -> None:
    journey = start(page, tongue)
    journey.submit()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(tongue._("Enter the victim’s full name"))
    expect(page).to_have_title(tongue.title("What is your full name?", error=True))
    expect(page).to_have_url(url_ending("/register/victim-name"))
    assert_no_axe_violations(page)
    problems.assert_none()


def test_a_field_is_checked_when_it_loses_focus(page: Page, problems: BrowserProblems) -> None:
    journey = start(page, ENGLISH)
    journey.fill("victim_name", "Siân")
    journey.submit()
    journey.fill("day", "31")
    page.locator("#month").focus()  # moving between the parts of a date checks nothing
    journey.fill("month", "2")
    page.locator("#year").focus()
    journey.fill("year", "2000")
    expect(page.locator("#day-group .govuk-error-message")).to_have_count(0)
    page.keyboard.press("Tab")  # leaving the date checks it, and focus moves on
    expect(page.locator("#day-group .govuk-error-message")).to_contain_text(
        "Date of birth must be a real date"
    )
    expect(page.locator("#inline-status")).to_contain_text("Date of birth must be a real date")
    settled(page)  # as a person would: the swapped-in date is still, then they type
    expect(page.locator("#day")).not_to_be_focused()
    journey.fill("day", "28")
    page.locator("#year").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#day-group .govuk-error-message")).to_have_count(0)
    journey.submit()
    expect(page).to_have_url(url_ending("/register/contact"))
    journey.tick("ways", "email")
    email = page.locator("#email")
    email.fill("not an email")
    email.press("Tab")
    expect(page.locator("#email-group .govuk-error-message")).to_contain_text(
        "Enter an email address in the correct format"
    )
    assert_no_axe_violations(page)
    problems.assert_none()


def test_back_and_forward_buttons_after_swaps(page: Page, problems: BrowserProblems) -> None:
    journey = start(page, ENGLISH)
    journey.fill("victim_name", "Siân")
    journey.submit()
    expect(page).to_have_url(url_ending("/register/date-of-birth"))
    page.go_back()
    expect(page).to_have_url(url_ending("/register/victim-name"))
    expect(page.locator("h1")).to_have_text("What is your full name?")
    expect(page.locator("#victim_name")).to_have_value("Siân")  # saved as you go
    page.go_forward()
    expect(page).to_have_url(url_ending("/register/date-of-birth"))
    expect(page.locator("h1")).to_have_text("What is your date of birth?")
    problems.assert_none()


def test_the_registration_pages_fit_a_320px_screen(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    start(page, CYMRAEG)
    for path in ("/register/victim-name", "/register", "/register/resume"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways at 320px ({width}px)"
