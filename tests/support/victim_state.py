"""A signed-in victim, put straight into the database and a test client's session.

For tests that need to reach an account page (the i18n guards) without
walking through sign-in; tests of sign-in itself go through the pages. The
victim's records come first (tests/support/cases.py, or the factories).
"""

from __future__ import annotations

from portal.account.sign_in_views import SIGNING_IN, TOKEN
from portal.extensions import db
from portal.models import NotificationChannel
from portal.services import sign_in
from tests.support.cases import VictimWithCase, welsh_victim


def signed_in(client, contact: str) -> str:
    """Sign `client` in as the owner of `contact` (an email address, or a mobile
    number in E.164); returns the session token."""
    channel = NotificationChannel.SMS if contact.startswith("+") else NotificationChannel.EMAIL
    with client.application.app_context():
        token = sign_in.start_session(db.session, channel, contact)
        db.session.commit()
    with client.session_transaction() as cookie:
        cookie["audience"] = "victim"
        cookie[TOKEN] = token
    return token


def signing_in(client, email: str = "someone@example.com") -> None:
    """`client` has typed `email` and is asked for its code."""
    with client.session_transaction() as cookie:
        cookie[SIGNING_IN] = {"to": email, "way": "email"}


def signed_in_victim(client) -> VictimWithCase:
    """A Welsh victim with a case at a parole review (tests/support/cases.py), built
    for this test and signed in on `client` with their email address."""
    record = welsh_victim(client.application)
    signed_in(client, record.email)
    return record
