"""Who may see each route. Every endpoint declares its audience.

- public: anyone (information pages, eligibility, assets);
- registering: anyone, in the middle of registering (their own draft only);
- victim: a signed-in victim, seeing only their own case;
- staff: a signed-in Victim Liaison Officer; every access is audited;
- system: machines (health checks, provider callbacks).

A test fails on an endpoint with no audience, so a new route cannot be
exposed by accident. Victim and staff routes are refused unless the session
holds that audience; a blueprint with a sign-in page sends people there
instead of showing "forbidden".
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, abort, g, redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.models import ActorType, AuditEvent, Case
from portal.transactions import write_after_reading

log = logging.getLogger(__name__)

AUDIENCES = ("public", "registering", "victim", "staff", "system")
SIGNED_IN_AUDIENCES = ("victim", "staff")
#: Committed files that carry no personal data and may be cached.
CACHEABLE_ENDPOINTS = frozenset({"static", "assets.static"})
#: Flask's own static route serves only committed files.
BUILT_IN = {"static": "public"}


class AudienceBlueprint(Blueprint):
    """A blueprint whose routes all serve one audience."""

    def __init__(
        self,
        name: str,
        import_name: str,
        *,
        audience: str,
        sign_in_endpoint: str | None = None,
        **kwargs,
    ) -> None:
        if audience not in AUDIENCES:
            raise ValueError(f"Unknown audience {audience!r}")
        super().__init__(name, import_name, **kwargs)
        self.audience = audience
        if audience in SIGNED_IN_AUDIENCES:
            self.before_request(_require(audience, sign_in_endpoint))
        if audience == "staff":
            self.after_request(_audit_staff_access)


def _require(audience: str, sign_in_endpoint: str | None):
    def check_signed_in() -> Response | None:
        if session.get("audience") != audience:
            if sign_in_endpoint:
                return redirect(url_for(sign_in_endpoint), code=303)
            abort(403)
        return None

    return check_signed_in


def _audit_staff_access(response: Response) -> Response:
    """Every request to a staff page is recorded: who, what, which case, the outcome.

    Refused requests (no staff sign-in) are recorded too, with no actor. Other ids in the
    address (whose audit trail, say) go in the detail; so does a case id that matches no
    case, which the case column cannot hold (asked for when refused, redirected or not
    found: a page that was served found its case).
    """
    signed_in = session.get("audience") == "staff"
    view_args = request.view_args or {}
    case_id = view_args.get("case_id")
    detail = {"status": response.status_code, "allowed": signed_in}
    detail |= {
        name: value
        for name, value in view_args.items()
        if name != "case_id" and isinstance(value, int)
    }
    try:
        served = 200 <= response.status_code < 300
        if isinstance(case_id, int) and not served and not _exists(case_id):
            detail["case_id"], case_id = case_id, None
        write_after_reading(db.session)
        db.session.add(
            AuditEvent(
                actor_type=ActorType.STAFF if signed_in else ActorType.SYSTEM,
                actor_id=session.get("officer_id") if signed_in else None,
                action=f"{request.method} {request.endpoint}"[:64],
                case_id=case_id if isinstance(case_id, int) else None,
                request_id=g.get("request_id"),
                address=(request.remote_addr or "")[:45] or None,
                detail=detail,
            )
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("audit_write_failed")
        abort(503)  # no unaudited staff access
    return response


def _exists(case_id: int) -> bool:
    return db.session.scalar(select(Case.id).where(Case.id == case_id)) is not None


def audience_of(app: Flask, endpoint: str) -> str | None:
    """The declared audience of `endpoint`, or None when it declares none."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    blueprint_name = endpoint.rpartition(".")[0]
    blueprint = app.blueprints.get(blueprint_name)
    return getattr(blueprint, "audience", None)


#: The audit's action for a request under /staff/ that matched no page.
UNMATCHED_STAFF_REQUEST = "staff request matched no page"


def init_app(app: Flask) -> None:
    app.after_request(_audit_unmatched_staff_request)


def _audit_unmatched_staff_request(response: Response) -> Response:
    """A request under /staff/ that matches no route (a method a page does not take, an
    address that does not exist) never reaches the staff blueprint, so its audit is
    written here: probing the console is audited like any refused request. The address
    is not kept (someone may have typed a name into it); the method and outcome are."""
    if request.endpoint is not None or not request.path.startswith("/staff/"):
        return response
    signed_in = session.get("audience") == "staff"
    try:
        write_after_reading(db.session)
        db.session.add(
            AuditEvent(
                actor_type=ActorType.STAFF if signed_in else ActorType.SYSTEM,
                actor_id=session.get("officer_id") if signed_in else None,
                action=UNMATCHED_STAFF_REQUEST,
                request_id=g.get("request_id"),
                address=(request.remote_addr or "")[:45] or None,
                detail={
                    "status": response.status_code,
                    "allowed": False,
                    "method": request.method[:10],
                },
            )
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("audit_write_failed")
    return response
