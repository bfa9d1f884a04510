"""Someone to act for you: a victim names a representative (who they are, how they sign in,
what they may do, check your answers, the code the representative gives them), sees who
acts for them and what each may do, and stops one (a confirmation page first).

Only the victim themselves (portal/account/permissions.py: OWN): someone acting for them
gets 403. A case is found only among the session's own cases; the representative acts for
the case's victim, on each of their cases (portal.domain.representatives). What was typed
waits in this browser's session until the code is right; nothing is on record before. Every
form posts to its own address and redirects (303); htmx swaps the next page in. The rules
are in portal.services.representatives.
"""

from __future__ import annotations

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import format_date

from portal import requester
from portal.account import bp
from portal.account import representative_wording as words
from portal.account.preference_views import REFERENCE, _masked_recipient, sign_in_url
from portal.account.representative_forms import (
    AboutForm,
    ConfirmForm,
    ContactForm,
    PermissionsForm,
)
from portal.account.sign_in_views import CODE_NOT_ACCEPTED, code_limit
from portal.domain.contact_details import readable
from portal.domain.representatives import DELEGABLE, MOST_AT_ONCE, RELATIONS, chosen
from portal.extensions import db, limiter
from portal.forms import CodeForm
from portal.language import choose_language
from portal.models import Case, NotificationChannel, Permission, Relation, Representative
from portal.rendering import render_page
from portal.services import representatives, sign_in
from portal.services.staff_changes import VictimActor

#: A representative being named, until the code is right:
#: {case, full_name, relation, way, to, may: [permission values]}.
PENDING = "representative_pending"
#: What the last change did, for the list once: {case, done, representative, told, to}.
NOTICE = "representative_notice"
PREFIX = "/cases/<reference>/representatives"


# --- what every page here shares -------------------------------------------------------------


def own_case(reference: str) -> Case:
    """One of the session's own cases (never one it only acts for); 404 for any other."""
    if not REFERENCE.match(reference or ""):
        abort(404)
    case = sign_in.case_of(db.session, g.victim_session, reference, Permission.OWN)
    if case is None:
        abort(404)
    return case


def actor(case: Case) -> VictimActor:
    return VictimActor(
        victim_id=case.victim_id,
        request_id=g.get("request_id"),
        address=(request.remote_addr or "")[:45] or None,
    )


def list_url(case: Case) -> str:
    return url_for("account.representatives", reference=case.reference)


def _pending(case: Case) -> dict:
    pending = session.get(PENDING)
    if isinstance(pending, dict) and pending.get("case") == case.reference:
        return pending
    return {"case": case.reference}


def _keep(case: Case, **values) -> None:
    session[PENDING] = {**_pending(case), **values}


def _complete(pending: dict) -> bool:
    """Whether every page of a new representative has been answered (as the forms check)."""
    return (
        isinstance(pending.get("full_name"), str)
        and pending.get("relation") in {r.value for r in RELATIONS}
        and pending.get("way") in ("email", "sms")
        and isinstance(pending.get("to"), str)
        and bool(chosen(pending.get("may") or ()))
    )


def _new(pending: dict) -> representatives.NewRepresentative:
    return representatives.NewRepresentative(
        full_name=pending["full_name"],
        relation=Relation(pending["relation"]),
        channel=NotificationChannel(pending["way"]),
        destination=pending["to"],
        permissions=chosen(pending["may"]),
        language=choose_language(),
    )


def step(case: Case, partial: str, title, form=None, back_url=None, status=200, **context):
    """One page of naming or stopping a representative."""
    has_errors = context.pop("has_errors", None)
    if has_errors is None:
        has_errors = bool(form is not None and form.errors)
    return render_page(
        f"account/representatives/{partial}",
        status=status,
        page_title=title,
        push_url=request.method == "GET",
        case=case,
        form=form,
        back_url=back_url or list_url(case),
        list_url=list_url(case),
        has_errors=has_errors,
        words=words,
        **context,
    )


def _next(case: Case, endpoint: str):
    """After a page: the next one, or back to "Check your answers" when changing."""
    if request.args.get("change") == "1":
        endpoint = "account.representative_check"
    return redirect(url_for(endpoint, reference=case.reference), code=303)


def _action() -> str:
    """The page's own address, keeping ?change=1 (the form posts back to it)."""
    return request.full_path.rstrip("?")


# --- the list -----------------------------------------------------------------------------------


def _take_notice(case: Case) -> dict | None:
    notice = session.get(NOTICE)
    if not isinstance(notice, dict) or notice.get("case") != case.reference:
        return None
    session.pop(NOTICE)
    found = representatives.one_of(db.session, case.victim_id, notice.get("representative") or 0)
    if found is None or notice.get("done") not in ("added", "ended"):
        return None
    return {**notice, "name": found.full_name}


