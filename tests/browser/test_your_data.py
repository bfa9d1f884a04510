"""Your data in a real browser, at 375px, in English and Welsh, with and without JavaScript:
from the case page to Your data, both downloads (plain links: the files arrive without
JavaScript too), the downloaded web page opened from the device on its own, and the page as
it prints. Axe on the page and on the downloaded file.

Each test signs in a victim of its own, written into the live server's database with a
release told as a month and what only staff see (a note, a hidden entry, a handover note),
so that it can check none of that reaches the victim. The session is started on the server
(tests/support/victim_browser.py: sign-in codes are limited per network address, and every
browser test asks from 127.0.0.1); the page without JavaScript is the same session in a
browser with JavaScript off.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    DatePrecision,
    Language,
    Region,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    VictimLiaisonOfficer,
    utcnow,
)
from tests.browser.conftest import MOBILE_VIEWPORT
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.victim_browser import sign_in_browser

STAFF_ONLY = (
    "STAFF ONLY: the prison rang about the release address.",
    "HIDDEN: still deciding what to tell the victim.",
    "HANDOVER: call in the evenings, never before six.",
)
RELEASE = {"en": "The offender was released on licence.", "cy": "Cafodd y troseddwr ei ryddhau."}
RELEASE_MONTH = {"en": "March 2027", "cy": "Mawrth 2027"}


def a_victim(engine: Engine, language: str) -> tuple[str, str]:
    """A victim of the Wales unit with an active case, in the live server's database:
    returns their email address and the case's reference."""
    email = f"data-{uuid.uuid4().hex[:10]}@example.com"
    reference = f"VCS-DATA-{uuid.uuid4().hex[:6].upper()}"
    with Session(engine) as session:
        region = session.scalar(select(Region).where(Region.code == "wales"))
        officer = session.scalars(
            select(VictimLiaisonOfficer).where(VictimLiaisonOfficer.region_id == region.id)
        ).first()
        victim = Victim(
            full_name="Morgan Data",
            language=Language(language),
            relationship_to_victim="self",
            contact_preferences=[
                ContactPreference(
                    channel=Channel.EMAIL, value=email, is_safe=True, verified_at=utcnow()
                )
            ],
        )
        case = Case(
            reference=reference,
            victim=victim,
            region=region,
            officer=officer,
            status=CaseStatus.ACTIVE,
            offender_name="Offender Of The Browser Case",
            offence_type="violent",
            stage=SentenceStage.RELEASE,
        )
        entries = [
            (TimelineEventKind.STAGE, SentenceStage.RELEASE, RELEASE[language], True, 0),
            (TimelineEventKind.NOTE, None, STAFF_ONLY[1], False, None),
            (TimelineEventKind.HANDOVER, None, STAFF_ONLY[2], True, None),
        ]
        for kind, stage, summary, visible, note in entries:
            session.add(
                TimelineEvent(
                    case=case,
                    kind=kind,
                    stage=stage,
                    occurred_on=date(2027, 3, 14),
                    precision=DatePrecision.MONTH,
                    summary=summary,
                    language=Language(language),
                    visible_to_victim=visible,
                    internal_note=STAFF_ONLY[0] if note == 0 else None,
                    recorded_by_id=officer.id,
                )
            )
        session.add(case)
        session.commit()
    return email, reference


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE_VIEWPORT["width"], f"{page.url} scrolls sideways ({width}px)"


def shows_nothing_staff_only(text: str) -> None:
    for planted in STAFF_ONLY:
        assert planted not in text
    assert "14 March 2027" not in text and "2027-03-14" not in text


def on_your_data(page: Page, tongue: Tongue, reference: str, *, js: bool) -> None:
    expect(page).to_have_url(url_ending("/account/your-data"))
    expect(page).to_have_title(tongue.title("Your data"))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_text(tongue._("Your data"))
    main = page.locator("main")
    expect(main).to_contain_text(reference)
    expect(main).to_contain_text(RELEASE[tongue.code])
    expect(main.locator("time", has_text=RELEASE_MONTH[tongue.code])).to_have_attribute(
        "datetime", "2027-03"
    )
    shows_nothing_staff_only(main.inner_text())
    fits(page)
    if js:
        assert_no_axe_violations(page)


