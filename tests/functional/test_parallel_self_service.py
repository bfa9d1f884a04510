"""A victim's one-time changes when the same form arrives many times at once, on SQLite and
on PostgreSQL (issue 16): pausing, ending a pause, ending a representative's access, marking
a detail not safe, starting a request or asking for the decision summary happen once, with
one timeline entry and one audit event, however many tabs or clicks sent them.

Like tests/functional/test_parallel_limits.py (whose helpers these use), each request commits
for real from its own client and thread, and what was written is deleted after.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.forms import new_submission_key
from portal.models import (
    AuditEvent,
    CaseStatus,
    ContactPreference,
    Representative,
    TimelineEvent,
    Victim,
    VictimRequest,
    VictimRequestStep,
    utcnow,
)
from tests.functional.test_parallel_limits import at_once, committed, cookie_of, same_browser
from tests.functional.test_parallel_messages import client_page
from tests.support.cases import english_victim
from tests.support.factories import ContactPreferenceFactory, RepresentativeFactory
from tests.support.registration_steps import csrf
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

EMAIL = "parallel.self.service@example.com"
AT_ONCE = 12


@contextmanager
def self_service(app):
    """committed(app), and the requests and representatives the test made (deleted first)."""
    with committed(app):
        started = utcnow()
        try:
            yield
        finally:
            with app.app_context():
                made = select(VictimRequest.id).where(VictimRequest.created_at >= started)
                db.session.execute(
                    delete(VictimRequestStep).where(VictimRequestStep.request_id.in_(made))
                )
                db.session.execute(delete(TimelineEvent).where(TimelineEvent.request_id.in_(made)))
                db.session.execute(delete(VictimRequest).where(VictimRequest.created_at >= started))
                db.session.execute(
                    delete(Representative).where(Representative.created_at >= started)
                )
                db.session.commit()


def audited(app, case_id: int, action: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.case_id == case_id, AuditEvent.action == action)
        )


def entries(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(TimelineEvent).where(TimelineEvent.case_id == case_id)
        )


def signed_in_client(app, **case):
    me = english_victim(app, email=EMAIL, **case)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.50"
    signed_in(client, EMAIL)
    return me, client


def sent_at_once(app, client, address: str, form: dict) -> set[int]:
    cookie = cookie_of(client)
    return {
        r.status_code
        for r in at_once(AT_ONCE, lambda n: same_browser(app, cookie).post(address, data=form))
    }


def test_pausing_and_ending_the_pause_at_once_happen_once(app):
    with self_service(app):
        me, client = signed_in_client(app)
        base = f"/account/cases/{me.reference}"
        token = csrf(client_page(client, f"{base}/pause"))
        client.post(f"{base}/pause", data={"csrf_token": token, "until": "day"})
        day = utcnow().date() + timedelta(days=60)
        answer = {"csrf_token": token, "day": day.day, "month": day.month, "year": day.year}
        assert client.post(f"{base}/pause/date", data=answer).status_code == 303
        before = entries(app, me.case_id)
        assert sent_at_once(app, client, f"{base}/pause/check", {"csrf_token": token}) == {303}
        assert audited(app, me.case_id, "case.paused") == 1
        assert entries(app, me.case_id) == before + 1

        assert sent_at_once(app, client, f"{base}/pause/end", {"csrf_token": token}) == {303}
        assert audited(app, me.case_id, "case.resumed") == 1
        assert entries(app, me.case_id) == before + 2


def test_ending_a_representative_at_once_ends_them_once(app):
    with self_service(app):
        me, client = signed_in_client(app)
        with app.app_context():
            helper = RepresentativeFactory(
                victim=db.session.get(Victim, me.victim_id), destination="h.p@example.com"
            )
            db.session.commit()
            helper_id = helper.id
        address = f"/account/cases/{me.reference}/representatives/{helper_id}/end"
        token = csrf(client_page(client, address))
        before = entries(app, me.case_id)
        assert sent_at_once(app, client, address, {"csrf_token": token}) == {303}
        assert audited(app, me.case_id, "representative.ended") == 1
        assert entries(app, me.case_id) == before + 1


def test_marking_a_detail_not_safe_at_once_does_it_once(app):
    with self_service(app):
        me, client = signed_in_client(app)
        with app.app_context():
            other = ContactPreferenceFactory(
                victim=db.session.get(Victim, me.victim_id), value="other.p@example.com"
            )
            db.session.commit()
            other_id = other.id
        address = f"/account/cases/{me.reference}/contact/{other_id}/safety"
        token = csrf(client_page(client, address))
        before = entries(app, me.case_id)
        assert sent_at_once(app, client, address, {"csrf_token": token, "to": "unsafe"}) == {303}
        assert entries(app, me.case_id) == before + 1
        with app.app_context():
            assert db.session.get(ContactPreference, other_id).is_safe is False


@pytest.mark.parametrize("slug", ["licence-conditions", "decision-summary"])
def test_a_request_started_from_many_tabs_at_once_is_one_request(app, slug):
    """Each tab's form has its own one-time key: still one request of a kind at a time."""
    with self_service(app):
        me, client = signed_in_client(app, status=CaseStatus.ACTIVE)
        address = f"/account/cases/{me.reference}/requests/new/{slug}"
        token = csrf(client_page(client, address))
        cookie = cookie_of(client)

        def start(_n: int):
            form = {"csrf_token": token, "submission_key": new_submission_key()}
            return same_browser(app, cookie).post(address, data=form)

        responses = at_once(AT_ONCE, start)
        assert {r.status_code for r in responses} == {303}
        assert len({r.location for r in responses}) == 1
        with app.app_context():
            made = db.session.scalar(
                select(func.count())
                .select_from(VictimRequest)
                .where(VictimRequest.case_id == me.case_id)
            )
        assert made == 1


