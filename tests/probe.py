"""A blueprint that exists only in tests, to exercise the app's own machinery.

It is registered on a separate app instance (`probe_app`), never on the
portal itself, so the route list and the i18n guard never see it.
"""

from __future__ import annotations

from flask import abort, redirect, render_template_string, url_for
from sqlalchemy.exc import OperationalError

from portal.access import AudienceBlueprint
from portal.extensions import limiter
from portal.rendering import render_page

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


@bp.get("/form")
def form():
    return render_template_string(FORM_PAGE)


@bp.post("/form")
def form_post():
    return redirect(url_for("probe.form"), code=303)


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


@staff_bp.get("/case")
def staff_case():
    return "a staff page"


TEMPLATES = {"probe_full": FULL_PAGE, "probe_partial": PARTIAL}
