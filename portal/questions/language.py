"""The language we write in: English or Welsh."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domain.journey import Choice
from portal.models import Language
from portal.questions.declaration import Question, choice_text, row
from portal.questions.fields import QuestionForm, radio_field

CHOICES = (Choice("en", _l("English")), Choice("cy", _l("Welsh (Cymraeg)")))


class LanguageForm(QuestionForm):
    language = radio_field(_l("Select the language you want us to write to you in"), ("en", "cy"))


QUESTION = Question(
    slug="language",
    keys=("language",),
    form=LanguageForm,
    title=_l("Which language do you want us to write to you in?"),
    kind="radios",
    choices=CHOICES,
    hint=_l(
        "We will use this language in letters, emails, texts and calls. "
        "You can change it at any time."
    ),
    section="contact",
    rows=lambda a, language: [
        row(_l("Language for letters and messages"), choice_text(CHOICES, a["language"]))
    ],
    record=lambda a: {"victim.language": Language(a["language"])},
)
