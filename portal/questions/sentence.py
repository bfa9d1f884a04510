"""About the sentence: what it was, and a police or court reference (both optional)."""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question, row
from portal.questions.fields import QuestionForm, text_field
from portal.validators import PlainText


class SentenceForm(QuestionForm):
    sentence = text_field(
        200,
        _l("Sentence must be 200 characters or fewer"),
        PlainText(_l("Enter the sentence in words")),
    )
    external_reference = text_field(
        50,
        _l("Reference must be 50 characters or fewer"),
        PlainText(_l("Enter the reference as it is written")),
    )


QUESTION = Question(
    slug="sentence",
    keys=("sentence", "external_reference"),
    form=SentenceForm,
    title=_l("About the sentence"),
    template="register/questions/sentence.html",
    section="case",
    rows=lambda a, language: [
        row(_l("Sentence"), a.get("sentence"), typed=True),
        row(_l("Police or court reference"), a.get("external_reference"), typed=True),
    ],
    record=lambda a: {
        "case.sentence_description": a.get("sentence") or None,
        "case.external_reference": a.get("external_reference") or None,
    },
)
