"""Request ids are made by the server: a client's X-Request-Id is only logged beside them."""

from __future__ import annotations

import json
import logging
import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.request_log import JsonFormatter, RequestIdFilter
from tests.support.cases import english_victim
from tests.support.factories import CaseFactory
from tests.support.registration_steps import latest_code
from tests.support.sign_in_steps import ask_for_code

SERVER_MADE = re.compile(r"^[0-9a-f]{32}$")
CHOSEN = "chosen-by-the-client-0001"


def test_a_staff_audit_event_never_takes_the_clients_request_id(probe_app, probe_client):
    with probe_app.app_context():
        case_id = CaseFactory(assigned=True).id
        db.session.commit()
    with probe_client.session_transaction() as session:
        session["audience"] = "staff"
        session["officer_id"] = 7
    response = probe_client.get(f"/probe-staff/cases/{case_id}", headers={"X-Request-Id": CHOSEN})
    assert response.status_code == 200
    with probe_app.app_context():
        (event,) = db.session.scalars(select(AuditEvent)).all()
    assert event.request_id != CHOSEN
    assert SERVER_MADE.match(event.request_id)
    assert response.headers["X-Request-Id"] == event.request_id


def test_a_victims_sign_in_is_audited_with_the_servers_request_id(app, pages, app_db):
    me = english_victim(app)
    ask_for_code(pages, me.email)
    page = pages.get("/sign-in/security-code")
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = pages.client.post(
        "/sign-in/security-code",
        data={"code": latest_code(app_db, me.email), "csrf_token": token},
        headers={"X-Request-Id": CHOSEN},
    )
    assert response.status_code == 303
    event = app_db.scalars(select(AuditEvent).filter_by(action="victim signed in")).one()
    assert event.request_id != CHOSEN
    assert SERVER_MADE.match(event.request_id)
    assert response.headers["X-Request-Id"] == event.request_id


def test_every_request_gets_a_new_id_even_when_the_client_repeats_one(client):
    first = client.get("/", headers={"X-Request-Id": CHOSEN}).headers["X-Request-Id"]
    second = client.get("/", headers={"X-Request-Id": CHOSEN}).headers["X-Request-Id"]
    assert first != second
    assert SERVER_MADE.match(first) and SERVER_MADE.match(second)


class Lines(logging.Handler):
    """The portal's request log lines, formatted as in production."""

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


def logged_request(client, **headers) -> tuple[dict, str]:
    lines = Lines()
    logger = logging.getLogger("portal.requests")
    logger.addHandler(lines)
    try:
        response = client.get("/", headers=headers)
    finally:
        logger.removeHandler(lines)
    (line,) = [line for line in lines.lines if line["event"] == "request"]
    return line, response.headers["X-Request-Id"]


def test_the_clients_request_id_is_logged_beside_the_servers(client):
    line, request_id = logged_request(client, **{"X-Request-Id": "proxy-7f3a.1:2"})
    assert line["request_id"] == request_id
    assert line["client_request_id"] == "proxy-7f3a.1:2"


def test_the_clients_request_id_is_cleaned_and_cut_to_length_in_the_log(client):
    line, _ = logged_request(client, **{"X-Request-Id": 'a"b c\\d<e>{f}' + "x" * 200})
    assert line["client_request_id"] == "abcde" + "f" + "x" * 58
    assert len(line["client_request_id"]) == 64


def test_no_client_request_id_is_logged_when_none_was_sent(client):
    line, _ = logged_request(client)
    assert "client_request_id" not in line
