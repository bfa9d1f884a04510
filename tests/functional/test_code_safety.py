"""What an outside test of sign-in and registration found (issue 11), each pinned by a test.

- the same database work, statement for statement, for an address in the
  scheme and one that is not (so timing cannot tell them apart either);
- a stranger asking for codes for someone else's address uses up nothing of
  theirs, and repeated failures are audited without the address itself;
- one form of an email address for matching and limits;
- "save and come back later" counts against the same limits, and its link
  has a lifetime of its own;
- secrets in the outbox are encrypted at rest, with keys that can rotate.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from portal import encryption
from portal.extensions import db
from portal.models import (
    AuditEvent,
    CodePurpose,
    OutboxNotification,
    RegistrationDraft,
    SecurityCode,
    utcnow,
)
from portal.services import security_codes
from tests.support.cases import ENGLISH_EMAIL as KNOWN
from tests.support.cases import english_victim
from tests.support.delivery import deliver, delivered_to
from tests.support.pages import PageClient
from tests.support.queries import statements
from tests.support.registration_steps import (
    VICTIM_ANSWERS,
    answer_all,
    begin,
    csrf,
    latest_code,
    post,
)

UNKNOWN = "nobody.at.all@example.com"


def browser(app, address: str = "192.0.2.10") -> PageClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return PageClient(client)


def _visible(page, typed: str) -> str:
    """The page as a person sees it, with what they typed and one-time tokens taken out."""
    html = str(page.find("main"))
    html = html.replace(typed, "ADDRESS")
    return re.sub(r'value="[^"]{40,}"', 'value="TOKEN"', html)


# --- the same work whoever the address belongs to ------------------------------------------


JOURNEYS = {
    "sign-in": [("/sign-in", "/sign-in", {"contact": "{address}"})],
    "send the code again": [
        ("/sign-in", "/sign-in", {"contact": "{address}"}),
        ("/sign-in/security-code/resend", "/sign-in/security-code", {}),
    ],
    "a wrong code": [
        ("/sign-in", "/sign-in", {"contact": "{address}"}),
        ("/sign-in/security-code", "/sign-in/security-code", {"code": "000000"}),
    ],
    "registration resume": [("/register/resume", "/register/resume", {"contact": "{address}"})],
}


@pytest.mark.parametrize("journey", JOURNEYS)
def test_a_known_and_an_unknown_address_cost_the_same_database_work(app, db_session, journey):
    """Structural, not timed: the last request of each journey sends the same SQL."""
    english_victim(app)
    runs = {}
    for who, address in (("known", KNOWN), ("unknown", UNKNOWN)):
        pages = browser(app, "192.0.2.20" if who == "known" else "192.0.2.21")
        *before, (url, page_url, data) = JOURNEYS[journey]
        for step_url, step_page, step_data in before:
            post(pages, step_url, {k: v.format(address=address) for k, v in step_data.items()},
                 page_url=step_page)  # fmt: skip
        token = csrf(pages.get(page_url))
        form = {k: v.format(address=address) for k, v in data.items()}
        with statements(app) as seen:
            response = pages.client.post(url, data={**form, "csrf_token": token})
        runs[who] = (seen, response)
    known, unknown = runs["known"], runs["unknown"]
    assert known[0] == unknown[0]
    assert known[1].status_code == unknown[1].status_code
    assert known[1].headers.get("Location") == unknown[1].headers.get("Location")
    assert sorted(known[1].headers.keys()) == sorted(unknown[1].headers.keys())


def test_the_pages_read_the_same_for_a_known_and_an_unknown_address(app, db_session):
    english_victim(app)
    seen = {}
    for address in (KNOWN, UNKNOWN):
        pages = browser(app, "192.0.2.30")
        page = post(pages, "/sign-in", {"contact": address})
        resent = post(pages, "/sign-in/security-code/resend", {}, page_url="/sign-in/security-code")
        seen[address] = (_visible(page, address), _visible(resent, address))
    assert seen[KNOWN] == seen[UNKNOWN]


# --- a stranger cannot lock a victim out ----------------------------------------------------


def test_a_stranger_asking_for_codes_uses_up_nothing_of_the_victims(app, app_db):
    english_victim(app)
    victim = browser(app, "198.51.100.7")
    post(victim, "/sign-in", {"contact": KNOWN})
    victims_code = latest_code(app_db, KNOWN)

    stranger = browser(app, "203.0.113.66")
    for _ in range(security_codes.PER_NETWORK_AND_DESTINATION + 2):
        post(stranger, "/sign-in", {"contact": KNOWN})
    wrong = "000000" if victims_code != "000000" else "111111"
    for _ in range(security_codes.MAX_ATTEMPTS + 2):
        post(stranger, "/sign-in/security-code", {"code": wrong})
    # The stranger's codes neither replaced the victim's nor used up its guesses.
    page = post(victim, "/sign-in/security-code", {"code": victims_code})
    assert page.response.request.path == "/account"

    # And the victim, on their own network, can still ask for a code.
    again = browser(app, "198.51.100.7")
    deliver(app, app_db)
    post(again, "/sign-in", {"contact": KNOWN})
    assert delivered_to(app, app_db, KNOWN) == 1

    # What the stranger did is on record for an officer, without the address itself.
    actions = [event.action for event in app_db.scalars(select(AuditEvent))]
    assert actions.count("security code refused") == 2
    assert actions.count("security code guesses used up") == 1
    details = [
        str(event.detail)
        for event in app_db.scalars(
            select(AuditEvent).where(AuditEvent.action.like("security code%"))
        )
    ]
    assert all(KNOWN not in detail for detail in details)
    fingerprint = security_codes.fingerprint(app.config["SECRET_KEY"], KNOWN)
    assert all(fingerprint in detail for detail in details)


def test_a_limited_request_reads_the_same_whether_or_not_the_address_exists(app, db_session):
    english_victim(app)
    seen = {}
    for address, network in ((KNOWN, "203.0.113.98"), (UNKNOWN, "203.0.113.99")):
        pages = browser(app, network)
        for _ in range(security_codes.PER_NETWORK_AND_DESTINATION):
            post(pages, "/sign-in", {"contact": address})
        limited = post(pages, "/sign-in", {"contact": address})
        seen[address] = (limited.response.status_code, _visible(limited, address))
    assert seen[KNOWN] == seen[UNKNOWN]


def test_a_code_works_only_in_the_browser_that_asked_for_it(app, app_db):
    english_victim(app)
    asking = browser(app)
    post(asking, "/sign-in", {"contact": KNOWN})
    code = latest_code(app_db, KNOWN)
    elsewhere = browser(app)
    with elsewhere.client.session_transaction() as cookie:
        cookie["sign_in_pending"] = {"to": KNOWN, "way": "email"}
    page = post(elsewhere, "/sign-in/security-code", {"code": code})
    assert page.response.request.path == "/sign-in/security-code"
    assert post(asking, "/sign-in/security-code", {"code": code}).response.request.path == (
        "/account"
    )


# --- one form of an email address -----------------------------------------------------------


def test_case_variants_of_an_address_share_one_limit(app, app_db):
    english_victim(app)
    pages = browser(app)
    variants = ["English.Victim@Example.com", "ENGLISH.VICTIM@EXAMPLE.COM", KNOWN]
    for n in range(security_codes.PER_NETWORK_AND_DESTINATION + 3):
        post(pages, "/sign-in", {"contact": variants[n % 3]})
    assert delivered_to(app, app_db, KNOWN) == (security_codes.PER_NETWORK_AND_DESTINATION)
    keys = set(app_db.scalars(select(SecurityCode.destination_key)))
    assert keys == {security_codes.fingerprint(app.config["SECRET_KEY"], KNOWN)}
    # Addresses typed to sign in are never kept readable (outside retest L2).
    assert set(app_db.scalars(select(SecurityCode.destination))) == {None}


# --- save and come back later ---------------------------------------------------------------


def start_with_email(pages):
    begin(pages)
    for step in ("who", "victim-name", "date-of-birth", "contact", "safe-contact"):
        post(pages, f"/register/{step}", VICTIM_ANSWERS[step])


def test_links_count_against_the_same_limits_as_codes(app, app_db):
    pages = browser(app)
    start_with_email(pages)
    statuses = []
    for _ in range(8):
        page = pages.get("/register/save")
        response = pages.client.post("/register/save", data={"csrf_token": csrf(page)})
        statuses.append(response.status_code)
    refused = PageClient.check(response, 429)
    assert refused.title.get_text().startswith("Error: ")
    assert "Too many links or codes have been asked for" in refused.find("main").get_text()
    assert statuses == [303] * security_codes.PER_DRAFT + [429] * (8 - security_codes.PER_DRAFT)
    sent = [o for o in deliver(app, app_db) if o.recipient == "sian@example.com"]
    assert len(sent) == security_codes.PER_DRAFT


def test_a_link_lives_72_hours_from_sending_whatever_is_saved_later(app, app_db):
    pages = browser(app)
    start_with_email(pages)
    page = pages.get("/register/save")
    assert "The link works once, for 72 hours." in page.get_text()
    post(pages, "/register/save", {})
    [outgoing] = [o for o in deliver(app, app_db) if o.recipient == "sian@example.com"]
    assert "The link works once, for 72 hours." in outgoing.rendered.body
    link = re.search(r"http://127.0.0.1:5000(\S+)", outgoing.rendered.body).group(1)
    stored = app_db.scalars(select(SecurityCode).filter_by(purpose=CodePurpose.LINK)).one()
    expires = stored.expires_at
    assert expires - stored.created_at == timedelta(hours=72)
    post(pages, "/register/victim-name", VICTIM_ANSWERS["victim-name"])  # a later save
    app_db.refresh(stored)
    assert stored.expires_at == expires
    draft = app_db.get(RegistrationDraft, stored.draft_id)
    assert draft.expires_at > utcnow() + timedelta(days=29)
    stored.expires_at = utcnow() - timedelta(seconds=1)  # 72 hours later
    app_db.commit()
    browser(app).get(link, status=404)


# --- secrets encrypted at rest ---------------------------------------------------------------


def raw_personalisation(app_db, recipient: str) -> str:
    return app_db.execute(
        text("SELECT personalisation FROM outbox_notifications WHERE recipient = :r"),
        {"r": recipient},
    ).scalar_one()


def test_codes_in_the_outbox_are_encrypted_at_rest(app, app_db):
    english_victim(app)
    post(browser(app), "/sign-in", {"contact": KNOWN})
    code = latest_code(app_db, KNOWN)
    raw = raw_personalisation(app_db, KNOWN)
    assert code not in raw and "code" not in raw and "minutes" not in raw
    assert Fernet(encryption.DEVELOPMENT_KEY.encode()).decrypt(raw.encode())


def test_keys_rotate_without_losing_a_row(app, app_db):
    english_victim(app)
    post(browser(app), "/sign-in", {"contact": KNOWN})
    code = latest_code(app_db, KNOWN)
    new_key = Fernet.generate_key().decode()
    try:
        # 1. The new key first, the old one still there: old rows still read.
        encryption.configure([new_key, encryption.DEVELOPMENT_KEY])
        app_db.expire_all()
        assert latest_code(app_db, KNOWN) == code
        # 2. Re-encrypt every row with the new key.
        rotated = encryption.reencrypt_all(app_db, db.metadata)
        assert rotated["outbox_notifications.personalisation"] >= 1
        raw = raw_personalisation(app_db, KNOWN)
        assert Fernet(new_key.encode()).decrypt(raw.encode())
        # 3. The old key can go.
        encryption.configure([new_key])
        app_db.expire_all()
        assert latest_code(app_db, KNOWN) == code
    finally:
        encryption.configure([encryption.DEVELOPMENT_KEY])


def test_the_worker_forgets_the_address_it_had_nobody_to_send_to(app, app_db):
    post(browser(app), "/sign-in", {"contact": UNKNOWN})
    row = app_db.scalars(select(OutboxNotification).filter_by(recipient=UNKNOWN)).one()
    assert deliver(app, app_db) == []
    app_db.refresh(row)
    assert (row.recipient, row.personalisation, row.status) == ("", {}, "cancelled")


def test_case_variants_of_an_email_share_the_registration_code_limit(app, app_db):
    variants = ["Sian@Example.com", "SIAN@EXAMPLE.COM", "sian@example.com", "sIaN@example.COM"]
    refused = 0
    for n in range(security_codes.PER_NETWORK_AND_DESTINATION + 2):
        pages = browser(app, "192.0.2.77")
        begin(pages)
        answer_all(
            pages,
            {**VICTIM_ANSWERS, "contact": {**VICTIM_ANSWERS["contact"], "email": variants[n % 4]}},
        )
        post(pages, "/register/check-answers", {})
        page = post(pages, "/register/verify", {"way": "email"})
        refused += page.response.request.path == "/register/verify"
    codes = app_db.scalars(select(SecurityCode.destination)).all()
    assert codes == ["sian@example.com"] * security_codes.PER_NETWORK_AND_DESTINATION
    assert refused == 2


# --- only a proved detail signs anyone in ------------------------------------------------------


def test_a_detail_nobody_proved_never_signs_anyone_in(app, app_db):
    """Taylor proved her email and mistyped her mobile: whoever holds that number gets
    nothing, and an attacker who lists someone else's number sees nothing of theirs."""
    from tests.support.factories import CaseFactory, ContactPreferenceFactory

    with app.app_context():
        case = CaseFactory(status="active")
        ContactPreferenceFactory(victim=case.victim, value="taylor.real@example.com")
        ContactPreferenceFactory(
            victim=case.victim, channel="sms", value="+447700900998", verified_at=None
        )
        db.session.commit()
    holder = browser(app)
    post(holder, "/sign-in", {"contact": "07700 900998"})
    code = latest_code(app_db, "+447700900998")  # recorded, as for any address...
    assert delivered_to(app, app_db, "+447700900998") == 0  # ...but never sent
    page = post(holder, "/sign-in/security-code", {"code": code})
    assert page.response.request.path == "/sign-in/security-code"
    assert holder.client.get("/account").status_code == 303


