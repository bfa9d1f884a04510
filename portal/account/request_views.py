"""A victim's requests to their officer: licence conditions, a Victim Personal Statement,
the decision summary (portal.services.victim_requests; the rules in
portal.domain.requests).

Every page is about one of the signed-in session's own cases, found by its reference
among them (anything else is 404, as if it did not exist), and a request is found only on
that case. A request is written one page at a time, each saved on the server as the
victim goes; "Check your answers" sends it. Every form is a POST answered with a 303
(htmx swaps the next page in, and the address follows); a forged one is a 400, and a step
the request cannot take now is explained kindly (409). Nothing the victim wrote is ever in
an address or a title.
"""

from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask_babel import format_date

from portal.account import bp, permissions
from portal.account import request_wording as words
from portal.account.request_forms import PAGE_FORMS, SendForm, StartForm, form_for
from portal.account.sign_in_views import page
from portal.domain import requests as rules
from portal.extensions import db
from portal.language import choose_language
from portal.models import (
    ActorType,
    Case,
    Permission,
    RequestKind,
    RequestStatus,
    VictimRequest,
)
from portal.services import sign_in, victim_requests
from portal.services.messages import Actor
from portal.services.victim_requests import Refused

PREFIX = "/cases/<reference>/requests"


def _case(reference: str) -> Case:
    """The session's own case with this reference, if it may make requests on it; 404 for
    anything else (portal/account/permissions.py has answered 403 to someone acting for
    the victim who may not)."""
    found = next(
        (
            c
            for c in sign_in.cases_of(db.session, g.victim_session, Permission.REQUESTS)
            if c.reference == reference
        ),
        None,
    )
    if found is None:
        abort(404)
    return found


def _request(case: Case, request_id: int) -> VictimRequest:
    found = victim_requests.request_of(db.session, case, request_id, with_drafts=True)
    if found is None:
        abort(404)
    return found


def _actor(case: Case) -> Actor:
    return Actor(
        type=ActorType.VICTIM,
        id=case.victim_id,
        request_id=g.get("request_id"),
        representative_id=permissions.representative_id(),
    )


def _kind(slug: str) -> RequestKind:
    kind = rules.KIND_OF_SLUG.get(slug)
    if kind is None:
        abort(404)
    return kind


def _long_date(moment) -> str:
    return format_date(moment, format="long")


def _words() -> dict:
    return {
        "words": words,
        "rules": rules,
        "long_date": _long_date,
        "local_day": victim_requests.local_day,
        "page_language": choose_language(),
    }


def _refused(case: Case, reason: str, found: VictimRequest | None = None):
    """A step this request or case cannot take now, explained (409)."""
    return page(
        "requests/_refused.html",
        words.REFUSED_TITLE,
        status=409,
        case=case,
        found=found,
        reason=reason,
        back_url=url_for("account.requests", reference=case.reference),
        **_words(),
    )


def _to_request(case: Case, found: VictimRequest, **query):
    return redirect(
        url_for("account.request", reference=case.reference, request_id=found.id, **query),
        code=303,
    )


@bp.get(PREFIX)
def requests(reference: str):
    case = _case(reference)
    return page(
        "requests/_list.html",
        words.LIST_TITLE,
        push_url=True,
        case=case,
        found=victim_requests.requests_of(db.session, case, with_drafts=True),
        refused=victim_requests.victim_refused(case),
        kinds=list(RequestKind),
        back_url=url_for("account.home"),
        **_words(),
    )


@bp.route(f"{PREFIX}/new/<kind_slug>", methods=["GET", "POST"])
def request_start(reference: str, kind_slug: str):
    """What a kind of request is and how it is used, and a button that starts it (asks
    for the decision summary at once). A kind already in progress is carried on."""
    kind = _kind(kind_slug)
    case = _case(reference)
    if request.method == "POST":
        form = StartForm()
        if not form.validate() or not form.has_valid_key():
            abort(400)  # only a forged or expired form
        try:
            if kind == RequestKind.DECISION_SUMMARY:
                found, _ = victim_requests.ask_for_summary(
                    db.session, case, form.submission_key.data, _actor(case)
                )
            else:
                found, _ = victim_requests.start(
                    db.session, case, kind, form.submission_key.data, _actor(case)
                )
        except Refused as refusal:
            db.session.rollback()
            return _refused(case, refusal.reason)
        db.session.commit()
        if kind == RequestKind.DECISION_SUMMARY:
            return _to_request(case, found, done="sent")
        if found.status not in rules.VICTIM_MAY_EDIT:
            return _to_request(case, found)
        first = rules.QUESTIONS[kind][0].slug
        return redirect(
            url_for(
                "account.request_page", reference=case.reference, request_id=found.id, slug=first
            ),
            code=303,
        )
    return page(
        "requests/_start.html",
        words.START_TITLES[kind],
        push_url=True,
        case=case,
        kind=kind,
        form=StartForm.blank(),
        in_progress=victim_requests.open_request(db.session, case, kind),
        refused=victim_requests.victim_refused(case),
        back_url=url_for("account.requests", reference=case.reference),
        **_words(),
    )


