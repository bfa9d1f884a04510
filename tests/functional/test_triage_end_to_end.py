"""Triage end to end: a registration made through the public pages appears in the right
region's queue, an officer of that region decides, and the victim signs in and sees what
was decided, in their language (accepted: their officer and the new timeline entry;
declined: why, kindly, and where to get support). The notifications worker sends the
"sign in to read it" message on the victim's safe channel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, CaseStatus, Region, utcnow
from tests.support.cases import english_victim
from tests.support.delivery import deliver
from tests.support.pages import PageClient
from tests.support.registration_steps import VICTIM_ANSWERS, csrf, register
from tests.support.sign_in_steps import ask_for_code, sign_in_as
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database

WALES_OFFICER = "Gwenllian Officer"


def wales_id(app) -> int:
    with app.app_context():
        return db.session.scalars(select(Region.id).filter_by(code="wales")).one()


def staff_decides(app, url: str, data: dict):
    """An officer of Wales, in a browser of their own, posts `data` to `url`."""
    staff = app.test_client()
    signed_in_officer(staff, region_id=wales_id(app), full_name=WALES_OFFICER)
    page = BeautifulSoup(staff.get(url).get_data(as_text=True), "html.parser")
    response = staff.post(url, data={**data, "csrf_token": csrf(page)})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return staff


def registered_case(app_db) -> Case:
    return app_db.scalars(select(Case).order_by(Case.id.desc())).first()


def queue_references(staff) -> list[str]:
    page = BeautifulSoup(staff.get("/staff").get_data(as_text=True), "html.parser")
    table = page.find(id="to-triage")
    if table is None:
        return []
    return [row.find("th").get_text(strip=True) for row in table.find("tbody").find_all("tr")]


def test_a_welsh_registration_is_accepted_and_the_victim_reads_it_in_welsh(app, pages, app_db):
    register(pages, app_db, language="cy")
    case = registered_case(app_db)
    assert case.status == CaseStatus.TRIAGE and case.region.code == "wales"
    deliver(app, app_db)  # "we have your request"

    staff = app.test_client()
    signed_in_officer(staff, region_id=wales_id(app), full_name=WALES_OFFICER)
    assert case.reference in queue_references(staff)
    elsewhere = app.test_client()
    signed_in_officer(elsewhere)  # a VLO of another region sees nothing of it
    assert case.reference not in elsewhere.get("/staff").get_data(as_text=True)

    page = BeautifulSoup(staff.get(f"/staff/cases/{case.id}/triage/accept").get_data(
        as_text=True), "html.parser")  # fmt: skip
    officer_id = page.select_one("#officer option[selected]")["value"]
    response = staff.post(
        f"/staff/cases/{case.id}/triage/accept",
        data={"officer": officer_id, "csrf_token": csrf(page)},
    )
    assert response.status_code == 303
    assert case.reference not in queue_references(staff)

    sent = [n for n in deliver(app, app_db) if n.recipient == "sian@example.com"]
    (told,) = sent
    assert "Mae gennych ddiweddariad" in told.rendered.body  # Welsh, and nothing of the case
    assert case.reference not in told.rendered.body and WALES_OFFICER not in told.rendered.body

    victim = PageClient(app.test_client())
    sign_in_as(victim, app_db, "sian@example.com", "sian@example.com")
    account = victim.get("/account?lang=cy")
    text = account.get_text(" ", strip=True)
    assert WALES_OFFICER in text
    assert (
        f"Mae eich cais i ymuno wedi’i dderbyn. Eich Swyddog Cyswllt Dioddefwyr yw "
        f"{WALES_OFFICER}." in text
    )
    entry = account.find(class_="app-timeline__item")  # newest first
    assert entry.find("h4").get_text(strip=True) == "Eich cais i ymuno"
    assert "Statws Yn cael diweddariadau" in text


def test_an_english_registration_declined_is_told_why_kindly(app, pages, app_db):
    answers = {**VICTIM_ANSWERS, "language": {"language": "en"}}
    register(pages, app_db, answers=answers)
    case = registered_case(app_db)
    deliver(app, app_db)
    staff_decides(
        app,
        f"/staff/cases/{case.id}/triage/decline",
        {"reason": "sentence_too_short", "note": "The sentence we found was 8 months."},
    )
    (told,) = [n for n in deliver(app, app_db) if n.recipient == "sian@example.com"]
    assert told.rendered.body.startswith("There is an update for you.")

    victim = PageClient(app.test_client())
    sign_in_as(victim, app_db, "sian@example.com", "sian@example.com")
    account = victim.get("/account?lang=en")
    text = account.get_text(" ", strip=True)
    assert "We could not accept your request to join" in text
    assert "Why we could not accept your request" in text
    assert "We are sorry." in text
    assert (
        "The scheme is for cases where the offender was sent to prison for 12 months or more"
        in account.find(class_="app-decline-reason").get_text()
    )
    note = account.find(class_="app-decline-note")
    assert note.get_text(strip=True) == "The sentence we found was 8 months."
    assert note.has_attr("data-i18n-data")
    support = account.find(class_="app-still-help")
    assert support.find("a", href="https://www.victimsupport.org.uk/")
    assert "call 999" in support.get_text()
    look_again = account.find("a", href="/regions/wales", string=None)
    assert look_again is not None  # ask the region's own unit to look again
    assert "Your Victim Liaison Officer" not in text
    assert "Where the sentence is" not in text


def test_a_request_declined_long_ago_no_longer_signs_in(app, pages, app_db):
    me = english_victim(app, email="long.ago@example.com")
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        case.status = CaseStatus.DECLINED
        case.triaged_at = utcnow() - timedelta(days=91)
        db.session.commit()
    ask_for_code(pages, me.email)
    assert not [n for n in deliver(app, app_db) if n.recipient == me.email]
    with app.app_context():
        db.session.get(Case, me.case_id).triaged_at = utcnow() - timedelta(days=89)
        db.session.commit()
    ask_for_code(pages, me.email)
    assert [n for n in deliver(app, app_db) if n.recipient == me.email]
