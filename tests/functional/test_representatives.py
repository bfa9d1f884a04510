"""Someone to act for you: a victim names a representative (who they are, how they sign in,
what they may do, check your answers, the code the representative gives them), with and
without htmx, in both languages; the representative is invited (content-free) and the
victim told on a safe detail; the representative signs in through the ordinary sign-in
pages and sees only what they were given, saying for whom they act; what they write says
so on both sides; the victim (or their officer) ends it and their sessions end at once.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    CodePurpose,
    Message,
    MessageDraft,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    Permission,
    Representative,
    SecurityCode,
    TimelineEvent,
    Victim,
    VictimRequestStep,
    VictimSession,
)
from portal.services import sign_in
from tests.support.factories import CaseFactory, RepresentativeFactory
from tests.support.preferences import EMAIL, MOBILE, member
from tests.support.registration_steps import csrf
from tests.support.representatives import (
    OFFICER_SAYS,
    REP_EMAIL,
    REP_NAME,
    VICTIM_NAME,
    VICTIM_WROTE,
    represented,
)
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

HX = {"HX-Request": "true"}
NEW = "sam.helper@example.com"


def base(me) -> str:
    return f"/account/cases/{me.reference}/representatives"


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def said(node) -> str:
    """What a person reads in `node`: its words, one space apart ("Name, acting")."""
    return node.get_text(" ", strip=True).replace(" ,", ",")


def errors(page) -> list[str]:
    summary = page.find(class_="govuk-error-summary")
    return [said(li) for li in summary.find_all("li")] if summary else []


def text(page) -> str:
    return said(page.find("main"))


def form_of(page) -> tuple[str, dict]:
    """The page's main form: where it posts, and its hidden fields."""
    form = page.select_one("main form[method=post]")
    hidden = {f["name"]: f.get("value", "") for f in form.find_all("input", type="hidden")}
    return form["action"], hidden


def submit(pages, url: str, status: int = 200, headers=None, **answers):
    """Open the page, send its form with `answers`, follow the redirect."""
    page = pages.get(url)
    action, hidden = form_of(page)
    response = pages.client.post(
        action, data={**hidden, **answers}, headers=headers or {}, follow_redirects=True
    )
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response


def latest_code(app_db, destination: str, kind: str = "representative_code") -> str:
    row = app_db.scalars(
        select(OutboxNotification)
        .where(OutboxNotification.recipient == destination, OutboxNotification.template_key == kind)
        .order_by(OutboxNotification.created_at.desc())
    ).first()
    return row.personalisation["code"]


def name_someone(pages, me, *, contact=NEW, may=("case", "messages"), headers=None):
    """Walk the pages up to the code page (the code is sent)."""
    submit(pages, f"{base(me)}/new", headers=headers, full_name="Sam Helper", relation="support")
    submit(pages, f"{base(me)}/new/contact", headers=headers, contact=contact)
    submit(pages, f"{base(me)}/new/permissions", headers=headers, may=list(may))
    return submit(pages, f"{base(me)}/new/check", headers=headers)


def representatives_of(app_db, victim_id: int) -> list[Representative]:
    app_db.expire_all()
    return list(app_db.scalars(select(Representative).where(Representative.victim_id == victim_id)))


@pytest.fixture
def me(app, client, db_session):
    """A victim with every kind of detail and an active case, signed in with their email."""
    return member(app, client=client)


# --- naming someone ---------------------------------------------------------------------


def test_the_case_page_leads_to_someone_to_act_for_you(pages, me):
    page = pages.get("/account")
    link = page.find("a", href=base(me))
    assert link.get_text(strip=True) == "Someone to act for you"
    page = pages.get(base(me))
    assert page.find("h1").get_text(strip=True) == "Someone to act for you"
    assert "Nobody acts for you." in text(page)
    assert page.find("a", href=f"{base(me)}/new").get_text(strip=True) == (
        "Ask someone to act for you"
    )


