"""A victim signed in in a real browser without asking for a code.

For browser tests of the account's pages (not of signing in, which go through the pages:
tests/browser/test_sign_in.py). Every browser test asks from 127.0.0.1, where sign-in codes
are limited to SIGN_IN_CODE_LIMIT an hour, so tests that only need to be signed in start a
session on the server, as tests/support/victim_state.py does for the Flask client, and give
the browser the portal's own signed session cookie for it.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from playwright.sync_api import BrowserContext
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from portal.account.sign_in_views import TOKEN
from portal.config import TestingConfig
from portal.models import NotificationChannel
from portal.services import sign_in


def session_cookie(values: dict) -> str:
    """The live server's session cookie holding `values` (signed with the testing key)."""
    app = Flask("cookie")
    app.secret_key = TestingConfig.SECRET_KEY
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return serializer.dumps(values)


def sign_in_browser(context: BrowserContext, database: Engine, base_url: str, contact: str) -> None:
    """Sign the owner of `contact` (an email address, or a mobile number in E.164) in, in
    every page of `context`, on the live server whose database is `database`."""
    channel = NotificationChannel.SMS if contact.startswith("+") else NotificationChannel.EMAIL
    with Session(database) as session:
        token = sign_in.start_session(session, channel, contact)
        session.commit()
    context.add_cookies(
        [
            {
                "name": TestingConfig.SESSION_COOKIE_NAME,
                "value": session_cookie({"audience": "victim", TOKEN: token}),
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
