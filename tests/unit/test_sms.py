"""How long an SMS is: its encoding, characters and fragments (portal/domain/sms.py)."""

import pytest

from portal.domain.sms import sms_length


def test_plain_english_is_gsm():
    assert sms_length("Your code is 123456.") == ("GSM", 20, 1)
    assert sms_length("x" * 160).fragments == 1
    assert sms_length("x" * 161).fragments == 2
    assert sms_length("x" * 306).fragments == 2
    assert sms_length("x" * 307).fragments == 3


def test_extension_characters_count_twice():
    assert sms_length("€" * 80) == ("GSM", 160, 1)
    assert sms_length("€" * 81).fragments == 2


@pytest.mark.parametrize("welsh", ["ŵ", "ŷ", "â", "’"])
def test_welsh_letters_and_curly_quotes_force_ucs2(welsh):
    assert sms_length("Helo " + welsh).encoding == "UCS-2"
    assert sms_length(welsh * 70).fragments == 1
    assert sms_length(welsh * 71).fragments == 2
    assert sms_length(welsh * 134).fragments == 2
    assert sms_length(welsh * 135).fragments == 3
