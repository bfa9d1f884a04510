"""Staff signing in: through the pages, or straight into a test client's session."""

from __future__ import annotations

import time

import pyotp
from bs4 import BeautifulSoup

from portal.extensions import db
from portal.models import Region, StaffLinkPurpose, utcnow
from portal.services import staff_auth
from portal.staff.sign_in_views import PENDING, SET_UP_GRANT, TOKEN
from tests.support.factories import (
    OFFICER_PASSWORD,
    TOTP_SECRET,
    OfficerFactory,
    StaffLinkFactory,
)
from tests.support.registration_steps import csrf


def officer_with_app(app, **kwargs):
    """An officer (factory) who has set up their authenticator app; returns (id, email).
    `region_id=` puts them in that region."""
    with app.app_context():
        if "region_id" in kwargs:
            kwargs["region"] = db.session.get(Region, kwargs.pop("region_id"))
        officer = OfficerFactory(with_app=True, **kwargs)
        db.session.commit()
        return officer.id, officer.email


def app_code(secret: str = TOTP_SECRET) -> str:
    return pyotp.TOTP(secret).now()


def post_form(client, url: str, data: dict, page_url: str | None = None):
    token = csrf(BeautifulSoup(client.get(page_url or url).get_data(as_text=True), "html.parser"))
    return client.post(url, data={**data, "csrf_token": token})


def password_step(client, email: str, password: str = OFFICER_PASSWORD):
    return post_form(client, "/staff/sign-in", {"email": email, "password": password})


def sign_in_through_the_pages(client, email: str) -> None:
    response = password_step(client, email)
    assert response.headers["Location"] == "/staff/sign-in/security-code"
    response = post_form(client, "/staff/sign-in/security-code", {"code": app_code()})
    assert response.headers["Location"] == "/staff"


def signed_in_officer(client, **kwargs) -> int:
    """An officer signed in on `client` without walking the pages; returns their id."""
    officer_id, _email = officer_with_app(client.application, **kwargs)
    with client.application.app_context():
        token = staff_auth.start_session(
            db.session,
            officer_id,
            "password+totp",
            secret_key=client.application.config["SECRET_KEY"],
        )
        db.session.commit()
    with client.session_transaction() as cookie:
        cookie["audience"] = "staff"
        cookie["officer_id"] = officer_id
        cookie[TOKEN] = token
    return officer_id


def part_way_signed_in(client, with_app: bool = True, with_link: bool = False) -> int:
    """An officer whose password was right, asked for their second factor (or, without
    an app, to set one up: `with_link` as if they came from an invitation link, which an
    app's set-up needs); returns their id."""
    with client.application.app_context():
        officer = OfficerFactory(with_app=with_app) if with_app else OfficerFactory()
        db.session.flush()
        link_id = None
        if with_link:
            link_id = StaffLinkFactory(
                officer=officer, purpose=StaffLinkPurpose.INVITATION, used_at=utcnow()
            ).id
        db.session.commit()
        officer_id = officer.id
    with client.session_transaction() as cookie:
        cookie[PENDING] = {"officer": officer_id, "at": int(time.time())}
        if link_id is not None:
            cookie[SET_UP_GRANT] = {"officer": officer_id, "link": link_id}
    return officer_id


def signed_in_as(client, officer_id: int) -> int:
    """An existing officer (bulk-made, say) signed in on `client`; returns their id."""
    with client.application.app_context():
        token = staff_auth.start_session(
            db.session,
            officer_id,
            "password+totp",
            secret_key=client.application.config["SECRET_KEY"],
        )
        db.session.commit()
    with client.session_transaction() as cookie:
        cookie["audience"] = "staff"
        cookie["officer_id"] = officer_id
        cookie[TOKEN] = token
    return officer_id
