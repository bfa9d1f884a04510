"""Run the real notifications worker over the outbox, and see what it would send."""

from __future__ import annotations

from flask import Flask

from portal.models import utcnow
from portal.notifications.worker import send_due


class RecordingProvider:
    """Stands in for Notify: what the real worker decides to send is what is under test."""

    name = "recording"

    def __init__(self) -> None:
        self.sent = []

    def send(self, outgoing):
        self.sent.append(outgoing)
        return outgoing.reference

    def find_sent(self, reference):
        return None


def deliver(app: Flask, session) -> list:
    """Everything due in the outbox, sent by the worker (gates and all); what it sent."""
    provider = RecordingProvider()
    with app.app_context():
        send_due(session, provider, now=utcnow())
    return provider.sent


def delivered_to(app: Flask, session, recipient: str) -> int:
    return sum(1 for outgoing in deliver(app, session) if outgoing.recipient == recipient)
