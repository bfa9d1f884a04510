"""A victim's requests to their officer, through their pages (portal/account/request_views.py):
licence conditions, a Victim Personal Statement, the decision summary.

Each form with and without htmx, in English and Welsh; every rule a page enforces; every
forged post answered with a 400 or a kind page (never a 500, never half-saved); another
victim's case or request not found; what a victim sends never in an address or a title.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    RequestKind,
    RequestStatus,
    TimelineEvent,
    VictimRequest,
    VictimRequestStep,
)
from tests.support.cases import english_victim, waiting_victim, welsh_victim
from tests.support.factories import VictimRequestStepFactory
from tests.support.queries import queries
from tests.support.registration_steps import csrf
from tests.support.request_state import COMMENTS, OFFICER_WORDS, requests_in_every_state
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

K, S = RequestKind, RequestStatus
HX = {"HX-Request": "true"}
PLACES = "The school gates on Heol y Frenhines\nand the bus stop by my work"
FEELINGS = "I check the locks three times every night."


def base(record) -> str:
    return f"/account/cases/{record.reference}/requests"


def form_data(page, **answers) -> dict:
    """What the page's form sends (its hidden fields and token) with `answers`."""
    form = page.select_one("main form[method=post]")
    data = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input", attrs={"type": "hidden"})
    }
    return {**data, **answers}


def submit(pages, url: str, status: int = 200, headers=None, page_url=None, **answers):
    """Open the page, send its form with `answers` and follow the redirect."""
    page = pages.get(page_url or url)
    action = page.select_one("main form[method=post]")["action"]
    response = pages.client.post(
        action, data=form_data(page, **answers), headers=headers or {}, follow_redirects=True
    )
    assert response.status_code == status, response.get_data(as_text=True)[:1500]
    return response


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def start(pages, record, slug: str, headers=None):
    return submit(pages, f"{base(record)}/new/{slug}", headers=headers)


@pytest.fixture
def victim(app, client, db_session):
    record = english_victim(app)
    signed_in(client, record.email)
    return record


def mine(*records):
    """Requests on these records' cases only (the demo data has requests of its own)."""
    return VictimRequest.case_id.in_([record.case_id for record in records])


def request_of(app_db, record) -> VictimRequest:
    return app_db.scalars(
        select(VictimRequest).where(VictimRequest.case_id == record.case_id)
    ).one()


def test_the_case_page_leads_to_the_requests_and_each_kind(pages, victim):
    page = pages.get("/account")
    link = page.find("a", href=base(victim))
    assert "licence conditions" in link.get_text()
    page = pages.get(base(victim))
    assert page.find("h1").get_text(strip=True) == "Requests to your officer"
    assert "You have not made any requests yet." in page.get_text()
    starts = [a["href"] for a in page.select("main h3 a")]
    assert starts == [
        f"{base(victim)}/new/licence-conditions",
        f"{base(victim)}/new/personal-statement",
        f"{base(victim)}/new/decision-summary",
    ]


def test_the_statement_page_explains_what_it_is_and_how_it_is_used(pages, victim):
    page = pages.get(f"{base(victim)}/new/personal-statement")
    text = page.get_text(" ", strip=True)
    for words in (
        "in your own words",
        "the panel reads your statement before it decides",
        "You do not have to write one",
        "you read it out by video link",
        "send it back to you with comments",
    ):
        assert words in text
    assert page.select_one("main button").get_text(strip=True) == "Start now"


