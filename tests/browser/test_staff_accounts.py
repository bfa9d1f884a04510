"""Staff accounts and the timeout warning in a real browser, at 375px, in English and Welsh.

An administrator invites someone by keyboard; the invitation is read from what the live
server's notifications worker writes (the development provider's folder), as the person
would read their email; they choose a password (showing it first), set up an
authenticator app and keep their recovery codes. Without JavaScript the same pages work,
and deactivating the new account signs them out. The timeout warning is driven with
Playwright's clock: it opens 2 minutes before the 30-minute idle limit, is a modal dialog
that takes focus, counts down in minutes, stays signed in with Escape or its button, and
signs out when time runs out. Axe runs on every page with JavaScript, the dialog open too.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.live_server import REPO_ROOT, venv_tool
from tests.support.staff_browser import fresh_code, sign_in_as

ADMIN = "priya.shah@example.gov.uk"
#: Who waits for the timeout warning on the pages of each language.
IDLE_OFFICER = {"en": "sam.okafor@example.gov.uk", "cy": "alys.prydderch@example.gov.uk"}
NEW_PASSWORD = "seven purple tractors singing"


def check(
    page: Page, tongue: Tongue, path: str, page_title: str, *, axe: bool = True, error=False
) -> None:
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(page_title, error=error))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    if axe:
        assert_no_axe_violations(page)


def minutes_left(tongue: Tongue, minutes: int) -> str:
    """The dialog's title, in the catalogue's plural form for `minutes` (Welsh has six)."""
    text = tongue.catalogue.ngettext(
        "You will be signed out in %(num)d minute",
        "You will be signed out in %(num)d minutes",
        minutes,
    )
    return text % {"num": minutes}


def tab_to(page: Page, target, presses: int = 80) -> None:
    """Press Tab until `target` has focus, as someone with only a keyboard would."""
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def choose_radio(page: Page, group_name: str, value: str) -> None:
    """Tab into a group of radios and move to `value` with the arrow keys."""
    first = page.locator(f"input[name={group_name}]").first
    tab_to(page, first)
    for _ in range(20):
        if page.locator(f"input[name={group_name}][value='{value}']").is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{group_name}: no radio {value}")


def emailed_link(workdir: Path, recipient: str) -> str:
    """The link in the newest email to `recipient`: the live server's notifications are sent
    by the real worker (`flask notifications send-due`) through the development provider,
    which writes each to a file, as `make run` does."""
    outbox = workdir / "outbox"
    env = {
        **os.environ,
        "PORTAL_ENV": "testing",
        "PORTAL_TEST_DATABASE_URL": f"sqlite:///{workdir / 'browser.db'}",
        "NOTIFICATIONS_OUTBOX_DIR": str(outbox),
        "FLASK_APP": "wsgi.py",
    }
    subprocess.run(
        [venv_tool("flask"), "notifications", "send-due"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    emails = [
        path
        for path in sorted(outbox.glob("*.txt"), key=lambda path: path.stat().st_mtime)
        if path.read_text(encoding="utf-8").startswith(f"To: {recipient}\n")
    ]
    assert emails, f"no email to {recipient}"
    found = re.search(r"https?://\S+?(/staff/link/[A-Za-z0-9_-]+)", emails[-1].read_text("utf-8"))
    assert found, emails[-1].read_text("utf-8")
    return found.group(1)


def invite_by_keyboard(page: Page, tongue: Tongue, email: str) -> None:
    """From the console's home page: Staff accounts, then the invitation, by keyboard."""
    _ = tongue._
    navigation = page.get_by_role("navigation", name=_("Menu"))
    menu = page.get_by_role("button", name=_("Menu"))
    if menu.is_visible():  # on a phone the navigation is behind "Menu"
        tab_to(page, menu)
        page.keyboard.press("Enter")
    tab_to(page, navigation.get_by_role("link", name=_("Staff accounts")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page, tongue, "/staff/accounts", "Staff accounts")
    expect(page.locator("#accounts tbody tr").first).to_be_visible()
    tab_to(page, page.get_by_role("button", name=_("Invite a member of staff")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page, tongue, "/staff/accounts/invite", "Invite a member of staff")

    tab_to(page, page.get_by_label(_("Full name")))
    page.keyboard.type("Rhian Newydd")
    tab_to(page, page.get_by_label(_("Email address")))
    page.keyboard.type(email)
    choose_radio(page, "role", "vlo")
    choose_radio(page, "region", page.locator("input[name=region]").nth(2).get_attribute("value"))
    choose_radio(page, "speaks_welsh", "yes")
    choose_radio(page, "language", tongue.code)
    tab_to(page, page.get_by_role("button", name=_("Send the invitation")))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/accounts/\d+$"))
    banner = page.locator("#account-done")
    expect(banner).to_contain_text("Rhian Newydd")
    expect(page.locator("h1")).to_have_text("Rhian Newydd")


def accept_invitation(page: Page, tongue: Tongue, link: str, *, js: bool) -> None:
    """Choose a password (shown first, with JavaScript), set up the app, keep the codes."""
    _ = tongue._
    page.goto(f"{link}?lang={tongue.code}")
    check(page, tongue, link, "Choose a password for your account", axe=js)
    password = page.get_by_label(_("Password"), exact=True)
    password.fill(NEW_PASSWORD)
    if js:  # the GOV.UK password input's "Show" button
        expect(password).to_have_attribute("type", "password")
        page.get_by_role("button", name=_("Show password")).click()
        expect(password).to_have_attribute("type", "text")
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=_("Continue")).click()
    check(page, tongue, "/staff/sign-in/set-up-app", "Set up your authenticator app", axe=js)
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    page.get_by_label(_("Security code")).fill(fresh_code(secret))
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=_("Continue")).click()
    check(page, tongue, "/staff/sign-in/set-up-app", "Your recovery codes", axe=js)
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    with page.expect_navigation():
        page.get_by_role("button", name=_("I have kept my recovery codes safe")).click()
    check(page, tongue, "/staff", "What needs you first", axe=js)
    page.goto(link)
    expect(page.locator("h1")).to_have_text(_("This link does not work"))


