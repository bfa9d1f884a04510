"""Messages in the console, in a real browser at 375px, in English and Welsh, with axe on
every page JavaScript reaches: an officer finds a Welsh reader's overdue message in the
queue, starts a reply from the Welsh standard reply, and sends it, with JavaScript (in
place, focus on the banner, the form cleared with a new key) and without it (POST,
redirect, GET); marks a message as needing no reply; and filters the case's timeline to
its messages (htmx swaps the list and the address follows; a plain GET form without).

Each test makes its own case in the live server's database, in the region of the demo
officer who signs in (once per language for the module: an authenticator code works once).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from portal import encryption
from portal.demo_console import LONDON, london_today, working_days_before
from portal.encryption import DEVELOPMENT_KEY
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    Message,
    Region,
    Sender,
    SentenceStage,
    UpdatesWanted,
    Victim,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.services.reply_templates import ReplyTemplate, wording
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import CYMRAEG, ENGLISH, LANGUAGES, Tongue, settled
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

#: Who signs in on the pages of each language, and their region.
OFFICERS = {
    "en": ("sam.okafor@example.gov.uk", "london"),
    "cy": ("alys.prydderch@example.gov.uk", "wales"),
}
QUESTION = "Oes unrhyw newyddion am yr adolygiad parôl?"
ADDED = " Byddaf yn eich ffonio yfory."


@dataclass(frozen=True)
class LiveCase:
    case_id: int
    reference: str
    email: str

    @property
    def messages_url(self) -> str:
        return f"/staff/cases/{self.case_id}/messages"


def new_case(database: Engine, region_code: str, officer_email: str) -> LiveCase:
    """A Welsh reader's active case with the officer, and their message waiting 7 working
    days (overdue), in the live server's database."""
    email = f"browser.{uuid.uuid4().hex[:12]}@example.com"
    if encryption._keys is None:  # the live server's key, to write the message's words
        encryption.configure([DEVELOPMENT_KEY])
    sent_on = working_days_before(london_today(), 7)
    with Session(database) as session:
        region = session.scalar(select(Region).filter_by(code=region_code))
        officer = session.scalar(select(VictimLiaisonOfficer).filter_by(email=officer_email))
        victim = Victim(
            full_name="Gwenllian Negeseuon",
            language=Language.WELSH,
            relationship_to_victim="self",
            contact_preferences=[
                ContactPreference(
                    channel=Channel.EMAIL, value=email, is_safe=True, verified_at=utcnow()
                )
            ],
        )
        case = Case(
            reference=f"VCS-M{uuid.uuid4().hex[:8].upper()}",
            victim=victim,
            region=region,
            officer=officer,
            status=CaseStatus.ACTIVE,
            offender_name="Browser Offender",
            offence_type="violent",
            stage=SentenceStage.PAROLE,
            updates_wanted=UpdatesWanted.EVERY_STAGE,
            clock_started_on=date(2026, 1, 5),
            first_contact_on=date(2026, 1, 12),
            messages=[
                Message(
                    sender=Sender.VICTIM,
                    body=QUESTION,
                    language=Language.WELSH,
                    submission_key=str(uuid.uuid4()),
                    created_at=datetime.combine(sent_on, time(11), tzinfo=LONDON).astimezone(UTC),
                )
            ],
        )
        session.add(case)
        session.commit()
        return LiveCase(case.id, case.reference, email)


def told(database: Engine, email: str) -> list[tuple[str, str, dict]]:
    """The notifications queued to `email`: kind, language and personalisation (decrypted
    with the live server's development key)."""
    with database.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT template_key, language, personalisation FROM outbox_notifications "
                "WHERE recipient = :r"
            ),
            {"r": email},
        ).all()
    key = Fernet(DEVELOPMENT_KEY.encode())
    return [(kind, language, json.loads(key.decrypt(p.encode()))) for kind, language, p in rows]


