"""Your data: everything the service holds about a signed-in person, to read, print or take.

What a victim may see, never more: their records (the people whose records hold the
contact detail they signed in with), every case of those records not yet anonymised by
the retention rule, each case's timeline as the victim's own page shows it (only entries
shown to them, never a handover note, never an officer's note for staff, each date no
more precise than they may be told), their messages both ways and what they have typed
and not sent, whether they paused updates, left or asked to come back, and their requests
to their officer (what they wrote, each step and the officer's words to them). Never
another person's record, a possible duplicate, who recorded an entry, the notification a
step caused, or anything only staff see.

**One list of sections.** `SECTIONS` names each part of the export: its key in the JSON
(and its template, `templates/account/your_data/_<key>.html`) and the function that
gathers it. A new kind of record (requests, preferences, pauses) is one function and one
line here, plus its template. Each function reads what `Holdings` loaded, or sends a
fixed number of statements for all the person's cases at once: the export sends the
same statements however much there is (eager loading; tests count them).

**One shape.** `document()` is the JSON: `format`, `version`, `created_at`, then a list
for each section. Dates are ISO 8601 (`2026-10` for a month, `2026` for a year, moments
with their UTC offset), languages are codes (`en`, `cy`), values are as stored (keys
are English whatever the page's language). A change that removes or renames a key
raises VERSION; adding a key or a section does not. README "Your data" documents it.

Downloading is audited ("data downloaded", the victim as actor, ids and the format
only). The caller commits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.domain import case_timeline
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    DatePrecision,
    Message,
    MessageDraft,
    Region,
    Representative,
    Sender,
    Victim,
    VictimRequest,
    VictimRequestStep,
    VictimSession,
    utcnow,
)
from portal.services import sign_in

#: What the JSON says it is, and the version of its shape.
FORMAT = "victim-contact-scheme/your-data"
VERSION = 1
#: The formats a download comes in.
FORMATS = ("html", "json")
#: The audit's action for a download.
DOWNLOADED = "data downloaded"

#: How many characters of an ISO date each precision keeps: "2026-10-01" told as a month
#: is "2026-10", as a year "2026".
ISO_LENGTH = {DatePrecision.DAY: 10, DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}


@dataclass(frozen=True)
class ToldDate:
    """A date only as precisely as the victim may be told it (a release is a month)."""

    day: date
    precision: DatePrecision

    @property
    def iso(self) -> str:
        return self.day.isoformat()[: ISO_LENGTH[self.precision]]


@dataclass(frozen=True)
class Holdings:
    """The person's records, with their contact details, and their cases, with each case's
    unit, officer and timeline: loaded once, for every section to read."""

    victims: list[Victim]
    cases: list[Case]

    @property
    def case_ids(self) -> list[int]:
        return [case.id for case in self.cases]

    @property
    def references(self) -> dict[int, str]:
        return {case.id: case.reference for case in self.cases}


@dataclass(frozen=True)
class Section:
    """One part of the export: its key in the JSON and the name of its template
    (`templates/account/your_data/_<key>.html`), and what gathers its entries."""

    key: str
    gather: Callable[[Session, Holdings], list[dict[str, Any]]]


@dataclass(frozen=True)
class YourData:
    created_at: datetime
    #: Each section's entries, in SECTIONS' order.
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: The cases, for pages that group entries by case (the oldest first).
    references: list[str] = field(default_factory=list)
    #: The cases' regions by code, for pages that name their units in either language.
    regions: dict[str, Region] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        """The JSON document (before encoding): see the module's docstring."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            **self.sections,
        }


# --- the sections ------------------------------------------------------------------------


def _people(session: Session, held: Holdings) -> list[dict[str, Any]]:
    return [
        {
            "full_name": victim.full_name,
            "date_of_birth": victim.date_of_birth,
            "registered_as": victim.relationship_to_victim,
            "representative_name": victim.representative_name,
            "language": victim.language,
            "access_needs": [
                need.strip() for need in (victim.accessibility_needs or "").split(",") if need
            ],
            "access_needs_in_your_words": victim.accessibility_other,
            "name_not_on_envelopes": victim.envelope_name_to_avoid,
            "created_at": victim.created_at,
            "contact_details": [
                {
                    "channel": detail.channel,
                    "value": detail.value,
                    "safe": detail.is_safe,
                    "voicemail_safe": detail.voicemail_safe,
                    "safe_from": detail.safe_from,
                    "safe_until": detail.safe_until,
                    "confirmed": detail.verified_at is not None,
                }
                for detail in sorted(victim.contact_preferences, key=lambda d: d.id)
            ],
        }
        for victim in held.victims
    ]


