"""Render every page one way: a whole page, or only the part htmx asked for.

`render_page(template)` takes either a page (a template that extends a
layout) or a partial (a name starting with "_", usable alone). A partial is
put inside the one generic shell, `layouts/page.html` (the victim layout, the
page's title and back link), for a plain request (no JavaScript, a reload, or
htmx restoring history after a cache miss), and sent alone for an htmx swap.
A page that has its own full template names its partial with `partial=`.
Either way the response varies on HX-Request, so a cache never serves a
fragment as a page.
"""

from __future__ import annotations

import re
from posixpath import basename

from flask import Flask, Response, make_response, render_template, request

from portal.extensions import htmx

#: The one shell a partial is rendered in when the whole page is wanted.
SHELL = "layouts/page.html"

#: htmx's script tag in the layout (templates/layouts/base.html), fingerprinted or not.
HTMX_SCRIPT = re.compile(
    r'\n?[ \t]*<script src="/static/vendor/htmx\.min\.(?:[0-9a-f]+\.)?js"[^>]*></script>'
)
#: An htmx attribute (hx-get, data-hx-post, ...) anywhere in a page.
HTMX_ATTRIBUTE = re.compile(r"\s(?:data-)?hx-[a-z]")


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
    """Templates can ask whether they are being sent alone (see components/page_head.html)
    and list a form's errors."""
    app.add_template_global(wants_partial)
    app.add_template_global(error_list)
    app.after_request(leave_out_htmx_when_unused)


def leave_out_htmx_when_unused(response: Response) -> Response:
    """A page with no htmx attribute is sent without htmx's script (15 KB compressed):
    the start page and the information pages, the first a victim sees, on a phone
    perhaps. Nothing there would use it (static/js/portal.mjs does without), and
    deciding on the page as sent, rather than in each template, also covers attributes
    that come from Python (portal/staff/caseload_views.py) or from a layout."""
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    html = response.get_data(as_text=True)
    script = HTMX_SCRIPT.search(html)
    if script and not HTMX_ATTRIBUTE.search(html):
        response.set_data(html[: script.start()] + html[script.end() :])
    return response


def is_partial(template: str) -> bool:
    return basename(template).startswith("_")


def render_page(
    template: str,
    partial: str | None = None,
    status: int = 200,
    push_url: bool = False,
    **context,
) -> Response:
    """The page `template`, or just its partial when htmx asked for it.

    With `push_url`, an htmx response also tells htmx to put this URL in the
    address bar and history (after a form's POST was redirected here, say),
    so that the back button and a reload work as they do without JavaScript.
    A page with no partial is always sent whole.
    """
    if partial is None and is_partial(template):
        template, partial = SHELL, template
    context = {"has_errors": False, "back_url": None, **context}
    partial_only = partial is not None and wants_partial()
    response = make_response(
        render_template(partial if partial_only else template, partial_template=partial, **context),
        status,
    )
    response.vary.add("HX-Request")
    if partial_only and push_url:
        response.headers["HX-Push-Url"] = request.full_path.rstrip("?")
    return response
