"""A victim pauses updates on one of their cases (until a date, or until a stage of the
sentence), starts them again, leaves the scheme, or asks to come back. Each page says
plainly what the choice means before anything changes; each change lands on the contact
preferences page, which says what it did. The rules are in portal.services.participation.
"""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, request, session, url_for
from flask_babel import format_date

from portal.account import bp
from portal.account import preference_wording as words
from portal.account.preference_forms import ConfirmForm, PauseDayForm, PauseForm
from portal.account.preference_views import (
    NOTICE,
    QUIET,
    actor,
    done,
    hub_url,
    own_case,
    sign_in_url,
    step,
)
from portal.domain.contact_times import london_today
from portal.domain.participation import (
    MAY_LEAVE,
    MAY_PAUSE,
    PAUSE_AT_MOST_YEARS,
    stages_to_pause_until,
)
from portal.extensions import db
from portal.models import Case, CaseStatus, SentenceStage, utcnow
from portal.services import contact_choices, participation

#: A pause chosen and not yet confirmed: {case, until: "day" | a stage, day: ISO date}.
PENDING_PAUSE = "pause_pending"


def _today() -> date:
    return london_today(utcnow())


def _as_changed(result: participation.Done) -> contact_choices.Changed:
    return contact_choices.Changed(result.changed, result.told)


def _pending_pause(case: Case) -> tuple[date | None, SentenceStage | None] | None:
    pending = session.get(PENDING_PAUSE)
    if not isinstance(pending, dict) or pending.get("case") != case.reference:
        return None
    offered = stages_to_pause_until(case.stage)
    if pending.get("until") == "day":
        try:
            return date.fromisoformat(str(pending.get("day"))), None
        except ValueError:
            return None
    stage = next((s for s in offered if s.value == pending.get("until")), None)
    return (None, stage) if stage is not None else None


def _pause_words(until: date | None, stage: SentenceStage | None) -> str:
    if until is not None:
        return words.PAUSED_UNTIL_DAY % {"date": format_date(until, format="long")}
    return words.PAUSED_UNTIL_STAGE[stage]


@bp.route("/cases/<reference>/pause", methods=["GET", "POST"])
def pause(reference: str):
    """How long to pause updates for: until a date (asked on the next page), or a stage."""
    case = own_case(reference)
    if case.status not in MAY_PAUSE:
        abort(404)
    stages = stages_to_pause_until(case.stage)
    form = PauseForm(stages=stages)
    if request.method == "GET":
        pending = session.get(PENDING_PAUSE)
        if isinstance(pending, dict) and pending.get("case") == case.reference:
            form.until.data = pending.get("until")
        elif case.status == CaseStatus.PAUSED:
            form.until.data = (
                "day" if case.paused_until else getattr(case.paused_until_stage, "value", None)
            )
    elif form.validate_on_submit():
        stage = form.stage()
        kept = session.get(PENDING_PAUSE)
        day = kept.get("day") if isinstance(kept, dict) and kept.get("case") == reference else None
        session[PENDING_PAUSE] = {
            "case": case.reference,
            "until": form.until.data,
            "day": day if stage is None else None,
        }
        after = "account.pause_date" if stage is None else "account.pause_check"
        return redirect(url_for(after, reference=case.reference), code=303)
    return step(
        case,
        "_pause.html",
        words.TITLES["pause"],
        form,
        stages=stages,
        stage_words=words.PAUSED_UNTIL_STAGE,
    )


