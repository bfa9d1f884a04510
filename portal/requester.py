"""Who is asking for a security code: this browser, and its network.

A code belongs to the browser that asked for it (a random binding kept in
its session cookie), so that codes someone else asks for, for the same
address, neither replace nor use up this browser's. Limits count the network
address and the destination together: an IPv4 address, or an IPv6 client's
/64 (one household or phone gets a whole /64, so counting single IPv6
addresses would let one client ask without end).
"""

from __future__ import annotations

import ipaddress
import secrets

from flask import request, session

#: The session key of this browser's random binding.
BINDING = "code_binding"


def binding() -> str:
    """This browser's binding, made on first use."""
    value = session.get(BINDING)
    if not isinstance(value, str) or len(value) != 22:
        value = secrets.token_urlsafe(16)
        session[BINDING] = value
    return value


def network_of(address: str | None) -> str:
    """The network a client address is counted as: itself (IPv4) or its /64 (IPv6)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def network() -> str:
    """The network of the client of this request (after any trusted proxies)."""
    return network_of(request.remote_addr)
