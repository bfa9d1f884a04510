"""Render a whole page, or only the part of it that htmx asked for.

A page that htmx updates is built from partials: `public/page.html` includes
`public/_part.html`. A plain request (no JavaScript, a reload, or htmx
restoring history after a cache miss) gets the whole page; an htmx request
gets only the partial. Either way the response varies on HX-Request, so a
cache never serves a fragment as a page.
"""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template, request

from portal.extensions import htmx


def wants_partial() -> bool:
    """True for an htmx swap; False for a full page (including history restore)."""
    return bool(htmx) and not htmx.history_restore_request


def error_list(form) -> list[dict]:
    """A form's errors for the GOV.UK error summary: each field's first message,
    linked to the field (components/error_summary.html)."""
    return [
        {"text": errors[0], "href": f"#{form[name].id}"}
        for name, errors in form.errors.items()
        if errors and name in form
    ]


def init_app(app: Flask) -> None:
    """Templates can ask whether they are being sent alone (see components/page_title.html)
    and list a form's errors."""
    app.add_template_global(wants_partial)
    app.add_template_global(error_list)


def render_page(
    template: str, partial: str, status: int = 200, push_url: bool = False, **context
) -> Response:
    """The full page `template`, or just `partial` when htmx asked for it.

    With `push_url`, an htmx response also tells htmx to put this URL in the
    address bar and history (after a form's POST was redirected here, say),
    so that the back button and a reload work as they do without JavaScript.
    """
    partial_only = wants_partial()
    response = make_response(
        render_template(partial if partial_only else template, **context), status
    )
    response.vary.add("HX-Request")
    if partial_only and push_url:
        response.headers["HX-Push-Url"] = request.full_path.rstrip("?")
    return response