@bp.route("/cases/<reference>/pause/date", methods=["GET", "POST"])
def pause_date(reference: str):
    """The date a pause until a date ends."""
    case = own_case(reference)
    if case.status not in MAY_PAUSE:
        abort(404)
    pending = session.get(PENDING_PAUSE)
    if not isinstance(pending, dict) or pending.get("case") != case.reference:
        return redirect(url_for("account.pause", reference=case.reference), code=303)
    form = PauseDayForm(today=_today())
    if request.method == "GET":
        try:
            shown = date.fromisoformat(str(pending.get("day")))
        except ValueError:
            shown = case.paused_until
        if shown is not None:
            form.day.data, form.month.data, form.year.data = (
                str(shown.day),
                str(shown.month),
                str(shown.year),
            )
    elif form.validate_on_submit():
        session[PENDING_PAUSE] = {
            "case": case.reference,
            "until": "day",
            "day": form.chosen().isoformat(),
        }
        return redirect(url_for("account.pause_check", reference=case.reference), code=303)
    return step(
        case,
        "_pause_date.html",
        words.TITLES["pause-date"],
        form,
        back_url=url_for("account.pause", reference=case.reference),
        years=PAUSE_AT_MOST_YEARS,
        errors=form.error_list(),
        has_errors=bool(form.errors) or bool(form.date_error),
    )


@bp.route("/cases/<reference>/pause/check", methods=["GET", "POST"])
def pause_check(reference: str):
    case = own_case(reference)
    if case.status not in MAY_PAUSE:
        abort(404)
    chosen = _pending_pause(case)
    if chosen is None:
        return redirect(url_for("account.pause", reference=case.reference), code=303)
    until, stage = chosen
    change_url = url_for(
        "account.pause_date" if until is not None else "account.pause", reference=case.reference
    )
    form = ConfirmForm()
    refused = None
    if form.validate_on_submit():
        try:
            result = participation.pause(
                db.session, case, actor(case), sign_in_url(), until=until, until_stage=stage
            )
        except participation.Refused as refusal:
            db.session.rollback()
            refused = words.PAUSE_REFUSED[refusal.reason]
        else:
            db.session.commit()
            session.pop(PENDING_PAUSE, None)
            return done(case, "paused", _as_changed(result))
    return step(
        case,
        "_pause_check.html",
        words.TITLES["pause-check"],
        form,
        back_url=change_url,
        change_url=change_url,
        chosen_words=_pause_words(until, stage),
        day_words=format_date(until, format="long") if until else None,
        until=until,
        stage=stage,
        refused=refused,
        has_errors=refused is not None,
        status=409 if refused else 200,
    )


@bp.route("/cases/<reference>/pause/end", methods=["GET", "POST"])
def pause_end(reference: str):
    """Start updates again on a paused case."""
    case = own_case(reference)
    if case.status != CaseStatus.PAUSED:
        return redirect(hub_url(case, "updates"), code=303)
    form = ConfirmForm()
    if form.validate_on_submit():
        result = participation.resume(db.session, case, actor(case), sign_in_url())
        db.session.commit()
        return done(case, "resumed", _as_changed(result))
    return step(case, "_pause_end.html", words.TITLES["pause-end"], form)


@bp.route("/cases/<reference>/leave", methods=["GET", "POST"])
def leave(reference: str):
    case = own_case(reference)
    if case.status not in MAY_LEAVE:
        return redirect(hub_url(case, "updates"), code=303)
    form = ConfirmForm()
    if form.validate_on_submit():
        result = participation.leave(db.session, case, actor(case), sign_in_url())
        db.session.commit()
        return done(case, "left", _as_changed(result))
    return step(
        case,
        "_leave.html",
        words.TITLES["leave"],
        form,
        may_pause=case.status in MAY_PAUSE,
    )


@bp.route("/cases/<reference>/come-back", methods=["GET", "POST"])
def come_back(reference: str):
    """A victim who left asks to come back: their officer sees the request on the case."""
    case = own_case(reference)
    if not participation.has_left(case):
        return redirect(hub_url(case, "updates"), code=303)
    form = ConfirmForm()
    if form.validate_on_submit():
        result = participation.ask_to_come_back(db.session, case, actor(case))
        db.session.commit()
        if result.changed:
            session[NOTICE] = {"case": case.reference, "done": "come-back", "told": QUIET}
        return redirect(hub_url(case, "updates"), code=303)
    return step(
        case,
        "_come_back.html",
        words.TITLES["come-back"],
        form,
        asked_on=(
            format_date(case.come_back_asked_at, format="long") if case.come_back_asked_at else None
        ),
    )
