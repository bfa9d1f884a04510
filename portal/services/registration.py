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

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import questions
from portal.catalogue import N_
from portal.domain.contact_times import london_today
from portal.domain.names import same_person_name
from portal.models import (
    Case,
    CaseStatus,
    Region,
    RegistrationDraft,
    utcnow,
)
from portal.notifications.outbox import CHANNEL_OF, enqueue
from portal.services import drafts
from portal.services.joining import LIVE_STATUSES, Joining, open_case

__all__ = ["LIVE_STATUSES", "NotReadyToSubmit", "Submission", "same_person_name", "submit"]

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


def submitted_case(session: Session, draft_id: str | None, holder: str | None) -> Case | None:
    """The case a draft became, if it was sent from the browser that holds it."""
    draft = session.get(RegistrationDraft, draft_id) if draft_id else None
    if draft is None or draft.submitted_case_id is None or not drafts.holds(draft, holder):
        return None
    return session.get(Case, draft.submitted_case_id)


#: What the case timeline says about an online registration, in the victim's language.
JOINED_ONLINE = N_("You asked to join the scheme online.")


def _new_case(session: Session, draft: RegistrationDraft, now: datetime) -> Case:
    """The case and victim record (portal.services.joining), from what each question that
    applies puts in it, in the triage queue of the court's region (or the national queue).
    Only the detail proved with a code counts as proved; it is the one a duplicate is
    looked for by."""
    found = questions.record(draft.answers)
    region_code = found.get("region")
    region = session.scalar(select(Region).filter_by(code=region_code)) if region_code else None
    proved = (CHANNEL_OF[draft.verified_channel], draft.verified_value)
    return open_case(
        session,
        found,
        Joining(
            status=CaseStatus.TRIAGE,
            region=region,  # None: the national triage queue
            note=JOINED_ONLINE,
            occurred_on=london_today(now),
            proved=frozenset({proved}),
            match_on=(proved,),
            # The 20-working-day clock starts on London's day, not the server's (UTC's).
            case={"clock_started_on": london_today(now)},
        ),
        now,
    )


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
    case = _new_case(session, draft, now)
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
