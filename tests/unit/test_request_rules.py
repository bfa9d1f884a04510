"""The rules of a victim's requests (portal.domain.requests): which step follows which for
each kind, what the victim may change, what is checked before anything is kept or sent."""

from __future__ import annotations

from itertools import pairwise

import pytest

from portal.domain import requests as rules
from portal.domain.vocabulary import CaseStatus, RequestKind, RequestStatus

K, S = RequestKind, RequestStatus


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        (K.LICENCE_CONDITIONS, (S.SENT, S.CONSIDERING, S.PASSED_ON, S.DECIDED)),
        (K.LICENCE_CONDITIONS, (S.SENT, S.PASSED_ON, S.DECIDED)),
        (K.PERSONAL_STATEMENT, (S.SENT, S.CONSIDERING, S.PASSED_ON)),
        (K.PERSONAL_STATEMENT, (S.SENT, S.RETURNED)),
        (K.DECISION_SUMMARY, (S.SENT, S.CONSIDERING, S.SUMMARY_SENT)),
        (K.DECISION_SUMMARY, (S.SENT, S.SUMMARY_SENT)),
    ],
)
def test_each_kind_moves_on_in_its_own_order(kind, path):
    for here, there in pairwise(path):
        assert rules.officer_may_move(kind, here, there)
    assert rules.is_final(kind, path[-1]) or path[-1] == S.RETURNED


@pytest.mark.parametrize(
    ("kind", "here", "there"),
    [
        (K.LICENCE_CONDITIONS, S.SENT, S.DECIDED),  # a decision comes from the Board or prison
        (K.LICENCE_CONDITIONS, S.DECIDED, S.CONSIDERING),  # never backwards
        (K.LICENCE_CONDITIONS, S.SENT, S.RETURNED),  # only a statement is returned
        (K.LICENCE_CONDITIONS, S.DRAFT, S.CONSIDERING),  # a draft is the victim's
        (K.PERSONAL_STATEMENT, S.RETURNED, S.PASSED_ON),  # it is with the victim
        (K.PERSONAL_STATEMENT, S.PASSED_ON, S.RETURNED),
        (K.PERSONAL_STATEMENT, S.SENT, S.DECIDED),
        (K.DECISION_SUMMARY, S.SUMMARY_SENT, S.SUMMARY_SENT),  # not twice
        (K.DECISION_SUMMARY, S.SENT, S.PASSED_ON),
    ],
)
def test_a_step_out_of_order_is_not_offered(kind, here, there):
    assert not rules.officer_may_move(kind, here, there)


def test_only_a_draft_or_a_returned_statement_waits_for_the_victim():
    assert {S.DRAFT, S.RETURNED} == rules.VICTIM_MAY_EDIT
    for kind in K:
        assert not rules.waits_for_officer(kind, S.DRAFT)
        assert not rules.waits_for_officer(kind, rules.FINAL[kind])
        assert rules.waits_for_officer(kind, S.SENT)


def test_a_decision_and_a_return_need_words_and_a_summary_a_date():
    assert {S.DECIDED, S.RETURNED} == rules.WORDS_NEEDED
    assert {S.SUMMARY_SENT} == rules.DATED


def test_only_an_active_case_tells_the_victim_at_once():
    assert rules.tells_victim(CaseStatus.ACTIVE)
    for status in (CaseStatus.PAUSED, CaseStatus.CLOSED, CaseStatus.TRIAGE):
        assert not rules.tells_victim(status)


def test_the_pages_come_in_order():
    slugs = [q.slug for q in rules.QUESTIONS[K.PERSONAL_STATEMENT]]
    assert slugs == ["physical", "emotional", "financial", "family", "anything-else", "how-given"]
    assert rules.question_after(K.LICENCE_CONDITIONS, "no-contact").slug == "exclusion-zone"
    assert rules.question_after(K.LICENCE_CONDITIONS, "other-concerns") is None
    assert rules.question_before(K.LICENCE_CONDITIONS, "no-contact") is None
    assert rules.question(K.LICENCE_CONDITIONS, "physical") is None
    assert rules.QUESTIONS[K.DECISION_SUMMARY] == ()


def test_answers_are_kept_tidy():
    kept = rules.checked(K.LICENCE_CONDITIONS, "no-contact", {"no_contact": ["family", "me"]})
    assert kept == {"no_contact": ["me", "family"]}
    assert rules.checked(K.PERSONAL_STATEMENT, "physical", {"physical": "x" * 5000})


@pytest.mark.parametrize(
    ("kind", "page", "answers"),
    [
        (K.LICENCE_CONDITIONS, "no-contact", {"no_contact": ["me", "none"]}),
        (K.LICENCE_CONDITIONS, "no-contact", {"no_contact": []}),
        (K.LICENCE_CONDITIONS, "no-contact", {"no_contact": ["neighbours"]}),
        (K.LICENCE_CONDITIONS, "no-contact", {"places": "a page's answer on another page"}),
        (K.LICENCE_CONDITIONS, "exclusion-zone", {"exclusion_zone": "maybe"}),
        (K.LICENCE_CONDITIONS, "other-concerns", {"other_concerns": "x" * 2001}),
        (K.LICENCE_CONDITIONS, "other-concerns", {"other_concerns": ["a", "list"]}),
        (K.PERSONAL_STATEMENT, "physical", {"physical": "x" * 5001}),
        (K.PERSONAL_STATEMENT, "how-given", {"how_given": "by carrier pigeon"}),
        (K.PERSONAL_STATEMENT, "no-such-page", {}),
    ],
)
def test_answers_no_form_sends_are_refused(kind, page, answers):
    with pytest.raises(rules.BadAnswers):
        rules.checked(kind, page, answers)


def test_what_must_be_answered_before_sending():
    lc, vps = K.LICENCE_CONDITIONS, K.PERSONAL_STATEMENT
    assert rules.not_ready(lc, {}) == ("nothing-asked", "no-contact")
    assert rules.not_ready(lc, {"no_contact": ["none"], "exclusion_zone": "no"}) == (
        "nothing-asked",
        "no-contact",
    )
    assert rules.not_ready(lc, {"no_contact": ["none"], "exclusion_zone": "yes"}) == (
        "no-places",
        "exclusion-zone",
    )
    assert rules.not_ready(lc, {"no_contact": ["none"], "other_concerns": "A worry."}) is None
    assert rules.not_ready(lc, {"no_contact": ["family"]}) is None
    assert rules.not_ready(vps, {"how_given": "recorded"}) == ("nothing-written", "physical")
    assert rules.not_ready(vps, {"family": "   "}) == ("nothing-written", "physical")
    assert rules.not_ready(vps, {"family": "Words."}) == ("no-how-given", "how-given")
    assert rules.not_ready(vps, {"family": "Words.", "how_given": "recorded"}) is None
    assert rules.not_ready(K.DECISION_SUMMARY, {}) is None
