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

import logging
import re
from collections import ChainMap
from collections.abc import Callable
from posixpath import basename
from typing import Any

from flask import (
    Flask,
    Response,
    has_request_context,
    make_response,
    render_template,
    request,
)
from flask_wtf.csrf import generate_csrf
from jinja2 import Template, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.utils import LRUCache
from markupsafe import Markup, escape

from portal.extensions import htmx
from portal.forms import new_submission_key

log = logging.getLogger(__name__)

#: The one shell a partial is rendered in when the whole page is wanted.
SHELL = "layouts/page.html"

#: htmx's script tag in the layout (templates/layouts/base.html), fingerprinted or not.
#: Both patterns begin with plain text, which `re` finds fast: one that began with
#: optional whitespace (`\s`, `[ \t]*`) was tried at every character of the page, 0.8 ms
#: of the start page's 3 ms.
HTMX_SCRIPT = re.compile(
    r'<script src="/static/vendor/htmx\.min\.(?:[0-9a-f]+\.)?js"[^>]*></script>'
)
#: The name of an htmx attribute (hx-get, data-hx-post, ...), checked by `uses_htmx`.
HTMX_NAME = re.compile(r"hx-[a-z]")


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


#: What a cached fragment holds in place of the request's CSRF token (a sign-out
#: form in the navigation): put back on every use, so no token is ever shared.
CSRF_SLOT = "\x00csrf-token\x00"
#: ... and in place of a form's one-time key (portal.forms): a new one on every use.
KEY_SLOT = "\x00one-time-key\x00"
#: More distinct fragments of one name than this: its cache starts again rather than
#: grow (a key that holds something it should not; or many choices, each its own).
MOST_FRAGMENTS = 256


#: What a slot may be called: nothing autoescaping would change.
SLOT_NAME = re.compile(r"[a-z0-9-]+")


def slot(name: str) -> str:
    """Where a cached fragment has a value filled in on each use (`cached(fill=...)`)."""
    if not SLOT_NAME.fullmatch(name):
        raise ValueError(f"a slot's name is lower-case letters, digits and dashes: {name!r}")
    return f"\x00{name}\x00"


@pass_eval_context
def cached(
    eval_ctx: EvalContext,
    *key: Any,
    caller: Callable[[], Markup],
    fill: dict[str, Any] | None = None,
) -> Markup:
    """`{% call cached("name", key, ...) %}...{% endcall %}`: a part of a page that is the
    same for everyone with the same key (the language, the navigation's links and which
    is current; a blank form's language and defaults) is rendered once and reused,
    instead of running the GOV.UK macros on every request. Everything the part shows
    must be in the key, or be filled in on each use: the CSRF token (`csrf_slot`) and a
    form's one-time key (`key_slot`), new each time, so neither is ever shared; and each
    `slot(name)` with `fill[name]` (a form's address, say, escaped). One cache per Jinja
    environment, so per app (each has its own translations). Never one `cached` inside
    another: the inner one's token and key, filled in, would be kept for everyone; a slot
    left unfilled is an error, never sent."""
    # One cache for each fragment's name: one with many keys (the caseload's filter
    # options, one for each set of choices) starts its own again, never the layout's.
    cache: dict = eval_ctx.environment.globals["_fragments"].setdefault(key[0], {})
    # Whether the template autoescapes is in the key: a part rendered by one that does not
    # (a test's probe template, named without .html) is text, and would be escaped again.
    # So is the prefix the service is served under (SCRIPT_NAME): every url_for in a part
    # carries it ("Exit this page", the staff sign-in link), whether or not its key says so.
    prefix = request.script_root if has_request_context() else ""
    frozen = (eval_ctx.autoescape, prefix, *(fragment_key(part) for part in key))
    html = cache.get(frozen)
    if html is None:
        if len(cache) >= MOST_FRAGMENTS:
            cache.clear()
        html = cache[frozen] = caller()  # Markup: the layouts autoescape
    # Markup.replace escapes what it puts in (a str, not Markup: escape() makes each Markup).
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, generate_csrf())
    if KEY_SLOT in html:
        html = html.replace(KEY_SLOT, new_submission_key())
    for name, value in (fill or {}).items():
        html = html.replace(slot(name), escape(value))
    if "\x00" in html:
        raise ValueError(f"a cached fragment {key[0]!r} has a slot that was not filled in")
    return html