def test_naming_someone_without_javascript(app, pages, me, app_db):
    page = parse(submit(pages, f"{base(me)}/new", full_name="Sam Helper", relation="support"))
    assert page.find("h1").get_text(strip=True) == "How will they sign in?"
    page = parse(submit(pages, f"{base(me)}/new/contact", contact=" SAM.Helper@Example.com "))
    assert said(page.find("h1")).startswith("What can they do for you?")
    page = parse(submit(pages, f"{base(me)}/new/permissions", may=["case", "requests"]))
    assert page.find("h1").get_text(strip=True) == "Check who will act for you"
    shown = text(page)
    for words in (
        "Sam Helper",
        "A support worker or advocate",
        NEW,
        "See your case and what has happened on it",
        "Make requests for you",
    ):
        assert words in shown
    assert "Read your messages" not in shown
    # Nothing is on record before the code.
    assert representatives_of(app_db, me.victim_id) == []
    page = parse(submit(pages, f"{base(me)}/new/check"))
    assert page.find("h1").get_text(strip=True) == "Enter the security code they were sent"
    assert "Ask Sam Helper to tell you the code" in text(page)
    code_row = app_db.scalars(
        select(SecurityCode).where(SecurityCode.purpose == CodePurpose.REPRESENTATIVE)
    ).one()
    assert code_row.destination is None  # a typed address is never kept readable
    sent = app_db.scalars(
        select(OutboxNotification).where(OutboxNotification.template_key == "representative_code")
    ).one()
    assert sent.recipient == NEW and sent.victim_id is None
    assert representatives_of(app_db, me.victim_id) == []
    page = parse(submit(pages, f"{base(me)}/new/security-code", code=latest_code(app_db, NEW)))
    assert page.find("h1").get_text(strip=True) == "Someone to act for you"
    banner = said(page.find(id="representatives-notice"))
    assert "Sam Helper can now act for you" in banner
    assert "We have sent them an email to tell them how to sign in." in banner
    assert "We have sent an email to b•••@example.com to confirm this." in banner
    [made] = representatives_of(app_db, me.victim_id)
    assert (made.full_name, made.relation.value, made.channel, made.destination) == (
        "Sam Helper",
        "support",
        NotificationChannel.EMAIL,
        NEW,
    )
    assert made.permissions == {Permission.CASE, Permission.REQUESTS}
    assert made.proved_at is not None and made.ended_at is None
    card = said(page.find(id=f"representative-{made.id}"))
    assert "See your case" in card and "Make requests" in card and "messages" not in card
    # The banner shows once.
    assert pages.get(base(me)).find(id="representatives-notice") is None


def test_everyone_is_told_what_they_should_be(app, pages, me, app_db):
    name_someone(pages, me)
    submit(pages, f"{base(me)}/new/security-code", code=latest_code(app_db, NEW))
    [made] = representatives_of(app_db, me.victim_id)
    invitation = app_db.scalars(
        select(OutboxNotification).where(
            OutboxNotification.template_key == "representative_invitation"
        )
    ).one()
    # To the representative, in their language, content-free, only while it lasts (the gate).
    assert (invitation.recipient, invitation.victim_id, invitation.gate) == (
        NEW,
        None,
        "representative",
    )
    assert set(invitation.personalisation) == {"url"}
    told = app_db.scalars(
        select(OutboxNotification).where(OutboxNotification.template_key == "representative_added")
    ).one()
    assert (told.recipient, told.victim_id) == (EMAIL, me.victim_id)
    # The officer reads it on the timeline (never the name or the detail); it is audited.
    entries = app_db.scalars(
        select(TimelineEvent).where(
            TimelineEvent.case_id == me.case_id, TimelineEvent.summary.like("%act for them%")
        )
    ).all()
    assert len(entries) == 1 and not entries[0].visible_to_victim
    assert "Sam" not in entries[0].summary and NEW not in entries[0].summary
    [event] = app_db.scalars(
        select(AuditEvent).where(AuditEvent.action == "representative.added")
    ).all()
    assert (event.actor_type, event.actor_id, event.case_id) == (
        ActorType.VICTIM,
        me.victim_id,
        me.case_id,
    )
    assert event.detail == {
        "representative": made.id,
        "relation": "support",
        "channel": "email",
        "permissions": ["case", "messages"],
    }


