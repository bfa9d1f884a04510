"""The eligibility checker's rules, on every combination of answers."""

import pytest

from portal.domain.eligibility import (
    Result,
    can_ask,
    next_question,
    outcome,
    previous_question,
    relevant_answers,
)
from tests.support.eligibility import PATHS, expected, expected_questions, walk


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
