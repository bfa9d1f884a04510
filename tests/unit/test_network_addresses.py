"""Rate limits count IPv4 clients by address and IPv6 clients by their /64."""

import pytest

from portal.domain.network_addresses import counted_as


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::1", "::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", "unknown"),
        (None, "unknown"),
        ("not-an-address", "not-an-address"),
        ("x" * 100, "x" * 64),
    ],
)
def test_each_address_is_counted_as(address, key):
    assert counted_as(address) == key


def test_every_address_in_one_ipv6_64_is_one_client():
    keys = {counted_as(f"2001:db8:aa:bb:{i:x}::{i:x}") for i in range(1, 200)}
    assert keys == {"2001:db8:aa:bb::/64"}


def test_neighbouring_ipv4_addresses_are_different_clients():
    assert counted_as("198.51.100.1") != counted_as("198.51.100.2")
