"""Staff accounts, run by administrators (issue 14): invite by an emailed link, reset the
authenticator app or the password, deactivate and reactivate, change role and region.

Every emailed link is one-use, runs out, is kept only as a keyed hash, and is read here
from what the real notifications worker would send. Setting up an authenticator app needs
both the password and such a link. Each action is audited with ids only.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pyotp
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.domain.passwords import UNUSABLE
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Language,
    OfficerRole,
    OutboxNotification,
    Region,
    StaffLink,
    StaffLinkPurpose,
    StaffRecoveryCode,
    StaffSession,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.services import staff_accounts, staff_auth, staff_links
from portal.services.staff_accounts import Admin, Refusal, Refused
from tests.support.delivery import deliver
from tests.support.factories import (
    OFFICER_PASSWORD,
    OfficerFactory,
    RegionFactory,
    StaffLinkFactory,
    StaffRecoveryCodeFactory,
)
from tests.support.queries import queries, statements
from tests.support.staff_state import (
    app_code,
    officer_with_app,
    part_way_signed_in,
    password_step,
    post_form,
    sign_in_through_the_pages,
    signed_in_officer,
)

pytestmark = pytest.mark.database

NOT_RIGHT = "The email address or password is not right. Check them and try again."
NEW_PASSWORD = "purple tractor singing loudly"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def h1(response) -> str:
    return soup(response).find("h1").get_text(" ", strip=True)


def errors(response) -> list[str]:
    return [
        item.get_text(" ", strip=True)
        for item in soup(response).select(".govuk-error-summary__list li")
    ]


def make_link(
    app, token: str = "a-test-link", officer_id: int | None = None, **kwargs
) -> tuple[int, int, str]:
    """A link emailed to an officer (a new one with no app, unless given): its id, the
    officer's id and its path."""
    with app.app_context():
        officer = db.session.get(VictimLiaisonOfficer, officer_id) if officer_id else None
        link = StaffLinkFactory(token=token, officer=officer or OfficerFactory(), **kwargs)
        db.session.commit()
        return link.id, link.officer_id, f"/staff/link/{token}"


def region_id(app, name: str = "Wales") -> int:
    with app.app_context():
        return db.session.scalar(select(Region.id).filter_by(name_en=name))


def invite(client, region, **answers):
    data = {
        "full_name": "Gwen Morgan",
        "email": "Gwen.Morgan@Example.gov.uk",
        "role": "vlo",
        "region": str(region),
        "speaks_welsh": "yes",
        "language": "en",
        **answers,
    }
    return post_form(client, "/staff/accounts/invite", data)


def emailed_links(app, app_db, recipient: str) -> list[tuple[str, object]]:
    """(path of the link, what was sent) for every email the worker sends to `recipient`."""
    sent = [outgoing for outgoing in deliver(app, app_db) if outgoing.recipient == recipient]
    found = []
    for outgoing in sent:
        match = re.search(r"https?://[^/\s]+(/staff/link/[A-Za-z0-9_-]+)", outgoing.rendered.body)
        assert match, outgoing.rendered.body
        found.append((match.group(1), outgoing))
    return found


def audit(app_db, action: str) -> list[AuditEvent]:
    return app_db.scalars(select(AuditEvent).filter_by(action=action)).all()


def officer(app_db, officer_id: int) -> VictimLiaisonOfficer:
    app_db.expire_all()
    return app_db.get(VictimLiaisonOfficer, officer_id)


@pytest.fixture
def admin(client) -> int:
    return signed_in_officer(client, role=OfficerRole.ADMIN)


# --- inviting, and accepting an invitation --------------------------------------------------


