"""Messages end to end, across both sides, in a real browser at 375px (issue 15's test):
a victim writes to their officer, the message reaches the right officer's queue (and no
other region's), the officer replies from the standard reply in the victim's language, the
victim is told through the outbox in their language with nothing of either message, and
reads the reply. With JavaScript (htmx: sent in place, the reply arriving by polling,
announced, without a reload) and without it (POST, redirect, GET; the reply seen on the
next page), in Welsh (a Welsh reader in Wales, Alys Prydderch replying from the Welsh
standard reply, her console in Welsh) and in English (a London victim, Sam Okafor and the
English standard reply). axe runs on every page visited, with and without JavaScript.

How the people get there:

- **The victim's session is put in the cookie** (tests/support/victim_browser.py), not
  made on the sign-in pages: every code asked for on /sign-in counts against the
  network's limit (SIGN_IN_CODE_LIMIT, 10 an hour, per address), every browser test asks
  from 127.0.0.1, and test_sign_in.py and test_fonts.py already ask for all 10 in a run
  of the suite; four more here would refuse the last four of theirs. The session is the
  one the sign-in pages make (`sign_in.start_session`), and those pages are tested, in
  both languages, with and without JavaScript, in test_sign_in.py.
- **The officers sign in through the console's pages** (password and a fresh
  authenticator code: tests/support/staff_browser.py), once each for the module, and
  each test starts from that browser state.
- **The poll's 20 seconds pass on Playwright's clock** (`page.clock`), as in
  test_messages.py: the page polls every 20 seconds, fixed in the portal
  (account.message_views.POLL_SECONDS), and nothing in the page is changed for the test.
- **The notification is sent by the real worker** (`send_one`, through a recording
  provider: tests/support/delivery.py), for this victim's row only, and its words are
  read as the provider gets them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine, select, text

from portal import create_app
from portal.encryption import DEVELOPMENT_KEY
from portal.extensions import db
from portal.models import (
    CaseStatus,
    Language,
    SentenceStage,
    VictimLiaisonOfficer,
)
from portal.services.reply_templates import ReplyTemplate, wording
from tests.support.axe import (
    assert_no_axe_violations,
    assert_no_axe_violations_without_javascript,
)
from tests.support.browser import CYMRAEG, ENGLISH, LANGUAGES, Tongue, settled, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.delivery import deliver_one
from tests.support.factories import CaseFactory, ContactPreferenceFactory, VictimFactory
from tests.support.staff_browser import sign_in_as
from tests.support.victim_browser import sign_in_browser, writing

#: The officer whose case it is, for a victim reading each language, and their region.
OFFICER_OF = {
    "cy": ("alys.prydderch@example.gov.uk", "wales"),
    "en": ("sam.okafor@example.gov.uk", "london"),
}
#: An officer of another region, who must not see the message.
OTHER_OFFICER = {"cy": "sam.okafor@example.gov.uk", "en": "alys.prydderch@example.gov.uk"}
#: The language each officer reads the console in.
CONSOLE = {"alys.prydderch@example.gov.uk": CYMRAEG, "sam.okafor@example.gov.uk": ENGLISH}
#: What the victim writes.
WRITTEN = {
    "cy": "Bore da. Oes unrhyw newyddion am y gwrandawiad parôl? Diolch yn fawr.",
    "en": "Good morning. Is there any news about the parole hearing? Thank you.",
}
#: The standard reply the officer starts from.
TEMPLATE = ReplyTemplate.FIND_OUT
#: The screen is a phone's (tests/browser/conftest.py, browser_context_args).
WIDTH = 375


@dataclass(frozen=True)
class Victim:
    language: str
    email: str
    not_safe: str
    reference: str
    case_id: int
    officer_name: str

    @property
    def conversation(self) -> str:
        return f"/account/cases/{self.reference}/messages"

    @property
    def staff_messages(self) -> str:
        return f"/staff/cases/{self.case_id}/messages"


@pytest.fixture(scope="module")
def live_app(live_workdir: Path, live_server: str) -> Iterator[Flask]:
    """The portal's app on the live server's database, to write records and sessions."""
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{live_workdir / 'browser.db'}"}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def staff_states(browser: Browser, browser_context_args: dict, tmp_path_factory) -> dict[str, str]:
    """Each officer signed in once through the console's pages, in their console's
    language: a browser state each test starts from (an authenticator code works once)."""
    states = {}
    folder = Path(tmp_path_factory.mktemp("messages-end-to-end"))
    for email, tongue in CONSOLE.items():
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        sign_in_as(page, email, tongue)
        states[email] = str(folder / f"{email}.json")
        context.storage_state(path=states[email])
        context.close()
    return states


def new_victim(app: Flask, language: str, officer_email: str) -> Victim:
    """A victim reading `language`, with an active case in the officer's region, assigned
    to them, first contacted, and no messages yet. Two email addresses: the one they sign
    in with (safe), and a shared one they said is not safe to use."""
    tag = uuid.uuid4().hex[:8]
    with writing(app):
        officer = db.session.scalar(select(VictimLiaisonOfficer).filter_by(email=officer_email))
        victim = VictimFactory(
            full_name="Eluned Prys" if language == "cy" else "Jordan Hale",
            language=Language(language),
            relationship_to_victim="self",
        )
        ContactPreferenceFactory(victim=victim, value=f"shared.{tag}@example.com", is_safe=False)
        ContactPreferenceFactory(victim=victim, value=f"own.{tag}@example.com")
        case = CaseFactory(
            reference=f"VCS-E{tag.upper()}",
            victim=victim,
            officer=officer,
            region=officer.region,
            status=CaseStatus.ACTIVE,
            stage=SentenceStage.CUSTODY,
            # First contact made long ago: the case waits in no officer's other lists.
            clock_started_on=date(2026, 1, 5),
            first_contact_on=date(2026, 1, 12),
        )
        db.session.commit()
        return Victim(
            language=language,
            email=f"own.{tag}@example.com",
            not_safe=f"shared.{tag}@example.com",
            reference=case.reference,
            case_id=case.id,
            officer_name=officer.full_name,
        )


def arrive(page: Page, tongue: Tongue, path: str, title: str, *, js: bool) -> None:
    """On `path`, titled `title` (in the page's language), one h1, no sideways scrolling on
    the phone, and axe finds nothing (without JavaScript, on the page's document served
    again to a page that can run axe: tests/support/axe.py)."""
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(title))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways at {WIDTH}px ({width}px)"
    axe(page, js=js)


def axe(page: Page, *, js: bool) -> None:
    if js:
        assert_no_axe_violations(page)
    else:
        assert_no_axe_violations_without_javascript(page)


def press(page: Page, name: str, *, js: bool) -> None:
    """Press a form's button: htmx swaps the answer in with JavaScript; without it, the
    browser loads a new page."""
    button = page.get_by_role("button", name=name, exact=True)
    if js:
        button.click()
    else:
        with page.expect_navigation():
            button.click()


def unread_in_navigation(page: Page):
    """The unread count on the navigation's "Messages" (there even when behind "Menu")."""
    return page.locator(
        '.govuk-service-navigation__list a[href="/account/messages"] .app-unread-count'
    )


def title_of_conversation(tongue: Tongue, victim: Victim) -> str:
    return tongue._("Messages about case %(reference)s") % {"reference": victim.reference}


def new_replies(tongue: Tongue, count: int) -> str:
    return tongue.catalogue.ngettext(
        "%(num)d new reply from your Victim Liaison Officer",
        "%(num)d new replies from your Victim Liaison Officer",
        count,
    ) % {"num": count}


# --- the victim writes -------------------------------------------------------------------------


def victim_writes(page: Page, tongue: Tongue, victim: Victim, *, js: bool) -> str:
    """From the case page to the conversation, and a message sent; returns its id."""
    _ = tongue._
    page.goto(f"/account?lang={tongue.code}")
    arrive(page, tongue, "/account", "Your case", js=js)
    expect(unread_in_navigation(page)).to_have_count(0)
    link = page.locator("li.app-case-messages a")
    expect(link).to_have_text(_("Messages"))
    with page.expect_navigation():
        link.click()
    arrive(page, tongue, victim.conversation, title_of_conversation(tongue, victim), js=js)
    expect(page.locator("#conversation-empty")).to_have_text(
        _("There are no messages about this case yet.")
    )
    expect(page.locator(".app-reply-time")).to_have_text(
        tongue.catalogue.ngettext(
            "Your officer usually replies within %(num)d working day.",
            "Your officer usually replies within %(num)d working days.",
            5,
        )
        % {"num": 5}
    )
    if js:
        page.evaluate("window.__sameDocument = true")

    page.get_by_label(_("Your message")).fill(WRITTEN[tongue.code])
    press(page, _("Send message"), js=js)
    expect(page).to_have_url(re.compile(re.escape(victim.conversation) + r"\?sent=\d+$"))
    banner = page.locator("#message-sent")
    expect(banner).to_contain_text(_("Your message has been sent"))
    if js:
        expect(banner).to_be_focused()
        assert page.evaluate("window.__sameDocument") is True  # swapped in, not reloaded
    mine = page.locator("#conversation-list > li").last
    expect(mine.locator("h2")).to_have_text(_("You"))
    expect(mine.locator(".app-message__body")).to_have_text(WRITTEN[tongue.code])
    expect(page.get_by_label(_("Your message"))).to_have_value("")
    expect(page.locator("#conversation-empty")).to_have_count(0)
    if js:
        settled(page)
    arrive(page, tongue, victim.conversation, title_of_conversation(tongue, victim), js=js)
    return page.url.rpartition("=")[2]


# --- the officers ------------------------------------------------------------------------------


def another_region_does_not_see_it(page: Page, victim: Victim, *, js: bool) -> None:
    """An officer of another region: not on their home page, in neither of their queues,
    and the case's messages are "not found"."""
    tongue = CONSOLE[OTHER_OFFICER[victim.language]]
    _ = tongue._
    page.goto(f"/staff?lang={tongue.code}")
    arrive(page, tongue, "/staff", "What needs you first", js=js)
    expect(page.locator("#replies-heading")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(victim.reference)
    for path in ("/staff/messages", "/staff/messages?whose=region"):
        page.goto(path)
        arrive(page, tongue, path, "Messages waiting for a reply", js=js)
        expect(page.locator("main")).not_to_contain_text(victim.reference)
    response = page.goto(victim.staff_messages)
    assert response is not None and response.status == 404
    arrive(page, tongue, victim.staff_messages, "Page not found", js=js)
    expect(page.locator("main")).not_to_contain_text(WRITTEN[victim.language])


def officer_replies(page: Page, victim: Victim, language: str, *, js: bool) -> int:
    """The case's officer finds the message on their home page and in their queue, opens
    the case's messages, starts from the standard reply in the victim's language (offered
    first), and sends it. Returns the reply's id."""
    tongue = CONSOLE[OFFICER_OF[language][0]]
    _ = tongue._
    page.goto(f"/staff?lang={tongue.code}")
    arrive(page, tongue, "/staff", "What needs you first", js=js)
    row = page.locator("#replies tbody tr", has_text=victim.reference)
    expect(row).to_have_count(1)
    if language == "cy":
        expect(row).to_contain_text(_("Reads Welsh"))
    else:
        expect(row).not_to_contain_text(_("Reads Welsh"))

    with page.expect_navigation():
        page.locator("#replies-see-all").click()
    arrive(page, tongue, "/staff/messages", "Messages waiting for a reply", js=js)
    row = page.locator("#waiting tbody tr", has_text=victim.reference)
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_contain_text(
        "Eluned Prys" if language == "cy" else "Jordan Hale"
    )
    with page.expect_navigation():
        row.get_by_role("link").click()
    arrive(page, tongue, victim.staff_messages, "Messages", js=js)
    theirs = page.locator("#conversation .app-message--victim")
    expect(theirs.locator(".app-message__body")).to_have_text(WRITTEN[language])
    # The victim may write in either language: the page claims none for their words.
    expect(theirs.locator(".app-message__body")).not_to_have_attribute("lang", re.compile(".*"))
    expect(theirs).to_contain_text(_("Waiting for a reply"))
    chose = {
        "cy": "Write this in Welsh: the victim chose Welsh.",
        "en": "Write this in English: the victim chose English.",
    }[language]
    expect(page.locator("#write-in")).to_contain_text(_(chose))
    expect(page.locator(f"input[name=template-language][value={language}]")).to_be_checked()

    if js:
        page.evaluate("window.__sameDocument = true")
    page.get_by_label(_("Standard reply"), exact=True).select_option(TEMPLATE.value)
    press(page, _("Use this template"), js=js)
    words = wording(TEMPLATE, language)
    reply = page.locator("#reply-body")
    expect(reply).to_have_value(words)
    expect(reply).to_have_attribute("lang", language)
    expect(page.locator(f"input[name=reply-language][value={language}]")).to_be_checked()
    if js:
        expect(reply).to_be_focused()
        settled(page)
    axe(page, js=js)

    press(page, _("Send reply"), js=js)
    banner = page.locator("#messages-outcome")
    expect(banner).to_contain_text(_("Your reply was sent"))
    expect(banner).to_contain_text(_("The victim was told they have a new message, by email."))
    if js:
        expect(banner).to_be_focused()
        assert page.evaluate("window.__sameDocument") is True  # swapped in place
        settled(page)
    expect(page).to_have_url(re.compile(re.escape(victim.staff_messages) + r"$"))
    expect(page.locator(".app-message--new .app-message__body")).to_have_text(words)
    expect(page.locator(".app-message--new")).to_contain_text(_("Not read yet"))
    expect(theirs).to_contain_text(_("Answered"))
    expect(page.locator("#waiting")).to_contain_text(
        _("Nothing the victim wrote is waiting for a reply.")
    )
    arrive(page, tongue, victim.staff_messages, "Messages", js=js)
    href = banner.get_by_role("link", name=_("Go to your reply")).get_attribute("href")
    return int(href.removeprefix("#message-"))


# --- the notification --------------------------------------------------------------------------


def queued_for(database: Engine, victim: Victim) -> list[dict]:
    """The outbox's rows for either of the victim's addresses, personalisation decrypted
    with the live server's development key."""
    with database.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT id, recipient, channel, template_key, language, personalisation "
                "FROM outbox_notifications WHERE recipient IN (:safe, :not_safe)"
            ),
            {"safe": victim.email, "not_safe": victim.not_safe},
        ).mappings()
        key = Fernet(DEVELOPMENT_KEY.encode())
        return [
            {**row, "personalisation": json.loads(key.decrypt(row["personalisation"].encode()))}
            for row in rows
        ]


