"""A victim changes how they are contacted, pauses updates, leaves and asks to come back,
in a real browser at 375px, in English and Welsh, with and without JavaScript, with axe on
every page; and their officer brings them back from the staff console.

Each test makes its own victim and case in the live server's database (the demo victims
stay as the other browser tests expect them), in the region of a demo officer no other
browser test signs in as. The victim's session is put in the browser directly (a server
session and its signed cookie, as signing in makes them): signing in through the pages
is tested in test_sign_in.py, and every sign-in code counts against the one network's
hourly allowance that test uses. A new mobile number's security code is read from the
live server's outbox, as the person would read it from their phone.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal import create_app
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    NotificationChannel,
    Region,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    UpdatesWanted,
    Victim,
    VictimLiaisonOfficer,
    VictimSession,
    utcnow,
)
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import CYMRAEG, LANGUAGES, Tongue, latest_code, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

#: The officer of each language's victims (no other browser test signs in as them).
OFFICERS = {
    "en": ("ruth.adebayo-finch@example.gov.uk", "london"),
    "cy": ("non.pencerdd@example.gov.uk", "wales"),
}
WIDTH = 375


@dataclass(frozen=True)
class LiveMember:
    case_id: int
    reference: str
    email: str

    def url(self, rest: str = "") -> str:
        return f"/account/cases/{self.reference}{rest}"


def new_member(database: Engine, tongue: Tongue) -> LiveMember:
    """A victim (in the page's language) with an email address, a mobile, a phone number and
    an address, all safe, and an active case in custody with a demo officer."""
    officer_email, region_code = OFFICERS[tongue.code]
    email = f"browser.{uuid.uuid4().hex[:12]}@example.com"
    with Session(database) as session:
        region = session.scalar(select(Region).filter_by(code=region_code))
        officer = session.scalar(select(VictimLiaisonOfficer).filter_by(email=officer_email))
        language = Language.WELSH if tongue.code == "cy" else Language.ENGLISH
        details = [
            ContactPreference(
                channel=Channel.EMAIL,
                value=email,
                is_safe=True,
                verified_at=utcnow(),
                safe_from=time(9),
                safe_until=time(17),
            ),
            ContactPreference(
                channel=Channel.SMS,
                value=f"+447700900{random.randint(500, 999)}",
                is_safe=True,
                verified_at=utcnow(),
                safe_from=time(9),
                safe_until=time(17),
            ),
            ContactPreference(
                channel=Channel.PHONE,
                value="+442920000333",
                is_safe=True,
                voicemail_safe=True,
                safe_from=time(9),
                safe_until=time(17),
            ),
            ContactPreference(channel=Channel.LETTER, value="3 Heol y Porwr\nCaerdydd\nCF10 3AA"),
        ]
        victim = Victim(
            full_name="Gwenllian Porwr",
            language=language,
            relationship_to_victim="self",
            contact_preferences=details,
        )
        case = Case(
            reference=f"VCS-P{uuid.uuid4().hex[:8].upper()}",
            victim=victim,
            region=region,
            officer=officer,
            status=CaseStatus.ACTIVE,
            offender_name="Browser Offender",
            offence_type="violent",
            stage=SentenceStage.CUSTODY,
            updates_wanted=UpdatesWanted.EVERY_STAGE,
            clock_started_on=date(2026, 1, 5),
            first_contact_on=date(2026, 1, 9),
            timeline=[
                TimelineEvent(
                    kind=TimelineEventKind.STAGE,
                    stage=SentenceStage.SENTENCE,
                    occurred_on=date(2025, 12, 1),
                    summary="Sentenced.",
                    language=language,
                    recorded_by_id=officer.id,
                )
            ],
        )
        session.add(case)
        session.commit()
        return LiveMember(case.id, case.reference, email)


@cache
def _signing_app():
    return create_app("testing")


def put_victim_in(context: BrowserContext, base_url: str, database: Engine, email: str) -> None:
    """The victim signed in with `email` in this browser: a server session and the session
    cookie holding its token, signed with the live server's key (both testing config)."""
    token = secrets.token_urlsafe(32)
    with Session(database) as session:
        session.add(
            VictimSession(
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                channel=NotificationChannel.EMAIL,
                destination=email,
                created_at=utcnow(),
                last_seen_at=utcnow(),
            )
        )
        session.commit()
    app = _signing_app()
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"audience": "victim", "victim_session": token}
    )
    context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": base_url}]
    )


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
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("link", name=name, exact=True).click()


