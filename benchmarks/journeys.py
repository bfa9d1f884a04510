"""Signed-in people for the benchmark, minted directly: a server session made by the
service that signing in uses (portal.services.sign_in / staff_auth), put in a Flask
session cookie signed with the app's secret (app.session_interface), with a CSRF token,
as the browser of someone who has just signed in would hold."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from portal import create_app
from portal.account.sign_in_views import TOKEN as VICTIM_TOKEN
from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Message,
    NotificationChannel,
    OfficerRole,
    TimelineEvent,
    VictimLiaisonOfficer,
)
from portal.services import sign_in, staff_auth
from portal.staff.sign_in_views import TOKEN as STAFF_TOKEN


@dataclass(frozen=True)
class Identity:
    """Who a request is made as: the session cookie, its CSRF token, and their case."""

    cookie: str
    csrf: str
    reference: str = ""
    case_id: int = 0
    #: The newest message on the case (what a reply form says the officer saw).
    seen: int = 0

    def fill(self, template: str) -> str:
        """`template` with this identity's {csrf}, {reference} and {case_id}."""
        return (
            template.replace("{csrf}", self.csrf)
            .replace("{reference}", self.reference)
            .replace("{case_id}", str(self.case_id))
            .replace("{seen}", str(self.seen))
        )


def app_for(url: str):
    return create_app("development", {"SQLALCHEMY_DATABASE_URI": url})


def _cookie(app, values: dict) -> tuple[str, str]:
    """A signed session cookie holding `values` and a CSRF token; (cookie header, token)."""
    with app.test_request_context("/"):
        session.update(values)
        # generate_csrf keeps its token in `g`, which lives as long as the app context
        # this is called in: each cookie has a token of its own.
        g.pop("csrf_token", None)
        token = generate_csrf()
        signed = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={signed}", token


def _victim(app, case: Case, email: str) -> Identity:
    token = sign_in.start_session(db.session, NotificationChannel.EMAIL, email)
    cookie, csrf = _cookie(app, {"audience": "victim", VICTIM_TOKEN: token})
    return Identity(cookie, csrf, case.reference, case.id)


def _staff(app, officer_id: int, case: Case | None = None) -> Identity:
    token = staff_auth.start_session(
        db.session,
        officer_id,
        staff_auth.PASSWORD_AND_TOTP.method,
        secret_key=app.config["SECRET_KEY"],
    )
    db.session.commit()
    cookie, csrf = _cookie(app, {"audience": "staff", "officer_id": officer_id, STAFF_TOKEN: token})
    return Identity(cookie, csrf, case.reference if case else "", case.id if case else 0)


def _signable():
    """Active cases whose victim can sign in with a proved, safe email address."""
    return (
        select(Case, ContactPreference.value)
        .join(ContactPreference, ContactPreference.victim_id == Case.victim_id)
        .where(
            Case.status == CaseStatus.ACTIVE,
            Case.officer_id.is_not(None),
            ContactPreference.channel == Channel.EMAIL,
            ContactPreference.is_safe.is_(True),
            ContactPreference.verified_at.is_not(None),
        )
    )


def mint(url: str, senders: int) -> dict[str, list[Identity]]:
    """Identities by `who` (benchmarks.pages): the busiest officer (by active cases), the
    victim of a busy case of theirs (the 90th percentile by timeline entries), `senders`
    other victims, the officer on their other cases, a manager, and an anonymous visitor."""
    app = app_for(url)
    with app.app_context():
        busiest = db.session.scalars(
            select(Case.officer_id)
            .join(VictimLiaisonOfficer, VictimLiaisonOfficer.id == Case.officer_id)
            .where(
                Case.status == CaseStatus.ACTIVE,
                VictimLiaisonOfficer.role == OfficerRole.VLO,
                VictimLiaisonOfficer.is_active.is_(True),
            )
            .group_by(Case.officer_id)
            .order_by(func.count().desc(), Case.officer_id)
        ).all()
        entries = (
            select(func.count())
            .select_from(TimelineEvent)
            .where(TimelineEvent.case_id == Case.id)
            .scalar_subquery()
        )
        for officer_id in busiest:
            theirs = db.session.execute(
                _signable().where(Case.officer_id == officer_id).order_by(entries.desc(), Case.id)
            ).all()
            if theirs:
                # A busy case, not the busiest: the 90th percentile by timeline entries.
                case, email = theirs[len(theirs) // 10]
                break
        else:
            raise RuntimeError("no active case in the data whose victim can sign in by email")
        others = db.session.execute(
            _signable().where(Case.id != case.id).order_by(Case.id).limit(senders)
        ).all()
        manager_id = db.session.scalar(
            select(VictimLiaisonOfficer.id)
            .where(
                VictimLiaisonOfficer.role == OfficerRole.MANAGER,
                VictimLiaisonOfficer.is_active.is_(True),
            )
            .order_by(VictimLiaisonOfficer.id)
            .limit(1)
        )
        if manager_id is None:
            raise RuntimeError("no manager in the data (the demo data has one)")
        their_cases = db.session.scalars(
            select(Case)
            .where(
                Case.officer_id == officer_id,
                Case.status == CaseStatus.ACTIVE,
                Case.id != case.id,
            )
            .order_by(Case.id)
            .limit(200)
        ).all()
        cookie, csrf = _cookie(app, {})
        found = {
            "anonymous": [Identity(cookie, csrf)],
            "victim": [_victim(app, case, email)],
            "senders": [_victim(app, other, address) for other, address in others],
        }
        db.session.commit()
        officer = _staff(app, officer_id, case)
        found["officer"] = [officer]
        newest = dict(
            db.session.execute(
                select(Message.case_id, func.max(Message.id))
                .where(Message.case_id.in_([other.id for other in their_cases or [case]]))
                .group_by(Message.case_id)
            ).all()
        )
        found["officer's cases"] = [
            Identity(
                officer.cookie, officer.csrf, other.reference, other.id, newest.get(other.id, 0)
            )
            for other in their_cases or [case]
        ]
        found["manager"] = [_staff(app, manager_id)]
        return found
