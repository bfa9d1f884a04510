"""Victims with cases, built with the factories for the tests that sign in and look.

Three kinds of record, like the ones a signed-in victim meets (and like the
demo data, which the tests no longer name):

- `english_victim`: reads in English, signs in by email; a case in custody with
  an officer, a sentence and a letter on its timeline.
- `welsh_victim`: reads in Welsh, signs in by email or text; a case at a parole
  review with three events, the last known to the month only, and a message.
- `waiting_victim`: signs in by text; a registration still waiting for an
  officer (no region, no officer).

Each is written inside the test's transaction and returned as plain values,
which stay readable after the application context that built them has gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask import Flask

from portal.extensions import db
from portal.models import (
    CaseStatus,
    Channel,
    DatePrecision,
    Language,
    Sender,
    SentenceStage,
    TimelineEventKind,
    UpdatesWanted,
)
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    TimelineEventFactory,
    VictimFactory,
)

ENGLISH_EMAIL = "english.victim@example.com"
WELSH_EMAIL = "welsh.victim@example.com"
WELSH_MOBILE = "+447700900321"
#: The waiting victim's mobile number, as stored (E.164) and as a person types it.
WAITING_MOBILE = "+447700900789"
WAITING_MOBILE_TYPED = "07700 900789"

#: What the English victim's case page shows of its timeline.
ENGLISH_SENTENCE = "The offender was sentenced to 4 years in custody."
ENGLISH_LETTER = "Welcome letter sent, explaining the Victim Contact Scheme."


@dataclass(frozen=True)
class VictimWithCase:
    victim_id: int
    case_id: int
    reference: str
    offender_name: str
    #: The contact details the victim signs in with (None when not on file).
    email: str | None
    mobile: str | None
    officer_id: int | None
    officer_name: str | None


def _built(case, email: str | None, mobile: str | None) -> VictimWithCase:
    db.session.commit()
    return VictimWithCase(
        victim_id=case.victim.id,
        case_id=case.id,
        reference=case.reference,
        offender_name=case.offender_name,
        email=email,
        mobile=mobile,
        officer_id=case.officer.id if case.officer else None,
        officer_name=case.officer.full_name if case.officer else None,
    )


def english_victim(app: Flask, email: str = ENGLISH_EMAIL, **case) -> VictimWithCase:
    with app.app_context():
        victim = VictimFactory(language=Language.ENGLISH, relationship_to_victim="self")
        ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value=email)
        ContactPreferenceFactory(
            victim=victim, channel=Channel.LETTER, value="1 Test Road\nTest Town", is_safe=False
        )
        record = CaseFactory(
            assigned=True,
            victim=victim,
            offender_name="Offender Of The English Case",
            offence_type="sexual",
            stage=SentenceStage.CUSTODY,
            updates_wanted=UpdatesWanted.RELEASE_ONLY,
            **case,
        )
        for kind, on, summary in (
            (TimelineEventKind.STAGE, date(2024, 6, 20), ENGLISH_SENTENCE),
            (TimelineEventKind.LETTER, date(2024, 7, 8), ENGLISH_LETTER),
        ):
            TimelineEventFactory(
                case=record,
                kind=kind,
                stage=SentenceStage.SENTENCE if kind == TimelineEventKind.STAGE else None,
                occurred_on=on,
                summary=summary,
                recorded_by_id=record.officer.id,
            )
        MessageFactory(case=record, sender=Sender.VICTIM, body="What happens next?")
        return _built(record, email, None)


def welsh_victim(app: Flask) -> VictimWithCase:
    with app.app_context():
        victim = VictimFactory(language=Language.WELSH, relationship_to_victim="self")
        ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value=WELSH_EMAIL)
        ContactPreferenceFactory(
            victim=victim,
            channel=Channel.SMS,
            value=WELSH_MOBILE,
            safe_from=time(9, 0),
            safe_until=time(17, 0),
        )
        record = CaseFactory(
            assigned=True,
            officer=OfficerFactory(speaks_welsh=True),
            victim=victim,
            offender_name="Offender Of The Welsh Case",
            stage=SentenceStage.PAROLE,
        )
        for kind, stage, on, precision, summary in (
            (
                TimelineEventKind.STAGE,
                SentenceStage.SENTENCE,
                date(2022, 3, 14),
                DatePrecision.DAY,
                "Cafodd y troseddwr ddedfryd o chwe blynedd o garchar.",
            ),
            (
                TimelineEventKind.CALL,
                None,
                date(2022, 4, 2),
                DatePrecision.DAY,
                "Galwad gyntaf gyda’r Swyddog Cyswllt Dioddefwyr.",
            ),
            (
                TimelineEventKind.STAGE,
                SentenceStage.PAROLE,
                date(2026, 10, 1),
                DatePrecision.MONTH,
                "Mae adolygiad parôl wedi dechrau. Gallwch wneud Datganiad Personol Dioddefwr.",
            ),
        ):
            TimelineEventFactory(
                case=record,
                kind=kind,
                stage=stage,
                occurred_on=on,
                precision=precision,
                summary=summary,
                language=Language.WELSH,
                recorded_by_id=record.officer.id,
            )
        MessageFactory(
            case=record,
            sender=Sender.OFFICER,
            officer_id=record.officer.id,
            body="Helo, mae’r adolygiad parôl wedi dechrau.",
            language=Language.WELSH,
        )
        return _built(record, WELSH_EMAIL, WELSH_MOBILE)


def waiting_victim(app: Flask) -> VictimWithCase:
    with app.app_context():
        victim = VictimFactory(language=Language.ENGLISH, relationship_to_victim="bereaved-family")
        ContactPreferenceFactory(victim=victim, channel=Channel.SMS, value=WAITING_MOBILE)
        record = CaseFactory(
            victim=victim,
            status=CaseStatus.TRIAGE,
            offender_name="Offender Of The Waiting Case",
        )
        TimelineEventFactory(
            case=record,
            kind=TimelineEventKind.NOTE,
            stage=None,
            occurred_on=date(2026, 11, 2),
            summary="Registration received online. Waiting for a Victim Liaison Unit.",
        )
        return _built(record, None, WAITING_MOBILE)
