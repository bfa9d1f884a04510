"""The Welsh and English catalogue, outside any request: for words the service stores.

Pages are translated by Flask-Babel in the request's language. A few words
are written once and kept, in the language the person chose (a note on a
case's timeline, say): services write them through `in_language`, with plain
Babel, so that they need nothing of Flask. `N_` marks such a message for
extraction (`make translate` extracts it) without translating it yet.
"""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations, Translations

from portal.config import PROJECT_ROOT

ENGLISH = "en"
WELSH = "cy"
#: The language code -> the Babel locale its words are formatted in (Babel's
#: plain `en` is US English).
LOCALES = {ENGLISH: "en_GB", WELSH: "cy"}


def N_(message: str) -> str:
    """Mark `message` for the catalogue; it is translated when it is written."""
    return message


@cache
def _translations(language: str) -> NullTranslations:
    if language == ENGLISH:
        return NullTranslations()
    return Translations.load(str(PROJECT_ROOT / "translations"), [LOCALES[language]])


def in_language(language: str, message: str) -> str:
    """`message` (marked with N_) in `language` ("en" or "cy")."""
    return _translations(str(language)).gettext(message)
