"""What a person sees in a real browser: language, Exit this page, keyboard, no JS, no errors."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route, expect

from tests.support.axe import assert_no_axe_violations

EXIT_URL = "https://www.bbc.co.uk/weather"
#: The button goes through the portal, which ends any session, then to EXIT_URL.
EXIT_HREF = "/exit-this-page"


@dataclass(frozen=True)
class Language:
    code: str
    query: str
    start_heading: str
    exit_this_page: str
    not_found: str
    skip_link: str
    toggle_to: str


ENGLISH = Language(
    code="en",
    query="",
    start_heading="Get updates about the sentence of the person who harmed you",
    exit_this_page="Exit this page",
    not_found="Page not found",
    skip_link="Skip to main content",
    toggle_to="Cymraeg",
)
WELSH = Language(
    code="cy",
    query="?lang=cy",
    start_heading="Cael diweddariadau am ddedfryd y person a wnaeth niwed i chi",
    exit_this_page="Gadael y dudalen hon",
    not_found="Heb ddod o hyd i’r dudalen",
    skip_link="Neidio i’r prif gynnwys",
    toggle_to="English",
)
LANGUAGES = pytest.mark.parametrize("language", [ENGLISH, WELSH], ids=["en", "cy"])


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def expect_exit_this_page(page: Page, language: Language) -> None:
    button = page.get_by_role("button", name=language.exit_this_page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("href", EXIT_HREF)


def fake_bbc(page: Page) -> None:
    """The network is closed: answer for the BBC with a tiny page."""

    def fulfil(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>",
        )

    page.route("https://www.bbc.co.uk/**", fulfil)


@LANGUAGES
def test_start_page_is_in_the_language_asked_for(page: Page, language: Language) -> None:
    response = page.goto(f"/{language.query}")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language.code)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(language.start_heading)
    expect(page).to_have_title(re.compile("^" + re.escape(language.start_heading) + " – "))
    expect_exit_this_page(page, language)
    expect(page.get_by_role("link", name=language.toggle_to, exact=True)).to_be_visible()


@LANGUAGES
def test_start_page_has_no_accessibility_violations(page: Page, language: Language) -> None:
    page.goto(f"/{language.query}")

    assert_no_axe_violations(page)


@LANGUAGES
@pytest.mark.parametrize("width", [375, 320])
def test_start_page_fits_a_small_screen(page: Page, language: Language, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 667})
    page.goto(f"/{language.query}")

    expect(page.locator("h1")).to_have_text(language.start_heading)
    assert page_width(page) <= width, f"the page scrolls sideways at {width}px"


def test_language_toggle_switches_to_welsh_and_remembers_it(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Cymraeg", exact=True).click()

    page.wait_for_url(re.compile(r"\?lang=cy$"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text(WELSH.start_heading)

    page.goto("/")  # no ?lang: the choice comes from the cookie

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text(WELSH.start_heading)
    toggle = page.get_by_role("link", name="English", exact=True)
    expect(toggle).to_be_visible()
    expect(page.get_by_role("link", name="Cymraeg", exact=True)).to_have_count(0)

    toggle.click()  # and back again, remembered too

    page.wait_for_url(re.compile(r"\?lang=en$"))
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(ENGLISH.start_heading)


@LANGUAGES
def test_page_not_found(page: Page, language: Language) -> None:
    response = page.goto(f"/this-page-does-not-exist{language.query}")

    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", language.code)
    expect(page.locator("h1")).to_have_text(language.not_found)
    expect_exit_this_page(page, language)
    assert_no_axe_violations(page)


@LANGUAGES
def test_exit_this_page_leaves_for_the_bbc_weather(page: Page, language: Language) -> None:
    fake_bbc(page)
    page.goto(f"/{language.query}")

    page.get_by_role("button", name=language.exit_this_page).click()

    page.wait_for_url(EXIT_URL)
    expect(page.locator("h1")).to_have_text("Weather")


def test_pressing_shift_three_times_exits_the_page(page: Page) -> None:
    fake_bbc(page)
    page.goto("/")

    # Through the portal (which ends any session) and on to the BBC. Playwright does not
    # answer for the BBC at the end of a redirect started by script, so the test waits
    # for the browser to ask for it.
    with page.expect_request(EXIT_URL):
        for _ in range(3):
            page.keyboard.press("Shift")


@LANGUAGES
def test_first_tab_focuses_the_skip_link(page: Page, language: Language) -> None:
    page.goto(f"/{language.query}")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name=language.skip_link, exact=True)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # it appears when focused

    page.keyboard.press("Enter")

    expect(page.locator("main#main-content")).to_be_focused()


def test_works_without_javascript(new_context) -> None:
    context: BrowserContext = new_context(java_script_enabled=False)
    page = context.new_page()

    response = page.goto("/")

    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text(ENGLISH.start_heading)
    body_classes = (page.locator("body").get_attribute("class") or "").split()
    assert "js-enabled" not in body_classes
    assert "govuk-frontend-supported" not in body_classes
    # Exit this page is a plain link without JavaScript.
    expect(page.get_by_role("button", name=ENGLISH.exit_this_page)).to_have_attribute(
        "href", EXIT_HREF
    )

    page.get_by_role("link", name="Cymraeg", exact=True).click()

    page.wait_for_url(re.compile(r"\?lang=cy$"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text(WELSH.start_heading)


#: Records Content-Security-Policy violations from the moment the document starts.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}`
  );
});
"""


@pytest.mark.parametrize(
    ("path", "with_htmx"),
    [("/", False), ("/sign-in", True)],
    ids=["start page, no htmx on it", "sign-in, with htmx"],
)
def test_scripts_load_without_errors_or_csp_violations(
    page: Page, path: str, with_htmx: bool
) -> None:
    """htmx comes only with a page that uses it (portal/rendering.py); the rest runs on both."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} for {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.add_init_script(CSP_LISTENER)

    page.goto(path)
    page.wait_for_load_state("networkidle")

    # The inline script (with its nonce) ran, and so did the module and (if used) htmx.
    assert page.evaluate("document.body.classList.contains('js-enabled')")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert page.evaluate("typeof window.htmx === 'object'") is with_htmx
    # initAll() in /static/js/portal.mjs ran: GOV.UK components mark themselves.
    expect(page.locator("[data-module='govuk-exit-this-page']")).to_have_attribute(
        "data-govuk-exit-this-page-init", ""
    )
    expect(page.locator("[data-module='govuk-skip-link']")).to_have_attribute(
        "data-govuk-skip-link-init", ""
    )
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
