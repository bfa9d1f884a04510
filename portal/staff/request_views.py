"""A victim's requests in the console: the case's "Requests" section (staff.case_requests)
and a page for each (staff.case_request) with what the victim asked for or wrote, every
step so far, and the one form that moves it on (staff.case_request_status).

The case is found only through `case_or_404` (another region's is 404), the request only
on that case, and never a draft (the victim's alone). The form posts and is answered with
a 303 back to the request's page, which says once what the step did and whether the
victim was told; a step that cannot follow where the request is now (someone else was
quicker, an old tab) is refused kindly with nothing changed (409); a forged form is a 400.
The rules are in portal.services.victim_requests and portal.domain.requests.
"""

from __future__ import annotations

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import format_date
from sqlalchemy.orm import joinedload

from portal.domain import requests as rules
from portal.domain.contact_times import LONDON
from portal.extensions import db
from portal.models import ActorType, Case, RequestStatus, Victim, VictimRequest, utcnow
from portal.notifications import content as notification_content
from portal.services import victim_requests
from portal.services.messages import Actor
from portal.services.victim_requests import Refused
from portal.staff import bp, case_wording
from portal.staff import request_wording as words
from portal.staff.case_pages import case_page, leave_notice, take_notice
from portal.staff.request_forms import MoveForm
from portal.staff.views import case_or_404, current_officer

#: What the request pages load with the case: the victim, their language and safe details.
WITH_VICTIM = (joinedload(Case.victim).selectinload(Victim.contact_preferences),)


def today():
    return utcnow().astimezone(LONDON).date()


def _actor() -> Actor:
    return Actor(
        type=ActorType.STAFF,
        id=current_officer().id,
        request_id=g.get("request_id"),
        address=(request.remote_addr or "")[:45] or None,
    )


def _long_date(day) -> str:
    return format_date(day, format="long")


def _context() -> dict:
    return {
        "request_words": words,
        "rules": rules,
        "long_date": _long_date,
        "local_day": victim_requests.local_day,
    }


def _request(case: Case, request_id: int) -> VictimRequest:
    found = victim_requests.request_of(db.session, case, request_id, with_drafts=False)
    if found is None:
        abort(404)
    return found


@bp.get("/cases/<int:case_id>/requests")
def case_requests(case_id: int):
    case = case_or_404(case_id, *WITH_VICTIM)
    return case_page(
        "requests/_list.html",
        words.SECTION_TITLE,
        case,
        found=victim_requests.requests_of(db.session, case, with_drafts=False),
        push_url=True,
        **_context(),
    )


def _form_for(found: VictimRequest, formdata: bool = False) -> MoveForm:
    offered = rules.next_steps(found.kind, found.status)
    asked_on = victim_requests.local_day(found.sent_at) if found.sent_at else None
    if formdata:
        return MoveForm(today=today(), offered=offered, asked_on=asked_on)
    form = MoveForm.blank(today(), seen=found.status.value)
    form.offered, form.asked_on = offered, asked_on
    return form


def _request_page(case: Case, found: VictimRequest, form: MoveForm, status: int = 200, **extra):
    return case_page(
        "requests/_request.html",
        words.KIND_NAMES[found.kind],
        case,
        with_sections=False,
        status=status,
        has_errors=bool(form.errors),
        back_url=url_for("staff.case_requests", case_id=case.id),
        found=found,
        form=form,
        offered=rules.next_steps(found.kind, found.status),
        refused=victim_requests.officer_refused(case),
        notice=extra.pop("notice", None),
        officer_speaks_welsh=current_officer().speaks_welsh,
        **extra,
        **_context(),
    )


def _told(case: Case, found: VictimRequest, notice: dict | None) -> dict | None:
    """What the notice left by the last step says: the step, and whether the victim was told."""
    if not notice or notice.get("request") != found.id:
        return None
    step = next((s for s in found.steps if s.id == notice.get("step")), None)
    if step is None:
        return None
    reason = victim_requests.why_not_told(case, step)
    return {
        "done": words.DONE.get(step.status),
        "told": case_wording.TOLD_BY[step.notification.channel] if step.notification else None,
        "not_told": case_wording.NOT_TOLD.get(reason) if reason else None,
    }


@bp.get("/cases/<int:case_id>/requests/<int:request_id>")
def case_request(case_id: int, request_id: int):
    case = case_or_404(case_id, *WITH_VICTIM)
    found = _request(case, request_id)
    notice = _told(case, found, take_notice(case.id))
    return _request_page(case, found, _form_for(found), notice=notice, push_url=True)


@bp.route("/cases/<int:case_id>/requests/<int:request_id>/status", methods=["GET", "POST"])
def case_request_status(case_id: int, request_id: int):
    """Move a request on: one step, with the words to the victim (and a date) it needs."""
    case = case_or_404(case_id, *WITH_VICTIM)
    found = _request(case, request_id)
    if request.method == "GET":
        return redirect(
            url_for("staff.case_request", case_id=case.id, request_id=found.id) + "#move",
            code=303,
        )
    form = _form_for(found, formdata=True)
    if not form.has_valid_key() or form.seen.data not in {s.value for s in RequestStatus}:
        abort(400)  # only a forged form lacks these
    if victim_requests.earlier_step(db.session, found, form.submission_key.data) is not None:
        # The same form again (a double click, Back and send again): it did its step.
        return redirect(
            url_for("staff.case_request", case_id=case.id, request_id=found.id), code=303
        )
    if victim_requests.officer_refused(case):
        return _request_page(case, found, _form_for(found), status=409, problem="case")
    if form.seen.data != found.status.value:
        return _request_page(case, found, _form_for(found), status=409, problem="moved-on")
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        return _request_page(case, found, form)
    try:
        done = victim_requests.move_on(
            db.session,
            case,
            found,
            victim_requests.Move(
                to=form.chosen(),
                seen=RequestStatus(form.seen.data),
                words=form.words.data or "",
                sent_on=form.sent_on(),
                submission_key=form.submission_key.data,
            ),
            current_officer(),
            _actor(),
            notification_content.sign_in_link(current_app.config["PUBLIC_BASE_URL"]),
        )
    except Refused as refusal:
        db.session.rollback()
        fresh = _request(case, found.id)
        return _request_page(case, fresh, _form_for(fresh), status=409, problem=refusal.reason)
    db.session.commit()
    leave_notice(case.id, "staff.case_request", request=found.id, step=done.step.id)
    return redirect(url_for("staff.case_request", case_id=case.id, request_id=found.id), code=303)
