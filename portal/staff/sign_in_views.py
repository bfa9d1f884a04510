"""Signing staff in: email address and password, then the authenticator app.

Every wrong answer reads the same ("the email address or password is not
right"), whether the email address is ours, the password wrong, or the
account deactivated. After the password, the cookie holds only the officer's
id and when the password was right, for PENDING_LIFETIME; after the second
factor the session starts again from nothing and holds a random token for
the server-side StaffSession (portal.services.staff_auth).

The links emailed to staff (an invitation, a reset of the app or of the
password: portal.services.staff_links) open `link`. Setting up an
authenticator app needs both the password and such a link: the browser that
used an invitation or new-app link holds a grant (SET_UP_GRANT) that
`set_up_app` checks, so a password alone can never register an app.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import gettext
from markupsafe import Markup

from portal import requester
from portal.extensions import db, limiter
from portal.language import lazy_gettext as _l
from portal.models import StaffLinkPurpose, VictimLiaisonOfficer
from portal.rendering import render_page
from portal.services import staff_accounts, staff_auth, staff_links
from portal.services.staff_auth import Outcome
from portal.staff import sign_in_bp as bp
from portal.staff.account_forms import NewPasswordForm, PasswordForm
from portal.staff.forms import AppCodeForm, RecoveryCodeForm, StaffSignInForm

#: Between the password and the second factor: {"officer": id, "at": epoch seconds}.
PENDING = "staff_sign_in_pending"
#: The server-side session's token, once signed in.
TOKEN = "staff_session"  # noqa: S105 (a session key's name, not a secret)
#: The secret offered to set up an authenticator app, held by this browser only until a
#: code proves it: {"officer": id, "secret": base32}.
SET_UP_SECRET = "staff_set_up_secret"  # noqa: S105 (a session key's name, not a secret)
#: Why the last session ended, shown once on the sign-in page.
SIGNED_OUT = "staff_signed_out_reason"
#: The emailed link this browser used to earn setting up an app: {"officer": id, "link": id}.
SET_UP_GRANT = "staff_set_up_grant"

NOT_RIGHT = _l("The email address or password is not right. Check them and try again.")
LOCKED = _l(
    "You have tried to sign in too many times. Wait 15 minutes and try again, or ask an "
    "administrator for help."
)
PASSWORD_NOT_RIGHT = _l("The password is not right. Check it and try again.")
CODE_NOT_RIGHT = _l(
    "The security code is not right. Enter the code your authenticator app shows now."
)
RECOVERY_NOT_RIGHT = _l(
    "The recovery code is not right, or it has been used. Check it, or use another one."
)
SIGNED_OUT_REASONS = {
    "timeout": _l("You were signed out to keep victims' information safe. Sign in again."),
}

TITLES = {
    "sign-in": _l("Sign in to the Victim Liaison Officer console"),
    "security-code": _l("Enter the security code from your authenticator app"),
    "recovery-code": _l("Enter a recovery code"),
    "set-up": _l("Set up your authenticator app"),
    "recovery-codes": _l("Your recovery codes"),
    "sign-out": _l("Sign out"),
    "signed-out": _l("You have signed out"),
    "needs-link": _l("You need a link from an administrator to set up your app"),
    "link-expired": _l("This link does not work"),
    StaffLinkPurpose.INVITATION: _l("Choose a password for your account"),
    StaffLinkPurpose.NEW_PASSWORD: _l("Choose a new password"),
    StaffLinkPurpose.NEW_APP: _l("Set up your authenticator app again"),
}


def page(partial: str, title, status: int = 200, **context):
    """A staff page: the whole page in the staff layout, or its partial for htmx."""
    return render_page(
        "staff/page.html", partial=f"staff/{partial}", status=status, page_title=title, **context
    )


def sign_in_limit() -> str:
    """Per network address, beside the lock on each account."""
    return current_app.config["STAFF_SIGN_IN_LIMIT"]


def idle_limit() -> timedelta:
    """How long a staff session lasts without a request (STAFF_IDLE_MINUTES, default 30)."""
    return timedelta(minutes=int(current_app.config["STAFF_IDLE_MINUTES"]))


def attempt() -> staff_auth.Attempt:
    return staff_auth.Attempt(
        secret_key=current_app.config["SECRET_KEY"],
        network=requester.network(),
        request_id=g.get("request_id"),
    )


def _pending() -> VictimLiaisonOfficer | None:
    """The officer whose password was right, while PENDING_LIFETIME lasts."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    started = pending.get("at")
    if not isinstance(started, int) or time.time() - started > (
        staff_auth.PENDING_LIFETIME.total_seconds()
    ):
        session.pop(PENDING, None)
        return None
    officer = db.session.get(VictimLiaisonOfficer, pending.get("officer") or 0)
    return officer if officer is not None and officer.is_active else None


