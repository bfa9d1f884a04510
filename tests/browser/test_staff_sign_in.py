"""Staff sign in in a real browser, at 375px, in English and Welsh, with and without
JavaScript: email and password, the authenticator app's code, the home page, signing out,
with axe on every page. The demo officers (portal/demo.py) have fixed app secrets.
"""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from portal.demo import DEMO_OFFICER_PASSWORD, DEMO_TOTP_SECRETS
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import fresh_code

#: Who signs in on the pages of each language.
DEMO_OFFICER = {"en": "sam.okafor@example.gov.uk", "cy": "alys.prydderch@example.gov.uk"}
#: The context with JavaScript off, while its test runs (axe needs JavaScript).
NO_JS: dict[str, BrowserContext] = {}


def arrive(page: Page, tongue: Tongue, path: str, page_title: str, *, error: bool = False):
    """On the page, in the language; axe runs in the JavaScript run (it is a script)."""
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(page_title, error=error))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    if page.context is not NO_JS.get("context"):
        assert_no_axe_violations(page)


def press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=name, exact=True).click()


def sign_in_and_out(page: Page, tongue: Tongue, *, js: bool) -> None:
    _ = tongue._
    email = DEMO_OFFICER[tongue.code]
    page.goto(f"/staff?lang={tongue.code}")
    arrive(page, tongue, "/staff/sign-in", "Sign in to the Victim Liaison Officer console")

    page.get_by_label(_("Email address")).fill(email)
    page.get_by_label(_("Password"), exact=True).fill("not the password at all")
    press(page, _("Continue"))
    arrive(
        page, tongue, "/staff/sign-in", "Sign in to the Victim Liaison Officer console", error=True
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        _("The email address or password is not right. Check them and try again.")
    )

    page.get_by_label(_("Email address")).fill(email)
    page.get_by_label(_("Password"), exact=True).fill(DEMO_OFFICER_PASSWORD)
    press(page, _("Continue"))
    arrive(
        page,
        tongue,
        "/staff/sign-in/security-code",
        "Enter the security code from your authenticator app",
    )
    page.get_by_label(_("Security code")).fill(fresh_code(DEMO_TOTP_SECRETS[email]))
    press(page, _("Sign in"))

    arrive(page, tongue, "/staff", "What needs you first")
    navigation = page.locator(".govuk-service-navigation__list")
    expect(navigation.locator("form[method=post] button")).to_have_text([_("Sign out")])
    sign_out = navigation.locator("form[method=post] button")
    if js:  # behind "Menu" on a phone
        page.get_by_role("button", name=_("Menu")).click()
    with page.expect_navigation():
        sign_out.click()
    arrive(page, tongue, "/staff/signed-out", "You have signed out")
    page.goto("/staff")
    expect(page).to_have_url(url_ending("/staff/sign-in"))


@LANGUAGES
def test_staff_sign_in_with_javascript(page: Page, problems: BrowserProblems, tongue: Tongue):
    sign_in_and_out(page, tongue, js=True)
    problems.assert_none()


@LANGUAGES
def test_staff_sign_in_without_javascript(no_js: BrowserContext, tongue: Tongue):
    NO_JS["context"] = no_js
    page = no_js.new_page()
    problems = BrowserProblems(page)
    try:
        sign_in_and_out(page, tongue, js=False)
    finally:
        NO_JS.clear()
    problems.assert_none()