def test_an_invitation_leads_to_a_password_an_app_and_recovery_codes(app, client, app_db, admin):
    wales = region_id(app)
    response = invite(client, wales)
    assert response.status_code == 303
    invited = app_db.scalars(
        select(VictimLiaisonOfficer).filter_by(email="gwen.morgan@example.gov.uk")
    ).one()  # kept in lower case
    assert response.headers["Location"] == f"/staff/accounts/{invited.id}"
    assert invited.password_hash == UNUSABLE and invited.totp_confirmed_at is None
    assert (invited.role, invited.region_id, invited.speaks_welsh) == (OfficerRole.VLO, wales, True)
    page = client.get(response.headers["Location"])
    assert "Invitation sent to Gwen Morgan" in soup(page).select_one("#account-done").get_text()
    [event] = audit(app_db, "staff.invited")
    assert event.actor_id == admin
    assert event.detail == {"officer": invited.id, "role": "vlo", "region": wales}

    [(path, email)] = emailed_links(app, app_db, "gwen.morgan@example.gov.uk")
    assert email.rendered.subject == "Your account for the Victim Contact Scheme staff console"
    assert "72 hours" in email.rendered.body
    token = path.rsplit("/", 1)[1]
    [link] = app_db.scalars(select(StaffLink).filter_by(officer_id=invited.id)).all()
    assert link.purpose == StaffLinkPurpose.INVITATION and token not in link.token_hash
    assert link.expires_at - link.created_at == staff_links.LINK_LIFETIME
    sent = app_db.scalars(select(OutboxNotification).filter_by(template_key="staff_invitation"))
    assert "link" not in sent.one().personalisation  # forgotten once sent
    assert token not in json.dumps([e.detail for e in app_db.scalars(select(AuditEvent))])

    invitee = app.test_client()
    choose = invitee.get(path)
    assert h1(choose) == "Choose a password for your account"
    assert choose.status_code == 200
    assert soup(choose).select_one("input[type=password][autocomplete=new-password]")
    assert soup(choose).select_one("[data-module=govuk-password-input]")  # "Show password"
    too_short = post_form(invitee, path, {"password": "short"})
    assert errors(too_short) == ["Password must be 12 characters or more"]
    response = post_form(invitee, path, {"password": NEW_PASSWORD})
    assert response.headers["Location"] == "/staff/sign-in/set-up-app"

    set_up = soup(invitee.get("/staff/sign-in/set-up-app"))
    assert set_up.find("h1").get_text(strip=True) == "Set up your authenticator app"
    assert set_up.select_one("svg.app-qr-code")
    secret = set_up.select_one("#secret-key").get_text().replace(" ", "")
    response = post_form(invitee, "/staff/sign-in/set-up-app", {"code": pyotp.TOTP(secret).now()})
    codes = [li.get_text(strip=True) for li in soup(response).select("#recovery-codes li")]
    assert len(codes) == staff_auth.RECOVERY_CODES
    assert h1(invitee.get("/staff")) == "What needs you first"
    invited = officer(app_db, invited.id)
    assert invited.totp_confirmed_at is not None and invited.last_signed_in_at is not None
    assert staff_accounts.status(invited) == staff_accounts.Status.ACTIVE

    assert invitee.get(path).status_code == 404  # the link worked once
    assert h1(invitee.get(path)) == "This link does not work"
    assert audit(app_db, "staff.password_chosen")[0].detail["officer"] == invited.id
    [event] = [e for e in audit(app_db, "staff signed in") if e.actor_id == invited.id]
    password_step(app.test_client(), "gwen.morgan@example.gov.uk", NEW_PASSWORD)


def test_the_invitation_is_in_the_language_the_administrator_chose(app, client, app_db, admin):
    invite(client, region_id(app), email="ffion@example.gov.uk", language="cy")
    [(_path, email)] = emailed_links(app, app_db, "ffion@example.gov.uk")
    subject = "Eich cyfrif ar gyfer consol staff Cynllun Cyswllt â Dioddefwyr"
    assert email.rendered.subject == subject
    assert "72 awr" in email.rendered.body


def test_english_is_chosen_for_the_emails_unless_the_administrator_says(app, client, admin):
    page = soup(client.get("/staff/accounts/invite"))
    assert page.select_one("input[name=language][value=en]").has_attr("checked")
    assert not page.select_one("input[name=language][value=cy]").has_attr("checked")


def test_an_email_address_has_one_account_whatever_its_case(app, client, app_db, admin):
    with app.app_context():
        OfficerFactory(email="taken@example.gov.uk")
        db.session.commit()
    response = invite(client, region_id(app), email=" Taken@EXAMPLE.gov.uk ")
    assert response.status_code == 200
    assert h1(response) == "Invite a member of staff"
    assert soup(response).title.get_text().startswith("Error: ")
    assert errors(response) == ["There is already an account with this email address"]
    assert not audit(app_db, "staff.invited")


def test_the_invitation_form_says_what_is_wrong(app, client, app_db, admin):
    response = post_form(client, "/staff/accounts/invite", {"email": "not an address"})
    assert errors(response) == [
        "Enter their full name",
        "Enter an email address in the correct format, like name@example.com",
        "Select their role",
        "Select their region",
        "Select whether they speak Welsh",
        "Select the language of their emails",
    ]
    forged = invite(client, 99999, role="superuser")
    assert errors(forged) == ["Select their role", "Select their region"]
    assert not app_db.scalars(select(VictimLiaisonOfficer).filter_by(full_name="Gwen Morgan")).all()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a" * 11, "Password must be 12 characters or more"),
        ("ab" * 129, "Password must be 256 characters or fewer"),
        (
            "password1234",
            "This password is too easy to guess. Choose a longer one, such as three random words",
        ),
        ("newperson-rides-again", "Password must not include your email address"),
        ("", "Enter a password"),
    ],
)
def test_a_new_password_follows_the_ncsc_rules(app, client, app_db, password, message):
    with app.app_context():
        newcomer = OfficerFactory(email="newperson@example.gov.uk")
        db.session.commit()
        newcomer_id = newcomer.id
    link_id, _id, path = make_link(app, officer_id=newcomer_id)
    response = post_form(client, path, {"password": password})
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: ")
    assert errors(response) == [message]
    assert app_db.get(StaffLink, link_id).used_at is None


def test_opening_a_link_uses_nothing(app, client, app_db):
    """A mail scanner may open the link: only the page's form uses it."""
    link_id, _id, path = make_link(app)
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert app_db.get(StaffLink, link_id).used_at is None


