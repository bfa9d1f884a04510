"""A case's summary and timeline, and the forms that write the timeline.

`staff.case` shows the victim (their language on a badge in the identity bar, on
every page about them), how to contact them safely, the offender and sentence,
how they joined and the 20-working-day clock, and the timeline with everything
staff see of each entry, the messages among them. The two entry forms are on the
page (their POSTs redirect back to it, 303; with htmx the page's content is swapped
in place and focus goes to the success message or the error summary). A GET form
filters the timeline (`?show=`: everything, messages, contacts, sentence events);
with htmx only the list is swapped (HX-Target "timeline-list") and the address
follows. Hiding an entry, or showing it again, has a confirmation page. Every case
is found through `case_or_404` (another region's case is 404), loaded with
everything the page shows in a fixed number of queries, however long its timeline
and however many its messages.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import format_date, format_datetime
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.day_words import day_in_words, event_date, event_datetime
from portal.domain import case_timeline, courts
from portal.domain.contact_times import LONDON
from portal.domain.messages import Show
from portal.domain.waiting import wait
from portal.domain.working_days import working_days_between
from portal.extensions import db
from portal.language import choose_language
from portal.models import (
    LARGEST_ID,
    Case,
    CaseStatus,
    ContactDirection,
    Message,
    SentenceStage,
    TimelineEvent,
    Victim,
    utcnow,
)
from portal.notifications import content as notification_content
from portal.rendering import wants_partial
from portal.sentence_stages import NAMES as STAGE_NAMES
from portal.services import timeline, timeline_pages
from portal.services.timeline_pages import TimelinePage
from portal.staff import bp, case_wording
from portal.staff.case_forms import ContactForm, StageForm, VisibilityForm
from portal.staff.sign_in_views import page
from portal.staff.views import case_actions, case_or_404, case_sections, current_officer

#: Everything the case page shows, loaded up front: the same queries for 1 entry or 500.
CASE_PAGE = (
    joinedload(Case.victim).selectinload(Victim.contact_preferences),
    joinedload(Case.region),
    joinedload(Case.officer),
    joinedload(Case.merged_into),
)
#: What the timeline shows of each entry (portal.services.timeline_pages reads a page).
EVENT_OPTIONS = (
    joinedload(TimelineEvent.recorded_by),
    joinedload(TimelineEvent.notification),
    joinedload(TimelineEvent.representative),
)
MESSAGE_OPTIONS = (
    joinedload(Message.officer),
    joinedload(Message.answered_by),
    joinedload(Message.representative),
)
#: The part of the case page that the timeline's filter swaps with htmx.
TIMELINE_LIST = "timeline-list"
#: The timeline's filter, in the order offered.
SHOW_CHOICES = (Show.EVERYTHING, Show.MESSAGES, Show.CONTACTS, Show.STAGES)
#: What a form needs to write: the victim (their language and safe channels).
FOR_WRITING = (joinedload(Case.victim).selectinload(Victim.contact_preferences),)

STAGE_PREFIX, CONTACT_PREFIX = "stage", "contact"


def long_date(day: date) -> str:
    return day_in_words(day)


def message_time(moment) -> str:
    """When a message was written, in the console's language (London time)."""
    return format_datetime(moment, "d MMMM y, HH:mm")


def month_of(sentenced_in: str | None) -> str | None:
    """The month of sentence ("2025-03") in words, or None when not known or not readable."""
    try:
        year, month = (int(part) for part in (sentenced_in or "").split("-"))
        return format_date(date(year, month, 1), format="LLLL y")
    except ValueError:
        return None


def today():
    """Today in England and Wales (what "not in the future" means to an officer)."""
    return utcnow().astimezone(LONDON).date()


def actor() -> timeline.Actor:
    return timeline.Actor(
        officer=current_officer(),
        request_id=g.get("request_id"),
        address=(request.remote_addr or "")[:45] or None,
    )


def _number(name: str) -> int | None:
    """A whole number from the query (a page, an entry's id), or None: only ASCII digits
    ("²" is a digit to Python, but not to int()), and no larger than an id can be (a
    larger one is out of range for PostgreSQL's integer)."""
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit() and len(value) < 12):
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


def _outcome(case: Case) -> dict | None:
    """What the officer just did, for the success message (from the redirect's query)."""
    for action in ("added", "hidden", "shown"):
        event_id = _number(action)
        if event_id is None:
            continue
        event = db.session.scalar(
            select(TimelineEvent)
            .where(TimelineEvent.id == event_id, TimelineEvent.case_id == case.id)
            .options(*EVENT_OPTIONS)
        )
        if event is not None:
            reason = timeline.why_not_told(case, event)
            return {"action": action, "event": event, "not_told": case_wording.NOT_TOLD.get(reason)}
    return None