def test_licence_conditions_page_by_page_checked_and_sent(pages, victim, app_db):
    response = start(pages, victim, "licence-conditions")
    found = request_of(app_db, victim)
    here = f"{base(victim)}/{found.id}"
    assert response.request.path == f"{here}/no-contact"
    response = submit(pages, f"{here}/no-contact", no_contact=["me", "family"], family_who="My son")
    assert response.request.path == f"{here}/exclusion-zone"
    response = submit(pages, f"{here}/exclusion-zone", exclusion_zone="yes", places=PLACES)
    assert response.request.path == f"{here}/other-concerns"
    response = submit(pages, f"{here}/other-concerns", other_concerns="")
    assert response.request.path == f"{here}/check"
    app_db.expire_all()
    assert request_of(app_db, victim).answers == {
        "no_contact": ["me", "family"],
        "family_who": "My son",
        "exclusion_zone": "yes",
        "places": PLACES.replace("\r\n", "\n"),
        "other_concerns": "",
    }
    check = parse(response)
    assert check.find("title").get_text(strip=True).startswith("Check your answers")
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in check.select(".govuk-summary-list__row")
    }
    assert rows["Who the offender should not contact"] == "Me My family"
    assert rows["An exclusion zone"] == "Asked for"
    assert "bus stop" in rows["The places that matter to you"]
    assert rows["Anything else that worries you"] == "Nothing"
    # A Change link comes back to check your answers.
    change = check.find("a", href=f"{here}/other-concerns?change=1")
    response = submit(pages, change["href"], other_concerns="He knows my sister.")
    assert response.request.path == f"{here}/check"
    # Send it.
    response = submit(pages, f"{here}/check")
    assert response.request.path == here
    page = parse(response)
    assert page.select_one(".govuk-panel__title").get_text(strip=True) == "Sent to your officer"
    assert page.find(id="request-status").get_text(strip=True) == "Sent to your officer"
    assert "bus stop" in page.find(id="answers").get_text()
    assert "bus stop" not in page.find("title").get_text()
    app_db.expire_all()
    found = request_of(app_db, victim)
    assert found.status == S.SENT
    # On the victim's timeline, linking to the request.
    home = pages.get("/account")
    assert home.find("a", href=here).get_text(strip=True) == "See your request"


def test_the_same_journey_with_htmx_swaps_each_page_in_and_follows_the_address(
    pages, victim, app_db
):
    response = start(pages, victim, "personal-statement", headers=HX)
    found = request_of(app_db, victim)
    here = f"{base(victim)}/{found.id}"
    assert response.headers["HX-Push-Url"] == f"{here}/physical"
    assert parse(response).find("html") is None
    for slug, after, answers in (
        ("physical", "emotional", {"words": ""}),
        ("emotional", "financial", {"words": FEELINGS}),
        ("financial", "family", {"words": ""}),
        ("family", "anything-else", {"words": "My daughter will not go out alone."}),
        ("anything-else", "how-given", {"words": ""}),
        ("how-given", "check", {"how_given": "recorded"}),
    ):
        response = submit(pages, f"{here}/{slug}", headers=HX, **answers)
        assert response.headers["HX-Push-Url"] == f"{here}/{after}"
        assert parse(response).find("html") is None
        assert "HX-Request" in response.headers["Vary"]
    page = parse(response)
    assert page.find("title").get_text(strip=True).startswith("Check your statement")
    response = submit(pages, f"{here}/check", headers=HX)
    assert response.headers["HX-Push-Url"] == f"{here}?done=sent"
    panel = parse(response).find(id="sent-panel")
    assert panel.has_attr("data-focus-after-swap")
    app_db.expire_all()
    assert request_of(app_db, victim).status == S.SENT


def test_an_error_with_htmx_stays_on_the_page(pages, victim, app_db):
    start(pages, victim, "licence-conditions")
    found = request_of(app_db, victim)
    url = f"{base(victim)}/{found.id}/exclusion-zone"
    response = submit(pages, url, headers=HX, exclusion_zone="yes", places="")
    assert "HX-Push-Url" not in response.headers
    page = parse(response)
    assert page.find("title").get_text(strip=True).startswith("Error:")
    assert page.select_one(".govuk-error-summary a")["href"] == "#places"


def test_a_statement_in_welsh(pages, app, client, db_session, app_db):
    record = welsh_victim(app)
    signed_in(client, record.email)
    page = pages.get(f"{base(record)}/new/personal-statement?lang=cy")
    assert page.find("html")["lang"] == "cy"
    assert page.find("h1").get_text(strip=True) == "Ysgrifennu Datganiad Personol Dioddefwr"
    start(pages, record, "personal-statement")
    found = request_of(app_db, record)
    assert found.language == "cy"
    here = f"{base(record)}/{found.id}"
    page = pages.get(f"{here}/emotional")
    assert page.find("h1").get_text(strip=True) == "Effeithiau emosiynol"
    assert page.find("textarea")["lang"] == "cy"
    submit(pages, f"{here}/emotional", words="Rwy’n ofnus bob nos.")
    response = submit(pages, f"{here}/how-given", how_given="panel_reads")
    page = parse(response)
    assert page.find("h1").get_text(strip=True) == "Gwirio eich datganiad"
    response = submit(pages, f"{here}/check")
    page = parse(response)
    assert page.find(id="request-status").get_text(strip=True) == "Wedi’i anfon at eich swyddog"
    assert (
        page.select_one(".govuk-panel__title").get_text(strip=True)
        == "Wedi’i anfon at eich swyddog"
    )
    event = app_db.scalars(select(TimelineEvent).where(TimelineEvent.request_id == found.id)).one()
    assert event.summary.startswith("Gwnaethoch anfon eich Datganiad Personol Dioddefwr")


