"""GET /healthz: is the portal up, and can it reach its database?"""

from __future__ import annotations

import logging

from flask import jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.access import AudienceBlueprint
from portal.extensions import db, limiter

log = logging.getLogger(__name__)
bp = AudienceBlueprint("health", __name__, audience="system")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        log.error("healthz_database_unreachable", extra={"error_type": type(error).__name__})
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="reachable")
