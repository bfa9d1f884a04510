"""Six-digit security codes: made with `secrets`, kept only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import timedelta

#: How long a code works, and how many guesses it allows.
CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
#: How long an emailed "carry on" link works (not extended by later saves).
LINK_LIFETIME = timedelta(hours=72)


def typed_code(text: str) -> str:
    """What someone typed as a code, as ASCII digits: spaces and hyphens go, and digits
    typed on another keyboard (full-width １２３, Arabic-Indic ١٢٣) become 0-9. Anything
    else is kept, so that the code is refused as "not 6 numbers", not counted as a guess."""
    kept = "".join(text.split()).replace("-", "")
    return "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None
                   else c for c in kept)  # fmt: skip


def is_code_shaped(text: str) -> bool:
    return len(text) == 6 and text.isascii() and text.isdigit()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(secret_key: str, code: str) -> str:
    return hmac.new(secret_key.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_matches(secret_key: str, code: str, code_hash: str) -> bool:
    return hmac.compare_digest(hash_code(secret_key, code), code_hash)


#: Random bytes in a "carry on" link's secret: 192 bits, 32 characters in the link, so
#: that the link fits in one SMS with a long public address.
LINK_SECRET_BYTES = 24


def new_link_secret() -> str:
    """The secret in an emailed link, URL-safe."""
    return secrets.token_urlsafe(LINK_SECRET_BYTES)
