"""Victims in a real browser: their records, written to the live server's database, and a
signed-in session put straight into the browser's cookie.

Signing in through the pages is tested in tests/browser/test_sign_in.py; every code it
asks for counts against the network's limit (SIGN_IN_CODE_LIMIT, shared by every
browser test from 127.0.0.1). The messages tests start their sessions as
tests/support/victim_state.py does for the functional tests: `sign_in.start_session` on
the live database, and the cookie the portal would have set, signed with its key.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from flask import Flask
from playwright.sync_api import BrowserContext

from portal.account.sign_in_views import TOKEN
from portal.extensions import db
from portal.models import (
    Case,
    Language,
    NotificationChannel,
    Sender,
    SentenceStage,
    TimelineEventKind,
)
from portal.services import sign_in
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    TimelineEventFactory,
    VictimFactory,
)

_numbers = itertools.count(1)


@dataclass(frozen=True)
class BrowserVictim:
    email: str
    reference: str
    case_id: int
    officer_id: int
    officer_name: str


def new_victim(app: Flask, language: str) -> BrowserVictim:
    """A victim of their own (their own limits), reading in `language`, with a case in
    custody, a letter on its timeline and an unread reply from their officer."""
    number = next(_numbers)
    email = f"browser.messages.{number}.{language}@example.com"
    with app.app_context():
        victim = VictimFactory(language=Language(language), relationship_to_victim="self")
        ContactPreferenceFactory(victim=victim, value=email)
        case = CaseFactory(
            assigned=True,
            officer=OfficerFactory(speaks_welsh=language == "cy"),
            victim=victim,
            stage=SentenceStage.CUSTODY,
        )
        TimelineEventFactory(
            case=case,
            kind=TimelineEventKind.LETTER,
            stage=None,
            occurred_on=date(2025, 2, 3),
            summary="Llythyr croeso." if language == "cy" else "Welcome letter.",
            language=Language(language),
            recorded_by_id=case.officer.id,
        )
        MessageFactory(
            case=case,
            sender=Sender.OFFICER,
            officer_id=case.officer.id,
            body="Croeso i’r cynllun." if language == "cy" else "Welcome to the scheme.",
            language=Language(language),
        )
        db.session.commit()
        return BrowserVictim(
            email=email,
            reference=case.reference,
            case_id=case.id,
            officer_id=case.officer.id,
            officer_name=case.officer.full_name,
        )


def officer_replies(app: Flask, victim: BrowserVictim, body: str, language: str) -> int:
    """The officer's reply, written to the live database as the staff console would."""
    with app.app_context():
        message = MessageFactory(
            case=db.session.get(Case, victim.case_id),
            sender=Sender.OFFICER,
            officer_id=victim.officer_id,
            body=body,
            language=Language(language),
        )
        db.session.commit()
        return message.id


def sign_in_browser(app: Flask, context: BrowserContext, base_url: str, email: str) -> None:
    """A new signed-in session for `email`, in `context`'s cookie."""
    with app.app_context():
        token = sign_in.start_session(db.session, NotificationChannel.EMAIL, email)
        db.session.commit()
    serializer = app.session_interface.get_signing_serializer(app)
    context.add_cookies(
        [
            {
                "name": app.config["SESSION_COOKIE_NAME"],
                "value": serializer.dumps({"audience": "victim", TOKEN: token}),
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
