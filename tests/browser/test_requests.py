"""Requests go round trip with an officer in the staff console, in a real browser at 375px,
in English and Welsh, axe on every page (JavaScript run):

- with JavaScript: a victim writes a Victim Personal Statement section by section and sends
  it; the demo manager (sam.okafor, London) returns it with comments; the victim reads them,
  changes a section from "Check your statement" and sends it again; the manager passes it to
  the Parole Board, and the victim sees that;
- both ways: the victim asks for the decision summary; the manager records the day it was
  sent, and the victim sees it;
- without JavaScript: a victim asks for licence conditions (no contact, an exclusion zone
  described in words); the manager passes the request on and records the decision,
  explained in the victim's language; the victim reads it.

Each test makes its own London victim and case in the live server's database, so the demo
data other tests use is left as it is.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine, select

from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    Region,
    Victim,
    VictimLiaisonOfficer,
    utcnow,
)
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import LANGUAGES, Tongue, latest_code, url_ending
from tests.support.browser_problems import BrowserProblems
from tests.support.staff_browser import sign_in_as

MANAGER = "sam.okafor@example.gov.uk"
CASE_LINK = (
    "Requests to your officer: licence conditions, your personal statement, the decision summary"
)
FEELINGS = {
    "en": "I check the locks three times every night.",
    "cy": "Rwy’n gwirio’r cloeon deirgwaith bob nos.",
}
CHANGED = {"en": "I still check the locks, but only once.", "cy": "Rwy’n dal i wirio’r cloeon."}
COMMENTS = {
    "en": "Please take out your neighbour's name: the panel cannot use it.",
    "cy": "Tynnwch enw eich cymydog allan, os gwelwch yn dda.",
}
PLACES = {
    "en": "The school gates on Queen Street, and the bus stop by my work.",
    "cy": "Gatiau’r ysgol ar Heol y Frenhines, a’r safle bws ger fy ngwaith.",
}
DECISION = {
    "en": "The Parole Board set a no-contact condition and an exclusion zone around the school.",
    "cy": "Gosododd y Bwrdd Parôl amod dim cyswllt a pharth gwahardd o amgylch yr ysgol.",
}


@dataclass(frozen=True)
class LondonVictim:
    case_id: int
    reference: str
    email: str


def london_victim(database: Engine, language: Language) -> LondonVictim:
    """A victim reading `language`, with a safe, confirmed email address to sign in with, and
    an active case of the London region with a London officer."""
    tag = uuid.uuid4().hex[:8]
    email = f"requests.{tag}@example.com"
    now = utcnow()
    with database.begin() as connection:
        region_id = connection.scalar(select(Region.id).where(Region.code == "london"))
        officer_id = connection.scalar(
            select(VictimLiaisonOfficer.id).where(VictimLiaisonOfficer.email == MANAGER)
        )
        victim_id = connection.execute(
            Victim.__table__.insert().values(
                full_name=f"Rhian Requests {tag}", language=language, created_at=now
            )
        ).inserted_primary_key[0]
        connection.execute(
            ContactPreference.__table__.insert().values(
                victim_id=victim_id,
                channel=Channel.EMAIL,
                value=email,
                is_safe=True,
                voicemail_safe=False,
                verified_at=now,
            )
        )
        reference = f"VCS-REQ-{hashlib.sha256(tag.encode()).hexdigest()[:6].upper()}"
        case_id = connection.execute(
            Case.__table__.insert().values(
                reference=reference,
                victim_id=victim_id,
                region_id=region_id,
                officer_id=officer_id,
                status=CaseStatus.ACTIVE,
                offender_name="Requests Offender",
                offence_type="violent",
                clock_started_on=date.today(),
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
    return LondonVictim(case_id, reference, email)


def arrive(page: Page, tongue: Tongue, path: str, page_title: str, *, js: bool, error=False):
    """On the page, in the language, no wider than the phone; axe with JavaScript."""
    expect(page).to_have_url(url_ending(path))
    expect(page).to_have_title(tongue.title(page_title, error=error))
    expect(page.locator("html")).to_have_attribute("lang", tongue.code)
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{path} is wider than the screen"
    )
    if js:
        assert_no_axe_violations(page)


def press(page: Page, name: str, *, js: bool) -> None:
    """Press a button of the page's content: htmx swaps with JavaScript, a page load without."""
    button = page.locator("#main-content").get_by_role("button", name=name, exact=True)
    if js:
        button.click()
    else:
        with page.expect_navigation():
            button.click()


def follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("link", name=name).first.click()


def sign_victim_in(page: Page, tongue: Tongue, database: Engine, email: str) -> None:
    _ = tongue._
    page.goto(f"/sign-in?lang={tongue.code}")
    page.get_by_label(_("Sign in with your email address or mobile number")).fill(email)
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=_("Send a code")).click()
    expect(page).to_have_url(url_ending("/sign-in/security-code"))
    page.get_by_label(_("Security code")).fill(latest_code(database, email))
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=_("Sign in")).click()
    expect(page).to_have_url(url_ending("/account"))


def staff_page(context: BrowserContext, tongue: Tongue) -> Page:
    page = context.new_page()
    sign_in_as(page, MANAGER, tongue)
    return page


def open_request_in_console(page: Page, tongue: Tongue, case_id: int, kind: str, *, js: bool):
    _ = tongue._
    page.goto(f"/staff/cases/{case_id}")
    with page.expect_navigation():
        page.locator(".moj-sub-navigation").get_by_role("link", name=_("Requests")).click()
    arrive(page, tongue, f"/staff/cases/{case_id}/requests", "Requests", js=js)
    with page.expect_navigation():
        page.locator("#requests").get_by_role("link").first.click()
    arrive(page, tongue, "", kind, js=js)


def record_step(page: Page, tongue: Tongue, step: str, kind: str, words: str = "", *, js: bool):
    _ = tongue._
    page.get_by_label(_(step)).check()
    if words:
        page.get_by_label(_("What the victim will read")).fill(words)
    path = urlparse(page.url).path
    press(page, _("Record this step"), js=js)
    expect(page.locator("#request-outcome")).to_be_visible()
    if js:
        expect(page.locator("#request-outcome")).to_be_focused()
    arrive(page, tongue, path, kind, js=js)


