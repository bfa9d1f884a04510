"""Staff passwords (portal/domain/passwords.py)."""

from portal.domain.passwords import hash_password, verify_password


def test_staff_passwords_are_hashed_with_argon2():
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "wrong")
    assert not verify_password("not a hash", "wrong")
