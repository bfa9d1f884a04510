"""A case with one of everything, for the console's case pages (staff.case and its forms).

`full_case` builds, in a region of its own, a Welsh victim acting through a parent,
referred by the police, with every kind of contact detail (one marked not safe),
and a timeline with every kind of entry: a sentence event that notified the victim,
a call, a hidden letter from the victim, a meeting, a handover note, a triage
decision and an entry the service wrote. `closed_case` and `merged_case` are cases
nothing may be added to. The ids are fixed (the i18n guard's page list names them),
far above what the database's own sequences reach in a test.

Each is written inside the test's transaction and returned as plain values.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from flask import Flask

from portal.extensions import db
from portal.models import (
    Case,
    CaseSource,
    CaseStatus,
    Channel,
    ContactDirection,
    DatePrecision,
    Language,
    Region,
    SentenceStage,
    TimelineEventKind,
    UpdatesWanted,
)
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    OfficerFactory,
    OutboxNotificationFactory,
    RegionFactory,
    TimelineEventFactory,
    VictimFactory,
)

FULL_CASE_ID = 900001
CLOSED_CASE_ID = 900002
MERGED_CASE_ID = 900003
#: Entries of the full case, by what they show.
NOTIFIED_STAGE_ID = 900101
HIDDEN_LETTER_ID = 900102
HANDOVER_ID = 900103

VICTIM_NAME = "Siân Ffion Prydderch"
OFFENDER_NAME = "Offender Of The Full Case"
ENVELOPE_NAME = "Probation"
UNSAFE_EMAIL = "shared.family@example.com"
SAFE_EMAIL = "sian.full@example.com"
SAFE_MOBILE = "+447700900555"
INTERNAL_NOTE = "Staff only: the victim's brother must not learn of the parole date."
HANDOVER_NOTE = "Staff only: prefers calls after 6pm; has told her story twice already."
HIDDEN_SUMMARY = "Llythyr gan y dioddefwr am ei phryderon."
STAGE_SUMMARY = "Mae adolygiad parôl wedi dechrau."


@dataclass(frozen=True)
class FullCase:
    case_id: int
    region_id: int
    victim_id: int
    officer_id: int
    reference: str


def full_case(
    app: Flask,
    case_id: int = FULL_CASE_ID,
    region_id: int | None = None,
    status: CaseStatus = CaseStatus.ACTIVE,
    updates_wanted: UpdatesWanted = UpdatesWanted.EVERY_STAGE,
) -> FullCase:
    with app.app_context():
        region = db.session.get(Region, region_id) if region_id else RegionFactory()
        officer = OfficerFactory(region=region, speaks_welsh=True, full_name="Alys Swyddog")
        victim = VictimFactory(
            full_name=VICTIM_NAME,
            language=Language.WELSH,
            relationship_to_victim="parent: Mam",
            representative_name="Mererid Prydderch",
            date_of_birth=date(2009, 5, 17),
            accessibility_needs="Large print letters, please.",
            envelope_name_to_avoid=ENVELOPE_NAME,
        )
        ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value=UNSAFE_EMAIL,
                                 is_safe=False)  # fmt: skip
        ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value=SAFE_EMAIL)
        ContactPreferenceFactory(
            victim=victim,
            channel=Channel.SMS,
            value=SAFE_MOBILE,
            safe_from=time(9, 0),
            safe_until=time(17, 0),
        )
        ContactPreferenceFactory(
            victim=victim,
            channel=Channel.PHONE,
            value="+442920000111",
            voicemail_safe=False,
            safe_from=time(18, 0),
            safe_until=time(20, 30),
        )
        ContactPreferenceFactory(
            victim=victim, channel=Channel.LETTER, value="1 Heol y Prawf\nCaerdydd\nCF10 1AA"
        )
        case = CaseFactory(
            id=case_id,
            reference=f"VCS-FULL-{case_id % 10000:04d}",
            victim=victim,
            region=region,
            officer=officer,
            status=status,
            offender_name=OFFENDER_NAME,
            offence_type="violent",
            court_code="cardiff",
            sentenced_in="2023-05",
            sentence_description="Six years in custody",
            external_reference="CPS-12345",
            stage=SentenceStage.PAROLE,
            updates_wanted=updates_wanted,
            source=CaseSource.REFERRAL,
            referred_on=date(2023, 5, 30),
            referred_by="Uned Gofal Tystion De Cymru",
            clock_started_on=date(2023, 5, 30),
        )
        notification = OutboxNotificationFactory(
            victim=victim,
            recipient=SAFE_EMAIL,
            template_key="new_stage",
            language=Language.WELSH,
            safe_contact=False,
        )
        events = [
            dict(id=NOTIFIED_STAGE_ID, kind=TimelineEventKind.STAGE,
                 stage=SentenceStage.PAROLE, occurred_on=date(2026, 10, 1),
                 precision=DatePrecision.MONTH, summary=STAGE_SUMMARY,
                 internal_note=INTERNAL_NOTE, notification=notification),
            dict(id=HIDDEN_LETTER_ID, kind=TimelineEventKind.LETTER,
                 direction=ContactDirection.FROM_VICTIM, occurred_on=date(2024, 2, 3),
                 summary=HIDDEN_SUMMARY, visible_to_victim=False),
            dict(id=HANDOVER_ID, kind=TimelineEventKind.HANDOVER, occurred_on=date(2025, 1, 6),
                 summary="", internal_note=HANDOVER_NOTE, visible_to_victim=False),
            dict(kind=TimelineEventKind.CALL, direction=ContactDirection.TO_VICTIM,
                 occurred_on=date(2023, 6, 12), summary="Galwad gyntaf."),
            dict(kind=TimelineEventKind.MEETING, direction=ContactDirection.FROM_VICTIM,
                 occurred_on=date(2024, 9, 9), summary="Cyfarfod yn y swyddfa."),
            dict(kind=TimelineEventKind.TRIAGE, occurred_on=date(2023, 6, 1),
                 summary="Derbyniwyd eich cais."),
            dict(kind=TimelineEventKind.STAGE, stage=SentenceStage.SENTENCE,
                 occurred_on=date(2023, 5, 12), summary="Cafodd ei ddedfrydu."),
        ]  # fmt: skip
        for fields in events:
            if case_id != FULL_CASE_ID:
                fields.pop("id", None)  # fixed ids for the one case the i18n guard opens
            fields.setdefault("stage", None)
            TimelineEventFactory(
                case=case, language=Language.WELSH, recorded_by_id=officer.id, **fields
            )
        TimelineEventFactory(
            case=case,
            kind=TimelineEventKind.NOTE,
            stage=None,
            occurred_on=date(2023, 5, 30),
            summary="Atgyfeiriwyd gan yr heddlu.",
            language=Language.WELSH,
        )
        db.session.commit()
        return FullCase(case.id, region.id, victim.id, officer.id, case.reference)


def closed_case(app: Flask, region_id: int) -> FullCase:
    return full_case(app, case_id=CLOSED_CASE_ID, region_id=region_id, status=CaseStatus.CLOSED)


def merged_case(app: Flask, region_id: int, into: int) -> FullCase:
    """A second registration joined to the victim's case `into`."""
    built = full_case(app, case_id=MERGED_CASE_ID, region_id=region_id, status=CaseStatus.MERGED)
    with app.app_context():
        db.session.get(Case, built.case_id).merged_into_id = into
        db.session.commit()
    return built


def stage_form(**fields) -> dict:
    """A sentence event's form as a browser sends it (add csrf_token)."""
    values = {
        "submission_key": str(uuid.uuid4()),
        "stage": "custody",
        "day": "",
        "month": "4",
        "year": "2025",
        "precision": "month",
        "summary": "Mae’r troseddwr yn y carchar.",
        "internal_note": "",
        **fields,
    }
    return {f"stage-{name}": value for name, value in values.items() if value is not None}


def contact_form(**fields) -> dict:
    """A call, letter or meeting's form as a browser sends it (add csrf_token)."""
    values = {
        "submission_key": str(uuid.uuid4()),
        "kind": "call",
        "direction": "to_victim",
        "day": "3",
        "month": "3",
        "year": "2025",
        "visible": "yes",
        "summary": "Buom yn siarad am yr adolygiad parôl.",
        "internal_note": "",
        **fields,
    }
    return {f"contact-{name}": value for name, value in values.items() if value is not None}
