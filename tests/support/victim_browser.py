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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import Flask
from playwright.sync_api import BrowserContext

from portal import database
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


@contextmanager
def writing(app: Flask) -> Iterator[None]:
    """An application context whose transactions take SQLite's write lock first (BEGIN
    IMMEDIATE), as a request that writes does (portal/database.py): the live server writes
    at the same time (polls marking replies read, drafts), and a transaction that read
    first could not then write ("database is locked")."""
    token = database._WRITING.set(True)
    try:
        with app.app_context():
            yield
    finally:
        database._WRITING.reset(token)


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
    with writing(app):
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
    with writing(app):
        message = MessageFactory(
            case=db.session.get(Case, victim.case_id),
            sender=Sender.OFFICER,
            officer_id=victim.officer_id,
            body=body,
            language=Language(language),
        )
        db.session.commit()
        return message.id


def sign_in_browser(app: Flask, context: BrowserContext, base_url: str, contact: str) -> None:
    """A new signed-in session for `contact` (an email address, or a mobile number in
    E.164), in every page of `context`, on the live server whose app is `app`."""
    channel = NotificationChannel.SMS if contact.startswith("+") else NotificationChannel.EMAIL
    with writing(app):
        token = sign_in.start_session(db.session, channel, contact)
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


def written_earlier(app: Flask, victim: BrowserVictim, count: int) -> None:
    """`count` messages the victim sent in the last few minutes (to reach their limit)."""
    with writing(app):
        case = db.session.get(Case, victim.case_id)
        for _ in range(count):
            MessageFactory(case=case, sender=Sender.VICTIM)
        db.session.commit()


def another_case(app: Flask, victim: BrowserVictim, *, declined: bool = False) -> str:
    """A second record holding the victim's email address (a parent who registered two
    children with it), with a case: active, or declined last week in the Wales region.
    Returns its reference."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.models import CaseStatus, Region, utcnow

    with writing(app):
        record = VictimFactory(language=Language.WELSH)
        ContactPreferenceFactory(victim=record, value=victim.email)
        if declined:
            case = CaseFactory(
                victim=record,
                status=CaseStatus.DECLINED,
                triaged_at=utcnow() - timedelta(days=7),
                region=db.session.scalar(select(Region).filter_by(code="wales")),
            )
        else:
            case = CaseFactory(assigned=True, victim=record)
        db.session.commit()
        return case.reference