def change_link(tongue: Tongue, row: str) -> str:
    """A Change link's name: "Change" and, for a screen reader, what it changes."""
    return f"{tongue._('Change')} {tongue._(row).lower()}"


def banner_says(page: Page, tongue: Tongue, heading: str) -> None:
    notice = page.locator("#preferences-notice")
    expect(notice).to_contain_text(tongue._(heading))


def to_preferences(page: Page, tongue: Tongue, me: LiveMember, *, js: bool) -> None:
    page.goto(f"/account?lang={tongue.code}")
    follow(page, tongue._("Change your contact preferences"))
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=js)


# --- with JavaScript ----------------------------------------------------------------------


def with_javascript(page: Page, tongue: Tongue, database: Engine, base_url: str) -> None:
    _ = tongue._
    me = new_member(database, tongue)
    put_victim_in(page.context, base_url, database, me.email)
    to_preferences(page, tongue, me, js=True)

    # Access needs: "Something else" reveals a box for it in words.
    follow(page, change_link(tongue, "Help to read or talk to us"))
    arrive(
        page,
        tongue,
        me.url("/contact/access-needs"),
        "Do you need any of these to read or talk to us?",
        js=True,
    )
    other = page.get_by_label(_("What else would help you?"))
    expect(other).to_be_hidden()
    page.get_by_label(_("Something else")).check()
    expect(other).to_be_visible()
    other.fill("Rhywun i ddarllen y llythyrau i mi")
    press(page, _("Save"), js=True)
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=True)
    banner_says(page, tongue, "Access needs changed")
    expect(page.locator("main")).to_contain_text("Rhywun i ddarllen y llythyrau i mi")

    # A new mobile number: checked, then proved with the code sent to it.
    number = f"07700 900{random.randint(100, 450)}"
    e164 = "+44" + number.replace(" ", "")[1:]
    follow(page, _("Add a mobile number for texts"))
    arrive(page, tongue, me.url("/contact/add/sms"), "Add a mobile number for texts", js=True)
    page.get_by_label(_("Add a mobile number for texts")).fill("not a number")
    press(page, _("Continue"), js=True)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    arrive(
        page,
        tongue,
        me.url("/contact/add/sms"),
        "Add a mobile number for texts",
        js=True,
        error=True,
    )
    page.get_by_label(_("Add a mobile number for texts")).fill(number)
    press(page, _("Continue"), js=True)
    arrive(page, tongue, me.url("/contact/check"), "Check your new contact detail", js=True)
    press(page, _("Send the code"), js=True)
    arrive(page, tongue, me.url("/contact/security-code"), "Enter the security code", js=True)
    page.get_by_label(_("Security code")).fill(latest_code(database, e164))
    press(page, _("Continue"), js=True)
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=True)
    banner_says(page, tongue, "Contact detail added")
    expect(page.locator("main")).to_contain_text(number)

    # The phone number: not safe, after a page that says what that means.
    name = f"{_('Mark as not safe')} {_('Phone number for calls').lower()}"
    href = page.locator("#main-content").get_by_role("link", name=name).get_attribute("href")
    follow(page, name)
    arrive(page, tongue, href, "Stop using this contact detail?", js=True)
    press(page, _("Stop using it"), js=True)
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=True)
    banner_says(page, tongue, "We will not use that contact detail")
    expect(page.locator("#preferences-notice")).to_contain_text(
        re.compile(
            re.escape(_("We have sent an email to %(to)s to confirm this change.")).replace(
                r"%\(to\)s", ".+"
            )
        )
    )

    # Pause until a date: a mistake first, then the date, then the check.
    follow(page, _("Pause updates for a time"))
    arrive(page, tongue, me.url("/pause"), "Pause updates", js=True)
    press(page, _("Continue"), js=True)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    arrive(page, tongue, me.url("/pause"), "Pause updates", js=True, error=True)
    page.get_by_label(_("Until a date")).check()
    press(page, _("Continue"), js=True)
    arrive(page, tongue, me.url("/pause/date"), "When do you want updates to start again?", js=True)
    day = date.today() + timedelta(days=60)
    page.get_by_label(_("Day"), exact=True).fill(str(day.day))
    page.get_by_label(_("Month"), exact=True).fill(str(day.month))
    page.get_by_label(_("Year"), exact=True).fill(str(day.year))
    press(page, _("Continue"), js=True)
    arrive(page, tongue, me.url("/pause/check"), "Check your pause", js=True)
    press(page, _("Pause updates"), js=True)
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=True)
    banner_says(page, tongue, "Updates paused")
    expect(page.locator("main")).to_contain_text(_("Start updates again"))


