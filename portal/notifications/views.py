"""Delivery receipts from GOV.UK Notify's callbacks."""

from __future__ import annotations

import hmac
import re

from flask import current_app, jsonify, request

from portal.access import AudienceBlueprint
from portal.extensions import csrf, db, limiter
from portal.notifications.worker import apply_receipt

bp = AudienceBlueprint("notify_callbacks", __name__, audience="system")

#: An outbox id (a uuid4), which is the reference we give Notify.
REFERENCE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: Notify's statuses are lower-case words joined by hyphens.
STATUS = re.compile(r"[a-z][a-z-]{0,39}")


def _authorised() -> bool:
    expected = current_app.config.get("NOTIFY_CALLBACK_TOKEN") or ""
    supplied = request.headers.get("Authorization", "")
    if not expected or not supplied.startswith("Bearer "):
        return False
    return hmac.compare_digest(supplied.removeprefix("Bearer ").encode(), expected.encode())


@bp.post("/notifications/delivery-receipts")
@csrf.exempt
@limiter.exempt
def delivery_receipt():
    if not _authorised():
        return jsonify(error="unauthorised"), 401
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # absurdly nested JSON
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("reference"), str):
        return jsonify(error="expected a JSON object with a reference"), 400
    if not REFERENCE.fullmatch(payload["reference"]):
        # Our references are the outbox's ids: anything else (a NUL, say) is never looked up.
        return jsonify(error="expected one of our references"), 400
    status = payload.get("status")
    if not isinstance(status, str) or not STATUS.fullmatch(status):
        return jsonify(error="expected a status"), 400
    known = apply_receipt(db.session, payload["reference"], status)
    return jsonify(recorded=known), 200
