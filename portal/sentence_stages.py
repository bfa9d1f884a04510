"""The stages of a sentence, named once, in both languages.

The information page "What you will be told, and when", the picture of the
stages on it (static/images/stages-<lang>.svg, drawn from these names by
`flask stages draw`) and a victim's case page all take the names from here, so
a person reads the same name for a stage everywhere.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template
from flask_babel import force_locale

from portal.config import PROJECT_ROOT
from portal.domain.case_timeline import MAIN_STAGES
from portal.language import lazy_gettext as _l
from portal.models import SentenceStage

NAMES = {
    SentenceStage.SENTENCE: _l("Sentenced"),
    SentenceStage.CUSTODY: _l("In prison or hospital"),
    SentenceStage.PAROLE: _l("Parole review"),
    SentenceStage.RELEASE: _l("Released on licence"),
    SentenceStage.LICENCE_CONDITIONS: _l("Living under licence conditions"),
    SentenceStage.RECALL: _l("Recalled to prison"),
    SentenceStage.END_OF_SENTENCE: _l("Sentence ended"),
}

#: The picture's text alternative: it says what the picture is; the list after it names
#: the stages.
PICTURE_ALT = _l(
    "A picture of the 6 stages of a sentence, in order, joined by a line. The list below "
    "names each stage."
)
PICTURE_TITLE = _l("Stages of the sentence")
PICTURES = PROJECT_ROOT / "static" / "images"


def picture_path(language: str) -> Path:
    return PICTURES / f"stages-{language}.svg"


def draw_picture(app: Flask, language: str) -> str:
    """The picture of the main stages, numbered and joined by a line, in `language`."""
    with app.test_request_context("/"), force_locale(language):
        return render_template("public/stages.svg", language=language) + "\n"


def stage_context() -> dict:
    """What templates need to name the stages (a context processor)."""
    return {
        "stage_names": NAMES,
        "main_stages": MAIN_STAGES,
        "SentenceStage": SentenceStage,
        "stages_picture_alt": PICTURE_ALT,
    }
