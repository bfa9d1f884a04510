"""Which network address a request is counted against, for rate limits.

An IPv4 address is one household or one network's shared address. An IPv6
client, though, is usually given a whole /64 by its provider and can pick
any of its 18 quintillion addresses for each request, so counting by the
full address would set no limit at all: IPv6 is counted by its /64.
"""

from __future__ import annotations

import ipaddress

IPV6_PREFIX_LENGTH = 64
#: What an address that is not one is cut to (it is only ever a counter's key).
OTHER_KEY_LENGTH = 64


def counted_as(address: str | None) -> str:
    """The key a rate limit counts `address` under.

    "203.0.113.7" for IPv4 (and IPv4 mapped into IPv6), "2001:db8:1:2::/64"
    for IPv6, the value itself (cut short) when it is not an IP address.
    """
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:OTHER_KEY_LENGTH]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        host_bits = 128 - IPV6_PREFIX_LENGTH
        network = ipaddress.IPv6Network((int(ip) >> host_bits << host_bits, IPV6_PREFIX_LENGTH))
        return str(network)
    return str(ip)
