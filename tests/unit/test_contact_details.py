"""Phone numbers, email addresses and postcodes, as typed and as kept (domain/contact_details)."""

import pytest

from portal.domain.contact_details import (
    InvalidContactDetail,
    masked,
    normalise_email,
    normalise_postcode,
    normalise_uk_phone,
    readable,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07911 123456", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("(0)7911-123-456", "+447911123456"),
        # Ofcom's range for drama and examples: the demo victims' numbers.
        ("07700 900456", "+447700900456"),
        ("+447700900999", "+447700900999"),
    ],
)
def test_uk_mobile_numbers(typed, stored):
    assert normalise_uk_phone(typed, mobile=True) == stored


def test_landlines_are_fine_unless_a_mobile_is_needed():
    assert normalise_uk_phone("029 2018 0000", mobile=False) == "+442920180000"
    with pytest.raises(InvalidContactDetail) as caught:
        normalise_uk_phone("029 2018 0000", mobile=True)
    assert caught.value.reason == "phone-not-mobile"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12345", "phone-format"),
        ("07700 90045", "phone-format"),
        ("07700 9004567", "phone-format"),
        ("not a number", "phone-format"),
        ("+1 202 555 0100", "phone-not-uk"),
    ],
)
def test_bad_phone_numbers(typed, reason):
    with pytest.raises(InvalidContactDetail) as caught:
        normalise_uk_phone(typed, mobile=False)
    assert caught.value.reason == reason


def test_email_addresses():
    # One form for matching and limits: the whole address in lower case (issue 11, item 6).
    assert normalise_email(" Carys.Hughes@Example.COM ") == "carys.hughes@example.com"
    assert normalise_email("ŵyn@enghraifft.cymru") == "ŵyn@enghraifft.cymru"
    for bad in ("carys", "carys@", "@example.com", "a b@example.com"):
        with pytest.raises(InvalidContactDetail):
            normalise_email(bad)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("cf10 1aa", "CF10 1AA"),
        ("SW1A1AA", "SW1A 1AA"),
        ("ll57  2uw", "LL57 2UW"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("bad", ["CF10", "12345", "QQ1 1AA", "CF10 1AAA", ""])
def test_bad_postcodes(bad):
    with pytest.raises(InvalidContactDetail):
        normalise_postcode(bad)


def test_limits_count_one_mailbox_once():
    from portal.domain.contact_details import counted_form

    assert counted_form("sian+1@example.com") == "sian@example.com"
    assert counted_form("sian@example.com") == "sian@example.com"
    assert counted_form("+nothing@example.com") == "+nothing@example.com"
    assert counted_form("+447700900123") == "+447700900123"
    assert counted_form("d.ot.test+1@gmail.com") == "dottest@gmail.com"
    assert counted_form("dottest@googlemail.com") == "dottest@gmail.com"
    assert counted_form("d.ot.test@example.com") == "d.ot.test@example.com"


@pytest.mark.parametrize(
    ("channel", "value", "shown"),
    [
        ("email", "jordan.ellis@example.com", "j•••@example.com"),
        ("email", "a@b.example", "a•••@b.example"),
        ("email", "not-an-address", "•••"),
        ("sms", "+447700900456", "•••• 456"),
        ("phone", "+442920180000", "•••• 000"),
        ("phone", "12", "•••"),
        ("letter", "1 Example Road\nExample Town\nEX1 2BB", "••• 2BB"),
        ("letter", "AB", "•••"),
        ("email", "", ""),
    ],
)
def test_masked_details_show_only_enough_to_tell_them_apart(channel, value, shown):
    assert masked(channel, value) == shown


def test_a_masked_detail_never_holds_the_hidden_part():
    for channel, value in (("email", "jordan.ellis@example.com"), ("sms", "+447700900456")):
        shown = masked(channel, value)
        assert "jordan" not in shown and "7700900" not in shown


@pytest.mark.parametrize(
    ("channel", "kept", "shown"),
    [
        ("phone", "+442920180000", "029 2018 0000"),
        ("sms", "+447700900456", "07700 900456"),
        ("sms", "+33612345678", "+33 6 12 34 56 78"),
        ("phone", "not a number", "not a number"),
        ("email", "a@example.com", "a@example.com"),
    ],
)
def test_readable_details(channel, kept, shown):
    assert readable(channel, kept) == shown
