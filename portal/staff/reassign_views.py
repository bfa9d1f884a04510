"""A manager (or an admin) gives a case to another officer of its region, with a handover
note (staff.case_reassign). The rules are in portal.services.case_officers."""

from __future__ import annotations

from flask import current_app, g, redirect, request, url_for
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.language import lazy_gettext as _l
from portal.models import Case, CaseStatus, Language, OfficerRole
from portal.notifications.content import sign_in_link
from portal.services import case_officers
from portal.services.staff_changes import StaffActor
from portal.staff import bp
from portal.staff.case_pages import case_page, case_url, leave_notice, take_notice
from portal.staff.contact_forms import ReassignForm
from portal.staff.views import case_or_404, current_officer, for_roles

TITLE = _l("Reassign the case")
REFUSED = {
    "not-open": _l("This case cannot be reassigned now"),
    "same-officer": _l("The case is already with this officer. Select another officer"),
    "not-an-officer": _l("Select one of the officers listed"),
    "other-region": _l("Select an officer of the case’s region"),
    "inactive": _l("This officer’s account is no longer active. Select another officer"),
}


@bp.route("/cases/<int:case_id>/reassign", methods=["GET", "POST"])
@for_roles(OfficerRole.MANAGER, OfficerRole.ADMIN)
def case_reassign(case_id: int):
    case = case_or_404(case_id, joinedload(Case.victim), joinedload(Case.officer))
    open_case = case_officers.can_reassign(case)
    officers = case_officers.officers_for(db.session, case) if open_case else []
    form = ReassignForm()
    if open_case and form.validate_on_submit():
        try:
            case_officers.reassign(
                db.session,
                case,
                int(form.officer.data),
                form.note.data,
                StaffActor(
                    officer_id=current_officer().id,
                    request_id=g.get("request_id"),
                    address=(request.remote_addr or "")[:45] or None,
                ),
                tell_victim=form.tell_victim.data,
                sign_in_url=sign_in_link(current_app.config["PUBLIC_BASE_URL"]),
            )
        except case_officers.ReassignRefused as refused:
            db.session.rollback()
            form.officer.errors = [REFUSED[refused.reason]]
        else:
            new_officer = case.officer.full_name
            told = form.tell_victim.data
            db.session.commit()
            leave_notice(case.id, "staff.case_reassign", officer=new_officer, told=told)
            return redirect(url_for("staff.case_reassign", case_id=case.id), code=303)
    return case_page(
        "case/_reassign.html",
        TITLE,
        case,
        form=form,
        open_case=open_case,
        officers=officers,
        victim_reads_welsh=case.victim.language == Language.WELSH,
        paused=case.status == CaseStatus.PAUSED,
        notice=take_notice(case.id) if request.method == "GET" else None,
        back_url=case_url(case.id),
        has_errors=bool(form.errors),
        push_url=True,
    )
