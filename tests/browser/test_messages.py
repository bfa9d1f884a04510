"""A victim's messages in a real browser, at 375px (and 320px), in English and Welsh, with and
without JavaScript, with axe on every page and state.

With JavaScript the message appears in place, the form clears, focus goes to the success
banner (a live region: role=alert), and the address and Back follow; a reply appears by
polling without a reload, is announced, and leaves focus where the person is typing;
polling waits while the tab is hidden. The timeout warning opens 2 minutes before the
30-minute idle limit (driven with Playwright's clock, as the staff one is), saves what is
being written, and when time runs out the next sign-in finds it in the box. Without
JavaScript the same form sends (POST, redirect, GET) and the limit is stated.

Each test has a victim of its own (tests/support/victim_browser.py), signed in with a
session put straight into the cookie: the sign-in pages are tested in test_sign_in.py.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.victim_browser import (
    BrowserVictim,
    another_case,
    new_victim,
    officer_replies,
    sign_in_browser,
    written_earlier,
)


def conversation(victim: BrowserVictim) -> str:
    return f"/account/cases/{victim.reference}/messages"


def signed_in(live_app: Flask, page: Page, base_url: str, tongue: Tongue) -> BrowserVictim:
    victim = new_victim(live_app, tongue.code)
    sign_in_browser(live_app, page.context, base_url, victim.email)
    return victim


def check(page: Page, tongue: Tongue, path: str, title: str, *, axe: bool = True) -> None:
    """On `path`, titled `title` (already in the page's language), one h1, axe clean."""
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(f"{title} – {tongue._('Victim Contact Scheme')} – GOV.UK")
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    if axe:
        assert_no_axe_violations(page)


def polled(response) -> bool:
    return "/messages/new?after=" in response.url


def title_of(tongue: Tongue, victim: BrowserVictim) -> str:
    return tongue._("Messages about case %(reference)s") % {"reference": victim.reference}


# --- with JavaScript ---------------------------------------------------------------------------


@LANGUAGES
def test_sending_with_javascript_shows_the_message_in_place(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_app: Flask, base_url: str
):
    _ = tongue._
    victim = signed_in(live_app, page, base_url, tongue)
    page.goto(f"/account?lang={tongue.code}")
    check(page, tongue, "/account", _("Your case"))
    # The case's messages, with its unread reply counted (a number, and words).
    link = page.locator("li.app-case-messages a")
    expect(link).to_contain_text(_("Messages"))
    expect(link.locator(".app-unread-count")).to_have_text("1")
    with page.expect_navigation():
        link.click()
    check(page, tongue, conversation(victim), title_of(tongue, victim))
    page.evaluate("window.__sameDocument = true")
    expect(page.locator(".app-message__new")).to_have_text(_("New"))
    box = page.get_by_label(_("Your message"))

    # Sending nothing is an error, in place, with the summary focused.
    page.get_by_role("button", name=_("Send message")).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(_("Enter your message"))
    expect(page).to_have_title(re.compile("^" + re.escape(_("Error:"))))
    assert_no_axe_violations(page)

    words = "Diolch am yr ateb." if tongue.code == "cy" else "Thank you for the reply."
    box.fill(words)
    count = page.locator(".govuk-character-count__status")
    remaining = 2000 - len(words)
    # The count's words are the catalogue's, and the number is the browser's, as it
    # writes numbers in the page's language ("1,982" in English, "1982" in Welsh).
    words_left = tongue.catalogue.ngettext(
        "You have %(count)s character remaining",
        "You have %(count)s characters remaining",
        remaining,
    )
    number = f"{remaining // 1000},?{remaining % 1000:03d}"
    expect(count).to_have_text(
        re.compile(re.escape(words_left).replace(re.escape("%(count)s"), number))
    )
    page.get_by_role("button", name=_("Send message")).click()

    banner = page.locator("#message-sent")
    expect(banner).to_be_focused()
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text(_("Your message has been sent"))
    last = page.locator("#conversation-list > li").last
    expect(last.locator(".app-message__body")).to_have_text(words)
    expect(last.locator("h2")).to_have_text(_("You"))
    expect(page.get_by_label(_("Your message"))).to_have_value("")
    expect(page).to_have_url(re.compile(re.escape(conversation(victim)) + r"\?sent=\d+$"))
    assert page.evaluate("window.__sameDocument") is True  # swapped in, not reloaded
    assert_no_axe_violations(page)
    sent_id = page.url.rpartition("=")[2]
    expect(banner.get_by_role("link", name=_("Go to your message"))).to_have_attribute(
        "href", f"#message-{sent_id}"
    )

    # Back: the conversation as it was before, which now has the message too.
    page.go_back()
    expect(page).to_have_url(url_ending(conversation(victim)))
    expect(page.locator("#conversation-list > li").last.locator(".app-message__body")).to_have_text(
        words
    )
    expect(page.locator("#message-sent")).to_have_count(0)
    page.wait_for_load_state("load")
    problems.assert_none()


def test_a_reply_appears_without_a_reload_and_polling_waits_while_the_tab_is_hidden(
    page: Page, problems: BrowserProblems, live_app: Flask, base_url: str
):
    from tests.support.browser import ENGLISH

    page.clock.install()
    victim = signed_in(live_app, page, base_url, ENGLISH)
    page.goto(conversation(victim))
    page.evaluate("window.__sameDocument = true")
    box = page.get_by_label("Your message")
    box.click()
    box.type("I am still typing")  # focus stays here whatever arrives
    polls = []
    page.on("request", lambda r: polls.append(r) if "/messages/new" in r.url else None)

    with page.expect_response(polled) as answered:
        page.clock.fast_forward("00:21")
    assert answered.value.status == 204  # nothing new: nothing swapped
    assert answered.value.request.headers.get("x-portal-quiet") == "1"
    expect(page.locator("#conversation-list > li")).to_have_count(1)

    reply_id = officer_replies(live_app, victim, "A reply, while you were writing.", "en")
    with page.expect_response(polled) as answered:
        page.clock.fast_forward("00:21")
    assert answered.value.status == 200
    reply = page.locator(f"#message-{reply_id}")
    expect(reply.locator(".app-message__body")).to_have_text("A reply, while you were writing.")
    expect(reply.locator(".app-message__new")).to_have_text("New")
    expect(page.locator("#conversation-status")).to_have_text(
        "1 new reply from your Victim Liaison Officer"
    )
    expect(box).to_be_focused()
    expect(box).to_have_value("I am still typing")
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)

    # A hidden tab does not ask; shown again, it asks at once.
    page.evaluate(
        "() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    asked = len(polls)
    page.clock.fast_forward("01:05")
    page.wait_for_timeout(200)
    assert len(polls) == asked
    with page.expect_request(polled):
        page.evaluate(
            "() => { Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
            " document.dispatchEvent(new Event('visibilitychange')); }"
        )
    problems.assert_none()


def test_the_timeout_warning_keeps_what_is_being_written(
    page: Page, problems: BrowserProblems, live_app: Flask, base_url: str
):
    from tests.support.browser import ENGLISH

    page.clock.install()
    victim = signed_in(live_app, page, base_url, ENGLISH)
    page.goto(conversation(victim))
    box = page.get_by_label("Your message")
    box.fill("Half a thought")
    with page.expect_response("**/messages/draft") as saved:
        page.clock.fast_forward("00:03")  # typing stopped for 2 seconds: kept
    assert saved.value.status == 200
    expect(page.locator("#draft-status")).to_contain_text("Draft saved at")
    box.press("End")
    box.type(", and the rest")
    with page.expect_response("**/messages/draft"):
        page.clock.fast_forward("00:03")

    dialog = page.locator("dialog#timeout-warning")
    with page.expect_request(
        lambda r: r.url.endswith("/messages/draft") and r.headers.get("x-portal-quiet") == "1"
    ) as kept:
        page.clock.fast_forward("28:00")  # 2 minutes before the 30 are up: kept once more
    assert "body=Half%20a%20thought%2C%20and%20the%20rest" in (kept.value.post_data or "")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_no_axe_violations(page)

    with page.expect_response("**/account/session/extend") as extended:
        page.keyboard.press("Escape")  # stay signed in
    assert extended.value.status == 204
    expect(dialog).to_be_hidden()

    # The warning opens again and keeps the words once more: that save is answered before
    # time runs out (fast-forwarded, it could reach the server after the sign-out and be
    # sent to the sign-in page, which would use up its one-time banner).
    with page.expect_response(lambda r: r.url.endswith("/messages/draft")):
        page.clock.fast_forward("28:05")
    expect(dialog).to_be_visible()
    with page.expect_navigation():
        page.clock.fast_forward("02:00")  # nobody came back
    expect(page).to_have_url(url_ending("/sign-in"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You were signed out to keep your information safe."
    )

    # Signed in again: the words are back in the box, and the page says so.
    sign_in_browser(live_app, page.context, base_url, victim.email)
    page.goto(conversation(victim))
    expect(page.get_by_label("Your message")).to_have_value("Half a thought, and the rest")
    expect(page.locator("#draft-kept")).to_contain_text("We kept the message you had not sent.")
    assert_no_axe_violations(page)
    problems.assert_none()


def test_the_timeline_filter_swaps_the_list_and_keeps_focus(
    page: Page, problems: BrowserProblems, live_app: Flask, base_url: str
):
    from tests.support.browser import CYMRAEG as tongue

    _ = tongue._
    victim = signed_in(live_app, page, base_url, tongue)
    page.goto("/account?lang=cy")
    page.evaluate("window.__sameDocument = true")
    entries = page.locator(f"#timeline-entries-{victim.reference} li")
    expect(entries).to_have_count(2)  # the reply and the letter
    choice = page.get_by_label(_("Calls, letters and meetings"))
    choice.check()
    expect(entries).to_have_count(1)
    expect(entries.first.locator("h4")).to_have_text(_("Letter"))
    expect(page).to_have_url(url_ending("/account?show=contacts"))
    expect(choice).to_be_focused()
    expect(page.locator(f"#timeline-status-{victim.reference}")).to_have_text(
        _("Showing calls, letters and meetings only")
    )
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)
    page.get_by_label(_("Messages"), exact=True).check()
    expect(entries).to_have_count(1)
    expect(entries.first.locator("h4")).to_have_text(
        _("Message from %(name)s") % {"name": victim.officer_name}
    )
    page.go_back()
    expect(page).to_have_url(url_ending("/account?show=contacts"))
    expect(page.get_by_label(_("Calls, letters and meetings"))).to_be_checked()
    problems.assert_none()


def test_the_limit_is_explained_in_place_and_the_words_are_kept(
    page: Page, problems: BrowserProblems, live_app: Flask, base_url: str
):
    from portal.domain.messages import PER_HOUR
    from tests.support.browser import ENGLISH

    victim = signed_in(live_app, page, base_url, ENGLISH)
    written_earlier(live_app, victim, PER_HOUR)
    page.goto(conversation(victim))
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Your message").fill("One more thing.")
    page.get_by_role("button", name="Send message").click()
    banner = page.locator("#message-limit")
    expect(banner).to_be_focused()
    expect(banner).to_contain_text("Your message has not been sent yet")
    expect(banner).to_contain_text("If you are in danger now, call 999.")
    expect(page.get_by_label("Your message")).to_have_value("One more thing.")
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)
    # The refusal is a 429, as without JavaScript (the browser logs it too).
    problems.assert_only(r"^429 for .*/messages$", r"status of 429")


