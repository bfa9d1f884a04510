"""Thousands of cases in a few seconds: SQLAlchemy core bulk inserts, for tests and
benchmarks that need a realistic caseload (queues, filters, search, queries per page).

`bulk_cases(session, 2000)` makes regions (or uses `region_ids`), officers in each
(or uses `officers`), and N cases with their victims and contact preferences, with a
realistic, repeatable spread (`seed`) of statuses, sentence stages, languages (more
Welsh speakers in Wales), access needs, referral or online, and how long each has
waited. It works on a Session (inside a test's transaction: rolled back after) or
on a Connection (a benchmark's database), on SQLite and PostgreSQL alike.

It returns every case as plain values (`BulkCase`), so a test can work out on its own
which cases a filter should find and compare.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import insert, update

from portal.domain.passwords import hash_password
from portal.domain.references import ALPHABET, _check_character
from portal.models import (
    Case,
    CaseSource,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    OfficerRole,
    Region,
    RequestKind,
    RequestStatus,
    SentenceStage,
    UpdatesWanted,
    Victim,
    VictimLiaisonOfficer,
    VictimRequest,
)

#: The password of every officer made here (hashed once: Argon2 is slow on purpose).
BULK_OFFICER_PASSWORD = "bulk-officer-password"

#: How statuses, stages and sources are spread: weights out of 100.
STATUS_WEIGHTS = {
    CaseStatus.ACTIVE: 55,
    CaseStatus.TRIAGE: 15,
    CaseStatus.PAUSED: 8,
    CaseStatus.CLOSED: 12,
    CaseStatus.DECLINED: 7,
    CaseStatus.MERGED: 3,
}
STAGE_WEIGHTS = {
    SentenceStage.SENTENCE: 20,
    SentenceStage.CUSTODY: 40,
    SentenceStage.PAROLE: 12,
    SentenceStage.RELEASE: 8,
    SentenceStage.LICENCE_CONDITIONS: 10,
    SentenceStage.RECALL: 3,
    SentenceStage.END_OF_SENTENCE: 7,
}
#: Share of victims who prefer Welsh: in the Wales region, and elsewhere.
WELSH_IN_WALES = 0.35
WELSH_ELSEWHERE = 0.02
ACCESS_NEEDS_SHARE = 0.15
ACCESS_NEEDS = (
    "Large print letters, please",
    "British Sign Language interpreter",
    "Easy read information",
    "Calls in the afternoon only: I have hospital appointments",
    "Screen reader user",
)
FIRST_NAMES = (
    "Aled", "Alex", "Amira", "Ben", "Carys", "Chen", "Dafydd", "Deborah", "Elin", "Emeka",
    "Ffion", "Gareth", "Grace", "Gwenllian", "Hannah", "Ieuan", "Imran", "Jordan", "Kofi",
    "Lowri", "Maria", "Megan", "Nia", "Oliver", "Priya", "Rhodri", "Rhys", "Sam", "Sara",
    "Siân", "Siôn", "Tomos", "Zofia",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Bevan", "Brown", "Davies", "Edwards", "Ellis", "Evans", "Griffiths", "Hughes",
    "Jenkins", "Jones", "Kowalski", "Lewis", "Lloyd", "Morgan", "Nwosu", "O'Brien", "Owen",
    "Parry", "Patel", "Powell", "Price", "Roberts", "Smith", "Thomas", "Williams", "Wright",
)  # fmt: skip


@dataclass(frozen=True)
class BulkCase:
    """One case as plain values, with what the filters look at."""

    id: int
    reference: str
    region_id: int | None
    officer_id: int | None
    status: CaseStatus
    stage: SentenceStage
    victim_name: str
    language: Language
    accessibility_needs: str | None
    clock_started_on: date
    first_contact_on: date | None


@dataclass
class Bulk:
    region_ids: list[int]
    #: Officers (ids) in each region, the ones made here and any passed in.
    officers: dict[int, list[int]]
    cases: list[BulkCase] = field(default_factory=list)

    def in_region(self, region_id: int | None) -> list[BulkCase]:
        return [case for case in self.cases if case.region_id == region_id]


@cache
def _password_hash() -> str:
    return hash_password(BULK_OFFICER_PASSWORD)


def _references(count: int) -> list[str]:
    """`count` new references in the service's form (VCS-XXXX-XXXX, valid check
    character): a random 3-character batch, then a counter, so that two batches in one
    database (a benchmark run twice) do not meet."""
    batch = "".join(secrets.choice(ALPHABET) for _ in range(3))
    found = []
    for number in range(count):
        digits = ""
        for _ in range(4):
            number, remainder = divmod(number, len(ALPHABET))
            digits = ALPHABET[remainder] + digits
        body = batch + digits
        code = body + _check_character(body)
        found.append(f"VCS-{code[:4]}-{code[4:]}")
    return found


def _weighted(rng: random.Random, weights: Mapping):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _new_regions(session, count: int, token: str) -> list[int]:
    rows = [
        {
            "code": f"bulk-{token}-{index}",
            "name_en": f"Bulk Region {token} {index}",
            "name_cy": f"Rhanbarth Swmp {token} {index}",
            "unit_name_en": f"Bulk Region {token} {index} Victim Liaison Unit",
            "unit_name_cy": f"Uned Cyswllt Dioddefwyr Rhanbarth Swmp {token} {index}",
            "email": f"victim-liaison.bulk-{token}-{index}@example.gov.uk",
            "phone": "0300 555 0000",
            "address": "1 Bulk Street\nBulk Town\nBU1 1LK",
            "address_cy": "1 Stryd Swmp\nTref Swmp\nBU1 1LK",
            "is_example": True,
        }
        for index in range(count)
    ]
    table = Region.__table__
    return list(
        session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )


def _new_officers(session, region_ids: Sequence[int], per_region: int, token: str):
    rows = [
        {
            "region_id": region_id,
            "full_name": f"Bulk Officer {token} {index}-{number}",
            "email": f"bulk.officer.{token}.{index}.{number}@example.gov.uk",
            "password_hash": _password_hash(),
            "speaks_welsh": number % 3 == 0,
            "is_active": True,
            "role": OfficerRole.VLO,
            "created_at": datetime.now(UTC),
        }
        for index, region_id in enumerate(region_ids)
        for number in range(per_region)
    ]
    if not rows:
        return {}
    table = VictimLiaisonOfficer.__table__
    ids = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    ).scalars()
    officers: dict[int, list[int]] = {}
    for row, officer_id in zip(rows, ids, strict=True):
        officers.setdefault(row["region_id"], []).append(officer_id)
    return officers


def bulk_cases(
    session,
    count: int,
    *,
    region_ids: Sequence[int] | None = None,
    regions: int = 3,
    officers: Mapping[int, Sequence[int]] | None = None,
    officers_per_region: int = 3,
    national_share: float = 0.02,
    wales_region_id: int | None = None,
    seed: int = 14,
    today: date | None = None,
) -> Bulk:
    """Insert `count` cases, with their victims and contact preferences.

    Regions: `region_ids` (existing), else `regions` new ones. Officers: `officers`
    (region id -> existing officer ids, e.g. a signed-in test officer), and
    `officers_per_region` new ones in each region too. `national_share` of the cases
    waiting for triage have no region (the national queue). Victims in
    `wales_region_id` prefer Welsh more often.
    """
    rng = random.Random(seed)
    today = today or date.today()
    token = "".join(secrets.choice("abcdefghjkmnpqrstvwxyz23456789") for _ in range(6))
    region_ids = list(region_ids) if region_ids else _new_regions(session, regions, token)
    made = _new_officers(session, region_ids, officers_per_region, token)
    staff = {
        region_id: [*(officers or {}).get(region_id, ()), *made.get(region_id, ())]
        for region_id in region_ids
    }

    plans = []
    for _ in range(count):
        status = _weighted(rng, STATUS_WEIGHTS)
        region_id = rng.choice(region_ids)
        if status is CaseStatus.TRIAGE and rng.random() < national_share * 5:
            region_id = None  # court not known yet
        welsh_share = WELSH_IN_WALES if region_id == wales_region_id else WELSH_ELSEWHERE
        age = rng.randint(0, 60) if status is CaseStatus.TRIAGE else rng.randint(0, 730)
        clock = today - timedelta(days=age)
        contacted = {
            CaseStatus.ACTIVE: 0.75,
            CaseStatus.PAUSED: 0.9,
            CaseStatus.CLOSED: 0.8,
        }.get(status, 0.0)
        first_contact = (
            min(clock + timedelta(days=rng.randint(1, 40)), today)
            if rng.random() < contacted
            else None
        )
        if status is CaseStatus.ACTIVE and first_contact is None:
            # Still waiting for first contact: accepted lately, a few of them overdue.
            clock = today - timedelta(days=rng.randint(0, 45))
        assigned = status in (CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.CLOSED)
        officer_id = (
            rng.choice(staff[region_id]) if assigned and region_id and staff[region_id] else None
        )
        needs = None
        roll = rng.random()
        if roll < ACCESS_NEEDS_SHARE:
            needs = rng.choice(ACCESS_NEEDS)
        elif roll < ACCESS_NEEDS_SHARE + 0.03:
            needs = rng.choice(("", "   "))  # answered, but nothing written
        plans.append(
            {
                "status": status,
                "region_id": region_id,
                "officer_id": officer_id,
                "stage": _weighted(rng, STAGE_WEIGHTS),
                "clock": clock,
                "first_contact": first_contact,
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "language": Language.WELSH if rng.random() < welsh_share else Language.ENGLISH,
                "needs": needs,
                "referral": rng.random() < 0.7,
                "channels": rng.choice(
                    (
                        (Channel.EMAIL,),
                        (Channel.EMAIL, Channel.SMS),
                        (Channel.SMS,),
                        (Channel.LETTER,),
                    )
                ),
            }
        )

    if not plans:
        return Bulk(region_ids, staff)
    victims = Victim.__table__
    victim_ids = (
        session.execute(
            insert(victims).returning(victims.c.id, sort_by_parameter_order=True),
            [
                {
                    "full_name": plan["name"],
                    "language": plan["language"],
                    "accessibility_needs": plan["needs"],
                    "relationship_to_victim": "self",
                    "created_at": datetime.combine(plan["clock"], time(10), UTC),
                }
                for plan in plans
            ],
        )
        .scalars()
        .all()
    )
    preferences = []
    for number, (plan, victim_id) in enumerate(zip(plans, victim_ids, strict=True)):
        for channel in plan["channels"]:
            value = {
                Channel.EMAIL: f"bulk.{token}.{number}@example.com",
                Channel.SMS: f"+4477009{number % 100000:05d}",
                Channel.LETTER: f"{number} Bulk Road\nBulk Town\nBU1 1LK",
            }[channel]
            preferences.append(
                {
                    "victim_id": victim_id,
                    "channel": channel,
                    "value": value,
                    "is_safe": rng.random() > 0.1,
                    "voicemail_safe": rng.random() < 0.3,
                }
            )
    session.execute(insert(ContactPreference.__table__), preferences)

    cases = Case.__table__
    case_rows = [
        {
            "reference": reference,
            "victim_id": victim_id,
            "region_id": plan["region_id"],
            "officer_id": plan["officer_id"],
            "status": plan["status"],
            "offender_name": f"Bulk Offender {number}",
            "offence_type": "violent" if number % 3 else "sexual",
            "stage": plan["stage"],
            "updates_wanted": UpdatesWanted.EVERY_STAGE,
            "source": CaseSource.REFERRAL if plan["referral"] else CaseSource.ONLINE,
            "clock_started_on": plan["clock"],
            "referred_on": plan["clock"] if plan["referral"] else None,
            "first_contact_on": plan["first_contact"],
            "created_at": datetime.combine(plan["clock"], time(10), UTC),
            "updated_at": datetime.combine(plan["clock"], time(10), UTC),
        }
        for number, (plan, victim_id, reference) in enumerate(
            zip(plans, victim_ids, _references(len(plans)), strict=True)
        )
    ]
    case_ids = (
        session.execute(
            insert(cases).returning(cases.c.id, sort_by_parameter_order=True), case_rows
        )
        .scalars()
        .all()
    )
    bulk = Bulk(region_ids, staff)
    bulk.cases = [
        BulkCase(
            id=case_id,
            reference=row["reference"],
            region_id=row["region_id"],
            officer_id=row["officer_id"],
            status=row["status"],
            stage=row["stage"],
            victim_name=plan["name"],
            language=plan["language"],
            accessibility_needs=plan["needs"],
            clock_started_on=plan["clock"],
            first_contact_on=plan["first_contact"],
        )
        for case_id, row, plan in zip(case_ids, case_rows, plans, strict=True)
    ]
    return bulk


def bulk_asks(session, bulk: Bulk, *, seed: int = 15, now: datetime | None = None) -> None:
    """What victims asked of their officers, on `bulk`'s cases: a request sent (every kind,
    some long ago, some moved on already) on most active and paused cases with an officer,
    and on a third of the closed ones, the victim left and asked to come back (a case
    closed without an officer was left while waiting for triage)."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    requests = []
    for case in bulk.cases:
        if case.status in (CaseStatus.ACTIVE, CaseStatus.PAUSED) and case.officer_id:
            for kind in rng.sample(list(RequestKind), rng.randint(0, 2)):
                sent = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8))
                requests.append(
                    {
                        "case_id": case.id,
                        "kind": kind,
                        "status": rng.choice(
                            (RequestStatus.SENT, RequestStatus.SENT, RequestStatus.CONSIDERING)
                        ),
                        "answers": {},
                        "language": case.language,
                        "created_at": sent - timedelta(days=1),
                        "updated_at": sent,
                        "sent_at": sent,
                    }
                )
    if requests:
        session.execute(insert(VictimRequest.__table__), requests)
    closed = [case.id for case in bulk.cases if case.status is CaseStatus.CLOSED]
    for case_id in closed[::3]:
        left = now - timedelta(days=rng.randint(30, 200))
        session.execute(
            update(Case.__table__)
            .where(Case.__table__.c.id == case_id)
            .values(left_at=left, come_back_asked_at=left + timedelta(days=rng.randint(1, 25)))
        )