def test_a_link_works_once_even_from_two_browsers(app, app_db):
    _link_id, _officer_id, path = make_link(app)
    first, second = app.test_client(), app.test_client()
    pages = [soup(browser.get(path)) for browser in (first, second)]
    tokens = [page.find("input", attrs={"name": "csrf_token"})["value"] for page in pages]
    answers = [
        browser.post(path, data={"password": NEW_PASSWORD, "csrf_token": token})
        for browser, token in zip((first, second), tokens, strict=True)
    ]
    assert answers[0].headers["Location"] == "/staff/sign-in/set-up-app"
    assert answers[1].status_code == 404 and h1(answers[1]) == "This link does not work"
    assert "QR code" in first.get("/staff/sign-in/set-up-app").get_data(as_text=True)
    assert h1(second.get("/staff/sign-in/set-up-app")) != "Set up your authenticator app"
    assert len(audit(app_db, "staff.password_chosen")) == 1


def test_two_uses_of_one_link_at_the_same_moment_use_it_once(app, app_db):
    """The conditional UPDATE: the second use, of a link already found, fails."""
    link_id, _id, _path = make_link(app)
    with app.app_context():
        link = db.session.get(StaffLink, link_id)
        assert staff_links.use(db.session, link)
        assert not staff_links.use(db.session, link)
        db.session.rollback()


def test_an_expired_link_shows_a_kind_page(app, client, app_db):
    link_id, _id, path = make_link(app)
    link = app_db.get(StaffLink, link_id)
    link.expires_at = utcnow() - timedelta(seconds=1)
    app_db.commit()
    for response in (client.get(path), post_form(client, path, {"password": NEW_PASSWORD}, "/")):
        assert response.status_code == 404
        assert h1(response) == "This link does not work"
        assert "ask an administrator" in soup(response).get_text().lower()
    assert app_db.get(StaffLink, link_id).used_at is None


@pytest.mark.parametrize("token", ["forged-token", "x" * 500, "a-test-lin", "A-TEST-LINK"])
def test_a_forged_link_shows_the_same_kind_page(app, client, token):
    make_link(app)
    response = client.get(f"/staff/link/{token}")
    assert response.status_code == 404
    assert h1(response) == "This link does not work"


def test_a_deactivated_officers_link_does_not_work(app, client, app_db):
    _link, officer_id, path = make_link(app)
    app_db.get(VictimLiaisonOfficer, officer_id).is_active = False
    app_db.commit()
    assert client.get(path).status_code == 404


def test_an_invited_officer_cannot_sign_in_before_choosing_a_password(app, client, db_session):
    """No password yet: the same answer, after the same SQL, as an address nobody has."""
    with app.app_context():
        OfficerFactory(email="invited@example.gov.uk", password_hash=UNUSABLE)
        db.session.commit()
    runs = {}
    for name, address in (("invited", "invited@example.gov.uk"), ("nobody", "no@example.gov.uk")):
        browser = app.test_client()
        token = soup(browser.get("/staff/sign-in")).find("input", attrs={"name": "csrf_token"})
        with statements(app) as seen:
            response = browser.post(
                "/staff/sign-in",
                data={"email": address, "password": UNUSABLE * 12, "csrf_token": token["value"]},
            )
        runs[name] = (seen, errors(response))
    assert runs["invited"] == runs["nobody"]
    assert runs["invited"][1] == [NOT_RIGHT]


# --- setting up an app needs the password AND an emailed link -------------------------------


def test_setting_up_an_app_needs_a_link_as_well_as_the_password(app, client, app_db):
    """The old way (an officer with no app set one up after the password alone) is closed."""
    with app.app_context():
        newcomer = OfficerFactory()
        db.session.commit()
        officer_id, email = newcomer.id, newcomer.email
    assert password_step(client, email).headers["Location"] == "/staff/sign-in/set-up-app"
    refused = client.get("/staff/sign-in/set-up-app")
    assert h1(refused) == "You need a link from an administrator to set up your app"
    assert not soup(refused).select("#secret-key")
    assert officer(app_db, officer_id).totp_secret_sealed is None


@pytest.mark.parametrize(
    "grant",
    [
        "someone else's link",
        "a link not yet used",
        "a password link",
        "used too long ago",
        "no such link",
        "not a number",
    ],
)
def test_a_grant_for_anything_but_this_officers_used_link_is_refused(app, client, app_db, grant):
    """The cookie is signed; even so, the server checks the link the grant names."""
    officer_id = part_way_signed_in(client, with_app=False)
    with app.app_context():
        mine = db.session.get(VictimLiaisonOfficer, officer_id)
        used = utcnow()
        if grant == "someone else's link":
            link = StaffLinkFactory(used_at=used)
        elif grant == "a link not yet used":
            link = StaffLinkFactory(officer=mine)
        elif grant == "a password link":
            link = StaffLinkFactory(
                officer=mine, purpose=StaffLinkPurpose.NEW_PASSWORD, used_at=used
            )
        else:
            link = StaffLinkFactory(
                officer=mine, used_at=used - staff_links.SET_UP_WINDOW - timedelta(seconds=1)
            )
        db.session.commit()
        link_id = {"no such link": link.id + 1000, "not a number": str(link.id)}.get(grant, link.id)
    with client.session_transaction() as cookie:
        cookie["staff_set_up_grant"] = {"officer": officer_id, "link": link_id}
    response = client.get("/staff/sign-in/set-up-app")
    assert h1(response) == "You need a link from an administrator to set up your app"
    assert officer(app_db, officer_id).totp_secret_sealed is None


