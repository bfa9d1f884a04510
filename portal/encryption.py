"""Encryption at rest for columns that hold secrets or private words.

`cryptography`'s MultiFernet (AES-128-CBC with HMAC-SHA256, authenticated):
values are encrypted with the first key and decrypted with any of them, so a
key can be rotated without losing rows (README, "Keys"). The keys come from
ENCRYPTION_KEYS (comma-separated Fernet keys, newest first); `create_app`
hands them here before the first query. The column types below use them:
`EncryptedJSON` for the outbox's personalisation (security codes and links),
and any later column that holds words nobody should read in a database dump.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text, TypeDecorator

__all__ = ["EncryptedJSON", "InvalidToken", "configure", "rotate_token"]

#: Development and tests only: production refuses to start with it (portal.config).
DEVELOPMENT_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci11c2U="

_keys: MultiFernet | None = None


def parse_keys(text: str) -> list[str]:
    """ENCRYPTION_KEYS as a list: comma-separated, blanks ignored."""
    return [key.strip() for key in text.split(",") if key.strip()]


def configure(keys: Iterable[str]) -> None:
    """Use `keys` (newest first) for every encrypted column in this process."""
    global _keys
    fernets = [Fernet(key.encode()) for key in keys]
    if not fernets:
        raise ValueError("at least one encryption key is needed")
    _keys = MultiFernet(fernets)


def _current() -> MultiFernet:
    if _keys is None:
        raise RuntimeError("encryption keys are not configured (portal.encryption.configure)")
    return _keys


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    return _current().decrypt(token.encode()).decode()


def rotate_token(token: str) -> str:
    """The same value encrypted again with the newest key."""
    return _current().rotate(token.encode()).decode()


class EncryptedJSON(TypeDecorator):
    """A JSON value, stored as a Fernet token: a database dump shows nothing of it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> str | None:
        if value is None:
            return None
        return encrypt(json.dumps(value, separators=(",", ":"), sort_keys=True))

    def process_result_value(self, value: str | None, dialect) -> Any:
        if value is None:
            return None
        return json.loads(decrypt(value))
