"""A victim changes how they are contacted, for one of their cases (one question a page,
from a summary with Change links): their contact details and which are safe, safe times
and voicemail, a name not to put on envelopes, the language we write in, access needs, and
how much they want to hear about this case.

A case is found only among the signed-in session's own cases (`own_case`); anything else
is 404. Every form posts to its own address and redirects (303) to the next page; htmx
swaps the next page in. A new email address or mobile number waits in this browser's
session (never on the record) until the code sent to it is entered. The rules are in
portal.services.contact_choices; the page a change lands on says what it did, and how it
was confirmed, once.
"""

from __future__ import annotations

import re
from datetime import time

from flask import abort, current_app, g, make_response, redirect, request, session, url_for
from flask_babel import format_date

from portal import requester
from portal.account import bp
from portal.account import preference_wording as words
from portal.account.preference_forms import (
    ACCESS_NEEDS,
    AccessNeedsForm,
    ConfirmForm,
    DetailForm,
    EnvelopeForm,
    LanguageForm,
    SafetyForm,
    TimesForm,
    UpdatesForm,
)
from portal.account.sign_in_views import CODE_NOT_ACCEPTED, SIGNED_OUT, TOKEN, code_limit
from portal.domain.contact_details import masked, readable
from portal.domain.contact_times import london_today
from portal.domain.participation import MAY_LEAVE, MAY_PAUSE, updates_paused
from portal.extensions import db, htmx, limiter
from portal.forms import CodeForm
from portal.language import choose_language
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    NotificationChannel,
    Permission,
    utcnow,
)
from portal.notifications.content import sign_in_link
from portal.notifications.outbox import CHANNEL_OF
from portal.questions import accessibility, language, phone_calls, updates
from portal.questions.contact import NOT_SAFE, SAFE
from portal.rendering import render_page
from portal.services import contact_choices, sign_in, victim_contacts
from portal.services.staff_changes import VictimActor

#: A new detail waiting for its code (or its check): {case, way, value, replaces}.
PENDING = "contact_pending"
#: What the last change did, for the contact preferences page once: {case, done, ...}.
NOTICE = "contact_notice"
#: A notice of a change that sends no confirmation at all.
QUIET = "none"
#: The notice's "told" when a victim who left the scheme changed something: nothing is sent.
OUT_OF_SCHEME = "left"
#: A case reference as the service makes them.
REFERENCE = re.compile(r"^[A-Z0-9-]{1,20}$")
WAYS = {channel.value: channel for channel in Channel}


# --- what every page here shares ------------------------------------------------------------


def own_case(reference: str) -> Case:
    """One of the signed-in session's own cases, by its reference; 404 for any other (and
    for a case it only acts for: portal/account/permissions.py has answered 403 first)."""
    if not REFERENCE.match(reference or ""):
        abort(404)
    case = next(
        (
            c
            for c in sign_in.cases_of(db.session, g.victim_session, Permission.OWN)
            if c.reference == reference
        ),
        None,
    )
    if case is None:
        abort(404)
    return case


def actor(case: Case) -> VictimActor:
    return VictimActor(
        victim_id=case.victim_id,
        request_id=g.get("request_id"),
        address=(request.remote_addr or "")[:45] or None,
    )


def sign_in_url() -> str:
    return sign_in_link(current_app.config["PUBLIC_BASE_URL"])


def hub_url(case: Case, anchor: str | None = None) -> str:
    return url_for("account.contact_preferences", reference=case.reference) + (
        f"#{anchor}" if anchor else ""
    )


def step(
    case: Case,
    partial: str,
    page_title,
    form=None,
    back_url=None,
    status=200,
    has_errors=None,
    **context,
):
    """One page of a change: its question, with a way back to the contact preferences."""
    if has_errors is None:
        has_errors = bool(form is not None and form.errors)
    return render_page(
        f"account/preferences/{partial}",
        status=status,
        page_title=page_title,
        push_url=request.method == "GET",
        case=case,
        form=form,
        back_url=back_url or hub_url(case),
        hub_url=hub_url(case),
        has_errors=has_errors,
        **context,
    )


