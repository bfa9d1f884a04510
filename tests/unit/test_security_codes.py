"""Codes as people type them: on any keyboard, with spaces; only six digits count as a guess."""

import pytest

from portal.domain.security_codes import is_code_shaped, typed_code


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
