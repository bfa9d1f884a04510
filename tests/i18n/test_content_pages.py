"""Information pages written once per language stay in step, and the Welsh is Welsh.

Long pages are one template per language (welsh.md, rule 7). These tests
check that both exist for every page, that they have the same structure
(headings, paragraphs, list items, links, pictures, tables), that no Welsh
paragraph is left in English, and that the Welsh file has no English words.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from portal.config import PROJECT_ROOT
from portal.public.views import INFORMATION_PAGES

CONTENT = PROJECT_ROOT / "templates" / "public" / "content"
STRUCTURE = ("h2", "h3", "p", "li", "a", "details", "img", "table", "tr", "ol", "ul")
#: Everyday English words that are not also Welsh words.
ENGLISH_WORDS = {
    "the", "and", "you", "your", "will", "with", "this", "that", "are", "for", "not",
    "from", "have", "what", "when", "which", "they", "their", "about", "can", "how",
}  # fmt: skip
#: Names that stay the same in both languages.
NAMES = {"GOV.UK", "BBC", "Shift", "Surrey", "Sussex", "Humber", "Victim Support"}


def body_of(slug: str, language: str) -> BeautifulSoup:
    source = (CONTENT / f"{slug}.{language}.html").read_text(encoding="utf-8")
    match = re.search(r"{% block content_body %}(.*){% endblock %}", source, re.S)
    assert match, f"{slug}.{language}.html has no content_body block"
    # Jinja expressions are not text a person reads: drop them before parsing.
    html = re.sub(r"{{.*?}}|{%.*?%}", "", match.group(1), flags=re.S)
    return BeautifulSoup(html, "html.parser")


def structure(page: BeautifulSoup) -> list[str]:
    shape = []
    for element in page.find_all(STRUCTURE):
        shape.append(element.name + (f"[{element.get('href')}]" if element.name == "a" else ""))
    return shape


@pytest.mark.parametrize("slug", sorted(INFORMATION_PAGES))
def test_both_languages_exist_and_set_a_title(slug):
    for language in ("en", "cy"):
        source = (CONTENT / f"{slug}.{language}.html").read_text(encoding="utf-8")
        assert '{% extends "public/_content_page.html" %}' in source
        assert "{% set page_title" in source


@pytest.mark.parametrize("slug", sorted(INFORMATION_PAGES))
def test_english_and_welsh_have_the_same_structure(slug):
    assert structure(body_of(slug, "en")) == structure(body_of(slug, "cy"))


@pytest.mark.parametrize("slug", sorted(INFORMATION_PAGES))
def test_no_welsh_paragraph_is_left_in_english(slug):
    english, welsh = body_of(slug, "en"), body_of(slug, "cy")
    for en, cy in zip(
        english.find_all(["p", "li", "h2", "h3"]),
        welsh.find_all(["p", "li", "h2", "h3"]),
        strict=True,
    ):
        en_text, cy_text = en.get_text(" ", strip=True), cy.get_text(" ", strip=True)
        if len(en_text.split()) > 3:
            assert en_text != cy_text, f"{slug}: not translated: {en_text!r}"


@pytest.mark.parametrize("slug", sorted(INFORMATION_PAGES))
def test_welsh_pages_have_no_english_words(slug):
    text = body_of(slug, "cy").get_text(" ")
    for name in NAMES:
        text = text.replace(name, " ")
    words = {word.lower() for word in re.findall(r"[A-Za-z]+", text)}
    assert not words & ENGLISH_WORDS, f"{slug}.cy.html: {sorted(words & ENGLISH_WORDS)}"


def test_the_checker_sees_a_difference():
    a = BeautifulSoup("<h2>x</h2><p>y</p>", "html.parser")
    b = BeautifulSoup("<h2>x</h2><p>y</p><p>z</p>", "html.parser")
    assert structure(a) != structure(b)
