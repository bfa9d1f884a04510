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


def _contains(longer: str, shorter: str) -> bool:
    """Whether the words of `shorter` appear, whole and in order, in `longer`."""
    return bool(shorter) and f" {shorter} " in f" {longer} "


def addressee(full_name: str, representative_name: str | None, avoid: str | None) -> str:
    """The name to put on a letter: the person we write to (whoever acts for the victim,
    if anyone, else the victim); or no name at all when it is, or holds, the name the
    person asked us never to put on an envelope (someone else may open the post)."""
    name = (representative_name or full_name or "").strip()
    if avoid:
        written, avoided = same_person_name(name), same_person_name(avoid)
        if _contains(written, avoided) or _contains(avoided, written):
            return ""
    return name
