"""Someone to act for you, in a real browser at 375px, in English and Welsh, with and without
JavaScript, with axe on every page: the victim names a representative (who, how they sign
in, what they may do, check, the code the representative gives them) and stops them; the
representative sees only what they were given, says for whom they act, writes a message
that says so, and is signed out at once when the victim ends it; the officer ends another
from the staff console.

Each test makes its own victim in the live server's database, with a demo officer no other
browser test of victims signs in as in that region (test_contact_preferences.py shares
them, one at a time). Sessions are put in the browser directly
(tests/support/victim_browser.py `sign_in_browser`): the sign-in pages are tested in
test_sign_in.py, and every sign-in code counts against the network's hourly allowance.
The code that proves a representative's detail is read from the live server's outbox, as
the representative would read it from their phone and tell the victim.
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from datetime import date

from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine, select

from portal.extensions import db
from portal.models import (
    Language,
    Region,
    SentenceStage,
    TimelineEventKind,
    VictimLiaisonOfficer,
)
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import ENGLISH, LANGUAGES, Tongue, latest_code, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    RepresentativeFactory,
    TimelineEventFactory,
    VictimFactory,
)
from tests.support.staff_browser import sign_in_as
from tests.support.victim_browser import sign_in_browser, writing

#: The officer of each language's victims, and their region.
OFFICERS = {
    "en": ("ruth.adebayo-finch@example.gov.uk", "london"),
    "cy": ("non.pencerdd@example.gov.uk", "wales"),
}
WIDTH = 375


@dataclass(frozen=True)
class Built:
    case_id: int
    reference: str
    email: str
    victim_name: str
    #: A representative already named (who may only read and send messages), if any.
    representative_email: str | None = None
    representative_id: int | None = None

    def url(self, rest: str = "") -> str:
        return f"/account/cases/{self.reference}{rest}"


def build(app: Flask, tongue: Tongue, *, with_representative: bool = False) -> Built:
    """A victim reading in the page's language, with an email address and an active case of
    a demo officer's region, a letter on its timeline and a reply from the officer; and,
    `with_representative`, someone who may only read and send messages."""
    officer_email, region_code = OFFICERS[tongue.code]
    language = Language.WELSH if tongue.code == "cy" else Language.ENGLISH
    email = f"browser.reps.{uuid.uuid4().hex[:10]}@example.com"
    with writing(app):
        officer = db.session.scalar(select(VictimLiaisonOfficer).filter_by(email=officer_email))
        region = db.session.scalar(select(Region).filter_by(code=region_code))
        victim = VictimFactory(
            full_name="Gwenllian Porwr", language=language, relationship_to_victim="self"
        )
        ContactPreferenceFactory(victim=victim, value=email)
        case = CaseFactory(
            assigned=True,
            officer=officer,
            region=region,
            victim=victim,
            stage=SentenceStage.CUSTODY,
        )
        TimelineEventFactory(
            case=case,
            kind=TimelineEventKind.LETTER,
            stage=None,
            occurred_on=date(2025, 2, 3),
            summary="Llythyr croeso." if tongue.code == "cy" else "Welcome letter.",
            language=language,
            recorded_by_id=officer.id,
        )
        MessageFactory(
            case=case,
            sender="officer",
            officer_id=officer.id,
            body="Croeso." if tongue.code == "cy" else "Welcome.",
            language=language,
        )
        helper_email = helper_id = None
        if with_representative:
            helper_email = f"browser.helper.{uuid.uuid4().hex[:10]}@example.com"
            helper = RepresentativeFactory(
                victim=victim,
                full_name="Rhian Helpwr",
                destination=helper_email,
                language=language,
                may_see_case=False,
                may_message=True,
                may_request=False,
            )
        db.session.commit()
        if with_representative:
            helper_id = helper.id
        return Built(case.id, case.reference, email, victim.full_name, helper_email, helper_id)


def arrive(page: Page, tongue: Tongue, path: str, title: str, *, js: bool, error=False) -> None:
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(title, error=error))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{path} scrolls sideways at {WIDTH}px ({width}px)"
    if js:
        assert_no_axe_violations(page)


def press(page: Page, name: str, *, js: bool) -> None:
    button = page.locator("#main-content").get_by_role("button", name=name, exact=True)
    if js:
        button.click()
        expect(page.locator(".htmx-request")).to_have_count(0)
    else:
        with page.expect_navigation():
            button.click()


def follow(page: Page, name: str) -> None:
    """Follow a link (or a link that looks like a button) by its accessible name."""
    main = page.locator("#main-content")
    target = main.get_by_role("link", name=name, exact=True).or_(
        main.get_by_role("button", name=name, exact=True)
    )
    with page.expect_navigation():
        target.first.click()


def follow_named(page: Page, action: str, name: str) -> None:
    """Follow a summary card's action: its words, and (for a screen reader) the card's
    title, the person it is about."""
    pattern = re.compile(f"^{re.escape(action)}.*{re.escape(name)}")
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("link", name=pattern).click()


def representative_code(database: Engine, recipient: str) -> str:
    return latest_code(database, recipient, kind="representative_code")


def name_someone(page: Page, tongue: Tongue, me: Built, database: Engine, *, js: bool) -> None:
    """From the case page: name someone, a mistake on each page first, and prove their
    mobile number with the code they were sent."""
    _ = tongue._
    page.goto(f"/account?lang={tongue.code}")
    follow(page, _("Someone to act for you"))
    arrive(page, tongue, me.url("/representatives"), "Someone to act for you", js=js)
    follow(page, _("Ask someone to act for you"))
    arrive(page, tongue, me.url("/representatives/new"), "Who will act for you?", js=js)
    press(page, _("Continue"), js=js)
    if js:
        expect(page.locator(".govuk-error-summary")).to_be_focused()
    arrive(page, tongue, me.url("/representatives/new"), "Who will act for you?", js=js, error=True)
    page.get_by_label(_("Their full name")).fill("Sam Helpwr")
    page.get_by_label(_("A support worker or advocate")).check()
    press(page, _("Continue"), js=js)
    arrive(page, tongue, me.url("/representatives/new/contact"), "How will they sign in?", js=js)
    page.get_by_label(_("Their email address or UK mobile number")).fill(me.email)
    press(page, _("Continue"), js=js)
    arrive(
        page,
        tongue,
        me.url("/representatives/new/contact"),
        "How will they sign in?",
        js=js,
        error=True,
    )
    number = f"07700 900{random.randint(600, 999)}"
    page.get_by_label(_("Their email address or UK mobile number")).fill(number)
    press(page, _("Continue"), js=js)
    arrive(
        page,
        tongue,
        me.url("/representatives/new/permissions"),
        "What can they do for you?",
        js=js,
    )
    press(page, _("Continue"), js=js)
    arrive(
        page,
        tongue,
        me.url("/representatives/new/permissions"),
        "What can they do for you?",
        js=js,
        error=True,
    )
    page.get_by_label(_("See your case and what has happened on it")).check()
    page.get_by_label(
        _("Read your messages and send messages to your Victim Liaison Officer")
    ).check()
    press(page, _("Continue"), js=js)
    arrive(page, tongue, me.url("/representatives/new/check"), "Check who will act for you", js=js)
    expect(page.locator("main")).to_contain_text("Sam Helpwr")
    expect(page.locator("main")).to_contain_text(number)
    press(page, _("Send the code"), js=js)
    arrive(
        page,
        tongue,
        me.url("/representatives/new/security-code"),
        "Enter the security code they were sent",
        js=js,
    )
    page.get_by_label(_("Security code")).fill("000000")
    e164 = "+44" + number.replace(" ", "")[1:]
    code = representative_code(database, e164)
    if code != "000000":
        press(page, _("Continue"), js=js)
        arrive(
            page,
            tongue,
            me.url("/representatives/new/security-code"),
            "Enter the security code they were sent",
            js=js,
            error=True,
        )
    page.get_by_label(_("Security code")).fill(code)
    press(page, _("Continue"), js=js)
    arrive(page, tongue, me.url("/representatives"), "Someone to act for you", js=js)
    notice = page.locator("#representatives-notice")
    expect(notice).to_contain_text(_("%(name)s can now act for you") % {"name": "Sam Helpwr"})
    if js:
        expect(notice).to_be_focused()


def stop_them(page: Page, tongue: Tongue, me: Built, name: str, *, js: bool) -> None:
    _ = tongue._
    page.goto(f"{me.url('/representatives')}?lang={tongue.code}")
    follow_named(page, _("Stop them acting for you"), name)
    arrive(
        page,
        tongue,
        "/end",
        "Stop this person acting for you?",
        js=js,
    )
    press(page, _("Stop them acting for you"), js=js)
    arrive(page, tongue, me.url("/representatives"), "Someone to act for you", js=js)
    expect(page.locator("#representatives-notice")).to_contain_text(
        _("%(name)s can no longer act for you") % {"name": name}
    )


def end_from_the_console(page: Page, tongue: Tongue, me: Built, name: str, *, js: bool) -> None:
    """The officer opens the case's contact details and ends someone's access."""
    _ = tongue._
    sign_in_as(page, OFFICERS[tongue.code][0], tongue)
    page.goto(f"/staff/cases/{me.case_id}/contact")
    expect(page.locator("#representatives")).to_be_visible()
    if js:
        assert_no_axe_violations(page)
    follow_named(page, _("End their access"), name)
    expect(page).to_have_title(
        re.compile(re.escape(_("End this person’s access to act for the victim?")))
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the console's end page scrolls sideways ({width}px)"
    if js:
        assert_no_axe_violations(page)
    press(page, _("End their access"), js=js)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        _("An officer ended the access of someone who acted for the victim.")
    )
    if js:
        assert_no_axe_violations(page)


# --- the victim names someone, and stops them -------------------------------------------------


@LANGUAGES
def test_naming_and_stopping_someone_with_javascript(
    page: Page,
    new_context,
    problems: BrowserProblems,
    tongue: Tongue,
    live_app: Flask,
    live_database: Engine,
    base_url: str,
) -> None:
    me = build(live_app, tongue)
    sign_in_browser(live_app, page.context, base_url, me.email)
    name_someone(page, tongue, me, live_database, js=True)
    stop_them(page, tongue, me, "Sam Helpwr", js=True)
    expect(page.locator("main")).to_contain_text(tongue._("People who acted for you before"))
    problems.assert_none()


@LANGUAGES
def test_naming_and_stopping_someone_without_javascript(
    no_js: BrowserContext,
    new_context,
    tongue: Tongue,
    live_app: Flask,
    live_database: Engine,
    base_url: str,
) -> None:
    me = build(live_app, tongue)
    page = no_js.new_page()
    problems = BrowserProblems(page)
    sign_in_browser(live_app, no_js, base_url, me.email)
    name_someone(page, tongue, me, live_database, js=False)
    stop_them(page, tongue, me, "Sam Helpwr", js=False)
    problems.assert_none()


# --- the representative: only what they were given, until it ends -----------------------------


def acting(page: Page, tongue: Tongue, me: Built, *, js: bool) -> None:
    """The representative (messages only) sees the case page with only messages, says for
    whom they act, sends a message that says so, and is refused a page not theirs."""
    _ = tongue._
    page.goto(f"/account?lang={tongue.code}")
    expect(page.locator(".app-acting-for")).to_contain_text(
        _("You are acting for %(name)s") % {"name": me.victim_name}
    )
    main = page.locator("main")
    expect(main).not_to_contain_text(_("Where the sentence is"))
    expect(main).not_to_contain_text("Welcome letter.")
    expect(main.get_by_role("link", name=_("Change your contact preferences"))).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH
    if js:
        assert_no_axe_violations(page)
    page.goto(me.url("/messages"))
    expect(page.locator(".app-acting-for")).to_be_visible()
    page.locator("#message-body").fill("Written by the helper.")
    press(page, _("Send message"), js=js)
    expect(page.locator("#conversation-list")).to_contain_text(
        _("You, acting for %(name)s") % {"name": me.victim_name}
    )
    if js:
        assert_no_axe_violations(page)
    response = page.goto(me.url("/contact"))
    assert response.status == 403
    expect(page).to_have_title(tongue.title("You cannot do this"))
    expect(page.locator("h1")).to_have_text(_("You cannot do this"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH
    if js:
        assert_no_axe_violations(page)


@LANGUAGES
def test_a_representative_sees_only_what_they_were_given_and_the_victim_ends_it(
    page: Page,
    new_context,
    problems: BrowserProblems,
    tongue: Tongue,
    live_app: Flask,
    live_database: Engine,
    base_url: str,
) -> None:
    me = build(live_app, tongue, with_representative=True)
    sign_in_browser(live_app, page.context, base_url, me.representative_email)
    acting(page, tongue, me, js=True)

    victim = new_context().new_page()
    sign_in_browser(live_app, victim.context, base_url, me.email)
    victim.goto(f"{me.url('/messages')}?lang={tongue.code}")
    expect(victim.locator("#conversation-list")).to_contain_text(
        tongue._("%(name)s, acting for you") % {"name": "Rhian Helpwr"}
    )
    stop_them(victim, tongue, me, "Rhian Helpwr", js=True)

    # The representative's session ended at once: their next request signs them out.
    page.goto(me.url("/messages"))
    expect(page).to_have_url(url_ending("/sign-in"))
    problems.assert_only(REFUSED)


#: The one problem these pages have on purpose: the kind 403 (and the browser's console
#: line for it).
REFUSED = r"403"


@LANGUAGES
def test_a_representative_without_javascript_and_the_officer_ends_it(
    no_js: BrowserContext,
    new_context,
    tongue: Tongue,
    live_app: Flask,
    live_database: Engine,
    base_url: str,
) -> None:
    me = build(live_app, tongue, with_representative=True)
    page = no_js.new_page()
    problems = BrowserProblems(page)
    sign_in_browser(live_app, no_js, base_url, me.representative_email)
    acting(page, tongue, me, js=False)
    officer = new_context(java_script_enabled=False).new_page()
    end_from_the_console(officer, tongue, me, "Rhian Helpwr", js=False)
    page.goto(me.url("/messages"))
    expect(page).to_have_url(url_ending("/sign-in"))
    problems.assert_only(REFUSED)


def test_the_officer_ends_it_with_javascript(
    page: Page, problems: BrowserProblems, live_app: Flask, base_url: str
) -> None:
    me = build(live_app, ENGLISH, with_representative=True)
    end_from_the_console(page, ENGLISH, me, "Rhian Helpwr", js=True)
    problems.assert_none()
