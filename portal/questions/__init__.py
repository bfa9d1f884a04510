"""The registration questions, each declared once: one module a question.

Each module declares a `QUESTION` (portal/questions/declaration.py): its
slug, answer keys and when it applies; its form (how its answers are read
from the draft and written back); its page (the one-field template, or its
own); its title; its rows on check your answers; and what it puts in the
record made at submit. Everything else is derived from `QUESTIONS` here: the
order of the journey (`FLOW`), check your answers (`summary`) and the record
(`record`, read by portal/services/registration.py).

They live beside the blueprints, not inside portal/register/, because the
submit service reads them too, and a service must not import a blueprint
(which imports its views). To add a question: write its module, add it to
ORDER below, and (when one field is not enough) its template under
templates/register/questions/; tests/unit/test_questions.py checks the
declaration against its template and the Welsh catalogue.
"""

from __future__ import annotations

from flask import url_for

from portal.domain.journey import Journey
from portal.questions import (
    accessibility,
    contact,
    court,
    date_of_birth,
    language,
    letters,
    offence,
    offender,
    phone_calls,
    relationship,
    safe_contact,
    sentence,
    sentenced,
    updates,
    victim_name,
    who,
    your_name,
)
from portal.questions.declaration import SECTIONS, Question

#: The questions in the order they are asked.
ORDER = (
    who,
    relationship,
    your_name,
    victim_name,
    date_of_birth,
    contact,
    safe_contact,
    phone_calls,
    letters,
    language,
    accessibility,
    offender,
    offence,
    court,
    sentenced,
    sentence,
    updates,
)
QUESTIONS: tuple[Question, ...] = tuple(module.QUESTION for module in ORDER)
FLOW = Journey(QUESTIONS)
BY_SLUG: dict[str, Question] = FLOW.by_slug


def summary(answers: dict, language: str) -> list[dict]:
    """The answers in sections, as check your answers shows them, with their Change links."""
    sections: dict[str, list[dict]] = {name: [] for name in SECTIONS}
    for question in FLOW.applicable(answers):
        href = url_for("register.question", slug=question.slug, change=1)
        sections[question.section].extend(
            {**found._asdict(), "href": href} for found in question.rows_for(answers, language)
        )
    return [{"title": SECTIONS[name], "rows": rows} for name, rows in sections.items() if rows]


def record(answers: dict) -> dict:
    """What the questions that apply put in the record made at submit (see Question.record)."""
    found: dict = {}
    for question in FLOW.applicable(answers):
        found.update(question.record_for(answers))
    return found
