"""The daily summary email of messages waiting for a reply: off unless an officer switches
it on, on their own account page (a POST with the form's token); `flask messages
daily-summary` sends it each morning, numbers only, once a day, on working days, to those
who asked and have something waiting."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.domain import working_days
from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    CaseStatus,
    OfficerRole,
    OutboxNotification,
    Region,
    VictimLiaisonOfficer,
)
from portal.notifications.content import render
from tests.support.factories import CaseFactory, OfficerFactory, RegionFactory
from tests.support.messages import WAITING_WORDS, waiting_message, working_days_ago
from tests.support.registration_steps import csrf
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def summaries(app_db) -> list[OutboxNotification]:
    app_db.expire_all()
    return list(
        app_db.scalars(
            select(OutboxNotification).where(
                OutboxNotification.template_key == "staff_daily_summary"
            )
        )
    )


# --- the choice, on the officer's own account page ------------------------------------------


def test_the_account_page_shows_who_they_are_and_the_summary_is_off_by_default(app, client, pages):
    officer_id = signed_in_officer(client, full_name="Gwen Officer")
    page = pages.get("/staff/account")
    assert page.find("h1").get_text(strip=True) == "Your account"
    details = page.find(id="account-details").get_text(" ", strip=True)
    assert "Gwen Officer" in details and "Victim Liaison Officer" in details
    checked = page.find("input", attrs={"name": "wanted", "checked": True})
    assert checked["value"] == "off"
    with app.app_context():
        assert db.session.get(VictimLiaisonOfficer, officer_id).daily_summary is False
    navigation = page.select(".govuk-service-navigation__item a")
    assert "/staff/account" in [link["href"] for link in navigation]


def test_an_officer_switches_it_on_and_off_and_each_change_is_audited(app, client, app_db):
    officer_id = signed_in_officer(client)
    page = page_of(client.get("/staff/account"))
    response = client.post("/staff/account", data={"csrf_token": csrf(page), "wanted": "on"})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/account"
    assert app_db.get(VictimLiaisonOfficer, officer_id).daily_summary is True
    (on,) = app_db.scalars(select(AuditEvent).where(AuditEvent.action == "staff.daily_summary_on"))
    assert on.actor_type == ActorType.STAFF and on.actor_id == officer_id
    after = page_of(client.get("/staff/account"))
    assert "You will get the daily summary email" in after.find(id="account-done").get_text()
    assert after.find("input", attrs={"name": "wanted", "checked": True})["value"] == "on"
    # Saving the same answer again changes nothing and audits no change.
    client.post("/staff/account", data={"csrf_token": csrf(after), "wanted": "on"})
    client.post("/staff/account", data={"csrf_token": csrf(after), "wanted": "off"})
    app_db.expire_all()
    assert app_db.get(VictimLiaisonOfficer, officer_id).daily_summary is False
    actions = [
        e.action
        for e in app_db.scalars(
            select(AuditEvent).where(AuditEvent.action.like("staff.daily_summary_o%"))
        )
    ]
    assert actions == ["staff.daily_summary_on", "staff.daily_summary_off"]


def test_a_forged_or_missing_answer_is_an_error_and_changes_nothing(app, client, app_db):
    officer_id = signed_in_officer(client)
    token = csrf(page_of(client.get("/staff/account")))
    for data in ({}, {"wanted": "always"}):
        response = client.post("/staff/account", data={"csrf_token": token, **data})
        assert response.status_code == 200
        page = page_of(response)
        assert page.title.get_text(strip=True).startswith("Error:")
        assert (
            page.select_one(".govuk-error-summary")
            .get_text(" ", strip=True)
            .endswith("Select whether you want a daily summary email")
        )
    assert client.post("/staff/account", data={"wanted": "on"}).status_code == 400  # no token
    assert app_db.get(VictimLiaisonOfficer, officer_id).daily_summary is False


# --- the command -------------------------------------------------------------------------


@pytest.fixture
def region(app, db_session) -> int:
    with app.app_context():
        region = RegionFactory()
        db.session.commit()
        return region.id


def officer(app, region_id: int, daily_summary: bool, **kwargs) -> int:
    with app.app_context():
        made = OfficerFactory(
            region=db.session.get(Region, region_id), daily_summary=daily_summary, **kwargs
        )
        db.session.commit()
        return made.id


def case_waiting(app, region_id: int, officer_id: int | None) -> int:
    with app.app_context():
        case = CaseFactory(
            status=CaseStatus.ACTIVE,
            region=db.session.get(Region, region_id),
            officer=db.session.get(VictimLiaisonOfficer, officer_id) if officer_id else None,
        )
        db.session.commit()
        case_id = case.id
    waiting_message(app, case_id, working_days_ago(2))
    return case_id


def run(app, *args):
    return app.test_cli_runner().invoke(args=["messages", "daily-summary", *args])


def test_the_summary_goes_once_a_day_numbers_only_to_those_who_asked(
    app, app_db, db_session, region
):
    asked = officer(app, region, daily_summary=True)
    welsh = officer(app, region, daily_summary=True, language="cy")
    not_asked = officer(app, region, daily_summary=False)
    case_waiting(app, region, asked)
    case_waiting(app, region, asked)
    case_waiting(app, region, not_asked)
    result = run(app, "--any-day")
    assert result.exit_code == 0, result.output
    assert "Queued 2 daily summaries" in result.output
    sent = {row.recipient: row for row in summaries(app_db)}
    emails = {
        o.id: o.email
        for o in app_db.scalars(select(VictimLiaisonOfficer).filter_by(region_id=region))
    }
    assert set(sent) == {emails[asked], emails[welsh]}
    mine = sent[emails[asked]]
    assert mine.channel == "email" and mine.language == "en"
    url = app.config["PUBLIC_BASE_URL"] + "/staff/sign-in"
    assert mine.personalisation == {"mine": 2, "region": 3, "url": url}
    assert sent[emails[welsh]].personalisation == {"mine": 0, "region": 3, "url": url}
    assert sent[emails[welsh]].language == "cy"
    # Numbers only: no reference, name or word of any message in what is sent.
    rendered = render("staff_daily_summary", "email", "en", mine.personalisation)
    assert "2" in rendered.body and WAITING_WORDS["en"] not in rendered.body
    # A second run the same day sends nothing more.
    again = run(app, "--any-day")
    assert "Queued 0 daily summaries" in again.output
    assert len(summaries(app_db)) == 2


def test_nothing_waiting_sends_nothing(app, app_db, db_session, region):
    officer(app, region, daily_summary=True)
    assert "Queued 0" in run(app, "--any-day").output
    assert not summaries(app_db)


def test_an_inactive_officer_gets_none(app, app_db, db_session, region):
    gone = officer(app, region, daily_summary=True, is_active=False)
    case_waiting(app, region, gone)
    run(app, "--any-day")
    assert not summaries(app_db)


def test_nothing_is_sent_on_a_weekend_or_bank_holiday(app, app_db, db_session, region, monkeypatch):
    asked = officer(app, region, daily_summary=True)
    case_waiting(app, region, asked)
    monkeypatch.setattr(working_days, "is_working_day", lambda day: False)
    result = run(app)
    assert result.exit_code == 0 and "not a working day" in result.output
    assert not summaries(app_db)
    monkeypatch.setattr(working_days, "is_working_day", lambda day: True)
    assert "Queued 1" in run(app).output


def test_an_admins_region_in_the_summary_is_their_own(app, app_db, db_session, region):
    """The email says "your region": an admin's own region, not every region."""
    admin = officer(app, region, daily_summary=True, role=OfficerRole.ADMIN)
    case_waiting(app, region, None)
    with app.app_context():
        other = RegionFactory().id
        db.session.commit()
    case_waiting(app, other, None)
    run(app, "--any-day")
    (summary,) = summaries(app_db)
    assert summary.personalisation["region"] == 1
    assert app_db.get(VictimLiaisonOfficer, admin).role == OfficerRole.ADMIN