@pytest.mark.parametrize(
    ("slug", "answers", "message"),
    [
        (
            "no-contact",
            {},
            "Select who the offender should not contact, or select ‘I do not want to ask for this’",
        ),
        (
            "no-contact",
            {"no_contact": ["me", "none"]},
            "Select who the offender should not contact, or select ‘I do not want to ask for this’",
        ),
        (
            "exclusion-zone",
            {},
            "Select yes if you want to ask for an exclusion zone",
        ),
        (
            "exclusion-zone",
            {"exclusion_zone": "yes", "places": "   "},
            "Describe the places that matter to you, or select ‘No’",
        ),
        (
            "other-concerns",
            {"other_concerns": "x" * 2001},
            "What else worries you must be 2000 characters or fewer",
        ),
    ],
)
def test_each_rule_of_a_page_says_what_to_fix_and_saves_nothing(
    pages, victim, app_db, slug, answers, message
):
    start(pages, victim, "licence-conditions")
    found = request_of(app_db, victim)
    page = parse(submit(pages, f"{base(victim)}/{found.id}/{slug}", **answers))
    assert page.find("title").get_text(strip=True).startswith("Error: ")
    assert page.select_one(".govuk-error-summary").get_text(" ", strip=True).endswith(message)
    app_db.expire_all()
    assert request_of(app_db, victim).answers == {}


def test_a_statement_section_has_a_limit(pages, victim, app_db):
    start(pages, victim, "personal-statement")
    found = request_of(app_db, victim)
    page = parse(submit(pages, f"{base(victim)}/{found.id}/physical", words="x" * 5001))
    assert "This section must be 5000 characters or fewer" in page.get_text()
    # A text area keeps every character written (a one-line field is cut: portal.forms):
    # the character count says how many to take out.
    assert page.find("textarea", attrs={"name": "words"}).get_text() == "x" * 5001


def test_sending_with_nothing_asked_for_says_what_to_do(pages, victim, app_db):
    start(pages, victim, "licence-conditions")
    found = request_of(app_db, victim)
    here = f"{base(victim)}/{found.id}"
    submit(pages, f"{here}/no-contact", no_contact=["none"])
    check = pages.get(f"{here}/check")
    assert check.select_one(".govuk-warning-text")  # said before they try
    page = parse(submit(pages, f"{here}/check"))
    assert page.find("title").get_text(strip=True).startswith("Error: ")
    link = page.select_one(".govuk-error-summary a")
    assert link["href"] == f"{here}/no-contact?change=1"
    app_db.expire_all()
    assert request_of(app_db, victim).status == S.DRAFT
    assert not app_db.scalars(
        select(VictimRequestStep).join(VictimRequest).where(mine(victim))
    ).all()


def test_sending_twice_sends_once(pages, client, victim, app_db):
    start(pages, victim, "licence-conditions")
    found = request_of(app_db, victim)
    here = f"{base(victim)}/{found.id}"
    submit(pages, f"{here}/no-contact", no_contact=["me"])
    check = pages.get(f"{here}/check")
    data = form_data(check)
    first = client.post(f"{here}/check", data=data)
    again = client.post(f"{here}/check", data=data)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert (
        app_db.scalar(
            select(func.count())
            .select_from(VictimRequestStep)
            .join(VictimRequest)
            .where(mine(victim))
        )
        == 1
    )
    # Another tab's form, with its own key, is told kindly that it has gone.
    other = dict(data, submission_key="00000000-0000-4000-8000-000000000042")
    response = client.post(f"{here}/check", data=other)
    assert response.status_code == 409
    assert "already been sent to your officer" in response.get_data(as_text=True)


def test_start_pressed_twice_starts_one_and_then_carries_on(pages, client, victim, app_db):
    page = pages.get(f"{base(victim)}/new/licence-conditions")
    data = form_data(page)
    url = f"{base(victim)}/new/licence-conditions"
    first, again = client.post(url, data=data), client.post(url, data=data)
    assert first.headers["Location"] == again.headers["Location"]
    page = pages.get(url)
    assert page.find(id="in-progress")
    assert page.select_one("main button").get_text(strip=True) == "Carry on"
    assert app_db.scalar(select(func.count()).where(mine(victim))) == 1