def _page_back(case: Case, found: VictimRequest, slug: str, changing: bool) -> str:
    if changing:
        return url_for("account.request_check", reference=case.reference, request_id=found.id)
    before = rules.question_before(found.kind, slug)
    if before is None:
        return url_for(
            "account.request_start", reference=case.reference, kind_slug=rules.SLUGS[found.kind]
        )
    return url_for(
        "account.request_page", reference=case.reference, request_id=found.id, slug=before.slug
    )


@bp.route(f"{PREFIX}/<int:request_id>/<slug>", methods=["GET", "POST"])
def request_page(reference: str, request_id: int, slug: str):
    """One page of a request, saved on the server when the victim continues."""
    case = _case(reference)
    found = _request(case, request_id)
    question = rules.question(found.kind, slug)
    if question is None or slug not in PAGE_FORMS:
        abort(404)
    if found.status not in rules.VICTIM_MAY_EDIT:
        if request.method == "GET":
            return _to_request(case, found)
        return _refused(case, "not-editable", found)
    changing = request.values.get("change") == "1"
    if request.method == "POST":
        form = form_for(slug)
        if form.validate():
            try:
                victim_requests.save_answers(
                    db.session, case, found, slug, form.answers(), _actor(case)
                )
            except rules.BadAnswers:
                db.session.rollback()
                abort(400)
            except Refused as refusal:
                db.session.rollback()
                return _refused(case, refusal.reason, found)
            db.session.commit()
            after = None if changing else rules.question_after(found.kind, slug)
            if after is None:
                target = url_for(
                    "account.request_check", reference=case.reference, request_id=found.id
                )
            else:
                target = url_for(
                    "account.request_page",
                    reference=case.reference,
                    request_id=found.id,
                    slug=after.slug,
                )
            return redirect(target, code=303)
        if form.csrf_token.errors:
            abort(400)
    else:
        form = form_for(slug, found.answers or {})
    latest = _latest_words(found)
    return page(
        "requests/_page.html",
        words.PAGE_TITLES[slug],
        push_url=request.method == "GET",
        has_errors=bool(form.errors),
        case=case,
        found=found,
        slug=slug,
        form=form,
        page_template=f"account/requests/pages/{PAGE_FORMS[slug][1]}.html",
        changing=changing,
        returned_with=latest if found.status == RequestStatus.RETURNED else None,
        back_url=_page_back(case, found, slug, changing),
        **_words(),
    )


def _latest_words(found: VictimRequest):
    """The newest step on which the officer wrote to the victim, if any."""
    return next((step for step in reversed(found.steps) if step.message), None)


@bp.route(f"{PREFIX}/<int:request_id>/check", methods=["GET", "POST"])
def request_check(reference: str, request_id: int):
    """Check your answers, each with a Change link; "Send" sends it to the officer."""
    case = _case(reference)
    found = _request(case, request_id)
    if found.kind == RequestKind.DECISION_SUMMARY:
        abort(404)
    if found.status not in rules.VICTIM_MAY_EDIT and request.method == "GET":
        return _to_request(case, found)
    problem = missing = None
    if request.method == "POST":
        form = SendForm()
        if not form.validate() or not form.has_valid_key():
            abort(400)
        try:
            victim_requests.send(db.session, case, found, form.submission_key.data, _actor(case))
        except Refused as refusal:
            db.session.rollback()
            if refusal.reason != "not-ready":
                return _refused(case, refusal.reason, found)
            problem = (refusal.problem, refusal.page)
        else:
            db.session.commit()
            return _to_request(case, found, done="sent")
    else:
        form = SendForm.blank()
        missing = rules.not_ready(found.kind, found.answers or {})
    title = (
        words.CHECK_STATEMENT_TITLE
        if found.kind == RequestKind.PERSONAL_STATEMENT
        else words.CHECK_TITLE
    )
    return page(
        "requests/_check.html",
        title,
        push_url=request.method == "GET",
        has_errors=problem is not None,
        case=case,
        found=found,
        form=SendForm.blank() if problem else form,
        problem=problem,
        missing=missing,
        back_url=url_for(
            "account.request_page",
            reference=case.reference,
            request_id=found.id,
            slug=rules.QUESTIONS[found.kind][-1].slug,
        ),
        **_words(),
    )


@bp.get(f"{PREFIX}/<int:request_id>", endpoint="request")
def one_request(reference: str, request_id: int):
    """Where the request is, what it means, each step with its date, the officer's words
    and what the victim sent."""
    case = _case(reference)
    found = _request(case, request_id)
    return page(
        "requests/_request.html",
        words.KIND_NAMES[found.kind],
        push_url=True,
        case=case,
        found=found,
        just_sent=request.args.get("done") == "sent" and found.status == RequestStatus.SENT,
        back_url=url_for("account.requests", reference=case.reference),
        **_words(),
    )