def _cases(session: Session, held: Holdings) -> list[dict[str, Any]]:
    return [
        {
            "reference": case.reference,
            "status": case.status,
            "region": case.region.code if case.region else None,
            "officer": case.officer.full_name if case.officer else None,
            "offender_name": case.offender_name,
            "offence": case.offence_type,
            "court": case.court_code,
            "sentenced_in": case.sentenced_in,
            "sentence": case.sentence_description,
            "your_reference": case.external_reference,
            "stage": case.stage,
            "updates_wanted": case.updates_wanted,
            "joined_by": case.source,
            "referred_on": case.referred_on,
            "created_at": case.created_at,
            "decline_reason": case.decline_reason,
            "decline_note": case.decline_note,
            "closed_at": case.closed_at,
            "paused_until": case.paused_until,
            "paused_until_stage": case.paused_until_stage,
            "left_at": case.left_at,
            "come_back_asked_at": case.come_back_asked_at,
            "language": case.victim.language,
        }
        for case in held.cases
    ]


def _timeline(session: Session, held: Holdings) -> list[dict[str, Any]]:
    """What the victim's own case page shows of each case, newest first."""
    return [
        {
            "case": case.reference,
            "kind": event.kind,
            "stage": event.stage,
            "date": ToldDate(event.occurred_on, event.precision),
            "date_precision": event.precision,
            "summary": event.summary,
            "language": event.language,
        }
        for case in held.cases
        for event in case_timeline.visible_events(case.timeline)
    ]


def _messages(session: Session, held: Holdings) -> list[dict[str, Any]]:
    """Every message of every case, both ways, oldest first (as a conversation reads)."""
    references = held.references
    messages = session.scalars(
        select(Message)
        .where(Message.case_id.in_(held.case_ids))
        .options(joinedload(Message.officer), joinedload(Message.representative))
        .order_by(Message.case_id, Message.created_at, Message.id)
    )
    return [
        {
            "case": references[message.case_id],
            "from": "you" if message.sender == Sender.VICTIM else "officer",
            "officer": message.officer.full_name if message.officer else None,
            "written_by_representative": (
                message.representative.full_name if message.representative else None
            ),
            "sent_at": message.created_at,
            "language": message.language,
            "text": message.body,
            "read_at": message.read_at if message.sender == Sender.OFFICER else None,
        }
        for message in messages
    ]


def _unsent_messages(session: Session, held: Holdings) -> list[dict[str, Any]]:
    """What the person typed and has not sent (kept on the server so nothing is lost)."""
    references = held.references
    victim_ids = [victim.id for victim in held.victims]
    drafts = session.scalars(
        select(MessageDraft)
        .where(MessageDraft.case_id.in_(held.case_ids), MessageDraft.victim_id.in_(victim_ids))
        .order_by(MessageDraft.case_id)
    )
    return [
        {"case": references[draft.case_id], "text": draft.body, "saved_at": draft.updated_at}
        for draft in drafts
    ]


def _requests(session: Session, held: Holdings) -> list[dict[str, Any]]:
    """Every request to an officer on every case (drafts too: they are the person's own),
    oldest first, with what they wrote and each step, the officer's words included (as the
    request's own page shows it: not which officer took a step)."""
    references = held.references
    requests = session.scalars(
        select(VictimRequest)
        .where(VictimRequest.case_id.in_(held.case_ids))
        .options(selectinload(VictimRequest.steps).joinedload(VictimRequestStep.representative))
        .order_by(VictimRequest.case_id, VictimRequest.created_at, VictimRequest.id)
    )
    return [
        {
            "case": references[request.case_id],
            "kind": request.kind,
            "status": request.status,
            "language": request.language,
            "started_at": request.created_at,
            "sent_at": request.sent_at,
            "summary_sent_on": request.summary_sent_on,
            "answers": dict(request.answers or {}),
            "steps": [
                {
                    "status": step.status,
                    "by": "you" if step.actor_type == ActorType.VICTIM else "officer",
                    "written_by_representative": (
                        step.representative.full_name if step.representative else None
                    ),
                    "at": step.created_at,
                    "words": step.message,
                    "language": step.language,
                }
                for step in request.steps
            ],
        }
        for request in requests
    ]