class PortalTemplate(Template):
    """Jinja's Template, with `{% from ... import ... %}` made cheap.

    Every import (and the GOV.UK macros import each other inside their macros, so a
    page with a form makes a hundred or more) asks whether the importing template has
    globals the imported one lacks, as `set - ChainMap.keys()`: a Python-level lookup
    in each map for each key. The same question answered with set.difference over
    the maps runs in C; when the answer is "none" (always, here) the cached module is
    used, exactly as Jinja would; otherwise Jinja's own path runs unchanged."""

    def _get_default_module(self, ctx=None):
        if (
            ctx is not None
            and isinstance(self.globals, ChainMap)
            and not ctx.globals_keys.difference(*self.globals.maps)
        ):
            ctx = None
        return super()._get_default_module(ctx)


def fragment_key(value: Any) -> Any:
    """A hashable key from a template value: lists and dicts (navigation items) become
    tuples, anything with HTML (a count beside a link) its HTML."""
    if isinstance(value, dict):
        return tuple((k, fragment_key(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(fragment_key(v) for v in value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(escape(value))


def init_app(app: Flask) -> None:
    """Templates can ask whether they are being sent alone (see components/page_head.html),
    list a form's errors, and cache the layout's parts (`cached`)."""
    app.add_template_global(wants_partial)
    app.add_template_global(error_list)
    app.jinja_env.template_class = PortalTemplate
    app.jinja_env.globals.update(
        cached=cached, csrf_slot=CSRF_SLOT, key_slot=KEY_SLOT, slot=slot, _fragments={}
    )
    app.after_request(leave_out_htmx_when_unused)


def compile_templates(app: Flask) -> int:
    """Compile every template the app has into its Jinja cache, and say how many.

    gunicorn.conf.py calls it as each worker starts, before it takes a request. Otherwise
    a template is compiled when a request first needs it: after each start, every thread
    of a busy worker compiles the same templates at once (a page's first requests took
    seconds, and the worker's memory peaked while they did). All of them take about 6 MB
    a worker. Jinja's cache is made big enough to hold them all (else one would be dropped
    and compiled again, on a request).

    A file that does not compile (a stray editor's file under templates/, say) is logged
    and left, as it was before: raised here, it would stop the worker booting, and
    gunicorn would stop the whole server. (The suite checks that every template compiles:
    tests/functional/test_web_worker_imports.py.)
    """
    env = app.jinja_env
    names = env.list_templates()
    if env.cache is not None and len(names) > env.cache.capacity:
        env.cache = LRUCache(2 * len(names))
    compiled = 0
    for name in names:
        try:
            env.get_template(name)
        except Exception:
            log.exception("template_not_compiled", extra={"template": name})
        else:
            compiled += 1
    return compiled


def leave_out_htmx_when_unused(response: Response) -> Response:
    """A page with no htmx attribute is sent without htmx's script (15 KB compressed):
    the start page and the information pages, the first a victim sees, on a phone
    perhaps. Nothing there would use it (static/js/portal.mjs does without), and
    deciding on the page as sent, rather than in each template, also covers attributes
    that come from Python (portal/staff/caseload_views.py) or from a layout."""
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    html = response.get_data(as_text=True)
    without = without_htmx_script(html)
    if without is not html:
        response.set_data(without)
    return response


def uses_htmx(html: str) -> bool:
    """Whether `html` has an htmx attribute: hx-… or data-hx-… after whitespace."""
    for found in HTMX_NAME.finditer(html):
        start = found.start()
        if start >= 5 and html.startswith("data-", start - 5):
            start -= 5
        if start > 0 and html[start - 1].isspace():
            return True
    return False


def without_htmx_script(html: str) -> str:
    """`html` without htmx's script tag (and its line) when nothing in it uses htmx;
    `html` itself otherwise."""
    script = HTMX_SCRIPT.search(html)
    if script is None or uses_htmx(html):
        return html
    start = script.start()
    while start > 0 and html[start - 1] in " \t":
        start -= 1
    if start > 0 and html[start - 1] == "\n":
        start -= 1
    return html[:start] + html[script.end() :]


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