@pytest.fixture(scope="module")
def signed_in(browser: Browser, browser_context_args: dict, tmp_path_factory) -> dict[str, str]:
    """Each language's officer signed in once, as a browser state each test starts from."""
    states = {}
    for tongue in (ENGLISH, CYMRAEG):
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        sign_in_as(page, OFFICERS[tongue.code][0], tongue)
        path = Path(tmp_path_factory.mktemp("staff-messages")) / f"{tongue.code}.json"
        context.storage_state(path=str(path))
        context.close()
        states[tongue.code] = str(path)
    return states


def context_for(browser: Browser, args: dict, state: str, js: bool = True) -> BrowserContext:
    return browser.new_context(**args, storage_state=state, java_script_enabled=js)


def find_in_the_queue(page: Page, tongue: Tongue, case: LiveCase, js: bool) -> None:
    """The queue lists the case overdue, in words; its reference leads to the messages."""
    _ = tongue._
    page.goto(f"/staff/messages?lang={tongue.code}")
    expect(page).to_have_title(tongue.title("Messages waiting for a reply"))
    row = page.locator("#waiting tbody tr", has_text=case.reference)
    expect(row).to_contain_text(_("Overdue"))
    expect(row).to_contain_text(_("Reads Welsh"))
    if js:
        assert_no_axe_violations(page)
    with page.expect_navigation():
        row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(case.messages_url) + r"$"))
    expect(page).to_have_title(tongue.title("Messages"))
    expect(page.locator("#write-in")).to_contain_text(
        _("Write this in Welsh: the victim chose Welsh.")
    )
    expect(page.locator("#conversation")).to_contain_text(QUESTION)
    expect(page.locator("input[name=template-language][value=cy]")).to_be_checked()
    if js:
        assert_no_axe_violations(page)


@LANGUAGES
def test_a_reply_from_the_welsh_template_with_javascript(
    browser: Browser,
    browser_context_args: dict,
    signed_in: dict,
    tongue: Tongue,
    live_database: Engine,
):
    _ = tongue._
    email, region = OFFICERS[tongue.code]
    case = new_case(live_database, region, email)
    context = context_for(browser, browser_context_args, signed_in[tongue.code])
    page = context.new_page()
    problems = BrowserProblems(page)
    find_in_the_queue(page, tongue, case, js=True)
    page.evaluate("window.__sameDocument = true")

    # The Welsh standard reply, the victim's language: offered first, and chosen.
    page.get_by_label(_("Standard reply"), exact=True).select_option(ReplyTemplate.PAROLE.value)
    page.get_by_role("button", name=_("Use this template")).click()
    reply = page.locator("#reply-body")
    welsh = wording(ReplyTemplate.PAROLE, "cy")
    expect(reply).to_have_value(welsh)
    expect(reply).to_be_focused()
    expect(reply).to_have_attribute("lang", "cy")
    settled(page)
    # The GOV.UK character count says how many are left, in the page's language.
    left = 2000 - len(welsh)
    words = tongue.catalogue.ngettext(
        "You have %(count)s character remaining", "You have %(count)s characters remaining", left
    )
    # The number as the browser formats it in the page's language (with or without a comma).
    number = f"{left // 1000},?{left % 1000:03d}" if left >= 1000 else str(left)
    count = re.escape(words).replace(re.escape("%(count)s"), number)
    expect(page.locator(".govuk-character-count__status")).to_have_text(re.compile(count))
    assert_no_axe_violations(page)

    reply.press("Control+End")  # the end of the whole text, not of its line
    page.keyboard.type(ADDED)
    old_key = page.locator("input[name=reply-submission_key]").input_value()
    page.get_by_role("button", name=_("Send reply")).click()
    banner = page.locator("#messages-outcome")
    expect(banner).to_be_focused()
    expect(banner).to_contain_text(_("Your reply was sent"))
    expect(banner).to_contain_text(_("The victim was told they have a new message, by email."))
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, not reloaded
    expect(page.locator(".app-message--new")).to_contain_text(welsh + ADDED)
    expect(page.locator("#reply-body")).to_have_value("")
    assert page.locator("input[name=reply-submission_key]").input_value() != old_key
    expect(page.locator("#waiting")).to_contain_text(
        _("Nothing the victim wrote is waiting for a reply.")
    )
    settled(page)
    assert_no_axe_violations(page)
    # The victim is told in Welsh, with nothing of the reply: only where to sign in.
    (notice,) = told(live_database, case.email)
    assert notice[0] == "new_message" and notice[1] == "cy"
    assert list(notice[2]) == ["url"] and notice[2]["url"].endswith("/sign-in")

    # The timeline, filtered to messages: htmx swaps the list, the address follows.
    page.goto(f"/staff/cases/{case.case_id}?lang={tongue.code}")
    page.evaluate("window.__sameDocument = true")
    choice = page.get_by_label(_("Messages"), exact=True)
    choice.check()
    expect(page).to_have_url(re.compile(r"\?show=messages$"))
    settled(page)
    expect(choice).to_be_focused()  # focus stays where the person is
    titles = page.locator("#timeline-list .moj-timeline__title")
    expect(titles).to_have_count(2)
    expect(page.locator("#timeline-status")).to_have_text(
        tongue.catalogue.ngettext("%(num)d entry shown", "%(num)d entries shown", 2) % {"num": 2}
    )
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)
    problems.assert_none()
    context.close()


