"""Who is asking for a security code: this browser, and its network.

A code belongs to the browser that asked for it (a random binding kept in
its session cookie), so that codes someone else asks for, for the same
address, neither replace nor use up this browser's. Limits count the network
address and the destination together, the network counted as the rate
limits count it: an IPv4 address, or an IPv6 client's /64.
"""

from __future__ import annotations

import secrets

from flask import request, session

from portal.domain.network_addresses import counted_as

#: The session key of this browser's random binding.
BINDING = "code_binding"


def binding() -> str:
    """This browser's binding, made on first use."""
    value = session.get(BINDING)
    if not isinstance(value, str) or len(value) != 22:
        value = secrets.token_urlsafe(16)
        session[BINDING] = value
    return value


def network() -> str:
    """The network of the client of this request (after any trusted proxies), as the
    rate limits count it (portal.domain.network_addresses)."""
    return counted_as(request.remote_addr)
