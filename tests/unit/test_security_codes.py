"""Security codes: six digits, kept as a keyed hash, read as people type them on any keyboard
(portal/domain/security_codes.py)."""

import pytest

from portal.domain.security_codes import (
    code_matches,
    hash_code,
    is_code_shaped,
    new_code,
    typed_code,
)


def test_security_codes_are_six_digits_and_kept_hashed():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150
    digest = hash_code("secret", "123456")
    assert digest != "123456"
    assert code_matches("secret", "123456", digest)
    assert not code_matches("secret", "123457", digest)
    assert not code_matches("other", "123456", digest)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("123456", "123456"),
        (" 123 456 ", "123456"),
        ("123-456", "123456"),
        ("１２３４５６", "123456"),  # full-width digits (a Japanese or Chinese keyboard)
        ("١٢٣٤٥٦", "123456"),  # Arabic-Indic digits
        ("12ab56", "12ab56"),
    ],
)
def test_typed_codes_are_read_as_ascii_digits(typed, read):
    assert typed_code(typed) == read


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("123456", True),
        ("12345", False),
        ("1234567", False),
        ("12ab56", False),
        ("１２３４５６", False),
    ],
)
def test_only_six_ascii_digits_are_a_code(text, shaped):
    assert is_code_shaped(text) is shaped
