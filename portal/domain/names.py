"""People's names as the service compares them, and the name a letter may carry.

Names are compared without case, accents or extra spaces, so that "Siân ŴYN"
and "sian wyn" are one person (possible duplicates, a name not to put on
envelopes). Any script is kept as typed; only the comparison is loose.
"""

from __future__ import annotations

import unicodedata


def same_person_name(name: str) -> str:
    """A name compared without case, accents or extra spaces (Ŵ = W, É = E)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _shares_a_name(one: str, other: str) -> bool:
    """Whether every word of one name is in the other ("Jones" in "Siân Ŵyn Jones", "Siân
    Jones" in "Jones, Siân"), compared as same_person_name compares."""
    first, second = set(same_person_name(one).split()), set(same_person_name(other).split())
    return bool(first and second) and (first <= second or second <= first)


def addressee(full_name: str, representative_name: str | None, avoid: str | None) -> str:
    """The name to put on a letter: the person we write to (whoever acts for the victim,
    if anyone, else the victim); or no name at all when it holds the name the person
    asked us never to put on an envelope, or is part of it (someone else may open the
    post and know it)."""
    name = (representative_name or full_name or "").strip()
    if avoid and _shares_a_name(name, avoid.replace(",", " ")):
        return ""
    return name
