"""The words of the eligibility checker: questions, answers and reasons.

Yes and No follow the verb of each question in Welsh (Ydy/Nac ydy, Do/Naddo,
Oedd/Nac oedd), so each question has its own pair.
"""

from __future__ import annotations

from typing import NamedTuple

from portal.domain.journey import Choice
from portal.language import lazy_gettext as _l


class Wording(NamedTuple):
    """A checker question's words: the same shape of choices as a registration question's."""

    text: object
    hint: object
    items: tuple[Choice, ...]


NOT_SURE = _l("I’m not sure")

QUESTIONS = {
    "who": Wording(
        _l("Who are you?"),
        _l("Choose the answer that fits you best."),
        (
            Choice("victim", _l("I am the victim")),
            Choice("parent", _l("I am the parent or guardian of a child who is the victim")),
            Choice("bereaved", _l("I am close family of someone who died because of the crime")),
            Choice(
                "helper",
                _l("I am helping a victim"),
                _l("For example, a friend, a family member or a support worker"),
            ),
        ),
    ),
    "consent": Wording(
        _l("Does the victim know you are asking for them, and agree?"),
        None,
        (
            Choice("yes", _l("Yes, the victim agrees")),
            Choice("no", _l("No, the victim does not agree")),
        ),
    ),
    "offence": Wording(
        _l("What kind of crime was it?"),
        _l("If there was more than one crime, choose the most serious."),
        (
            Choice(
                "violent",
                _l("A violent crime"),
                _l("For example, assault, wounding, robbery, manslaughter or murder"),
            ),
            Choice("sexual", _l("A sexual crime")),
            Choice("other", _l("Another kind of crime")),
            Choice("not-sure", NOT_SURE),
        ),
    ),
    "sentence": Wording(
        _l("What sentence did the offender get?"),
        None,
        (
            Choice("12-months-or-more", _l("12 months or more in prison or youth detention")),
            Choice(
                "hospital-order",
                _l("A hospital order"),
                _l("The court sent them to a secure hospital for treatment"),
            ),
            Choice(
                "under-12-months",
                _l("Less than 12 months in prison, or a sentence served in the community"),
            ),
            Choice("not-sentenced", _l("They have not been sentenced yet")),
            Choice("not-sure", NOT_SURE),
        ),
    ),
    "restriction": Wording(
        _l("Did the court also make a restriction order?"),
        _l(
            "A restriction order means the Justice Secretary must agree before the person "
            "can leave hospital. It is usually in the court’s decision."
        ),
        (
            Choice("yes", _l("Yes, the court made a restriction order")),
            Choice("no", _l("No, there is no restriction order")),
            Choice("not-sure", NOT_SURE),
        ),
    ),
    "domestic-abuse": Wording(
        _l("Was the crime part of domestic abuse?"),
        _l("Domestic abuse is abuse by a partner, an ex-partner or a family member."),
        (
            Choice("yes", _l("Yes, it was part of domestic abuse")),
            Choice("no", _l("No, it was not part of domestic abuse")),
        ),
    ),
}

#: Why a result is what it is, as the result page says it.
REASONS = {
    "victim-must-agree": _l(
        "The victim needs to know and agree before someone else asks for them. "
        "They can also check for themselves."
    ),
    "not-sentenced-yet": _l(
        "The offender has not been sentenced yet. The police Witness Care Unit will tell you "
        "about the sentence, and can refer you to the scheme then."
    ),
    "offence-not-violent-or-sexual": _l("The scheme is for violent and sexual crimes."),
    "sentence-under-12-months": _l(
        "The scheme is for sentences of 12 months or more, or hospital orders."
    ),
    "hospital-order-without-restriction": _l(
        "When there is no restriction order, the hospital managers tell victims about "
        "discharge, not the Probation Service."
    ),
    "domestic-abuse-discretion": _l(
        "Officers can decide to offer the scheme in domestic abuse cases, even when the "
        "usual rules do not apply."
    ),
    "offence-not-sure": _l("You are not sure what kind of crime it was."),
    "sentence-not-sure": _l("You are not sure what the sentence was."),
    "restriction-not-sure": _l("You are not sure whether there is a restriction order."),
}


def answer_text(question: str, value: str) -> object:
    for item in QUESTIONS[question].items:
        if item.value == value:
            return item.text
    return value


RESULT_TITLES = {
    "likely": _l("You can probably join the Victim Contact Scheme"),
    "not-sure": _l("You may be able to join the Victim Contact Scheme"),
    "probably-not": _l("You probably cannot join the Victim Contact Scheme"),
}


def result_title(result: str) -> object:
    return RESULT_TITLES[str(result)]