def still_signed_in() -> bool:
    """Whether this browser's session still lives (a change to the detail it signed in with
    ends it)."""
    return sign_in.current_session(db.session, session.get(TOKEN)) is not None


def signed_out_now():
    """The detail this browser signed in with is no longer used: sign in again (a whole page
    with htmx too: the header changes)."""
    session.clear()
    session[SIGNED_OUT] = "contact-changed"
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url_for("sign_in.start")
        return response
    return redirect(url_for("sign_in.start"), code=303)


def done(case: Case, what: str, changed: contact_choices.Changed):
    """After a change is committed: say what it did at the top of the contact preferences
    page, once (or, when this browser's own detail stopped being used, sign in again)."""
    if changed.stopped_using and not still_signed_in():
        db.session.commit()
        return signed_out_now()
    if changed.changed:
        told = changed.told
        if told is not None:
            how = told.channel.value
        else:  # why not: they left the scheme, or no detail stayed safe
            how = OUT_OF_SCHEME if contact_choices.out_of_scheme(case.victim) else None
        session[NOTICE] = {
            "case": case.reference,
            "done": what,
            "told": how,
            "to": _masked_recipient(told) if told else None,
        }
    return redirect(hub_url(case), code=303)


def _masked_recipient(notification) -> str:
    shown = masked(CHANNEL_OF[notification.channel].value, notification.recipient)
    if notification.channel == NotificationChannel.LETTER:
        return shown.replace("•", "").strip()
    return shown


def take_notice(case: Case) -> dict | None:
    notice = session.get(NOTICE)
    if not isinstance(notice, dict) or notice.get("case") != case.reference:
        return None
    session.pop(NOTICE)
    if notice.get("done") not in words.DONE:
        return None
    heading = words.DONE[notice["done"]]
    if notice.get("told") in words.TOLD_BY:
        told = words.TOLD_BY[notice["told"]] % {"to": notice.get("to") or ""}
    elif notice.get("told") == QUIET:
        told = None  # a change that sends nothing (asking to come back)
    elif notice.get("told") == OUT_OF_SCHEME:
        told = words.NOT_TOLD_LEFT
    else:
        told = words.NOT_TOLD
    return {"heading": heading, "told": told, "done": notice["done"]}


def _detail(case: Case, detail_id: int) -> ContactPreference:
    detail = victim_contacts.detail_of(case, detail_id)
    if detail is None:
        abort(404)
    return detail


# --- the summary ------------------------------------------------------------------------------


def _times(details: list[ContactPreference]):
    timed = [p for p in details if p.channel in victim_contacts.TIMED]
    if not timed:
        return None
    first = timed[0]
    if first.safe_from is None or first.safe_until is None:
        return phone_calls.ANY_TIME
    return phone_calls.CALL_TIMES % {
        "start": first.safe_from.strftime("%H:%M"),
        "end": first.safe_until.strftime("%H:%M"),
    }


def _needs(case: Case) -> list:
    kept = [n.strip() for n in (case.victim.accessibility_needs or "").split(",") if n.strip()]
    found = []
    for need in kept:
        choice = next((c for c in accessibility.CHOICES if c.value == need), None)
        if choice is not None:
            found.append(str(choice.text))
    return found


def pause_words(case: Case) -> str | None:
    """How long this case's pause lasts, in a sentence (None when it is not paused)."""
    if not updates_paused(case.status, case.paused_until, london_today(utcnow())):
        return None
    if case.paused_until is not None:
        return words.PAUSED_UNTIL_DAY % {"date": format_date(case.paused_until, format="long")}
    if case.paused_until_stage is not None:
        return words.PAUSED_UNTIL_STAGE[case.paused_until_stage]
    return words.PAUSED_FOR_NOW


