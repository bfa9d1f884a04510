"""Where a person is in the registration, and what a changed answer undoes (no client)."""

from __future__ import annotations

import copy

from portal.domain.registration_flow import answers_from_eligibility, change, verifiable_contacts
from portal.questions import FLOW
from tests.support.registration_state import EVERY_QUESTION


def answers(**changes) -> dict:
    found = copy.deepcopy(EVERY_QUESTION)
    found.update(changes)
    return found


def test_the_first_question_not_answered_comes_next():
    assert FLOW.first_unanswered({}) == "who"
    assert FLOW.first_unanswered({"registering_as": "self"}) == "victim-name"
    assert FLOW.first_unanswered({"registering_as": "supporter"}) == "relationship"
    # A supporter has not answered until the victim's agreement is given.
    assert (
        FLOW.first_unanswered({"registering_as": "supporter", "relationship": "Friend"})
        == "relationship"
    )


def test_a_question_is_asked_only_in_order_and_when_it_applies():
    start = {"registering_as": "self"}
    assert FLOW.can_ask("who", start)
    assert FLOW.can_ask("victim-name", start)
    assert not FLOW.can_ask("date-of-birth", start)
    assert not FLOW.can_ask("your-name", start)  # not for the victim themselves
    assert FLOW.next_after("who", start) == "victim-name"
    assert FLOW.previous_before("victim-name", start) == "who"


def test_saving_another_answer_undoes_nothing():
    before = answers()
    changed = change(FLOW, before, {"offender_name": "Someone"}, "victim@example.com")
    assert changed.answers["offender_name"] == "Someone"
    assert not changed.withdraw_links
    assert not changed.forget_proof


def test_a_changed_email_address_stops_links_and_needs_proving_again():
    before = answers()
    contacts = copy.deepcopy(before["contacts"])
    contacts["email"] = {"value": "new@example.com", "safe": True}
    changed = change(FLOW, before, {"contacts": contacts}, "victim@example.com")
    assert changed.withdraw_links
    assert changed.forget_proof


def test_an_email_address_marked_not_safe_stops_links():
    before = answers()
    contacts = copy.deepcopy(before["contacts"])
    contacts["email"]["safe"] = False
    changed = change(FLOW, before, {"contacts": contacts}, "+447700900982")
    assert changed.withdraw_links
    assert not changed.forget_proof  # the mobile number proved is still safe
    assert verifiable_contacts(changed.answers) == {"sms": "+447700900982"}


def test_answers_that_no_longer_apply_are_dropped():
    changed = change(FLOW, answers(), {"registering_as": "self"}, None)
    for key in ("relationship", "consent", "your_name"):
        assert key not in changed.answers
    contacts = copy.deepcopy(EVERY_QUESTION["contacts"])
    contacts["phone"]["safe"] = False
    changed = change(FLOW, answers(), {"contacts": contacts}, None)
    for key in ("safe_from", "safe_until", "voicemail_safe"):
        assert key not in changed.answers
    assert "envelope_name_to_avoid" in changed.answers  # the address is still safe


def test_only_a_supporter_keeps_the_victims_agreement():
    changed = change(FLOW, answers(), {"registering_as": "bereaved"}, None)
    assert changed.answers["relationship"] == "friend"
    assert "consent" not in changed.answers


def test_the_checker_starts_a_registration():
    assert answers_from_eligibility({"who": "helper", "consent": "yes", "offence": "sexual"}) == {
        "registering_as": "supporter",
        "consent": True,
        "offence_type": "sexual",
    }
    assert answers_from_eligibility({"who": "helper", "consent": "no"}) == {}
