"""Render a whole page, or only the part of it that htmx asked for.

A page that htmx updates is built from partials: `public/page.html` includes
`public/_part.html`. A plain request (no JavaScript, a reload, or htmx
restoring history after a cache miss) gets the whole page; an htmx request
gets only the partial. Either way the response varies on HX-Request, so a
cache never serves a fragment as a page.
"""

from __future__ import annotations

from flask import Response, make_response, render_template

from portal.extensions import htmx


def wants_partial() -> bool:
    """True for an htmx swap; False for a full page (including history restore)."""
    return bool(htmx) and not htmx.history_restore_request


def render_page(template: str, partial: str, status: int = 200, **context) -> Response:
    """The full page `template`, or just `partial` when htmx asked for it."""
    chosen = partial if wants_partial() else template
    response = make_response(render_template(chosen, **context), status)
    response.vary.add("HX-Request")
    return response