@bp.get("/cases/<reference>/contact")
def contact_preferences(reference: str):
    case = own_case(reference)
    details = victim_contacts.details_of(case)
    phones = [p for p in details if p.channel == Channel.PHONE]
    return render_page(
        "account/preferences/_summary.html",
        page_title=words.TITLES["preferences"],
        push_url=True,
        back_url=url_for("account.home"),
        case=case,
        victim=case.victim,
        details=details,
        readable=readable,
        words=words,
        safe_words={True: SAFE, False: NOT_SAFE},
        times=_times(details),
        voicemail=(
            phone_calls.VOICEMAIL_SUMMARY[any(p.voicemail_safe for p in phones)] if phones else None
        ),
        has_letter=any(p.channel == Channel.LETTER for p in details),
        language_words=language.QUESTION.label(case.victim.language.value),
        needs=_needs(case),
        other_need=case.victim.accessibility_other,
        updates_words=(
            updates.QUESTION.label(case.updates_wanted.value)
            if case.status in (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED)
            else None
        ),
        pause_words=pause_words(case),
        may_pause=case.status in MAY_PAUSE,
        may_leave=case.status in MAY_LEAVE,
        has_left=case.status == CaseStatus.CLOSED and case.left_at is not None,
        left_on=format_date(case.left_at, format="long") if case.left_at else None,
        asked_on=(
            format_date(case.come_back_asked_at, format="long") if case.come_back_asked_at else None
        ),
        notice=take_notice(case),
        can_remove=len(details) > 1,
    )


# --- a new or changed contact detail ------------------------------------------------------------


def _pending(case: Case) -> dict | None:
    pending = session.get(PENDING)
    if (
        isinstance(pending, dict)
        and pending.get("case") == case.reference
        and pending.get("way") in WAYS
        and isinstance(pending.get("value"), str)
    ):
        return pending
    return None


def _replaced(case: Case, pending: dict) -> ContactPreference | None:
    """The detail a pending change replaces (None: it adds one). A detail gone since (removed
    in another tab) makes the change stale: 404 is not kind, so the caller starts again."""
    if pending.get("replaces") is None:
        return None
    return victim_contacts.detail_of(case, pending["replaces"])


def _value_page(case: Case, way: str, replaces: ContactPreference | None):
    channel = WAYS[way]
    form = DetailForm(way=way)
    if form.validate_on_submit():
        value = form.value()
        if replaces is not None and value == replaces.value:
            _first_field(form, way).errors = [words.SAME_AS_BEFORE[channel]]
        elif contact_choices.holds(case.victim, channel, value):
            _first_field(form, way).errors = [words.ALREADY_GIVEN[channel]]
        else:
            session[PENDING] = {
                "case": case.reference,
                "way": way,
                "value": value,
                "replaces": replaces.id if replaces is not None else None,
            }
            return redirect(url_for("account.contact_check", reference=case.reference), code=303)
    title = words.TITLES[("change-" if replaces is not None else "add-") + way]
    return step(
        case,
        "_detail.html",
        title,
        form,
        way=way,
        replaces=replaces,
        readable=readable,
        action=request.path,
    )


def _first_field(form: DetailForm, way: str):
    return {
        "email": form.email,
        "sms": form.mobile,
        "phone": form.phone,
        "letter": form.address_line_1,
    }[way]


@bp.route("/cases/<reference>/contact/add/<way>", methods=["GET", "POST"])
def contact_add(reference: str, way: str):
    case = own_case(reference)
    if way not in WAYS:
        abort(404)
    return _value_page(case, way, None)


@bp.route("/cases/<reference>/contact/<int:detail_id>/change", methods=["GET", "POST"])
def contact_change(reference: str, detail_id: int):
    case = own_case(reference)
    detail = _detail(case, detail_id)
    return _value_page(case, detail.channel.value, detail)


def _apply(case: Case, pending: dict, proved: bool):
    """Add or put in place the pending detail (the caller commits)."""
    channel = WAYS[pending["way"]]
    old = _replaced(case, pending)
    if pending.get("replaces") is not None and old is None:
        return None, "added"
    if old is not None:
        changed = contact_choices.replace(
            db.session, case, actor(case), old, pending["value"], sign_in_url(), proved=proved
        )
        return changed, "replaced"
    changed = contact_choices.add(
        db.session, case, actor(case), channel, pending["value"], sign_in_url(), proved=proved
    )
    return changed, "added"


