"""The eligibility checker's rules, on every combination of answers."""

import itertools

import pytest

from portal.domain.eligibility import (
    QUESTIONS,
    Result,
    can_ask,
    next_question,
    outcome,
    previous_question,
    relevant_answers,
)


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


def test_there_are_many_distinct_paths():
    assert len(PATHS) > 100


@pytest.mark.parametrize(
    ("answers", "asked"), PATHS, ids=lambda v: "-".join(v.values()) if isinstance(v, dict) else None
)
def test_every_path_ends_with_the_right_result(answers, asked):
    result = outcome(answers)
    assert result is not None
    assert result.result == expected(answers)
    assert result.result == Result.LIKELY or result.reasons, "a 'no' or 'not sure' says why"
    assert asked == expected_questions(answers)
    assert set(asked) == set(answers)


def test_follow_up_questions_only_when_needed():
    for answers, asked in PATHS:
        assert ("consent" in asked) == (answers["who"] == "helper")
        assert ("restriction" in asked) == (answers.get("sentence") == "hospital-order")
    helper_no = walk(lambda q: {"who": "helper", "consent": "no"}.get(q, "violent"))
    assert helper_no[1] == ["who", "consent"], "no agreement: stop at once"


def test_a_likely_path():
    answers = {"who": "victim", "offence": "sexual", "sentence": "12-months-or-more"}
    assert outcome(answers).result == Result.LIKELY


def test_hospital_order_asks_about_restriction():
    answers = {"who": "bereaved", "offence": "violent", "sentence": "hospital-order"}
    assert next_question(answers) == "restriction"
    assert outcome({**answers, "restriction": "yes"}).result == Result.LIKELY
    assert outcome({**answers, "restriction": "no"}).reasons == (
        "hospital-order-without-restriction",
    )


def test_domestic_abuse_opens_discretion():
    answers = {"who": "victim", "offence": "violent", "sentence": "under-12-months"}
    assert next_question(answers) == "domestic-abuse"
    assert outcome({**answers, "domestic-abuse": "yes"}).result == Result.NOT_SURE
    assert outcome({**answers, "domestic-abuse": "no"}).result == Result.PROBABLY_NOT


def test_changing_an_early_answer_drops_answers_that_no_longer_apply():
    answers = {
        "who": "victim",
        "offence": "violent",
        "sentence": "hospital-order",
        "restriction": "yes",
    }
    answers["sentence"] = "12-months-or-more"
    assert relevant_answers(answers) == {
        "who": "victim",
        "offence": "violent",
        "sentence": "12-months-or-more",
    }


def test_forged_answers_do_not_count():
    assert relevant_answers({"who": "king", "offence": "violent"}) == {}
    assert next_question({"who": "victim", "offence": "<script>"}) == "offence"


def test_questions_cannot_be_skipped():
    assert not can_ask("sentence", {})
    assert not can_ask("sentence", {"who": "victim"})
    assert can_ask("sentence", {"who": "victim", "offence": "violent"})
    assert not can_ask("consent", {"who": "victim"})
    assert not can_ask("no-such-question", {})
    assert can_ask("who", {})


def test_a_helper_without_agreement_can_still_change_both_answers():
    answers = {"who": "helper", "consent": "no"}
    assert can_ask("who", answers)
    assert can_ask("consent", answers)
    assert not can_ask("offence", answers)


def test_previous_question_skips_questions_that_do_not_apply():
    answers = {"who": "victim", "offence": "violent"}
    assert previous_question("offence", answers) == "who"
    assert previous_question("who", answers) is None
    helper = {"who": "helper", "consent": "yes", "offence": "violent"}
    assert previous_question("offence", helper) == "consent"
