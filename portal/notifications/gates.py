"""Checks the worker makes before sending a notification that has a gate.

A code asked for by whoever typed an address is written to the outbox
whether or not anyone in the scheme has that address, so the request does
the same work, and takes the same time, either way. The worker then asks the
row's gate: who, if anyone, may receive it, and in which language. A row
whose gate says nobody is cancelled and its recipient and personalisation
are forgotten.

Services register their gates here (`@gate("sign-in")`): the worker sits
below the services and must not import them.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from portal.models import Language, NotificationChannel

#: A gate: (session, channel, recipient) -> the language to send in, or None for nobody.
Gate = Callable[[Session, NotificationChannel, str], Language | None]

GATES: dict[str, Gate] = {}


def gate(name: str) -> Callable[[Gate], Gate]:
    def register(function: Gate) -> Gate:
        GATES[name] = function
        return function

    return register


def language_for(
    session: Session, name: str, channel: NotificationChannel, recipient: str
) -> Language | None:
    """The language to send in, or None when nobody may receive it (or the gate is unknown)."""
    check = GATES.get(name)
    return check(session, channel, recipient) if check else None