def test_naming_someone_with_htmx(app, pages, me, app_db):
    response = submit(
        pages, f"{base(me)}/new", headers=HX, full_name="Sam Helper", relation="family"
    )
    assert response.headers["HX-Push-Url"] == f"{base(me)}/new/contact"
    assert parse(response).find("html") is None
    assert "HX-Request" in response.headers["Vary"]
    response = submit(pages, f"{base(me)}/new/contact", headers=HX, contact="07700 900444")
    assert response.headers["HX-Push-Url"] == f"{base(me)}/new/permissions"
    response = submit(pages, f"{base(me)}/new/permissions", headers=HX, may=["messages"])
    assert response.headers["HX-Push-Url"] == f"{base(me)}/new/check"
    response = submit(pages, f"{base(me)}/new/check", headers=HX)
    assert response.headers["HX-Push-Url"] == f"{base(me)}/new/security-code"
    assert "text message with a code to 07700 900444" in parse(response).get_text()
    code = latest_code(app_db, "+447700900444")
    response = submit(pages, f"{base(me)}/new/security-code", headers=HX, code=code)
    assert response.headers["HX-Push-Url"] == base(me)
    notice = parse(response).find(id="representatives-notice")
    assert notice.has_attr("data-focus-after-swap")
    [made] = representatives_of(app_db, me.victim_id)
    assert made.channel == NotificationChannel.SMS and made.permissions == {Permission.MESSAGES}


def test_an_error_with_htmx_stays_on_the_page(pages, me):
    response = submit(pages, f"{base(me)}/new", headers=HX, full_name="", relation="")
    assert "HX-Push-Url" not in response.headers
    page = parse(response)
    assert page.find("title").get_text(strip=True).startswith("Error: ")
    assert errors(page) == [
        "Enter the full name of the person who will act for you",
        "Select who they are to you",
    ]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {"full_name": "", "relation": "family"},
            ["Enter the full name of the person who will act for you"],
        ),
        ({"full_name": "12345", "relation": "family"}, ["Their name must include letters"]),
        (
            {"full_name": "S" * 201, "relation": "family"},
            ["Their name must be 200 characters or fewer"],
        ),
        ({"full_name": "Sam", "relation": "enemy"}, ["Select who they are to you"]),
        ({"full_name": "Sam"}, ["Select who they are to you"]),
    ],
)
def test_who_they_are_is_checked(pages, me, answers, expected):
    page = parse(submit(pages, f"{base(me)}/new", **answers))
    assert errors(page) == expected
    assert page.find("title").get_text(strip=True).startswith("Error: ")


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("", "Enter their email address or UK mobile number"),
        ("not an address", "Enter an email address like name@example.com, or a UK mobile number"),
        ("029 2018 0000", "Enter an email address like name@example.com, or a UK mobile number"),
        (
            "x" * 300 + "@example.com",
            "Enter an email address like name@example.com, or a UK mobile number",
        ),
        (EMAIL.upper(), "This is one of your own contact details."),
        ("07700 900111", "This is one of your own contact details."),
    ],
)
def test_how_they_sign_in_is_checked(pages, me, contact, expected):
    submit(pages, f"{base(me)}/new", full_name="Sam Helper", relation="friend")
    page = parse(submit(pages, f"{base(me)}/new/contact", contact=contact))
    [error] = errors(page)
    assert error.startswith(expected)
    assert page.find("h1").get_text(strip=True) == "How will they sign in?"


@pytest.mark.parametrize("may", [[], ["own"], ["case", "contact"], ["case", "case' OR 1=1"]])
def test_what_they_may_do_is_checked(pages, me, may):
    submit(pages, f"{base(me)}/new", full_name="Sam Helper", relation="friend")
    submit(pages, f"{base(me)}/new/contact", contact=NEW)
    page = parse(submit(pages, f"{base(me)}/new/permissions", may=may))
    assert errors(page) == ["Select what they can do for you"]


def test_the_same_person_twice_is_refused(app, pages, me, app_db):
    with app.app_context():
        RepresentativeFactory(victim=db.session.get(Victim, me.victim_id), destination=NEW)
        db.session.commit()
    submit(pages, f"{base(me)}/new", full_name="Sam Helper", relation="friend")
    page = parse(submit(pages, f"{base(me)}/new/contact", contact=NEW))
    assert errors(page) == [
        "This person already acts for you with this email address or mobile number"
    ]


