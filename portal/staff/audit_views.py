"""Audit trails, for managers and admins: a case's (who looked at it and changed it) and
a member of staff's (what they looked at and did).

Opening a trail is audited like every staff request (portal/access.py). A case's
trail is found only through `case_or_404`; a staff member's only through
`audit_trail.officer_in_reach`: another region's, to a manager, is not found.
"""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from sqlalchemy.orm import joinedload
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from portal.extensions import db
from portal.forms import PortalForm
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import Case, Language, OfficerRole
from portal.services import audit_trail
from portal.staff import audit_wording, bp
from portal.staff.sign_in_views import page
from portal.staff.views import case_or_404, case_sections, current_officer, for_roles

CASE_TRAIL = _l("Audit trail")
OFFICER_TRAIL = _l("Audit trail of a member of staff")
#: The most pages a trail can have at 25 rows a page with a 64-bit id; anything beyond
#: is a made-up address.
LAST_POSSIBLE_PAGE = 10**12
#: The victim's language, named in the console's.
LANGUAGE_NAMES = {Language.ENGLISH: _l("English"), Language.WELSH: _l("Welsh")}


class TrailFilterForm(PortalForm):
    """Which kind of rows, and which page: from the address (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    kind = SelectField(
        choices=[SelectChoice("", audit_wording.ALL_KINDS)]
        + [SelectChoice(kind.value, label) for kind, label in audit_wording.KINDS.items()],
        default="",
    )
    page = IntegerField(
        default=1, validators=[Optional(), NumberRange(min=1, max=LAST_POSSIBLE_PAGE)]
    )


def _filters() -> tuple[TrailFilterForm, audit_trail.Kind | None, int]:
    """The filter from the address; a made-up one (no such kind, page "x") is not found."""
    form = TrailFilterForm(formdata=request.args)
    if not form.validate():
        abort(404)
    kind = audit_trail.Kind(form.kind.data) if form.kind.data else None
    return form, kind, form.page.data or 1


def _trail_page(partial: str, title, trail_of, **context):
    form, kind, number = _filters()
    try:
        trail = trail_of(kind, number)
    except audit_trail.NoSuchPage:
        abort(404)
    endpoint, arguments = request.endpoint, dict(request.view_args or {})

    def url(page_number: int) -> str:
        return url_for(
            endpoint,
            **arguments,
            kind=kind.value if kind else None,
            page=page_number if page_number > 1 else None,
        )

    return page(
        partial,
        title,
        form=form,
        kind=kind,
        trail=trail,
        page_url=url,
        wording=audit_wording,
        viewer=current_officer(),
        language=choose_language(),
        language_names=LANGUAGE_NAMES,
        # A case's own page, once the console has one; its audit trail until then.
        case_link_endpoint="staff.case"
        if "staff.case" in current_app.view_functions
        else "staff.case_audit",
        **context,
    )


@bp.get("/cases/<int:case_id>/audit")
@for_roles(OfficerRole.MANAGER, OfficerRole.ADMIN)
def case_audit(case_id: int):
    case = case_or_404(case_id, joinedload(Case.victim))
    return _trail_page(
        "_case_audit.html",
        CASE_TRAIL,
        lambda kind, number: audit_trail.for_case(db.session, case.id, kind, number),
        case=case,
        sections=case_sections(case.id),
    )


@bp.get("/officers/<int:officer_id>/audit")
@for_roles(OfficerRole.MANAGER, OfficerRole.ADMIN)
def officer_audit(officer_id: int):
    officer = audit_trail.officer_in_reach(db.session, current_officer(), officer_id)
    if officer is None:
        abort(404)
    return _trail_page(
        "_officer_audit.html",
        OFFICER_TRAIL,
        lambda kind, number: audit_trail.for_officer(db.session, officer.id, kind, number),
        officer=officer,
        back_url=url_for("staff.region", region=officer.region.code),
    )
