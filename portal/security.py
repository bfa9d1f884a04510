"""The security baseline: headers, CSP with nonces, caching, GOV.UK assets."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import Talisman

from portal.access import CACHEABLE_ENDPOINTS, AudienceBlueprint
from portal.config import PROJECT_ROOT

#: No inline script or style, no eval: scripts need the per-response nonce.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

#: Nothing on a victim's device is needed by this service.
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}

#: GOV.UK Frontend's compiled CSS refers to /assets/fonts and /assets/images.
assets_bp = AudienceBlueprint(
    "assets",
    __name__,
    static_folder=str(PROJECT_ROOT / "static" / "assets"),
    static_url_path="/assets",
    audience="public",
)


def _cache_headers(response: Response) -> Response:
    """Never store a response (it may show personal data) unless it is a static file."""
    if request.endpoint not in CACHEABLE_ENDPOINTS or response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    # One Talisman per app: its settings live on the instance.
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["STRICT_TRANSPORT_SECURITY"],
        strict_transport_security_include_subdomains=True,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        x_content_type_options=True,
    )
    app.after_request(_cache_headers)
