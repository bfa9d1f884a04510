"""A signed-in victim, put straight into the database and a test client's session.

For tests that need to reach an account page (the i18n guards) without
walking through sign-in; tests of sign-in itself go through the pages.
"""

from __future__ import annotations

from portal.account.sign_in_views import SIGNING_IN, TOKEN
from portal.extensions import db
from portal.models import NotificationChannel
from portal.services import sign_in

#: Demo victims (portal/demo.py): Welsh, with two timeline events and a parole review.
WELSH_DEMO_VICTIM = "carys.hughes@example.com"
ENGLISH_DEMO_VICTIM = "jordan.ellis@example.com"


def signed_in(client, contact: str = WELSH_DEMO_VICTIM) -> str:
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


def signing_in(client, email: str = ENGLISH_DEMO_VICTIM) -> None:
    """`client` has typed `email` and is asked for its code."""
    with client.session_transaction() as cookie:
        cookie[SIGNING_IN] = {"to": email, "way": "email"}
