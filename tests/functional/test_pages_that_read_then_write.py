"""Pages that read, then must write, while another request writes in between.

A GET begins a read-only transaction; a few GETs then write: the replies a victim has
just read, the audit of a staff page, a session's last-seen time. On SQLite, a read
transaction cannot become a write once another request has written since it began
("database is locked" at once, a 503 for the person). Each test here makes another
connection commit at exactly that moment, as a second request would (the browser test of
polling met it: a draft saved as the poll arrived). Every request commits for real, as in
tests/functional/test_parallel_limits.py, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from portal.extensions import db
from portal.models import ActorType, AuditEvent, Message, StaffSession, VictimSession, utcnow
from portal.services import messages
from tests.functional.test_parallel_limits import committed
from tests.support.conversations import welsh_conversation
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database


def another_request_writes() -> None:
    """What a second request does between this one's reading and writing: commit a write
    on a connection of its own."""
    with db.engine.connect() as other:
        other.execute(
            insert(AuditEvent).values(
                actor_type=ActorType.SYSTEM, action="another request", detail={}
            )
        )
        other.commit()


def written_in_between(monkeypatch, owner, name: str) -> None:
    """`owner.name` first lets another request write, then does its own work."""
    original = getattr(owner, name)

    def in_between(*args, **kwargs):
        another_request_writes()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, in_between)


def test_replies_read_while_another_request_writes_are_marked_read(app, monkeypatch):
    with committed(app):
        me = welsh_conversation(app)
        client = app.test_client()
        signed_in(client, me.email)
        written_in_between(monkeypatch, messages, "mark_read")
        response = client.get(f"/account/cases/{me.reference}/messages")
        assert response.status_code == 200
        with app.app_context():
            assert db.session.get(Message, me.reply_id).read_at is not None


def test_a_reply_polled_while_another_request_writes_arrives(app, monkeypatch):
    with committed(app):
        me = welsh_conversation(app)
        client = app.test_client()
        signed_in(client, me.email)
        written_in_between(monkeypatch, messages, "mark_read")
        response = client.get(
            f"/account/cases/{me.reference}/messages/new?after={me.reply_id - 1}",
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert f'id="message-{me.reply_id}"' in response.get_data(as_text=True)


def test_a_staff_page_is_audited_when_another_request_wrote_meanwhile(app, monkeypatch):
    from portal.staff import views

    with committed(app):
        client = app.test_client()
        officer_id = signed_in_officer(client)
        written_in_between(monkeypatch, views.queues, "needs_you")
        response = client.get("/staff")
        assert response.status_code == 200
        with app.app_context():
            audited = db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.actor_id == officer_id)
            ).all()
        assert "GET staff.home" in audited


@pytest.mark.parametrize("who", ["victim", "officer"])
def test_a_last_seen_time_is_kept_when_another_request_wrote_meanwhile(app, monkeypatch, who):
    """A session not seen for two minutes is touched on the next page; another request
    writes after the session is read and before it is touched."""
    from portal.services import sign_in, staff_auth

    with committed(app):
        client = app.test_client()
        if who == "victim":
            me = welsh_conversation(app)
            signed_in(client, me.email)
            model, address, service = VictimSession, "/account", sign_in
        else:
            signed_in_officer(client)
            model, address, service = StaffSession, "/staff/account", staff_auth
        with app.app_context():
            db.session.execute(
                update(model)
                .where(model.ended_at.is_(None))
                .values(last_seen_at=utcnow() - timedelta(minutes=2))
            )
            db.session.commit()
        written_in_between(monkeypatch, service, "still_live")
        response = client.get(address)
        assert response.status_code == 200
        with app.app_context():
            seen = db.session.scalar(
                select(model.last_seen_at)
                .where(model.ended_at.is_(None))
                .order_by(model.id.desc())
                .limit(1)
            )
        assert utcnow() - seen < timedelta(seconds=30)