def _send_code(pending: dict) -> bool:
    """Send a code to the pending detail; False at a limit (the refusal is audited)."""
    try:
        contact_choices.send_code(
            db.session,
            NotificationChannel(pending["way"]),
            pending["value"],
            current_app.config["SECRET_KEY"],
            requester=requester.binding(),
            network=requester.network(),
            language=choose_language(),
        )
    except contact_choices.TooManyCodes:
        db.session.commit()  # the audit row of the refused request
        return False
    db.session.commit()
    return True


@bp.route("/cases/<reference>/contact/check", methods=["GET", "POST"])
@limiter.shared_limit(code_limit, scope="contact-codes", methods=["POST"])
def contact_check(reference: str):
    """Check a new detail; for an email address or mobile number, send it a code."""
    case = own_case(reference)
    pending = _pending(case)
    if pending is None:
        return redirect(hub_url(case), code=303)
    channel = WAYS[pending["way"]]
    old = _replaced(case, pending)
    if pending.get("replaces") is not None and old is None:
        session.pop(PENDING, None)
        return redirect(hub_url(case), code=303)
    form = ConfirmForm()
    refused = None
    if form.validate_on_submit():
        if channel in contact_choices.PROVED_BY_CODE:
            if _send_code(pending):
                return redirect(url_for("account.contact_code", reference=case.reference), code=303)
            refused = words.TOO_MANY_CODES
        else:
            try:
                changed, what = _apply(case, pending, proved=False)
            except contact_choices.DuplicateDetail:
                db.session.rollback()
                refused = words.ALREADY_GIVEN[channel]
            else:
                db.session.commit()
                session.pop(PENDING, None)
                if changed is None:
                    return redirect(hub_url(case), code=303)
                return done(case, what, changed)
    again = (
        url_for("account.contact_change", reference=case.reference, detail_id=old.id)
        if old is not None
        else url_for("account.contact_add", reference=case.reference, way=pending["way"])
    )
    return step(
        case,
        "_check.html",
        words.TITLES["check"],
        form,
        back_url=again,
        change_url=again,
        pending=pending,
        channel=channel,
        shown=readable(pending["way"], pending["value"]),
        detail_name=words.DETAIL_NAMES[channel],
        old=old,
        readable=readable,
        refused=refused,
        by_code=channel in contact_choices.PROVED_BY_CODE,
        has_errors=refused is not None,
        status=429 if refused == words.TOO_MANY_CODES else 200,
    )