def test_a_grant_outlives_the_ten_minutes_after_the_password(app, client, app_db):
    """Scanning takes a while: signing in again with the password, within the hour, goes on
    to the set-up the link allowed."""
    _link, officer_id, path = make_link(app)
    post_form(client, path, {"password": NEW_PASSWORD})
    with client.session_transaction() as cookie:
        pending = dict(cookie["staff_sign_in_pending"])
        pending["at"] -= int(staff_auth.PENDING_LIFETIME.total_seconds()) + 1
        cookie["staff_sign_in_pending"] = pending
    assert client.get("/staff/sign-in/set-up-app").headers["Location"] == "/staff/sign-in"
    email = officer(app_db, officer_id).email
    assert password_step(client, email, NEW_PASSWORD).headers["Location"].endswith("set-up-app")
    assert h1(client.get("/staff/sign-in/set-up-app")) == "Set up your authenticator app"


# --- resetting the second factor -------------------------------------------------------------


def test_resetting_the_app_ends_sessions_and_needs_the_link_and_the_password(
    app, client, app_db, admin
):
    lost = app.test_client()
    lost_id = signed_in_officer(lost, full_name="Owain Lost")
    with app.app_context():
        StaffRecoveryCodeFactory(officer=db.session.get(VictimLiaisonOfficer, lost_id))
        db.session.commit()
    assert lost.get("/staff").status_code == 200
    confirm = client.get(f"/staff/accounts/{lost_id}/reset-app")
    assert h1(confirm) == "Reset their authenticator app"
    response = post_form(client, f"/staff/accounts/{lost_id}/reset-app", {})
    assert response.headers["Location"] == f"/staff/accounts/{lost_id}"
    banner = soup(client.get(response.headers["Location"])).select_one("#account-done")
    assert "The authenticator app of Owain Lost has been reset" in banner.get_text()

    assert lost.get("/staff").headers["Location"] == "/staff/sign-in"  # signed out everywhere
    reset = officer(app_db, lost_id)
    assert reset.totp_secret_sealed is None and reset.totp_confirmed_at is None
    assert not app_db.scalars(select(StaffRecoveryCode).filter_by(officer_id=lost_id)).all()
    [event] = audit(app_db, "staff.second_factor_reset")
    assert event.actor_id == admin and event.detail == {"officer": lost_id, "sessions_ended": 1}

    [(path, email)] = emailed_links(app, app_db, reset.email)
    assert email.rendered.subject == "Set up your authenticator app again"
    page = lost.get(path)
    assert h1(page) == "Set up your authenticator app again"
    wrong = post_form(lost, path, {"password": "not the password at all"})
    assert errors(wrong) == ["The password is not right. Check it and try again."]
    assert app_db.scalars(select(StaffLink).filter_by(officer_id=lost_id)).one().used_at is None
    response = post_form(lost, path, {"password": OFFICER_PASSWORD})
    assert response.headers["Location"] == "/staff/sign-in/set-up-app"
    secret = soup(lost.get("/staff/sign-in/set-up-app")).select_one("#secret-key").get_text()
    code = pyotp.TOTP(secret.replace(" ", "")).now()
    response = post_form(lost, "/staff/sign-in/set-up-app", {"code": code})
    assert len(soup(response).select("#recovery-codes li")) == staff_auth.RECOVERY_CODES
    assert lost.get("/staff").status_code == 200
    assert lost.get(path).status_code == 404


def test_after_a_reset_the_password_alone_sets_up_nothing(app, client, app_db, admin):
    lost_id, email = officer_with_app(app)
    post_form(client, f"/staff/accounts/{lost_id}/reset-app", {})
    intruder = app.test_client()
    assert password_step(intruder, email).headers["Location"] == "/staff/sign-in/set-up-app"
    assert h1(intruder.get("/staff/sign-in/set-up-app")) == (
        "You need a link from an administrator to set up your app"
    )
    assert officer(app_db, lost_id).totp_secret_sealed is None


def test_a_new_reset_replaces_the_last_link(app, client, app_db, admin):
    lost_id, email = officer_with_app(app)
    post_form(client, f"/staff/accounts/{lost_id}/reset-app", {})
    [(old, _email)] = emailed_links(app, app_db, email)
    post_form(client, f"/staff/accounts/{lost_id}/reset-app", {})
    [(new, _email)] = emailed_links(app, app_db, email)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


# --- resetting a password ------------------------------------------------------------------