@LANGUAGES
def test_a_reply_and_no_reply_needed_without_javascript(
    browser: Browser,
    browser_context_args: dict,
    signed_in: dict,
    tongue: Tongue,
    live_database: Engine,
):
    _ = tongue._
    email, region = OFFICERS[tongue.code]
    case = new_case(live_database, region, email)
    thanked = new_case(live_database, region, email)
    context = context_for(browser, browser_context_args, signed_in[tongue.code], js=False)
    page = context.new_page()
    problems = BrowserProblems(page)
    find_in_the_queue(page, tongue, case, js=False)

    # "Use this template" is a plain POST that fills the reply, in Welsh.
    page.get_by_label(_("Standard reply"), exact=True).select_option(
        ReplyTemplate.LICENCE_CONDITIONS.value
    )
    with page.expect_navigation():
        page.get_by_role("button", name=_("Use this template")).click()
    welsh = wording(ReplyTemplate.LICENCE_CONDITIONS, "cy")
    expect(page.locator("#reply-body")).to_have_value(welsh)
    expect(page.locator("input[name=reply-language][value=cy]")).to_be_checked()
    # An empty reply is an error, kindly; then the reply is sent: POST, redirect, GET.
    page.locator("#reply-body").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name=_("Send reply")).click()
    expect(page).to_have_title(tongue.title("Messages", error=True))
    expect(page.locator(".govuk-error-summary")).to_contain_text(_("Write your reply"))
    page.locator("#reply-body").fill(welsh + ADDED)
    with page.expect_navigation():
        page.get_by_role("button", name=_("Send reply")).click()
    expect(page).to_have_url(re.compile(re.escape(case.messages_url) + r"$"))
    expect(page.locator("#messages-outcome")).to_contain_text(_("Your reply was sent"))
    expect(page.locator(".app-message--new")).to_contain_text(welsh + ADDED)
    assert [kind for kind, _lang, _p in told(live_database, case.email)] == ["new_message"]

    # The timeline's filter is a GET form: "Show entries".
    page.goto(f"/staff/cases/{case.case_id}?lang={tongue.code}")
    page.get_by_label(_("Messages"), exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name=_("Show entries")).click()
    expect(page).to_have_url(re.compile(r"\?show=messages#timeline$"))
    expect(page.locator("#timeline-list .moj-timeline__title")).to_have_count(2)

    # A thank-you needs no reply: marked, and out of the queue, without telling anyone.
    page.goto(f"{thanked.messages_url}?lang={tongue.code}")
    with page.expect_navigation():
        page.get_by_role("button", name=_("Mark as needing no reply")).click()
    expect(page.locator("#messages-outcome")).to_contain_text(
        _("The victim’s messages are marked as needing no reply")
    )
    expect(page.locator("#conversation")).to_contain_text(_("No reply needed"))
    page.goto(f"/staff/messages?lang={tongue.code}")
    expect(page.locator("main")).not_to_contain_text(thanked.reference)
    assert told(live_database, thanked.email) == []
    problems.assert_none()
    context.close()