def test_at_most_three_at_once(app, pages, me, app_db):
    with app.app_context():
        for _ in range(3):
            RepresentativeFactory(victim=db.session.get(Victim, me.victim_id))
        db.session.commit()
    page = pages.get(base(me))
    assert page.find("a", href=f"{base(me)}/new") is None
    assert "Up to 3 people can act for you at once" in text(page)
    response = pages.client.get(f"{base(me)}/new")
    assert response.status_code == 303 and response.headers["Location"] == base(me)


def test_the_third_named_elsewhere_meanwhile_is_refused_at_the_check(app, pages, me, app_db):
    name_someone(pages, me)  # the code is sent
    with app.app_context():
        for _ in range(3):
            RepresentativeFactory(victim=db.session.get(Victim, me.victim_id))
        db.session.commit()
    page = parse(submit(pages, f"{base(me)}/new/check", status=409))
    assert errors(page)[0].startswith("Up to 3 people can act for you at once")
    page = parse(
        submit(
            pages,
            f"{base(me)}/new/security-code",
            status=409,
            code=latest_code(app_db, NEW),
        )
    )
    assert errors(page)[0].startswith("Up to 3 people can act for you at once")
    assert len(representatives_of(app_db, me.victim_id)) == 3  # nothing half-saved


def test_a_wrong_code_names_nobody(pages, me, app_db):
    name_someone(pages, me)
    right = latest_code(app_db, NEW)
    wrong = "000000" if right != "000000" else "111111"
    page = parse(submit(pages, f"{base(me)}/new/security-code", code=wrong))
    assert errors(page) == [
        "The security code is not right, or it has run out. Check it, or send a new code."
    ]
    page = parse(submit(pages, f"{base(me)}/new/security-code", code="12"))
    assert errors(page) == ["The security code must be 6 numbers"]
    assert representatives_of(app_db, me.victim_id) == []


def test_a_new_code_can_be_sent_and_only_the_newest_works(pages, me, app_db):
    name_someone(pages, me)
    first = latest_code(app_db, NEW)
    page = pages.get(f"{base(me)}/new/security-code")
    token = csrf(page)
    response = pages.client.post(f"{base(me)}/new/security-code/resend", data={"csrf_token": token})
    assert response.headers["Location"] == f"{base(me)}/new/security-code?sent=1"
    assert "We have sent a new code." in text(pages.get(response.headers["Location"]))
    second = latest_code(app_db, NEW)
    if first != second:
        page = parse(submit(pages, f"{base(me)}/new/security-code", code=first))
        assert errors(page)
    submit(pages, f"{base(me)}/new/security-code", code=second)
    assert len(representatives_of(app_db, me.victim_id)) == 1


def test_too_many_codes_for_one_address(pages, me, app_db):
    name_someone(pages, me)
    for _ in range(4):
        submit(pages, f"{base(me)}/new/check")
    page = parse(submit(pages, f"{base(me)}/new/check", status=429))
    assert errors(page) == [
        "Too many codes have been asked for. Wait an hour before asking again, or contact "
        "your Victim Liaison Officer"
    ]
    assert app_db.scalars(
        select(AuditEvent).where(AuditEvent.action == "security code refused")
    ).all()


def test_a_step_with_nothing_pending_goes_back_to_the_start(pages, me, client):
    for path in ("/new/contact", "/new/permissions", "/new/check", "/new/security-code"):
        response = client.get(f"{base(me)}{path}")
        assert response.status_code == 303
        assert response.headers["Location"] == f"{base(me)}/new"


def test_change_links_come_back_to_check_your_answers(pages, me):
    name_someone(pages, me)
    page = pages.get(f"{base(me)}/new/check")
    changes = [a["href"] for a in page.select("main .govuk-summary-list__actions a")]
    assert f"{base(me)}/new/contact?change=1" in changes
    response = submit(pages, f"{base(me)}/new/contact?change=1", contact="07700 900555")
    page = parse(response)
    assert page.find("h1").get_text(strip=True) == "Check who will act for you"
    assert "07700 900555" in text(page)


