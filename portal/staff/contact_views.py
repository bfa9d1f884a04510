"""A victim's contact details, as their officer sees and changes them.

The list (staff.case_contact), and one page for each change: mark a detail not safe or
safe again, change its safe times, voicemail or confirmation, remove it (each confirmed
on its own page first), add one. The list also shows who acts for the victim (people the
victim named: portal.services.representatives) and what each may do; an officer can end
someone's access (a confirmation page first: their sessions end at once). Every change is
a POST with the form's token, answered with a 303 back to the list, which says once what
the change did. The rules (what ends, what is cancelled, what is recorded) are in
portal.services.victim_contacts.
"""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from sqlalchemy.orm import selectinload

from portal.domain.contact_details import readable
from portal.domain.representatives import DELEGABLE
from portal.extensions import db
from portal.language import lazy_gettext as _l
from portal.models import ActorType, Case, Channel, Victim
from portal.services import representatives, victim_contacts
from portal.services.staff_changes import StaffActor
from portal.staff import bp, representative_wording
from portal.staff.case_pages import case_page, leave_notice, take_notice
from portal.staff.contact_forms import (
    CONFIRMED_ANSWERS,
    HOURS,
    SAFE_ANSWERS,
    VOICEMAIL_ANSWERS,
    AddContactForm,
    ChangeContactForm,
    ConfirmForm,
    SafetyForm,
)
from portal.staff.views import case_or_404, current_officer

TITLES = {
    "list": _l("Contact details"),
    "unsafe": _l("Mark this contact detail as not safe?"),
    "safe": _l("Mark this contact detail as safe again?"),
    "remove": _l("Remove this contact detail?"),
    "change": _l("Change this contact detail"),
    "add": _l("Add a contact detail"),
    "end-representative": _l("End this person’s access to act for the victim?"),
}
ALREADY_HELD = _l("The victim’s record already has this contact detail")
#: What loading a case for these pages brings with it: the victim and their details.
WITH_DETAILS = (selectinload(Case.victim).selectinload(Victim.contact_preferences),)


def actor() -> StaffActor:
    return StaffActor(
        officer_id=current_officer().id,
        request_id=g.get("request_id"),
        address=(request.remote_addr or "")[:45] or None,
    )


def _case_and_detail(case_id: int, contact_id: int):
    case = case_or_404(case_id, *WITH_DETAILS)
    detail = victim_contacts.detail_of(case, contact_id)
    if detail is None:
        abort(404)
    return case, detail


def _back_to_list(case: Case, done: victim_contacts.Done):
    if done.notes:
        leave_notice(
            case.id,
            "staff.case_contact",
            notes=list(done.notes),
            sessions=done.sessions_ended,
            cancelled=done.notifications_cancelled,
            stopped=done.stopped_using,
        )
    return redirect(url_for("staff.case_contact", case_id=case.id), code=303)


def _step(case: Case, partial: str, title, form, **context):
    """A page for one change: the identity bar, a back link to the list, the form."""
    return case_page(
        partial,
        title,
        case,
        with_sections=False,
        form=form,
        back_url=url_for("staff.case_contact", case_id=case.id),
        has_errors=bool(form.errors),
        push_url=True,
        **context,
    )


@bp.get("/cases/<int:case_id>/contact")
def case_contact(case_id: int):
    case = case_or_404(case_id, *WITH_DETAILS)
    everyone = representatives.of_victim(db.session, case.victim_id)
    return case_page(
        "case/_contact.html",
        TITLES["list"],
        case,
        details=victim_contacts.details_of(case),
        notice=take_notice(case.id),
        timed=victim_contacts.TIMED,
        sign_in_channels=tuple(victim_contacts.SIGN_IN_CHANNELS),
        representatives=[r for r in everyone if r.ended_at is None],
        ended_representatives=[r for r in everyone if r.ended_at is not None],
        representative_words=representative_wording,
        delegable=DELEGABLE,
        readable=readable,
        push_url=True,
    )


@bp.route(
    "/cases/<int:case_id>/contact/representatives/<int:representative_id>/end",
    methods=["GET", "POST"],
)
def case_representative_end(case_id: int, representative_id: int):
    """End the access of someone acting for the victim (the victim asked, say, or it is not
    safe), after a confirmation: their sessions end at once. Nothing is sent to anyone."""
    case = case_or_404(case_id, *WITH_DETAILS)
    found = representatives.one_of(db.session, case.victim_id, representative_id)
    if found is None:
        abort(404)
    if found.ended_at is not None:
        return redirect(url_for("staff.case_contact", case_id=case.id), code=303)
    form = ConfirmForm()
    if form.validate_on_submit():
        done = representatives.end(db.session, case, found, actor())
        db.session.commit()
        if done.changed:
            leave_notice(
                case.id,
                "staff.case_contact",
                notes=[representatives.NOTES[ActorType.STAFF]],
                sessions=done.sessions_ended,
                cancelled=0,
                stopped=True,
            )
        return redirect(url_for("staff.case_contact", case_id=case.id), code=303)
    return _step(
        case,
        "case/_representative_end.html",
        TITLES["end-representative"],
        form,
        found=found,
        representative_words=representative_wording,
        delegable=DELEGABLE,
        readable=readable,
    )