def _representatives(session: Session, held: Holdings) -> list[dict[str, Any]]:
    """Everyone the person named to act for them, what they could do, and when it ended."""
    found = session.scalars(
        select(Representative)
        .where(Representative.victim_id.in_([victim.id for victim in held.victims]))
        .order_by(Representative.created_at, Representative.id)
    )
    return [
        {
            "full_name": representative.full_name,
            "relation": representative.relation,
            "channel": representative.channel,
            "value": representative.destination,
            "may": sorted(p.value for p in representative.permissions),
            "language": representative.language,
            "created_at": representative.created_at,
            "ended_at": representative.ended_at,
            "ended_by": representative.ended_by,
        }
        for representative in found
    ]


#: The export, in order. A new section is one line (and its template).
SECTIONS: list[Section] = [
    Section("people", _people),
    Section("representatives", _representatives),
    Section("cases", _cases),
    Section("timeline", _timeline),
    Section("messages", _messages),
    Section("unsent_messages", _unsent_messages),
    Section("requests", _requests),
]


# --- gathering, downloading --------------------------------------------------------------


def holdings(session: Session, record: VictimSession) -> Holdings:
    """The records this session signs in to, and every case of theirs the retention rule has
    not emptied (closed and declined ones too: the service still holds them)."""
    victim_ids = sign_in.victim_ids_of(session, record)
    if not victim_ids:
        return Holdings([], [])
    victims = list(
        session.scalars(
            select(Victim)
            .where(Victim.id.in_(victim_ids))
            .options(selectinload(Victim.contact_preferences))
            .order_by(Victim.id)
        )
    )
    cases = list(
        session.scalars(
            select(Case)
            .where(Case.victim_id.in_(victim_ids), Case.anonymised_at.is_(None))
            .options(
                joinedload(Case.region),
                joinedload(Case.officer),
                selectinload(Case.timeline),
            )
            .order_by(Case.created_at, Case.id)
        )
    )
    return Holdings(victims, cases)


def _gathered(session: Session, held: Holdings, now: datetime, sections) -> YourData:
    return YourData(
        created_at=now,
        sections={
            section.key: section.gather(session, held) if held.victims else []
            for section in sections
        },
        references=[case.reference for case in held.cases],
        regions={case.region.code: case.region for case in held.cases if case.region},
    )


def gather(
    session: Session,
    record: VictimSession,
    now: datetime | None = None,
    sections: list[Section] | None = None,
) -> YourData:
    """Everything held about the person signed in with `record`, section by section."""
    return _gathered(session, holdings(session, record), now or utcnow(), sections or SECTIONS)


def download(
    session: Session,
    record: VictimSession,
    format: str,
    request_id: str | None = None,
    now: datetime | None = None,
) -> YourData:
    """`gather`, audited as a download in `format` ("html" or "json"): one event for each
    case it holds (so that each case's audit trail shows it), or one for each person when
    there is no case. Ids and the format only, never what was downloaded."""
    if format not in FORMATS:
        raise ValueError(format)
    now = now or utcnow()
    held = holdings(session, record)
    owners = [(case.victim_id, case.id) for case in held.cases] or [
        (victim.id, None) for victim in held.victims
    ]
    if owners:
        # One statement however many cases (an executemany, not a row at a time).
        session.execute(
            insert(AuditEvent),
            [
                {
                    "actor_type": ActorType.VICTIM,
                    "actor_id": victim_id,
                    "action": DOWNLOADED,
                    "case_id": case_id,
                    "request_id": request_id,
                    "detail": {"format": format, "session": record.id},
                    "created_at": now,
                }
                for victim_id, case_id in owners
            ],
        )
    return _gathered(session, held, now, SECTIONS)


def _plain(value: Any) -> Any:
    """How a value that JSON has no type for is written."""
    if isinstance(value, ToldDate):
        return value.iso
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    raise TypeError(f"{type(value).__name__} is not part of the export's shape")


def as_json(data: YourData) -> str:
    """The document as JSON text (UTF-8: Welsh letters as they are)."""
    return json.dumps(data.document(), default=_plain, ensure_ascii=False, indent=2) + "\n"
