"""What the browser tests share: the two languages with their catalogues, URL and code helpers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from babel.support import NullTranslations, Translations
from cryptography.fernet import Fernet
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, text

from portal.config import PROJECT_ROOT
from portal.encryption import DEVELOPMENT_KEY

WELSH = Translations.load(str(PROJECT_ROOT / "translations"), ["cy"])


@dataclass(frozen=True)
class Tongue:
    """A language of the pages, with the catalogue's own words for the checks."""

    code: str
    catalogue: NullTranslations

    def _(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def title(self, page_title: str, error: bool = False) -> str:
        prefix = f"{self._('Error:')} " if error else ""
        return f"{prefix}{self._(page_title)} – {self._('Victim Contact Scheme')} – GOV.UK"


ENGLISH, CYMRAEG = Tongue("en", NullTranslations()), Tongue("cy", WELSH)
LANGUAGES = pytest.mark.parametrize("tongue", [ENGLISH, CYMRAEG], ids=["en", "cy"])


def settled(page: Page) -> None:
    """Wait until no htmx request, swap or settle is under way. htmx makes swapped-in
    content live (boosted links, triggers) only when it settles, 20 ms after the swap: a
    test's next keystroke can be faster than that on a loaded machine, a person never is.
    """
    expect(
        page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    ).to_have_count(0)


def url_ending(path: str) -> re.Pattern[str]:
    """The page's URL ends with `path`, with or without a query."""
    return re.compile(re.escape(path) + r"(\?.*)?$")


def latest_code(database: Engine, recipient: str, kind: str = "sign_in_code") -> str:
    """The newest security code sent to `recipient` (in a notification of `kind`), read from
    the live server's outbox.

    The outbox keeps personalisation encrypted at rest: the test decrypts it with
    the development key the live server uses.
    """
    with database.connect() as connection:
        row = connection.execute(
            text(
                "SELECT personalisation FROM outbox_notifications WHERE recipient = :r "
                "AND template_key = :kind ORDER BY created_at DESC LIMIT 1"
            ),
            {"r": recipient, "kind": kind},
        ).one()
    return json.loads(Fernet(DEVELOPMENT_KEY.encode()).decrypt(row[0].encode()))["code"]
