"""One name for each stage of a sentence, in both languages, everywhere it is shown.

The names live in portal/sentence_stages.py. The picture of the stages
(static/images/stages-<lang>.svg, drawn from them), the information page
"What you will be told, and when" and a victim's case page must all use them.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale

from portal.domain.case_timeline import MAIN_STAGES
from portal.models import SentenceStage
from portal.sentence_stages import NAMES, draw_picture, picture_path
from tests.support.cases import english_victim, welsh_victim
from tests.support.victim_state import signed_in

#: A victim who reads each language, with a case (tests/support/cases.py).
VICTIMS = {"en": english_victim, "cy": welsh_victim}


def names_in(app, language: str) -> list[str]:
    with app.test_request_context("/"), force_locale(language):
        return [str(NAMES[stage]) for stage in (*MAIN_STAGES, SentenceStage.RECALL)]


def picture_names(language: str) -> list[str]:
    picture = BeautifulSoup(picture_path(language).read_text(encoding="utf-8"), "html.parser")
    return [text.get_text(strip=True) for text in picture.select("text.app-stage-name")]


def information_page_names(pages, language: str) -> tuple[list[str], list[str]]:
    """The names that start the numbered list's items, and the page's headings."""
    page = pages.get(f"/information/what-you-will-be-told?lang={language}")
    items = page.select(".app-content ol.govuk-list--number > li")
    headings = [h2.get_text(strip=True) for h2 in page.select(".app-content h2")]
    return [item.get_text(strip=True).split(":")[0] for item in items], headings


def case_page_names(pages, language: str) -> list[str]:
    victim = VICTIMS[language](pages.client.application)
    signed_in(pages.client, victim.email)
    page = pages.get(f"/account?lang={language}")
    items = page.select("ol.app-stages > li")
    for tag in page.select("ol.app-stages .govuk-tag"):
        tag.decompose()
    return [item.get_text(strip=True) for item in items]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_picture_the_information_page_and_the_case_page_name_the_stages_alike(
    app, pages, language
):
    names = names_in(app, language)
    main, recall = names[:-1], names[-1]
    assert len(set(names)) == len(names)

    assert picture_names(language) == main
    listed, headings = information_page_names(pages, language)
    assert listed == main
    assert set(names) <= set(headings), "each stage, and a recall, has its own section"
    assert case_page_names(pages, language) == main
    assert recall not in main


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_committed_picture_is_drawn_from_the_names(app, language):
    """`make translate` (or `flask stages draw`) redraws it after a name changes."""
    assert picture_path(language).read_text(encoding="utf-8") == draw_picture(app, language)


def test_the_picture_has_a_text_alternative_in_each_language(pages):
    alts = set()
    for language in ("en", "cy"):
        page = pages.get(f"/information/what-you-will-be-told?lang={language}")
        alts.add(page.select_one("img.app-stages-picture")["alt"])
    assert len(alts) == 2