def _timeline_page(case: Case, show: Show, outcome: dict | None) -> TimelinePage:
    """The page of the timeline asked for (`?page=`); after writing an entry, the page that
    holds it, unless a page was asked for."""
    number = _number("page")
    if number is None and outcome is not None:
        number = timeline_pages.page_holding(db.session, case.id, show, outcome["event"].id)
    return timeline_pages.timeline_page(
        db.session,
        case.id,
        show,
        number or 1,
        event_options=EVENT_OPTIONS,
        message_options=MESSAGE_OPTIONS,
    )


def _clock(case: Case) -> dict:
    """The 20-working-day clock until first contact: stopped, running, or not needed."""
    started = case.clock_started_on
    if case.first_contact_on is not None:
        taken = working_days_between(started, case.first_contact_on)
        return {
            "state": "stopped",
            "on": case.first_contact_on,
            "taken": taken,
            "in_time": taken <= case_timeline.CONTACT_WITHIN_WORKING_DAYS,
        }
    if case.status in (CaseStatus.DECLINED, CaseStatus.CLOSED, CaseStatus.MERGED):
        return {"state": "not-needed"}
    return {"state": "running", "wait": wait(started, today())}


def case_page(case: Case, status: int = 200, **forms):
    """The case page, with blank forms unless one is given (with what was typed and errors).
    The timeline's filter asking with htmx gets the list alone."""
    language = choose_language()
    stage_form = forms.get("stage_form") or StageForm.blank(today(), STAGE_PREFIX)
    contact_form = forms.get("contact_form") or ContactForm.blank(today(), CONTACT_PREFIX)
    failed = next((f for f in (stage_form, contact_form) if f.errors), None)
    court = courts.court_by_code(case.court_code) if case.court_code else None
    show = Show.read(request.args.get("show")) if request.method == "GET" else Show.EVERYTHING
    list_only = wants_partial() and request.headers.get("HX-Target") == TIMELINE_LIST
    outcome = _outcome(case) if failed is None and request.method == "GET" else None
    entries = _timeline_page(case, show, outcome)
    return page(
        "case/_timeline_entries.html" if list_only else "case/_case.html",
        case_wording.CASE_TITLE,
        status=status,
        has_errors=failed is not None,
        push_url=request.method == "GET",
        case=case,
        victim=case.victim,
        sections=case_sections(case.id),
        actions=case_actions(case),
        entries=entries.entries,
        timeline_page=entries,
        timeline_url=lambda number: url_for(
            "staff.case",
            case_id=case.id,
            **({"show": show.value} if show != Show.EVERYTHING else {}),
            page=number,
            _anchor="timeline-entries-heading",
        ),
        show=show,
        show_choices=SHOW_CHOICES,
        list_only=list_only,
        message_time=message_time,
        outcome=outcome,
        refused=timeline.writing_refused(case),
        stage_form=stage_form,
        contact_form=contact_form,
        stage_form_blank=forms.get("stage_form") is None,
        contact_form_blank=forms.get("contact_form") is None,
        failed_form=failed,
        open_form=forms.get("open_form"),
        focus_summary=forms.get("focus_summary", False),
        court_name=court.name(language) if court else None,
        sentenced_month=month_of(case.sentenced_in),
        clock=_clock(case),
        officer_speaks_welsh=current_officer().speaks_welsh,
        can_be_shown=timeline.can_be_shown,
        **_words(),
    )


def _words() -> dict:
    """What every page about a case needs to name and date things."""
    return {
        "words": case_wording,
        "stage_names": STAGE_NAMES,
        "stage_choices": list(SentenceStage),
        "event_date": event_date,
        "event_datetime": event_datetime,
        "long_date": long_date,
    }


@bp.get("/cases/<int:case_id>")
def case(case_id: int):
    return case_page(case_or_404(case_id, *CASE_PAGE))


def _refused(case: Case, reason: str):
    """A change this case cannot take, explained (409): closed, joined to another case…"""
    return page(
        "case/_refused.html",
        case_wording.REFUSED_TITLE,
        status=409,
        case=case,
        victim=case.victim,
        sections=case_sections(case.id),
        reason=reason,
        **_words(),
    )


def _back_to_case(case: Case, **outcome):
    return redirect(url_for("staff.case", case_id=case.id, **outcome), code=303)


def _sign_in_url() -> str:
    return notification_content.sign_in_link(current_app.config["PUBLIC_BASE_URL"])


def _written_on(case_id: int, form_name: str):
    """A form's address opened as a page (a language toggle on an error, say): the form
    is on the case page."""
    case = case_or_404(case_id)
    return redirect(url_for("staff.case", case_id=case.id) + f"#{form_name}", code=303)


