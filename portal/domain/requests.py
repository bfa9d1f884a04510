"""The rules of a victim's requests to their Victim Liaison Officer.

Three kinds, one model (`VictimRequest`) and one status vocabulary (RequestStatus):

- **Licence conditions**: no contact with the victim or their family, an exclusion zone
  described in words (never a map, never an address needed), other concerns. The officer
  considers it, passes it to the Parole Board or the prison (who decide), and records the
  decision, explained to the victim in their language.
- **A Victim Personal Statement** for a parole review, written in sections (physical,
  emotional, financial, effects on the family, anything else) with how it is to be given.
  The officer returns it with comments (the victim changes it and sends it again) or
  accepts it and records that it was passed to the Parole Board.
- **The decision summary** after a parole decision: asked for in one step; the officer
  records the day it was sent.

The victim writes a request as a draft, saved on the server as they go; only they see it
until they send it. What an officer may do next depends on the kind and where the request
is (`next_steps`): anything else is refused, so a form sent twice, from an old tab or
forged cannot move a request backwards or skip a step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.domain.vocabulary import CaseStatus, RequestKind, RequestStatus

#: How long each free-text answer may be (characters).
SHORT_TEXT = 500
TEXT_LENGTH = 2000
SECTION_LENGTH = 5000
#: What an officer writes to the victim at a step (a decision explained, comments).
OFFICER_WORDS_LENGTH = 4000
#: How soon an officer takes the first step on a request the victim sent (considers it,
#: passes it on, returns it or sends the summary), in working days from its sending. The
#: scheme gives the police's Witness Care Unit 10 working days to pass a victim's details
#: on to the Victim Liaison Unit (docs: victim-contact-scheme.md, "How people join"); a
#: request is likewise the victim's words that the officer must act on or pass on (to the
#: Parole Board or the prison), so it gets the same. "What needs you first" shows the wait
#: against it, overdue first.
FIRST_STEP_WITHIN_WORKING_DAYS = 10

K, S = RequestKind, RequestStatus

#: What an officer may do next, for each kind and status. A draft is the victim's alone; a
#: returned statement waits for the victim to send it again; the last status of each kind
#: ends it.
NEXT_STEPS: dict[RequestKind, dict[RequestStatus, tuple[RequestStatus, ...]]] = {
    K.LICENCE_CONDITIONS: {
        S.SENT: (S.CONSIDERING, S.PASSED_ON),
        S.CONSIDERING: (S.PASSED_ON,),
        S.PASSED_ON: (S.DECIDED,),
    },
    K.PERSONAL_STATEMENT: {
        S.SENT: (S.CONSIDERING, S.RETURNED, S.PASSED_ON),
        S.CONSIDERING: (S.RETURNED, S.PASSED_ON),
    },
    K.DECISION_SUMMARY: {
        S.SENT: (S.CONSIDERING, S.SUMMARY_SENT),
        S.CONSIDERING: (S.SUMMARY_SENT,),
    },
}
#: Where each kind ends.
FINAL = {
    K.LICENCE_CONDITIONS: S.DECIDED,
    K.PERSONAL_STATEMENT: S.PASSED_ON,
    K.DECISION_SUMMARY: S.SUMMARY_SENT,
}
#: Where the victim may change their answers and send: a draft, a returned statement.
VICTIM_MAY_EDIT = frozenset({S.DRAFT, S.RETURNED})
#: Steps at which the officer must write to the victim (in the victim's language): why,
#: and what was decided; or what to change. At any other step the words are optional.
WORDS_NEEDED = frozenset({S.DECIDED, S.RETURNED})
#: Steps that carry a date: the day the decision summary was sent.
DATED = frozenset({S.SUMMARY_SENT})

#: The case statuses on which a victim may make a request (there is an officer to send it
#: to); and those on which an officer may move one on (not a closed or joined case).
VICTIM_MAY_ASK = frozenset({CaseStatus.ACTIVE, CaseStatus.PAUSED})
OFFICER_MAY_ACT = frozenset({CaseStatus.ACTIVE, CaseStatus.PAUSED})


def next_steps(kind: RequestKind, status: RequestStatus) -> tuple[RequestStatus, ...]:
    """What an officer may do to a request of `kind` that is at `status` (maybe nothing)."""
    return NEXT_STEPS[kind].get(status, ())


def officer_may_move(kind: RequestKind, status: RequestStatus, to: RequestStatus) -> bool:
    return to in next_steps(kind, status)


def is_final(kind: RequestKind, status: RequestStatus) -> bool:
    return FINAL[kind] == status


def waits_for_officer(kind: RequestKind, status: RequestStatus) -> bool:
    """Sent and not yet at its end: an officer has something to do."""
    return bool(next_steps(kind, status))


def tells_victim(case_status: CaseStatus) -> bool:
    """Whether a step an officer takes is told to the victim at once (a bare "there is an
    update for you"): on an active case. A paused case is told nothing until the pause
    ends; the step waits on their page."""
    return case_status == CaseStatus.ACTIVE


@dataclass(frozen=True)
class Question:
    """One page of a request: its address and the answers it keeps."""

    slug: str
    keys: tuple[str, ...]


#: Who the offender must not contact (ticked boxes), or no such condition.
NO_CONTACT = ("me", "family")
NO_CONTACT_NONE = "none"
YES_NO = ("yes", "no")
#: How a Victim Personal Statement is given to the Parole Board.
HOW_GIVEN = ("panel_reads", "i_read", "recorded", "video_link")
#: The statement's sections, in order.
SECTIONS = ("physical", "emotional", "financial", "family", "anything_else")

QUESTIONS: dict[RequestKind, tuple[Question, ...]] = {
    K.LICENCE_CONDITIONS: (
        Question("no-contact", ("no_contact", "family_who")),
        Question("exclusion-zone", ("exclusion_zone", "places")),
        Question("other-concerns", ("other_concerns",)),
    ),
    K.PERSONAL_STATEMENT: (
        *(Question(section.replace("_", "-"), (section,)) for section in SECTIONS),
        Question("how-given", ("how_given",)),
    ),
    K.DECISION_SUMMARY: (),
}
#: The longest each answer may be (text), for the service to check whatever a form said.
TEXT_LIMITS = {
    "family_who": SHORT_TEXT,
    "places": TEXT_LENGTH,
    "other_concerns": TEXT_LENGTH,
    **dict.fromkeys(SECTIONS, SECTION_LENGTH),
}
#: The answers that are one of a few values.
CHOICES = {"exclusion_zone": YES_NO, "how_given": HOW_GIVEN}

#: Addresses of the kinds, as a victim's pages name them.
SLUGS = {
    K.LICENCE_CONDITIONS: "licence-conditions",
    K.PERSONAL_STATEMENT: "personal-statement",
    K.DECISION_SUMMARY: "decision-summary",
}
KIND_OF_SLUG = {slug: kind for kind, slug in SLUGS.items()}


def question(kind: RequestKind, slug: str) -> Question | None:
    return next((q for q in QUESTIONS[kind] if q.slug == slug), None)


def question_after(kind: RequestKind, slug: str) -> Question | None:
    """The next page after `slug`, or None when it is the last (check your answers)."""
    questions = QUESTIONS[kind]
    for index, each in enumerate(questions):
        if each.slug == slug:
            return questions[index + 1] if index + 1 < len(questions) else None
    return None


def question_before(kind: RequestKind, slug: str) -> Question | None:
    questions = QUESTIONS[kind]
    for index, each in enumerate(questions):
        if each.slug == slug:
            return questions[index - 1] if index > 0 else None
    return None


class BadAnswers(ValueError):
    """Answers no form of ours sends (a forged post): the caller refuses them (400)."""


def checked(kind: RequestKind, slug: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of page `slug`, checked as the service keeps them: only that page's keys,
    texts within their limits, choices among those offered. Raises BadAnswers."""
    found = question(kind, slug)
    if found is None or set(answers) - set(found.keys):
        raise BadAnswers(slug)
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        if key == "no_contact":
            ticked = list(value or [])
            allowed = set(NO_CONTACT) | {NO_CONTACT_NONE}
            if (
                not ticked
                or not set(ticked) <= allowed
                or (NO_CONTACT_NONE in ticked and len(ticked) > 1)
            ):
                raise BadAnswers(key)
            clean[key] = [choice for choice in (*NO_CONTACT, NO_CONTACT_NONE) if choice in ticked]
        elif key in CHOICES:
            if value not in CHOICES[key]:
                raise BadAnswers(key)
            clean[key] = value
        else:
            text = value or ""
            if not isinstance(text, str) or len(text) > TEXT_LIMITS[key]:
                raise BadAnswers(key)
            clean[key] = text
    return clean


def asks_for_something(answers: Mapping[str, Any]) -> bool:
    """A licence conditions request asks for at least one condition or says a concern."""
    return bool(
        set(answers.get("no_contact") or ()) & set(NO_CONTACT)
        or answers.get("exclusion_zone") == "yes"
        or (answers.get("other_concerns") or "").strip()
    )


def statement_written(answers: Mapping[str, Any]) -> bool:
    return any((answers.get(section) or "").strip() for section in SECTIONS)


def not_ready(kind: RequestKind, answers: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why the request cannot be sent yet, as (problem, the page that fixes it), or None."""
    if kind == K.LICENCE_CONDITIONS:
        if not asks_for_something(answers):
            return "nothing-asked", "no-contact"
        if answers.get("exclusion_zone") == "yes" and not (answers.get("places") or "").strip():
            return "no-places", "exclusion-zone"
    elif kind == K.PERSONAL_STATEMENT:
        if not statement_written(answers):
            return "nothing-written", "physical"
        if answers.get("how_given") not in HOW_GIVEN:
            return "no-how-given", "how-given"
    return None
