"""The language we write in: English or Welsh."""

from __future__ import annotations

from portal.domain.journey import Choice
from portal.language import lazy_gettext as _l
from portal.models import Language
from portal.questions.declaration import Question

QUESTION = Question(
    slug="language",
    keys=("language",),
    title=_l("Which language do you want us to write to you in?"),
    kind="radios",
    choices=(Choice("en", _l("English")), Choice("cy", _l("Welsh (Cymraeg)"))),
    error=_l("Select the language you want us to write to you in"),
    hint=_l(
        "We will use this language in letters, emails, texts and calls. "
        "You can change it at any time."
    ),
    section="contact",
    row_name=_l("Language for letters and messages"),
    record=lambda a: {"victim.language": Language(a["language"])},
)