def test_forged_and_expired_forms(app, pages, me, client, app_db):
    name_someone(pages, me)
    # No token: the friendly CSRF page, nothing sent or named.
    response = client.post(f"{base(me)}/new/check", data={})
    assert response.status_code == 400
    response = client.post(f"{base(me)}/new/security-code/resend", data={})
    assert response.status_code == 400
    response = client.post(f"{base(me)}/new/security-code", data={"code": "123456"})
    assert response.status_code == 400
    assert representatives_of(app_db, me.victim_id) == []
    # Another victim's case, or none: not found.
    other = CaseFactory
    with app.app_context():
        someone_else = other(assigned=True)
        db.session.commit()
        reference = someone_else.reference
        their_victim_id = someone_else.victim_id
    token = csrf(pages.get(base(me)))
    for path in ("", "/new", "/new/check"):
        assert client.get(f"/account/cases/{reference}/representatives{path}").status_code == 404
    assert (
        client.post(
            f"/account/cases/{reference}/representatives/new",
            data={"csrf_token": token, "full_name": "X", "relation": "friend"},
        ).status_code
        == 404
    )
    assert client.get("/account/cases/NOT-A-CASE/representatives").status_code == 404
    assert client.get("/account/cases/%3Cx%3E/representatives").status_code == 404
    # Another victim's representative: not found.
    with app.app_context():
        theirs = RepresentativeFactory(victim=db.session.get(Victim, their_victim_id))
        db.session.commit()
        theirs_id = theirs.id
    assert client.get(f"{base(me)}/{theirs_id}/end").status_code == 404
    assert client.post(f"{base(me)}/{theirs_id}/end", data={"csrf_token": token}).status_code == 404
    assert client.get(f"{base(me)}/99999999999/end").status_code == 404


def test_welsh_pages_and_errors(app, pages, client):
    me = member(app, client=client, language="cy")
    page = pages.get(f"{base(me)}/new?lang=cy")
    assert page.find("html")["lang"] == "cy"
    page = parse(submit(pages, f"{base(me)}/new", full_name="", relation=""))
    assert page.find("title").get_text(strip=True).startswith("Gwall: ")
    assert len(errors(page)) == 2
    assert all("Enter" not in error for error in errors(page))


# --- acting for the victim --------------------------------------------------------------


def test_a_representative_signs_in_through_the_sign_in_pages(app, pages, client, app_db):
    built = represented(app)
    page = pages.get("/sign-in")
    response = client.post(
        "/sign-in", data={"csrf_token": csrf(page), "contact": REP_EMAIL.upper()}
    )
    assert response.headers["Location"] == "/sign-in/security-code"
    sent = app_db.scalars(
        select(OutboxNotification).where(OutboxNotification.recipient == REP_EMAIL)
    ).one()
    assert sent.gate == "sign-in"
    assert sign_in.language_of_signer(app_db, NotificationChannel.EMAIL, REP_EMAIL) == "en"
    page = pages.get("/sign-in/security-code")
    response = client.post(
        "/sign-in/security-code",
        data={"csrf_token": csrf(page), "code": sent.personalisation["code"]},
    )
    assert response.headers["Location"] == "/account"
    page = pages.get("/account")
    assert "You are acting for Bethan Prawf" in page.find(class_="app-acting-for").get_text()
    signed = app_db.scalars(select(AuditEvent).where(AuditEvent.action == "victim signed in")).all()
    assert [e.detail.get("representative") for e in signed] == [built.representative_id]
    assert signed[0].actor_id == built.victim_id