@bp.route("/cases/<reference>/contact/security-code", methods=["GET", "POST"])
def contact_code(reference: str):
    """The code sent to a new email address or mobile number: right, it is added."""
    case = own_case(reference)
    pending = _pending(case)
    if pending is None or WAYS[pending["way"]] not in contact_choices.PROVED_BY_CODE:
        return redirect(hub_url(case), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        result = contact_choices.check_code(
            db.session,
            NotificationChannel(pending["way"]),
            pending["value"],
            form.code.data,
            current_app.config["SECRET_KEY"],
            requester=requester.binding(),
        )
        db.session.commit()  # the guess counts, right or wrong
        if result == contact_choices.CheckResult.VERIFIED:
            session.pop(PENDING, None)
            try:
                changed, what = _apply(case, pending, proved=True)
            except contact_choices.DuplicateDetail:
                db.session.rollback()  # added already (sent twice, or another tab)
                return redirect(hub_url(case), code=303)
            db.session.commit()
            if changed is None:
                return redirect(hub_url(case), code=303)
            return done(case, what, changed)
        form.code.errors = [CODE_NOT_ACCEPTED]
    return step(
        case,
        "_security_code.html",
        words.TITLES["security-code"],
        form,
        back_url=url_for("account.contact_check", reference=case.reference),
        destination=readable(pending["way"], pending["value"]),
        channel=pending["way"],
        minutes=int(contact_choices.CODE_LIFETIME.total_seconds() // 60),
        resent=request.args.get("sent") == "1",
        refused=request.args.get("refused") == "1",
    )


@bp.post("/cases/<reference>/contact/security-code/resend")
@limiter.shared_limit(code_limit, scope="contact-codes")
def contact_code_resend(reference: str):
    case = own_case(reference)
    pending = _pending(case)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if pending is None or WAYS[pending["way"]] not in contact_choices.PROVED_BY_CODE:
        return redirect(hub_url(case), code=303)
    sent = _send_code(pending)
    return redirect(
        url_for(
            "account.contact_code",
            reference=case.reference,
            **({"sent": 1} if sent else {"refused": 1}),
        ),
        code=303,
    )


# --- safe, not safe, removed ----------------------------------------------------------------


def _signed_in_with(detail: ContactPreference) -> bool:
    record = g.victim_session
    return (
        detail.channel in victim_contacts.SIGN_IN_CHANNELS
        and victim_contacts.SIGN_IN_CHANNELS[detail.channel] == record.channel
        and detail.value == record.destination
    )


def _left_after(case: Case, detail: ContactPreference) -> dict:
    """What would be left if `detail` stopped being used: another safe way to be told, and
    another safe, proved way to sign in."""
    others = [p for p in case.victim.contact_preferences if p is not detail and p.is_safe]
    return {
        "another_safe": any(p.channel != Channel.PHONE for p in others),
        "another_sign_in": any(
            p.channel in victim_contacts.SIGN_IN_CHANNELS and p.verified_at is not None
            for p in others
        ),
        "signed_in_with_it": _signed_in_with(detail),
    }


@bp.route("/cases/<reference>/contact/<int:detail_id>/safety", methods=["GET", "POST"])
def contact_safety(reference: str, detail_id: int):
    """Stop using a detail (not safe), or start again (safe): a page that asks first."""
    case = own_case(reference)
    detail = _detail(case, detail_id)
    form = SafetyForm()
    if form.validate_on_submit():
        safe = form.to.data == "safe"
        changed = contact_choices.set_safety(
            db.session, case, actor(case), detail, safe, sign_in_url()
        )
        db.session.commit()
        return done(case, "safe" if safe else "unsafe", changed)
    marking = "safe" if not detail.is_safe else "unsafe"
    return step(
        case,
        "_safety.html",
        words.TITLES[marking],
        form,
        detail=detail,
        marking=marking,
        shown=readable(detail.channel.value, detail.value),
        status=400 if form.errors else 200,
        **_left_after(case, detail),
    )


@bp.route("/cases/<reference>/contact/<int:detail_id>/remove", methods=["GET", "POST"])
def contact_remove(reference: str, detail_id: int):
    case = own_case(reference)
    detail = _detail(case, detail_id)
    form = ConfirmForm()
    refused = None
    if form.validate_on_submit():
        try:
            changed = contact_choices.remove(db.session, case, actor(case), detail, sign_in_url())
        except contact_choices.LastDetail:
            db.session.rollback()
            refused = words.KEEP_ONE
        else:
            db.session.commit()
            return done(case, "removed", changed)
    return step(
        case,
        "_remove.html",
        words.TITLES["remove"],
        form,
        detail=detail,
        shown=readable(detail.channel.value, detail.value),
        refused=refused,
        last=len(case.victim.contact_preferences) <= 1,
        has_errors=refused is not None,
        status=409 if refused else 200,
        **_left_after(case, detail),
    )


# --- safe times, envelopes, language, access needs, how much to hear ---------------------------


@bp.route("/cases/<reference>/contact/times", methods=["GET", "POST"])
def contact_times(reference: str):
    case = own_case(reference)
    details = victim_contacts.details_of(case)
    timed = [p for p in details if p.channel in victim_contacts.TIMED]
    phones = [p for p in details if p.channel == Channel.PHONE]
    if not timed:
        abort(404)
    if request.method == "GET":
        first = timed[0]
        between = first.safe_from is not None and first.safe_until is not None
        form = TimesForm(
            formdata=None,
            data={
                "when": "between" if between else "any-time",
                "safe_from": first.safe_from.strftime("%H:%M") if between else None,
                "safe_until": first.safe_until.strftime("%H:%M") if between else None,
                "voicemail": "yes" if any(p.voicemail_safe for p in phones) else "no",
            },
            with_voicemail=bool(phones),
        )
    else:
        form = TimesForm(with_voicemail=bool(phones))
    if form.validate_on_submit():
        safe_from, safe_until = form.times()
        changed = contact_choices.set_times(
            db.session,
            case,
            actor(case),
            sign_in_url(),
            safe_from=time.fromisoformat(safe_from) if safe_from else None,
            safe_until=time.fromisoformat(safe_until) if safe_until else None,
            voicemail_safe=form.voicemail_safe(),
        )
        db.session.commit()
        return done(case, "times", changed)
    return step(case, "_times.html", words.TITLES["times"], form, question=phone_calls.QUESTION)


def _one_question(case: Case, form, title, what: str, template: str, save, **context):
    if form.validate_on_submit():
        changed = save(form)
        db.session.commit()
        return done(case, what, changed)
    return step(case, "_question.html", title, form, fields=template, title=title, **context)


@bp.route("/cases/<reference>/contact/envelope", methods=["GET", "POST"])
def contact_envelope(reference: str):
    case = own_case(reference)
    form = (
        EnvelopeForm(
            formdata=None, data={"envelope_name_to_avoid": case.victim.envelope_name_to_avoid}
        )
        if request.method == "GET"
        else EnvelopeForm()
    )
    return _one_question(
        case,
        form,
        words.TITLES["envelope"],
        "envelope",
        "register/questions/letters.html",
        lambda f: contact_choices.set_envelope_name(
            db.session, case, actor(case), f.envelope_name_to_avoid.data, sign_in_url()
        ),
        check_url=None,
    )


@bp.route("/cases/<reference>/contact/language", methods=["GET", "POST"])
def contact_language(reference: str):
    case = own_case(reference)
    form = (
        LanguageForm(formdata=None, data={"language": case.victim.language.value})
        if request.method == "GET"
        else LanguageForm()
    )
    return _one_question(
        case,
        form,
        words.TITLES["language"],
        "language",
        "register/questions/_one_field.html",
        lambda f: contact_choices.set_language(
            db.session, case, actor(case), f.language.data, sign_in_url()
        ),
        question=language.QUESTION,
        check_url=None,
    )


@bp.route("/cases/<reference>/contact/access-needs", methods=["GET", "POST"])
def contact_access_needs(reference: str):
    case = own_case(reference)
    victim = case.victim
    form = (
        AccessNeedsForm(
            formdata=None,
            data=AccessNeedsForm.of(victim.accessibility_needs, victim.accessibility_other),
        )
        if request.method == "GET"
        else AccessNeedsForm()
    )
    return _one_question(
        case,
        form,
        words.TITLES["access-needs"],
        "access-needs",
        "account/preferences/_access_needs_fields.html",
        lambda f: contact_choices.set_access_needs(
            db.session, case, actor(case), f.needs(), f.accessibility_other.data, sign_in_url()
        ),
        question=accessibility.QUESTION,
        needs_choices=ACCESS_NEEDS,
    )


@bp.route("/cases/<reference>/updates", methods=["GET", "POST"])
def updates_wanted(reference: str):
    case = own_case(reference)
    if case.status not in (CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED):
        abort(404)
    form = (
        UpdatesForm(formdata=None, data={"updates_wanted": case.updates_wanted.value})
        if request.method == "GET"
        else UpdatesForm()
    )
    return _one_question(
        case,
        form,
        words.TITLES["updates"],
        "updates",
        "register/questions/_one_field.html",
        lambda f: contact_choices.set_updates_wanted(
            db.session, case, actor(case), f.updates_wanted.data, sign_in_url()
        ),
        question=updates.QUESTION,
        check_url=None,
    )
