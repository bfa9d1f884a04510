"""The rules of registering that know nothing of pages: who and what the answers allow.

The questions themselves (their order, forms, words and records) are declared
once each in `portal/questions/`; their order is a `Journey`
(`portal.domain.journey`). Here: the values the answers may hold, when a
question applies, which contact details can prove who someone is, what a
changed answer undoes, and what the eligibility checker's answers start.

Answer keys are those documented in `portal.services.registration`.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.contact_details import CODE_WAYS
from portal.domain.journey import Journey

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


def acting_for_someone(answers: dict) -> bool:
    return answers.get("registering_as") in ("parent", "bereaved", "supporter")


def needs_relationship(answers: dict) -> bool:
    return answers.get("registering_as") in ("bereaved", "supporter")


def _contacts(answers: dict) -> dict:
    contacts = answers.get("contacts")
    return contacts if isinstance(contacts, dict) else {}


def safe_to_use(answers: dict, way: str) -> bool:
    detail = _contacts(answers).get(way)
    return isinstance(detail, dict) and detail.get("safe") is True


def safety_answered(answers: dict) -> bool:
    contacts = _contacts(answers)
    return bool(contacts) and all(
        isinstance(detail, dict) and isinstance(detail.get("safe"), bool)
        for detail in contacts.values()
    )


def verifiable_contacts(answers: dict) -> dict[str, str]:
    """The email address and mobile number given and safe to use: a code can go to these."""
    return {
        way: detail["value"]
        for way, detail in _contacts(answers).items()
        if way in VERIFIABLE and isinstance(detail, dict) and detail.get("safe") is True
    }


@dataclass(frozen=True)
class Change:
    """What saving a page's answers does to a draft."""

    #: The answers to keep: those of questions that still apply.
    answers: dict
    #: Carry-on links already emailed stop working: the address is no longer given or safe.
    withdraw_links: bool
    #: The proved contact detail no longer counts: it was changed or is no longer safe.
    forget_proof: bool


def change(journey: Journey, before: dict, new: dict, proved: str | None) -> Change:
    """Save `new` over `before`: what is kept, and what the change undoes."""
    answers = journey.relevant({**before, **new})
    email_before = _contacts(before).get("email") or {}
    email_after = _contacts(answers).get("email") or {}
    return Change(
        answers=answers,
        withdraw_links=email_after.get("safe") is not True
        or email_after.get("value") != email_before.get("value"),
        forget_proof=bool(proved) and proved not in verifiable_contacts(answers).values(),
    )


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
