"""The pages about one case in a real browser, at 375px, in English and Welsh, with and
without JavaScript, axe on every page (JavaScript run): the demo manager (sam.okafor,
London) marks a victim's email address not safe, reassigns the case with a handover note,
and sees the notification that queued. With JavaScript, by keyboard alone.

Each test makes its own London victim, case and officers in the live server's database,
so the demo data other tests use is left as it is.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import Engine, select

from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    NotificationChannel,
    OfficerRole,
    Region,
    Victim,
    VictimLiaisonOfficer,
    VictimSession,
    utcnow,
)
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

MANAGER = "sam.okafor@example.gov.uk"
NOTE = "She knows the parole hearing is in March. Call after 10:00, never before."
#: The context with JavaScript off, while its test runs (axe needs JavaScript).
NO_JS: dict[str, BrowserContext] = {}


@dataclass(frozen=True)
class LondonCase:
    case_id: int
    email_id: int
    email: str
    new_officer: str
    session_id: int


def london_case(database: Engine, language: Language) -> LondonCase:
    """A victim reading `language` with an email address (safe, confirmed, signed in) and a
    mobile number, a case with one London officer, and another London officer to give it to."""
    tag = uuid.uuid4().hex[:8]
    email = f"browser.{tag}@example.com"
    now = utcnow()
    with database.begin() as connection:
        region_id = connection.scalar(select(Region.id).where(Region.code == "london"))

        def officer(name: str) -> int:
            return connection.execute(
                VictimLiaisonOfficer.__table__.insert().values(
                    region_id=region_id,
                    full_name=name,
                    email=f"{name.lower().replace(' ', '.')}.{tag}@example.gov.uk",
                    password_hash="never-signs-in",
                    speaks_welsh=False,
                    is_active=True,
                    role=OfficerRole.VLO,
                    created_at=now,
                )
            ).inserted_primary_key[0]

        first = officer(f"Dana Browser {tag}")
        new_officer = f"Ellis Browser {tag}"
        officer(new_officer)
        victim_id = connection.execute(
            Victim.__table__.insert().values(
                full_name=f"Bryn Browser {tag}", language=language, created_at=now
            )
        ).inserted_primary_key[0]
        email_id = connection.execute(
            ContactPreference.__table__.insert().values(
                victim_id=victim_id,
                channel=Channel.EMAIL,
                value=email,
                is_safe=True,
                voicemail_safe=False,
                verified_at=now,
            )
        ).inserted_primary_key[0]
        connection.execute(
            ContactPreference.__table__.insert().values(
                victim_id=victim_id,
                channel=Channel.SMS,
                value="+447700900654",
                is_safe=True,
                voicemail_safe=False,
                verified_at=now,
            )
        )
        case_id = connection.execute(
            Case.__table__.insert().values(
                reference=f"VCS-BROW-{tag[:4].upper()}",
                victim_id=victim_id,
                region_id=region_id,
                officer_id=first,
                status=CaseStatus.ACTIVE,
                offender_name="Browser Offender",
                offence_type="violent",
                clock_started_on=date.today(),
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        session_id = connection.execute(
            VictimSession.__table__.insert().values(
                token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                channel=NotificationChannel.EMAIL,
                destination=email,
                created_at=now,
                last_seen_at=now,
            )
        ).inserted_primary_key[0]
    return LondonCase(case_id, email_id, email, new_officer, session_id)


def arrive(page: Page, tongue: Tongue, path: str, page_title: str):
    """On the page, in the language, no wider than the phone; axe in the JavaScript run."""
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(page_title))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(tongue._(page_title))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{path} is wider than the screen"
    )
    language = page.locator(".moj-identity-bar #victim-language")
    expect(language).to_contain_text(tongue._("Language they chose:"))
    expect(language).to_contain_text(tongue._("Welsh"))
    if page.context is not NO_JS.get("context"):
        assert_no_axe_violations(page)


def focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, locator: Locator, limit: int = 150) -> None:
    """Press Tab until `locator` has the focus, as someone with only a keyboard would."""
    for _ in range(limit):
        if focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def activate(page: Page, locator: Locator, *, keyboard: bool) -> None:
    if keyboard:
        tab_to(page, locator)
        page.keyboard.press("Enter")
    else:
        with page.expect_navigation():
            locator.click()


def session_ended(database: Engine, session_id: int) -> bool:
    with database.connect() as connection:
        return (
            connection.scalar(select(VictimSession.ended_at).where(VictimSession.id == session_id))
            is not None
        )


def mark_unsafe_and_reassign(page: Page, tongue: Tongue, database: Engine, *, keyboard: bool):
    _ = tongue._
    case = london_case(database, Language.WELSH)
    cases = f"/staff/cases/{case.case_id}"
    sign_in_as(page, MANAGER, tongue)

    # Contact details: mark the email address not safe, after a confirmation.
    page.goto(f"{cases}/contact")
    arrive(page, tongue, f"{cases}/contact", "Contact details")
    card = page.locator(f"#contact-{case.email_id}")
    expect(card).to_contain_text(case.email)
    activate(page, card.get_by_role("link", name=_("Mark as not safe")), keyboard=keyboard)
    arrive(
        page,
        tongue,
        f"{cases}/contact/{case.email_id}/safety",
        "Mark this contact detail as not safe?",
    )
    assert not session_ended(database, case.session_id)
    activate(
        page,
        page.locator("#main-content").get_by_role("button", name=_("Mark as not safe")),
        keyboard=keyboard,
    )
    arrive(page, tongue, f"{cases}/contact", "Contact details")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        _("Email address marked not safe")
    )
    expect(card).to_contain_text(_("Not safe"))
    assert session_ended(database, case.session_id), "the victim's session ends at once"

    # Reassign the case with a handover note, telling the victim.
    page.goto(f"{cases}/reassign")
    arrive(page, tongue, f"{cases}/reassign", "Reassign the case")
    choice = page.get_by_label(case.new_officer)
    note = page.get_by_label(_("Handover note"))
    if keyboard:
        first_radio = page.locator("input[name=officer]").first
        tab_to(page, first_radio)
        for _step in range(20):
            if choice.is_checked():
                break
            page.keyboard.press("ArrowDown")
        expect(choice).to_be_checked()
        tab_to(page, note)
        page.keyboard.type(NOTE)
    else:
        choice.check()
        note.fill(NOTE)
    expect(page.get_by_label(_("Tell the victim who their new officer is"))).to_be_checked()
    activate(
        page,
        page.locator("#main-content").get_by_role("button", name=_("Reassign the case")),
        keyboard=keyboard,
    )
    arrive(page, tongue, f"{cases}/reassign", "Reassign the case")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(case.new_officer)
    expect(page.locator("#current-officer")).to_contain_text(case.new_officer)

    # The victim is told, content-free, on the first channel still safe: the mobile.
    activate(
        page,
        page.locator(".moj-sub-navigation").get_by_role("link", name=_("Notifications sent")),
        keyboard=keyboard,
    )
    arrive(page, tongue, f"{cases}/notifications", "Notifications sent")
    first_row = page.locator("#notifications tbody tr").first
    expect(first_row).to_contain_text(_("New Victim Liaison Officer"))
    expect(first_row).to_contain_text("•••• 654")
    expect(first_row).to_contain_text(_("In Welsh"))
    expect(page.locator("#notifications")).not_to_contain_text(case.email)


@LANGUAGES
def test_case_pages_by_keyboard_with_javascript(
    page: Page, problems: BrowserProblems, tongue: Tongue, live_database: Engine
):
    mark_unsafe_and_reassign(page, tongue, live_database, keyboard=True)
    problems.assert_none()


@LANGUAGES
def test_case_pages_without_javascript(
    no_js: BrowserContext, tongue: Tongue, live_database: Engine
):
    NO_JS["context"] = no_js
    page = no_js.new_page()
    problems = BrowserProblems(page)
    try:
        mark_unsafe_and_reassign(page, tongue, live_database, keyboard=False)
    finally:
        NO_JS.clear()
    problems.assert_none()
