"""What each of a victim's pages needs, and the kind page for someone acting for a victim
who was not given it.

`ROUTES` names, for every route of the `account` blueprint, the permission it needs
(portal.domain.representatives: see the case, messages, requests; or OWN: only the
person themselves, such as contact preferences and "Your data"), or None for any
signed-in session (the case page shows each what it may see). A route missing from it
needs OWN, and tests/functional/test_representative_access.py fails until it is added.

`refusal()` runs for every account request once the session is known (views.live_session):
on a page about one case (`<reference>`) that the session reaches, it decides from that
case's victim (portal.services.sign_in.access_of, the one place that decides); elsewhere,
from every person the session reaches. A session that reaches the case but may not do
this gets 403 and a page that says why, kindly; a case it does not reach at all is left to
the view (404, as if it did not exist).
"""

from __future__ import annotations

from flask import g, request, url_for

from portal.account.sign_in_views import page
from portal.extensions import db
from portal.language import lazy_gettext as _l
from portal.models import Permission
from portal.services import sign_in
from portal.services.sign_in import Access

CASE, MESSAGES, REQUESTS, OWN = (
    Permission.CASE,
    Permission.MESSAGES,
    Permission.REQUESTS,
    Permission.OWN,
)

#: endpoint -> what it needs (None: any signed-in session).
ROUTES: dict[str, Permission | None] = {
    "account.home": None,
    "account.extend_session": None,
    # Messages.
    "account.messages_index": MESSAGES,
    "account.conversation": MESSAGES,
    "account.new_messages": MESSAGES,
    "account.save_draft": MESSAGES,
    # Requests to the officer.
    "account.requests": REQUESTS,
    "account.request_start": REQUESTS,
    "account.request_page": REQUESTS,
    "account.request_check": REQUESTS,
    "account.request": REQUESTS,
    # Only the person themselves: how they are contacted, pausing and leaving.
    "account.contact_preferences": OWN,
    "account.contact_add": OWN,
    "account.contact_change": OWN,
    "account.contact_check": OWN,
    "account.contact_code": OWN,
    "account.contact_code_resend": OWN,
    "account.contact_safety": OWN,
    "account.contact_remove": OWN,
    "account.contact_times": OWN,
    "account.contact_envelope": OWN,
    "account.contact_language": OWN,
    "account.contact_access_needs": OWN,
    "account.updates_wanted": OWN,
    "account.pause": OWN,
    "account.pause_date": OWN,
    "account.pause_check": OWN,
    "account.pause_end": OWN,
    "account.leave": OWN,
    "account.come_back": OWN,
    # Your data: what is held about the person themselves.
    "account.your_data": OWN,
    "account.your_data_html": OWN,
    "account.your_data_json": OWN,
    # Naming and ending representatives.
    "account.representatives": OWN,
    "account.representative_new": OWN,
    "account.representative_contact": OWN,
    "account.representative_permissions": OWN,
    "account.representative_check": OWN,
    "account.representative_code": OWN,
    "account.representative_code_resend": OWN,
    "account.representative_end": OWN,
}

TITLE = _l("You cannot do this")


def needed() -> Permission | None:
    """What this request's route needs (OWN for a route not in ROUTES)."""
    return ROUTES.get(request.endpoint or "", OWN)


def refusal():
    """None when the session may go on; else the 403 page. Keeps what it found for the views
    (`g.access`, found with the session itself by views.live_session, and on a page about
    one case `g.case_access` and, when the session may do what the route needs there,
    `g.permitted_case`)."""
    record = g.victim_session
    reached = g.get("access")
    if reached is None:
        reached = g.access = sign_in.access_of(db.session, record)
    permission = needed()
    reference = (request.view_args or {}).get("reference")
    if isinstance(reference, str):
        case = sign_in.case_of(db.session, record, reference)
        if case is None or case.victim_id not in reached:
            return None  # the view says "not found"
        access = reached[case.victim_id]
        g.case_access = access
        if access.may(permission):
            g.permitted_case = case  # what the route needs, on this case: views reuse it
            return None
        return not_permitted([access])
    if any(access.may(permission) for access in reached.values()):
        return None
    return not_permitted([a for a in reached.values() if a.representative is not None])


def not_permitted(acting: list[Access]):
    """The kind 403: who the person acts for, that they were not asked to do this, and
    where to go instead."""
    return page(
        "_not_permitted.html",
        TITLE,
        status=403,
        acting_names=[access.victim.full_name for access in acting],
        own_only=needed() == OWN,
        back_url=url_for("account.home"),
    )


def representative_id() -> int | None:
    """The representative this request acts as, on a page about one case; None for the
    victim themselves."""
    access = g.get("case_access")
    return access.representative.id if access and access.representative else None


def acting_for() -> list[str]:
    """Whose names the page says the session acts for ("You are acting for …"): on a page
    about one case, that case's victim if the session acts for them; elsewhere, everyone
    it acts for when it is nobody's own session."""
    access = g.get("case_access")
    if access is not None:
        return [access.victim.full_name] if access.representative else []
    reached = g.get("access") or {}
    if any(a.representative is None for a in reached.values()):
        return []
    return [a.victim.full_name for a in reached.values()]


def may(permission: Permission) -> bool:
    """Whether the session may do what needs `permission` for anyone it reaches."""
    return any(a.may(permission) for a in (g.get("access") or {}).values())