def statement_round_trip(
    victim: Page, context: BrowserContext, tongue: Tongue, database: Engine
) -> None:
    _, code = tongue._, tongue.code
    js = True
    record = london_victim(database, Language(code))
    requests = f"/account/cases/{record.reference}/requests"
    sign_victim_in(victim, tongue, database, record.email)
    follow(
        victim,
        _(CASE_LINK),
    )
    arrive(victim, tongue, requests, "Requests to your officer", js=js)
    follow(victim, _("Write a Victim Personal Statement"))
    arrive(
        victim,
        tongue,
        f"{requests}/new/personal-statement",
        "Write a Victim Personal Statement",
        js=js,
    )
    press(victim, _("Start now"), js=js)
    expect(victim).to_have_url(url_ending("/physical"))
    here = urlparse(victim.url).path.rsplit("/", 1)[0]
    for slug, title, words in (
        ("physical", "Physical effects", ""),
        ("emotional", "Emotional effects", FEELINGS[code]),
        ("financial", "Financial effects", ""),
        ("family", "Effects on your family", ""),
        ("anything-else", "Anything else", ""),
    ):
        arrive(victim, tongue, f"{here}/{slug}", title, js=js)
        expect(victim.locator("h1")).to_be_focused()
        if words:
            victim.get_by_label(_(title)).fill(words)
        press(victim, _("Save and continue"), js=js)
    arrive(
        victim, tongue, f"{here}/how-given", "How do you want your statement to be given?", js=js
    )
    victim.get_by_label(
        _("I read it out by video link, so I do not have to be in the room")
    ).check()
    press(victim, _("Save and continue"), js=js)
    arrive(victim, tongue, f"{here}/check", "Check your statement", js=js)
    expect(victim.locator("#answers")).to_contain_text(FEELINGS[code])
    press(victim, _("Send to your officer"), js=js)
    arrive(victim, tongue, here, "Victim Personal Statement", js=js)
    expect(victim.locator("#sent-panel")).to_be_focused()
    expect(victim.locator("#request-status")).to_have_text(_("Sent to your officer"))

    officer = staff_page(context, tongue)
    open_request_in_console(officer, tongue, record.case_id, "Victim Personal Statement", js=js)
    expect(officer.locator("#request-answers")).to_contain_text(FEELINGS[code])
    record_step(
        officer,
        tongue,
        "Return it to the victim with comments",
        "Victim Personal Statement",
        COMMENTS[code],
        js=js,
    )
    expect(officer.locator("#request-status")).to_have_text(
        _("Returned to the victim with comments")
    )

    victim.goto(here)
    arrive(victim, tongue, here, "Victim Personal Statement", js=js)
    expect(victim.locator("#officer-words")).to_contain_text(COMMENTS[code])
    follow(victim, _("Check and send it again"))
    arrive(victim, tongue, f"{here}/check", "Check your statement", js=js)
    victim.locator(f"a[href='{here}/emotional?change=1']").click()
    arrive(victim, tongue, f"{here}/emotional", "Emotional effects", js=js)
    expect(victim.locator("#officer-comments")).to_contain_text(COMMENTS[code])
    victim.get_by_label(_("Emotional effects")).fill(CHANGED[code])
    press(victim, _("Save and go back to check your answers"), js=js)
    arrive(victim, tongue, f"{here}/check", "Check your statement", js=js)
    expect(victim.locator("#answers")).to_contain_text(CHANGED[code])
    press(victim, _("Send to your officer"), js=js)
    arrive(victim, tongue, here, "Victim Personal Statement", js=js)

    officer.reload()
    expect(officer.locator("#request-answers")).to_contain_text(CHANGED[code])
    record_step(
        officer,
        tongue,
        "Accept it and record that you passed it to the Parole Board",
        "Victim Personal Statement",
        js=js,
    )
    expect(officer.locator("#request-outcome")).to_contain_text(
        _("The victim was told there is an update, by email.")
    )

    victim.goto(here)
    expect(victim.locator("#request-status")).to_have_text(_("Passed to the Parole Board"))
    expect(victim.locator("#request-steps li")).to_have_count(4)
    decision_summary_round_trip(victim, officer, tongue, record, js=js)


def decision_summary_round_trip(
    victim: Page, officer: Page, tongue: Tongue, record: LondonVictim, *, js: bool
) -> None:
    """After a parole decision: the victim asks for the summary in one step; the officer
    records the day they sent it; the victim sees when."""
    _ = tongue._
    requests = f"/account/cases/{record.reference}/requests"
    victim.goto(requests)
    arrive(victim, tongue, requests, "Requests to your officer", js=js)
    follow(victim, _("Ask for the decision summary"))
    title = "Ask for the decision summary"
    arrive(victim, tongue, f"{requests}/new/decision-summary", title, js=js)
    press(victim, _("Ask for the decision summary"), js=js)
    arrive(victim, tongue, "", "Request for the decision summary", js=js)
    expect(victim.locator("#request-status")).to_have_text(_("Sent to your officer"))
    here = urlparse(victim.url).path

    kind = "Decision summary request"
    open_request_in_console(officer, tongue, record.case_id, kind, js=js)
    record_step(officer, tongue, "Record that you sent the decision summary", kind, js=js)
    expect(officer.locator("#request-status")).to_have_text(_("Summary sent"))

    victim.goto(here)
    arrive(victim, tongue, here, "Request for the decision summary", js=js)
    expect(victim.locator("#request-status")).to_have_text(_("Summary sent"))
    expect(victim.locator("#summary-sent-on")).not_to_be_empty()