def test_resetting_a_password_sends_a_link_and_the_app_is_still_needed(app, client, app_db, admin):
    forgetful = app.test_client()
    forgetful_id = signed_in_officer(forgetful)
    email = officer(app_db, forgetful_id).email
    response = post_form(client, f"/staff/accounts/{forgetful_id}/reset-password", {})
    assert response.headers["Location"] == f"/staff/accounts/{forgetful_id}"
    assert forgetful.get("/staff").headers["Location"] == "/staff/sign-in"
    assert errors(password_step(app.test_client(), email)) == [NOT_RIGHT]  # the old one is gone
    [event] = audit(app_db, "staff.password_reset")
    assert event.detail == {"officer": forgetful_id, "sessions_ended": 1}

    [(path, message)] = emailed_links(app, app_db, email)
    assert message.rendered.subject == "Choose a new password"
    assert h1(forgetful.get(path)) == "Choose a new password"
    response = post_form(forgetful, path, {"password": NEW_PASSWORD})
    assert response.headers["Location"] == "/staff/sign-in/security-code"
    response = post_form(forgetful, "/staff/sign-in/security-code", {"code": app_code()})
    assert response.headers["Location"] == "/staff"
    assert forgetful.get(path).status_code == 404
    fresh = app.test_client()
    post_form(fresh, "/staff/sign-out", {}, "/staff/sign-in")
    assert password_step(fresh, email, NEW_PASSWORD).headers["Location"].endswith("security-code")


# --- deactivating and reactivating ---------------------------------------------------------


def test_deactivating_ends_every_session_and_sign_in_is_refused_the_same_way(
    app, client, app_db, admin
):
    leaver_id, email = officer_with_app(app, full_name="Dewi Leaver")
    phone, desk = app.test_client(), app.test_client()
    sign_in_through_the_pages(phone, email)
    with app.app_context():  # and signed in at a desk too
        token = staff_auth.start_session(
            db.session, leaver_id, "password+totp", secret_key=app.config["SECRET_KEY"]
        )
        db.session.commit()
    with desk.session_transaction() as cookie:
        cookie.update({"audience": "staff", "officer_id": leaver_id, "staff_session": token})
    assert phone.get("/staff").status_code == desk.get("/staff").status_code == 200
    link_id, _id, _path = make_link(
        app, "leavers-link", officer_id=leaver_id, purpose=StaffLinkPurpose.NEW_PASSWORD
    )

    confirm = client.get(f"/staff/accounts/{leaver_id}/deactivate")
    assert h1(confirm) == "Deactivate their account"
    assert soup(confirm).select_one("button.govuk-button--warning")
    assert officer(app_db, leaver_id).is_active  # a GET changes nothing
    response = post_form(client, f"/staff/accounts/{leaver_id}/deactivate", {})
    assert response.headers["Location"] == f"/staff/accounts/{leaver_id}"
    page = soup(client.get(f"/staff/accounts/{leaver_id}"))
    assert "has been deactivated" in page.select_one("#account-done").get_text()
    assert "Reactivate their account" in page.select_one("#account-actions").get_text()

    assert phone.get("/staff").headers["Location"] == "/staff/sign-in"
    assert desk.get("/staff").headers["Location"] == "/staff/sign-in"
    sessions = app_db.scalars(select(StaffSession).filter_by(officer_id=leaver_id)).all()
    assert len(sessions) == 2 and all(record.ended_at for record in sessions)
    assert errors(password_step(app.test_client(), email)) == [NOT_RIGHT]
    assert client.get("/staff/link/leavers-link").status_code == 404
    assert app_db.get(StaffLink, link_id).expires_at <= utcnow()
    [event] = audit(app_db, "staff.deactivated")
    assert event.actor_id == admin and event.detail == {"officer": leaver_id, "sessions_ended": 2}
    assert "Dewi" not in json.dumps(event.detail) and email not in json.dumps(event.detail)

    post_form(client, f"/staff/accounts/{leaver_id}/reactivate", {})
    assert officer(app_db, leaver_id).is_active
    assert audit(app_db, "staff.reactivated")[0].detail == {"officer": leaver_id}
    back = password_step(app.test_client(), email)
    assert back.headers["Location"] == "/staff/sign-in/security-code"


def test_an_administrator_cannot_deactivate_themself(app, client, app_db, admin):
    page = client.get(f"/staff/accounts/{admin}/deactivate")
    assert "You cannot do this to your own account" in soup(page).select_one("#refusal").get_text()
    assert not soup(page).select("main form button")
    response = post_form(client, f"/staff/accounts/{admin}/deactivate", {}, "/staff/accounts")
    assert response.status_code == 200
    assert officer(app_db, admin).is_active
    assert client.get("/staff").status_code == 200
    actions = soup(client.get(f"/staff/accounts/{admin}")).select_one("#account-actions")
    assert actions is None or "Deactivate" not in actions.get_text()
    assert not audit(app_db, "staff.deactivated")


