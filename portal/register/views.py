"""Registering for the scheme: question pages, check answers, the security code, submit.

The session holds only the draft's id; the answers are on the server (saved
as you go). Every form posts to its own URL and redirects (303) to the next
page, so the journey works without JavaScript; with htmx, the next page is
swapped in and the URL follows.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from flask import abort, current_app, redirect, request, session, url_for
from flask_babel import force_locale, format_date

from portal import questions, requester
from portal.domain import registration_flow as flow
from portal.domain.case_timeline import contact_due
from portal.domain.contact_details import CODE_WAYS, email_or_mobile
from portal.domain.contact_times import london_today
from portal.extensions import db, limiter
from portal.forms import CodeForm
from portal.language import LOCALES, choose_language
from portal.models import NotificationChannel, utcnow
from portal.notifications import content as notification_content
from portal.questions import BY_SLUG, FLOW
from portal.register import bp, wording
from portal.register.forms import ChooseContactForm, DeclarationForm, ResumeForm
from portal.rendering import render_page
from portal.services import drafts, registration, verification
from portal.session_keys import ELIGIBILITY_ANSWERS

DRAFT = "registration_draft"
#: The random token that shows this browser holds the draft (portal.services.drafts.hold).
DRAFT_HOLDER = "registration_draft_holder"
DONE = "registration_done"
RESUMING = "registration_resuming"


def code_limit() -> str:
    """Per network address: codes and links cost money and could be used to pester someone."""
    return current_app.config["REGISTRATION_CODE_LIMIT"]


def _draft():
    return drafts.live_draft(db.session, session.get(DRAFT), session.get(DRAFT_HOLDER))


def _today():
    return london_today(utcnow())


def _keep_until(draft) -> str:
    return format_date(draft.expires_at.date(), format="long")


def _where_next(slug: str, draft, changing: bool) -> str:
    if changing:
        missing = FLOW.first_unanswered(draft.answers)
        if missing is None:
            return url_for("register.check_answers")
        return url_for("register.question", slug=missing, change=1)
    after = FLOW.next_after(slug, draft.answers)
    if after is None:
        return url_for("register.check_answers")
    return url_for("register.question", slug=after)


def _back_url(slug: str, draft, changing: bool) -> str:
    if changing:
        return url_for("register.check_answers")
    before = FLOW.previous_before(slug, draft.answers)
    if before is None:
        return url_for("register.start")
    return url_for("register.question", slug=before)


def _lost():
    """No draft in this browser (never started, expired, or already sent)."""
    sent = registration.submitted_case(db.session, session.get(DRAFT), session.get(DRAFT_HOLDER))
    if sent is not None:
        # A second click, or Back and send again, with the cookie from before the first.
        session[DONE] = {"reference": sent.reference, "on": _today().isoformat()}
        session.pop(DRAFT, None)
        session.pop(DRAFT_HOLDER, None)
    if session.get(DONE):
        return redirect(url_for("register.confirmation"), code=303)
    return redirect(url_for("register.start", expired=1), code=303)


def _page(partial: str, title, **context):
    """A registration page whose `partial` htmx can swap in alone."""
    return render_page(f"register/{partial}", page_title=title, **context)


# --- start ---------------------------------------------------------------------------------


@bp.get("")
def start():
    draft = _draft()
    return render_page(
        "register/start.html",
        draft=draft,
        expired=request.args.get("expired") == "1" and draft is None,
        lifetime_days=drafts.DRAFT_LIFETIME.days,
    )


@bp.post("/start")
def begin():
    """Start a registration (with what the eligibility checker asked), or carry on this one."""
    draft = _draft()
    if draft is not None:
        return _carry_on(draft)
    checker = session.get(ELIGIBILITY_ANSWERS)
    checker = checker if isinstance(checker, dict) else {}
    draft = drafts.start_draft(
        db.session, choose_language(), flow.answers_from_eligibility(checker)
    )
    holder = drafts.hold(draft)
    db.session.commit()
    session[DRAFT] = draft.id
    session[DRAFT_HOLDER] = holder
    session.pop(DONE, None)
    # Answers carried in from the checker are shown on their pages to confirm.
    return redirect(url_for("register.question", slug="who"), code=303)


# --- the questions -------------------------------------------------------------------------


def _render_question(slug: str, draft, form, changing: bool, status: int = 200):
    question = BY_SLUG[slug]
    title = question.title_for(draft.answers)
    extra = question.page_context(draft.answers, request.args, choose_language())
    return render_page(
        "register/_question.html",
        status=status,
        # A live court search changes only the results, not the page in history.
        push_url=request.method == "GET" and "q" not in request.args,
        page_title=title,
        question=question,
        title=title,
        form=form,
        answers=draft.answers,
        changing=changing,
        back_url=_back_url(slug, draft, changing),
        action=url_for("register.question", slug=slug, change=1 if changing else None),
        check_url=url_for("register.check_field", slug=slug),
        has_errors=bool(form.errors) or bool(extra.get("summary_form")),
        **extra,
    )


@bp.route("/<slug>", methods=["GET", "POST"])
def question(slug: str):
    if slug not in FLOW:
        abort(404)
    draft = _draft()
    if draft is None:
        return _lost()
    if not FLOW.can_ask(slug, draft.answers):
        missing = FLOW.first_unanswered(draft.answers)
        target = (
            url_for("register.question", slug=missing)
            if missing
            else url_for("register.check_answers")
        )
        return redirect(target, code=303)
    changing = request.args.get("change") == "1"
    if request.method == "GET":
        return _render_question(
            slug, draft, BY_SLUG[slug].form_for(draft.answers, _today()), changing
        )
    form = BY_SLUG[slug].form_for(draft.answers, _today(), request.form)
    if not form.validate_on_submit():
        return _render_question(slug, draft, form, changing)
    drafts.save_page(db.session, draft, form.answers(draft.answers), FLOW)
    db.session.commit()
    return redirect(_where_next(slug, draft, changing), code=303)


@bp.post("/<slug>/check")
def check_field(slug: str):
    """Inline validation for htmx: the page with only the field that lost focus checked.

    The browser keeps just that field's form group from the response. Nothing is saved.
    """
    if slug not in FLOW:
        abort(404)
    draft = _draft()
    if draft is None or not FLOW.can_ask(slug, draft.answers):
        abort(409)
    form = BY_SLUG[slug].form_for(draft.answers, _today(), request.form)
    form.validate_on_submit()
    form.errors_only_for(request.args.get("field", ""), request.form)
    return _render_question(slug, draft, form, changing=False)


# --- check answers -------------------------------------------------------------------------


@bp.route("/check-answers", methods=["GET", "POST"])
def check_answers():
    draft = _draft()
    if draft is None:
        return _lost()
    missing = FLOW.first_unanswered(draft.answers)
    if missing:
        return redirect(url_for("register.question", slug=missing), code=303)
    if request.method == "POST":
        # Nothing to save: the answers are saved already. The code comes next.
        return redirect(url_for("register.verify"), code=303)
    return _page(
        "_check_answers.html",
        wording.PAGE_TITLES["check-answers"],
        push_url=True,
        sections=questions.summary(draft.answers, choose_language()),
        back_url=url_for("register.question", slug=FLOW.applicable(draft.answers)[-1].slug),
    )


# --- proving the contact detail -------------------------------------------------------------


@bp.route("/verify", methods=["GET", "POST"])
@limiter.shared_limit(code_limit, scope="registration-codes", methods=["POST"])
def verify():
    draft = _draft()
    if draft is None:
        return _lost()
    if FLOW.first_unanswered(draft.answers):
        return redirect(url_for("register.check_answers"), code=303)
    offered = flow.verifiable_contacts(draft.answers)
    if draft.verified_value and draft.verified_value in offered.values():
        return redirect(url_for("register.declaration"), code=303)
    form = ChooseContactForm()
    if len(offered) == 1 and request.method == "GET":
        form.way.data = next(iter(offered))
    if form.validate_on_submit():
        if form.way.data not in offered:
            form.way.errors = [wording.CHOOSE_WHERE]
        else:
            try:
                verification.send_code(
                    db.session,
                    draft,
                    NotificationChannel(form.way.data),
                    offered[form.way.data],
                    current_app.config["SECRET_KEY"],
                    network=requester.network(),
                )
            except verification.TooManyCodes:
                db.session.commit()  # the audit row of the refused request
                form.way.errors = [wording.TOO_MANY_CODES]
            else:
                db.session.commit()
                return redirect(url_for("register.security_code"), code=303)
    return _page(
        "_verify.html",
        wording.PAGE_TITLES["verify" if offered else "verify-none"],
        push_url=request.method == "GET",
        form=form,
        offered=offered,
        way_labels={way: wording.way_label(way) for way in offered},
        back_url=url_for("register.check_answers"),
        has_errors=bool(form.errors),
    )


def _code_page(form, destination: str, channel: str, *, resuming: bool = False, **context):
    """Enter the security code: for a registration, or to sign in to carry one on."""
    return _page(
        "_security_code.html",
        wording.PAGE_TITLES["security-code"],
        form=form,
        destination=destination,
        channel=channel,
        action=url_for("register.resume_code" if resuming else "register.security_code"),
        resend_url=None if resuming else url_for("register.resend_code"),
        back_url=url_for("register.resume" if resuming else "register.verify"),
        minutes=int(verification.CODE_LIFETIME.total_seconds() // 60),
        has_errors=bool(form.errors),
        **{"resent": False, "push_url": False, **context},
    )


@bp.route("/security-code", methods=["GET", "POST"])
def security_code():
    draft = _draft()
    if draft is None:
        return _lost()
    latest = verification.latest_code(db.session, draft)
    if latest is None or latest.destination not in flow.verifiable_contacts(draft.answers).values():
        # No code, or one sent to a detail since changed or marked not safe.
        return redirect(url_for("register.verify"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        result = verification.check_code(
            db.session, draft, form.code.data, current_app.config["SECRET_KEY"]
        )
        db.session.commit()  # the attempt counts, right or wrong
        if result == verification.CheckResult.VERIFIED:
            return redirect(url_for("register.declaration"), code=303)
        form.code.errors = [wording.CODE_RESULTS[result]]
    return _code_page(
        form,
        latest.destination,
        latest.channel.value,
        push_url=request.method == "GET",
        resent=request.args.get("sent") == "1",
    )


@bp.post("/security-code/resend")
@limiter.shared_limit(code_limit, scope="registration-codes")
def resend_code():
    draft = _draft()
    if draft is None:
        return _lost()
    latest = verification.latest_code(db.session, draft)
    if latest is None:
        return redirect(url_for("register.verify"), code=303)
    try:
        verification.send_code(
            db.session,
            draft,
            latest.channel,
            latest.destination,
            current_app.config["SECRET_KEY"],
            network=requester.network(),
        )
    except verification.TooManyCodes:
        db.session.commit()  # the audit row of the refused request
        form = CodeForm(formdata=None)
        form.code.errors = [wording.TOO_MANY_CODES]
        return _code_page(form, latest.destination, latest.channel.value, status=429)
    db.session.commit()
    return redirect(url_for("register.security_code", sent=1), code=303)


# --- declaration, submit, confirmation ------------------------------------------------------


@bp.route("/declaration", methods=["GET", "POST"])
def declaration():
    draft = _draft()
    if draft is None:
        return _lost()
    if FLOW.first_unanswered(draft.answers):
        return redirect(url_for("register.check_answers"), code=303)
    if draft.verified_value not in flow.verifiable_contacts(draft.answers).values():
        return redirect(url_for("register.verify"), code=303)
    form = DeclarationForm()
    if form.validate_on_submit():
        submitted = registration.submit(db.session, draft)
        db.session.commit()
        session[DONE] = {"reference": submitted.case.reference, "on": _today().isoformat()}
        session.pop(DRAFT, None)
        session.pop(DRAFT_HOLDER, None)
        return redirect(url_for("register.confirmation"), code=303)
    return _page(
        "_declaration.html",
        wording.PAGE_TITLES["declaration"],
        push_url=request.method == "GET",
        form=form,
        supporter=draft.answers.get("registering_as") == "supporter",
        back_url=url_for("register.check_answers"),
        has_errors=bool(form.errors),
    )


@bp.get("/confirmation")
def confirmation():
    done = session.get(DONE)
    if not isinstance(done, dict) or "reference" not in done:
        return redirect(url_for("register.start"), code=303)
    by = contact_due(date.fromisoformat(done["on"]))
    return _page(
        "_confirmation.html",
        wording.PAGE_TITLES["confirmation"],
        push_url=True,
        reference=done["reference"],
        contact_by=format_date(by, format="long"),
    )


# --- save and come back ---------------------------------------------------------------------


@bp.route("/save", methods=["GET", "POST"])
@limiter.shared_limit(code_limit, scope="registration-codes", methods=["POST"])
def save():
    draft = _draft()
    if draft is None:
        return _lost()
    email = drafts.link_address(draft)
    can_email = email is not None
    refused = False
    if request.method == "POST" and can_email:
        language = draft.answers.get("language") or draft.language.value
        with force_locale(LOCALES[language]):
            date_in_language = _keep_until(draft)
        base = current_app.config["PUBLIC_BASE_URL"]
        try:
            drafts.send_resume_link(
                db.session,
                draft,
                current_app.config["SECRET_KEY"],
                network=requester.network(),
                link_for=lambda secret: notification_content.resume_link(base, secret),
                keep_until=date_in_language,
            )
        except verification.TooManyCodes:
            refused = True
        db.session.commit()  # the link, or the audit row of a refused request
        if not refused:
            return redirect(url_for("register.save", sent=1), code=303)
    return render_page(
        "register/save.html",
        status=429 if refused else 200,
        link_hours=drafts.LINK_HOURS,
        refused=refused,
        has_errors=refused,
        keep_until=_keep_until(draft),
        can_email=can_email,
        email=email,
        verified=draft.verified_value,
        sent=request.args.get("sent") == "1" and can_email,
        carry_on=url_for("register.question", slug=FLOW.first_unanswered(draft.answers))
        if FLOW.first_unanswered(draft.answers)
        else url_for("register.check_answers"),
    )


def _carry_on(draft, *, by_link: bool = False):
    """This browser, alone, carries the draft on: any other that held it loses it
    (and after a link, any proof made before it: portal.services.drafts.hand_over_by_link)."""
    holder = drafts.hand_over_by_link(db.session, draft) if by_link else drafts.hold(draft)
    db.session.commit()
    session[DRAFT] = draft.id
    session[DRAFT_HOLDER] = holder
    session.pop(DONE, None)
    session.pop(RESUMING, None)
    missing = FLOW.first_unanswered(draft.answers)
    if missing:
        return redirect(url_for("register.question", slug=missing), code=303)
    return redirect(url_for("register.check_answers"), code=303)


@bp.route("/resume/<token>", methods=["GET", "POST"])
def resume_link(token: str):
    """The emailed link: a page with a button, so that a mail scanner opening it uses nothing."""
    use = request.method == "POST"
    draft = drafts.draft_for_link(db.session, token, current_app.config["SECRET_KEY"], use=use)
    if draft is None:
        return render_page("register/link_expired.html", status=404, link_hours=drafts.LINK_HOURS)
    if not use:
        return render_page("register/link.html", keep_until=_keep_until(draft))
    db.session.commit()  # the link is used up
    return _carry_on(draft, by_link=True)


@bp.route("/resume", methods=["GET", "POST"])
@limiter.shared_limit(code_limit, scope="registration-codes", methods=["POST"])
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        found = email_or_mobile(form.contact.data)
        if found is None:
            form.contact.errors = [wording.RESUME_FORMAT]
        else:
            way, value = found
            # The cookie is signed, not secret: it keeps what was typed, never whether
            # a registration exists. A refused code (too many) looks the same as none.
            session[RESUMING] = {"to": value, "way": way}
            # The same work whether or not a registration was proved with it: the
            # worker decides whether to send. A refused code looks the same as none.
            with suppress(verification.TooManyCodes):
                verification.request_resume_code(
                    db.session,
                    NotificationChannel(way),
                    value,
                    current_app.config["SECRET_KEY"],
                    requester=requester.binding(),
                    network=requester.network(),
                    language=choose_language(),
                )
            db.session.commit()
            return redirect(url_for("register.resume_code"), code=303)
    return _page(
        "_resume.html",
        wording.PAGE_TITLES["resume"],
        push_url=request.method == "GET",
        form=form,
        back_url=url_for("register.start"),
        has_errors=bool(form.errors),
    )


@bp.route("/resume/security-code", methods=["GET", "POST"])
def resume_code():
    pending = session.get(RESUMING)
    if not isinstance(pending, dict) or "to" not in pending:
        return redirect(url_for("register.resume"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        draft = verification.check_resume_code(
            db.session,
            NotificationChannel(pending.get("way"))
            if pending.get("way") in CODE_WAYS
            else NotificationChannel.EMAIL,
            pending["to"],
            form.code.data,
            current_app.config["SECRET_KEY"],
            requester=requester.binding(),
        )
        db.session.commit()  # the guess counts, right or wrong
        if draft is not None:
            return _carry_on(draft)
        # One message for every failure: a stranger learns nothing about whether
        # a registration exists for what they typed.
        form.code.errors = [wording.CODE_RESULTS[verification.CheckResult.WRONG]]
    return _code_page(
        form,
        pending["to"],
        pending.get("way", "email"),
        resuming=True,
        push_url=request.method == "GET",
    )