@LANGUAGES
def test_changing_preferences_and_pausing_with_javascript(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine, base_url: str
) -> None:
    with_javascript(page, tongue, live_database, base_url)
    problems.assert_none()


# --- without JavaScript, and the way back in with an officer --------------------------------


def bring_back(page: Page, tongue: Tongue, me: LiveMember, *, js: bool) -> None:
    """The officer opens the case, sees the request and brings the victim back."""
    _ = tongue._
    sign_in_as(page, OFFICERS[tongue.code][0], tongue)
    page.goto(f"/staff/cases/{me.case_id}")
    expect(page.locator("#come-back-asked")).to_be_visible()
    if js:
        assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator(".app-case-actions").get_by_role(
            "link", name=_("Bring the victim back into the scheme")
        ).click()
    expect(page).to_have_title(re.compile(re.escape(_("Bring the victim back into the scheme"))))
    if js:
        assert_no_axe_violations(page)
    press(page, _("Bring them back"), js=js)
    expect(page.locator("main")).to_contain_text(_("The victim is back in the scheme."))
    if js:
        assert_no_axe_violations(page)


def without_javascript(
    no_js: BrowserContext, new_context, tongue: Tongue, database: Engine, base_url: str
) -> None:
    _ = tongue._
    me = new_member(database, tongue)
    page = no_js.new_page()
    problems = BrowserProblems(page)
    put_victim_in(no_js, base_url, database, me.email)
    to_preferences(page, tongue, me, js=False)

    # Safe times: the hours are shown without JavaScript, and saved.
    follow(page, change_link(tongue, "Safe times to call or text"))
    arrive(
        page,
        tongue,
        me.url("/contact/times"),
        "When is it safe for us to call or text you?",
        js=False,
    )
    page.get_by_label(_("Only at certain times")).check()
    page.get_by_label(_("From"), exact=True).select_option("10:00")
    page.get_by_label(_("Until"), exact=True).select_option("12:00")
    page.locator("#voicemail-2").check()
    press(page, _("Save"), js=False)
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=False)
    banner_says(page, tongue, "Safe times changed")
    expect(page.locator("main")).to_contain_text("10:00")

    # The name not to put on envelopes.
    follow(page, change_link(tongue, "Name not to put on envelopes"))
    arrive(
        page,
        tongue,
        me.url("/contact/envelope"),
        "Is there a name we should not put on envelopes?",
        js=False,
    )
    page.get_by_label(_("Is there a name we should not put on envelopes?")).fill("Dai Jones")
    press(page, _("Save"), js=False)
    banner_says(page, tongue, "Name not to put on envelopes changed")

    # Pause until a stage, then start again.
    follow(page, _("Pause updates for a time"))
    page.get_by_label(_("Until the offender is released")).check()
    press(page, _("Continue"), js=False)
    arrive(page, tongue, me.url("/pause/check"), "Check your pause", js=False)
    press(page, _("Pause updates"), js=False)
    banner_says(page, tongue, "Updates paused")
    follow(page, _("Start updates again"))
    arrive(page, tongue, me.url("/pause/end"), "Start updates again?", js=False)
    press(page, _("Start updates again"), js=False)
    banner_says(page, tongue, "Updates started again")

    # Leave, then ask to come back.
    follow(page, _("Leave the Victim Contact Scheme"))
    arrive(page, tongue, me.url("/leave"), "Leave the Victim Contact Scheme?", js=False)
    press(page, _("Leave the scheme"), js=False)
    banner_says(page, tongue, "You have left the Victim Contact Scheme")
    page.goto("/account")
    expect(page.locator("main")).to_contain_text(_("You left the scheme"))
    follow(page, _("Ask to come back into the scheme"))
    arrive(page, tongue, me.url("/come-back"), "Ask to come back into the scheme", js=False)
    press(page, _("Ask to come back"), js=False)
    banner_says(page, tongue, "We have told your Victim Liaison Officer that you want to come back")

    # The officer, in another browser without JavaScript, brings them back.
    officer_context = new_context(java_script_enabled=False)
    bring_back(officer_context.new_page(), tongue, me, js=False)
    page.goto("/account")
    expect(page.locator("main")).to_contain_text(
        _(
            "You are back in the Victim Contact Scheme. We will tell you about the sentence as you "
            "chose."
        )
    )
    problems.assert_none()