def test_the_last_active_administrator_cannot_be_taken_away(app, db_session):
    """Counted under a lock: an administrator deactivated a moment ago (their request still
    running) cannot take away the only other one."""
    with app.app_context():
        for other in db.session.scalars(
            select(VictimLiaisonOfficer).filter_by(role=OfficerRole.ADMIN)
        ):
            other.is_active = False
        last = OfficerFactory(role=OfficerRole.ADMIN, with_app=True)
        gone = OfficerFactory(role=OfficerRole.ADMIN, with_app=True, is_active=False)
        db.session.flush()
        with pytest.raises(Refused) as refused:
            staff_accounts.deactivate(db.session, Admin(gone), last)
        assert refused.value.reason == Refusal.LAST_ADMIN
        with pytest.raises(Refused) as refused:
            staff_accounts.change(
                db.session,
                Admin(gone),
                last,
                role=OfficerRole.MANAGER,
                region_id=last.region_id,
                speaks_welsh=False,
                language=Language.ENGLISH,
            )
        assert refused.value.reason == Refusal.LAST_ADMIN
        assert last.is_active and last.role == OfficerRole.ADMIN
        db.session.rollback()


# --- changing role and region ------------------------------------------------------------------


def test_changing_role_and_region(app, client, app_db, admin):
    mover_id, _email = officer_with_app(app)
    london = region_id(app, "London")
    page = soup(client.get(f"/staff/accounts/{mover_id}/change"))
    assert page.select_one("input[name=role][value=vlo]").has_attr("checked")
    response = post_form(
        client,
        f"/staff/accounts/{mover_id}/change",
        {"role": "manager", "region": str(london), "speaks_welsh": "no", "language": "cy"},
    )
    assert response.headers["Location"] == f"/staff/accounts/{mover_id}"
    moved = officer(app_db, mover_id)
    assert (moved.role, moved.region_id, moved.language) == (
        OfficerRole.MANAGER,
        london,
        Language.WELSH,
    )
    [event] = audit(app_db, "staff.changed")
    assert event.detail["officer"] == mover_id
    assert event.detail["changed"]["role"] == {"from": "vlo", "to": "manager"}
    assert event.detail["changed"]["region"]["to"] == london
    assert set(event.detail["changed"]) == {"role", "region", "language"}


def test_an_administrator_cannot_change_their_own_role(app, client, app_db, admin):
    me = officer(app_db, admin)
    response = post_form(
        client,
        f"/staff/accounts/{admin}/change",
        {"role": "vlo", "region": str(me.region_id), "speaks_welsh": "no", "language": "en"},
    )
    assert response.status_code == 200
    assert errors(response) == [
        "You cannot do this to your own account. Ask another administrator to do it."
    ]
    assert officer(app_db, admin).role == OfficerRole.ADMIN


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_every_account_and_filters_by_region(app, client, app_db, admin):
    with app.app_context():
        region = RegionFactory(name_en="Test Shire")
        OfficerFactory(region=region, full_name="Active Anwen", with_app=True, speaks_welsh=True)
        OfficerFactory(region=region, full_name="Invited Iolo", password_hash=UNUSABLE)
        OfficerFactory(region=region, full_name="Gone Gareth", with_app=True, is_active=False)
        db.session.commit()
        code = region.code
    page = soup(client.get(f"/staff/accounts?region={code}"))
    assert page.find("h1").get_text(strip=True) == "Staff accounts"
    rows = {
        row.find("th").get_text(strip=True): [td.get_text(" ", strip=True) for td in row("td")]
        for row in page.select("#accounts tbody tr")
    }
    assert list(rows) == ["Active Anwen", "Invited Iolo", "Gone Gareth"]  # active first
    anwen = rows["Active Anwen"]
    assert anwen[1:] == [
        "Victim Liaison Officer",
        "Test Shire",
        "Yes",
        "Set up",
        "Active",
        "Not yet",
    ]
    assert rows["Invited Iolo"][4:6] == ["Not set up", "Invited"]
    assert rows["Gone Gareth"][5] == "Deactivated"
    assert page.select_one("#accounts-count").get_text(strip=True) == "3 accounts"
    assert page.select_one("select#region option[selected]")["value"] == code
    everyone = soup(client.get("/staff/accounts"))
    assert len(everyone.select("#accounts tbody tr")) > 3
    unknown = soup(client.get("/staff/accounts?region=nowhere"))
    assert len(unknown.select("#accounts tbody tr")) == len(everyone.select("#accounts tbody tr"))


def test_the_staff_accounts_navigation_item_is_for_administrators(app, client, admin):
    navigation = soup(client.get("/staff")).select(".govuk-service-navigation__item a")
    assert "Staff accounts" in [link.get_text(strip=True) for link in navigation]
    page = soup(client.get(f"/staff/accounts/{admin}"))
    active = page.select_one(".govuk-service-navigation__item--active")
    assert active.get_text(strip=True) == "Staff accounts"
    manager = app.test_client()
    signed_in_officer(manager, role=OfficerRole.MANAGER)
    navigation = soup(manager.get("/staff")).select(".govuk-service-navigation__item a")
    assert "Staff accounts" not in [link.get_text(strip=True) for link in navigation]


