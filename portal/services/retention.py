"""The retention rule: once a closed case (or a declined registration) has been kept for its
period, everything personal in it is removed, and the shell stays for the figures.

A case is **due** when it was closed more than `after_closing` years ago (`closed_at`; a
case closed before that column existed counts from its last change), or declined more
than `after_declining` years ago (`triaged_at`), or is a second registration joined to a
case that is due or already emptied. An open case (waiting, active, paused) is never due.

Emptying a case (`CASE_STEPS`, then the case itself):

- its timeline keeps each entry's kind, stage, date, precision, language and who recorded
  it, but not what the victim read or the note for staff;
- its messages keep who sent them and when (reply times), not their words; what the
  victim typed and never sent, and any registration draft it came from, are deleted;
- its requests (licence conditions, a personal statement, a decision summary) keep their
  kind, status and dates, not the victim's answers or the officer's words;
- the case keeps its reference, region, officer, status, stage, offence category, how
  it joined and its dates (the manager's figures), but not the offender's name, the
  sentence in the victim's words, their own reference, the court, the month of sentence
  or the officer's words about a decline. `anonymised_at` marks it.

A person is emptied (`PERSON_STEPS`, then the record) once every case of theirs has been:
name, date of birth, the name of anyone acting for them (and the name and contact detail
of each representative they named, whose rows stay so that what they did still says
"a representative"), access needs and the name not to put on envelopes removed, who
registered kept only as its category (not their words), their contact details deleted,
and the notifications sent to them kept without where they went or what they held
(pending ones are cancelled). Their language is kept.

The audit is append-only (triggers) and is left as it is: it holds ids, codes and keyed
hashes, never names, contact details or free text (tests/functional/test_retention.py
checks it after the real services have written to it). Each emptied case adds one
"case.anonymised" event (ids and the status only).

Idempotent (a case or person is claimed with a conditional UPDATE on `anonymised_at`, so
a second run, or two at once, changes nothing twice) and in batches (each committed by
the caller's `commit`). `plan` counts what `apply` would change, without changing it.
A new kind of record that holds personal text is one line in `CASE_STEPS` or
`PERSON_STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, insert, not_, or_, select, update
from sqlalchemy.orm import Session, aliased

from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    ContactPreference,
    Message,
    MessageDraft,
    NotificationStatus,
    OutboxNotification,
    RegistrationDraft,
    Representative,
    TimelineEvent,
    Victim,
    VictimRequest,
    VictimRequestStep,
    utcnow,
)

#: How many cases (or people) one transaction empties.
BATCH_SIZE = 200
#: The audit's action for an emptied case.
ANONYMISED = "case.anonymised"


@dataclass(frozen=True)
class Periods:
    """How many whole years a case is kept after it was closed, or declined."""

    after_closing: int
    after_declining: int

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Periods:
        return cls(
            int(config["RETENTION_YEARS_AFTER_CLOSING"]),
            int(config["RETENTION_YEARS_AFTER_DECLINING"]),
        )


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _own_period_passed(case, periods: Periods, now: datetime):
    """SQL: `case` (Case or an alias) was closed, or declined, longer ago than its period."""
    return or_(
        and_(
            case.status == CaseStatus.CLOSED,
            func.coalesce(case.closed_at, case.updated_at)
            < years_before(now, periods.after_closing),
        ),
        and_(
            case.status == CaseStatus.DECLINED,
            func.coalesce(case.triaged_at, case.updated_at)
            < years_before(now, periods.after_declining),
        ),
    )


def _due(periods: Periods, now: datetime):
    """SQL: a case not yet emptied whose time is up (see the module's docstring)."""
    target = aliased(Case)
    joined_to_due = (
        select(target.id)
        .where(
            target.id == Case.merged_into_id,
            or_(target.anonymised_at.is_not(None), _own_period_passed(target, periods, now)),
        )
        .exists()
    )
    merged = and_(
        Case.status == CaseStatus.MERGED,
        or_(
            joined_to_due,
            and_(
                Case.merged_into_id.is_(None),
                Case.updated_at < years_before(now, periods.after_closing),
            ),
        ),
    )
    return and_(Case.anonymised_at.is_(None), or_(_own_period_passed(Case, periods, now), merged))


def _person_due(cases_count_as_emptied=None):
    """SQL: a person not yet emptied, with cases, every one of them emptied (or, for `plan`,
    emptied or due)."""
    own = select(Case.id).where(Case.victim_id == Victim.id)
    remaining = Case.anonymised_at.is_(None)
    if cases_count_as_emptied is not None:
        remaining = and_(remaining, not_(cases_count_as_emptied))
    return and_(
        Victim.anonymised_at.is_(None),
        exists(own),
        not_(exists(own.where(remaining))),
    )


@dataclass(frozen=True)
class Clear:
    """What happens to the rows of one table that belong to an emptied case (or person):
    `values` replace what they held, or (no values) the rows are deleted. `only` narrows
    the rows (pending notifications, say)."""

    name: str
    model: type
    #: The column that names the case (or the person) a row belongs to.
    owner: Any
    values: dict[str, Any] | None = None
    only: tuple = field(default_factory=tuple)

    def _where(self, owners):
        return (self.owner.in_(owners), *self.only)

    def count(self, session: Session, owners: Select) -> int:
        return session.scalar(
            select(func.count()).select_from(self.model).where(*self._where(owners))
        )

    def apply(self, session: Session, owner_ids: list[int]) -> int:
        where = self._where(owner_ids)
        if self.values is None:
            statement = delete(self.model).where(*where)
        else:
            statement = update(self.model).where(*where).values(**self.values)
        return session.execute(statement.execution_options(synchronize_session=False)).rowcount


#: What is removed from an emptied case's records. A new record that holds personal text
#: (a request's words, a statement) is one line here.
CASE_STEPS: list[Clear] = [
    Clear(
        "timeline entries",
        TimelineEvent,
        TimelineEvent.case_id,
        {"summary": "", "internal_note": None},
    ),
    Clear("messages", Message, Message.case_id, {"body": ""}),
    Clear("unsent messages", MessageDraft, MessageDraft.case_id),
    Clear("registration drafts", RegistrationDraft, RegistrationDraft.submitted_case_id),
    Clear("requests", VictimRequest, VictimRequest.case_id, {"answers": {}}),
    Clear(
        "request steps",
        VictimRequestStep,
        # A step belongs to its case through its request.
        select(VictimRequest.case_id)
        .where(VictimRequest.id == VictimRequestStep.request_id)
        .scalar_subquery(),
        {"message": None},
    ),
]

#: What is removed from an emptied person's records.
PERSON_STEPS: list[Clear] = [
    Clear("contact details", ContactPreference, ContactPreference.victim_id),
    Clear(
        "representatives",
        Representative,
        Representative.victim_id,
        {"full_name": "", "destination": ""},
    ),
    Clear(
        "notifications cancelled",
        OutboxNotification,
        OutboxNotification.victim_id,
        {"status": NotificationStatus.CANCELLED},
        only=(OutboxNotification.status == NotificationStatus.PENDING,),
    ),
    Clear(
        "notifications",
        OutboxNotification,
        OutboxNotification.victim_id,
        {"recipient": "", "personalisation": {}, "last_error": None},
    ),
]

#: What an emptied case keeps none of.
CASE_CLEARED = {
    "offender_name": "",
    "sentence_description": None,
    "external_reference": None,
    "court_code": None,
    "sentenced_in": None,
    "decline_note": None,
}
#: What an emptied person keeps none of (`relationship_to_victim` keeps its category).
PERSON_CLEARED = {
    "full_name": "",
    "date_of_birth": None,
    "representative_name": None,
    "accessibility_needs": None,
    "accessibility_other": None,
    "envelope_name_to_avoid": None,
}


def _no_records() -> dict[str, int]:
    return {step.name: 0 for step in (*CASE_STEPS, *PERSON_STEPS)}


@dataclass
class Counts:
    """How many of each were emptied (or, for a dry run, would be): counts only."""

    cases: int = 0
    people: int = 0
    records: dict[str, int] = field(default_factory=_no_records)

    def add(self, name: str, count: int) -> None:
        self.records[name] = self.records.get(name, 0) + count

    def lines(self) -> list[str]:
        return [
            f"cases: {self.cases}",
            f"people: {self.people}",
            *(f"{name}: {count}" for name, count in self.records.items()),
        ]


def plan(session: Session, periods: Periods, now: datetime | None = None) -> Counts:
    """What `apply` would empty now, counted (nothing is changed)."""
    now = now or utcnow()
    due = _due(periods, now)
    due_cases = select(Case.id).where(due)
    due_people = select(Victim.id).where(_person_due(cases_count_as_emptied=due))
    counts = Counts(
        cases=session.scalar(select(func.count()).select_from(Case).where(due)),
        people=session.scalar(select(func.count()).select_from(due_people.subquery())),
    )
    for step in CASE_STEPS:
        counts.add(step.name, step.count(session, due_cases))
    for step in PERSON_STEPS:
        counts.add(step.name, step.count(session, due_people))
    return counts


def _claim(session: Session, model, ids: list[int], values: dict, now: datetime) -> list[int]:
    """Mark `ids` emptied, those not already (another run may have got there first)."""
    return list(
        session.scalars(
            update(model)
            .where(model.id.in_(ids), model.anonymised_at.is_(None))
            .values(**values, anonymised_at=now)
            .returning(model.id)
            .execution_options(synchronize_session=False)
        )
    )


def _empty_cases(session: Session, ids: list[int], now: datetime, counts: Counts) -> None:
    claimed = _claim(session, Case, ids, CASE_CLEARED, now)
    if not claimed:
        return
    for step in CASE_STEPS:
        counts.add(step.name, step.apply(session, claimed))
    statuses = dict(session.execute(select(Case.id, Case.status).where(Case.id.in_(claimed))).all())
    session.execute(
        insert(AuditEvent),
        [
            {
                "actor_type": ActorType.SYSTEM,
                "action": ANONYMISED,
                "case_id": case_id,
                "detail": {"status": str(statuses[case_id])},
                "created_at": now,
            }
            for case_id in claimed
        ],
    )
    counts.cases += len(claimed)


def _category(relationship: str | None) -> str | None:
    """Who registered, without their own words ("parent: mother of …" is "parent")."""
    return relationship.partition(":")[0].strip() or None if relationship else None


def _empty_people(session: Session, ids: list[int], now: datetime, counts: Counts) -> None:
    claimed = _claim(session, Victim, ids, PERSON_CLEARED, now)
    if not claimed:
        return
    for step in PERSON_STEPS:
        counts.add(step.name, step.apply(session, claimed))
    relationships = session.execute(
        select(Victim.id, Victim.relationship_to_victim).where(Victim.id.in_(claimed))
    ).all()
    for category in {_category(words) for _, words in relationships}:
        who = [victim_id for victim_id, words in relationships if _category(words) == category]
        session.execute(
            update(Victim)
            .where(Victim.id.in_(who))
            .values(relationship_to_victim=category)
            .execution_options(synchronize_session=False)
        )
    counts.people += len(claimed)


def _batches(session: Session, query: Callable[[], Select], size: int) -> Iterable[list[int]]:
    while ids := list(session.scalars(query().limit(size))):
        yield ids


def apply(
    session: Session,
    periods: Periods,
    commit: Callable[[], None],
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> Counts:
    """Empty every case that is due, then every person whose cases are all emptied, in
    batches of `batch_size`, calling `commit` after each. Returns what was emptied."""
    now = now or utcnow()
    counts = Counts()
    due = _due(periods, now)
    for ids in _batches(session, lambda: select(Case.id).where(due).order_by(Case.id), batch_size):
        _empty_cases(session, ids, now, counts)
        commit()
    people = _person_due()
    for ids in _batches(
        session, lambda: select(Victim.id).where(people).order_by(Victim.id), batch_size
    ):
        _empty_people(session, ids, now, counts)
        commit()
    return counts