@LANGUAGES
def test_preferences_pausing_leaving_and_coming_back_without_javascript(
    no_js: BrowserContext, new_context, tongue: Tongue, live_database: Engine, base_url: str
) -> None:
    without_javascript(no_js, new_context, tongue, live_database, base_url)


@LANGUAGES
def test_leaving_and_being_brought_back_with_javascript(
    page: Page,
    new_context,
    problems: BrowserProblems,
    tongue: Tongue,
    live_database: Engine,
    base_url: str,
) -> None:
    _ = tongue._
    me = new_member(live_database, tongue)
    put_victim_in(page.context, base_url, live_database, me.email)
    to_preferences(page, tongue, me, js=True)
    follow(page, _("Leave the Victim Contact Scheme"))
    arrive(page, tongue, me.url("/leave"), "Leave the Victim Contact Scheme?", js=True)
    press(page, _("Leave the scheme"), js=True)
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=True)
    banner_says(page, tongue, "You have left the Victim Contact Scheme")
    follow(page, _("Ask to come back into the scheme"))
    arrive(page, tongue, me.url("/come-back"), "Ask to come back into the scheme", js=True)
    press(page, _("Ask to come back"), js=True)
    arrive(page, tongue, me.url("/contact"), "Contact preferences", js=True)
    officer_page = new_context().new_page()
    bring_back(officer_page, tongue, me, js=True)
    page.goto("/account")
    expect(page.locator("main")).to_contain_text(_("Getting updates"))
    assert_no_axe_violations(page)
    problems.assert_none()


def test_the_other_pages_pass_axe_and_fit_in_welsh(
    page: Page, problems: BrowserProblems, live_database: Engine, base_url: str
) -> None:
    """The pages the journeys above do not pass through, in Welsh, with JavaScript."""
    tongue = CYMRAEG
    me = new_member(live_database, tongue)
    put_victim_in(page.context, base_url, live_database, me.email)
    page.goto(f"/account?lang={tongue.code}")
    with Session(live_database) as session:
        ids = {
            p.channel: p.id
            for p in session.scalars(
                select(ContactPreference).join(Victim).join(Case).where(Case.id == me.case_id)
            )
        }
    for path, title in (
        ("/contact/times", "When is it safe for us to call or text you?"),
        ("/contact/envelope", "Is there a name we should not put on envelopes?"),
        ("/contact/language", "Which language do you want us to write to you in?"),
        ("/updates", "How much do you want to hear?"),
        (f"/contact/{ids[Channel.LETTER]}/remove", "Remove this contact detail?"),
        (f"/contact/{ids[Channel.EMAIL]}/change", "Change your email address"),
        ("/contact/add/letter", "Add a postal address"),
        ("/leave", "Leave the Victim Contact Scheme?"),
    ):
        page.goto(me.url(path))
        arrive(page, tongue, me.url(path), title, js=True)
    # A page with its errors, swapped in.
    page.goto(me.url("/contact/times"))
    page.get_by_label(tongue._("Only at certain times")).check()
    page.get_by_label(tongue._("From"), exact=True).select_option("")
    press(page, tongue._("Save"), js=True)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    arrive(
        page,
        tongue,
        me.url("/contact/times"),
        "When is it safe for us to call or text you?",
        js=True,
        error=True,
    )
    problems.assert_none()
