"""Reading the catalogue, and building the pseudo-locale used by the leak test."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from portal.config import PROJECT_ROOT

POT = PROJECT_ROOT / "translations" / "messages.pot"
WELSH_PO = PROJECT_ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
WELSH_PLURAL_FORMS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"
)

OPEN, CLOSE = "⟦", "⟧"
#: Placeholders, HTML tags and entities are kept as they are.
KEEP = re.compile(r"(%\([a-z_]+\)[sdf]|%[sd]|<[^>]+>|&[a-z#0-9]+;)")
ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def pseudo(text: str) -> str:
    """Accent the words and mark where the translated string starts and ends."""
    parts = KEEP.split(text)
    return OPEN + "".join(p if KEEP.fullmatch(p) else p.translate(ACCENTED) for p in parts) + CLOSE


def build_pseudo_translations(directory: Path, locale: str = "cy") -> None:
    """A compiled catalogue for `locale` in which every string is pseudo-translated."""
    template = read_catalogue(POT)
    catalogue = Catalog(locale=locale)
    for message in template:
        if not message.id:
            continue
        if message.pluralizable:
            singular, plural = message.id
            forms = [pseudo(singular if i == 1 else plural) for i in range(catalogue.num_plurals)]
            catalogue.add(message.id, tuple(forms), flags=message.flags, context=message.context)
        else:
            catalogue.add(
                message.id, pseudo(message.id), flags=message.flags, context=message.context
            )
    target = directory / locale / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / "messages.mo").open("wb") as file:
        write_mo(file, catalogue)


def extract_fresh_template(destination: Path) -> Catalog:
    """Extract the strings from the code now, as `make translate` does."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_pgettext:1c,2",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(destination),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    return read_catalogue(destination)
