"""Signing in as a victim in a real browser, at 375px, in English and Welsh, with and without
JavaScript: from the start page to the case page and out again, with axe on every page.

The security code is read from the live server's outbox, as the person would read it from
their email. Each language signs in as its own demo victim, so no address runs out of codes.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine

from tests.support.axe import assert_no_axe_violations
from tests.support.browser import CYMRAEG, LANGUAGES, Tongue, latest_code, url_ending
from tests.support.browser_problems import BrowserProblems

#: The demo victims (portal/demo.py): who signs in on the pages of each language.
DEMO_VICTIM = {"en": "jordan.ellis@example.com", "cy": "carys.hughes@example.com"}
#: What each one's timeline shows first, in the page's language.
NEWEST_DATE = {"en": "8 July 2024", "cy": "Hydref 2026"}


def arrive(page: Page, tongue: Tongue, path: str, page_title: str, *, js: bool, swapped: bool):
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(page_title))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    if js:
        if swapped:
            expect(page.locator("h1")).to_be_focused()
        assert_no_axe_violations(page)


def press(page: Page, name: str, *, js: bool) -> None:
    button = page.get_by_role("button", name=name, exact=True)
    if js:
        button.click()
    else:
        with page.expect_navigation():
            button.click()


def sign_in_and_out(page: Page, tongue: Tongue, database: Engine, *, js: bool) -> None:
    _ = tongue._
    email = DEMO_VICTIM[tongue.code]
    page.goto(f"/?lang={tongue.code}")
    with page.expect_navigation():
        page.get_by_role("link", name=_("Sign in to see your case")).click()
    arrive(
        page,
        tongue,
        "/sign-in",
        "Sign in with your email address or mobile number",
        js=js,
        swapped=False,
    )
    if js:
        page.evaluate("window.__sameDocument = true")

    page.get_by_label(_("Sign in with your email address or mobile number")).fill(email)
    press(page, _("Send a code"), js=js)
    arrive(page, tongue, "/sign-in/security-code", "Enter the security code", js=js, swapped=True)
    if js:  # swapped in, not a page load
        assert page.evaluate("window.__sameDocument") is True
    page.get_by_label(_("Security code")).fill(latest_code(database, email))
    # Signed in, the header changes too (your case, sign out): a whole new page, with or
    # without JavaScript.
    press(page, _("Sign in"), js=False)

    arrive(page, tongue, "/account", "Your case", js=js, swapped=False)
    # The newest event (messages, written today, come before it: test_messages.py).
    timeline = page.locator(".app-timeline li:not(.app-timeline__item--message) time").first
    expect(timeline).to_have_text(NEWEST_DATE[tongue.code])
    # The header now offers the case and signing out (behind "Menu" on a phone with JavaScript):
    # signing out is a button (a form that posts the CSRF token) that looks like a link.
    navigation = page.locator(".govuk-service-navigation__list")
    # "Messages" may count unread replies (a number, and words for screen readers).
    expect(navigation.locator("a")).to_have_text(
        [_("Your case"), re.compile(r"^\s*" + re.escape(_("Messages"))), _("Your data")]
    )
    expect(navigation.locator("form[method=post] button")).to_have_text([_("Sign out")])

    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=_("Sign out")).click()
    arrive(page, tongue, "/signed-out", "You have signed out", js=js, swapped=False)
    page.goto("/account")
    expect(page).to_have_url(url_ending("/sign-in"))


@LANGUAGES
def test_signing_in_with_javascript(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine
) -> None:
    sign_in_and_out(page, tongue, live_database, js=True)
    problems.assert_none()


@LANGUAGES
def test_signing_in_without_javascript(
    no_js: BrowserContext, tongue: Tongue, live_database: Engine
) -> None:
    page = no_js.new_page()
    problems = BrowserProblems(page)
    sign_in_and_out(page, tongue, live_database, js=False)
    problems.assert_none()


def test_a_wrong_code_focuses_the_error_summary(
    page: Page, problems: BrowserProblems, live_database: Engine
) -> None:
    page.goto("/sign-in")
    page.get_by_label("Sign in with your email address or mobile number").fill("07700 900456")
    press(page, "Send a code", js=True)
    expect(page).to_have_url(url_ending("/sign-in/security-code"))
    code = latest_code(live_database, "+447700900456")
    page.get_by_label("Security code").fill("000000" if code != "000000" else "111111")
    press(page, "Sign in", js=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The security code is not right, or it has run out.")
    assert_no_axe_violations(page)
    page.get_by_label("Security code").fill(code)
    press(page, "Sign in", js=False)
    expect(page).to_have_url(url_ending("/account"))
    expect(page.locator("main")).to_contain_text(
        re.compile("Not chosen yet. A Victim Liaison Officer will contact you by")
    )
    assert_no_axe_violations(page)
    problems.assert_none()


def test_the_sign_in_and_case_pages_fit_a_320px_screen(page: Page, live_database: Engine) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    email = DEMO_VICTIM["cy"]
    page.goto("/sign-in?lang=cy")
    page.get_by_label(CYMRAEG._("Sign in with your email address or mobile number")).fill(email)
    press(page, CYMRAEG._("Send a code"), js=True)
    expect(page).to_have_url(url_ending("/sign-in/security-code"))
    page.get_by_label(CYMRAEG._("Security code")).fill(latest_code(live_database, email))
    press(page, CYMRAEG._("Sign in"), js=False)
    expect(page).to_have_url(url_ending("/account"))
    for path in ("/account", "/sign-in/security-code", "/sign-out", "/signed-out", "/sign-in"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways at 320px ({width}px)"


def sign_in_by_mobile(page: Page, database: Engine, *, js: bool) -> None:
    """Sign in as the demo mobile number (a registration waiting for an officer)."""
    page.goto("/sign-in")
    page.get_by_label("Sign in with your email address or mobile number").fill("07700 900456")
    press(page, "Send a code", js=js)
    expect(page).to_have_url(url_ending("/sign-in/security-code"))
    page.get_by_label("Security code").fill(latest_code(database, "+447700900456"))
    press(page, "Sign in", js=False)
    expect(page).to_have_url(url_ending("/account"))


def test_sign_out_in_the_header_is_a_button_that_looks_like_a_link(
    page: Page, problems: BrowserProblems, live_database: Engine
) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in_by_mobile(page, live_database, js=True)
    navigation = page.locator(".govuk-service-navigation__list")
    your_case = navigation.get_by_role("link", name="Your case")
    sign_out = navigation.get_by_role("button", name="Sign out", exact=True)
    style = (
        "el => [getComputedStyle(el).color, getComputedStyle(el).fontSize, "
        "getComputedStyle(el).backgroundColor, getComputedStyle(el).borderTopWidth]"
    )
    link_color, link_size, _, _ = your_case.evaluate(style)
    color, size, background, border = sign_out.evaluate(style)
    assert (color, size) == (link_color, link_size)
    assert background == "rgba(0, 0, 0, 0)" and border == "0px"
    # On a phone it is behind "Menu", with the links.
    page.set_viewport_size({"width": 375, "height": 700})
    expect(sign_out).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(sign_out).to_be_visible()
    sign_out.focus()
    expect(sign_out).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(url_ending("/signed-out"))
    assert_no_axe_violations(page)
    problems.assert_none()


def fake_bbc(page: Page) -> None:
    """The network is closed: answer for the BBC with a tiny page."""
    page.context.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>",
        ),
    )


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_exit_this_page_signs_out_before_leaving(
    browser: Browser, base_url: str, live_database: Engine, js: bool
) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=js)
    page = context.new_page()
    fake_bbc(page)
    sign_in_by_mobile(page, live_database, js=js)

    page.get_by_role("button", name="Exit this page").click()

    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert not [c for c in context.cookies() if c["name"] == "vcs_session"]
    # Back does not bring the case page back: the session has ended.
    page.go_back()
    expect(page).to_have_url(url_ending("/sign-in"))
    page.goto("/account")
    expect(page).to_have_url(url_ending("/sign-in"))
    context.close()
