"""Cases: an officer's caseload and their region's (every region's for an admin), with
filters, search, sorting and pages (MOJ filter layout and sortable table).

Without JavaScript the filters are a plain GET form ("Apply filters"); with htmx the
results follow each change, and the search as it is typed, and the address bar
follows too (hx-push-url), so the back button and a reload show the same list. One
view answers all three ways (portal.rendering):

- a whole page (templates/staff/cases.html);
- htmx, from the form: only the results (templates/staff/_cases_results.html), with
  the title, the selected filters, the error summary and the count for screen
  readers updated out of band, so that focus stays in the field being used;
- htmx, from a link (a filter's tag, a column heading, a page number): the filter
  layout (templates/staff/_caseload.html), so that the form shows the same choices.

What is asked is read by a form whose unknown values are ignored (a forged or stale
link never fails), except a search too long to be a name or reference, which is
shown as an error.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request, url_for
from werkzeug.datastructures import MultiDict
from wtforms import Field, StringField
from wtforms.validators import Length

from portal.domain.contact_times import LONDON
from portal.extensions import db
from portal.forms import PortalForm
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import CaseStatus, SentenceStage
from portal.rendering import render_page, wants_partial
from portal.sentence_stages import NAMES as stage_names
from portal.services import caseload as service
from portal.services.caseload import NATIONAL_QUEUE, Only, Sort, Whose
from portal.staff import bp
from portal.staff.case_badges import STATUSES
from portal.staff.views import current_officer
from portal.validators import PlainText, strip

TITLE = _l("Cases")
SEARCH_TOO_LONG = _l(
    "Search must be %(max)d characters or fewer. Enter a reference number or a name.",
    max=service.SEARCH_MAX,
)

#: The htmx target answered with the results alone (any other: the filter layout).
RESULTS_TARGET = "cases-results"


class Choice(Field):
    """One value from a fixed list; anything else (forged, stale) is as if not sent."""

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.values = tuple(values)

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist and valuelist[0] in self.values else None


class Choices(Field):
    """Ticked boxes from a fixed list; unknown values are dropped, repeats kept once."""

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, default=(), **kwargs)
        self.values = tuple(values)

    def process_formdata(self, valuelist):
        self.data = [value for value in self.values if value in valuelist]


class Number(Field):
    """A whole number, or nothing when what was sent is not one."""

    def process_formdata(self, valuelist):
        try:
            self.data = int(valuelist[0]) if valuelist else None
        except (TypeError, ValueError):
            self.data = None
        if self.data is not None and not -(10**9) < self.data < 10**9:
            self.data = None


class CaseloadForm(PortalForm):
    """What the caseload is asked for (a GET form: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(
        filters=[strip],
        validators=[
            Length(max=service.SEARCH_MAX, message=SEARCH_TOO_LONG),
            PlainText(SEARCH_TOO_LONG),
        ],
    )
    whose = Choice(values=[w.value for w in Whose])
    region = Choice()
    status = Choices(values=[s.value for s in CaseStatus])
    stage = Choices(values=[s.value for s in SentenceStage])
    only = Choices(values=[o.value for o in Only])
    sort = Choice(values=[s.value for s in Sort])
    page = Number()
    size = Number()


def _today():
    return datetime.now(LONDON).date()


def filters_from(form: CaseloadForm) -> service.Filters:
    search = (form.q.data or "") if not form.q.errors else ""
    region = form.region.data
    return service.Filters(
        whose=Whose(form.whose.data) if form.whose.data else None,
        region=int(region) if region and region.isdigit() else region,
        statuses=frozenset(CaseStatus(value) for value in form.status.data),
        stages=frozenset(SentenceStage(value) for value in form.stage.data),
        only=frozenset(Only(value) for value in form.only.data),
        search=search,
        sort=Sort(form.sort.data) if form.sort.data else Sort.WAITED,
        page=form.page.data or 1,
        size=form.size.data if form.size.data in service.PAGE_SIZES else service.PAGE_SIZE,
    )


class Links:
    """URLs of this page with one thing changed, keeping everything else asked for (only
    what the form understood, so a forged value is not carried on)."""

    def __init__(self, filters: service.Filters, default_whose: Whose):
        args: list[tuple[str, str]] = []
        if filters.search:
            args.append(("q", filters.search))
        if filters.whose and filters.whose is not default_whose:
            args.append(("whose", filters.whose.value))
        if filters.region is not None:
            args.append(("region", str(filters.region)))
        args += [("status", s.value) for s in CaseStatus if s in filters.statuses]
        args += [("stage", s.value) for s in SentenceStage if s in filters.stages]
        args += [("only", o.value) for o in Only if o in filters.only]
        if filters.sort is not Sort.WAITED:
            args.append(("sort", filters.sort.value))
        if filters.size != service.PAGE_SIZE:
            args.append(("size", str(filters.size)))
        self.args = args

    @staticmethod
    def _url(args: list[tuple[str, str]]) -> str:
        return url_for("staff.cases", **MultiDict(args).to_dict(flat=False))

    def here(self) -> str:
        return self._url(self.args)

    def without(self, key: str, value: str | None = None) -> str:
        """This list without one ticked value of `key` (or without `key` at all)."""
        return self._url([(k, v) for k, v in self.args if not (k == key and value in (None, v))])

    def sorted_by(self, sort: Sort) -> str:
        args = [(k, v) for k, v in self.args if k != "sort"]
        if sort is not Sort.WAITED:
            args.append(("sort", sort.value))
        return self._url(args)

    def page(self, number: int) -> str:
        return self._url([*self.args, ("page", str(number))] if number > 1 else self.args)

    def cleared(self) -> str:
        """No filters or search: only the sort and the page size stay."""
        return self._url([(k, v) for k, v in self.args if k in ("sort", "size")])


WHOSE = {
    Whose.MINE: _l("My cases"),
    Whose.REGION: _l("All cases in my region"),
}
#: An admin's "everything in reach" is every region's.
WHOSE_EVERY_REGION = _l("All cases in every region")
ONLY = {
    Only.WAITING: _l("Waiting for my first contact"),
    Only.WELSH: _l("Victims who prefer Welsh"),
    Only.ACCESS_NEEDS: _l("Victims with access needs"),
}
ONLY_HINTS = {Only.WAITING: _l("My active cases where no contact has been made yet")}
SORTS = {
    Sort.WAITED: _l("Waited longest first"),
    Sort.NEWEST: _l("Newest first"),
    Sort.REFERENCE: _l("Reference number, A to Z"),
    Sort.REFERENCE_DESC: _l("Reference number, Z to A"),
    Sort.NAME: _l("Victim’s name, A to Z"),
    Sort.NAME_DESC: _l("Victim’s name, Z to A"),
}
NATIONAL_QUEUE_NAME = _l("National queue")

#: Links that replace the filter layout with htmx (the address follows), and work as
#: plain links without it.
BOOST = {"hx-boost": "true", "hx-target": "#caseload", "hx-swap": "innerHTML"}

#: For each sortable column: the sort its heading shows (ascending, descending), and
#: the sort its link asks for next.
SORTABLE = {
    "reference": (Sort.REFERENCE, Sort.REFERENCE_DESC),
    "name": (Sort.NAME, Sort.NAME_DESC),
    # Most days waited first is the column in descending order; the newest, ascending.
    "waited": (Sort.NEWEST, Sort.WAITED),
}


def _sorted_column(key: str, sort: Sort, links: Links) -> dict:
    ascending, descending = SORTABLE[key]
    if sort is ascending:
        direction, following = "ascending", descending
    elif sort is descending:
        direction, following = "descending", ascending
    else:
        direction = "none"
        following = Sort.WAITED if key == "waited" else ascending
    return {"href": links.sorted_by(following), "direction": direction, "id": f"sort-{key}"}


def _columns(filters: service.Filters, links: Links, show_region: bool) -> list[dict]:
    columns = [
        {"text": _l("Reference number"), "sort": _sorted_column("reference", filters.sort, links)},
        {"text": _l("Victim"), "sort": _sorted_column("name", filters.sort, links)},
        {"text": _l("Status and stage")},
        {"text": _l("Officer")},
    ]
    if show_region:
        columns.append({"text": _l("Region")})
    columns.append(
        {"text": _l("Working days waited"), "sort": _sorted_column("waited", filters.sort, links)}
    )
    return columns


def _selected(filters, links: Links, officer, regions, language) -> dict:
    """The chosen filters as MOJ's removable tags, by category."""
    categories = []

    def category(heading, items):
        if items:
            categories.append({"heading": heading, "items": items})

    default = service.default_whose(officer)
    if filters.whose and filters.whose is not default:
        text = WHOSE[filters.whose]
        if filters.whose is Whose.REGION and officer.role.sees_every_region:
            text = WHOSE_EVERY_REGION
        category(_l("Whose cases"), [{"href": links.without("whose"), "text": text}])
    if filters.region is not None:
        names = {str(region.id): region.name(language) for region in regions}
        names[NATIONAL_QUEUE] = NATIONAL_QUEUE_NAME
        text = names.get(str(filters.region))
        if text:
            category(_l("Region"), [{"href": links.without("region"), "text": text}])
    category(
        _l("Status"),
        [
            {"href": links.without("status", s.value), "text": STATUSES[s].text}
            for s in CaseStatus
            if s in filters.statuses
        ],
    )
    category(
        _l("Stage of the sentence"),
        [
            {"href": links.without("stage", s.value), "text": stage_names[s]}
            for s in SentenceStage
            if s in filters.stages
        ],
    )
    category(
        _l("Show only"),
        [
            {"href": links.without("only", o.value), "text": ONLY[o]}
            for o in Only
            if o in filters.only
        ],
    )
    if filters.search:
        category(
            _l("Search"),
            [{"href": links.without("q"), "text": filters.search, "data": True}],
        )
    return {
        "heading": _l("Selected filters"),
        "clear_link": {"href": links.cleared(), "text": _l("Clear filters")},
        "categories": categories,
    }


def _choices(form: CaseloadForm, filters, officer, regions, language) -> dict:
    """The options of each filter, for the GOV.UK components."""
    whose = [{"value": w.value, "text": WHOSE[w]} for w in Whose]
    if officer.role.sees_every_region:
        whose[1]["text"] = WHOSE_EVERY_REGION
    form.whose.data = (filters.whose or service.default_whose(officer)).value
    chosen_region = "" if filters.region is None else str(filters.region)
    region_items = [
        {"value": "", "text": _l("All regions"), "selected": chosen_region == ""},
        {
            "value": NATIONAL_QUEUE,
            "text": NATIONAL_QUEUE_NAME,
            "selected": chosen_region == NATIONAL_QUEUE,
        },
        *(
            {
                "value": str(region.id),
                "text": region.name(language),
                "selected": chosen_region == str(region.id),
            }
            for region in regions
        ),
    ]
    return {
        "whose_items": whose,
        "region_items": region_items,
        "status_items": [{"value": s.value, "text": STATUSES[s].text} for s in CaseStatus],
        "stage_items": [{"value": s.value, "text": stage_names[s]} for s in SentenceStage],
        "only_items": [
            {"value": o.value, "text": ONLY[o], "hint": ONLY_HINTS.get(o)} for o in Only
        ],
        "sort_items": [
            {"value": s.value, "text": text, "selected": s is filters.sort}
            for s, text in SORTS.items()
        ],
    }


@bp.get("/cases")
def cases():
    officer = current_officer()
    form = CaseloadForm(request.args)
    regions = service.regions_to_filter(db.session, officer)
    form.region.values = (NATIONAL_QUEUE, *(str(region.id) for region in regions))
    form.region.process(request.args)
    form.validate()
    filters = filters_from(form)
    found = service.caseload(db.session, officer, filters, _today())
    language = choose_language()
    regions = sorted(regions, key=lambda region: region.name(language))
    links = Links(filters, service.default_whose(officer))
    target = request.headers.get("HX-Target") if wants_partial() else None
    partial = "staff/_cases_results.html" if target == RESULTS_TARGET else "staff/_caseload.html"
    show_region = officer.role.sees_every_region
    trigger = request.headers.get("HX-Trigger")
    return render_page(
        "staff/cases.html",
        partial=partial,
        page_title=TITLE,
        has_errors=bool(form.errors),
        form=form,
        found=found,
        filters=filters,
        regions=regions,
        links=links,
        statuses=STATUSES,
        columns=_columns(filters, links, show_region),
        show_region=show_region,
        selected_filters=_selected(filters, links, officer, regions, language),
        filtering=links.cleared() != links.here(),
        case_page_exists="staff.case" in current_app.view_functions,
        focus_on_column=trigger if trigger in {f"sort-{key}" for key in SORTABLE} else None,
        results_only=target == RESULTS_TARGET,
        default_size=service.PAGE_SIZE,
        boost=BOOST,
        **_choices(form, filters, officer, regions, language),
    )