def licence_conditions_round_trip(
    victim: Page, officer_context: BrowserContext, tongue: Tongue, database: Engine
) -> None:
    _, code = tongue._, tongue.code
    js = False
    record = london_victim(database, Language(code))
    requests = f"/account/cases/{record.reference}/requests"
    sign_victim_in(victim, tongue, database, record.email)
    victim.goto(requests)
    arrive(victim, tongue, requests, "Requests to your officer", js=js)
    follow(victim, _("Ask for licence conditions"))
    arrive(
        victim, tongue, f"{requests}/new/licence-conditions", "Ask for licence conditions", js=js
    )
    press(victim, _("Start now"), js=js)
    here = urlparse(victim.url).path.rsplit("/", 1)[0]
    arrive(victim, tongue, f"{here}/no-contact", "Who should the offender not contact?", js=js)
    victim.get_by_label(_("Me"), exact=True).check()
    victim.get_by_label(_("My family"), exact=True).check()
    victim.get_by_label(_("Who in your family? (optional)")).fill("—")
    press(victim, _("Save and continue"), js=js)
    title = "Do you want to ask for an exclusion zone?"
    arrive(victim, tongue, f"{here}/exclusion-zone", title, js=js)
    victim.locator("input[name=exclusion_zone][value=yes]").check()
    # Saying yes without the places is a specific error, and nothing is lost.
    press(victim, _("Save and continue"), js=js)
    arrive(victim, tongue, f"{here}/exclusion-zone", title, js=js, error=True)
    expect(victim.locator(".govuk-error-summary")).to_contain_text(
        _("Describe the places that matter to you, or select ‘No’")
    )
    victim.get_by_label(_("Describe the places that matter to you")).fill(PLACES[code])
    press(victim, _("Save and continue"), js=js)
    arrive(victim, tongue, f"{here}/other-concerns", "Is anything else worrying you?", js=js)
    press(victim, _("Save and continue"), js=js)
    arrive(victim, tongue, f"{here}/check", "Check your answers", js=js)
    expect(victim.locator("#answers")).to_contain_text(PLACES[code])
    press(victim, _("Send to your officer"), js=js)
    arrive(victim, tongue, here, "Request for licence conditions", js=js)
    expect(victim.locator("#request-status")).to_have_text(_("Sent to your officer"))

    officer = staff_page(officer_context, tongue)
    kind = "Licence conditions request"
    open_request_in_console(officer, tongue, record.case_id, kind, js=js)
    expect(officer.locator("#request-answers")).to_contain_text(PLACES[code])
    record_step(
        officer, tongue, "Record that you passed it to the Parole Board or prison", kind, js=js
    )
    record_step(
        officer,
        tongue,
        "Record the decision and explain it to the victim",
        kind,
        DECISION[code],
        js=js,
    )
    expect(officer.locator("#request-status")).to_have_text(_("Decided"))

    victim.goto(here)
    arrive(victim, tongue, here, "Request for licence conditions", js=js)
    expect(victim.locator("#request-status")).to_have_text(_("Decided"))
    expect(victim.locator("#officer-words")).to_contain_text(DECISION[code])
    victim.goto("/account")
    expect(victim.locator(f"a[href='{here}']").first).to_be_visible()
    decision_summary_round_trip(victim, officer, tongue, record, js=js)


@LANGUAGES
def test_a_statement_goes_round_trip_with_javascript(
    page: Page, new_context, problems: BrowserProblems, tongue: Tongue, live_database: Engine
):
    staff = new_context()
    statement_round_trip(page, staff, tongue, live_database)
    problems.assert_none()


@LANGUAGES
def test_licence_conditions_go_round_trip_without_javascript(
    no_js: BrowserContext, new_context, tongue: Tongue, live_database: Engine
):
    page = no_js.new_page()
    problems = BrowserProblems(page)
    staff = new_context(java_script_enabled=False)
    licence_conditions_round_trip(page, staff, tongue, live_database)
    problems.assert_none()
