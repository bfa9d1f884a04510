"""National-scale data for `make bench`: generated, never real, built in minutes.

100,000 victims and cases across the 12 regions, 300 officers, 1,000,000 messages
and 2,000,000 timeline events by default, on SQLite or PostgreSQL, with the skew a
real service has: a few officers carry big caseloads and a few cases hold most of
the messages and events, while most cases are quiet. Everything goes in with bulk
inserts (tests/support/bulk.py for victims and cases), a batch of cases at a time,
so memory stays flat whatever the size.

    .venv/bin/python scripts/national_data.py sqlite:////tmp/national.db --cases 1000

The database must already have the schema and the demo data's regions (`flask db
upgrade`, `flask demo load`): benchmarks/data.py does both before calling
`build`, and keeps what it built for the next run at the same scale.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from portal import encryption  # noqa: E402
from portal.models import (  # noqa: E402
    CaseStatus,
    DatePrecision,
    Language,
    Message,
    Region,
    Sender,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
)
from tests.support.bulk import bulk_cases  # noqa: E402


@dataclass(frozen=True)
class Scale:
    cases: int = 100_000
    officers: int = 300
    messages: int = 1_000_000
    events: int = 2_000_000
    #: Cases made (and their messages and events written) per transaction.
    batch: int = 5_000
    seed: int = 17


#: What officers record, by weight (stages are the sentence's own events).
EVENT_KINDS = {
    TimelineEventKind.STAGE: 15,
    TimelineEventKind.CALL: 35,
    TimelineEventKind.LETTER: 30,
    TimelineEventKind.MEETING: 5,
    TimelineEventKind.NOTE: 15,
}
SUMMARIES = {
    Language.ENGLISH: (
        "Called to explain what happens next in the sentence.",
        "Letter sent about the next stage of the sentence.",
        "Met to talk through the licence conditions you asked about.",
        "The sentence has moved on to its next stage.",
    ),
    Language.WELSH: (
        "Wedi ffonio i egluro beth sy’n digwydd nesaf yn y ddedfryd.",
        "Llythyr wedi’i anfon am gam nesaf y ddedfryd.",
        "Wedi cwrdd i siarad am yr amodau trwydded y gofynnoch amdanynt.",
        "Mae’r ddedfryd wedi symud ymlaen i’r cam nesaf.",
    ),
}
WORDS = {
    Language.ENGLISH: (
        "Thank you for letting me know.",
        "Can you tell me when the parole review will be?",
        "I have moved house: please use my new address for letters.",
        "I will find out and write back to you within five working days.",
    ),
    Language.WELSH: (
        "Diolch am roi gwybod i mi.",
        "Allwch chi ddweud wrtha i pryd fydd yr adolygiad parôl?",
        "Rydw i wedi symud tŷ: defnyddiwch fy nghyfeiriad newydd ar gyfer llythyrau.",
        "Byddaf yn holi ac yn ysgrifennu atoch o fewn pum diwrnod gwaith.",
    ),
}
#: Encrypting is the slow part of a message: a pool of tokens per language, reused.
TOKENS_PER_TEXT = 50


def _shares(rng: random.Random, count: int, total: int, alpha: float) -> list[int]:
    """`total` split over `count` cases with a heavy tail (Pareto weights): most get a few,
    some get none, a few get hundreds."""
    # Capped, so the busiest case holds hundreds, not thousands (a page still shows it).
    weights = [min(rng.paretovariate(alpha), 40.0) for _ in range(count)]
    scale = total / sum(weights)
    shares = [int(weight * scale) for weight in weights]
    for index in rng.sample(range(count), min(count, total - sum(shares))):
        shares[index] += 1  # the rounding's remainder, so the total is exact
    return shares


def _skewed_officers(rng: random.Random, officers: dict[int, list[int]]) -> dict[int, list[int]]:
    """The same officers, a few listed many times over: bulk_cases picks uniformly from the
    list, so those few get the big caseloads."""
    skewed = {}
    for region_id, ids in officers.items():
        heavy = rng.sample(ids, max(1, len(ids) // 10))
        skewed[region_id] = ids + heavy * 8
    return skewed


def _tokens() -> dict[Language, list[str]]:
    return {
        language: [encryption.encrypt(words) for words in texts for _ in range(TOKENS_PER_TEXT)]
        for language, texts in WORDS.items()
    }


def _moments(rng: random.Random, start: date, today: date, count: int) -> list[datetime]:
    days = max((today - start).days, 1)
    return sorted(
        datetime.combine(start + timedelta(days=rng.randrange(days)), time(9), UTC)
        + timedelta(minutes=rng.randrange(9 * 60))
        for _ in range(count)
    )


def build(url: str, scale: Scale, log=print) -> dict[str, int]:
    """Add `scale` to the database at `url`; returns what was written, by table."""
    rng = random.Random(scale.seed)  # noqa: S311 (made-up data, not secrets)
    today = date.today()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    encryption.configure([encryption.DEVELOPMENT_KEY])
    tokens = _tokens()
    written = {"cases": 0, "messages": 0, "timeline_events": 0}
    started = clock.monotonic()
    with engine.begin() as connection:
        region_ids = list(connection.scalars(select(Region.id).order_by(Region.id)))
        wales = connection.scalar(select(Region.id).where(Region.code == "wales"))
    per_region = max(1, scale.officers // len(region_ids))
    message_shares = _shares(rng, scale.cases, scale.messages, 1.3)
    event_shares = _shares(rng, scale.cases, scale.events, 1.6)
    officers = None
    for first in range(0, scale.cases, scale.batch):
        count = min(scale.batch, scale.cases - first)
        with engine.begin() as connection:
            made = bulk_cases(
                connection,
                count,
                region_ids=region_ids,
                officers=officers,
                officers_per_region=per_region if officers is None else 0,
                wales_region_id=wales,
                seed=scale.seed + first,
                today=today,
            )
            if officers is None:
                officers = _skewed_officers(rng, made.officers)
            message_rows, event_rows = [], []
            for offset, case in enumerate(made.cases):
                number = first + offset
                language = case.language
                _messages(rng, case, message_shares[number], tokens[language], today, message_rows)
                _events(rng, case, event_shares[number], today, event_rows)
            for table, rows in (
                (Message.__table__, message_rows),
                (TimelineEvent.__table__, event_rows),
            ):
                for start in range(0, len(rows), 10_000):
                    connection.execute(insert(table), rows[start : start + 10_000])
            written["cases"] += count
            written["messages"] += len(message_rows)
            written["timeline_events"] += len(event_rows)
        log(
            f"{written['cases']:>7} cases, {written['messages']:>8} messages, "
            f"{written['timeline_events']:>8} events ({clock.monotonic() - started:.0f} s)"
        )
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return written


def _messages(rng, case, count: int, pool: list[str], today: date, rows: list) -> None:
    """`count` messages, alternating victim and officer, the last victim's one sometimes
    still waiting (a few thousand in the queues, some overdue)."""
    if count == 0:
        return
    moments = _moments(rng, case.clock_started_on, today, count)
    waiting_last = case.status in (CaseStatus.ACTIVE, CaseStatus.TRIAGE) and rng.random() < 0.06
    for index, moment in enumerate(moments):
        victim = index % 2 == 0 or case.officer_id is None
        last = index == count - 1
        rows.append(
            {
                "case_id": case.id,
                "sender": Sender.VICTIM if victim else Sender.OFFICER,
                "officer_id": None if victim else case.officer_id,
                "body": rng.choice(pool),
                "language": case.language,
                "created_at": moment,
                "read_at": None if victim or (last and rng.random() < 0.3) else moment,
                "answered_at": None
                if not victim or (last and waiting_last)
                else moment + timedelta(days=1),
                "answered_by_id": None
                if not victim or (last and waiting_last)
                else case.officer_id,
                "no_reply_needed": False,
            }
        )


def _events(rng, case, count: int, today: date, rows: list) -> None:
    if count == 0:
        return
    kinds, weights = list(EVENT_KINDS), list(EVENT_KINDS.values())
    for moment in _moments(rng, case.clock_started_on, today, count):
        kind = rng.choices(kinds, weights)[0]
        stage = rng.choice(list(SentenceStage)) if kind == TimelineEventKind.STAGE else None
        rows.append(
            {
                "case_id": case.id,
                "kind": kind,
                "stage": stage,
                "occurred_on": moment.date(),
                "precision": DatePrecision.MONTH
                if stage == SentenceStage.RELEASE
                else DatePrecision.DAY,
                "summary": rng.choice(SUMMARIES[case.language]),
                "language": case.language,
                "visible_to_victim": rng.random() > 0.05,
                "recorded_by_id": case.officer_id,
                "created_at": moment,
            }
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the database (schema and demo regions already there)")
    defaults = Scale()
    for name in ("cases", "officers", "messages", "events"):
        parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
    arguments = parser.parse_args()
    scale = Scale(
        cases=arguments.cases,
        officers=arguments.officers,
        messages=arguments.messages,
        events=arguments.events,
    )
    print(build(arguments.url, scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
