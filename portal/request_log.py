"""Structured request logs with a request id on every line.

Logs never contain names, addresses, phone numbers, email addresses or
message text: only the endpoint, the status, the time taken and ids.

The request id is always made here, on the server: it is what audit events
record, so a client must not be able to choose it (to forge, repeat or hide
an entry). A client's own X-Request-Id (a proxy's, say) is only logged
beside it, as `client_request_id`, cut down to safe characters and a length.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, Response, g, has_request_context, request

#: What a client's X-Request-Id may keep: anything else is removed, and it is cut to length.
UNSAFE_CLIENT_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9._:-]")
CLIENT_REQUEST_ID_LENGTH = 64
log = logging.getLogger("portal.requests")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        in_request = has_request_context()
        record.request_id = g.get("request_id", "-") if in_request else "-"
        record.client_request_id = g.get("client_request_id", "") if in_request else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for production log collectors."""

    FIELDS = (
        "request_id",
        "client_request_id",
        "method",
        "endpoint",
        "status",
        "duration_ms",
        "error_type",
        "reason",
    )

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({f: getattr(record, f) for f in self.FIELDS if hasattr(record, f)})
        if not entry.get("client_request_id"):
            entry.pop("client_request_id", None)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def client_request_id(supplied: str) -> str:
    """A client's X-Request-Id as it may be logged: safe characters only, and short."""
    return UNSAFE_CLIENT_ID_CHARACTERS.sub("", supplied)[:CLIENT_REQUEST_ID_LENGTH]


def _start() -> None:
    g.request_id = uuid.uuid4().hex
    g.client_request_id = client_request_id(request.headers.get("X-Request-Id", ""))
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    started = g.get("request_started")
    log.info(
        "request",
        extra={
            "method": request.method,
            "endpoint": request.endpoint or "-",
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        },
    )
    return response


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if app.config["LOG_JSON"]:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )
    portal_logger = logging.getLogger("portal")
    if not any(isinstance(h, logging.StreamHandler) for h in portal_logger.handlers):
        portal_logger.addHandler(handler)
    portal_logger.setLevel(logging.INFO)
    portal_logger.propagate = False
    app.before_request(_start)
    app.after_request(_finish)
