"""The order of the registration questions, and which ones a draft's answers need.

One question a page. Some apply only after certain answers (the relationship
question only for someone registering for a victim, the phone-call question
only when a phone number is safe to call). A question counts as answered when
its keys are in the answers, even when an optional answer was left blank, so
the journey knows where a person is. Changing an early answer can make a later
question apply that was not answered yet: `first_unanswered` finds it.

Answer keys are those documented in `portal.services.registration`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.domain.contact_details import CODE_WAYS

#: Who can register, as asked on the first page.
REGISTERING_AS = ("self", "parent", "bereaved", "supporter")
#: Ways to contact someone, in the order they are offered.
CONTACT_WAYS = ("email", "sms", "phone", "letter")
#: Ways that can carry a security code, so that the person can prove the detail is theirs.
VERIFIABLE = CODE_WAYS
ACCESSIBILITY_NEEDS = ("large-print", "easy-read", "interpreter", "bsl")
OFFENCE_TYPES = ("violent", "sexual", "other", "not-sure")
UPDATES_WANTED = ("every_stage", "release_only", "annual")
NOT_LISTED = "not-listed"


def _acting_for_someone(answers: dict) -> bool:
    return answers.get("registering_as") in ("parent", "bereaved", "supporter")


def _needs_relationship(answers: dict) -> bool:
    return answers.get("registering_as") in ("bereaved", "supporter")


def _contacts(answers: dict) -> dict:
    contacts = answers.get("contacts")
    return contacts if isinstance(contacts, dict) else {}


def _safe(answers: dict, way: str) -> bool:
    detail = _contacts(answers).get(way)
    return isinstance(detail, dict) and detail.get("safe") is True


def _safety_answered(answers: dict) -> bool:
    contacts = _contacts(answers)
    return bool(contacts) and all(
        isinstance(detail, dict) and isinstance(detail.get("safe"), bool)
        for detail in contacts.values()
    )


@dataclass(frozen=True)
class Question:
    slug: str
    #: The answer keys this page writes; it is answered when all are present.
    keys: tuple[str, ...]
    applies: Callable[[dict], bool] = lambda answers: True
    answered: Callable[[dict], bool] | None = None

    def is_answered(self, answers: dict) -> bool:
        if self.answered is not None:
            return self.answered(answers)
        return all(key in answers for key in self.keys)


QUESTIONS: tuple[Question, ...] = (
    Question("who", ("registering_as",)),
    Question(
        "relationship",
        ("relationship", "consent"),
        _needs_relationship,
        answered=lambda a: (
            "relationship" in a
            and (a.get("registering_as") != "supporter" or a.get("consent") is True)
        ),
    ),
    Question("your-name", ("your_name",), _acting_for_someone),
    Question("victim-name", ("victim_name",)),
    Question("date-of-birth", ("date_of_birth",)),
    Question("contact", ("contacts",)),
    Question("safe-contact", ("contacts",), answered=_safety_answered),
    Question(
        "phone-calls", ("safe_from", "safe_until", "voicemail_safe"), lambda a: _safe(a, "phone")
    ),
    Question("letters", ("envelope_name_to_avoid",), lambda a: _safe(a, "letter")),
    Question("language", ("language",)),
    Question("accessibility", ("accessibility_needs",)),
    Question("offender", ("offender_name",)),
    Question("offence", ("offence_type",)),
    Question("court", ("court",)),
    Question("sentenced", ("sentenced_in",)),
    Question("sentence", ("sentence", "external_reference")),
    Question("updates", ("updates_wanted",)),
)
BY_SLUG = {question.slug: question for question in QUESTIONS}


def questions_for(answers: dict) -> list[Question]:
    return [question for question in QUESTIONS if question.applies(answers)]


def first_unanswered(answers: dict) -> str | None:
    """The first question that applies and has no answer yet; None when all are answered."""
    for question in questions_for(answers):
        if not question.is_answered(answers):
            return question.slug
    return None


def can_ask(slug: str, answers: dict) -> bool:
    """A question can be shown when it applies and every question before it is answered."""
    for question in questions_for(answers):
        if question.slug == slug:
            return True
        if not question.is_answered(answers):
            return False
    return False


def next_after(slug: str, answers: dict) -> str | None:
    """The question after `slug` for these answers; None after the last one."""
    applicable = [question.slug for question in questions_for(answers)]
    position = applicable.index(slug) if slug in applicable else -1
    later = applicable[position + 1 :]
    return later[0] if later else None


def previous_before(slug: str, answers: dict) -> str | None:
    applicable = [question.slug for question in questions_for(answers)]
    if slug not in applicable:
        return None
    position = applicable.index(slug)
    return applicable[position - 1] if position > 0 else None


def verifiable_contacts(answers: dict) -> dict[str, str]:
    """The email address and mobile number given and safe to use: a code can go to these."""
    return {
        way: detail["value"]
        for way, detail in _contacts(answers).items()
        if way in VERIFIABLE and isinstance(detail, dict) and detail.get("safe") is True
    }


def relevant_answers(answers: dict) -> dict:
    """Drop answers to questions that no longer apply (a changed early answer)."""
    kept = dict(answers)
    for question in QUESTIONS:
        if not question.applies(answers):
            for key in question.keys:
                if key != "contacts":
                    kept.pop(key, None)
    if answers.get("registering_as") != "supporter":
        kept.pop("consent", None)
    return kept


#: Eligibility checker answers that the registration can start from.
_FROM_ELIGIBILITY_WHO = {
    "victim": "self",
    "parent": "parent",
    "bereaved": "bereaved",
    "helper": "supporter",
}


def answers_from_eligibility(checker: dict) -> dict:
    """What the eligibility checker already asked, as registration answers."""
    answers: dict = {}
    who = _FROM_ELIGIBILITY_WHO.get(checker.get("who", ""))
    if who and not (who == "supporter" and checker.get("consent") != "yes"):
        answers["registering_as"] = who
        if who == "supporter":
            answers["consent"] = True
    if checker.get("offence") in OFFENCE_TYPES:
        answers["offence_type"] = checker["offence"]
    return answers