def test_the_decision_summary_is_asked_for_in_one_step(pages, client, victim, app_db):
    response = start(pages, victim, "decision-summary")
    found = request_of(app_db, victim)
    assert found.kind == K.DECISION_SUMMARY and found.status == S.SENT
    assert response.request.path == f"{base(victim)}/{found.id}"
    page = parse(response)
    assert page.find(id="request-status").get_text(strip=True) == "Sent to your officer"
    assert "send you the summary when they have it" in page.get_text()
    # Asked again while it is awaited: the page says so, and no second request is made.
    page = pages.get(f"{base(victim)}/new/decision-summary")
    assert page.find(id="in-progress").find("a")["href"] == f"{base(victim)}/{found.id}"
    assert page.select_one("main button") is None
    assert app_db.scalar(select(func.count()).where(mine(victim))) == 1


def test_where_each_request_is_and_what_the_officer_wrote(pages, app, client, db_session):
    records = requests_in_every_state(app)
    signed_in(client, records["email"])
    here = f"/account/cases/{records['reference']}/requests"
    page = pages.get(f"{here}?lang=cy")
    statuses = [tag.get_text(strip=True) for tag in page.select("#your-requests .govuk-tag")]
    assert "Penderfynwyd" in statuses and "Heb ei anfon eto" in statuses
    decided = pages.get(f"{here}/{records['licence_decided']}")
    words = decided.find(id="officer-words")
    assert words.find("h2").get_text(strip=True) == "Y penderfyniad, wedi’i egluro gan eich swyddog"
    assert words.find("p").get_text(strip=True) == OFFICER_WORDS
    returned = pages.get(f"{here}/{records['statement_returned']}")
    assert COMMENTS in returned.find(id="officer-words").get_text()
    buttons = returned.select(".govuk-button-group a")
    assert buttons[0]["href"] == f"{here}/{records['statement_returned']}/physical"
    assert buttons[1]["href"] == f"{here}/{records['statement_returned']}/check"
    # The returned statement's pages show the comments while it is changed.
    page = pages.get(f"{here}/{records['statement_returned']}/emotional")
    assert COMMENTS in page.find(id="officer-comments").get_text()
    summary = pages.get(f"{here}/{records['summary_sent']}")
    assert summary.find(id="summary-sent-on").get_text(strip=True)


def test_a_returned_statement_is_changed_and_sent_again(pages, app, client, db_session, app_db):
    records = requests_in_every_state(app)
    signed_in(client, records["email"])
    here = f"/account/cases/{records['reference']}/requests/{records['statement_returned']}"
    submit(pages, f"{here}/emotional", words="Rwy’n dal yn ofnus.")
    response = submit(pages, f"{here}/check")
    assert response.request.path == here
    found = app_db.get(VictimRequest, records["statement_returned"])
    assert found.status == S.SENT and found.answers["emotional"] == "Rwy’n dal yn ofnus."
    assert (
        app_db.scalar(select(AuditEvent).where(AuditEvent.action == "request.sent")).detail["again"]
        is True
    )


@pytest.mark.parametrize("name", ["licence_decided", "statement_passed", "summary_asked"])
def test_a_request_with_the_officer_cannot_be_changed(pages, app, client, db_session, app_db, name):
    records = requests_in_every_state(app)
    signed_in(client, records["email"])
    found = app_db.get(VictimRequest, records[name])
    here = f"/account/cases/{records['reference']}/requests/{found.id}"
    page_slug = "physical" if found.kind == K.PERSONAL_STATEMENT else "no-contact"
    if found.kind != K.DECISION_SUMMARY:
        # Opening a page of it, or its check page, leads to where it is.
        assert client.get(f"{here}/{page_slug}").headers["Location"] == here
        assert client.get(f"{here}/check").headers["Location"] == here
        token = csrf(pages.get(here))
        response = client.post(f"{here}/{page_slug}", data={"csrf_token": token, "words": "x"})
        assert response.status_code == 409
        assert "cannot be changed now" in response.get_data(as_text=True)
    before = dict(found.answers)
    app_db.expire_all()
    assert app_db.get(VictimRequest, found.id).answers == before


