"""Messages on cases, for the console's messages pages: written straight into the database.

`conversation` gives a case a whole conversation: a message the officer has answered,
their reply (read by the victim), a thank-you marked as needing no reply, and a message
still waiting (sent `waiting_days` working days ago), each in the victim's language.
`waiting_message` adds one message waiting for a reply, sent on a given day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import insert

from portal.demo_console import working_days_before
from portal.domain.contact_times import LONDON
from portal.extensions import db
from portal.models import Case, Language, Message, Sender, utcnow

#: What the victim wrote, in each language (their record: shown as data).
VICTIM_WORDS = {
    Language.WELSH: "Oes unrhyw newyddion am yr adolygiad parôl?",
    Language.ENGLISH: "Is there any news about the parole review?",
}
OFFICER_WORDS = {
    Language.WELSH: "Dim eto. Byddaf yn ysgrifennu cyn gynted ag y clywaf.",
    Language.ENGLISH: "Not yet. I will write as soon as I hear.",
}
THANKS = {Language.WELSH: "Diolch yn fawr.", Language.ENGLISH: "Thank you."}
WAITING_WORDS = {
    Language.WELSH: "A allaf ysgrifennu Datganiad Personol Dioddefwr?",
    Language.ENGLISH: "Can I write a Victim Personal Statement?",
}


@dataclass(frozen=True)
class Conversation:
    answered_id: int
    reply_id: int
    thanks_id: int
    waiting_id: int


def at_noon(day: date) -> datetime:
    """Midday in London on `day`, in UTC (a message's time as it is stored)."""
    return datetime.combine(day, time(12, 0), tzinfo=LONDON).astimezone(UTC)


def waiting_message(app: Flask, case_id: int, sent_on: date, body: str | None = None) -> int:
    """One of the victim's messages, waiting for a reply since `sent_on`; returns its id."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        message = Message(
            case_id=case_id,
            sender=Sender.VICTIM,
            body=body or WAITING_WORDS[case.victim.language],
            language=case.victim.language,
            submission_key=str(uuid.uuid4()),
            created_at=at_noon(sent_on),
        )
        db.session.add(message)
        db.session.commit()
        return message.id


def conversation(app: Flask, case_id: int, waiting_days: int = 3) -> Conversation:
    """A whole conversation on the case (see the module's docstring)."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        language = case.victim.language
        officer_id = case.officer_id
        start = at_noon(working_days_ago(waiting_days + 10))
        answered = Message(
            case_id=case_id, sender=Sender.VICTIM, body=VICTIM_WORDS[language],
            language=language, created_at=start,
            answered_at=start + timedelta(days=1), answered_by_id=officer_id,
        )  # fmt: skip
        reply = Message(
            case_id=case_id, sender=Sender.OFFICER, officer_id=officer_id,
            body=OFFICER_WORDS[language], language=language,
            created_at=start + timedelta(days=1), read_at=start + timedelta(days=2),
        )  # fmt: skip
        thanks = Message(
            case_id=case_id, sender=Sender.VICTIM, body=THANKS[language], language=language,
            created_at=start + timedelta(days=2), answered_at=start + timedelta(days=3),
            answered_by_id=officer_id, no_reply_needed=True,
        )  # fmt: skip
        db.session.add_all([answered, reply, thanks])
        db.session.commit()
        ids = (answered.id, reply.id, thanks.id)
    waiting = waiting_message(app, case_id, working_days_ago(waiting_days))
    return Conversation(*ids, waiting)


def today() -> date:
    """Today in London (a wait is counted in working days to it)."""
    return utcnow().astimezone(LONDON).date()


def working_days_ago(days: int) -> date:
    """The working day that has waited `days` working days by today."""
    return working_days_before(today(), days)


def bulk_messages(
    session, case_ids, per_case: int = 1, waiting: bool = True, answered_by: int | None = None
) -> None:
    """`per_case` of the victim's messages on each case, in bulk: one INSERT however many,
    for tests of how many queries a page sends. Waiting for a reply, or (`waiting=False`)
    answered by the officer `answered_by`, every other one marked as needing no reply."""
    rows = [
        {
            "case_id": case_id,
            "sender": Sender.VICTIM,
            "body": f"Bulk message {n} on case {case_id}.",
            "language": Language.ENGLISH,
            "submission_key": str(uuid.uuid4()),
            "created_at": at_noon(working_days_ago(n % 9)),
            "answered_at": None if waiting else utcnow(),
            "answered_by_id": None if waiting else answered_by,
            "no_reply_needed": not waiting and n % 2 == 0,
        }
        for case_id in case_ids
        for n in range(per_case)
    ]
    if rows:
        session.execute(insert(Message), rows)
