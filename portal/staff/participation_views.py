"""An officer brings back a victim who left the scheme (staff.case_bring_back): from the
case page, whether or not the victim asked to come back online. The rules are in
portal.services.participation."""

from __future__ import annotations

from flask import current_app, g, redirect, request, url_for
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.language import lazy_gettext as _l
from portal.models import Case, Victim
from portal.notifications.content import sign_in_link
from portal.services import participation
from portal.services.staff_changes import StaffActor
from portal.staff import bp
from portal.staff.case_pages import case_page, case_url, leave_notice, take_notice
from portal.staff.contact_forms import ConfirmForm
from portal.staff.views import case_or_404, current_officer

TITLE = _l("Bring the victim back into the scheme")


@bp.route("/cases/<int:case_id>/bring-back", methods=["GET", "POST"])
def case_bring_back(case_id: int):
    case = case_or_404(case_id, joinedload(Case.victim).selectinload(Victim.contact_preferences))
    form = ConfirmForm()
    left = participation.has_left(case)
    if left and form.validate_on_submit():
        done = participation.bring_back(
            db.session,
            case,
            StaffActor(
                officer_id=current_officer().id,
                request_id=g.get("request_id"),
                address=(request.remote_addr or "")[:45] or None,
            ),
            sign_in_link(current_app.config["PUBLIC_BASE_URL"]),
        )
        told = done.told.channel.value if done.told else None
        db.session.commit()
        leave_notice(case.id, "staff.case_bring_back", told=told)
        return redirect(url_for("staff.case_bring_back", case_id=case.id), code=303)
    return case_page(
        "case/_bring_back.html",
        TITLE,
        case,
        form=form,
        left=left,
        notice=take_notice(case.id) if request.method == "GET" else None,
        back_url=case_url(case.id),
        push_url=True,
    )
