"""Error pages for 400, 403, 404, 405, 413, 429, 500 and 503, in both languages.

A person never sees a bare error: every failure gets a GOV.UK-style page in
their language, and a database that is down gets the 503 page.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.extensions import db

log = logging.getLogger(__name__)

PAGES = {400, 403, 404, 405, 413, 429, 500, 503}


def _render(status: int, template: str | None = None):
    return render_template(template or f"errors/{status}.html"), status


def handle_http_error(error: HTTPException):
    """The page for the status; a status without its own page keeps its code
    and shows the nearest general page (400 or 500)."""
    status = error.code or 500
    page = status if status in PAGES else (400 if status < 500 else 500)
    body, _ = _render(page)
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return body, status, headers


def handle_csrf_error(error: CSRFError):
    """An expired or missing CSRF token: explain, do not show a bare 400."""
    log.info("csrf_rejected", extra={"reason": error.description})
    return _render(400, "errors/csrf.html")


def handle_database_unavailable(error: OperationalError):
    log.error("database_unavailable", extra={"error_type": type(error).__name__})
    db.session.rollback()
    return handle_http_error(ServiceUnavailable())


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    log.exception("unhandled_error")
    db.session.rollback()
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
