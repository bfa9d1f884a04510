"""The Welsh says each term one way: the forms docs/glossary.md rules out do not appear."""

from __future__ import annotations

import re

from portal.config import PROJECT_ROOT
from tests.i18n.catalogue import WELSH_PO, read_catalogue

GLOSSARY = PROJECT_ROOT / "docs" / "glossary.md"
WELSH_PAGES = sorted((PROJECT_ROOT / "templates").rglob("*.cy.html"))


def ruled_out() -> list[str]:
    """The forms in the "Not" column of the glossary's second table."""
    section = GLOSSARY.read_text(encoding="utf-8").split("## One form where there were several")[1]
    forms = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2] not in ("Not", "---"):
            forms += [form.strip() for form in cells[2].split(",") if form.strip()]
    return forms


def welsh_texts() -> dict[str, str]:
    texts = {}
    for message in read_catalogue(WELSH_PO, locale="cy"):
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts[f"msgstr for {message.id!r}"] = " ".join(strings)
    for page in WELSH_PAGES:
        texts[str(page.relative_to(PROJECT_ROOT))] = page.read_text(encoding="utf-8")
    return texts


def uses(text: str, form: str) -> bool:
    # Straight and curly apostrophes are the same letter here; a form is a whole word or words.
    pattern = re.escape(form.replace("’", "'")).replace("'", "['’]")
    return re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE) is not None


def test_the_glossary_rules_out_the_forms_the_review_found():
    forms = ruled_out()
    for form in ("gofyn i ymuno", "ar unrhyw adeg", "esbonio", "Nid oes", "digid", "Gallant"):
        assert form in forms


def test_the_welsh_uses_one_form_for_each_term():
    found = [
        f"{where}: {form}"
        for form in ruled_out()
        for where, text in welsh_texts().items()
        if uses(text, form)
    ]
    assert not found


def test_the_glossary_checker_sees_a_ruled_out_form():
    assert uses("Gallwch ei newid ar unrhyw adeg.", "ar unrhyw adeg")
    assert uses("Diogel i'w ddefnyddio", "Diogel i’w ddefnyddio")
    assert not uses("Pan nad oes gorchymyn", "Nid oes")
    assert not uses("cod 6 digidol", "digid")
