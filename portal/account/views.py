"""A signed-in victim's case: where the sentence is, who to contact, what has happened.

Every request checks the server-side session first: one that has ended, run
out, or lost its safe contact detail sends the person to sign in again.
"""

from __future__ import annotations

from flask import g, redirect, session, url_for
from flask_babel import format_date

from portal.account import bp, wording
from portal.account.sign_in_views import SIGNED_OUT, TOKEN, page
from portal.domain import case_timeline
from portal.extensions import db
from portal.language import choose_language
from portal.models import DatePrecision, TimelineEvent
from portal.services import sign_in

#: Babel patterns for each precision: a month is the stand-alone month name.
DATE_PATTERNS = {DatePrecision.DAY: "long", DatePrecision.MONTH: "LLLL y", DatePrecision.YEAR: "y"}
ISO_LENGTH = {DatePrecision.DAY: 10, DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}


@bp.before_request
def live_session():
    record = sign_in.current_session(db.session, session.get(TOKEN))
    db.session.commit()  # an ended session stays ended; last seen moves on
    if record is None:
        session.clear()
        session[SIGNED_OUT] = "timeout"
        return redirect(url_for("sign_in.start"), code=303)
    g.victim_session = record
    return None


def event_date(event: TimelineEvent) -> str:
    return format_date(event.occurred_on, format=DATE_PATTERNS[event.precision])


def event_datetime(event: TimelineEvent) -> str:
    """The `datetime` attribute, no more precise than the words."""
    return event.occurred_on.isoformat()[: ISO_LENGTH[event.precision]]


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
        "page_language": choose_language(),
    }


@bp.get("")
def home():
    cases = sign_in.cases_of(db.session, g.victim_session)
    return page(
        "_home.html",
        wording.YOUR_CASE if len(cases) <= 1 else wording.YOUR_CASES,
        push_url=True,
        cases=[
            {
                "case": case,
                "events": case_timeline.visible_events(case.timeline),
                "contact_due": format_date(
                    case_timeline.contact_due(case.created_at.date()), format="long"
                ),
            }
            for case in cases
        ],
    )
