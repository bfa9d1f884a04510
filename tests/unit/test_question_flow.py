"""The registration questions: their order and which apply (portal/questions FLOW, with the
rules in portal/domain/registration_flow.py)."""

from __future__ import annotations

import pytest

from portal.domain.registration_flow import answers_from_eligibility, verifiable_contacts
from portal.questions import BY_SLUG, FLOW, QUESTIONS

#: Every question a person registering for themselves is asked, in order.
FOR_THEMSELVES = [
    "who",
    "victim-name",
    "date-of-birth",
    "contact",
    "safe-contact",
    "language",
    "accessibility",
    "offender",
    "offence",
    "court",
    "sentenced",
    "sentence",
    "updates",
]


def contacts(**ways: bool | None) -> dict:
    """Contact details given, each safe (True), not safe (False) or not yet said (None)."""
    values = {
        "email": "sian@example.com",
        "sms": "+447700900982",
        "phone": "+441632960001",
        "letter": "1 Heol y Frenhines\nCaerdydd\nCF10 1AA",
    }
    return {
        way: {"value": values[way]} if safe is None else {"value": values[way], "safe": safe}
        for way, safe in ways.items()
    }


def complete(**changes) -> dict:
    """Answers to every question that applies to someone registering for themselves."""
    answers = {
        "registering_as": "self",
        "victim_name": "Siân Ŵyn Jones",
        "date_of_birth": "1985-03-07",
        "contacts": contacts(email=True),
        "language": "cy",
        "accessibility_needs": [],
        "offender_name": "Dafydd Rhys",
        "offence_type": "violent",
        "court": "cardiff",
        "sentenced_in": "2024-04",
        "sentence": "8 years",
        "external_reference": "",
        "updates_wanted": "every_stage",
    }
    return {**answers, **changes}


def slugs(answers: dict) -> list[str]:
    return [question.slug for question in FLOW.applicable(answers)]


# --- which questions apply ------------------------------------------------------------------


def test_every_question_has_its_own_slug():
    assert len(BY_SLUG) == len(QUESTIONS)
    assert QUESTIONS[0].slug == "who" and QUESTIONS[-1].slug == "updates"


def test_someone_registering_for_themselves_is_not_asked_about_anyone_else():
    assert slugs({"registering_as": "self"}) == FOR_THEMSELVES
    assert slugs({}) == FOR_THEMSELVES


def test_a_parent_gives_their_own_name_but_no_relationship():
    asked = slugs({"registering_as": "parent"})
    assert "your-name" in asked and "relationship" not in asked


@pytest.mark.parametrize("registering_as", ["bereaved", "supporter"])
def test_family_and_supporters_say_how_they_are_related_and_give_their_name(registering_as):
    asked = slugs({"registering_as": registering_as})
    assert asked[:4] == ["who", "relationship", "your-name", "victim-name"]


@pytest.mark.parametrize(("way", "question"), [("phone", "phone-calls"), ("letter", "letters")])
def test_phone_calls_and_letters_are_asked_about_only_when_safe(way, question):
    assert question not in slugs({"contacts": contacts(**{way: None})})
    assert question not in slugs({"contacts": contacts(**{way: False})})
    assert question in slugs({"contacts": contacts(**{way: True})})


def test_contacts_that_are_not_a_dict_count_as_none():
    assert slugs({"contacts": ["email"]}) == FOR_THEMSELVES
    assert verifiable_contacts({"contacts": "sian@example.com"}) == {}


# --- answered or not --------------------------------------------------------------------------


def test_a_question_is_answered_when_its_keys_are_there_even_blank():
    assert BY_SLUG["sentence"].is_answered({"sentence": "", "external_reference": ""})
    assert not BY_SLUG["sentence"].is_answered({"sentence": "8 years"})


def test_a_supporter_has_not_answered_the_relationship_question_without_agreement():
    question = BY_SLUG["relationship"]
    supporter = {"registering_as": "supporter", "relationship": "friend"}
    assert not question.is_answered(supporter)
    assert not question.is_answered({**supporter, "consent": False})
    assert question.is_answered({**supporter, "consent": True})
    assert question.is_answered({"registering_as": "bereaved", "relationship": "parent"})
    assert not question.is_answered({"registering_as": "bereaved"})


def test_safe_contact_is_answered_when_every_detail_given_is_marked():
    question = BY_SLUG["safe-contact"]
    assert not question.is_answered({})
    assert not question.is_answered({"contacts": {}})
    assert not question.is_answered({"contacts": contacts(email=True, letter=None)})
    assert question.is_answered({"contacts": contacts(email=True, letter=False)})


def test_first_unanswered_is_the_first_question_without_an_answer():
    assert FLOW.first_unanswered({}) == "who"
    assert FLOW.first_unanswered({"registering_as": "self"}) == "victim-name"
    assert FLOW.first_unanswered({**complete(), "contacts": contacts(email=None)}) == "safe-contact"
    assert FLOW.first_unanswered(complete()) is None