def sentences(words: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.?!])\s+", words) if part.strip()]


def the_victim_is_told(app: Flask, database: Engine, victim: Victim, tongue: Tongue) -> None:
    """One notification, to the safe address only, in the victim's language, carrying only
    the sign-in link; sent by the worker, its words are the catalogue's in that language
    and hold nothing of either message."""
    (notice,) = queued_for(database, victim)
    assert notice["recipient"] == victim.email  # not the shared address
    assert notice["channel"] == "email"
    assert notice["template_key"] == "new_message"
    assert notice["language"] == tongue.code
    link = app.config["PUBLIC_BASE_URL"] + "/sign-in"
    assert notice["personalisation"] == {"url": link}

    with writing(app):
        status, sent = deliver_one(app, db.session, notice["id"])
    assert status == "sent"
    (outgoing,) = sent
    assert outgoing.recipient == victim.email
    subject, body = outgoing.rendered
    assert subject == tongue._("You have a new message")
    # A Welsh reader's link opens the sign-in page in Welsh, whatever their browser's language.
    shown_link = link + ("?lang=cy" if tongue.code == "cy" else "")
    assert body == tongue._("You have a new message.\n\nSign in to read it:\n%(url)s") % {
        "url": shown_link
    }
    if tongue.code == "cy":  # really Welsh: the catalogue's words, not the English ones
        assert subject == "Mae gennych neges newydd"
        assert body.startswith("Mae gennych neges newydd.")
    for words in (WRITTEN[tongue.code], wording(TEMPLATE, tongue.code)):
        for sentence in sentences(words):
            assert sentence not in subject and sentence not in body, sentence