def test_forged_posts_are_refused_and_change_nothing(pages, client, victim, app_db):
    start(pages, victim, "licence-conditions")
    found = request_of(app_db, victim)
    here = f"{base(victim)}/{found.id}"
    token = csrf(pages.get(f"{here}/no-contact"))
    # A choice never offered is a form error, not a 500.
    response = client.post(f"{here}/no-contact", data={"csrf_token": token, "no_contact": "x"})
    assert response.status_code == 200 and "govuk-error-summary" in response.get_data(as_text=True)
    response = client.post(
        f"{here}/exclusion-zone", data={"csrf_token": token, "exclusion_zone": ["yes", "no"]}
    )
    assert response.status_code == 200
    # A control character no keyboard types: 400 (portal/request_checks.py).
    response = client.post(
        f"{here}/other-concerns", data={"csrf_token": token, "other_concerns": "bell\x07"}
    )
    assert response.status_code == 400
    # No token, or none of ours: 400.
    assert client.post(f"{here}/no-contact", data={"no_contact": "me"}).status_code == 400
    for url in (f"{base(victim)}/new/licence-conditions", f"{here}/check"):
        assert client.post(url, data={"csrf_token": token}).status_code == 400
        bad_key = {"csrf_token": token, "submission_key": "not-a-key"}
        assert client.post(url, data=bad_key).status_code == 400
    # Pages and kinds that do not exist.
    assert client.get(f"{base(victim)}/new/parole-hearing").status_code == 404
    assert client.get(f"{here}/physical").status_code == 404  # another kind's page
    assert client.get(f"{here}/nowhere").status_code == 404
    assert client.get(f"{base(victim)}/{2**31 - 1}").status_code == 404
    assert client.get(f"{base(victim)}/{2**40}/check").status_code == 404
    app_db.expire_all()
    assert request_of(app_db, victim).answers == {}
    assert app_db.scalar(select(func.count()).where(mine(victim))) == 1


def test_another_victims_case_and_request_are_not_found(pages, app, client, victim, app_db):
    other = welsh_victim(app)
    with app.app_context():
        theirs = VictimRequestStepFactory(request__case=db.session.get(Case, other.case_id))
        db.session.commit()
        their_request = theirs.request_id
    for url in (
        f"{base(other)}",
        f"{base(other)}/new/licence-conditions",
        f"{base(other)}/{their_request}",
        f"{base(other)}/{their_request}/check",
        f"{base(other)}/{their_request}/no-contact",
        # Their request under my own case's address.
        f"{base(victim)}/{their_request}",
        f"{base(victim)}/{their_request}/no-contact",
        "/account/cases/VCS-NO-SUCH-CASE/requests",
    ):
        assert client.get(url).status_code == 404, url
    token = csrf(pages.get(base(victim)))
    assert (
        client.post(
            f"{base(other)}/new/decision-summary",
            data={"csrf_token": token, "submission_key": "00000000-0000-4000-8000-000000000001"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{base(victim)}/{their_request}/check",
            data={"csrf_token": token, "submission_key": "00000000-0000-4000-8000-000000000002"},
        ).status_code
        == 404
    )
    assert app_db.scalar(select(func.count()).where(mine(victim, other))) == 1


def test_a_case_waiting_for_an_officer_takes_no_requests(pages, app, client, db_session, app_db):
    record = waiting_victim(app)
    signed_in(client, record.mobile)
    home = pages.get("/account")
    assert home.find("a", href=base(record)) is None
    page = pages.get(f"{base(record)}/new/licence-conditions")
    assert page.select_one("main button") is None
    assert "once a Victim Liaison Officer is looking after your case" in page.get_text()
    response = client.post(
        f"{base(record)}/new/licence-conditions",
        data={"csrf_token": csrf(page), "submission_key": "00000000-0000-4000-8000-000000000003"},
    )
    assert response.status_code == 409
    assert not app_db.scalars(select(VictimRequest).where(mine(record))).all()


def test_someone_not_signed_in_is_sent_to_sign_in(app, victim):
    response = app.test_client().get(base(victim))
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in"


def test_the_pages_cost_the_same_queries_however_many_requests(app, client, victim, db_session):
    url = base(victim)

    def more(count: int) -> None:
        with app.app_context():
            case = db.session.get(Case, victim.case_id)
            for _ in range(count):
                VictimRequestStepFactory(request__case=case)
            db.session.commit()

    more(1)
    one = queries(app, lambda: client.get(url))
    more(12)
    assert queries(app, lambda: client.get(url)) == one