def test_a_changed_early_answer_makes_a_new_question_the_first_unanswered():
    assert FLOW.first_unanswered(complete(registering_as="supporter")) == "relationship"
    assert (
        FLOW.first_unanswered(complete(contacts=contacts(email=True, phone=True))) == "phone-calls"
    )


# --- moving through the questions ---------------------------------------------------------


def test_a_question_can_be_asked_only_when_every_one_before_it_is_answered():
    assert FLOW.can_ask("who", {})
    assert not FLOW.can_ask("victim-name", {})
    assert FLOW.can_ask("victim-name", {"registering_as": "self"})
    answers = complete()
    assert all(FLOW.can_ask(slug, answers) for slug in FOR_THEMSELVES)


def test_a_question_that_does_not_apply_cannot_be_asked():
    assert not FLOW.can_ask("your-name", complete())
    assert not FLOW.can_ask("letters", complete())
    assert not FLOW.can_ask("no-such-question", complete())


def test_next_and_previous_follow_the_questions_that_apply():
    answers = {"registering_as": "self"}
    assert FLOW.next_after("who", answers) == "victim-name"
    assert FLOW.previous_before("victim-name", answers) == "who"
    assert FLOW.next_after("updates", answers) is None
    assert FLOW.previous_before("who", answers) is None
    supporter = {"registering_as": "supporter"}
    assert FLOW.next_after("who", supporter) == "relationship"
    assert FLOW.previous_before("victim-name", supporter) == "your-name"


def test_next_and_previous_of_a_question_that_does_not_apply():
    answers = {"registering_as": "self"}
    # From a page that no longer applies, the journey starts again at the top.
    assert FLOW.next_after("your-name", answers) == "who"
    assert FLOW.previous_before("your-name", answers) is None


def test_walking_with_next_after_asks_each_question_once_in_order():
    answers = complete(registering_as="supporter", contacts=contacts(phone=True, letter=True))
    walked, slug = [], "who"
    while slug is not None:
        walked.append(slug)
        slug = FLOW.next_after(slug, answers)
    assert walked == slugs(answers)
    assert walked == [question.slug for question in QUESTIONS]


# --- contact details and answers kept -------------------------------------------------------


def test_a_code_can_go_only_to_a_safe_email_address_or_mobile():
    answers = {"contacts": contacts(email=True, sms=False, phone=True, letter=True)}
    assert verifiable_contacts(answers) == {"email": "sian@example.com"}
    answers = {"contacts": contacts(email=None, sms=True)}
    assert verifiable_contacts(answers) == {"sms": "+447700900982"}


def test_answers_to_questions_that_no_longer_apply_are_dropped():
    supporter = complete(
        registering_as="supporter",
        relationship="friend",
        consent=True,
        your_name="Alex Example",
        contacts=contacts(phone=True),
        safe_from="09:00",
        safe_until="17:00",
        voicemail_safe=False,
    )
    assert FLOW.relevant(supporter) == supporter
    now_self = FLOW.relevant({**supporter, "registering_as": "self"})
    for dropped in ("relationship", "consent", "your_name"):
        assert dropped not in now_self
    # Contact details stay whatever else changes; only the questions about them go.
    no_phone = FLOW.relevant({**supporter, "contacts": contacts(phone=False)})
    assert no_phone["contacts"] == contacts(phone=False)
    assert not {"safe_from", "safe_until", "voicemail_safe"} & no_phone.keys()


def test_agreement_is_kept_only_for_a_supporter():
    bereaved = {"registering_as": "bereaved", "relationship": "parent", "consent": True}
    assert FLOW.relevant(bereaved) == {"registering_as": "bereaved", "relationship": "parent"}


def test_relevant_answers_does_not_change_what_it_is_given():
    answers = complete(your_name="Alex Example")
    FLOW.relevant(answers)
    assert answers["your_name"] == "Alex Example"


# --- starting from the eligibility checker --------------------------------------------------


@pytest.mark.parametrize(
    ("checker", "answers"),
    [
        ({}, {}),
        ({"who": "victim"}, {"registering_as": "self"}),
        ({"who": "parent"}, {"registering_as": "parent"}),
        ({"who": "bereaved"}, {"registering_as": "bereaved"}),
        ({"who": "helper", "consent": "yes"}, {"registering_as": "supporter", "consent": True}),
        ({"who": "helper", "consent": "no"}, {}),
        ({"who": "helper"}, {}),
        ({"who": "someone-else"}, {}),
        ({"offence": "sexual"}, {"offence_type": "sexual"}),
        ({"offence": "not-sure"}, {"offence_type": "not-sure"}),
        ({"offence": "burglary"}, {}),
        (
            {"who": "victim", "offence": "violent"},
            {"registering_as": "self", "offence_type": "violent"},
        ),
    ],
)
def test_the_checkers_answers_become_registration_answers(checker, answers):
    assert answers_from_eligibility(checker) == answers
