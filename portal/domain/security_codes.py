"""Six-digit security codes: made with `secrets`, kept only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(secret_key: str, code: str) -> str:
    return hmac.new(secret_key.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_matches(secret_key: str, code: str, code_hash: str) -> bool:
    return hmac.compare_digest(hash_code(secret_key, code), code_hash)


def new_link_secret() -> str:
    """The secret in an emailed link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)