@LANGUAGES
def test_invite_and_accept_an_invitation_with_javascript(
    page: Page,
    browser: Browser,
    problems: BrowserProblems,
    tongue: Tongue,
    live_workdir: Path,
    base_url: str,
):
    email = f"rhian.newydd.{tongue.code}.js@example.gov.uk"
    sign_in_as(page, ADMIN, tongue)
    invite_by_keyboard(page, tongue, email)
    assert_no_axe_violations(page)
    link = emailed_link(live_workdir, email)

    invitee = browser.new_context(
        base_url=base_url, viewport={"width": 375, "height": 667}, locale="en-GB"
    )
    try:
        invitee_page = invitee.new_page()
        invitee_problems = BrowserProblems(invitee_page)
        accept_invitation(invitee_page, tongue, link, js=True)
        # The used link, opened again on purpose: its kind page has the status 404.
        invitee_problems.assert_only(r"404 for .*/staff/link/", r"status of 404 \(NOT FOUND\)")
    finally:
        invitee.close()
    problems.assert_none()


@LANGUAGES
def test_invite_accept_and_deactivate_without_javascript(
    no_js: BrowserContext, browser: Browser, tongue: Tongue, live_workdir: Path, base_url: str
):
    _ = tongue._
    email = f"rhian.newydd.{tongue.code}.nojs@example.gov.uk"
    admin = no_js.new_page()
    sign_in_as(admin, ADMIN, tongue)
    admin.goto(f"/staff/accounts?lang={tongue.code}")
    check(admin, tongue, "/staff/accounts", "Staff accounts", axe=False)
    admin.get_by_label(_("Region")).select_option(index=1)
    with admin.expect_navigation():
        admin.get_by_role("button", name=_("Show accounts")).click()
    expect(admin).to_have_url(re.compile(r"/staff/accounts\?region="))
    with admin.expect_navigation():
        admin.get_by_role("button", name=_("Invite a member of staff")).click()
    with admin.expect_navigation():
        admin.get_by_role("button", name=_("Send the invitation")).click()
    check(
        admin, tongue, "/staff/accounts/invite", "Invite a member of staff", axe=False, error=True
    )
    expect(admin.locator(".govuk-error-summary")).to_contain_text(_("Enter their full name"))
    admin.get_by_label(_("Full name")).fill("Rhian Newydd")
    admin.get_by_label(_("Email address")).fill(email)
    admin.locator("input[name=role][value=vlo]").check()
    admin.locator("input[name=region]").nth(1).check()
    admin.locator("input[name=speaks_welsh][value=no]").check()
    with admin.expect_navigation():
        admin.get_by_role("button", name=_("Send the invitation")).click()
    expect(admin.locator("#account-done")).to_contain_text("Rhian Newydd")
    account_url = admin.url

    invitee = browser.new_context(
        base_url=base_url,
        viewport={"width": 375, "height": 667},
        locale="en-GB",
        java_script_enabled=False,
    )
    try:
        invitee_page = invitee.new_page()
        accept_invitation(invitee_page, tongue, emailed_link(live_workdir, email), js=False)

        admin.goto(account_url)
        with admin.expect_navigation():
            admin.get_by_role("link", name=_("Deactivate their account")).click()
        check(admin, tongue, "/deactivate", "Deactivate their account", axe=False)
        with admin.expect_navigation():
            admin.get_by_role("button", name=_("Deactivate the account")).click()
        expect(admin.locator("#account-done")).to_be_visible()

        invitee_page.goto("/staff")  # signed out at once
        expect(invitee_page).to_have_url(url_ending("/staff/sign-in"))
        invitee_page.get_by_label(_("Email address")).fill(email)
        invitee_page.get_by_label(_("Password"), exact=True).fill(NEW_PASSWORD)
        with invitee_page.expect_navigation():
            invitee_page.locator("#main-content").get_by_role("button", name=_("Continue")).click()
        expect(invitee_page.locator(".govuk-error-summary")).to_contain_text(
            _("The email address or password is not right. Check them and try again.")
        )
    finally:
        invitee.close()


