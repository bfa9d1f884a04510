"""Encryption at rest for columns that hold secrets or private words.

`cryptography`'s MultiFernet (AES-128-CBC with HMAC-SHA256, authenticated):
values are encrypted with the first key and decrypted with any of them, so a
key can be rotated without losing rows (README, "Keys"). The keys come from
ENCRYPTION_KEYS (comma-separated Fernet keys, newest first); `create_app`
hands them here before the first query. The column types below use them:
`EncryptedJSON` for the outbox's personalisation (security codes and links),
and `EncryptedText` for words people write to each other (messages, their
drafts): nobody should read them in a database dump.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import MetaData, Text, TypeDecorator, column, select, table, update
from sqlalchemy.orm import Session

__all__ = [
    "EncryptedJSON",
    "EncryptedText",
    "InvalidToken",
    "configure",
    "encrypted_columns",
    "reencrypt_all",
    "rotate_token",
]

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


class EncryptedText(TypeDecorator):
    """Text, stored as a Fernet token with the same keys: a message's words, a draft."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else decrypt(value)


def encrypted_columns(metadata: MetaData) -> list[tuple[str, str, str]]:
    """(table, primary key, column) for every column that holds Fernet tokens: the
    column types above, and any Text column marked `info={"encrypted": True}` (a value
    sealed by hand, like an officer's authenticator secret)."""
    found = []
    for each_table in metadata.sorted_tables:
        (key,) = each_table.primary_key.columns
        for each in each_table.columns:
            if isinstance(each.type, EncryptedJSON | EncryptedText) or each.info.get("encrypted"):
                found.append((each_table.name, key.name, each.name))
    return found


def reencrypt_all(session: Session, metadata: MetaData, batch: int = 500) -> dict[str, int]:
    """Encrypt every encrypted value again with the newest key, a batch per commit; returns
    how many values per "table.column". Run after putting a new key first in
    ENCRYPTION_KEYS (`flask encryption rotate`); then the old key can be removed. It works
    on the stored tokens as they are, so it never needs to read them as values."""
    counts = {}
    for table_name, key_name, column_name in encrypted_columns(metadata):
        # Plain columns (no type): the stored tokens as they are, never decrypted here.
        key, tokens = column(key_name), column(column_name)
        rows_of = table(table_name, key, tokens)
        count, last = 0, None
        while True:
            statement = select(key, tokens).select_from(rows_of).order_by(key).limit(batch)
            if last is not None:
                statement = statement.where(key > last)
            rows = session.execute(statement).all()
            if not rows:
                break
            for row_key, token in rows:
                if token is not None:
                    session.execute(
                        update(rows_of).where(key == row_key).values({tokens: rotate_token(token)})
                    )
                    count += 1
            last = rows[-1][0]
            session.commit()
        counts[f"{table_name}.{column_name}"] = count
    return counts
