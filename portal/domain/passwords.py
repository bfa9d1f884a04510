"""Staff passwords: Argon2id hashing (argon2-cffi) and what a password must be.

The rules follow the NCSC's password guidance: length over complexity (at
least 12 characters, no rules about symbols or capitals, up to 256 so a
passphrase fits), refuse the passwords people choose most often (a deny-list
shipped in the repository, `common_passwords.txt`), and never force a change
on a timetable: a password is changed when it may have been seen by someone else.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()
#: Verified against when no officer has the email typed, so the work is the same: a hash
#: made with the hasher's parameters (Argon2id, 64 MiB, 3 passes, 4 lanes) of a password
#: nobody has. Written out, not made on import: hashing takes 64 MiB for a moment, which
#: made every gunicorn worker's peak memory 150 MB before it served a request.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$Lxt17QoHheGkjF2E03QX9g$"
    "IlUsZJWPRinKmJfBZDj0Xg6WeGpw/piWMKEB4ZrbY5Y"
)
#: The password hash of an account that has none yet (invited) or whose password was reset:
#: no password matches it. Not an Argon2 hash, so it can never be mistaken for one.
UNUSABLE = "!"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def is_usable(password_hash: str) -> bool:
    return password_hash != UNUSABLE


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` is the one hashed; an unusable hash costs the same work."""
    if not is_usable(password_hash):
        return verify_nobody(password)
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_nobody(password: str) -> bool:
    """The same Argon2 work as verify_password, for an email nobody has. Always False."""
    verify_password(_DUMMY_HASH, password)
    return False


@cache
def common_passwords() -> frozenset[str]:
    text = files("portal.domain").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


class PasswordProblem:
    """Why a new password is refused (the view words each one)."""

    TOO_SHORT = "too-short"
    TOO_LONG = "too-long"
    COMMON = "common"
    HAS_EMAIL = "has-email"


def password_problem(password: str, email: str = "") -> str | None:
    """Why `password` may not be used, or None when it may."""
    if len(password) < MIN_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    folded = password.strip().lower()
    if folded in common_passwords() or len(set(folded)) <= 2:
        return PasswordProblem.COMMON
    name = email.partition("@")[0].lower()
    if len(name) >= 4 and name in folded:
        return PasswordProblem.HAS_EMAIL
    return None