@bp.route("/cases/<int:case_id>/contact/<int:contact_id>/safety", methods=["GET", "POST"])
def case_contact_safety(case_id: int, contact_id: int):
    """Mark a detail not safe (or, when it is not safe, safe again), after a confirmation."""
    case, detail = _case_and_detail(case_id, contact_id)
    form = SafetyForm()
    if form.validate_on_submit():
        done = victim_contacts.set_safety(db.session, case, detail, form.to.data == "safe", actor())
        db.session.commit()
        return _back_to_list(case, done)
    marking = "safe" if not detail.is_safe else "unsafe"
    return _step(
        case,
        "case/_contact_safety.html",
        TITLES[marking],
        form,
        detail=detail,
        marking=marking,
        status=400 if form.errors else 200,
    )


@bp.route("/cases/<int:case_id>/contact/<int:contact_id>/remove", methods=["GET", "POST"])
def case_contact_remove(case_id: int, contact_id: int):
    case, detail = _case_and_detail(case_id, contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        done = victim_contacts.remove(db.session, case, detail, actor())
        db.session.commit()
        return _back_to_list(case, done)
    return _step(case, "case/_contact_remove.html", TITLES["remove"], form, detail=detail)


@bp.route("/cases/<int:case_id>/contact/<int:contact_id>/change", methods=["GET", "POST"])
def case_contact_change(case_id: int, contact_id: int):
    """Safe times (email, mobile, phone), voicemail (phone), confirmed with the victim
    (an email address or mobile number not confirmed yet). A letter has none of these."""
    case, detail = _case_and_detail(case_id, contact_id)
    asks = ChangeContactForm.questions_for(detail.channel, detail.verified_at is not None)
    if not asks:
        abort(404)
    form = ChangeContactForm(asks=asks)
    if request.method == "GET":
        between = detail.safe_from is not None and detail.safe_until is not None
        if "when" in asks:
            form.when.data = "between" if between else "any-time"
            form.safe_from.data = detail.safe_from.strftime("%H:%M") if between else ""
            form.safe_until.data = detail.safe_until.strftime("%H:%M") if between else ""
        if "voicemail" in asks:
            form.voicemail.data = "yes" if detail.voicemail_safe else "no"
    if form.validate_on_submit():
        safe_from, safe_until = form.times()
        done = victim_contacts.change(
            db.session,
            case,
            detail,
            actor(),
            safe_from=safe_from if "when" in asks else detail.safe_from,
            safe_until=safe_until if "when" in asks else detail.safe_until,
            voicemail_safe=form.voicemail.data == "yes" if "voicemail" in asks else None,
            confirmed=form.confirmed.data == "yes" if "confirmed" in asks else None,
        )
        db.session.commit()
        return _back_to_list(case, done)
    return _step(
        case,
        "case/_contact_change.html",
        TITLES["change"],
        form,
        detail=detail,
        hours=HOURS,
        voicemail_answers=VOICEMAIL_ANSWERS,
        confirmed_answers=CONFIRMED_ANSWERS,
        is_phone=detail.channel == Channel.PHONE,
    )


@bp.route("/cases/<int:case_id>/contact/add", methods=["GET", "POST"])
def case_contact_add(case_id: int):
    case = case_or_404(case_id, *WITH_DETAILS)
    form = AddContactForm()
    if form.validate_on_submit():
        try:
            done = victim_contacts.add(
                db.session,
                case,
                actor(),
                channel=form.channel(),
                value=form.value(),
                safe=form.safe.data == "yes",
                confirmed=form.confirmed.data == "yes",
            )
        except victim_contacts.DuplicateDetail:
            form.field_for(form.way.data).errors = [ALREADY_HELD]
        else:
            db.session.commit()
            return _back_to_list(case, done)
    return _step(
        case,
        "case/_contact_add.html",
        TITLES["add"],
        form,
        safe_answers=SAFE_ANSWERS,
        confirmed_answers=CONFIRMED_ANSWERS,
    )
