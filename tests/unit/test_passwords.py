"""Staff passwords (portal/domain/passwords.py)."""

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


def test_an_account_with_no_password_matches_none_after_the_same_work():
    """An invited officer (no password chosen yet) or a reset password: nothing matches, and
    checking costs one Argon2 verification, as for an address nobody has."""
    from portal.domain.passwords import UNUSABLE, is_usable

    assert not is_usable(UNUSABLE) and is_usable(hash_password("purple tractor singing"))
    assert not verify_password(UNUSABLE, UNUSABLE)
    assert not verify_password(UNUSABLE, "")