def test_a_code_typed_on_another_keyboard_still_works(app, app_db):
    english_victim(app)
    pages = browser(app)
    post(pages, "/sign-in", {"contact": KNOWN})
    code = latest_code(app_db, KNOWN)
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in code)
    page = post(pages, "/sign-in/security-code", {"code": full_width})
    assert page.response.request.path == "/account"


# --- a registration is held by one browser --------------------------------------------------


def test_carrying_a_registration_on_shuts_out_every_other_browser(app, app_db):
    """Someone starts a registration in the victim's name and has the link sent to her
    (outside retest H1): once she carries it on, that browser sees nothing she types,
    nor her reference."""
    abuser = browser(app, "203.0.113.5")
    start_with_email(abuser)
    post(abuser, "/register/save", {})
    sent = next(o for o in deliver(app, app_db) if o.recipient == "sian@example.com")
    link = re.search(r"http://127.0.0.1:5000(\S+)", sent.rendered.body).group(1)

    victim = browser(app, "198.51.100.9")
    page = victim.get(link)
    victim.client.post(link, data={"csrf_token": csrf(page)})
    steps = list(VICTIM_ANSWERS)
    answer_all(victim, {k: VICTIM_ANSWERS[k] for k in steps[steps.index("safe-contact") + 1 :]})

    # The browser that started it no longer holds it: back to the start, nothing shown.
    response = abuser.client.get("/register/contact")
    assert response.status_code == 303
    assert response.headers["Location"] == "/register?expired=1"
    assert abuser.client.get("/register/check-answers").headers["Location"] == (
        "/register?expired=1"
    )

    post(victim, "/register/check-answers", {})
    post(victim, "/register/verify", {"way": "email"})
    post(victim, "/register/security-code", {"code": latest_code(app_db, "sian@example.com")})
    done = post(victim, "/register/declaration", {"agree": "y"})
    reference = done.find(class_="govuk-panel__body").find("strong").get_text()
    after = abuser.client.get("/register/check-answers", follow_redirects=True)
    assert reference not in after.get_data(as_text=True)
    assert after.request.path == "/register"


