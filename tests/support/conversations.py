"""Victims with conversations, for the tests of their messages pages (and the i18n guard).

Each builder writes inside the test's transaction (tests/support/cases.py) and returns
plain values: the email address to sign in with, the case's reference, and the ids the
pages' addresses need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    ContactPreference,
    Language,
    Message,
    Sender,
    utcnow,
)
from tests.support.cases import english_victim, welsh_victim
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageDraftFactory,
    MessageFactory,
)
from tests.support.triage import declined_victim


@dataclass(frozen=True)
class WithConversation:
    email: str
    reference: str
    case_id: int
    victim_id: int
    #: The victim's own newest message (for `?sent=`), and the officer's reply.
    sent_id: int = 0
    reply_id: int = 0
    officer_name: str | None = None


def welsh_conversation(app: Flask, *, draft: str | None = None) -> WithConversation:
    """The Welsh victim (tests/support/cases.py: an officer's reply in Welsh, unread), who
    has also written, and perhaps left a draft."""
    made = welsh_victim(app)
    with app.app_context():
        mine = MessageFactory(
            case=db.session.get(Case, made.case_id),
            sender=Sender.VICTIM,
            body="Diolch. Pryd fydd y penderfyniad?",
            language=Language.WELSH,
            created_at=utcnow() - timedelta(minutes=5),
        )
        if draft:
            MessageDraftFactory(case=db.session.get(Case, made.case_id), body=draft)
        db.session.commit()
        reply_id = db.session.scalar(
            select(Message.id).where(
                Message.case_id == made.case_id, Message.sender == Sender.OFFICER
            )
        )
        return WithConversation(
            email=made.email,
            reference=made.reference,
            case_id=made.case_id,
            victim_id=made.victim_id,
            sent_id=mine.id,
            reply_id=reply_id,
            officer_name=made.officer_name,
        )


def english_conversation(app: Flask, email: str | None = None) -> WithConversation:
    """The English victim (tests/support/cases.py: they asked "What happens next?")."""
    made = english_victim(app, **({"email": email} if email else {}))
    return WithConversation(
        email=made.email,
        reference=made.reference,
        case_id=made.case_id,
        victim_id=made.victim_id,
        officer_name=made.officer_name,
    )


def declined_conversation(app: Flask) -> WithConversation:
    """A Welsh victim whose request to join was declined last week (tests/support/triage.py):
    they can read the case, and any answer, but not write."""
    made = declined_victim(app)
    with app.app_context():
        case = db.session.scalar(
            select(Case)
            .join(ContactPreference, ContactPreference.victim_id == Case.victim_id)
            .where(ContactPreference.value == made.email)
        )
        return WithConversation(
            email=made.email,
            reference=case.reference,
            case_id=case.id,
            victim_id=case.victim_id,
        )


def two_cases(app: Flask, email: str = "two.cases@example.com") -> list[WithConversation]:
    """One email address on two records (a parent who registered two children), each
    with a case and an unread reply on the second."""
    built = []
    with app.app_context():
        for number in (1, 2):
            case = CaseFactory(assigned=True, status=CaseStatus.ACTIVE)
            ContactPreferenceFactory(victim=case.victim, value=email)
            if number == 2:
                MessageFactory(
                    case=case,
                    sender=Sender.OFFICER,
                    officer_id=case.officer.id,
                    body="A reply on the second case.",
                )
            db.session.flush()
            built.append(
                WithConversation(
                    email=email,
                    reference=case.reference,
                    case_id=case.id,
                    victim_id=case.victim.id,
                    officer_name=case.officer.full_name,
                )
            )
        db.session.commit()
    return built
