"""SQL statements per request, counted in the benchmark's own process with the Flask test
client against the same database (a SQLAlchemy event listener on this process's engine
only: nothing is added to the served pages)."""

from __future__ import annotations

import uuid

from sqlalchemy import event

from benchmarks.journeys import Identity
from benchmarks.pages import Page
from benchmarks.wrk import KEY_PREFIX
from portal.extensions import db


def fill_request(template: str) -> str:
    """A body template's {key} and {n} filled as wrk's script fills them."""
    fresh = str(uuid.uuid4())
    key = f"{KEY_PREFIX}{fresh[8:]}"
    return template.replace("{key}", key).replace("{n}", f"q{fresh[:8]}")


def per_request(app, page: Page, identity: Identity) -> int:
    """Statements the second of two identical requests sends (the first warms what a
    worker keeps between requests)."""
    client = app.test_client()
    name, _, value = identity.cookie.partition("=")
    client.set_cookie(name, value)
    with app.app_context():
        engine = db.engine
    seen = [0]

    def record(*_args):
        seen[0] += 1

    for attempt in range(2):
        body = fill_request(identity.fill(page.body)) if page.body else None
        if attempt == 1:
            event.listen(engine, "before_cursor_execute", record)
        try:
            client.open(
                identity.fill(page.path),
                method=page.method,
                data=body,
                content_type="application/x-www-form-urlencoded" if body else None,
                headers=dict(page.headers),
            )
        finally:
            if attempt == 1:
                event.remove(engine, "before_cursor_execute", record)
    return seen[0]
