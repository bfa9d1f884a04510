"""Which network a request is counted against: an IPv4 address, or an IPv6 client's /64."""

import pytest

from portal.requester import network_of


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),  # the same household's /64
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),  # the next /64 is someone else
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 seen through IPv6
        ("", "unknown"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_networks(address, network):
    assert network_of(address) == network