# --- the victim reads the reply ----------------------------------------------------------------


def reply_arrives_while_reading(
    page: Page, tongue: Tongue, victim: Victim, reply_id: int, words: str
) -> None:
    """Still on the conversation: the next poll brings the reply, appended without a
    reload, marked new and announced; being shown, it is read, so the navigation counts
    nothing; neither does the case page afterwards."""
    _ = tongue._
    expect(unread_in_navigation(page)).to_have_count(0)
    page.clock.fast_forward("00:21")  # the poll's 20 seconds
    reply = page.locator(f"#message-{reply_id}")
    expect(reply.locator(".app-message__body")).to_have_text(words)
    expect(reply.locator("h2")).to_contain_text(victim.officer_name)
    expect(reply.locator(".app-message__new")).to_have_text(_("New"))
    expect(page.locator("#conversation-list > li")).to_have_count(2)
    expect(page.locator("#conversation-list > li").last).to_have_id(f"message-{reply_id}")
    status = page.locator("#conversation-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(new_replies(tongue, 1))
    assert page.evaluate("window.__sameDocument") is True  # not reloaded
    expect(unread_in_navigation(page)).to_have_count(0)
    settled(page)
    assert_no_axe_violations(page)

    page.goto("/account")
    arrive(page, tongue, "/account", "Your case", js=True)
    link = page.locator("li.app-case-messages a")
    expect(link).to_have_text(_("Messages"))
    expect(unread_in_navigation(page)).to_have_count(0)
    with page.expect_navigation():
        link.click()
    conversation_afterwards(page, tongue, victim, reply_id, words, js=True)


def conversation_afterwards(
    page: Page, tongue: Tongue, victim: Victim, reply_id: int, words: str, *, js: bool
) -> None:
    """The conversation opened again: both messages, the reply no longer new, nothing
    counted, and an empty box (no draft of the words already sent)."""
    arrive(page, tongue, victim.conversation, title_of_conversation(tongue, victim), js=js)
    messages = page.locator("#conversation-list > li .app-message__body")
    expect(messages).to_have_text([WRITTEN[tongue.code], words])
    expect(page.locator(f"#message-{reply_id}")).to_be_attached()
    expect(page.locator(".app-message__new")).to_have_count(0)
    expect(unread_in_navigation(page)).to_have_count(0)
    expect(page.get_by_label(tongue._("Your message"))).to_have_value("")
    expect(page.locator("#draft-kept")).to_have_count(0)


def reply_seen_on_the_next_page(
    page: Page, tongue: Tongue, victim: Victim, reply_id: int, words: str
) -> None:
    """Without JavaScript nothing changes until a page loads: the case page counts the
    unread reply (on the case, and in the navigation); the navigation's "Messages" opens
    the conversation with the reply marked new, and the count is gone; reloaded, the reply
    is no longer new."""
    _ = tongue._
    # The conversation, as it was sent: nothing arrives without a page load.
    expect(page.locator("#conversation-list > li")).to_have_count(1)
    expect(page.locator(f"#message-{reply_id}")).to_have_count(0)
    page.goto("/account")
    arrive(page, tongue, "/account", "Your case", js=False)
    expect(page.locator("li.app-case-messages a .app-unread-count")).to_have_text("1")
    expect(page.locator("li.app-case-messages a")).to_contain_text(
        tongue.catalogue.ngettext("%(num)d new reply", "%(num)d new replies", 1) % {"num": 1}
    )
    expect(unread_in_navigation(page)).to_have_text("1")
    with page.expect_navigation():
        page.locator('.govuk-service-navigation__list a[href="/account/messages"]').click()
    arrive(page, tongue, victim.conversation, title_of_conversation(tongue, victim), js=False)
    reply = page.locator(f"#message-{reply_id}")
    expect(reply.locator(".app-message__body")).to_have_text(words)
    expect(reply.locator("h2")).to_contain_text(victim.officer_name)
    expect(reply.locator(".app-message__new")).to_have_text(_("New"))
    expect(unread_in_navigation(page)).to_have_count(0)
    page.reload()
    conversation_afterwards(page, tongue, victim, reply_id, words, js=False)


def officer_sees_it_read(
    page: Page, victim: Victim, language: str, reply_id: int, *, js: bool
) -> None:
    tongue = CONSOLE[OFFICER_OF[language][0]]
    page.goto(victim.staff_messages)
    arrive(page, tongue, victim.staff_messages, "Messages", js=js)
    expect(page.locator(f"#message-{reply_id}")).to_contain_text(tongue._("Read by the victim"))


# --- the test ----------------------------------------------------------------------------------


@LANGUAGES
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_message_reaches_the_right_officer_and_the_reply_reaches_the_victim(
    browser: Browser,
    browser_context_args: dict,
    base_url: str,
    live_app: Flask,
    live_database: Engine,
    staff_states: dict[str, str],
    tongue: Tongue,
    js: bool,
):
    language = tongue.code
    officer_email = OFFICER_OF[language][0]
    victim = new_victim(live_app, language, officer_email)
    contexts: list[BrowserContext] = []

    def browser_of(state: str | None = None) -> tuple[Page, BrowserProblems]:
        context = browser.new_context(
            **browser_context_args, storage_state=state, java_script_enabled=js
        )
        contexts.append(context)
        page = context.new_page()
        return page, BrowserProblems(page)

    try:
        # The victim writes, in their language.
        victim_page, victim_problems = browser_of()
        if js:
            victim_page.clock.install()
        sign_in_browser(live_app, victim_page.context, base_url, victim.email)
        victim_writes(victim_page, tongue, victim, js=js)

        # Another region's officer does not see it; the case's officer does, and replies.
        other_page, other_problems = browser_of(staff_states[OTHER_OFFICER[language]])
        another_region_does_not_see_it(other_page, victim, js=js)
        other_problems.assert_only(r"^404 for .*/messages$", r"status of 404")

        officer_page, officer_problems = browser_of(staff_states[officer_email])
        reply_id = officer_replies(officer_page, victim, language, js=js)

        # The victim is told, safely and in their language.
        the_victim_is_told(live_app, live_database, victim, tongue)

        # The victim reads the reply; the officer sees that they have.
        words = wording(TEMPLATE, language)
        if js:
            reply_arrives_while_reading(victim_page, tongue, victim, reply_id, words)
        else:
            reply_seen_on_the_next_page(victim_page, tongue, victim, reply_id, words)
        officer_sees_it_read(officer_page, victim, language, reply_id, js=js)

        victim_problems.assert_none()
        officer_problems.assert_none()
    finally:
        for context in contexts:
            context.close()