@pytest.mark.parametrize("role", [OfficerRole.VLO, OfficerRole.MANAGER])
def test_only_administrators_open_the_accounts_pages(app, client, app_db, role):
    me = signed_in_officer(client, role=role)
    other, _email = officer_with_app(app)
    for url in (
        "/staff/accounts",
        "/staff/accounts/invite",
        f"/staff/accounts/{other}",
        f"/staff/accounts/{other}/change",
        f"/staff/accounts/{other}/deactivate",
        f"/staff/accounts/{me}/reset-app",
    ):
        assert client.get(url).status_code == 403, url
    response = post_form(client, f"/staff/accounts/{other}/deactivate", {}, "/staff")
    assert response.status_code == 403
    assert officer(app_db, other).is_active
    refused = audit(app_db, "POST staff.accounts_deactivate")
    assert refused and refused[-1].detail == {"status": 403, "allowed": True, "officer_id": other}


def test_an_unknown_account_is_not_found(app, client, admin):
    assert client.get("/staff/accounts/999999").status_code == 404
    assert client.get("/staff/accounts/999999/deactivate").status_code == 404
    assert client.get(f"/staff/accounts/{10**30}").status_code == 404  # beyond any integer


def test_the_list_costs_the_same_queries_however_many_accounts(app, client, admin):
    def count() -> int:
        return queries(app, lambda: client.get("/staff/accounts"))

    before = count()
    with app.app_context():
        region = RegionFactory()
        for _ in range(25):
            OfficerFactory(region=region, with_app=True)
        db.session.commit()
    assert count() == before


