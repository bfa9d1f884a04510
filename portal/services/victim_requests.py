"""A victim's requests to their officer: licence conditions, a Victim Personal Statement
for a parole review, the summary of a parole decision. The rules are in
portal.domain.requests; this module keeps, sends, moves on and records them.

- **Drafts are the victim's.** A request is written as a draft, each page saved on the
  server as the victim goes (encrypted at rest); officers never see a draft. "Start"
  pressed twice starts one request, and a kind already in progress on the case is carried
  on rather than started again.
- **Every step is kept, once.** Sending (the victim) and each officer's step carry the
  form's one-time key: a double click, Back and send again, or a retry after a timeout
  takes the step once. A step is a conditional UPDATE of the request's status (from the
  status the form was shown at), so two officers, or an old tab, cannot move a request
  backwards, skip a step or take the same step twice; a step out of order is refused
  (`Refused`) and nothing is written.
- **Everyone is told what they should be.** Each step is on the case's timeline (kind
  REQUEST, in the victim's language: the officer sees it, and so does the victim), is
  audited (ids, kinds and statuses, never the words), and an officer's step tells the
  victim, on an active case, that there is an update for them: content-free, through the
  outbox, in their language, on a detail still marked safe. The officer's words (a
  decision explained, comments) are encrypted on the step and read on the request's page
  only: never in a notification, a title, a URL, the audit or a log.
- **Who sees what.** Callers find the case first (a victim's session sees only its own
  cases; an officer only their region's); a request is then found only on that case.

The caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from portal.catalogue import N_, in_language
from portal.domain import requests as rules
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    OutboxNotification,
    RequestKind,
    RequestStatus,
    TimelineEvent,
    TimelineEventKind,
    VictimLiaisonOfficer,
    VictimRequest,
    VictimRequestStep,
    utcnow,
)
from portal.notifications.outbox import notify_victim
from portal.services import submissions
from portal.services.locks import lock_row
from portal.services.messages import Actor
from portal.services.queues import local_day

K, S = RequestKind, RequestStatus

#: What each step says on the case's timeline, in the victim's language: the victim reads
#: it on their page, the officer on the console's timeline. Never the words of the request.
SENT_WORDS = {
    K.LICENCE_CONDITIONS: N_(
        "You sent your request for licence conditions to your Victim Liaison Officer."
    ),
    K.PERSONAL_STATEMENT: N_(
        "You sent your Victim Personal Statement to your Victim Liaison Officer."
    ),
    K.DECISION_SUMMARY: N_(
        "You asked your Victim Liaison Officer for the summary of the parole decision."
    ),
}
SENT_AGAIN_WORDS = N_("You sent your Victim Personal Statement again, with your changes.")
#: The same steps taken by someone acting for the victim (the entry names them: it links
#: to the representative, so the words never hold a name).
SENT_BY_REPRESENTATIVE_WORDS = {
    K.LICENCE_CONDITIONS: N_(
        "Someone acting for you sent your request for licence conditions to your Victim "
        "Liaison Officer."
    ),
    K.PERSONAL_STATEMENT: N_(
        "Someone acting for you sent your Victim Personal Statement to your Victim Liaison Officer."
    ),
    K.DECISION_SUMMARY: N_(
        "Someone acting for you asked your Victim Liaison Officer for the summary of the "
        "parole decision."
    ),
}
SENT_AGAIN_BY_REPRESENTATIVE_WORDS = N_(
    "Someone acting for you sent your Victim Personal Statement again, with changes."
)
STEP_WORDS = {
    (K.LICENCE_CONDITIONS, S.CONSIDERING): N_(
        "Your Victim Liaison Officer is considering your request for licence conditions."
    ),
    (K.LICENCE_CONDITIONS, S.PASSED_ON): N_(
        "Your request for licence conditions was passed to the Parole Board or the prison, "
        "who will decide."
    ),
    (K.LICENCE_CONDITIONS, S.DECIDED): N_(
        "A decision has been made on your request for licence conditions. Read it on the "
        "request’s page."
    ),
    (K.PERSONAL_STATEMENT, S.CONSIDERING): N_(
        "Your Victim Liaison Officer is reading your Victim Personal Statement."
    ),
    (K.PERSONAL_STATEMENT, S.RETURNED): N_(
        "Your Victim Liaison Officer returned your Victim Personal Statement with comments. "
        "Read them on the statement’s page."
    ),
    (K.PERSONAL_STATEMENT, S.PASSED_ON): N_(
        "Your Victim Personal Statement was passed to the Parole Board."
    ),
    (K.DECISION_SUMMARY, S.CONSIDERING): N_(
        "Your Victim Liaison Officer is getting the summary of the parole decision for you."
    ),
    (K.DECISION_SUMMARY, S.SUMMARY_SENT): N_("The summary of the parole decision was sent to you."),
}


class Refused(Exception):
    """The step cannot be taken; `reason` says why, for a kind page:

    - "case": the case takes no requests (not active or paused; for officers, closed or
      joined to another case);
    - "not-editable": the victim cannot change or send it now (it is with their officer);
    - "not-ready": something is missing (`problem` and `page` say what, and where);
    - "moved-on": the request changed since the form was shown, or the step is not one
      that can follow where it is (out of order);
    - "words-needed", "date-needed": the step needs the officer's words, or a date.
    """

    def __init__(self, reason: str, problem: str | None = None, page: str | None = None):
        super().__init__(reason)
        self.reason, self.problem, self.page = reason, problem, page


@dataclass(frozen=True)
class Step:
    step: VictimRequestStep
    #: False when this form had taken the step before: the step it took then.
    created: bool = True


def _audit(session: Session, case: Case, actor: Actor, action: str, detail: dict) -> None:
    session.add(
        AuditEvent(
            actor_type=actor.type,
            actor_id=actor.id,
            action=action,
            case_id=case.id,
            request_id=actor.request_id,
            address=actor.address,
            detail=actor.detail(detail),
        )
    )


# Finding requests.


def _requests(case: Case, with_drafts: bool):
    statement = (
        select(VictimRequest)
        .where(VictimRequest.case_id == case.id)
        .options(
            selectinload(VictimRequest.steps).options(
                selectinload(VictimRequestStep.officer),
                selectinload(VictimRequestStep.notification),
                selectinload(VictimRequestStep.representative),
            )
        )
        .order_by(VictimRequest.created_at.desc(), VictimRequest.id.desc())
    )
    if not with_drafts:
        statement = statement.where(VictimRequest.status != S.DRAFT)
    return statement


def requests_of(session: Session, case: Case, *, with_drafts: bool) -> list[VictimRequest]:
    """A case's requests, newest first, with their steps (two queries however many).
    Officers pass with_drafts=False: a draft is the victim's alone."""
    return list(session.scalars(_requests(case, with_drafts)))


