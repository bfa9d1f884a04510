"""A victim in the scheme signs in with a code and sees their own case, and only theirs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.account.sign_in_views import SIGNING_IN, TOKEN
from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    CodePurpose,
    ContactPreference,
    DatePrecision,
    Language,
    OutboxNotification,
    SecurityCode,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    VictimSession,
    utcnow,
)
from portal.services import security_codes, sign_in
from tests.support.cases import (
    ENGLISH_EMAIL,
    ENGLISH_SENTENCE,
    WAITING_MOBILE,
    WAITING_MOBILE_TYPED,
    WELSH_EMAIL,
    english_victim,
    waiting_victim,
    welsh_victim,
)
from tests.support.delivery import deliver, delivered_to
from tests.support.factories import CaseFactory, ContactPreferenceFactory
from tests.support.registration_steps import csrf, latest_code, post
from tests.support.sign_in_steps import ask_for_code, enter_code, sign_in_as, sign_out


def error_messages(page) -> list[str]:
    summary = page.find(class_="govuk-error-summary")
    return [li.get_text(" ", strip=True) for li in summary.find_all("li")] if summary else []


def codes_sent(app, app_db, recipient: str) -> int:
    """Codes the worker really sends to `recipient` (a gated row for nobody is not sent)."""
    return delivered_to(app, app_db, recipient)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def navigation(page) -> list[tuple[str, str]]:
    nav = page.find(class_="govuk-service-navigation__list")
    return [(a.get_text(strip=True), a["href"]) for a in nav.find_all("a")]


def main_text(page) -> str:
    return page.find("main").get_text(" ", strip=True)


# --- the way in ---------------------------------------------------------------------------


def test_the_start_page_has_a_way_in_for_people_already_in_the_scheme(pages):
    page = pages.get("/")
    section = page.find("h2", string="If you are already in the scheme")
    link = section.find_next("a", string="Sign in to see your case")
    assert link["href"] == "/sign-in"
    assert navigation(page) == [("Sign in", "/sign-in")]


def test_account_pages_send_someone_not_signed_in_to_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in"


def test_a_staff_session_is_not_a_victim_session(client):
    with client.session_transaction() as cookie:
        cookie["audience"] = "staff"
        cookie["officer_id"] = 1
    assert client.get("/account").headers["Location"] == "/sign-in"


@pytest.mark.parametrize("token", [12345, ["a"], {"a": 1}], ids=["int", "list", "dict"])
def test_a_cookie_whose_token_is_not_text_is_signed_out_not_an_error(client, token):
    """Only a cookie signed with our key could hold one; still no session, never a 500."""
    with client.session_transaction() as cookie:
        cookie["audience"] = "victim"
        cookie[TOKEN] = token
    for path in ("/account", "/account/messages"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["Location"] == "/sign-in"


# --- signing in ---------------------------------------------------------------------------


def test_a_victim_signs_in_by_email_and_sees_their_case(app, pages, app_db):
    me, others = english_victim(app), (welsh_victim(app), waiting_victim(app))
    page = ask_for_code(pages, "  English.Victim@Example.com ")
    assert page.response.request.path == "/sign-in/security-code"
    assert "we have sent an email with a code" in main_text(page)
    page = enter_code(pages, latest_code(app_db, me.email))
    assert page.response.request.path == "/account"
    assert page.title.get_text(strip=True) == "Your case – Victim Contact Scheme – GOV.UK"
    text = main_text(page)
    assert me.reference in text and me.officer_name in text and "Getting updates" in text
    assert ENGLISH_SENTENCE in text
    for other in (*(o.reference for o in others), others[0].offender_name):
        assert other not in text
    current = page.find(attrs={"aria-current": "step"})
    assert current.get_text(" ", strip=True) == "In prison or hospital Now"
    assert navigation(page) == [
        ("Your case", "/account"),
        ("Messages", "/account/messages"),
        ("Your data", "/account/your-data"),
    ]
    # Signing out is a POST with the page's CSRF token (a button styled as a link).
    form = page.find(class_="govuk-service-navigation__list").find("form")
    assert (form["method"], form["action"]) == ("post", "/sign-out")
    assert form.find("input", attrs={"name": "csrf_token"})["value"]
    assert form.find("button").get_text(strip=True) == "Sign out"


def test_the_timeline_is_newest_first_at_the_precision_allowed(app, pages, app_db):
    welsh_victim(app)
    sign_in_as(pages, app_db, WELSH_EMAIL, WELSH_EMAIL)
    page = pages.get("/account")
    # The officer's message, written today, comes first (tests/functional/
    # test_victim_messages.py); then the events.
    assert "app-timeline__item--message" in page.find(class_="app-timeline").li["class"]
    items = page.select(".app-timeline li:not(.app-timeline__item--message)")
    dates = [item.find("time") for item in items]
    # The parole review was recorded to the month only: no day is shown or machine-readable.
    assert [(t["datetime"], t.get_text()) for t in dates] == [
        ("2026-10", "October 2026"),
        ("2022-04-02", "2 April 2022"),
        ("2022-03-14", "14 March 2022"),
    ]
    # Written in Welsh by the officer, marked as Welsh on the English page.
    assert items[0].find("p", attrs={"lang": "cy"}).get_text().startswith("Mae adolygiad parôl")
    assert items[0].find("h4").get_text(strip=True) == "Parole review"
    welsh = pages.get("/account?lang=cy")
    events = welsh.select(".app-timeline li:not(.app-timeline__item--message)")
    welsh_dates = [item.find("time").get_text() for item in events]
    assert welsh_dates == ["Hydref 2026", "2 Ebrill 2022", "14 Mawrth 2022"]
    assert not welsh.find(class_="app-timeline").find("p", attrs={"lang": True})
    assert welsh.find("h1").get_text(strip=True) == "Eich achos"


def test_hidden_events_are_not_shown(app, pages, app_db):
    me = english_victim(app)
    case = app_db.get(Case, me.case_id)
    app_db.add(
        TimelineEvent(
            case=case,
            kind=TimelineEventKind.NOTE,
            occurred_on=date(2025, 1, 1),
            summary="Internal: checked with the prison.",
            language=Language.ENGLISH,
            visible_to_victim=False,
        )
    )
    app_db.commit()
    page = sign_in_as(pages, app_db, me.email, me.email)
    assert "Internal" not in main_text(page)
    # The two events, and the victim's message (tests/support/cases.py).
    assert len(page.select(".app-timeline li:not(.app-timeline__item--message)")) == 2
    assert len(page.select(".app-timeline li.app-timeline__item--message")) == 1


def test_a_registration_waiting_for_an_officer_signs_in_by_mobile(app, pages, app_db):
    waiting_victim(app)
    page = ask_for_code(pages, WAITING_MOBILE_TYPED)
    assert "we have sent a text message with a code" in main_text(page)
    page = enter_code(pages, latest_code(app_db, WAITING_MOBILE))
    text = main_text(page)
    assert "Waiting for a Victim Liaison Officer" in text
    assert "Not chosen yet. A Victim Liaison Officer will contact you by" in text
    assert "We are finding the right unit for you." in text
    assert not page.find(class_="app-stages")


def test_a_code_goes_in_the_victims_own_language(app, pages, app_db):
    welsh_victim(app)
    ask_for_code(pages, WELSH_EMAIL)  # from an English page
    notification = app_db.scalars(
        select(OutboxNotification).filter_by(template_key="sign_in_code", recipient=WELSH_EMAIL)
    ).one()
    # Sent at once, whatever the safe hours for texts: the person asked for it.
    assert notification.next_attempt_at <= utcnow()
    # The worker, not the request, looks the address up, and writes in their language.
    [sent] = deliver(app, app_db)
    assert sent.recipient == WELSH_EMAIL
    assert sent.rendered.subject == "Eich cod diogelwch"
    app_db.refresh(notification)
    assert notification.language == Language.WELSH


def test_one_address_held_by_two_records_sees_both_cases(app, pages, app_db):
    # A parent who registered two children with the same email address.
    with app.app_context():
        for reference in ("VCS-TEST-AAAA", "VCS-TEST-BBBB"):
            case = CaseFactory(reference=reference, status=CaseStatus.ACTIVE)
            ContactPreferenceFactory(victim=case.victim, value="parent@example.com")
        db.session.commit()
    page = sign_in_as(pages, app_db, "parent@example.com", "parent@example.com")
    assert page.find("h1").get_text(strip=True) == "Your cases"
    headings = [h.get_text(strip=True) for h in page.find("main").find_all("h2", id=True)]
    assert headings == ["Case VCS-TEST-AAAA", "Case VCS-TEST-BBBB"]
    assert codes_sent(app, app_db, "parent@example.com") == 1


def test_signing_in_starts_a_fresh_cookie_session(app, pages, app_db):
    me = english_victim(app)
    with pages.client.session_transaction() as cookie:
        cookie["registration_draft"] = "someone-elses-draft"
    sign_in_as(pages, app_db, me.email, me.email)
    with pages.client.session_transaction() as cookie:
        assert set(cookie) - {"csrf_token"} == {"audience", TOKEN}
    event = app_db.scalars(select(AuditEvent).filter_by(action="victim signed in")).one()
    assert event.actor_type == ActorType.VICTIM
    assert event.actor_id == me.victim_id and event.detail["channel"] == "email"


def test_the_sign_in_page_sends_a_signed_in_victim_to_their_case(app, pages, app_db):
    english_victim(app)
    sign_in_as(pages, app_db, ENGLISH_EMAIL, ENGLISH_EMAIL)
    assert pages.client.get("/sign-in").headers["Location"] == "/account"


# --- nobody learns who is in the scheme ---------------------------------------------------


def unsafe_email_case(status=CaseStatus.ACTIVE, safe=False):
    case = CaseFactory(status=status)
    ContactPreferenceFactory(victim=case.victim, value="hidden@example.com", is_safe=safe)
    db.session.commit()


@pytest.mark.parametrize(
    "make",
    [
        lambda: None,  # nobody has it
        lambda: unsafe_email_case(),  # on file, but not safe to use
        lambda: unsafe_email_case(status=CaseStatus.CLOSED, safe=True),  # left the scheme
        lambda: unsafe_email_case(status=CaseStatus.DECLINED, safe=True),
    ],
    ids=["unknown", "not-safe", "closed", "declined"],
)
def test_an_address_that_cannot_sign_in_gets_no_code_and_the_same_pages(app, pages, app_db, make):
    with app.app_context():
        make()
    page = ask_for_code(pages, "hidden@example.com")
    assert "If you can sign in with hidden@example.com, we have sent an email" in main_text(page)
    assert codes_sent(app, app_db, "hidden@example.com") == 0
    page = enter_code(pages, "123456")
    assert error_messages(page) == [
        "The security code is not right, or it has run out. Check it, or send a new code."
    ]
    page = post(pages, "/sign-in/security-code/resend", {}, page_url="/sign-in/security-code")
    assert "If you can sign in with it, we have sent a new code." in main_text(page)
    assert codes_sent(app, app_db, "hidden@example.com") == 0


def test_a_wrong_code_is_refused_and_five_guesses_use_a_code_up(app, pages, app_db):
    english_victim(app)
    ask_for_code(pages, ENGLISH_EMAIL)
    code = latest_code(app_db, ENGLISH_EMAIL)
    for _ in range(sign_in.MAX_ATTEMPTS):
        page = enter_code(pages, wrong(code))
        assert page.response.request.path == "/sign-in/security-code"
        assert page.title.get_text(strip=True).startswith("Error: ")
    page = enter_code(pages, code)
    assert page.response.request.path == "/sign-in/security-code"
    assert error_messages(page) == [
        "The security code is not right, or it has run out. Check it, or send a new code."
    ]


def test_an_expired_code_is_refused(app, pages, app_db):
    english_victim(app)
    ask_for_code(pages, ENGLISH_EMAIL)
    code = latest_code(app_db, ENGLISH_EMAIL)
    record = app_db.scalars(select(SecurityCode)).one()
    record.expires_at = utcnow() - timedelta(seconds=1)
    app_db.commit()
    assert error_messages(enter_code(pages, code))


def test_only_the_newest_code_works_and_only_once(app, pages, app_db):
    english_victim(app)
    ask_for_code(pages, ENGLISH_EMAIL)
    first = latest_code(app_db, ENGLISH_EMAIL)
    page = post(pages, "/sign-in/security-code/resend", {}, page_url="/sign-in/security-code")
    assert page.find(class_="govuk-notification-banner--success")
    second = latest_code(app_db, ENGLISH_EMAIL)
    if first != second:  # two random codes can be equal, one time in a million
        assert error_messages(enter_code(pages, first))
    assert enter_code(pages, second).response.request.path == "/account"
    sign_out(pages)
    with pages.client.session_transaction() as cookie:
        cookie[SIGNING_IN] = {"to": ENGLISH_EMAIL, "way": "email"}
    assert error_messages(enter_code(pages, second))


def test_an_address_gets_five_codes_an_hour_from_one_network(app, pages, app_db):
    english_victim(app)
    ask_for_code(pages, ENGLISH_EMAIL)
    for _ in range(security_codes.PER_NETWORK_AND_DESTINATION + 2):
        post(pages, "/sign-in/security-code/resend", {}, page_url="/sign-in/security-code")
    assert codes_sent(app, app_db, ENGLISH_EMAIL) == security_codes.PER_NETWORK_AND_DESTINATION


def test_code_requests_are_limited_per_network_address(app, pages):
    app.config["SIGN_IN_CODE_LIMIT"] = "2 per hour"
    try:
        ask_for_code(pages, "someone@example.com")
        ask_for_code(pages, "someone-else@example.com")
        response = pages.client.post(
            "/sign-in", data={"contact": "third@example.com", "csrf_token": csrf(pages.get("/"))}
        )
        assert response.status_code == 429
        assert "Sorry, there have been too many attempts" in response.get_data(as_text=True)
    finally:
        app.config["SIGN_IN_CODE_LIMIT"] = "10 per hour"


# --- what a person types ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the email address or mobile number your Victim Liaison Officer has for you"),
        ("not an address", "Enter an email address like name@example.com, or a UK mobile number"),
        ("name@", "Enter an email address like name@example.com, or a UK mobile number"),
        ("029 2018 3000", "Enter an email address like name@example.com, or a UK mobile number"),
        (
            "x" * 255,
            "Enter the email address or mobile number your Victim Liaison Officer has for you",
        ),
    ],
)
def test_what_was_typed_is_checked(pages, app_db, typed, message):
    page = ask_for_code(pages, typed)
    assert page.response.request.path == "/sign-in"
    assert error_messages(page) == [message]
    assert page.find(class_="govuk-error-summary").find("a")["href"] == "#contact"
    assert app_db.scalars(select(SecurityCode)).all() == []


def test_a_megabyte_typed_is_not_sent_back(pages, app_db):
    """A one-line field is shown again cut to its most length (portal.forms.PortalForm):
    a megabyte pasted (or sent by a script) comes back as 254 characters, with the error,
    not as a megabyte page."""
    page = ask_for_code(pages, "a" * 1_000_000)
    assert error_messages(page) == [
        "Enter the email address or mobile number your Victim Liaison Officer has for you"
    ]
    assert page.find("input", id="contact")["value"] == "a" * 254
    assert len(page.response.get_data()) < 60_000
    assert app_db.scalars(select(SecurityCode)).all() == []


def test_a_megabyte_typed_as_the_code_is_not_read_or_sent_back(app, pages, app_db):
    """The code is a one-line field with a most length too (portal.forms.CodeForm): a
    megabyte sent as a code is refused with the one error and shown again cut, not read
    digit by digit and sent back as a megabyte page; no guess is counted."""
    english_victim(app)
    ask_for_code(pages, ENGLISH_EMAIL)
    page = enter_code(pages, "1" * 1_000_000)
    assert error_messages(page) == ["The security code must be 6 numbers"]
    assert page.find("input", attrs={"name": "code"})["value"] == "1" * 50
    assert len(page.response.get_data()) < 60_000
    assert app_db.scalars(select(SecurityCode)).one().attempts == 0


def test_a_control_character_typed_is_refused_with_the_400_page(pages, app_db):
    """Refused before the form is read (tests/functional/test_control_characters.py)."""
    page = ask_for_code(pages, "a\x00@example.com", status=400)
    assert page.find("h1").get_text(strip=True) == "Sorry, there is a problem with your request"
    assert app_db.scalars(select(SecurityCode)).all() == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Enter the security code"), ("12ab56", "The security code must be 6 numbers")],
)
def test_the_code_is_checked_before_it_is_tried(app, pages, app_db, typed, message):
    english_victim(app)
    ask_for_code(pages, ENGLISH_EMAIL)
    assert error_messages(enter_code(pages, typed)) == [message]
    assert app_db.scalars(select(SecurityCode)).one().attempts == 0


def test_errors_are_in_welsh_on_welsh_pages(pages):
    pages.get("/sign-in?lang=cy")
    page = ask_for_code(pages, "")
    assert page.title.get_text(strip=True).startswith("Gwall: ")
    assert error_messages(page) == [
        "Rhowch y cyfeiriad e-bost neu’r rhif ffôn symudol sydd gan eich Swyddog Cyswllt "
        "Dioddefwyr ar eich cyfer"
    ]


def test_the_code_page_needs_an_address_first(pages):
    client = pages.client
    assert client.get("/sign-in/security-code").headers["Location"] == "/sign-in"
    token = csrf(pages.get("/sign-in"))
    response = client.post("/sign-in/security-code/resend", data={"csrf_token": token})
    assert response.headers["Location"] == "/sign-in"


def test_a_forged_pending_address_is_not_trusted(app, pages):
    english_victim(app)
    with pages.client.session_transaction() as cookie:
        cookie[SIGNING_IN] = {"to": ENGLISH_EMAIL, "way": "letter"}
    assert pages.client.get("/sign-in/security-code").headers["Location"] == "/sign-in"


# --- signing out and timing out -----------------------------------------------------------


def test_signing_out_ends_the_session_on_the_server(app, pages, app_db):
    english_victim(app)
    sign_in_as(pages, app_db, ENGLISH_EMAIL, ENGLISH_EMAIL)
    with pages.client.session_transaction() as cookie:
        stolen = dict(cookie)
    page = sign_out(pages)
    assert page.find("h1").get_text(strip=True) == "You have signed out"
    assert pages.client.get("/account").headers["Location"] == "/sign-in"
    # The cookie from before signing out is worth nothing now.
    with pages.client.session_transaction() as cookie:
        cookie.update(stolen)
    assert pages.client.get("/account").headers["Location"] == "/sign-in"
    record = app_db.scalars(select(VictimSession)).one()
    assert record.ended_at is not None
    assert app_db.scalars(select(AuditEvent).filter_by(action="victim signed out")).one()


def test_signing_out_when_not_signed_in_is_harmless(pages):
    page = pages.get("/sign-out", follow_redirects=True)
    assert page.find("h1").get_text(strip=True) == "You have signed out"


@pytest.mark.parametrize(
    ("field", "age"),
    [
        ("last_seen_at", sign_in.IDLE_LIMIT),
        ("created_at", sign_in.SESSION_LIMIT),
    ],
    ids=["idle", "too-long"],
)
def test_a_session_runs_out(app, pages, app_db, field, age):
    english_victim(app)
    sign_in_as(pages, app_db, ENGLISH_EMAIL, ENGLISH_EMAIL)
    record = app_db.scalars(select(VictimSession)).one()
    setattr(record, field, utcnow() - age - timedelta(seconds=1))
    app_db.commit()
    page = pages.get("/account", follow_redirects=True)
    assert page.response.request.path == "/sign-in"
    banner = page.find(class_="govuk-notification-banner")
    assert "You were signed out to keep your information safe." in banner.get_text()
    # Said once: the next visit to the sign-in page is plain.
    assert not pages.get("/sign-in").find(class_="govuk-notification-banner")
    app_db.refresh(record)
    assert record.ended_at is not None


def test_a_session_ends_when_the_address_is_marked_unsafe(app, pages, app_db):
    english_victim(app)
    sign_in_as(pages, app_db, ENGLISH_EMAIL, ENGLISH_EMAIL)
    detail = app_db.scalars(
        select(ContactPreference).filter_by(channel=Channel.EMAIL, value=ENGLISH_EMAIL)
    ).one()
    detail.is_safe = False
    app_db.commit()
    assert pages.client.get("/account").headers["Location"] == "/sign-in"


def test_activity_keeps_a_session_alive(app, pages, app_db):
    english_victim(app)
    sign_in_as(pages, app_db, ENGLISH_EMAIL, ENGLISH_EMAIL)
    record = app_db.scalars(select(VictimSession)).one()
    record.last_seen_at = utcnow() - sign_in.IDLE_LIMIT + timedelta(minutes=1)
    app_db.commit()
    pages.get("/account")
    app_db.refresh(record)
    assert utcnow() - record.last_seen_at < timedelta(minutes=1)


def test_old_codes_and_sessions_are_purged(app_db):
    now = utcnow()
    long_ago = now - sign_in.KEEP_FOR - sign_in.SESSION_LIMIT - timedelta(minutes=1)
    recent = now - timedelta(minutes=1)
    for moment in (long_ago, recent):
        app_db.add(
            SecurityCode(
                purpose=CodePurpose.SIGN_IN,
                channel="email",
                destination_key="x" * 64,
                network="test",
                code_hash="0" * 64,
                created_at=moment,
                expires_at=moment + sign_in.CODE_LIFETIME,
            )
        )
        app_db.add(
            VictimSession(
                token_hash=f"{moment.timestamp():064.0f}"[-64:],
                channel="email",
                destination="x@example.com",
                created_at=moment,
                last_seen_at=moment,
            )
        )
    app_db.flush()
    assert sign_in.purge_expired(app_db, now) == 2
    assert [c.created_at for c in app_db.scalars(select(SecurityCode))] == [recent]
    assert [s.created_at for s in app_db.scalars(select(VictimSession))] == [recent]


# --- with htmx ------------------------------------------------------------------------------


def test_htmx_swaps_the_code_page_in_and_the_url_follows(app, pages):
    english_victim(app)
    token = csrf(pages.get("/sign-in"))
    response = pages.client.post(
        "/sign-in",
        data={"contact": ENGLISH_EMAIL, "csrf_token": token},
        headers={"HX-Request": "true"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Enter the security code" in html
    assert response.headers["HX-Push-Url"] == "/sign-in/security-code"
    assert "HX-Request" in response.headers["Vary"]


def test_a_parole_stage_and_month_are_shown_for_a_new_event(app, pages, app_db):
    me = english_victim(app)
    case = app_db.get(Case, me.case_id)
    case.stage = SentenceStage.RELEASE
    app_db.add(
        TimelineEvent(
            case=case,
            kind=TimelineEventKind.STAGE,
            stage=SentenceStage.RELEASE,
            occurred_on=date(2027, 3, 9),
            precision=DatePrecision.MONTH,
            summary="The offender will be released in March 2027.",
            language=Language.ENGLISH,
        )
    )
    app_db.commit()
    page = sign_in_as(pages, app_db, me.email, me.email)
    first = page.find(class_="app-timeline").find("li")
    assert first.find("h4").get_text(strip=True) == "Released on licence"
    assert first.find("time").get_text() == "March 2027"
    assert "9 March" not in main_text(page)
    assert (
        page.find(attrs={"aria-current": "step"})
        .get_text(" ", strip=True)
        .startswith("Released on licence")
    )


def test_htmx_signs_in_with_a_whole_new_page(app, pages, app_db):
    english_victim(app)
    ask_for_code(pages, ENGLISH_EMAIL)
    token = csrf(pages.get("/sign-in/security-code"))
    response = pages.client.post(
        "/sign-in/security-code",
        data={"code": latest_code(app_db, ENGLISH_EMAIL), "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    # The header changes when signed in, so htmx loads the case page whole.
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/account"
    assert pages.get("/account").find("h1").get_text(strip=True) == "Your case"
