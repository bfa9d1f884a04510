"""Reference numbers a person can read out on the phone: VCS-XXXX-XXXX.

Eight characters from Crockford's base 32 alphabet (no I, L, O or U, so
nothing is mistaken for 1, 0 or a rude word) made with `secrets`; the last
character is a check character, so a mistyped reference is caught before a
database look-up.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PATTERN = re.compile(r"^VCS-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})$")


def _check_character(body: str) -> str:
    total = sum((index + 1) * ALPHABET.index(char) for index, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    code = body + _check_character(body)
    return f"VCS-{code[:4]}-{code[4:]}"


def normalise(text: str) -> str:
    """Upper case, Crockford's look-alikes mapped, spaces and dashes tidied."""
    cleaned = re.sub(r"[\s-]", "", text.upper()).translate(str.maketrans("ILO", "110"))
    if cleaned.startswith("VCS"):
        cleaned = cleaned[3:]
    return f"VCS-{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else text.strip().upper()


def is_valid(reference: str) -> bool:
    match = PATTERN.match(reference)
    if not match:
        return False
    code = match.group(1) + match.group(2)
    return _check_character(code[:7]) == code[7]
