"""A signed-in victim's case: where the sentence is, who to contact, what has happened.

Every request checks the server-side session first: one that has ended, run
out, or lost its safe contact detail sends the person to sign in again. A
request the person did not make (a conversation page polling for replies, or
saving a draft as the timeout warning opens) finds the session without keeping
it alive (`sign_in.current_session(activity=False)`).
"""

from __future__ import annotations

from flask import Response, g, redirect, request, session, url_for
from flask_babel import format_date, format_datetime, gettext

from portal.account import bp, permissions, wording
from portal.account.sign_in_views import SIGNED_OUT, TOKEN, page
from portal.day_words import day_in_words, event_date, event_datetime, london_day
from portal.domain import case_timeline
from portal.domain.contact_times import LONDON
from portal.domain.messages import Show
from portal.extensions import db, htmx
from portal.language import choose_language
from portal.models import Message
from portal.services import sign_in, victim_messages

#: Requests that are never the victim's own doing: they do not keep the session alive.
NOT_ACTIVITY = frozenset({"account.new_messages"})
#: The header portal.mjs sends with a draft saved because the timeout warning opened (the
#: victim is not there to type): like polling, it must not keep the session alive.
QUIET_HEADER = "X-Portal-Quiet"
QUIET_ALLOWED = frozenset({"account.save_draft"})


def is_activity() -> bool:
    """Whether this request is the victim doing something (it keeps the session alive)."""
    if request.endpoint in NOT_ACTIVITY:
        return False
    return not (request.endpoint in QUIET_ALLOWED and request.headers.get(QUIET_HEADER) == "1")


@bp.before_request
def live_session():
    record, reached = sign_in.live_session(db.session, session.get(TOKEN), activity=is_activity())
    if db.session.dirty:  # an ended session stays ended; last seen moves on (once a minute)
        db.session.commit()  # a plain GET otherwise keeps what it loaded: no reload
    if record is None:
        session.clear()
        session[SIGNED_OUT] = "timeout"
        return redirect(url_for("sign_in.start"), code=303)
    g.victim_session = record
    # What this session may do here (someone acting for a victim: what they were given).
    g.access = reached
    return permissions.refusal()


@bp.after_request
def whole_page_to_sign_in(response: Response) -> Response:
    """An htmx request whose session has gone (signed out in another tab, or run out)
    loads the sign-in page whole, rather than swapping it into a piece of this one."""
    if htmx and response.status_code == 303 and response.location == url_for("sign_in.start"):
        response = Response(status=204)
        response.headers["HX-Redirect"] = url_for("sign_in.start")
    return response


def message_time(message: Message) -> str:
    """When a message was written, in London time and the page's language."""
    return gettext(
        "%(date)s at %(time)s",
        date=format_datetime(message.created_at, "d MMMM y"),
        time=format_datetime(message.created_at, "HH:mm"),
    )


def message_day(message: Message) -> str:
    return day_in_words(london_day(message.created_at), "d MMMM y")


def message_datetime(message: Message) -> str:
    """The `datetime` attribute: the moment, with London's offset."""
    return message.created_at.astimezone(LONDON).isoformat(timespec="minutes")


@bp.context_processor
def case_words() -> dict:
    return {
        "stage_words": wording.STAGES,
        "stage_means": wording.STAGE_MEANS,
        "status_words": wording.STATUSES,
        "decline_reasons": wording.DECLINE_REASONS,
        "event_kinds": wording.EVENT_KINDS,
        "main_stages": case_timeline.MAIN_STAGES,
        "stage_on_path": case_timeline.stage_on_path,
        "event_date": event_date,
        "event_datetime": event_datetime,
        "message_time": message_time,
        "message_day": message_day,
        "message_datetime": message_datetime,
        "page_language": choose_language(),
        "acting_for": permissions.acting_for(),
        "viewing_as": permissions.representative_id(),
    }


@bp.context_processor
def timeout_warning() -> dict:
    """What the victim layout's timeout warning needs (templates/components/
    timeout_warning.html): only on a signed-in victim's pages."""
    record = g.get("victim_session")
    if record is None:
        return {}
    return {
        "victim_timeout": {
            "idle_seconds": int(sign_in.IDLE_LIMIT.total_seconds()),
            "seconds_left": sign_in.seconds_left(record),
            "keep_alive_url": url_for("account.extend_session"),
        }
    }


def timeline_url(reference: str, show: Show):
    """Page n of a case's timeline on the case page, as filtered."""

    def url(number: int) -> str:
        return url_for(
            "account.home",
            **({"show": show.value} if show != Show.EVERYTHING else {}),
            case=reference,
            page=number,
            _anchor=f"what-happened-{reference}",
        )

    return url


@bp.get("")
def home():
    show = Show.read(request.args.get("show"))
    # A page of one case's timeline (`?case=<reference>&page=<n>`); the others show their
    # first. A page that is not a number is the first; one past the last, the last.
    pages = {request.args.get("case", ""): request.args.get("page", 1, type=int)}
    found = victim_messages.overview(db.session, g.victim_session, show, g.access, pages)
    g.unread_replies = found.unread  # the navigation's count: no second query
    return page(
        "_home.html",
        wording.YOUR_CASE if len(found.cases) <= 1 else wording.YOUR_CASES,
        push_url=True,
        show=show,
        show_words=wording.SHOW,
        showing=wording.SHOWING[show],
        cases=[
            {
                "case": item.case,
                "entries": item.entries,
                "timeline": item.timeline,
                "timeline_url": timeline_url(item.case.reference, show),
                "unread": item.unread,
                "contact_due": format_date(
                    case_timeline.contact_due(item.case.created_at.date()), format="long"
                ),
                "may": {permission.value for permission in item.permissions},
                "acting_for": item.case.victim.full_name if item.representative else None,
                "viewing_as": item.representative.id if item.representative else None,
            }
            for item in found.cases
        ],
        has_own=any(item.representative is None for item in found.cases),
    )


@bp.post("/session/extend")
def extend_session():
    """ "Stay signed in" in the timeout warning: the idle limit counts from now."""
    sign_in.extend(g.victim_session)
    db.session.commit()
    return Response(status=204)
