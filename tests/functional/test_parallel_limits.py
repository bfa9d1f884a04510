"""Limits hold when requests arrive at once, on SQLite and on PostgreSQL (issue 11, item 3).

These tests commit for real (threads cannot share the rolled-back test
transaction), each from its own test client in its own thread, against the
real database, and delete what they wrote afterwards.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    ContactPreference,
    Message,
    OutboxNotification,
    Region,
    SecurityCode,
    StaffSession,
    TimelineEvent,
    Victim,
    VictimLiaisonOfficer,
    VictimSession,
    utcnow,
)
from portal.services import security_codes
from tests.support.cases import ENGLISH_EMAIL, english_victim
from tests.support.database import lift_audit_guard, restore_audit_guard
from tests.support.registration_steps import csrf

pytestmark = pytest.mark.database


#: The records a test builds (tests/support/cases.py), in the order they can be deleted.
BUILT = (Message, TimelineEvent, Case, ContactPreference, Victim, VictimLiaisonOfficer, Region)


@contextmanager
def committed(app):
    """Delete every code, outbox row, audit row and session (a victim's or an officer's)
    the test made, and the victim, case and officer it built."""
    started = utcnow()
    with app.app_context():
        last_audit = db.session.scalar(select(db.func.max(AuditEvent.id))) or 0
        last = {model: db.session.scalar(select(db.func.max(model.id))) or 0 for model in BUILT}
    try:
        yield
    finally:
        with app.app_context():
            db.session.execute(delete(SecurityCode).where(SecurityCode.created_at >= started))
            db.session.execute(
                delete(OutboxNotification).where(OutboxNotification.created_at >= started)
            )
            lift_audit_guard(db.session)
            db.session.execute(delete(AuditEvent).where(AuditEvent.id > last_audit))
            restore_audit_guard(db.session)
            db.session.execute(delete(VictimSession).where(VictimSession.created_at >= started))
            db.session.execute(delete(StaffSession).where(StaffSession.created_at >= started))
            for model in BUILT:
                db.session.execute(delete(model).where(model.id > last[model]))
            db.session.commit()
            db.session.remove()


def at_once(count: int, request) -> list:
    """Run `request(n)` in `count` threads released together; their responses."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = request(n)
        except Exception as error:  # reported by the assertion below
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def cookie_of(client) -> str:
    return client.get_cookie("vcs_session").value


def same_browser(app, cookie: str, address: str = "192.0.2.50"):
    client = app.test_client()
    client.set_cookie("vcs_session", cookie)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def key_of(app, destination: str) -> str:
    return security_codes.fingerprint(app.config["SECRET_KEY"], destination)


def newest_code(app, destination: str) -> SecurityCode:
    with app.app_context():
        code = db.session.scalars(
            select(SecurityCode)
            .where(SecurityCode.destination_key == key_of(app, destination))
            .order_by(SecurityCode.created_at.desc(), SecurityCode.id.desc())
        ).first()
        db.session.expunge(code)
        return code


def the_code(app, destination: str) -> str:
    with app.app_context():
        row = db.session.scalars(
            select(OutboxNotification)
            .where(OutboxNotification.recipient == destination)
            .order_by(OutboxNotification.created_at.desc())
        ).first()
        return row.personalisation["code"]


def test_parallel_wrong_guesses_are_each_counted(app):
    with committed(app):
        english_victim(app)
        asking = app.test_client()
        asking.environ_base["REMOTE_ADDR"] = "192.0.2.50"
        token = csrf_from(asking, "/sign-in")
        asking.post("/sign-in", data={"contact": ENGLISH_EMAIL, "csrf_token": token})
        right = the_code(app, ENGLISH_EMAIL)
        wrong = "000000" if right != "000000" else "111111"
        cookie = cookie_of(asking)
        token = csrf_from(asking, "/sign-in/security-code")

        def guess(_n):
            client = same_browser(app, cookie)
            return client.post(
                "/sign-in/security-code", data={"code": wrong, "csrf_token": token}
            ).status_code

        statuses = at_once(8, guess)
        assert statuses == [200] * 8  # refused, never a 503
        assert newest_code(app, ENGLISH_EMAIL).attempts == security_codes.MAX_ATTEMPTS
        # The right code, on the 9th try, no longer works.
        response = same_browser(app, cookie).post(
            "/sign-in/security-code", data={"code": right, "csrf_token": token}
        )
        assert response.status_code == 200
        assert "The security code is not right" in response.get_data(as_text=True)


def test_parallel_right_guesses_sign_in_once(app):
    with committed(app):
        english_victim(app)
        asking = app.test_client()
        token = csrf_from(asking, "/sign-in")
        asking.post("/sign-in", data={"contact": ENGLISH_EMAIL, "csrf_token": token})
        right = the_code(app, ENGLISH_EMAIL)
        cookie = cookie_of(asking)
        token = csrf_from(asking, "/sign-in/security-code")

        def guess(_n):
            client = same_browser(app, cookie)
            return client.post("/sign-in/security-code", data={"code": right, "csrf_token": token})

        responses = at_once(6, guess)
        assert sorted(r.status_code for r in responses) == [200] * 5 + [303]
        with app.app_context():
            assert len(db.session.scalars(select(VictimSession)).all()) == 1


def test_parallel_code_requests_make_no_more_codes_than_the_limit(app):
    app.config["SIGN_IN_CODE_LIMIT"] = "100 per hour"
    try:
        with committed(app):
            english_victim(app)
            browsers = [app.test_client() for _ in range(16)]
            tokens = []
            for client in browsers:
                client.environ_base["REMOTE_ADDR"] = "192.0.2.51"
                tokens.append(csrf_from(client, "/sign-in"))

            def ask(n):
                return (
                    browsers[n]
                    .post("/sign-in", data={"contact": ENGLISH_EMAIL, "csrf_token": tokens[n]})
                    .status_code
                )

            statuses = at_once(16, ask)
            assert statuses == [303] * 16  # the same page for all, never a 503
            with app.app_context():
                made = db.session.scalars(
                    select(SecurityCode).where(
                        SecurityCode.destination_key == key_of(app, ENGLISH_EMAIL)
                    )
                ).all()
            assert len(made) == security_codes.PER_NETWORK_AND_DESTINATION
    finally:
        app.config["SIGN_IN_CODE_LIMIT"] = "10 per hour"


def test_forty_parallel_requests_never_reach_a_lock_error(app):
    with committed(app):
        browsers = [app.test_client() for _ in range(40)]
        tokens = []
        for n, client in enumerate(browsers):
            client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
            tokens.append(csrf_from(client, "/sign-in"))

        def ask(n):
            return (
                browsers[n]
                .post(
                    "/sign-in",
                    data={"contact": f"parallel-{n}@example.com", "csrf_token": tokens[n]},
                )
                .status_code
            )

        assert at_once(40, ask) == [303] * 40


def csrf_from(client, url: str) -> str:
    from bs4 import BeautifulSoup

    return csrf(BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser"))
