"""A case's page in the console, in a real browser: an officer writes a sentence event for
a Welsh victim and records a call, by keyboard alone with JavaScript, and with the mouse
without it; in English and Welsh; at 375px (the default) and 1280px; axe on every page.
(The victim reading it in Welsh, through the sign-in pages, is in
tests/functional/test_staff_case_timeline.py: sign-in codes are limited per network, and
the browser tests of signing in use that network's allowance.)

Each test makes its own case in the live server's database (the demo cases stay as the
other browser tests expect them), in the region of the demo officer who signs in.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    Region,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    UpdatesWanted,
    Victim,
    VictimLiaisonOfficer,
    utcnow,
)
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, settled
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

#: Who signs in on the pages of each language, and their region.
OFFICERS = {
    "en": ("sam.okafor@example.gov.uk", "london"),
    "cy": ("alys.prydderch@example.gov.uk", "wales"),
}
DESKTOP = {"width": 1280, "height": 900}
NOTE = "Staff only: spoke to the prison about the dates."


@dataclass(frozen=True)
class LiveCase:
    case_id: int
    email: str

    @property
    def url(self) -> str:
        return f"/staff/cases/{self.case_id}"


def new_case(database: Engine, region_code: str, officer_email: str) -> LiveCase:
    """A Welsh victim's active case in the live server's database, with one entry."""
    email = f"browser.{uuid.uuid4().hex[:12]}@example.com"
    with Session(database) as session:
        region = session.scalar(select(Region).filter_by(code=region_code))
        officer = session.scalar(select(VictimLiaisonOfficer).filter_by(email=officer_email))
        victim = Victim(
            full_name="Gwenllian Browser",
            language=Language.WELSH,
            relationship_to_victim="self",
            contact_preferences=[
                ContactPreference(
                    channel=Channel.EMAIL, value=email, is_safe=True, verified_at=utcnow()
                ),
                ContactPreference(channel=Channel.PHONE, value="+442920000222", is_safe=False),
            ],
        )
        case = Case(
            reference=f"VCS-B{uuid.uuid4().hex[:8].upper()}",
            victim=victim,
            region=region,
            officer=officer,
            status=CaseStatus.ACTIVE,
            offender_name="Browser Offender",
            offence_type="violent",
            court_code="swansea",
            stage=SentenceStage.CUSTODY,
            updates_wanted=UpdatesWanted.EVERY_STAGE,
            clock_started_on=date(2026, 1, 5),
            timeline=[
                TimelineEvent(
                    kind=TimelineEventKind.STAGE,
                    stage=SentenceStage.SENTENCE,
                    occurred_on=date(2025, 12, 1),
                    summary="Cafodd y troseddwr ei ddedfrydu.",
                    language=Language.WELSH,
                    recorded_by_id=officer.id,
                )
            ],
        )
        session.add(case)
        session.commit()
        return LiveCase(case.id, email)


def on_case_page(page: Page, tongue: Tongue, case: LiveCase, *, js: bool, error=False) -> None:
    # A form sent back with its errors is at the form's own address, without JavaScript.
    path = re.escape(case.url) + (r"(/timeline/(stage|contact))?" if error else "")
    expect(page).to_have_url(re.compile(path + r"(\?.*)?(#.*)?$"))
    expect(page).to_have_title(tongue.title("Summary and timeline", error=error))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#victim-language")).to_contain_text(tongue._("Welsh"))
    if js:
        assert_no_axe_violations(page)


def tab_to(page: Page, target: Locator, limit: int = 150) -> None:
    """Press Tab until `target` has focus, as a keyboard user would: it must be reachable."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def keyboard_only(page: Page, tongue: Tongue, case: LiveCase) -> None:
    """Write a sentence event and record a call with the keyboard alone (JavaScript on)."""
    _ = tongue._
    page.goto(f"{case.url}?lang={tongue.code}")
    on_case_page(page, tongue, case, js=True)
    page.evaluate("window.__sameDocument = true")

    # A sentence event: Parole review, October 2026 told as a month, from the standard wording.
    tab_to(page, page.locator("#add-stage summary"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator("input[name=stage-stage]").first)
    page.keyboard.press("Space")  # Sentenced
    page.keyboard.press("ArrowDown")  # In prison or hospital
    page.keyboard.press("ArrowDown")  # Parole review
    expect(page.locator("input[name=stage-stage][value=parole]")).to_be_checked()
    tab_to(page, page.locator("#stage-month"))
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    page.keyboard.press("Tab")  # into the precision: "The day"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # The month only
    expect(page.locator("input[name=stage-precision][value=month]")).to_be_checked()
    wording = page.get_by_role("button", name=_("Use the standard wording for this stage"))
    tab_to(page, wording)
    page.keyboard.press("Enter")
    summary = page.locator("#stage-summary")
    expect(summary).to_be_focused()  # the starting text is there to edit
    expect(summary).to_have_value(re.compile("^Mae’r Bwrdd Parôl yn ystyried"))  # in Welsh
    settled(page)
    page.keyboard.press("End")
    page.keyboard.type(" Byddaf yn eich ffonio.")
    page.keyboard.press("Tab")
    page.keyboard.type(NOTE)
    tab_to(page, page.get_by_role("button", name=_("Add the sentence event")))
    page.keyboard.press("Enter")

    banner = page.locator("#case-outcome")
    expect(banner).to_be_focused()
    expect(banner).to_contain_text(_("Sentence event added"))
    expect(banner).to_contain_text(_("The victim was told there is an update, by email."))
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, not reloaded
    new = page.locator(".app-entry--new")
    expect(new).to_contain_text(_("Sentence event: %(stage)s") % {"stage": _("Parole review")})
    expect(new).to_contain_text(NOTE)
    expect(page).to_have_url(re.compile(r"\?added=\d+$"))
    on_case_page(page, tongue, case, js=True)
    settled(page)

    # A call: a mistake first (no summary), then put right.
    tab_to(page, page.locator("#record-contact summary"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator("input[name=contact-kind]").first)
    page.keyboard.press("Space")  # A phone call
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # We contacted the victim
    tab_to(page, page.get_by_role("button", name=_("Record it")))
    page.keyboard.press("Enter")
    error_summary = page.locator(".govuk-error-summary")
    expect(error_summary).to_be_focused()
    expect(error_summary).to_contain_text(
        _("Write what the victim will read, or select that only staff will see this")
    )
    on_case_page(page, tongue, case, js=True, error=True)
    settled(page)
    page.keyboard.press("Tab")  # into the summary's list of errors
    page.keyboard.press("Enter")  # the link goes to the field
    expect(page.locator("#contact-summary")).to_be_focused()
    page.keyboard.type("Buom yn siarad am yr adolygiad parôl.")
    tab_to(page, page.get_by_role("button", name=_("Record it")))
    page.keyboard.press("Enter")
    banner = page.locator("#case-outcome")
    expect(banner).to_be_focused()
    expect(banner).to_contain_text(_("Phone call recorded"))
    expect(page.locator("#first-contact")).to_contain_text(
        re.compile(re.escape(_("First contact made on %(date)s.")).replace(r"%\(date\)s", ".+"))
    )
    on_case_page(page, tongue, case, js=True)


@LANGUAGES
def test_by_keyboard_alone_with_javascript(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine
):
    email, region = OFFICERS[tongue.code]
    case = new_case(live_database, region, email)
    sign_in_as(page, email, tongue)
    keyboard_only(page, tongue, case)
    problems.assert_none()


def without_javascript(page: Page, tongue: Tongue, case: LiveCase) -> None:
    """The same tasks as plain forms: POST, 303, GET; an error; hiding an entry."""
    _ = tongue._
    page.goto(f"{case.url}?lang={tongue.code}")
    on_case_page(page, tongue, case, js=False)
    form = page.locator("#add-stage")
    form.locator("summary").click()
    form.get_by_label(_("Released on licence")).check()
    form.get_by_label(_("Day"), exact=True).fill("3")
    form.get_by_label(_("Month"), exact=True).fill("11")
    form.get_by_label(_("Year"), exact=True).fill("2026")
    form.get_by_label(_("The day"), exact=True).check()
    form.get_by_label(_("What the victim will read")).fill("Mae’r troseddwr wedi’i ryddhau.")
    with page.expect_navigation():
        form.get_by_role("button", name=_("Add the sentence event")).click()
    on_case_page(page, tongue, case, js=False, error=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        _(
            "A release is only ever told as a month or a year, never the day, so that nobody "
            "can wait for the offender: select the month or the year"
        )
    )
    form = page.locator("#add-stage")
    form.get_by_label(_("Day"), exact=True).fill("")
    form.get_by_label(_("The month only"), exact=True).check()
    with page.expect_navigation():
        form.get_by_role("button", name=_("Add the sentence event")).click()
    on_case_page(page, tongue, case, js=False)
    expect(page).to_have_url(re.compile(r"\?added=\d+$"))
    expect(page.locator("#case-outcome")).to_contain_text(_("Sentence event added"))

    contact = page.locator("#record-contact")
    contact.locator("summary").click()
    contact.get_by_label(_("A letter"), exact=True).check()
    contact.get_by_label(_("The victim contacted us")).check()
    contact.get_by_label(_("No, only staff will see it")).check()
    contact.get_by_label(_("Note for staff (optional)")).fill(NOTE)
    with page.expect_navigation():
        contact.get_by_role("button", name=_("Record it")).click()
    expect(page.locator("#case-outcome")).to_contain_text(_("Letter recorded"))
    letter = page.locator(".app-entry--new")
    expect(letter).to_contain_text(_("Letter from the victim"))
    expect(letter).to_contain_text(_("Hidden from the victim"))

    # Hide the release from the victim, after a confirmation page.
    release = page.locator(".moj-timeline__item", has_text=_("Released on licence"))
    with page.expect_navigation():
        release.get_by_role("link", name=re.compile(_("Hide from the victim"))).click()
    expect(page).to_have_title(tongue.title("Hide this entry from the victim?"))
    expect(page.locator("#victim-language")).to_contain_text(_("Welsh"))
    with page.expect_navigation():
        page.get_by_role("button", name=_("Hide it from the victim")).click()
    expect(page.locator("#case-outcome")).to_contain_text(_("The entry is hidden from the victim"))
    expect(release).to_contain_text(_("Hidden from the victim"))


@LANGUAGES
def test_without_javascript(no_js: BrowserContext, tongue: Tongue, live_database: Engine):
    email, region = OFFICERS[tongue.code]
    case = new_case(live_database, region, email)
    page = no_js.new_page()
    problems = BrowserProblems(page)
    sign_in_as(page, email, tongue)
    without_javascript(page, tongue, case)
    problems.assert_none()


@LANGUAGES
def test_the_case_page_at_desktop_width(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine
):
    page.set_viewport_size(DESKTOP)
    email, region = OFFICERS[tongue.code]
    case = new_case(live_database, region, email)
    sign_in_as(page, email, tongue)
    page.goto(f"{case.url}?lang={tongue.code}")
    on_case_page(page, tongue, case, js=True)
    # The victim and the contact panel sit side by side; the forms open in place.
    victim_card = page.locator(".govuk-summary-card").first.bounding_box()
    panel = page.locator(".app-contact-panel").bounding_box()
    assert panel["x"] > victim_card["x"] + victim_card["width"] - 1
    page.locator("#add-stage summary").click()
    page.locator("#record-contact summary").click()
    assert_no_axe_violations(page)
    entry = page.locator(".moj-timeline__item").first
    with page.expect_navigation():
        entry.get_by_role("link", name=re.compile(tongue._("Hide from the victim"))).click()
    expect(page).to_have_title(tongue.title("Hide this entry from the victim?"))
    assert_no_axe_violations(page)
    problems.assert_none()