@bp.get(PREFIX, endpoint="representatives")
def representatives_list(reference: str):
    case = own_case(reference)
    everyone = representatives.of_victim(db.session, case.victim_id)
    live = [r for r in everyone if r.ended_at is None]
    return render_page(
        "account/representatives/_list.html",
        page_title=words.TITLES["list"],
        push_url=True,
        back_url=url_for("account.home"),
        case=case,
        live=live,
        ended=[r for r in everyone if r.ended_at is not None],
        may_add=len(live) < MOST_AT_ONCE,
        most=MOST_AT_ONCE,
        notice=_take_notice(case),
        other_cases=[
            c.reference
            for c in sign_in.cases_of(db.session, g.victim_session, Permission.OWN)
            if c.victim_id == case.victim_id and c.id != case.id
        ],
        words=words,
        readable=readable,
        delegable=DELEGABLE,
        long_date=lambda moment: format_date(moment, format="long"),
    )


# --- naming someone -----------------------------------------------------------------------------


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
def representative_new(reference: str):
    """Their name, and who they are to you."""
    case = own_case(reference)
    if request.method == "GET":
        if len(representatives.live_of(db.session, case.victim_id)) >= MOST_AT_ONCE:
            return redirect(list_url(case), code=303)
        pending = _pending(case)
        form = AboutForm(
            formdata=None,
            data={"full_name": pending.get("full_name"), "relation": pending.get("relation")},
        )
    else:
        form = AboutForm()
        if form.validate_on_submit():
            _keep(case, full_name=form.full_name.data, relation=form.relation.data)
            return _next(case, "account.representative_contact")
    return step(
        case,
        "_about.html",
        words.TITLES["about"],
        form,
        action=_action(),
        relations=[{"value": r.value, "text": words.RELATIONS[r]} for r in RELATIONS],
    )


@bp.route(f"{PREFIX}/new/contact", methods=["GET", "POST"])
def representative_contact(reference: str):
    """The email address or mobile number they will sign in with."""
    case = own_case(reference)
    pending = _pending(case)
    if "full_name" not in pending:
        return redirect(url_for("account.representative_new", reference=case.reference), 303)
    if request.method == "GET":
        shown = readable(pending["way"], pending["to"]) if pending.get("to") else None
        form = ContactForm(formdata=None, data={"contact": shown})
    else:
        form = ContactForm()
        if form.validate_on_submit():
            way, to = form.found()
            reason = representatives.refused(db.session, case, NotificationChannel(way), to)
            if reason in ("own-detail", "already"):
                form.contact.errors = [words.REFUSED[reason]]
            else:
                _keep(case, way=way, to=to)
                return _next(case, "account.representative_permissions")
    return step(
        case,
        "_contact.html",
        words.TITLES["contact"],
        form,
        back_url=url_for("account.representative_new", reference=case.reference),
        action=_action(),
        name=pending["full_name"],
    )


@bp.route(f"{PREFIX}/new/permissions", methods=["GET", "POST"])
def representative_permissions(reference: str):
    """What they may do for you."""
    case = own_case(reference)
    pending = _pending(case)
    if "to" not in pending:
        return redirect(url_for("account.representative_new", reference=case.reference), 303)
    if request.method == "GET":
        form = PermissionsForm(formdata=None, data={"may": pending.get("may") or []})
    else:
        form = PermissionsForm()
        if form.validate_on_submit():
            _keep(case, may=[p.value for p in DELEGABLE if p.value in form.may.data])
            return redirect(
                url_for("account.representative_check", reference=case.reference), code=303
            )
    return step(
        case,
        "_permissions.html",
        words.TITLES["permissions"],
        form,
        back_url=url_for("account.representative_contact", reference=case.reference),
        action=_action(),
        name=pending["full_name"],
        choices=[{"value": p.value, "text": words.PERMISSIONS[p]} for p in DELEGABLE],
    )


def _send_code(case: Case, pending: dict) -> str | None:
    """Send the code to the pending detail; None when sent, else why not (a reason of
    representatives.Refused, or "too-many-codes")."""
    try:
        representatives.send_code(
            db.session,
            case,
            NotificationChannel(pending["way"]),
            pending["to"],
            current_app.config["SECRET_KEY"],
            requester=requester.binding(),
            network=requester.network(),
            language=choose_language(),
        )
    except representatives.Refused as refusal:
        db.session.rollback()
        return refusal.reason
    except representatives.TooManyCodes:
        db.session.commit()  # the audit row of the refused request
        return "too-many-codes"
    db.session.commit()
    return None


def _problem(case: Case, reason: str) -> dict:
    """A refusal as the error summary shows it: the words and the page that fixes it."""
    if reason == "too-many-codes":
        return {"text": words.TOO_MANY_CODES, "href": "#check-answers"}
    if reason == "too-many":
        return {"text": words.REFUSED[reason], "href": list_url(case)}
    return {
        "text": words.REFUSED[reason],
        "href": url_for("account.representative_contact", reference=case.reference, change=1),
    }