# --- without JavaScript ------------------------------------------------------------------------


@LANGUAGES
def test_sending_without_javascript(
    no_js: BrowserContext, tongue: Tongue, live_app: Flask, base_url: str
):
    _ = tongue._
    page = no_js.new_page()
    problems = BrowserProblems(page)
    victim = new_victim(live_app, tongue.code)
    sign_in_browser(live_app, no_js, base_url, victim.email)
    page.goto(f"{conversation(victim)}?lang={tongue.code}")
    check(page, tongue, conversation(victim), title_of(tongue, victim), axe=False)
    limit = (
        "Gallwch roi hyd at 2,000 nod"
        if tongue.code == "cy"
        else ("You can enter up to 2,000 characters")
    )
    expect(page.locator("#message-body-info")).to_have_text(limit)
    words = "Neges heb JavaScript." if tongue.code == "cy" else "A message without JavaScript."
    page.get_by_label(_("Your message")).fill(words)
    with page.expect_navigation():
        page.get_by_role("button", name=_("Send message")).click()
    expect(page).to_have_url(re.compile(re.escape(conversation(victim)) + r"\?sent=\d+$"))
    expect(page.locator("#message-sent")).to_contain_text(_("Your message has been sent"))
    expect(page.locator("#conversation-list > li").last.locator(".app-message__body")).to_have_text(
        words
    )
    expect(page.get_by_label(_("Your message"))).to_have_value("")
    # The timeline filter is a plain form too.
    page.goto(f"/account?lang={tongue.code}")
    page.get_by_label(_("Messages"), exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name=_("Update the list")).click()
    expect(page).to_have_url(re.compile(r"/account\?show=messages#what-happened-"))
    expect(page.locator(f"#timeline-entries-{victim.reference} li")).to_have_count(2)
    expect(page.locator("dialog#timeout-warning")).to_be_hidden()
    problems.assert_none()


# --- small screens -----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [375, 320])
def test_the_messages_pages_fit_a_small_screen(
    page: Page, problems: BrowserProblems, live_app: Flask, base_url: str, width: int
):
    from tests.support.browser import CYMRAEG as tongue

    page.set_viewport_size({"width": width, "height": 640})
    victim = signed_in(live_app, page, base_url, tongue)
    officer_replies(live_app, victim, "https://example.com/" + "a-very-long-address-" * 8, "cy")
    several = another_case(live_app, victim)
    declined = another_case(live_app, victim, declined=True)
    for path in (
        f"{conversation(victim)}?lang=cy",
        "/account",
        "/account?show=messages",
        "/account/messages",
        f"/account/cases/{several}/messages",
        f"/account/cases/{declined}/messages",
    ):
        page.goto(path)
        width_used = page.evaluate("document.documentElement.scrollWidth")
        assert width_used <= width, f"{path} scrolls sideways at {width}px ({width_used}px)"
        assert_no_axe_violations(page)
    problems.assert_none()
