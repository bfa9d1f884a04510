"""Triage of a new registration: what the victim told us, and four decisions.

`staff.triage` shows the registration and asks which decision; each decision has a
page of its own (`staff.triage_accept`, `_decline`, `_transfer`, `_link`) that asks
what it needs and makes it (portal.services.triage), in one transaction, then sends
the officer on with a success banner. A registration that is no longer in triage (a
double submit, a stale form, someone else was quicker) is refused kindly and nothing
changes. The case is found only through `case_or_404`: another region's is 404.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import format_date, gettext
from sqlalchemy.orm import joinedload

from portal.domain import courts
from portal.domain.waiting import wait
from portal.extensions import db
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import Case, CaseStatus, DeclineReason, Region, Victim
from portal.notifications.content import sign_in_link
from portal.services import triage
from portal.services.queues import today_in_england
from portal.services.triage import AlreadyDecided, Decision, NotAllowed
from portal.staff import bp, triage_wording
from portal.staff.sign_in_views import page
from portal.staff.triage_forms import (
    CHOOSE_CASE,
    CHOOSE_OFFICER,
    CHOOSE_REGION,
    NO_SUCH_CASE,
    AcceptForm,
    DecisionForm,
    DeclineForm,
    LinkForm,
    TransferForm,
)
from portal.staff.views import case_or_404, current_officer, long_date

TITLES = {
    "triage": _l("Triage this registration"),
    Decision.ACCEPT: _l("Accept this registration"),
    Decision.DECLINE: _l("Decline this registration"),
    Decision.TRANSFER: _l("Move this registration to another region"),
    Decision.LINK: _l("Join this registration to an existing case"),
    "already": _l("This registration has already been triaged"),
}
#: Where the success banner waits for the next staff page (templates/staff/page.html).
DONE = "staff_done"

#: What a triage page loads with the case, so that its queries do not grow.
CASE_OPTIONS = (
    joinedload(Case.victim).selectinload(Victim.contact_preferences),
    joinedload(Case.region),
    joinedload(Case.officer),
    joinedload(Case.possible_duplicate_of).joinedload(Case.victim),
    joinedload(Case.possible_duplicate_of).joinedload(Case.region),
)


@bp.app_template_global()
def staff_done_banner() -> dict | None:
    """The banner a decision left for the page it redirected to (shown once)."""
    return session.pop(DONE, None)


def _registration(case_id: int) -> Case:
    return case_or_404(case_id, *CASE_OPTIONS)


def _who() -> triage.Who:
    return triage.Who(
        current_officer(), g.get("request_id"), (request.remote_addr or "")[:45] or None
    )


def _sign_in_url() -> str:
    return sign_in_link(current_app.config["PUBLIC_BASE_URL"])


def _offered(case: Case) -> list[Decision]:
    """A registration in the national queue must go to a region before it is accepted."""
    if case.region_id is None:
        return [Decision.TRANSFER, Decision.DECLINE, Decision.LINK]
    return [Decision.ACCEPT, Decision.DECLINE, Decision.TRANSFER, Decision.LINK]


def _flagged(case: Case) -> Case | None:
    """The flagged possible duplicate, if it is live and this officer may see it."""
    duplicate = case.possible_duplicate_of
    officer = current_officer()
    if duplicate is None or duplicate.status not in triage.LIVE_STATUSES:
        return None
    return duplicate if officer.sees_region(duplicate.region_id) else None


def _context(case: Case) -> dict:
    language = choose_language()

    def court_for(code: str | None) -> str | None:
        court = courts.court_by_code(code) if code else None
        return court.name(language) if court else None

    return {
        "case": case,
        "victim": case.victim,
        "wait": wait(case.clock_started_on, today_in_england()),
        "court_name": court_for(case.court_code),
        "court_for": court_for,
        "flagged": _flagged(case),
        "words": triage_wording,
        "page_language": language,
        "case_page": "staff.case" in current_app.view_functions,
        "long_date": long_date,
        "month_year": month_year,
    }


def month_year(sentenced_in: str | None) -> str | None:
    """ "2024-04" as "April 2024" ("Ebrill 2024")."""
    try:
        year, month = (int(part) for part in (sentenced_in or "").split("-"))
        return format_date(date(year, month, 1), format="LLLL y")
    except ValueError:
        return None


def _already(case: Case):
    """Refused kindly: nothing is changed (409 for a form that was sent)."""
    return page(
        "triage/_already.html",
        TITLES["already"],
        status=409 if request.method == "POST" else 200,
        **_context(case),
    )


def _decision_page(case: Case, decision: Decision, form, **context):
    return page(
        f"triage/_{decision.value}.html",
        TITLES[decision],
        status=200,
        back_url=url_for("staff.triage", case_id=case.id),
        form=form,
        has_errors=bool(form.errors),
        **_context(case),
        **context,
    )


def _done(outcome: triage.Outcome):
    """The banner for the next page, then that page: the case, if the officer can still see
    it and its page exists, or what needs them first."""
    language = choose_language()
    if outcome.decision == Decision.ACCEPT:
        heading = gettext(
            "%(reference)s is accepted. Its Victim Liaison Officer is %(name)s.",
            reference=outcome.reference,
            name=outcome.officer_name,
        )
    elif outcome.decision == Decision.DECLINE:
        heading = gettext("%(reference)s is declined.", reference=outcome.reference)
    elif outcome.decision == Decision.TRANSFER:
        region = db.session.get(Region, outcome.region_id)
        heading = gettext(
            "%(reference)s is now with %(unit)s.",
            reference=outcome.reference,
            unit=region.unit_name(language),
        )
    else:
        heading = gettext(
            "%(reference)s is joined to %(existing)s.",
            reference=outcome.reference,
            existing=outcome.joined_reference,
        )
    if outcome.decision == Decision.TRANSFER:
        detail = gettext("It waits for triage there. The victim can see which unit has it.")
    elif outcome.told:
        detail = gettext("We have asked the victim to sign in and read it, in their language.")
    else:
        detail = gettext(
            "The victim has no safe email address, mobile number or postal address, so we "
            "could not tell them. Tell them another way."
        )
    session[DONE] = {"heading": heading, "detail": detail}
    officer = current_officer()
    still_theirs = outcome.decision != Decision.TRANSFER or officer.sees_region(outcome.region_id)
    if "staff.case" in current_app.view_functions and still_theirs:
        return redirect(url_for("staff.case", case_id=outcome.case_id), code=303)
    return redirect(url_for("staff.home"), code=303)


@bp.route("/cases/<int:case_id>/triage", methods=["GET", "POST"], endpoint="triage")
def triage_page(case_id: int):
    case = _registration(case_id)
    if case.status != CaseStatus.TRIAGE:
        return _already(case)
    form = DecisionForm(offered=_offered(case))
    if form.validate_on_submit():
        return redirect(url_for(f"staff.triage_{form.decision.data}", case_id=case.id), code=303)
    return page(
        "triage/_triage.html",
        TITLES["triage"],
        back_url=url_for("staff.home"),
        form=form,
        offered=_offered(case),
        has_errors=bool(form.errors),
        **_context(case),
    )


@bp.route("/cases/<int:case_id>/triage/accept", methods=["GET", "POST"])
def triage_accept(case_id: int):
    case = _registration(case_id)
    if case.status != CaseStatus.TRIAGE:
        return _already(case)
    if case.region_id is None:
        return redirect(url_for("staff.triage_transfer", case_id=case.id), code=303)
    officer = current_officer()
    officers = triage.assignable_officers(db.session, case, officer)
    form = AcceptForm(officers=[str(o.id) for o in officers])
    if request.method == "GET":
        form.officer.data = str(officers[0].id) if officers else None
    if form.validate_on_submit():
        try:
            outcome = triage.accept(
                db.session, case, _who(), int(form.officer.data), _sign_in_url()
            )
        except AlreadyDecided:
            db.session.rollback()
            return _already(_registration(case_id))
        except NotAllowed:
            db.session.rollback()
            form.officer.errors = [CHOOSE_OFFICER]
        else:
            db.session.commit()
            return _done(outcome)
    return _decision_page(case, Decision.ACCEPT, form, officers=officers)


@bp.route("/cases/<int:case_id>/triage/decline", methods=["GET", "POST"])
def triage_decline(case_id: int):
    case = _registration(case_id)
    if case.status != CaseStatus.TRIAGE:
        return _already(case)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            outcome = triage.decline(
                db.session,
                case,
                _who(),
                DeclineReason(form.reason.data),
                form.note.data,
                _sign_in_url(),
            )
        except AlreadyDecided:
            db.session.rollback()
            return _already(_registration(case_id))
        db.session.commit()
        return _done(outcome)
    return _decision_page(case, Decision.DECLINE, form)


@bp.route("/cases/<int:case_id>/triage/transfer", methods=["GET", "POST"])
def triage_transfer(case_id: int):
    case = _registration(case_id)
    if case.status != CaseStatus.TRIAGE:
        return _already(case)
    regions = triage.transfer_regions(db.session, case)
    form = TransferForm(regions=[str(region.id) for region in regions])
    if form.validate_on_submit():
        try:
            outcome = triage.transfer(db.session, case, _who(), int(form.region.data))
        except AlreadyDecided:
            db.session.rollback()
            return _already(_registration(case_id))
        except NotAllowed:
            db.session.rollback()
            form.region.errors = [CHOOSE_REGION]
        else:
            db.session.commit()
            return _done(outcome)
    return _decision_page(case, Decision.TRANSFER, form, regions=regions)


@bp.route("/cases/<int:case_id>/triage/link", methods=["GET", "POST"])
def triage_link(case_id: int):
    case = _registration(case_id)
    if case.status != CaseStatus.TRIAGE:
        return _already(case)
    flagged = _flagged(case)
    form = LinkForm(flagged=str(flagged.id) if flagged else None)
    if form.validate_on_submit():
        officer = current_officer()
        if form.by_reference:
            existing = triage.live_case(db.session, officer, form.reference.data, case)
        else:
            existing = flagged
        if existing is None:
            form.reference.errors = [NO_SUCH_CASE]
        else:
            try:
                outcome = triage.link(db.session, case, _who(), existing, _sign_in_url())
            except AlreadyDecided:
                db.session.rollback()
                return _already(_registration(case_id))
            except NotAllowed:
                db.session.rollback()
                form.existing.errors = [CHOOSE_CASE]
            else:
                db.session.commit()
                return _done(outcome)
    return _decision_page(case, Decision.LINK, form)