@LANGUAGES
def test_every_other_account_and_link_page_passes_axe(
    page: Page, browser: Browser, tongue: Tongue, live_workdir: Path, base_url: str
):
    """Each page an administrator or a member of staff may meet, with JavaScript, axe on each:
    the change and confirmation pages, a success banner, the link pages (and their errors),
    the page for an app set up without a link, a link that no longer works."""
    _ = tongue._
    email = f"eira.axe.{tongue.code}@example.gov.uk"
    sign_in_as(page, ADMIN, tongue)
    page.goto(f"/staff/accounts/invite?lang={tongue.code}")
    page.get_by_label(_("Full name")).fill("Eira Axe")
    page.get_by_label(_("Email address")).fill(email)
    for name, value in (("role", "vlo"), ("speaks_welsh", "no"), ("language", tongue.code)):
        page.locator(f"input[name={name}][value={value}]").check()
    page.locator("input[name=region]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name=_("Send the invitation")).click()
    account = page.url
    check(page, tongue, account.split("/staff", 1)[1], "Staff account")
    for path, title in (
        ("/change", "Change their role, region and languages"),
        ("/invite-again", "Send a new invitation"),
        ("/reset-app", "Reset their authenticator app"),
        ("/reset-password", "Reset their password"),
        ("/deactivate", "Deactivate their account"),
        ("/reactivate", "Reactivate their account"),  # refused: it is active
    ):
        page.goto(account + path)
        check(page, tongue, path, title)

    visitor = browser.new_context(base_url=base_url, viewport={"width": 375, "height": 667})
    try:
        person = visitor.new_page()
        invitation = emailed_link(live_workdir, email)
        person.goto(f"{invitation}?lang={tongue.code}")
        person.get_by_label(_("Password"), exact=True).fill("too short")
        with person.expect_navigation():
            person.locator("#main-content").get_by_role("button", name=_("Continue")).click()
        check(person, tongue, invitation, "Choose a password for your account", error=True)
        person.get_by_label(_("Password"), exact=True).fill(NEW_PASSWORD)
        with person.expect_navigation():
            person.locator("#main-content").get_by_role("button", name=_("Continue")).click()
        expect(person).to_have_url(url_ending("/staff/sign-in/set-up-app"))
        person.goto(invitation)
        check(person, tongue, invitation, "This link does not work")
        person.context.clear_cookies()  # another browser, with the password alone
        person.goto(f"/staff/sign-in?lang={tongue.code}")
        person.get_by_label(_("Email address")).fill(email)
        person.get_by_label(_("Password"), exact=True).fill(NEW_PASSWORD)
        with person.expect_navigation():
            person.locator("#main-content").get_by_role("button", name=_("Continue")).click()
        check(
            person,
            tongue,
            "/staff/sign-in/set-up-app",
            "You need a link from an administrator to set up your app",
        )

        for action, button, title in (
            ("/reset-password", "Reset the password", "Choose a new password"),
            ("/reset-app", "Reset the authenticator app", "Set up your authenticator app again"),
        ):
            page.goto(account + action)
            with page.expect_navigation():
                page.get_by_role("button", name=_(button)).click()
            check(page, tongue, account.split("/staff", 1)[1], "Staff account")
            expect(page.locator("#account-done")).to_be_visible()
            link = emailed_link(live_workdir, email)
            person.goto(f"{link}?lang={tongue.code}")
            check(person, tongue, link, title)
        person.get_by_label(_("Password"), exact=True).fill("not the password at all")
        with person.expect_navigation():
            person.locator("#main-content").get_by_role("button", name=_("Continue")).click()
        check(person, tongue, link, "Set up your authenticator app again", error=True)
    finally:
        visitor.close()


# --- the timeout warning ----------------------------------------------------------------------


@LANGUAGES
def test_the_timeout_warning_by_keyboard(page: Page, problems: BrowserProblems, tongue: Tongue):
    _ = tongue._
    page.clock.install()
    sign_in_as(page, IDLE_OFFICER[tongue.code], tongue)
    dialog = page.locator("dialog#timeout-warning")
    expect(dialog).to_be_hidden()
    link = page.get_by_role("link", name=_("Skip to main content"))
    page.keyboard.press("Tab")
    expect(link).to_be_focused()

    page.clock.fast_forward("27:30")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("00:35")  # 2 minutes before the 30 are up
    expect(dialog).to_be_visible()
    title = dialog.get_by_role("heading")
    expect(title).to_have_text(minutes_left(tongue, 2))
    expect(page.get_by_role("dialog", name=title.inner_text())).to_be_visible()
    stay = dialog.get_by_role("button", name=_("Stay signed in"))
    expect(stay).to_be_focused()  # focus moves into the dialog
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # fits a phone
    assert_no_axe_violations(page)

    with page.expect_response("**/staff/session/extend") as extended:
        page.keyboard.press("Escape")  # Escape stays signed in
    assert extended.value.status == 204
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()  # focus goes back where it was

    page.clock.fast_forward("28:05")
    expect(dialog).to_be_visible()
    expect(stay).to_be_focused()
    with page.expect_response("**/staff/session/extend") as extended:
        page.keyboard.press("Enter")  # or its button
    assert extended.value.status == 204
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("28:05")
    expect(dialog).to_be_visible()
    page.clock.fast_forward("01:00")
    expect(title).to_have_text(minutes_left(tongue, 1))
    expect(dialog.locator("[data-timeout-status]")).to_have_text(minutes_left(tongue, 1))
    with page.expect_navigation():
        page.clock.fast_forward("01:00")  # time runs out
    expect(page).to_have_url(url_ending("/staff/sign-in"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        _("You were signed out to keep victims' information safe. Sign in again.")
    )
    page.goto("/staff")  # the session really ended on the server
    expect(page).to_have_url(url_ending("/staff/sign-in"))
    problems.assert_none()


def test_signing_out_from_the_timeout_warning(page: Page, problems: BrowserProblems):
    from tests.support.browser import ENGLISH

    page.clock.install()
    sign_in_as(page, IDLE_OFFICER["en"], ENGLISH)
    page.clock.fast_forward("28:01")
    dialog = page.locator("dialog#timeout-warning")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(url_ending("/staff/signed-out"))
    problems.assert_none()


def test_without_javascript_there_is_no_warning_and_nothing_changes(no_js: BrowserContext):
    from tests.support.browser import ENGLISH

    page = no_js.new_page()
    sign_in_as(page, IDLE_OFFICER["en"], ENGLISH)
    expect(page.locator("dialog#timeout-warning")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_have_count(0)