def request_of(
    session: Session, case: Case, request_id: int, *, with_drafts: bool
) -> VictimRequest | None:
    """Request `request_id` if it is on `case` (and, without drafts, sent); else None."""
    return session.scalar(_requests(case, with_drafts).where(VictimRequest.id == request_id))


def open_request(session: Session, case: Case, kind: RequestKind) -> VictimRequest | None:
    """The request of `kind` on `case` that has not reached its end, if any (the newest)."""
    return session.scalar(
        select(VictimRequest)
        .where(
            VictimRequest.case_id == case.id,
            VictimRequest.kind == kind,
            VictimRequest.status != rules.FINAL[kind],
        )
        .order_by(VictimRequest.created_at.desc(), VictimRequest.id.desc())
        .limit(1)
    )


def waiting_count(session: Session, case: Case) -> int:
    """How many of a case's requests wait for an officer to do something."""
    return sum(
        1
        for kind, status in session.execute(
            select(VictimRequest.kind, VictimRequest.status).where(
                VictimRequest.case_id == case.id, VictimRequest.status != S.DRAFT
            )
        )
        if rules.waits_for_officer(RequestKind(kind), RequestStatus(status))
    )


def _case_takes_requests(case: Case) -> None:
    if case.status not in rules.VICTIM_MAY_ASK:
        raise Refused("case")


def victim_refused(case: Case) -> str | None:
    """Why the victim cannot make a request on this case ("case"), or None."""
    return None if case.status in rules.VICTIM_MAY_ASK else "case"


def officer_refused(case: Case) -> str | None:
    """Why an officer cannot move a request on, on this case ("case"), or None."""
    return None if case.status in rules.OFFICER_MAY_ACT else "case"


# The victim's side.


def _by_key(session: Session, case: Case, key: str) -> VictimRequest | None:
    return session.scalar(
        select(VictimRequest).where(
            VictimRequest.case_id == case.id, VictimRequest.submission_key == key
        )
    )


