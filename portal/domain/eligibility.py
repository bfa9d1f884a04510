"""Can someone join the Victim Contact Scheme? The checker's questions and rules.

The rules follow the scheme: a victim (or a parent or guardian of a child
victim, or close family of someone who died) of a violent or sexual offence
where the offender got 12 months or more in custody, or a hospital order
with restrictions. Officers can use discretion (for example in domestic
abuse cases with a shorter sentence), so the checker never refuses outright:
"probably not" still says why and how to ask.

Answers are a plain dict of question -> choice. Each question lists its
choices; `applies(question, answers)` says whether the answers so far make
it relevant, so changing an early answer drops the later ones that no
longer apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.domain.journey import Journey, Step


class Result(StrEnum):
    LIKELY = "likely"
    NOT_SURE = "not-sure"
    PROBABLY_NOT = "probably-not"


#: Questions in the order they are asked, with their choices.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "who": ("victim", "parent", "bereaved", "helper"),
    "consent": ("yes", "no"),
    "offence": ("violent", "sexual", "other", "not-sure"),
    "sentence": (
        "12-months-or-more",
        "hospital-order",
        "under-12-months",
        "not-sentenced",
        "not-sure",
    ),
    "restriction": ("yes", "no", "not-sure"),
    "domestic-abuse": ("yes", "no"),
}

SERIOUS_OFFENCES = {"violent", "sexual"}


def _domestic_abuse_matters(answers: dict) -> bool:
    return (
        answers.get("offence") == "other" or answers.get("sentence") == "under-12-months"
    ) and answers.get("sentence") != "not-sentenced"


#: When each question is asked: the same journey machinery as registration's.
JOURNEY = Journey(
    Step(slug=question, keys=(question,), applies=applies)
    for question, applies in (
        ("who", lambda a: True),
        ("consent", lambda a: a.get("who") == "helper"),
        ("offence", lambda a: True),
        ("sentence", lambda a: True),
        ("restriction", lambda a: a.get("sentence") == "hospital-order"),
        ("domestic-abuse", _domestic_abuse_matters),
    )
)


def applies(question: str, answers: dict[str, str]) -> bool:
    """Whether `question` needs asking, given the answers before it."""
    return JOURNEY.by_slug[question].applies(answers)


def _stops_early(answers: dict[str, str]) -> bool:
    """A helper without the victim's agreement cannot go on for them."""
    return answers.get("who") == "helper" and answers.get("consent") == "no"


def relevant_answers(answers: dict[str, str]) -> dict[str, str]:
    """The answers that still count: valid choices of the questions that apply,
    in order, up to the first one not (validly) answered."""
    kept: dict[str, str] = {}
    for step in JOURNEY.steps:
        if _stops_early(kept):
            break
        if not step.applies(kept):
            continue
        value = answers.get(step.slug)
        if value not in QUESTIONS[step.slug]:
            break
        kept[step.slug] = value
    return kept


def next_question(answers: dict[str, str]) -> str | None:
    """The first question still to answer, or None when the result is known."""
    kept = relevant_answers(answers)
    if _stops_early(kept):
        return None
    return JOURNEY.first_unanswered(kept)


def can_ask(question: str, answers: dict[str, str]) -> bool:
    """A question may be shown once every question before it is answered."""
    if question not in JOURNEY:
        return False
    kept = relevant_answers(answers)
    if _stops_early(kept):
        # A helper without the victim's agreement: only those two answers can change.
        return question in ("who", "consent")
    return JOURNEY.can_ask(question, kept)


def previous_question(question: str, answers: dict[str, str]) -> str | None:
    return JOURNEY.previous_before(question, relevant_answers(answers))


@dataclass(frozen=True)
class Outcome:
    result: Result
    #: Why, as keys the result page explains in words.
    reasons: tuple[str, ...]


def outcome(answers: dict[str, str]) -> Outcome | None:
    """The result, once every question that applies is answered."""
    if next_question(answers) is not None:
        return None
    a = relevant_answers(answers)
    if _stops_early(a):
        return Outcome(Result.PROBABLY_NOT, ("victim-must-agree",))
    offence, sentence = a["offence"], a["sentence"]
    if sentence == "not-sentenced":
        # Not yet: victims are usually referred once the sentence is known.
        return Outcome(Result.NOT_SURE, ("not-sentenced-yet",))
    reasons: list[str] = []
    if a.get("domestic-abuse") == "yes":
        return Outcome(Result.NOT_SURE, ("domestic-abuse-discretion",))
    if offence == "other":
        reasons.append("offence-not-violent-or-sexual")
    if sentence == "under-12-months":
        reasons.append("sentence-under-12-months")
    if sentence == "hospital-order" and a.get("restriction") == "no":
        reasons.append("hospital-order-without-restriction")
    if reasons:
        return Outcome(Result.PROBABLY_NOT, tuple(reasons))
    unsure = []
    if offence == "not-sure":
        unsure.append("offence-not-sure")
    if sentence == "not-sure":
        unsure.append("sentence-not-sure")
    if sentence == "hospital-order" and a.get("restriction") == "not-sure":
        unsure.append("restriction-not-sure")
    if unsure:
        return Outcome(Result.NOT_SURE, tuple(unsure))
    return Outcome(Result.LIKELY, ())