def test_a_representative_sees_only_what_they_were_given_and_the_victim_ends_it(
    app, client, app_db
):
    """The issue's own words: a representative sees only what they were given; the victim
    ends it and their sessions end."""
    built = represented(app, permissions=(Permission.MESSAGES,))
    helper = app.test_client()
    signed_in(helper, REP_EMAIL)
    home = parse(helper.get("/account"))
    shown = said(home.find("main"))
    assert "You are acting for Bethan Prawf" in said(home)
    # Messages: yes. The case's details, timeline, requests, contact preferences: no.
    assert home.find("a", href=built.url("/messages"))
    assert "Where the sentence is" not in shown and "What has happened" not in shown
    assert "The offender was sentenced." not in shown
    assert home.find("a", href=built.url("/requests")) is None
    assert home.find("a", href=built.url("/contact")) is None
    assert home.find("a", href="/account/your-data") is None
    conversation = parse(helper.get(built.url("/messages")))
    words = said(conversation)
    assert OFFICER_SAYS in words and VICTIM_WROTE in words
    for path in ("/requests", "/contact", "/representatives", f"/requests/{built.request_id}"):
        refused = helper.get(built.url(path))
        assert refused.status_code == 403, path
        assert "has not asked you to do this" in said(parse(refused))
    assert helper.get("/account/your-data").status_code == 403

    # The victim ends it: the representative's session ends at once.
    victim = app.test_client()
    signed_in(victim, built.victim_email)
    page = parse(victim.get(built.url(f"/representatives/{built.representative_id}/end")))
    assert page.find("h1").get_text(strip=True) == "Stop this person acting for you?"
    response = victim.post(
        built.url(f"/representatives/{built.representative_id}/end"),
        data={"csrf_token": csrf(page)},
        follow_redirects=True,
    )
    banner = said(parse(response).find(id="representatives-notice"))
    assert "Rhian Helper can no longer act for you" in banner
    app_db.expire_all()
    sessions = app_db.scalars(select(VictimSession).filter_by(destination=REP_EMAIL)).all()
    assert sessions and all(s.ended_at is not None for s in sessions)
    gone = helper.get(built.url("/messages"))
    assert gone.status_code == 303 and gone.headers["Location"] == "/sign-in"
    # Signing in again finds nothing: no code goes, none would work.
    assert not sign_in.may_sign_in(app_db, NotificationChannel.EMAIL, REP_EMAIL)
    assert sign_in.language_of_signer(app_db, NotificationChannel.EMAIL, REP_EMAIL) is None
    record = app_db.get(Representative, built.representative_id)
    assert record.ended_by == ActorType.VICTIM and record.ended_at is not None
    [event] = app_db.scalars(
        select(AuditEvent).where(AuditEvent.action == "representative.ended")
    ).all()
    assert event.detail == {"representative": built.representative_id, "sessions_ended": 1}
    # The victim sees who acted for them before, and it cannot be ended twice.
    page = parse(victim.get(built.url("/representatives")))
    assert "Ended by you on" in said(page)
    again = victim.post(
        built.url(f"/representatives/{built.representative_id}/end"),
        data={"csrf_token": csrf(page)},
    )
    assert again.status_code == 303
    assert (
        app_db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "representative.ended")
        )
        == 1
    )


def test_a_representative_given_everything_still_cannot_do_what_only_the_victim_may(app, client):
    built = represented(app, client=client)
    home = parse(client.get("/account"))
    shown = said(home.find("main"))
    assert "Where the sentence is" in shown and "The offender was sentenced." in shown
    assert home.find("a", href=built.url("/requests"))
    assert home.find("a", href=built.url("/contact")) is None
    assert home.find("a", href=built.url("/representatives")) is None
    for path in ("/contact", "/pause", "/leave", "/representatives", "/representatives/new"):
        page = parse(client.get(built.url(path)))
        assert page.find("h1").get_text(strip=True) == "You cannot do this"
        assert "Some things only the person themselves can do" in page.get_text()


def test_what_a_representative_writes_says_so_on_both_sides(app, client, app_db, pages):
    built = represented(app, client=client)
    page = pages.get(built.url("/messages"))
    action, hidden = form_of(page)
    response = client.post(
        action, data={**hidden, "body": "Written by the helper."}, follow_redirects=True
    )
    assert response.status_code == 200
    message = app_db.scalars(select(Message).order_by(Message.id.desc())).first()
    assert message.body == "Written by the helper."
    assert message.representative_id == built.representative_id
    page = parse(response)
    mine = said(page.find(id=f"message-{message.id}"))
    assert "You, acting for Bethan Prawf" in mine
    # The victim's own messages say who wrote them, to the representative.
    authors = [said(h) for h in page.select(".app-message__author")]
    assert VICTIM_NAME in authors
    event = app_db.scalars(select(AuditEvent).where(AuditEvent.action == "message.sent")).one()
    assert event.actor_id == built.victim_id
    assert event.detail == {"message": message.id, "representative": built.representative_id}
    # Replies the representative reads stay unread for the victim.
    app_db.expire_all()
    replies = app_db.scalars(
        select(Message).where(Message.case_id == built.case_id, Message.sender == "officer")
    ).all()
    assert [reply.read_at for reply in replies] == [None]
    # The victim sees who wrote it, in the conversation and on their case page.
    victim = app.test_client()
    signed_in(victim, built.victim_email)
    page = parse(victim.get(built.url("/messages")))
    assert said(page.find(id=f"message-{message.id}").find("h2")) == "Rhian Helper, acting for you"
    home = parse(victim.get("/account"))
    assert "Message Rhian Helper sent for you" in said(home)