def start(
    session: Session,
    case: Case,
    kind: RequestKind,
    submission_key: str,
    actor: Actor,
    now: datetime | None = None,
) -> tuple[VictimRequest, bool]:
    """A new draft of `kind` (licence conditions or a statement), or the one in progress:
    (request, True if started now). Raises Refused("case") on a case that takes none."""
    if kind == K.DECISION_SUMMARY:
        raise ValueError("a decision summary is asked for in one step: ask_for_summary")
    lock_row(session, case)  # one request of a kind at a time, whatever tab sent the form
    _case_takes_requests(case)
    now = now or utcnow()
    earlier = _by_key(session, case, submission_key)
    if earlier is not None:
        return earlier, False
    found = open_request(session, case, kind)
    if found is not None:
        return found, False

    def write() -> VictimRequest:
        made = VictimRequest(
            case_id=case.id,
            kind=kind,
            status=S.DRAFT,
            answers={},
            language=case.victim.language,
            submission_key=submission_key,
            created_at=now,
            updated_at=now,
        )
        session.add(made)
        return made

    request, created = submissions.once(
        session, lambda: _by_key(session, case, submission_key), write
    )
    if created:
        _audit(session, case, actor, "request.started", {"request": request.id, "kind": kind})
    return request, created


def save_answers(
    session: Session,
    case: Case,
    request: VictimRequest,
    page: str,
    answers: Mapping[str, Any],
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Keep the answers of one page of a draft (or of a returned statement). Raises
    Refused when it is with the officer, BadAnswers (portal.domain.requests) for answers
    no form of ours sends."""
    _case_takes_requests(case)
    if request.status not in rules.VICTIM_MAY_EDIT:
        raise Refused("not-editable")
    clean = rules.checked(request.kind, page, answers)
    request.answers = {**(request.answers or {}), **clean}
    request.updated_at = now or utcnow()
    _audit(
        session,
        case,
        actor,
        "request.saved",
        {"request": request.id, "kind": request.kind.value, "page": page},
    )


def earlier_step(session: Session, request: VictimRequest, key: str) -> VictimRequestStep | None:
    """The step a form with this one-time key already took on `request`, if any."""
    return session.scalar(
        select(VictimRequestStep).where(
            VictimRequestStep.request_id == request.id, VictimRequestStep.submission_key == key
        )
    )


def _move(
    session: Session, request: VictimRequest, from_statuses, to: RequestStatus, **values
) -> bool:
    """Move the request to `to` only if it is still at one of `from_statuses` (one
    conditional UPDATE: whoever is second finds nothing to move)."""
    moved = session.execute(
        update(VictimRequest)
        .where(VictimRequest.id == request.id, VictimRequest.status.in_(list(from_statuses)))
        .values(status=to, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved:
        session.refresh(request)
    return bool(moved)


def _timeline(
    session: Session,
    case: Case,
    request: VictimRequest,
    words: str,
    on: date,
    officer_id: int | None,
    now: datetime,
    representative_id: int | None = None,
) -> TimelineEvent:
    language = case.victim.language
    event = TimelineEvent(
        case=case,
        kind=TimelineEventKind.REQUEST,
        occurred_on=on,
        summary=in_language(language, words),
        language=language,
        visible_to_victim=True,
        recorded_by_id=officer_id,
        request_id=request.id,
        representative_id=representative_id,
        created_at=now,
    )
    session.add(event)
    return event


def _sent(
    session: Session,
    case: Case,
    request: VictimRequest,
    submission_key: str,
    actor: Actor,
    now: datetime,
    again: bool,
) -> VictimRequestStep:
    acting = actor.representative_id
    step = VictimRequestStep(
        request_id=request.id,
        status=S.SENT,
        actor_type=ActorType.VICTIM,
        representative_id=acting,
        language=case.victim.language,
        submission_key=submission_key,
        created_at=now,
    )
    session.add(step)
    if acting is None:
        words = SENT_AGAIN_WORDS if again else SENT_WORDS[request.kind]
    else:
        words = (
            SENT_AGAIN_BY_REPRESENTATIVE_WORDS
            if again
            else SENT_BY_REPRESENTATIVE_WORDS[request.kind]
        )
    _timeline(session, case, request, words, local_day(now), None, now, acting)
    session.flush()
    _audit(
        session,
        case,
        actor,
        "request.sent",
        {"request": request.id, "kind": request.kind.value, "step": step.id, "again": again},
    )
    return step


def send(
    session: Session,
    case: Case,
    request: VictimRequest,
    submission_key: str,
    actor: Actor,
    now: datetime | None = None,
) -> Step:
    """Send a draft (or a returned statement, changed) to the officer, once.

    Raises Refused("not-ready") with the problem and the page that fixes it when
    something is missing, Refused("not-editable") when it is already with the officer."""
    now = now or utcnow()
    earlier = earlier_step(session, request, submission_key)
    if earlier is not None:
        return Step(earlier, created=False)
    _case_takes_requests(case)
    if request.status not in rules.VICTIM_MAY_EDIT:
        raise Refused("not-editable")
    if missing := rules.not_ready(request.kind, request.answers or {}):
        raise Refused("not-ready", *missing)
    again = request.status == S.RETURNED
    if not _move(session, request, rules.VICTIM_MAY_EDIT, S.SENT, sent_at=now, updated_at=now):
        if (earlier := earlier_step(session, request, submission_key)) is not None:
            return Step(earlier, created=False)
        raise Refused("not-editable")
    return Step(_sent(session, case, request, submission_key, actor, now, again))


def ask_for_summary(
    session: Session,
    case: Case,
    submission_key: str,
    actor: Actor,
    now: datetime | None = None,
) -> tuple[VictimRequest, bool]:
    """Ask for the decision summary, in one step: (request, True if asked now). Asking
    again while one is awaited finds that one."""
    lock_row(session, case)  # one at a time, whatever tab sent the form
    _case_takes_requests(case)
    now = now or utcnow()
    earlier = _by_key(session, case, submission_key)
    if earlier is not None:
        return earlier, False
    found = open_request(session, case, K.DECISION_SUMMARY)
    if found is not None:
        return found, False

    def write() -> VictimRequest:
        made = VictimRequest(
            case_id=case.id,
            kind=K.DECISION_SUMMARY,
            status=S.SENT,
            answers={},
            language=case.victim.language,
            submission_key=submission_key,
            created_at=now,
            updated_at=now,
            sent_at=now,
        )
        session.add(made)
        return made

    request, created = submissions.once(
        session, lambda: _by_key(session, case, submission_key), write
    )
    if created:
        _sent(session, case, request, submission_key, actor, now, again=False)
    return request, created


# The officer's side.


@dataclass(frozen=True)
class Move:
    """An officer's step, as the form sent it."""

    to: RequestStatus
    #: The status the officer saw when the form was shown.
    seen: RequestStatus
    #: What the victim will read (in their language); may be empty unless the step needs it.
    words: str
    #: The day the decision summary was sent (only for that step).
    sent_on: date | None
    submission_key: str


def move_on(
    session: Session,
    case: Case,
    request: VictimRequest,
    move: Move,
    officer: VictimLiaisonOfficer,
    actor: Actor,
    sign_in_url: str,
    now: datetime | None = None,
) -> Step:
    """Take an officer's step on a sent request, once; tell the victim (content-free) on an
    active case. Raises Refused ("case", "moved-on", "words-needed", "date-needed")."""
    now = now or utcnow()
    earlier = earlier_step(session, request, move.submission_key)
    if earlier is not None:
        return Step(earlier, created=False)
    if officer_refused(case):
        raise Refused("case")
    if move.seen != request.status or not rules.officer_may_move(
        request.kind, request.status, move.to
    ):
        raise Refused("moved-on")
    words = move.words.strip()
    if move.to in rules.WORDS_NEEDED and not words:
        raise Refused("words-needed")
    if len(words) > rules.OFFICER_WORDS_LENGTH:
        raise ValueError("the officer's words are too long")
    if move.to in rules.DATED and move.sent_on is None:
        raise Refused("date-needed")
    dated = {"summary_sent_on": move.sent_on} if move.to in rules.DATED else {}
    if not _move(session, request, (move.seen,), move.to, updated_at=now, **dated):
        if (earlier := earlier_step(session, request, move.submission_key)) is not None:
            return Step(earlier, created=False)
        raise Refused("moved-on")
    step = VictimRequestStep(
        request_id=request.id,
        status=move.to,
        actor_type=ActorType.STAFF,
        officer_id=officer.id,
        message=words or None,
        language=case.victim.language,
        submission_key=move.submission_key,
        created_at=now,
    )
    session.add(step)
    on = move.sent_on if move.to in rules.DATED else local_day(now)
    event = _timeline(
        session, case, request, STEP_WORDS[(request.kind, move.to)], on, officer.id, now
    )
    told: OutboxNotification | None = None
    if rules.tells_victim(case.status):
        sent = notify_victim(session, case.victim, "request_update", {"url": sign_in_url}, now)
        told = sent[0] if sent else None
    session.flush()
    if told is not None:
        step.notification_id = event.notification_id = told.id
    _audit(
        session,
        case,
        actor,
        "request.moved_on",
        {
            "request": request.id,
            "kind": request.kind.value,
            "from": move.seen.value,
            "to": move.to.value,
            "step": step.id,
            "event": event.id,
            "notification": told.id if told else None,
        },
    )
    return Step(step)


def why_not_told(case: Case, step: VictimRequestStep):
    """Why an officer's step did not tell the victim, for the officer: the case's status
    (paused) or "no-safe-channel"; None when it told them (or was the victim's own)."""
    if step.actor_type != ActorType.STAFF or step.notification_id is not None:
        return None
    if not rules.tells_victim(case.status):
        return case.status
    return "no-safe-channel"
