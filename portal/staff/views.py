"""A signed-in officer's pages. Every request checks the server-side session first: one
that has ended, run out, or whose officer was deactivated sends them to sign in again."""

from __future__ import annotations

from flask import g, redirect, session, url_for
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.language import choose_language
from portal.models import VictimLiaisonOfficer
from portal.services import staff_auth
from portal.staff import bp
from portal.staff.sign_in_views import SIGNED_OUT, TOKEN, page

HOME = _l("What needs you first")


@bp.before_request
def live_session():
    record = staff_auth.current_session(db.session, session.get(TOKEN))
    db.session.commit()  # an ended session stays ended; last seen moves on
    if record is None:
        session.clear()
        session[SIGNED_OUT] = "timeout"
        return redirect(url_for("staff_sign_in.start"), code=303)
    g.staff_session = record
    return None


def current_officer() -> VictimLiaisonOfficer:
    """The signed-in officer (every staff view runs after live_session)."""
    return g.staff_session.officer


@bp.get("")
def home():
    officer = current_officer()
    return page(
        "_home.html",
        HOME,
        officer=officer,
        region_name=officer.region.name(choose_language()),
        recovery_codes_left=staff_auth.recovery_codes_left(db.session, officer.id),
    )
