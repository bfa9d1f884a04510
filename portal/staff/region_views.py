"""A manager's page: how their region is doing (an admin chooses the region).

Four figures, each a small SVG chart with a table of the same numbers beside it
(portal/staff/charts.py, templates/components/bar_chart.html): registrations
awaiting triage, each officer's cases, first contacts within target in the last
4 weeks, and how soon victims were told of a new stage. The counting is in
portal/services/region_figures.py; this module only puts it into words.
"""

from __future__ import annotations

from flask import abort, current_app, request
from flask_babel import gettext as _
from wtforms import SelectChoice, SelectField

from portal.domain.case_timeline import CONTACT_WITHIN_WORKING_DAYS
from portal.extensions import db
from portal.forms import PortalForm
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import OfficerRole, Region, utcnow
from portal.services import region_figures
from portal.staff import bp
from portal.staff.charts import PATTERNS, Bar, BarChart, Group
from portal.staff.sign_in_views import page
from portal.staff.views import current_officer, for_roles

TITLE = _l("How the region is doing")

ROLE_NAMES = {
    OfficerRole.VLO: _l("Victim Liaison Officer"),
    OfficerRole.MANAGER: _l("Manager"),
    OfficerRole.ADMIN: _l("Administrator"),
}
TRIAGE_WAITS = (
    _l("Up to 5 working days"),
    _l("6 to 10 working days"),
    _l("11 to 20 working days"),
    _l("More than 20 working days"),
)
FIRST_CONTACTS = (_l("Within 20 working days"), _l("Later than 20 working days"))
TOLD = (
    _l("Within 1 working day"),
    _l("2 to 5 working days"),
    _l("More than 5 working days"),
    _l("Not sent yet"),
)


class RegionChoiceForm(PortalForm):
    """An admin's choice of region, from the address (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    region = SelectField()


def _description(labels, values) -> str:
    pairs = "; ".join(
        _("%(label)s: %(value)s", label=label, value=value)
        for label, value in zip(labels, values, strict=True)
    )
    return _("A bar chart of the same numbers as the table: %(values)s.", values=pairs)


def _category_chart(chart_id: str, title, labels, values) -> BarChart:
    """One bar a category, each its own pattern, its number at its end."""
    return BarChart(
        id=chart_id,
        title=str(title),
        description=_description(labels, values),
        groups=[
            Group(str(label), [Bar(value, str(value), pattern)])
            for label, value, pattern in zip(labels, values, PATTERNS, strict=False)
        ],
    )


def _officer_chart(officers) -> BarChart:
    return BarChart(
        id="officer-cases-chart",
        title=_("Cases per officer"),
        description=_(
            "A bar chart of each officer’s active cases, cases waiting for first contact "
            "and overdue cases. The table that follows gives the same numbers."
        ),
        groups=[
            Group(
                officer.name or _("Not assigned to an officer"),
                [
                    Bar(officer.active, _("Active: %(num)s", num=officer.active), "solid"),
                    Bar(
                        officer.waiting_for_first_contact,
                        _(
                            "Waiting for first contact: %(num)s",
                            num=officer.waiting_for_first_contact,
                        ),
                        "stripes",
                    ),
                    Bar(officer.overdue, _("Overdue: %(num)s", num=officer.overdue), "dots"),
                ],
                label_is_data=officer.name is not None,
            )
            for officer in officers
        ],
    )


def charts(figures: region_figures.RegionFigures) -> dict[str, BarChart]:
    told = figures.told_of_stages
    return {
        "triage": _category_chart(
            "triage-chart",
            _l("Registrations awaiting triage, by working days waited"),
            TRIAGE_WAITS,
            figures.awaiting_triage.by_wait,
        ),
        "officers": _officer_chart(figures.officers),
        "first_contacts": _category_chart(
            "first-contacts-chart",
            _l("First contacts made in the last 4 weeks"),
            FIRST_CONTACTS,
            (figures.first_contacts.within_target, figures.first_contacts.later),
        ),
        "told": _category_chart(
            "told-chart",
            _l("How soon victims were told of a new stage"),
            TOLD,
            (told.within_1, told.within_2_to_5, told.later, told.not_sent),
        ),
    }


def _chosen_region(officer) -> tuple[Region, RegionChoiceForm | None]:
    """An admin's choice (their own region until they choose), or the manager's own region.
    A region that is not theirs, or not a region, is not found."""
    asked = request.args.get("region")
    if not officer.role.sees_every_region:
        if asked is not None and asked != officer.region.code:
            abort(404)
        return officer.region, None
    language = choose_language()
    regions = sorted(region_figures.regions(db.session), key=lambda r: r.name(language))
    form = RegionChoiceForm(formdata=request.args if asked is not None else None)
    form.region.choices = [SelectChoice(region.code, region.name(language)) for region in regions]
    if asked is None:
        form.region.data = officer.region.code
    elif not form.validate():
        abort(404)
    return next(region for region in regions if region.code == form.region.data), form


@bp.get("/region")
@for_roles(OfficerRole.MANAGER, OfficerRole.ADMIN)
def region():
    officer = current_officer()
    chosen, form = _chosen_region(officer)
    kept = current_app.extensions.setdefault("region_figures", region_figures.Kept())
    figures = kept.figures(db.session, chosen, utcnow())
    return page(
        "_region.html",
        TITLE,
        form=form,
        region_name=chosen.name(choose_language()),
        figures=figures,
        charts=charts(figures),
        role_names=ROLE_NAMES,
        triage_waits=TRIAGE_WAITS,
        first_contact_words=FIRST_CONTACTS,
        told_words=TOLD,
        target=CONTACT_WITHIN_WORKING_DAYS,
        fresh_for=int(region_figures.FRESH_FOR.total_seconds() // 60),
    )
