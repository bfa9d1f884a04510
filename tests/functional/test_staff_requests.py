"""A victim's requests in the staff console (portal/staff/request_views.py), and the round
trip with the victim's own pages: licence conditions and a Victim Personal Statement sent
by the victim, moved on by their officer, read by the victim.

The Requests section and each request's page; the one form that moves a request on, with
and without htmx, in English and Welsh; every rule and forged post (no 500, nothing
half-saved); another region's case, another case's request and a draft not found; a step
someone else already took refused kindly; the same queries however long the history.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Language,
    OutboxNotification,
    RequestKind,
    RequestStatus,
    TimelineEvent,
    VictimRequest,
    VictimRequestStep,
    utcnow,
)
from tests.support.cases import english_victim
from tests.support.factories import (
    RegionFactory,
    VictimRequestFactory,
    VictimRequestStepFactory,
)
from tests.support.pages import PageClient
from tests.support.queries import queries
from tests.support.registration_steps import csrf
from tests.support.request_state import OFFICER_WORDS, requests_in_every_state
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

K, S = RequestKind, RequestStatus
HX = {"HX-Request": "true"}
DECISION = "Gosododd y Bwrdd amod dim cyswllt, a pharth gwahardd o amgylch yr ysgol."
COMMENTS = "Please take out your neighbour's name: the panel cannot use it."


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def records(app, db_session):
    """A Welsh victim with a request in every state, in a region."""
    return requests_in_every_state(app)


@pytest.fixture
def officer(client, records):
    signed_in_officer(client, region_id=records["region_id"])
    return PageClient(client)


def request_url(records, name: str) -> str:
    return f"/staff/cases/{records['case_id']}/requests/{records[name]}"


def move_form(page) -> dict:
    form = page.select_one("#move ~ form")
    return {
        field["name"]: field.get("value", "")
        for field in form.find_all("input", attrs={"type": "hidden"})
    }


def move(client, page, url, status=303, headers=None, **answers):
    response = client.post(
        f"{url}/status", data={**move_form(page), **answers}, headers=headers or {}
    )
    assert response.status_code == status, response.get_data(as_text=True)[:1500]
    return response


def test_the_requests_section_lists_what_the_victim_sent_never_a_draft(officer, records):
    page = officer.get(f"/staff/cases/{records['case_id']}/requests")
    current = page.select_one(".moj-sub-navigation__link[aria-current=page]")
    assert current.get_text(strip=True) == "Requests"
    rows = page.select("#requests tbody tr")
    links = [row.find("a")["href"] for row in rows]
    assert request_url(records, "licence_draft") not in links
    assert len(rows) == 5
    waiting = [row for row in rows if "Waiting for you" in row.get_text()]
    assert len(waiting) == 1  # the summary asked for; the returned statement is with the victim
    badges = [row.select_one(".moj-badge").get_text(strip=True) for row in rows]
    assert "Returned to the victim with comments" in badges


def test_a_request_shows_the_victims_words_in_their_language_and_each_step(officer, records):
    page = officer.get(request_url(records, "licence_decided"))
    answers = page.find(id="request-answers")
    places = answers.find("span", string=lambda s: s and "Ysgol fy mab" in s)
    assert places["lang"] == "cy" and places.has_attr("data-i18n-data")
    steps = page.select("#request-steps li")
    assert [li.find("h3").get_text(strip=True) for li in steps] == [
        "Sent by the victim",
        "Passed to the Parole Board or prison",
        "Decision recorded",
    ]
    assert "The victim," in steps[0].get_text()
    assert OFFICER_WORDS in steps[2].get_text()
    assert "reached its end" in page.get_text()
    assert page.select_one("#move ~ form") is None


def test_the_form_offers_only_the_steps_that_can_follow(officer, records):
    page = officer.get(request_url(records, "summary_asked"))
    offered = [radio["value"] for radio in page.select("#move ~ form input[type=radio]")]
    assert offered == ["considering", "summary_sent"]
    assert page.select_one("#move ~ form #day")  # the day it was sent
    assert "Write this in Welsh: the victim chose Welsh." in page.get_text()
    textarea = page.select_one("#move ~ form textarea")
    assert textarea["lang"] == "cy"


def test_licence_conditions_decided_and_the_victim_reads_why(app, client, officer, records, app_db):
    with app.app_context():
        case = db.session.get(Case, records["case_id"])
        sent = VictimRequestStepFactory(
            request__case=case,
            request__answers={"no_contact": ["me"]},
            request__language=Language.WELSH,
        )
        db.session.commit()
        url = f"/staff/cases/{case.id}/requests/{sent.request_id}"
    for to, words in (("considering", ""), ("passed_on", ""), ("decided", DECISION)):
        page = officer.get(url)
        response = move(client, page, url, to=to, words=words)
        assert response.headers["Location"] == url
        page = officer.get(url)
        banner = page.find(id="request-outcome")
        assert "The victim was told there is an update, by email." in banner.get_text()
    assert page.find(id="request-status").get_text(strip=True) == "Decided"
    found = app_db.get(VictimRequest, sent.request_id)
    assert found.status == S.DECIDED and found.steps[-1].message == DECISION
    notifications = app_db.scalars(
        select(OutboxNotification).where(
            OutboxNotification.template_key == "request_update",
            OutboxNotification.victim_id == found.case.victim_id,
        )
    ).all()
    assert len(notifications) == 3 and {n.language for n in notifications} == {Language.WELSH}
    assert all(DECISION not in str(n.personalisation) for n in notifications)
    # The victim reads the decision, in their language, on the request's page.
    victim = app.test_client()
    signed_in(victim, records["email"])
    page = PageClient(victim).get(
        f"/account/cases/{records['reference']}/requests/{sent.request_id}?lang=cy"
    )
    assert page.find(id="request-status").get_text(strip=True) == "Penderfynwyd"
    assert page.find(id="officer-words").find("p").get_text(strip=True) == DECISION


@pytest.mark.parametrize(
    ("name", "answers", "message"),
    [
        ("summary_asked", {}, "Select what you have done"),
        ("summary_asked", {"to": "decided"}, "Select what you have done"),  # not offered
        (
            "summary_asked",
            {"to": "summary_sent", "day": "", "month": "", "year": ""},
            "Enter the date",
        ),
        (
            "summary_asked",
            {"to": "summary_sent", "day": "31", "month": "2", "year": "2026"},
            "The date must be a real date",
        ),
        (
            "summary_asked",
            {"to": "summary_sent", "day": "1", "month": "1", "year": "2099"},
            "The date must be today or in the past",
        ),
        (
            "summary_asked",
            {"to": "considering", "words": "x" * 4001},
            "What the victim will read must be 4000 characters or fewer",
        ),
    ],
)
def test_each_rule_of_the_form_says_what_to_fix_and_changes_nothing(
    client, officer, records, app_db, name, answers, message
):
    url = request_url(records, name)
    page = officer.get(url)
    response = client.post(f"{url}/status", data={**move_form(page), **answers})
    assert response.status_code == 200
    page = parse(response)
    assert page.find("title").get_text(strip=True).startswith("Error: ")
    assert message in page.select_one(".govuk-error-summary").get_text()
    found = app_db.get(VictimRequest, records[name])
    assert found.status == S.SENT and len(found.steps) == 1


def test_a_decision_needs_its_explanation(client, officer, app, records, app_db):
    with app.app_context():
        case = db.session.get(Case, records["case_id"])
        passed = VictimRequestFactory(case=case, status=S.PASSED_ON, sent_at=utcnow())
        db.session.commit()
        url = f"/staff/cases/{case.id}/requests/{passed.id}"
    page = officer.get(url)
    page = parse(move(client, page, url, status=200, to="decided", words="  "))
    assert (
        "Explain the decision to the victim" in page.select_one(".govuk-error-summary").get_text()
    )
    assert app_db.get(VictimRequest, passed.id).status == S.PASSED_ON


def test_the_summary_cannot_have_been_sent_before_it_was_asked_for(
    client, officer, records, app_db
):
    url = request_url(records, "summary_asked")
    page = officer.get(url)
    asked = app_db.get(VictimRequest, records["summary_asked"]).sent_at
    before = asked - timedelta(days=3)
    page = parse(
        move(
            client,
            page,
            url,
            status=200,
            to="summary_sent",
            day=str(before.day),
            month=str(before.month),
            year=str(before.year),
        )
    )
    assert "the day the victim asked for it" in page.select_one(".govuk-error-summary").get_text()


def test_the_summary_sent_day_is_recorded_and_the_victim_sees_it(
    app, client, officer, records, app_db
):
    url = request_url(records, "summary_asked")
    page = officer.get(url)
    today = utcnow().date()
    move(
        client,
        page,
        url,
        to="summary_sent",
        day=str(today.day),
        month=str(today.month),
        year=str(today.year),
    )
    found = app_db.get(VictimRequest, records["summary_asked"])
    assert found.status == S.SUMMARY_SENT and found.summary_sent_on == today
    victim = app.test_client()
    signed_in(victim, records["email"])
    page = PageClient(victim).get(
        f"/account/cases/{records['reference']}/requests/{found.id}?lang=en"
    )
    assert page.find(id="request-status").get_text(strip=True) == "Summary sent"
    assert page.find(id="summary-sent-on").get_text(strip=True)


def test_the_same_form_twice_takes_one_step(client, officer, records, app_db):
    url = request_url(records, "summary_asked")
    page = officer.get(url)
    first = move(client, page, url, to="considering")
    again = move(client, page, url, to="considering")
    assert first.headers["Location"] == again.headers["Location"] == url
    steps = select(func.count()).select_from(VictimRequestStep)
    assert app_db.scalar(steps.where(VictimRequestStep.request_id == records["summary_asked"])) == 2


def test_a_step_someone_else_took_first_is_refused_kindly(client, officer, records, app_db):
    url = request_url(records, "summary_asked")
    stale = officer.get(url)
    move(client, officer.get(url), url, to="considering")
    # The first page, still saying "sent", sends another step with its own key.
    response = client.post(
        f"{url}/status", data={**move_form(stale), "to": "summary_sent", "day": "1"}
    )
    assert response.status_code == 409
    page = parse(response)
    assert "This request has changed since you opened the page" in page.get_text()
    assert page.find(id="request-status").get_text(strip=True) == "Being considered"
    assert app_db.get(VictimRequest, records["summary_asked"]).status == S.CONSIDERING


def test_forged_forms_are_refused(client, officer, records, app_db):
    url = request_url(records, "summary_asked")
    page = officer.get(url)
    token = csrf(page)
    data = move_form(page)
    for forged in (
        {"csrf_token": token, "to": "considering"},  # no key, no status seen
        {**data, "submission_key": "not-a-key", "to": "considering"},
        {**data, "seen": "nonsense", "to": "considering"},
        {**{k: v for k, v in data.items() if k != "csrf_token"}, "to": "considering"},
    ):
        assert client.post(f"{url}/status", data=forged).status_code == 400
    assert app_db.get(VictimRequest, records["summary_asked"]).status == S.SENT
    # The form's address opened as a page leads to the request.
    response = client.get(f"{url}/status")
    assert response.status_code == 303 and response.headers["Location"] == f"{url}#move"


def test_another_regions_case_another_cases_request_and_a_draft_are_not_found(app, client, records):
    signed_in_officer(client, region_id=another_region(app))
    for url in (
        f"/staff/cases/{records['case_id']}/requests",
        request_url(records, "summary_asked"),
    ):
        assert client.get(url).status_code == 404
    signed_in_officer(client, region_id=records["region_id"])
    with app.app_context():
        elsewhere = VictimRequestStepFactory()  # a case of its own, in another region
        db.session.commit()
        other_request = elsewhere.request_id
    case_id = records["case_id"]
    assert client.get(f"/staff/cases/{case_id}/requests/{other_request}").status_code == 404
    assert client.get(request_url(records, "licence_draft")).status_code == 404
    token = csrf(BeautifulSoup(client.get("/staff").get_data(as_text=True), "html.parser"))
    response = client.post(
        request_url(records, "licence_draft") + "/status",
        data={
            "csrf_token": token,
            "submission_key": "00000000-0000-4000-8000-000000000001",
            "seen": "draft",
            "to": "considering",
        },
    )
    assert response.status_code == 404


def another_region(app) -> int:
    with app.app_context():
        region = RegionFactory()
        db.session.commit()
        return region.id


def test_a_closed_case_takes_no_step(app, client, officer, records, app_db):
    url = request_url(records, "summary_asked")
    page = officer.get(url)
    with app.app_context():
        db.session.get(Case, records["case_id"]).status = CaseStatus.CLOSED
        db.session.commit()
    response = client.post(f"{url}/status", data={**move_form(page), "to": "considering"})
    assert response.status_code == 409
    assert "closed or joined to another case" in response.get_data(as_text=True)
    assert app_db.get(VictimRequest, records["summary_asked"]).status == S.SENT


def test_a_paused_victim_is_not_told_and_the_officer_is_told_so(app, client, officer, records):
    with app.app_context():
        db.session.get(Case, records["case_id"]).status = CaseStatus.PAUSED
        db.session.commit()
    url = request_url(records, "summary_asked")
    move(client, officer.get(url), url, to="considering")
    banner = officer.get(url).find(id="request-outcome")
    assert "they asked us not to contact them for now" in banner.get_text()


def test_with_htmx_the_page_comes_back_in_place(client, officer, records):
    url = request_url(records, "summary_asked")
    page = officer.get(url)
    response = client.post(
        f"{url}/status", data={**move_form(page)}, headers=HX, follow_redirects=True
    )
    assert "HX-Push-Url" not in response.headers
    assert parse(response).find("html") is None
    assert parse(response).select_one(".govuk-error-summary")
    response = client.post(
        f"{url}/status",
        data={**move_form(page), "to": "considering"},
        headers=HX,
        follow_redirects=True,
    )
    assert response.headers["HX-Push-Url"] == url
    partial = parse(response)
    assert partial.find("html") is None
    assert partial.find(id="request-outcome").has_attr("data-focus-after-swap")


def test_the_console_in_welsh(officer, records):
    page = officer.get(request_url(records, "summary_asked") + "?lang=cy")
    assert page.find("html")["lang"] == "cy"
    assert page.find(id="move").get_text(strip=True) == "Symud y cais hwn ymlaen"
    assert "Ysgrifennwch hwn yn Gymraeg" in page.get_text()


def test_the_timeline_links_each_step_to_its_request(officer, records, app_db, client):
    url = request_url(records, "summary_asked")
    move(client, officer.get(url), url, to="considering")
    page = officer.get(f"/staff/cases/{records['case_id']}")
    links = page.select(f"#timeline a[href='{url}']")
    assert len(links) == 1
    event = app_db.scalars(
        select(TimelineEvent).where(TimelineEvent.request_id == records["summary_asked"])
    ).one()
    assert event.visible_to_victim and event.recorded_by_id is not None


def test_every_page_and_step_is_audited(client, officer, records, app_db):
    url = request_url(records, "summary_asked")
    move(client, officer.get(url), url, to="considering")
    actions = set(app_db.scalars(select(AuditEvent.action)))
    assert {
        "GET staff.case_request",
        "POST staff.case_request_status",
        "request.moved_on",
    } <= actions


def test_the_pages_cost_the_same_queries_however_long_the_history(app, client, officer, records):
    url = request_url(records, "statement_passed")
    listing = f"/staff/cases/{records['case_id']}/requests"
    short, list_short = (
        queries(app, lambda: client.get(url)),
        queries(app, lambda: client.get(listing)),
    )
    with app.app_context():
        found = db.session.get(VictimRequest, records["statement_passed"])
        for _ in range(10):
            VictimRequestStepFactory(request=found, status=S.CONSIDERING)
        case = db.session.get(Case, records["case_id"])
        for _ in range(10):
            VictimRequestStepFactory(request__case=case)
        db.session.commit()
    assert queries(app, lambda: client.get(url)) == short
    assert queries(app, lambda: client.get(listing)) == list_short


def test_a_statement_goes_round_trip_with_the_officer(app, client, db_session, app_db):
    """The victim writes and sends a statement; their officer returns it with comments; the
    victim reads them, changes it and sends it again; the officer passes it on; the victim
    sees it passed to the Parole Board. Each side told or shown what they should be."""
    record = english_victim(app, email="round.trip@example.com")
    with app.app_context():
        region_id = db.session.get(Case, record.case_id).region_id
    victim_client = app.test_client()
    signed_in(victim_client, record.email)
    victim = PageClient(victim_client)
    here = f"/account/cases/{record.reference}/requests"

    def victim_posts(url, **answers):
        page = victim.get(url)
        form = page.select_one("main form[method=post]")
        data = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
        return victim_client.post(form["action"], data={**data, **answers}, follow_redirects=True)

    response = victim_posts(f"{here}/new/personal-statement?lang=en")
    request_id = int(response.request.path.split("/")[-2])
    victim_posts(f"{here}/{request_id}/emotional", words="I cannot sleep. My neighbour Dai knows.")
    victim_posts(f"{here}/{request_id}/how-given", how_given="i_read")
    victim_posts(f"{here}/{request_id}/check")

    signed_in_officer(client, region_id=region_id)
    officer = PageClient(client)
    url = f"/staff/cases/{record.case_id}/requests/{request_id}"
    page = officer.get(url)
    assert "My neighbour Dai knows." in page.find(id="request-answers").get_text()
    move(client, page, url, to="returned", words=COMMENTS)

    page = victim.get(f"{here}/{request_id}")
    assert COMMENTS in page.find(id="officer-words").get_text()
    page = victim.get(f"{here}/{request_id}/emotional")
    assert COMMENTS in page.find(id="officer-comments").get_text()
    victim_posts(f"{here}/{request_id}/emotional", words="I cannot sleep.")
    victim_posts(f"{here}/{request_id}/check")

    page = officer.get(url)
    steps = [li.find("h3").get_text(strip=True) for li in page.select("#request-steps li")]
    assert steps == [
        "Sent by the victim",
        "Returned to the victim with comments",
        "Sent again by the victim, changed",
    ]
    assert "Dai" not in page.find(id="request-answers").get_text()
    move(client, page, url, to="passed_on")

    page = victim.get(f"{here}/{request_id}")
    assert page.find(id="request-status").get_text(strip=True) == "Passed to the Parole Board"
    told = app_db.scalars(
        select(OutboxNotification).where(
            OutboxNotification.template_key == "request_update",
            OutboxNotification.victim_id == record.victim_id,
        )
    ).all()
    assert len(told) == 2 and {n.recipient for n in told} == {"round.trip@example.com"}
    summaries = app_db.scalars(
        select(TimelineEvent.summary)
        .where(TimelineEvent.request_id == request_id)
        .order_by(TimelineEvent.id)
    ).all()
    assert len(summaries) == 4
    assert not any("Dai" in summary or COMMENTS in summary for summary in summaries)
