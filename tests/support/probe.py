"""A blueprint that exists only in tests, to exercise the app's own machinery.

It is registered on separate app instances (the `probe_app` fixture, and
`tests/browser/probe_wsgi.py` for the browser tests), never on the portal
itself, so the route list and the i18n guard never see it.

Besides the error and security probes, it has pages built the way the
portal's htmx pages are meant to be (docs/conventions.md): every link and form
has a real href/action that works without JavaScript, `hx-*` attributes are
added on top, the full page includes its partial, and `render_page` chooses
which one to send.

- `/probe/name`: a one-question form. An empty answer re-renders the question
  with a GOV.UK error summary; a valid one redirects (303) to
  `/probe/name/done`, whose htmx response pushes its own URL.
- `/probe/updates?page=N`: a region (`#updates`) whose partial starts with an
  h2, paged by links with hx-get/hx-target/hx-push-url; a "Mark all as read"
  button that posts with htmx outside any form (so its CSRF token travels in
  the X-CSRFToken header, read from the layout's `<meta name="csrf-token">`);
  and links whose htmx requests are answered with the 404 and 500 pages.

A partial rendered on its own for htmx starts with a `<title>`: htmx moves it
into `document.title`, so the title changes with the content, and starts with
"Error: " when the form has errors, as it does without JavaScript.
"""

from __future__ import annotations

