"""Each registration question is declared once (portal/questions/): its declaration,
its template, its form and the Welsh catalogue must agree."""

from __future__ import annotations

from datetime import date
from types import CodeType

import pytest
from flask_babel import LazyString

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.domain.journey import Choice
from portal.questions import FLOW, ORDER, QUESTIONS, record, summary
from portal.questions.declaration import ONE_FIELD_TEMPLATE, SECTIONS
from tests.i18n.catalogue import WELSH_PO, read_catalogue
from tests.support.registration_state import EVERY_QUESTION

TEMPLATES = PROJECT_ROOT / "templates"
QUESTION_TEMPLATES = TEMPLATES / "register" / "questions"


@pytest.fixture(scope="module")
def app():
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.fixture(scope="module")
def welsh():
    catalogue = read_catalogue(WELSH_PO, locale="cy")
    return {(message.context, message.id): message.string for message in catalogue if message.id}


def msgid(text) -> tuple[str | None, str]:
    assert isinstance(text, LazyString), f"{text!r} is not from the catalogue"
    args = text._args
    return (args[0], args[1]) if len(args) == 2 else (None, args[0])


def words_of(question) -> list:
    words = [question.title, question.hint, question.error]
    if question.title_for_answers:
        words.append(question.title_for_answers(EVERY_QUESTION))
        words.append(question.title_for_answers({"registering_as": "self"}))
    for choices in (question.choices, *question.options.values()):
        for choice in choices:
            assert isinstance(choice, Choice)
            if choice.value != choice.text:  # hours are their own words
                words += [choice.text, choice.hint]
    return [word for word in words if word is not None]


def test_every_question_applies_to_the_sample():
    assert [q.slug for q in FLOW.applicable(EVERY_QUESTION)] == [q.slug for q in QUESTIONS]
    assert FLOW.first_unanswered(EVERY_QUESTION) is None


def test_one_module_a_question_with_unique_slugs_and_the_order_used():
    assert len({q.slug for q in QUESTIONS}) == len(QUESTIONS)
    assert [module.QUESTION for module in ORDER] == list(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.slug)
def test_every_declared_template_exists(question):
    assert (TEMPLATES / question.page_template).is_file()
    if question.lead_template:
        assert (TEMPLATES / question.lead_template).is_file()
    if question.template is None:
        # The one-field page: a kind it can draw, one field named after the one key.
        assert question.kind in ("radios", "checkboxes", "text")
        assert len(question.keys) == 1
        assert question.keys[0] in vars(question.form)
        if question.kind != "text":
            assert question.choices


def test_every_question_template_belongs_to_a_question():
    declared = {q.page_template for q in QUESTIONS} | {
        q.lead_template for q in QUESTIONS if q.lead_template
    }
    on_disk = {str(path.relative_to(TEMPLATES)) for path in QUESTION_TEMPLATES.glob("*.html")}
    assert on_disk == declared
    assert ONE_FIELD_TEMPLATE in declared


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.slug)
def test_every_declared_word_has_welsh(question, welsh, app):
    with app.test_request_context():
        rows = question.rows_for(EVERY_QUESTION, "en")
    words = words_of(question) + [found.name for found in rows]
    assert question.section in SECTIONS
    for word in words:
        key = msgid(word)
        assert welsh.get(key), f"{question.slug}: no Welsh for {key}"


def constants(code: CodeType) -> set:
    found = set()
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            found |= constants(constant)
        elif isinstance(constant, str):
            found.add(constant)
    return found


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.slug)
def test_every_answer_key_written_is_read(question, app):
    """The form writes exactly the declared keys, and something reads each one:
    the rows, the record, or when the question counts as answered."""
    with app.test_request_context():
        form = question.form_for(EVERY_QUESTION, date(2026, 11, 30))
        written = set(form.answers(EVERY_QUESTION))
    assert written == set(question.keys)
    readers = [question.rows, question.record, question.answered, question.tidy]
    read = set().union(*(constants(f.__code__) for f in readers if f is not None))
    if question.rows is None:  # one row: its one answer (Question.rows_for)
        assert question.row_name is not None
        read.add(question.keys[0])
    assert set(question.keys) <= read, f"{question.slug}: no one reads {set(question.keys) - read}"


def test_check_answers_and_the_record_come_from_the_declarations(app):
    with app.test_request_context():
        sections = summary(EVERY_QUESTION, "cy")
        assert [section["title"] for section in sections] == list(SECTIONS.values())
        assert sum(len(section["rows"]) for section in sections) == sum(
            len(q.rows_for(EVERY_QUESTION, "cy")) for q in QUESTIONS
        )
    found = record(EVERY_QUESTION)
    assert found["victim.relationship_to_victim"] == "supporter: friend"
    assert found["victim.full_name"] == "Siân Example"
    assert found["case.court_code"] == "cardiff"
    assert found["region"] == "wales"
    assert set(found["contacts"]) == {"email", "sms", "phone", "letter"}
