"""Staff passwords (portal/domain/passwords.py)."""

import subprocess
import sys

from portal.config import PROJECT_ROOT
from portal.domain.passwords import (
    MIN_LENGTH,
    PasswordProblem,
    common_passwords,
    hash_password,
    password_problem,
    verify_nobody,
    verify_password,
)


def test_staff_passwords_are_hashed_with_argon2():
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "wrong")
    assert not verify_password("not a hash", "wrong")


# --- what a new password must be (NCSC: length over complexity, no common passwords) ------


def test_length_matters_not_symbols_or_capitals():
    assert password_problem("ab" * (MIN_LENGTH // 2 - 1)) == PasswordProblem.TOO_SHORT
    assert password_problem("purple tractor singing") is None  # no digits, no capitals: fine


def test_common_passwords_are_refused_whatever_their_case():
    assert len(common_passwords()) > 1000
    assert password_problem("Password1234") == PasswordProblem.COMMON
    assert password_problem("QWERTYUIOP123") == PasswordProblem.COMMON
    assert password_problem("aaaaaaaaaaaaaaaa") == PasswordProblem.COMMON


def test_a_password_with_the_email_in_it_is_refused():
    assert (
        password_problem("alys.prydderch-2026!", "alys.prydderch@example.gov.uk")
        == PasswordProblem.HAS_EMAIL
    )


def test_an_unknown_email_is_checked_against_a_dummy_hash():
    assert verify_nobody("anything at all") is False


def test_the_dummy_hash_costs_what_a_real_one_does():
    """The written-out dummy has the parameters every new hash gets: an unknown email
    takes the same Argon2 work as a known one (no telling them apart by time)."""
    from portal.domain.passwords import _DUMMY_HASH, _hasher

    assert not _hasher.check_needs_rehash(_DUMMY_HASH)
    assert _DUMMY_HASH.split("$")[:4] == hash_password("anything at all").split("$")[:4]


def test_importing_the_module_hashes_nothing():
    """Hashing takes Argon2's 64 MiB for a moment: done on import, it set every gunicorn
    worker's peak memory (issue 17: under 150 MB) before it served anything."""
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "def peak():\n"
            "    for line in open('/proc/self/status'):\n"
            "        if line.startswith('VmHWM'):\n"
            "            return int(line.split()[1]) // 1024\n"
            "import argon2, portal\n"
            "before = peak()\n"
            "import portal.domain.passwords\n"
            "print(before, peak())\n",
        ],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = (int(value) for value in found.stdout.split())
    assert after - before < 16  # MB: the module and its word list, no Argon2 memory


def test_an_account_with_no_password_matches_none_after_the_same_work():
    """An invited officer (no password chosen yet) or a reset password: nothing matches, and
    checking costs one Argon2 verification, as for an address nobody has."""
    from portal.domain.passwords import UNUSABLE, is_usable

    assert not is_usable(UNUSABLE) and is_usable(hash_password("purple tractor singing"))
    assert not verify_password(UNUSABLE, UNUSABLE)
    assert not verify_password(UNUSABLE, "")
