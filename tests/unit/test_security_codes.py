"""Security codes: six digits, kept as a keyed hash (portal/domain/security_codes.py)."""

from portal.domain.security_codes import code_matches, hash_code, new_code


def test_security_codes_are_six_digits_and_kept_hashed():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150
    digest = hash_code("secret", "123456")
    assert digest != "123456"
    assert code_matches("secret", "123456", digest)
    assert not code_matches("secret", "123457", digest)
    assert not code_matches("other", "123456", digest)
