"""Turning a verified registration draft into a case in the right triage queue.

`submit` is idempotent: a second submit of the same draft (two clicks, back
and resubmit) returns the case the first one made. Every registration makes
a case of its own with its own reference, and the registrant sees the same
pages and gets the same email whatever else we hold. One that looks like a
live case (the same victim and offender, and a contact detail that case
holds marked safe) is flagged for an officer to review and merge
(`Case.possible_duplicate_of_id`); nothing about the other case is shown to
the registrant or added to its timeline, because whoever registers may be
the person the victim needs to be kept safe from.

The answers a draft holds (the questions in portal/questions/ write them, and
say what each puts in the record):

    registering_as   self | parent | bereaved | supporter   (relationship: text;
                     consent: true, needed from a supporter)   your_name: text (not self)
    victim_name      text                 date_of_birth: YYYY-MM-DD (optional)
    contacts         {channel: {"value": str, "safe": bool}} for email, sms, phone, letter
    safe_from, safe_until  "HH:MM" (optional)     voicemail_safe: bool
    envelope_name_to_avoid (optional)
    language         en | cy              accessibility_needs: [text] (optional)
    offender_name    text                 offence_type: violent | sexual | other | not-sure
    court            a court code, or "not-listed"
    sentenced_in     "YYYY-MM" (optional)  sentence: text (optional)  external_reference (optional)
    updates_wanted   every_stage | release_only | annual
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal import questions
from portal.catalogue import N_, in_language
from portal.domain.references import new_reference
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    Region,
    RegistrationDraft,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    utcnow,
)
from portal.notifications.outbox import CHANNEL_OF, enqueue
from portal.services import drafts

REQUIRED = ("registering_as", "victim_name", "contacts", "language", "offender_name",
            "offence_type", "court", "updates_wanted")  # fmt: skip


class NotReadyToSubmit(Exception):
    """The draft is not verified or not complete; `missing` says what is needed."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class Submission:
    case: Case


def same_person_name(name: str) -> str:
    """A name compared without case, accents or extra spaces (Ŵ = W, É = E)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _missing(draft: RegistrationDraft) -> list[str]:
    missing = [key for key in REQUIRED if not draft.answers.get(key)]
    if (
        draft.answers.get("registering_as") == "supporter"
        and draft.answers.get("consent") is not True
    ):
        missing.append("consent")
    if draft.verified_value is None:
        missing.append("verified_contact")
    return missing


def _possible_duplicate(session: Session, draft: RegistrationDraft) -> Case | None:
    """A live case of the same person about the same offender, reached by a safe detail."""
    candidates = session.scalars(
        select(Case)
        .join(ContactPreference, ContactPreference.victim_id == Case.victim_id)
        .where(
            ContactPreference.channel == CHANNEL_OF[draft.verified_channel],
            ContactPreference.value == draft.verified_value,
            ContactPreference.is_safe.is_(True),
            Case.status.in_(LIVE_STATUSES),
        )
        .options(joinedload(Case.victim))
        .order_by(Case.created_at, Case.id)
    ).all()
    offender = same_person_name(draft.answers["offender_name"])
    victim = same_person_name(draft.answers["victim_name"])
    for case in candidates:
        # The same person about the same offender: a parent may register two children.
        if (
            same_person_name(case.offender_name) == offender
            and same_person_name(case.victim.full_name) == victim
        ):
            return case
    return None


def submitted_case(session: Session, draft_id: str | None, holder: str | None) -> Case | None:
    """The case a draft became, if it was sent from the browser that holds it."""
    draft = session.get(RegistrationDraft, draft_id) if draft_id else None
    if draft is None or draft.submitted_case_id is None or not drafts.holds(draft, holder):
        return None
    return session.get(Case, draft.submitted_case_id)


#: What the case timeline says about an online registration, in the victim's language.
JOINED_ONLINE = N_("You asked to join the scheme online.")
#: Cases a new registration may duplicate: not declined, not closed.
LIVE_STATUSES = (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED)


def _note(language: Language, message: str) -> str:
    return in_language(language.value, message)


def _columns(found: dict, prefix: str) -> dict:
    return {
        key.removeprefix(prefix): value for key, value in found.items() if key.startswith(prefix)
    }


def _new_case(session: Session, draft: RegistrationDraft, now: datetime) -> Case:
    """The case and victim record, from what each question that applies puts in it."""
    found = questions.record(draft.answers)
    every_contact = _columns(found, "every_contact.")
    preferences = []
    for channel_name, detail in found["contacts"].items():
        channel = Channel(channel_name)
        verified = (
            channel == CHANNEL_OF.get(draft.verified_channel)
            and detail["value"] == draft.verified_value
        )
        preferences.append(
            ContactPreference(
                channel=channel,
                value=detail["value"],
                is_safe=detail["is_safe"],
                verified_at=now if verified else None,
                **{
                    "voicemail_safe": False,
                    "safe_from": None,
                    "safe_until": None,
                    **every_contact,
                    **(_columns(found, "phone.") if channel == Channel.PHONE else {}),
                },
            )
        )
    victim = Victim(**_columns(found, "victim."), contact_preferences=preferences)
    region_code = found.get("region")
    region = session.scalar(select(Region).filter_by(code=region_code)) if region_code else None
    reference = new_reference()
    while session.scalar(select(Case.id).filter_by(reference=reference)) is not None:
        reference = new_reference()
    case = Case(
        reference=reference,
        victim=victim,
        region=region,  # None: the national triage queue
        status=CaseStatus.TRIAGE,
        **_columns(found, "case."),
        timeline=[
            TimelineEvent(
                kind=TimelineEventKind.NOTE,
                occurred_on=now.date(),
                summary=_note(victim.language, JOINED_ONLINE),
                language=victim.language,
            )
        ],
    )
    session.add(case)
    return case


def _forget_answers(draft: RegistrationDraft) -> None:
    """Least data: once sent, the case holds the answers; the draft keeps only its id."""
    draft.answers = {}
    draft.codes.clear()


def submit(session: Session, draft: RegistrationDraft, now: datetime | None = None) -> Submission:
    """Make (or find) the case for a verified, complete draft, in the caller's transaction."""
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        # Two submits at once: the second waits here, then sees the first's case.
        session.execute(
            select(RegistrationDraft.id).where(RegistrationDraft.id == draft.id).with_for_update()
        )
        session.refresh(draft)
    if draft.submitted_case_id is not None:
        return Submission(session.get(Case, draft.submitted_case_id))
    missing = _missing(draft)
    if missing:
        raise NotReadyToSubmit(missing)
    duplicate = _possible_duplicate(session, draft)
    case = _new_case(session, draft, now)
    case.possible_duplicate_of = duplicate
    session.flush()
    if duplicate is not None:
        session.add(
            AuditEvent(
                actor_type=ActorType.SYSTEM,
                action="possible duplicate flagged",
                case_id=case.id,
                detail={"possible_duplicate_of": duplicate.id},
                created_at=now,
            )
        )
    draft.submitted_case_id = case.id
    _forget_answers(draft)
    enqueue(
        session,
        recipient=draft.verified_value,
        channel=draft.verified_channel,
        kind="registration_received",
        language=case.victim.language,
        personalisation={"reference": case.reference},
        victim=case.victim,
        now=now,
    )
    return Submission(case)
