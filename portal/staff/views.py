"""A signed-in officer's pages. Every request checks the server-side session first: one
that has ended, run out, or whose officer was deactivated sends them to sign in again.

Views here and in the other modules of portal/staff/ find a case only through
`case_or_404` (their region's, or every region's for an admin) and guard pages
for some roles only with `for_roles`; tests/functional/test_staff_access.py
checks every staff route as every kind of person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import format_date, ngettext
from markupsafe import Markup, escape

from portal.day_words import day_in_words
from portal.domain.case_timeline import CONTACT_WITHIN_WORKING_DAYS
from portal.domain.messages import REPLY_WITHIN_WORKING_DAYS
from portal.domain.participation import COME_BACK_WITHIN_WORKING_DAYS
from portal.domain.requests import FIRST_STEP_WITHIN_WORKING_DAYS
from portal.extensions import db
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import Case, CaseStatus, OfficerRole, VictimLiaisonOfficer
from portal.services import messages, participation, queues, staff_auth, staff_cases
from portal.staff import bp, request_wording
from portal.staff.sign_in_views import SIGNED_OUT, TOKEN, idle_limit, page

HOME = _l("What needs you first")


def waiting_counts() -> tuple[int, int]:
    """How many cases have messages waiting for a reply: the signed-in officer's own, and
    all those in their reach (an admin's: every region). One query a request, shared by
    the navigation and the pages that show them."""
    if "waiting_counts" not in g:
        g.waiting_counts = messages.waiting_counts(
            db.session, current_officer(), every_region_for_admin=True
        )
    return g.waiting_counts


def waiting_for_you() -> int:
    return waiting_counts()[0]


@dataclass(frozen=True)
class NavigationItem:
    endpoint: str
    text: object
    roles: frozenset[OfficerRole] = frozenset(OfficerRole)
    #: For a case's actions: the statuses the action applies to (None: any).
    statuses: frozenset[CaseStatus] | None = None
    #: For a case's actions: a further test of the case (None: none).
    applies: Callable[[Case], bool] | None = None
    #: For the navigation: a number to show beside the words (what waits for the officer).
    count: Callable[[], int] | None = None


class CountedText:
    """A navigation item's words with a count beside them (an MOJ notification badge, and
    the same in words for a screen reader), counted only when the navigation is drawn:
    a page htmx swaps in alone asks nothing."""

    def __init__(self, text, count: Callable[[], int]) -> None:
        self.text, self.count = text, count

    def __bool__(self) -> bool:
        return True

    def __html__(self) -> str:
        number = self.count()
        if not number:
            return str(escape(self.text))
        in_words = ngettext(
            "%(num)d conversation waiting for your reply",
            "%(num)d conversations waiting for your reply",
            number,
        )
        return Markup(
            '{} <span class="moj-notification-badge" aria-hidden="true">{}</span>'
            '<span class="govuk-visually-hidden"> ({})</span>'
        ).format(self.text, number, in_words)

    __str__ = __html__


#: The console's navigation, in order: an item shows when its page exists and the
#: officer's role may open it.
NAVIGATION = (
    NavigationItem("staff.home", HOME),
    NavigationItem("staff.cases", _l("Cases")),
    NavigationItem("staff.messages", _l("Messages"), count=waiting_for_you),
    NavigationItem("staff.new_referral", _l("Add a referral")),
    NavigationItem(
        "staff.region", _l("Your region"), frozenset({OfficerRole.MANAGER, OfficerRole.ADMIN})
    ),
    NavigationItem("staff.accounts", _l("Staff accounts"), frozenset({OfficerRole.ADMIN})),
    NavigationItem("staff.my_account", _l("Your account")),
)


#: The sections of a case, as MOJ sub-navigation above each (templates/staff/case/
#: _sections.html): a section shows when its page exists and the role may open it.
CASE_SECTIONS = (
    NavigationItem("staff.case", _l("Summary and timeline")),
    NavigationItem("staff.case_contact", _l("Contact details")),
    NavigationItem("staff.case_messages", _l("Messages")),
    NavigationItem("staff.case_requests", _l("Requests")),
    NavigationItem("staff.case_notifications", _l("Notifications sent")),
    NavigationItem(
        "staff.case_audit", _l("Audit"), frozenset({OfficerRole.MANAGER, OfficerRole.ADMIN})
    ),
)


#: What can be done to a whole case, listed on its summary page (staff.case), filtered
#: the same way: the page exists and the role may open it.
CASE_ACTIONS = (
    NavigationItem(
        "staff.triage", _l("Triage this registration"), statuses=frozenset({CaseStatus.TRIAGE})
    ),
    NavigationItem(
        "staff.case_reassign",
        _l("Reassign the case"),
        frozenset({OfficerRole.MANAGER, OfficerRole.ADMIN}),
    ),
    NavigationItem(
        "staff.case_bring_back",
        _l("Bring the victim back into the scheme"),
        statuses=frozenset({CaseStatus.CLOSED}),
        applies=participation.has_left,
    ),
)


def case_actions(case: Case) -> list[dict]:
    """The actions on `case` this officer may take now (each page checks again)."""
    role = current_officer().role
    return [
        {"href": url_for(item.endpoint, case_id=case.id), "text": item.text}
        for item in CASE_ACTIONS
        if item.endpoint in current_app.view_functions
        and role in item.roles
        and (item.statuses is None or case.status in item.statuses)
        and (item.applies is None or item.applies(case))
    ]


def case_sections(case_id: int) -> list[dict]:
    """The case's sections this officer may open, the current one marked."""
    role = current_officer().role
    return [
        {
            "href": url_for(item.endpoint, case_id=case_id),
            "text": item.text,
            "current": request.endpoint == item.endpoint,
        }
        for item in CASE_SECTIONS
        if item.endpoint in current_app.view_functions and role in item.roles
    ]