def test_removing_every_detail_at_once_keeps_one(app):
    """The victim must keep one way to be contacted: tabs removing every detail at once (each
    more than once) cannot all do it."""
    with self_service(app):
        me, client = signed_in_client(app)
        with app.app_context():
            victim = db.session.get(Victim, me.victim_id)
            for n in range(2):
                ContactPreferenceFactory(victim=victim, value=f"spare{n}.p@example.com")
            db.session.commit()
            ids = list(
                db.session.scalars(
                    select(ContactPreference.id).where(ContactPreference.victim_id == me.victim_id)
                )
            )
        assert len(ids) == 4
        base = f"/account/cases/{me.reference}/contact"
        token = csrf(client_page(client, f"{base}/{ids[0]}/remove"))
        cookie = cookie_of(client)
        responses = at_once(
            3 * len(ids),
            lambda n: same_browser(app, cookie).post(
                f"{base}/{ids[n % len(ids)]}/remove", data={"csrf_token": token}
            ),
        )
        assert {r.status_code for r in responses} <= {303, 404, 409}  # 404: removed already
        with app.app_context():
            kept = db.session.scalar(
                select(func.count())
                .select_from(ContactPreference)
                .where(ContactPreference.victim_id == me.victim_id)
            )
        # Never none; how many stay depends on the order (removing the email address this
        # browser signed in with ends its session, and the requests after it find no one).
        assert kept >= 1


def test_a_choice_sent_from_many_tabs_at_once_is_noted_once(app):
    """How much to hear, the language and safe times (the victim's record), changed at once:
    one entry each for the officer."""
    with self_service(app):
        me, client = signed_in_client(app)
        base = f"/account/cases/{me.reference}"
        token = csrf(client_page(client, f"{base}/updates"))
        before = entries(app, me.case_id)
        form = {"csrf_token": token, "updates_wanted": "every_stage"}
        assert sent_at_once(app, client, f"{base}/updates", form) == {303}
        assert audited(app, me.case_id, "case.updates_wanted_changed") == 1
        form = {"csrf_token": token, "language": "cy"}
        assert sent_at_once(app, client, f"{base}/contact/language", form) == {303}
        assert audited(app, me.case_id, "victim.language_changed") == 1
        form = {"csrf_token": token, "when": "between", "safe_from": "09:00", "safe_until": "17:00"}
        assert sent_at_once(app, client, f"{base}/contact/times", form) == {303}
        assert audited(app, me.case_id, "contact.times_changed") == 1
        assert entries(app, me.case_id) == before + 3
