"""A victim's messages when requests arrive at once, on SQLite and on PostgreSQL: the same
form sent many times writes one message, and the victim's limit is never passed.

Like tests/functional/test_parallel_limits.py (whose helpers these use), each request
commits for real from its own client and thread, and what was written is deleted after.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.domain.messages import PER_HOUR
from portal.extensions import db
from portal.forms import new_submission_key
from portal.models import AuditEvent, Case, Message, Sender
from tests.functional.test_parallel_limits import at_once, committed, cookie_of, same_browser
from tests.support.cases import english_victim
from tests.support.registration_steps import csrf
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

EMAIL = "parallel.messages@example.com"


def victims_messages(app, case_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Message.body)
                .where(Message.case_id == case_id, Message.sender == Sender.VICTIM)
                .order_by(Message.id)
            )
        )


def test_the_same_form_sent_at_once_writes_one_message(app):
    with committed(app):
        me = english_victim(app, email=EMAIL)
        client = app.test_client()
        signed_in(client, EMAIL)
        address = f"/account/cases/{me.reference}/messages"
        form = {
            "csrf_token": csrf(client_page(client, address)),
            "submission_key": new_submission_key(),
            "body": "Sent by a double, triple, octuple click.",
        }
        cookie = cookie_of(client)
        responses = at_once(8, lambda n: same_browser(app, cookie).post(address, data=form))
        assert {r.status_code for r in responses} == {303}
        assert len({r.location for r in responses}) == 1
        assert victims_messages(app, me.case_id) == [
            "What happens next?",
            "Sent by a double, triple, octuple click.",
        ]
        with app.app_context():
            sent = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "message.sent", AuditEvent.case_id == me.case_id)
            )
        assert sent == 1


def test_forms_sent_at_once_never_pass_the_limit(app):
    with committed(app):
        me = english_victim(app, email=EMAIL)
        client = app.test_client()
        signed_in(client, EMAIL)
        address = f"/account/cases/{me.reference}/messages"
        token = csrf(client_page(client, address))
        cookie = cookie_of(client)
        count = PER_HOUR + 4  # "What happens next?" was one already: 5 too many

        def send(n: int):
            form = {"csrf_token": token, "submission_key": new_submission_key(), "body": f"{n}"}
            return same_browser(app, cookie).post(address, data=form)

        statuses = sorted(r.status_code for r in at_once(count, send))
        assert statuses == [303] * (PER_HOUR - 1) + [429] * 5
        assert len(victims_messages(app, me.case_id)) == PER_HOUR
        # The case's count of waiting messages (kept by triggers, each send adding one at
        # once with the others) is every one of them.
        with app.app_context():
            assert db.session.get(Case, me.case_id).messages_waiting == PER_HOUR


def client_page(client, address: str):
    """The page, parsed, for its form token (tests/support/registration_steps.csrf)."""
    from bs4 import BeautifulSoup

    response = client.get(address)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
