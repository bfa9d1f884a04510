"""Adding a referral from the police's Witness Care Unit: one page, for every role.

GET shows the form (with `court_q`, the court search: htmx asks for it as the
officer types and keeps only the court choices). POST either finds courts
(the "Find court" button, for a browser without JavaScript: the page comes
back with everything typed and the courts found, nothing saved) or adds the
referral: the case is made, the victim welcomed, and the officer sent (303)
to the case with a banner giving its reference and how the victim was welcomed.

The region and officer fields are offered only to those who may choose (an
admin the region, a manager or an admin the officer); anyone else posting them
has forged the form, and is refused (400) with nothing saved.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, g, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from portal.domain.contact_times import london_today
from portal.extensions import db
from portal.forms import CourtSearchForm
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import VictimLiaisonOfficer, utcnow
from portal.notifications.content import sign_in_link
from portal.notifications.providers import channels_for
from portal.services import directory, referrals
from portal.staff import bp
from portal.staff.referral_forms import (
    ACCESS_NEEDS,
    CONTACT_PERSON,
    OFFENCE_CHOICES,
    SAFETY,
    ReferralForm,
)
from portal.staff.sign_in_views import page
from portal.staff.views import current_officer

TITLE = _l("Add a referral from the police")
#: The flashed banner's category (templates/staff/_banners.html shows it on the next page).
BANNER = "referral"


def _today() -> date:
    return london_today(utcnow())


def _forged(officer: VictimLiaisonOfficer) -> bool:
    """A field posted that this officer was never offered."""
    if not officer.role.sees_every_region and "region" in request.form:
        return True
    return officer.role not in referrals.CHOOSE_OFFICER and "officer" in request.form


def _case_url(case_id: int) -> str:
    if "staff.case" in current_app.view_functions:
        return url_for("staff.case", case_id=case_id)
    return url_for("staff.home")


def _court_search(form: ReferralForm, finding: bool, language: str) -> dict:
    """The court search: the courts it finds (the court chosen first), and its message."""
    query = request.form.get("court_q") if finding else request.args.get("court_q")
    searched = query is not None
    search = CourtSearchForm(formdata=MultiDict({"q": query}) if searched else None)
    if searched:
        search.validate()
        form.court_q.data = search.q.data
    chosen = form.court.data or request.args.get("court")
    courts, match_count = directory.court_choices(
        search.q.data if searched and not search.errors else None, language, chosen
    )
    return {
        "searched": searched,
        "search_error": search.q.errors[0] if searched and search.q.errors else None,
        "courts": courts,
        "match_count": match_count,
    }


@bp.route("/referrals/new", methods=["GET", "POST"])
def new_referral():
    officer = current_officer()
    if request.method == "POST" and _forged(officer):
        abort(400)
    regions = referrals.regions_for(db.session, officer) if officer.role.sees_every_region else None
    officers = (
        referrals.officers_for(db.session, officer)
        if officer.role in referrals.CHOOSE_OFFICER
        else None
    )
    form = ReferralForm(today=_today(), entering=officer, regions=regions, officers=officers)
    finding = request.method == "POST" and "find_court" in request.form
    if not finding and form.validate_on_submit():
        try:
            made = referrals.refer(
                db.session,
                officer,
                form.referral(),
                sign_in_url=sign_in_link(current_app.config["PUBLIC_BASE_URL"]),
                channels=channels_for(current_app.config),
                request_id=g.get("request_id"),
                address=(request.remote_addr or "")[:45] or None,
            )
        except referrals.NotAllowed:
            db.session.rollback()
            abort(400)
        db.session.commit()
        flash(
            {
                "reference": made.case.reference,
                "welcome": made.welcome.value if made.welcome else None,
                "language": made.case.victim.language.value,
                "no_letters": made.no_letters,
            },
            BANNER,
        )
        return redirect(_case_url(made.case.id), code=303)
    language = choose_language()
    search = _court_search(form, finding, language)
    errors = form.error_list()
    if search["search_error"]:
        errors.append({"text": search["search_error"], "href": f"#{form.court_q.id}"})
    return page(
        "_new_referral.html",
        TITLE,
        form=form,
        errors=errors,
        has_errors=bool(errors),
        officer=officer,
        page_language=language,
        contact_person=CONTACT_PERSON,
        offence_choices=OFFENCE_CHOICES,
        access_needs=ACCESS_NEEDS,
        safety=SAFETY,
        **search,
    )