@bp.route(f"{PREFIX}/new/check", methods=["GET", "POST"])
@limiter.shared_limit(code_limit, scope="representative-codes", methods=["POST"])
def representative_check(reference: str):
    """Check your answers; "Send the code" sends the code that proves their detail."""
    case = own_case(reference)
    pending = _pending(case)
    if not _complete(pending):
        return redirect(url_for("account.representative_new", reference=case.reference), 303)
    form = ConfirmForm()
    problem = None
    if request.method == "POST":
        if not form.validate():
            abort(400)  # only a forged or expired form
        reason = _send_code(case, pending)
        if reason is None:
            return redirect(
                url_for("account.representative_code", reference=case.reference), code=303
            )
        problem = _problem(case, reason)
    return step(
        case,
        "_check.html",
        words.TITLES["check"],
        form,
        back_url=url_for("account.representative_permissions", reference=case.reference),
        pending=pending,
        relation_words=words.RELATIONS[Relation(pending["relation"])],
        shown=readable(pending["way"], pending["to"]),
        given=[words.PERMISSIONS[p] for p in DELEGABLE if p in chosen(pending["may"])],
        problem=problem,
        has_errors=problem is not None,
        status=(429 if problem["text"] == words.TOO_MANY_CODES else 409) if problem else 200,
    )


@bp.route(f"{PREFIX}/new/security-code", methods=["GET", "POST"])
def representative_code(reference: str):
    """The code the representative was sent, as they read it to the victim: right, and they
    can act for the victim."""
    case = own_case(reference)
    pending = _pending(case)
    if not _complete(pending):
        return redirect(url_for("account.representative_new", reference=case.reference), 303)
    form = CodeForm()
    problem = None
    if form.validate_on_submit():
        result = representatives.check_code(
            db.session,
            NotificationChannel(pending["way"]),
            pending["to"],
            form.code.data,
            current_app.config["SECRET_KEY"],
            requester=requester.binding(),
        )
        db.session.commit()  # the guess counts, right or wrong
        if result == representatives.CheckResult.VERIFIED:
            try:
                added = representatives.add(
                    db.session, case, actor(case), _new(pending), sign_in_url(), proved=True
                )
            except representatives.Refused as refusal:
                db.session.rollback()  # named already (sent twice, or another tab), or full
                problem = _problem(case, refusal.reason)
            else:
                db.session.commit()
                session.pop(PENDING, None)
                session[NOTICE] = {
                    "case": case.reference,
                    "done": "added",
                    "representative": added.representative.id,
                    "way": added.representative.channel.value,
                    "told": added.told.channel.value if added.told else None,
                    "to": _masked_recipient(added.told) if added.told else None,
                }
                return redirect(list_url(case), code=303)
        else:
            form.code.errors = [CODE_NOT_ACCEPTED]
    return step(
        case,
        "_security_code.html",
        words.TITLES["security-code"],
        form,
        back_url=url_for("account.representative_check", reference=case.reference),
        destination=readable(pending["way"], pending["to"]),
        channel=pending["way"],
        name=pending["full_name"],
        minutes=int(representatives.CODE_LIFETIME.total_seconds() // 60),
        resent=request.args.get("sent") == "1",
        refused=request.args.get("refused") == "1",
        problem=problem,
        has_errors=bool(form.errors) or problem is not None,
        status=409 if problem else 200,
    )


@bp.post(f"{PREFIX}/new/security-code/resend")
@limiter.shared_limit(code_limit, scope="representative-codes")
def representative_code_resend(reference: str):
    case = own_case(reference)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    pending = _pending(case)
    if not _complete(pending):
        return redirect(url_for("account.representative_new", reference=case.reference), 303)
    reason = _send_code(case, pending)
    if reason not in (None, "too-many-codes"):
        return redirect(url_for("account.representative_check", reference=case.reference), 303)
    return redirect(
        url_for(
            "account.representative_code",
            reference=case.reference,
            **({"sent": 1} if reason is None else {"refused": 1}),
        ),
        code=303,
    )


# --- stopping someone ---------------------------------------------------------------------------


def _representative(case: Case, representative_id: int) -> Representative:
    found = representatives.one_of(db.session, case.victim_id, representative_id)
    if found is None:
        abort(404)
    return found


@bp.route(f"{PREFIX}/<int:representative_id>/end", methods=["GET", "POST"])
def representative_end(reference: str, representative_id: int):
    """Stop someone acting for you: asked first; their sessions end at once."""
    case = own_case(reference)
    found = _representative(case, representative_id)
    if found.ended_at is not None:
        return redirect(list_url(case), code=303)
    form = ConfirmForm()
    if form.validate_on_submit():
        done = representatives.end(db.session, case, found, actor(case))
        db.session.commit()
        if done.changed:
            session[NOTICE] = {
                "case": case.reference,
                "done": "ended",
                "representative": found.id,
                "sessions": done.sessions_ended,
            }
        return redirect(list_url(case), code=303)
    if request.method == "POST":
        abort(400)  # only a forged or expired form
    return step(
        case,
        "_end.html",
        words.TITLES["end"],
        form,
        found=found,
        shown=readable(found.channel.value, found.destination),
    )