def _signed_in(officer_id: int, method: str):
    token = staff_auth.start_session(
        db.session,
        officer_id,
        method,
        secret_key=current_app.config["SECRET_KEY"],
        request_id=g.get("request_id"),
    )
    db.session.commit()
    session.clear()  # nothing from before signing in is carried over
    session["audience"] = "staff"
    session["officer_id"] = officer_id
    session[TOKEN] = token


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.shared_limit(sign_in_limit, scope="staff-sign-in", methods=["POST"])
def start():
    if session.get("audience") == "staff" and request.method == "GET":
        return redirect(url_for("staff.home"), code=303)
    form = StaffSignInForm()
    problem = None
    if form.validate_on_submit():
        verdict = staff_auth.PASSWORD_AND_TOTP.verify(
            db.session, {"email": form.email.data, "password": form.password.data}, attempt()
        )
        db.session.commit()  # the failure counts, and is audited
        if verdict.outcome in (Outcome.SECOND_FACTOR, Outcome.SET_UP_SECOND_FACTOR):
            session.pop("audience", None)
            session[PENDING] = {"officer": verdict.officer_id, "at": int(time.time())}
            if verdict.outcome == Outcome.SET_UP_SECOND_FACTOR:
                return redirect(url_for("staff_sign_in.set_up_app"), code=303)
            return redirect(url_for("staff_sign_in.security_code"), code=303)
        problem = LOCKED if verdict.outcome == Outcome.LOCKED else NOT_RIGHT
        form.password.errors = [problem]
    form.password.data = ""
    reason = session.pop(SIGNED_OUT, None) if request.method == "GET" else None
    return page(
        "_sign_in.html",
        TITLES["sign-in"],
        status=200,
        form=form,
        signed_out_text=SIGNED_OUT_REASONS.get(reason),
        has_errors=bool(form.errors),
    )


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@limiter.shared_limit(sign_in_limit, scope="staff-sign-in", methods=["POST"])
def security_code():
    officer = _pending()
    if officer is None or officer.totp_confirmed_at is None:
        return redirect(url_for("staff_sign_in.start"), code=303)
    form = AppCodeForm()
    if form.validate_on_submit():
        verdict = staff_auth.PASSWORD_AND_TOTP.verify(
            db.session, {"officer_id": str(officer.id), "code": form.code.data}, attempt()
        )
        db.session.commit()
        if verdict.outcome == Outcome.SIGNED_IN:
            _signed_in(officer.id, staff_auth.PASSWORD_AND_TOTP.method)
            return redirect(url_for("staff.home"), code=303)
        form.code.errors = [LOCKED if verdict.outcome == Outcome.LOCKED else CODE_NOT_RIGHT]
    return page(
        "_security_code.html",
        TITLES["security-code"],
        back_url=url_for("staff_sign_in.start"),
        form=form,
        has_errors=bool(form.errors),
    )


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@limiter.shared_limit(sign_in_limit, scope="staff-sign-in", methods=["POST"])
def recovery_code():
    officer = _pending()
    if officer is None or officer.totp_confirmed_at is None:
        return redirect(url_for("staff_sign_in.start"), code=303)
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        verdict = staff_auth.PASSWORD_AND_TOTP.verify(
            db.session,
            {"officer_id": str(officer.id), "recovery_code": form.recovery_code.data},
            attempt(),
        )
        db.session.commit()
        if verdict.outcome == Outcome.SIGNED_IN:
            _signed_in(officer.id, "password+recovery-code")
            return redirect(url_for("staff.home"), code=303)
        form.recovery_code.errors = [
            LOCKED if verdict.outcome == Outcome.LOCKED else RECOVERY_NOT_RIGHT
        ]
    return page(
        "_recovery_code.html",
        TITLES["recovery-code"],
        back_url=url_for("staff_sign_in.security_code"),
        form=form,
        has_errors=bool(form.errors),
    )


@bp.route("/sign-in/set-up-app", methods=["GET", "POST"])
@limiter.shared_limit(sign_in_limit, scope="staff-sign-in", methods=["POST"])
def set_up_app():
    """The first sign-in: scan the QR code (or type the secret), then prove it with a code.
    The recovery codes are shown once, on the response to that proof, never again."""
    officer = _pending()
    if officer is None or officer.totp_confirmed_at is not None:
        return redirect(url_for("staff_sign_in.start"), code=303)
    if not _granted_set_up(officer):
        # The password alone never sets up an app: that takes an emailed link too.
        return page("_set_up_needs_link.html", TITLES["needs-link"])
    offered = session.get(SET_UP_SECRET)
    if not isinstance(offered, dict) or offered.get("officer") != officer.id:
        offered = {"officer": officer.id, "secret": staff_auth.offer_totp()}
        session[SET_UP_SECRET] = offered
    secret = offered["secret"]
    form = AppCodeForm()
    if form.validate_on_submit():
        codes = staff_auth.confirm_totp(db.session, officer, form.code.data, attempt(), secret)
        db.session.commit()
        if codes is not None:
            _signed_in(officer.id, staff_auth.PASSWORD_AND_TOTP.method)
            return page("_recovery_codes.html", TITLES["recovery-codes"], codes=codes)
        form.code.errors = [CODE_NOT_RIGHT]
    uri = staff_auth.provisioning_uri(officer, secret)
    return page(
        "_set_up_app.html",
        TITLES["set-up"],
        back_url=url_for("staff_sign_in.start"),
        form=form,
        qr_code=qr_code(uri),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        has_errors=bool(form.errors),
    )