from flask import (
    Flask,
    abort,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy.exc import OperationalError
from wtforms import StringField
from wtforms.validators import DataRequired

from portal.access import AudienceBlueprint
from portal.extensions import limiter
from portal.rendering import render_page, wants_partial

bp = AudienceBlueprint("probe", __name__, audience="public", url_prefix="/probe")
staff_bp = AudienceBlueprint("probe_staff", __name__, audience="staff", url_prefix="/probe-staff")

FULL_PAGE = """{% extends "layouts/victim.html" %}
{% set page_title = "Probe page" %}
{% block content %}<h1 class="govuk-heading-l">Probe page</h1>
{% include "probe_partial" %}{% endblock %}"""
PARTIAL = """<div id="probe-region"><h2 class="govuk-heading-m">Probe region</h2></div>"""
FORM_PAGE = """{% extends "layouts/victim.html" %}
{% set page_title = "Probe form" %}
{% block content %}<h1 class="govuk-heading-l">Probe form</h1>
<form method="post" action="{{ url_for('probe.form') }}" novalidate>
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<button class="govuk-button" type="submit">Send</button></form>{% endblock %}"""

#: The <title> of a partial sent alone to htmx (nothing when inside the full page).
PARTIAL_TITLE = """{% from "components/page_title.html" import page_title_text with context -%}
{% if wants_partial() %}<title>{{ page_title_text(page_title, has_errors) }}</title>{% endif %}"""

NAME_PAGE = """{% extends "layouts/victim.html" %}
{% block content %}{% include "probe/_name.html" %}{% endblock %}"""
NAME_PARTIAL = """{% from "components/error_summary.html" import error_summary %}
{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}
{% from "components/text_input.html" import text_input %}
{% include "probe/_title.html" %}
<div id="journey-step" class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    {{ error_summary(form) }}
    <form method="post" action="{{ url_for('probe.name_question') }}" novalidate
          hx-post="{{ url_for('probe.name_question') }}" hx-target="#journey-step"
          hx-swap="outerHTML">
      {{ form.csrf_token }}
      {{ text_input(form.full_name, "What is your full name?", heading=true,
                    autocomplete="name", spellcheck=false) }}
      {{ govukButton({"text": "Continue"}) }}
    </form>
  </div>
</div>"""
NAME_DONE_PAGE = """{% extends "layouts/victim.html" %}
{% block content %}{% include "probe/_name_done.html" %}{% endblock %}"""
NAME_DONE_PARTIAL = """{% include "probe/_title.html" %}
<div id="journey-step" class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h1 class="govuk-heading-l">Thank you</h1>
    <p class="govuk-body">We have your name: {{ name }}.</p>
    <p class="govuk-body">
      <a class="govuk-link" href="{{ url_for('probe.name_question') }}">Change your name</a>
    </p>
  </div>
</div>"""

UPDATES_PAGE = """{% extends "layouts/victim.html" %}
{% block content %}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h1 class="govuk-heading-l">Your case updates</h1>
    <div id="updates">{% include "probe/_updates.html" %}</div>
    <h2 class="govuk-heading-m">Read and unread</h2>
    <button type="button" class="govuk-button govuk-button--secondary"
            hx-post="{{ url_for('probe.mark_read') }}" hx-target="#read-status">
      Mark all as read
    </button>
    <div id="read-status"></div>
    <h2 class="govuk-heading-m">Other pages</h2>
    <ul class="govuk-list">
      {% for text, url in [
        ("A page that has gone", url_for('probe.abort_with', code=404)),
        ("A page that fails", url_for('probe.crash')),
      ] %}
      <li><a class="govuk-link" href="{{ url }}" hx-get="{{ url }}" hx-target="#updates"
             hx-push-url="true">{{ text }}</a></li>
      {% endfor %}
    </ul>
  </div>
</div>
{% endblock %}"""
UPDATES_PARTIAL = """{% include "probe/_title.html" %}
<h2 class="govuk-heading-m">Updates, page {{ page }} of {{ pages }}</h2>
<ul class="govuk-list govuk-list--bullet">
  {% for update in updates %}<li>{{ update }}</li>{% endfor %}
</ul>
<ul class="govuk-list">
  {% if page > 1 %}{% set newer = url_for('probe.updates', page=page - 1) %}
  <li><a class="govuk-link" href="{{ newer }}" hx-get="{{ newer }}" hx-target="#updates"
         hx-push-url="true">Newer updates</a></li>
  {% endif %}
  {% if page < pages %}{% set older = url_for('probe.updates', page=page + 1) %}
  <li><a class="govuk-link" href="{{ older }}" hx-get="{{ older }}" hx-target="#updates"
         hx-push-url="true">Older updates</a></li>
  {% endif %}
</ul>"""
READ_PARTIAL = """<p class="govuk-body" data-focus-after-swap>All updates are marked as read.</p>"""

UPDATE_PAGES = 3


class NameForm(FlaskForm):
    full_name = StringField(
        "Full name",
        validators=[DataRequired(message="Enter your full name")],
    )


@bp.get("/form")
def form():
    return render_template_string(FORM_PAGE)


@bp.post("/form")
def form_post():
    return redirect(url_for("probe.form"), code=303)


@bp.route("/name", methods=["GET", "POST"])
def name_question():
    form = NameForm()
    if form.validate_on_submit():
        session["probe_name"] = form.full_name.data
        return redirect(url_for("probe.name_done"), code=303)
    return render_page(
        "probe/name.html",
        "probe/_name.html",
        form=form,
        page_title="What is your full name?",
        has_errors=bool(form.errors),
    )


@bp.get("/name/done")
def name_done():
    name = session.get("probe_name")
    if not name:
        return redirect(url_for("probe.name_question"))
    response = render_page(
        "probe/name_done.html", "probe/_name_done.html", page_title="Thank you", name=name
    )
    if wants_partial():
        # htmx followed the 303 here: the address bar shows where it landed.
        response.headers["HX-Push-Url"] = url_for("probe.name_done")
    return response


@bp.get("/updates")
def updates():
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= UPDATE_PAGES:
        abort(404)
    title = "Your case updates" if page == 1 else f"Your case updates (page {page})"
    return render_page(
        "probe/updates.html",
        "probe/_updates.html",
        page_title=title,
        page=page,
        pages=UPDATE_PAGES,
        updates=[f"Update {number}" for number in range(page * 3 - 2, page * 3 + 1)],
    )


@bp.post("/updates/read")
def mark_read():
    if not wants_partial():
        return redirect(url_for("probe.updates"), code=303)
    return render_page("probe/updates.html", "probe/_read.html")


@bp.get("/abort/<int:code>")
def abort_with(code: int):
    abort(code)


@bp.get("/crash")
def crash():
    raise RuntimeError("an unexpected failure")


@bp.get("/database-down")
def database_down():
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


@bp.get("/fragment")
def fragment():
    return render_page("probe_full", "probe_partial")


@bp.get("/limited")
@limiter.limit("2 per minute")
def limited():
    return render_template_string(FULL_PAGE)


@staff_bp.get("/cases/<int:case_id>")
def staff_case_by_id(case_id: int):
    return f"case {case_id}"


@staff_bp.get("/case")
def staff_case():
    return "a staff page"


TEMPLATES = {
    "probe_full": FULL_PAGE,
    "probe_partial": PARTIAL,
    "probe/_title.html": PARTIAL_TITLE,
    "probe/name.html": NAME_PAGE,
    "probe/_name.html": NAME_PARTIAL,
    "probe/name_done.html": NAME_DONE_PAGE,
    "probe/_name_done.html": NAME_DONE_PARTIAL,
    "probe/updates.html": UPDATES_PAGE,
    "probe/_updates.html": UPDATES_PARTIAL,
    "probe/_read.html": READ_PARTIAL,
}


def install(app: Flask) -> Flask:
    """Add the probe blueprints and templates to `app` (as the probe_app fixture does)."""
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.jinja_loader = ChoiceLoader([app.jinja_loader, DictLoader(TEMPLATES)])
    return app