def test_draft_answers_are_encrypted_at_rest(app, app_db):
    pages = browser(app)
    start_with_email(pages)
    raw = app_db.execute(text("SELECT answers FROM registration_drafts")).scalars().all()
    assert raw and all("sian@example.com" not in value and "Siân" not in value for value in raw)


def test_plus_addressing_shares_one_mailbox_limit(app, app_db):
    """name+1@, name+2@… reach one mailbox: they count as one (outside retest L1)."""
    refused = 0
    for n in range(security_codes.PER_NETWORK_AND_DESTINATION + 2):
        pages = browser(app, "192.0.2.88")
        begin(pages)
        contact = {**VICTIM_ANSWERS["contact"], "email": f"sian+{n}@example.com"}
        answer_all(pages, {**VICTIM_ANSWERS, "contact": contact})
        post(pages, "/register/check-answers", {})
        page = post(pages, "/register/verify", {"way": "email"})
        refused += page.response.request.path == "/register/verify"
    assert refused == 2


def test_a_proof_made_before_the_link_does_not_carry_over(app, app_db):
    """He proves his own mobile on a registration in her name, then has the link sent to
    her (outside retest, second round): once she carries on, his number proves nothing,
    he cannot sign back in to it, and she proves a detail herself."""
    abuser = browser(app, "203.0.113.6")
    begin(abuser)
    answers = {
        **VICTIM_ANSWERS,
        "contact": {
            "ways": ["email", "sms"],
            "email": "sian@example.com",
            "mobile": "07700 900779",
        },
        "safe-contact": {"safe": ["email", "sms"]},
    }
    answers.pop("letters")
    answer_all(abuser, answers)
    post(abuser, "/register/check-answers", {})
    post(abuser, "/register/verify", {"way": "sms"})
    post(abuser, "/register/security-code", {"code": latest_code(app_db, "+447700900779")})
    post(abuser, "/register/save", {})
    sent = next(o for o in deliver(app, app_db) if o.recipient == "sian@example.com")
    link = re.search(r"http://127.0.0.1:5000(\S+)", sent.rendered.body).group(1)

    victim = browser(app, "198.51.100.10")
    victim.client.post(link, data={"csrf_token": csrf(victim.get(link))})
    # His proof no longer counts: she is asked where to send a code, not sent on.
    page = post(victim, "/register/check-answers", {})
    assert page.response.request.path == "/register/verify"

    # And his number no longer opens the registration.
    again = browser(app, "203.0.113.6")
    post(again, "/register/resume", {"contact": "07700 900779"})
    deliver(app, app_db)
    page = post(again, "/register/resume/security-code", {"code": "123456"})
    assert page.response.request.path == "/register/resume/security-code"
    assert again.client.get("/register/check-answers").headers["Location"] == (
        "/register?expired=1"
    )