def _granted_set_up(officer: VictimLiaisonOfficer) -> bool:
    grant = session.get(SET_UP_GRANT)
    return (
        isinstance(grant, dict)
        and grant.get("officer") == officer.id
        and staff_links.grants_set_up(db.session, officer, grant.get("link"))
    )


def _password_was_right(officer: VictimLiaisonOfficer):
    """On to the second factor, as after the sign-in page: the app's code, or setting it up."""
    session.pop("audience", None)
    session[PENDING] = {"officer": officer.id, "at": int(time.time())}
    if officer.totp_confirmed_at is None:
        return redirect(url_for("staff_sign_in.set_up_app"), code=303)
    return redirect(url_for("staff_sign_in.security_code"), code=303)


@bp.route("/link/<token>", methods=["GET", "POST"])
@limiter.shared_limit(sign_in_limit, scope="staff-sign-in", methods=["POST"])
def link(token: str):
    """A link emailed to a member of staff. Opening it uses nothing (a mail scanner may open
    it); its form does: choose a password (an invitation, a reset password), or enter yours
    (a reset app). Used, run out, forged or the officer deactivated: one kind page."""
    secret_key = current_app.config["SECRET_KEY"]
    found = staff_links.find(db.session, token, secret_key)
    if found is None:
        return page(
            "_link_expired.html",
            TITLES["link-expired"],
            status=404,
            link_hours=staff_links.LINK_HOURS,
        )
    officer = found.officer
    if found.purpose.sets_password:
        form = NewPasswordForm(email=officer.email)
        if form.validate_on_submit():
            if not staff_accounts.choose_password(
                db.session, found, form.password.data, secret_key, g.get("request_id")
            ):
                db.session.rollback()
                return redirect(url_for("staff_sign_in.link", token=token), code=303)
            db.session.commit()
            return _link_used(found, officer)
        template = "_link_choose_password.html"
    else:
        form = PasswordForm()
        if form.validate_on_submit():
            verdict = staff_auth.PASSWORD_AND_TOTP.verify(
                db.session, {"email": officer.email, "password": form.password.data}, attempt()
            )
            right = (
                verdict.outcome == Outcome.SET_UP_SECOND_FACTOR and verdict.officer_id == officer.id
            )
            if right and staff_links.use(db.session, found):
                db.session.commit()
                return _link_used(found, officer)
            db.session.commit()  # the failure counts, and is audited
            if right:  # another request used the link first
                return redirect(url_for("staff_sign_in.link", token=token), code=303)
            form.password.errors = [
                LOCKED if verdict.outcome == Outcome.LOCKED else PASSWORD_NOT_RIGHT
            ]
        template = "_link_password.html"
    form.password.data = ""
    return page(
        template,
        TITLES[found.purpose],
        form=form,
        purpose=found.purpose.value,
        email=officer.email,
        has_errors=bool(form.errors),
    )


def _link_used(found, officer: VictimLiaisonOfficer):
    """The link did its work: an invitation or a new-app link lets this browser set up the
    app; then on to the second factor."""
    if found.purpose.sets_up_app:
        session[SET_UP_GRANT] = {"officer": officer.id, "link": found.id}
    return _password_was_right(officer)


def qr_code(uri: str) -> Markup:
    """Made here from the secret (never from anything typed), so safe to include."""
    title = gettext("QR code to set up your authenticator app")
    return Markup(staff_auth.qr_code_svg(uri, title))  # noqa: S704


def end_staff_session(reason: str | None = None) -> None:
    staff_auth.end_session(
        db.session,
        session.get(TOKEN),
        request_id=g.get("request_id"),
        reason=reason,
        idle=idle_limit(),
    )
    db.session.commit()
    session.clear()


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out():
    """Only a POST (with the CSRF token) signs out; a GET shows the Sign out button. The
    timeout warning posts `reason=timeout` when its time runs out: then the sign-in page
    says why (templates/components/timeout_warning.html)."""
    if request.method == "POST":
        if request.form.get("reason") == "timeout":
            end_staff_session("timeout")
            session[SIGNED_OUT] = "timeout"
            return redirect(url_for("staff_sign_in.start"), code=303)
        end_staff_session()
        return redirect(url_for("staff_sign_in.signed_out"), code=303)
    if session.get("audience") != "staff":
        return redirect(url_for("staff_sign_in.signed_out"), code=303)
    return page("_sign_out.html", TITLES["sign-out"])


@bp.get("/signed-out")
def signed_out():
    if session.get("audience") == "staff":
        return redirect(url_for("staff_sign_in.sign_out"), code=303)
    return page("_signed_out.html", TITLES["signed-out"])
