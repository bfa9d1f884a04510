"""The eligibility checker's rules written out independently of the code, every way
through it, and the titles of its results: the unit, functional and browser tests share them."""

import itertools

from portal.domain.eligibility import QUESTIONS, Result, can_ask, next_question, relevant_answers

TITLES = {
    "en": {
        "likely": "You can probably join the Victim Contact Scheme",
        "not-sure": "You may be able to join the Victim Contact Scheme",
        "probably-not": "You probably cannot join the Victim Contact Scheme",
    },
    "cy": {
        "likely": "Mae’n debyg y gallwch ymuno â’r Cynllun Cyswllt â Dioddefwyr",
        "not-sure": "Efallai y gallwch ymuno â’r Cynllun Cyswllt â Dioddefwyr",
        "probably-not": "Mae’n debyg na allwch ymuno â’r Cynllun Cyswllt â Dioddefwyr",
    },
}


def walk(choose) -> tuple[dict[str, str], list[str]]:
    """Answer questions as the checker asks them; `choose(question)` gives the answer."""
    answers: dict[str, str] = {}
    asked = []
    while (question := next_question(answers)) is not None:
        assert can_ask(question, answers)
        asked.append(question)
        answers[question] = choose(question)
        answers = relevant_answers(answers)
        assert len(asked) <= len(QUESTIONS), "the checker must end"
    return answers, asked


def all_paths():
    """Every way through the checker: a choice for each question it asks."""
    seen = set()
    for combination in itertools.product(*QUESTIONS.values()):
        chosen = dict(zip(QUESTIONS, combination, strict=True))
        answers, asked = walk(lambda question, chosen=chosen: chosen[question])
        key = tuple(sorted(answers.items()))
        if key not in seen:
            seen.add(key)
            yield answers, asked


PATHS = list(all_paths())


def expected(a: dict[str, str]) -> Result:
    """The scheme's rules, written out independently of the code under test."""
    if a["who"] == "helper" and a["consent"] == "no":
        return Result.PROBABLY_NOT
    if a["sentence"] == "not-sentenced":
        return Result.NOT_SURE  # not yet: referral usually follows the sentence
    if a.get("domestic-abuse") == "yes":
        return Result.NOT_SURE
    outside = (
        a["offence"] == "other"
        or a["sentence"] == "under-12-months"
        or a.get("restriction") == "no"
    )
    if outside:
        return Result.PROBABLY_NOT
    if "not-sure" in (a["offence"], a["sentence"], a.get("restriction")):
        return Result.NOT_SURE
    return Result.LIKELY


def expected_questions(a: dict[str, str]) -> list[str]:
    """Which questions the rules say to ask, written out independently."""
    asked = ["who"]
    if a["who"] == "helper":
        asked.append("consent")
        if a["consent"] == "no":
            return asked
    asked += ["offence", "sentence"]
    if a["sentence"] == "hospital-order":
        asked.append("restriction")
    if a["sentence"] != "not-sentenced" and (
        a["offence"] == "other" or a["sentence"] == "under-12-months"
    ):
        asked.append("domestic-abuse")
    return asked