def download(page: Page, name: str) -> tuple[str, str]:
    """Follow the link `name`; returns the file's suggested name and its text."""
    with page.expect_download() as arrived:
        page.get_by_role("link", name=name).click()
    file = arrived.value
    return file.suggested_filename, Path(file.path()).read_text(encoding="utf-8")


def downloads_work(page: Page, tongue: Tongue, reference: str) -> str:
    """Both downloads from the page; returns the web page's text (HTML)."""
    _ = tongue._
    name, text = download(page, _("Download it as data for another program (JSON file)"))
    assert re.fullmatch(rf"{_('your-data')}-\d{{4}}-\d{{2}}-\d{{2}}\.json", name)
    document = json.loads(text)
    assert (document["version"], document["cases"][0]["reference"]) == (1, reference)
    assert document["timeline"][0]["date"] == "2027-03"
    shows_nothing_staff_only(text)
    name, html = download(page, _("Download it as a web page (HTML file)"))
    assert re.fullmatch(rf"{_('your-data')}-\d{{4}}-\d{{2}}-\d{{2}}\.html", name)
    shows_nothing_staff_only(html)
    return html


@LANGUAGES
def test_your_data_with_and_without_javascript(
    browser: Browser,
    page: Page,
    problems: BrowserProblems,
    tongue: Tongue,
    live_database: Engine,
    live_app: Flask,
    live_server: str,
    tmp_path: Path,
) -> None:
    _ = tongue._
    email, reference = a_victim(live_database, tongue.code)
    sign_in_browser(live_app, page.context, live_server, email)
    page.goto(f"/account?lang={tongue.code}")

    # With JavaScript: from the case page, to the page, both downloads.
    with page.expect_navigation():
        page.get_by_role(
            "link", name=_("Your data: see, download or print what we hold about you")
        ).click()
    on_your_data(page, tongue, reference, js=True)
    html = downloads_work(page, tongue, reference)

    # The downloaded web page, opened from the device: on its own, styled, accessible.
    saved = tmp_path / "your-data.html"
    saved.write_text(html, encoding="utf-8")
    page.goto(saved.as_uri())
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_text(_("Your data"))
    expect(page.locator("main")).to_contain_text(RELEASE[tongue.code])
    weight = page.locator("h1").evaluate("element => getComputedStyle(element).fontWeight")
    assert weight == "700", "the file's own stylesheet is applied"
    fits(page)
    assert_no_axe_violations(page)

    # Printed: only the page's content, not the header, navigation or the downloads.
    page.goto(f"/account/your-data?lang={tongue.code}")
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_visible()
    for hidden in (
        ".govuk-header",
        ".govuk-service-navigation",
        ".govuk-exit-this-page",
        ".govuk-footer",
        ".app-no-print",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    page.emulate_media(media="screen")
    problems.assert_none()

    # Without JavaScript: the same session, the same page, the same downloads.
    no_js = browser.new_context(
        java_script_enabled=False,
        viewport=MOBILE_VIEWPORT,
        locale="en-GB",
        base_url=live_server,
        storage_state=page.context.storage_state(),
        accept_downloads=True,
    )
    try:
        plain = no_js.new_page()
        plain_problems = BrowserProblems(plain)
        plain.goto(f"/account?lang={tongue.code}")
        with plain.expect_navigation():
            plain.get_by_role(
                "link", name=_("Your data: see, download or print what we hold about you")
            ).click()
        on_your_data(plain, tongue, reference, js=False)
        downloads_work(plain, tongue, reference)
        plain_problems.assert_none()
    finally:
        no_js.close()


def test_someone_signed_out_cannot_download(page: Page) -> None:
    for path in ("/account/your-data", "/account/your-data/download.json"):
        page.goto(path)
        expect(page).to_have_url(url_ending("/sign-in"))


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True}