@bp.route("/cases/<int:case_id>/timeline/stage", methods=["GET", "POST"])
def case_add_stage(case_id: int):
    if request.method == "GET":
        return _written_on(case_id, "add-stage")
    case = case_or_404(case_id, *FOR_WRITING)
    if refused := timeline.writing_refused(case):
        return _refused(case, refused)
    form = StageForm(today=today(), prefix=STAGE_PREFIX)
    if not form.has_valid_key():
        abort(400)  # only a forged form has no one-time key
    if f"{STAGE_PREFIX}-wording" in request.form:
        # "Use the standard wording": the stage's words, in the victim's language, to edit.
        chosen = form.chosen_stage()
        if chosen is not None:
            form.summary.data = timeline.standard_wording(chosen, case.victim.language.value)
        return _page_with(case, stage_form=form, open_form="add-stage", focus_summary=True)
    if not form.validate():
        return _page_with(case, stage_form=form, open_form="add-stage")
    try:
        written = timeline.add_stage(
            db.session,
            case,
            timeline.StageEntry(
                stage=SentenceStage(form.stage.data),
                occurred_on=form.occurred_on,
                precision=form.entry_precision,
                summary=form.summary.data,
                internal_note=form.internal_note.data,
                submission_key=form.submission_key.data,
            ),
            actor(),
            _sign_in_url(),
        )
    except timeline.Refused as refusal:
        db.session.rollback()
        return _refused(case, refusal.reason)
    db.session.commit()
    return _back_to_case(case, added=written.event.id)


@bp.route("/cases/<int:case_id>/timeline/contact", methods=["GET", "POST"])
def case_record_contact(case_id: int):
    if request.method == "GET":
        return _written_on(case_id, "record-contact")
    case = case_or_404(case_id, *FOR_WRITING)
    if refused := timeline.writing_refused(case):
        return _refused(case, refused)
    form = ContactForm(today=today(), prefix=CONTACT_PREFIX, not_before=case.clock_started_on)
    if not form.has_valid_key():
        abort(400)
    if not form.validate():
        return _page_with(case, contact_form=form, open_form="record-contact")
    visible = form.visible.data == "yes"
    try:
        written = timeline.record_contact(
            db.session,
            case,
            timeline.ContactEntry(
                kind=form.kind_value,
                direction=ContactDirection(form.direction.data),
                occurred_on=form.occurred_on,
                visible_to_victim=visible,
                summary=form.summary.data,
                internal_note=form.internal_note.data,
                submission_key=form.submission_key.data,
            ),
            actor(),
        )
    except timeline.Refused as refusal:
        db.session.rollback()
        return _refused(case, refusal.reason)
    db.session.commit()
    return _back_to_case(case, added=written.event.id)


def _page_with(case: Case, **forms):
    """The case page again with the form sent (its errors, or the standard wording)."""
    loaded = case_or_404(case.id, *CASE_PAGE)
    return case_page(loaded, **forms)


def _entry(case: Case, event_id: int) -> TimelineEvent:
    """An entry of this case: another case's entry is not found, as if it did not exist."""
    event = db.session.scalar(
        select(TimelineEvent)
        .where(TimelineEvent.id == event_id, TimelineEvent.case_id == case.id)
        .options(joinedload(TimelineEvent.recorded_by))
    )
    if event is None:
        abort(404)
    return event


@bp.route("/cases/<int:case_id>/timeline/<int:event_id>/visibility", methods=["GET", "POST"])
def case_entry_visibility(case_id: int, event_id: int):
    """Hide an entry from the victim, or show it again: a page that asks first."""
    case = case_or_404(case_id, joinedload(Case.victim))
    event = _entry(case, event_id)
    form = VisibilityForm()
    if request.method == "POST" and form.validate():
        visible = form.visible.data == "yes"
        try:
            timeline.set_visibility(db.session, case, event, visible, actor())
        except timeline.Refused as refusal:
            db.session.rollback()
            return _refused(case, refusal.reason)
        db.session.commit()
        return _back_to_case(case, **{"shown" if visible else "hidden": event.id})
    hiding = event.visible_to_victim
    if request.method == "GET" or form.visible.data not in ("yes", "no"):
        form.visible.data = "no" if hiding else "yes"
    return page(
        "case/_visibility.html",
        case_wording.HIDE_TITLE if form.visible.data == "no" else case_wording.SHOW_TITLE,
        status=200,
        has_errors=bool(form.errors),
        back_url=url_for("staff.case", case_id=case.id) + f"#entry-{event.id}",
        case=case,
        victim=case.victim,
        sections=case_sections(case.id),
        event=event,
        form=form,
        refused=timeline.writing_refused(case),
        can_be_shown=timeline.can_be_shown(event),
        **_words(),
    )