def test_a_get_writes_nothing_but_the_audit(app, client, app_db, admin):
    other, _email = officer_with_app(app)
    pages = ("/staff/accounts", f"/staff/accounts/{other}", f"/staff/accounts/{other}/reset-app")
    for url in pages:
        with statements(app) as seen:
            assert client.get(url).status_code == 200
        writes = [s for s in seen if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        assert all("audit_events" in s or "staff_sessions" in s for s in writes), writes


# --- the timeout warning's keep-alive -----------------------------------------------------------


def page_csrf(client) -> str:
    """The CSRF token a page gives its scripts (the timeout warning sends it)."""
    html = client.get("/staff").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_staying_signed_in_extends_the_session_and_is_audited(app, client, app_db):
    officer_id = signed_in_officer(client)
    csrf = page_csrf(client)
    record = app_db.scalars(select(StaffSession).filter_by(officer_id=officer_id)).one()
    record.last_seen_at -= timedelta(minutes=28)
    app_db.commit()
    response = client.post("/staff/session/extend", headers={"X-CSRFToken": csrf})
    assert response.status_code == 204 and response.get_data() == b""
    app_db.expire_all()
    record = app_db.scalars(select(StaffSession).filter_by(officer_id=officer_id)).one()
    assert utcnow() - record.last_seen_at < timedelta(seconds=30)
    [event] = audit(app_db, "POST staff.extend_session")
    assert event.actor_id == officer_id and event.detail == {"status": 204, "allowed": True}
    assert client.get("/staff").status_code == 200  # 28 minutes later, still signed in


def test_staying_signed_in_needs_the_form_token_and_a_live_session(app, client, app_db):
    officer_id = signed_in_officer(client)
    assert client.post("/staff/session/extend").status_code == 400  # no CSRF token
    csrf = page_csrf(client)
    record = app_db.scalars(select(StaffSession).filter_by(officer_id=officer_id)).one()
    record.last_seen_at -= staff_auth.IDLE_LIMIT
    app_db.commit()
    response = client.post("/staff/session/extend", headers={"X-CSRFToken": csrf})
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/sign-in"
    signed_out = app.test_client()
    response = signed_out.post("/staff/session/extend", headers={"X-CSRFToken": csrf})
    assert response.status_code in (303, 400)


def test_when_the_warning_runs_out_the_officer_is_signed_out_and_told_why(app, client, app_db):
    officer_id = signed_in_officer(client)
    page = soup(client.get("/staff"))
    form = page.select_one("#timeout-warning form[data-timeout-expired]")
    data = {i["name"]: i["value"] for i in form.select("input")}
    assert data["reason"] == "timeout" and form["action"] == "/staff/sign-out"
    response = client.post(form["action"], data=data)
    assert response.headers["Location"] == "/staff/sign-in"
    message = soup(client.get("/staff/sign-in")).select_one(".govuk-notification-banner")
    assert "You were signed out to keep victims' information safe" in message.get_text()
    assert client.get("/staff").headers["Location"] == "/staff/sign-in"
    [event] = [e for e in audit(app_db, "staff signed out") if e.actor_id == officer_id]
    assert event.detail["reason"] == "timeout"


def test_the_staff_layout_tells_the_script_the_limits(app, client, app_db, monkeypatch):
    signed_in_officer(client)
    dialog = soup(client.get("/staff")).select_one("dialog#timeout-warning")
    assert dialog["data-module"] == "app-timeout-warning"
    assert dialog["data-idle-seconds"] == "1800" and dialog["data-warning-seconds"] == "120"
    assert 1740 <= int(dialog["data-seconds-left"]) <= 1800
    assert dialog["data-keep-alive-url"] == "/staff/session/extend"
    assert dialog["aria-labelledby"] == "timeout-warning-title"
    minutes = {t["data-timeout-minutes"]: t.get_text(strip=True) for t in dialog("template")}
    assert minutes == {
        "1": "You will be signed out in 1 minute",
        "2": "You will be signed out in 2 minutes",
    }
    welsh = soup(client.get("/staff?lang=cy")).select_one("dialog#timeout-warning")
    welsh_minutes = [t.get_text(strip=True) for t in welsh("template")]
    assert welsh_minutes == [
        "Byddwch yn cael eich allgofnodi ymhen 1 munud",
        "Byddwch yn cael eich allgofnodi ymhen 2 funud",
    ]
    assert not soup(client.get("/staff/sign-out")).select("dialog")  # only on console pages
    assert not soup(app.test_client().get("/staff/sign-in")).select("dialog")
    monkeypatch.setitem(app.config, "STAFF_IDLE_MINUTES", 10)
    dialog = soup(client.get("/staff?lang=en")).select_one("dialog#timeout-warning")
    assert dialog["data-idle-seconds"] == "600"
    assert "after 10 minutes without activity" in dialog.get_text()


def test_the_idle_limit_comes_from_the_configuration(app, client, app_db, monkeypatch):
    officer_id = signed_in_officer(client)
    monkeypatch.setitem(app.config, "STAFF_IDLE_MINUTES", 10)
    record = app_db.scalars(select(StaffSession).filter_by(officer_id=officer_id)).one()
    record.last_seen_at -= timedelta(minutes=9)
    app_db.commit()
    assert client.get("/staff").status_code == 200
    record.last_seen_at -= timedelta(minutes=10)
    app_db.commit()
    assert client.get("/staff").headers["Location"] == "/staff/sign-in"


def test_a_password_hash_never_reaches_the_pages(app, client, app_db, admin):
    other, _email = officer_with_app(app)
    assert officer(app_db, other).password_hash.startswith("$argon2")
    for url in ("/staff/accounts", f"/staff/accounts/{other}"):
        assert "$argon2" not in client.get(url).get_data(as_text=True)


def test_emailed_links_count_towards_the_staff_sign_in_limit(app, client, monkeypatch):
    """Passwords typed on a link's page are attempts like the sign-in page's, per network."""
    monkeypatch.setitem(app.config, "STAFF_SIGN_IN_LIMIT", "3 per 15 minutes")
    _link, _id, path = make_link(app)
    token = soup(client.get(path)).find("input", attrs={"name": "csrf_token"})["value"]
    here = {"REMOTE_ADDR": "198.51.100.7"}
    statuses = [
        client.post(url, data={**data, "csrf_token": token}, environ_base=here).status_code
        for url, data in (
            ("/staff/sign-in", {"email": "a@example.gov.uk", "password": "wrong password"}),
            (path, {"password": "short"}),
            ("/staff/sign-in", {"email": "a@example.gov.uk", "password": "wrong password"}),
            (path, {"password": NEW_PASSWORD}),
        )
    ]
    assert statuses == [200, 200, 200, 429]
    elsewhere = {"REMOTE_ADDR": "198.51.100.8"}
    response = client.post(
        path, data={"password": NEW_PASSWORD, "csrf_token": token}, environ_base=elsewhere
    )
    assert response.status_code == 303  # the link still works, from another network


def test_two_administrators_removing_each_other_at_once_leave_one(app):
    """Committed for real, in two threads: each deactivates the other at the same moment.
    The count of administrators is taken under a lock, so one of them stays."""
    from tests.functional.test_parallel_limits import at_once, committed

    with committed(app):
        with app.app_context():
            others = db.session.scalars(
                select(VictimLiaisonOfficer).filter_by(role=OfficerRole.ADMIN, is_active=True)
            ).all()
            for other in others:
                other.is_active = False  # demo data's administrator, for this test only
            db.session.commit()
            put_back = [other.id for other in others]
        try:
            browsers = [app.test_client(), app.test_client()]
            ids = [signed_in_officer(browser, role=OfficerRole.ADMIN) for browser in browsers]
            tokens = [page_csrf(browser) for browser in browsers]

            def deactivate_the_other(n: int) -> int:
                return (
                    browsers[n]
                    .post(
                        f"/staff/accounts/{ids[1 - n]}/deactivate",
                        data={"csrf_token": tokens[n]},
                    )
                    .status_code
                )

            statuses = at_once(2, deactivate_the_other)
            with app.app_context():
                active = [
                    db.session.get(VictimLiaisonOfficer, officer_id).is_active for officer_id in ids
                ]
                deactivated = db.session.scalars(
                    select(AuditEvent).filter_by(action="staff.deactivated")
                ).all()
            assert active.count(True) == 1, (statuses, active)
            assert sorted(statuses) in (
                [303, 303],
                [303, 409],
            )  # the second: signed out, or refused
            assert len([e for e in deactivated if e.detail["officer"] in ids]) == 1
        finally:
            with app.app_context():
                db.session.execute(
                    StaffSession.__table__.delete().where(StaffSession.officer_id.in_(ids))
                )
                for officer_id in put_back:
                    db.session.get(VictimLiaisonOfficer, officer_id).is_active = True
                db.session.commit()