@bp.before_request
def live_session():
    record = staff_auth.current_session(db.session, session.get(TOKEN), idle=idle_limit())
    if db.session.dirty:  # an ended session stays ended; last seen moves on (once a minute)
        db.session.commit()  # a plain GET otherwise keeps what it loaded: no reload
    if record is None:
        session.clear()
        session[SIGNED_OUT] = "timeout"
        return redirect(url_for("staff_sign_in.start"), code=303)
    g.staff_session = record
    return None


@bp.app_context_processor
def staff_navigation() -> dict:
    """The navigation for the staff layout (templates/layouts/staff.html)."""
    record = g.get("staff_session")
    if record is None:
        return {}
    officer = record.officer
    items = [
        {
            "href": url_for(item.endpoint),
            "text": item.text,
            "html": CountedText(item.text, item.count) if item.count else None,
            "active": request.endpoint == item.endpoint
            or (request.endpoint or "").startswith(item.endpoint + "_"),
        }
        for item in NAVIGATION
        if item.endpoint in current_app.view_functions and officer.role in item.roles
    ]
    return {"staff_navigation": items}


def current_officer() -> VictimLiaisonOfficer:
    """The signed-in officer (every staff view runs after live_session)."""
    return g.staff_session.officer


def for_roles(*roles: OfficerRole) -> Callable:
    """A view only these roles may open; anyone else gets 403 (and the audit records it)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if current_officer().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded.allowed_roles = frozenset(roles)
        return guarded

    return decorate


def case_or_404(case_id: int, *options) -> Case:
    """The case, if the signed-in officer may see it; 404 as if it did not exist otherwise."""
    case = staff_cases.case_for(db.session, current_officer(), case_id, *options)
    if case is None:
        abort(404)
    return case


#: Where "see all" leads for each list of the home page, once the caseload page exists.
SEE_ALL = {
    # The caseload's own filters (portal/services/caseload.py): the whole region's
    # registrations in triage (duplicates among them), and my cases awaiting first contact.
    "to_triage": {"whose": "region", "status": "triage"},
    "possible_duplicates": {"whose": "region", "status": "triage"},
    "waiting_for_contact": {"whose": "mine", "only": "waiting"},
}


@bp.get("")
def home():
    """What needs you first: registrations to triage, possible duplicates, the cases
    waiting for your first contact, your victims' requests waiting for your first step,
    victims who asked to come back, and your cases' messages waiting for a reply, longest
    wait (so overdue) first; one query a list."""
    officer = current_officer()
    caseload = "staff.cases" in current_app.view_functions
    today = queues.today_in_england()
    return page(
        "_home.html",
        HOME,
        officer=officer,
        region_name=officer.region.name(choose_language()),
        recovery_codes_left=staff_auth.recovery_codes_left(db.session, officer.id),
        needs=queues.needs_you(db.session, officer, today, queues.HOME_LIMIT),
        replies=messages.waiting_for_reply(
            db.session, officer, today, whose="mine", limit=queues.HOME_LIMIT
        ),
        reply_target=REPLY_WITHIN_WORKING_DAYS,
        target=CONTACT_WITHIN_WORKING_DAYS,
        request_target=FIRST_STEP_WITHIN_WORKING_DAYS,
        come_back_target=COME_BACK_WITHIN_WORKING_DAYS,
        request_kinds=request_wording.KIND_NAMES,
        see_all={
            name: url_for("staff.cases", **query) if caseload else None
            for name, query in SEE_ALL.items()
        },
        case_endpoint="staff.case" if "staff.case" in current_app.view_functions else None,
        long_date=long_date,
    )


def long_date(day) -> str:
    """A day in words in the page's language ("1 December 2026"): a day once a language
    (portal.day_words); a moment in the user's time zone first."""
    if isinstance(day, date) and not isinstance(day, datetime):
        return day_in_words(day)
    return format_date(day, format="long")