def test_a_representatives_draft_is_their_own(app, client, app_db, pages):
    built = represented(app, client=client)
    page = pages.get(built.url("/messages"))
    token = csrf(page)
    key = page.find("input", attrs={"name": "submission_key"})["value"]
    response = client.post(
        built.url("/messages/draft"),
        data={"csrf_token": token, "submission_key": key, "body": "Helper's draft"},
        headers=HX,
    )
    assert response.status_code == 200
    [draft] = app_db.scalars(select(MessageDraft)).all()
    assert draft.representative_id == built.representative_id
    victim = app.test_client()
    signed_in(victim, built.victim_email)
    page = parse(victim.get(built.url("/messages")))
    assert "Helper's draft" not in page.get_text()
    assert "Helper's draft" in parse(client.get(built.url("/messages"))).get_text()


def test_a_request_a_representative_sends_says_so(app, client, app_db, pages):
    built = represented(app, client=client)
    here = built.url("/requests")
    page = pages.get(f"{here}/new/licence-conditions")
    action, hidden = form_of(page)
    response = client.post(action, data=hidden, follow_redirects=True)
    assert response.status_code == 200
    started = response.request.path
    request_id = int(started.split("/requests/")[1].split("/")[0])
    for slug, answers in (
        ("no-contact", {"no_contact": ["me"]}),
        ("exclusion-zone", {"exclusion_zone": "no"}),
        ("other-concerns", {"other_concerns": ""}),
    ):
        page = pages.get(f"{here}/{request_id}/{slug}")
        action, hidden = form_of(page)
        client.post(action, data={**hidden, **answers})
    page = pages.get(f"{here}/{request_id}/check")
    action, hidden = form_of(page)
    response = client.post(action, data=hidden, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:1500]
    step = app_db.scalars(
        select(VictimRequestStep).where(VictimRequestStep.request_id == request_id)
    ).one()
    assert step.representative_id == built.representative_id
    assert "By Rhian Helper, acting for the victim" in said(parse(response))
    entry = app_db.scalars(
        select(TimelineEvent).where(TimelineEvent.request_id == request_id)
    ).one()
    assert entry.representative_id == built.representative_id
    assert entry.summary.startswith("Someone acting for you sent your request")
    sent = app_db.scalars(select(AuditEvent).where(AuditEvent.action == "request.sent")).one()
    assert sent.detail["representative"] == built.representative_id


def test_a_session_that_is_both_a_victim_and_a_representative(app, client, app_db):
    """A parent is a victim themselves, and acts for their grown-up child: their own case
    with everything, the child's with what they were given, each saying which is which."""
    child = represented(app, permissions=(Permission.CASE,))
    with app.app_context():
        mine = CaseFactory(assigned=True)
        from tests.support.factories import ContactPreferenceFactory

        ContactPreferenceFactory(victim=mine.victim, value=REP_EMAIL)
        db.session.commit()
        my_reference = mine.reference
    signed_in(client, REP_EMAIL)
    home = parse(client.get("/account"))
    sections = {s["aria-labelledby"]: said(s) for s in home.select("section.app-case")}
    assert "You are acting for Bethan Prawf" in sections[f"case-{child.reference}"]
    assert "You are acting for" not in sections[f"case-{my_reference}"]
    assert home.find("a", href=f"/account/cases/{my_reference}/messages")
    assert home.find("a", href=child.url("/messages")) is None
    assert home.find("a", href="/account/your-data")
    assert client.get(f"/account/cases/{my_reference}/contact").status_code == 200
    assert client.get(child.url("/contact")).status_code == 403
    assert client.get(child.url("/messages")).status_code == 403
    # Your data holds their own record only.
    page = parse(client.get("/account/your-data"))
    assert VICTIM_NAME not in page.get_text()


def test_a_representative_of_a_victim_whose_cases_are_closed_finds_nothing(app, app_db):
    built = represented(app, status="closed")
    assert not sign_in.may_sign_in(app_db, NotificationChannel.EMAIL, REP_EMAIL)
    assert built.representative_id


# --- the officer's side ---------------------------------------------------------------


def test_the_officer_sees_who_acts_for_the_victim_and_ends_it(app, app_db):
    from tests.support.staff_state import signed_in_officer

    built = represented(app, permissions=(Permission.CASE, Permission.REQUESTS))
    helper = app.test_client()
    signed_in(helper, REP_EMAIL)
    officer = app.test_client()
    with app.app_context():
        from portal.models import Case

        region_id = db.session.get(Case, built.case_id).region_id
    officer_id = signed_in_officer(officer, region_id=region_id)
    page = parse(officer.get(f"/staff/cases/{built.case_id}/contact"))
    card = said(page.find(id=f"representative-{built.representative_id}"))
    for words in (
        REP_NAME,
        "A family member or partner",
        REP_EMAIL,
        "See the case",
        "Make requests",
    ):
        assert words in card
    assert "Read and send messages" not in card
    url = f"/staff/cases/{built.case_id}/contact/representatives/{built.representative_id}/end"
    page = parse(officer.get(url))
    assert page.find("h1").get_text(strip=True) == (
        "End this person’s access to act for the victim?"
    )
    response = officer.post(url, data={"csrf_token": csrf(page)}, follow_redirects=True)
    notice = said(parse(response).find(class_="govuk-notification-banner"))
    assert "An officer ended the access of someone who acted for the victim." in notice
    assert "1 session signed in with it has ended" in notice
    app_db.expire_all()
    record = app_db.get(Representative, built.representative_id)
    assert (record.ended_by, record.ended_by_officer_id) == (ActorType.STAFF, officer_id)
    assert helper.get("/account").status_code == 303
    [event] = app_db.scalars(
        select(AuditEvent).where(AuditEvent.action == "representative.ended")
    ).all()
    assert (event.actor_type, event.actor_id) == (ActorType.STAFF, officer_id)
    assert event.case_id == built.case_id
    page = parse(officer.get(f"/staff/cases/{built.case_id}/contact"))
    assert "People who acted for the victim before" in page.get_text()
    # The invitation waiting to go is not sent once it has ended (the worker's gate).
    assert not app_db.scalars(
        select(OutboxNotification).where(
            OutboxNotification.recipient == REP_EMAIL,
            OutboxNotification.status == NotificationStatus.PENDING,
            OutboxNotification.gate.is_(None),
        )
    ).all()
    # Another region's officer cannot.
    stranger = app.test_client()
    signed_in_officer(stranger)
    assert stranger.get(url).status_code == 404


def test_the_officer_reads_who_wrote_each_message(app, app_db):
    from tests.support.staff_state import signed_in_officer

    built = represented(app)
    with app.app_context():
        from portal.models import Case

        case = db.session.get(Case, built.case_id)
        db.session.add(
            Message(
                case_id=built.case_id,
                sender="victim",
                body="From the helper.",
                language="en",
                representative_id=built.representative_id,
            )
        )
        region_id = case.region_id
        db.session.commit()
    officer = app.test_client()
    signed_in_officer(officer, region_id=region_id)
    page = parse(officer.get(f"/staff/cases/{built.case_id}/messages"))
    assert "From Rhian Helper, acting for the victim" in said(page)
    page = parse(officer.get(f"/staff/cases/{built.case_id}"))
    assert "Message from someone acting for the victim" in said(page)


def test_mobile_representatives_too(app, client, app_db):
    built = represented(
        app, rep_email=MOBILE.replace("111", "777"), rep_channel=NotificationChannel.SMS
    )
    assert sign_in.may_sign_in(app_db, NotificationChannel.SMS, "+447700900777")
    assert built.representative_id
