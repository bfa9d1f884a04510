"""Signing in without a password: an email address or mobile number, then a code.

Every page reads the same whether or not the address is in the scheme. The
cookie keeps only what was typed until the code is right; then the session
is started again from nothing and holds a random token for the server-side
session (portal.services.sign_in).
"""

from __future__ import annotations

from contextlib import suppress

from flask import (
    current_app,
    g,
    get_template_attribute,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from markupsafe import Markup

from portal import requester
from portal.account import sign_in_bp as bp
from portal.account.forms import SignInForm
from portal.account.wording import SIGNED_OUT_REASONS
from portal.domain.contact_details import CODE_WAYS, email_or_mobile
from portal.extensions import db, htmx, limiter
from portal.forms import CodeForm
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import NotificationChannel, Permission
from portal.rendering import render_page, wants_partial
from portal.services import sign_in, victim_messages

#: What was typed, until the code is right: {"to": value, "way": "email" | "sms"}.
SIGNING_IN = "sign_in_pending"
#: The server-side session's token, once signed in.
TOKEN = "victim_session"  # noqa: S105 (a session key's name, not a secret)
#: Why the last session ended, shown once on the sign-in page.
SIGNED_OUT = "signed_out_reason"


#: Where "Exit this page" takes a person: a neutral, busy site.
EXIT_TO = "https://www.bbc.co.uk/weather"
#: Sec-Fetch-Site values of a request that another site started.
CROSS_SITE = ("cross-site", "same-site")

FORMAT = _l("Enter an email address like name@example.com, or a UK mobile number")
#: One message for every failure, so a stranger learns nothing about an address.
CODE_NOT_ACCEPTED = _l(
    "The security code is not right, or it has run out. Check it, or send a new code."
)


TITLES = {
    "sign-in": _l("Sign in with your email address or mobile number"),
    "security-code": _l("Enter the security code"),
    "sign-out": _l("Sign out"),
    "signed-out": _l("You have signed out"),
}


def page(partial: str, title, status: int = 200, **context):
    """A sign-in or account page: the whole page, or just its partial for htmx."""
    return render_page(f"account/{partial}", status=status, page_title=title, **context)


def code_limit() -> str:
    """Per network address: codes cost money and could be used to pester someone."""
    return current_app.config["SIGN_IN_CODE_LIMIT"]


def _pending() -> dict | None:
    pending = session.get(SIGNING_IN)
    if isinstance(pending, dict) and pending.get("way") in CODE_WAYS and pending.get("to"):
        return pending
    return None


def _send(way: str, to: str) -> None:
    """Ask for a code to `to`: the same work, and the same page, whoever it belongs to."""
    with suppress(sign_in.TooManyCodes):
        sign_in.request_code(
            db.session,
            NotificationChannel(way),
            to,
            current_app.config["SECRET_KEY"],
            requester=requester.binding(),
            network=requester.network(),
            language=choose_language(),
        )
    db.session.commit()  # the code, or the audit row of a refused request


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.shared_limit(code_limit, scope="sign-in-codes", methods=["POST"])
def start():
    if session.get("audience") == "victim" and request.method == "GET":
        return redirect(url_for("account.home"), code=303)
    form = SignInForm()
    if form.validate_on_submit():
        found = email_or_mobile(form.contact.data)
        if found is None:
            form.contact.errors = [FORMAT]
        else:
            way, to = found
            session[SIGNING_IN] = {"to": to, "way": way}
            _send(way, to)
            return redirect(url_for("sign_in.security_code"), code=303)
    reason = session.pop(SIGNED_OUT, None) if request.method == "GET" else None
    return page(
        "_sign_in.html",
        TITLES["sign-in"],
        push_url=request.method == "GET",
        form=form,
        signed_out=reason in SIGNED_OUT_REASONS,
        signed_out_text=SIGNED_OUT_REASONS.get(reason),
        back_url=url_for("public.start"),
        has_errors=bool(form.errors),
    )


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
def security_code():
    pending = _pending()
    if pending is None:
        return redirect(url_for("sign_in.start"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        channel = NotificationChannel(pending["way"])
        result = sign_in.check_code(
            db.session,
            channel,
            pending["to"],
            form.code.data,
            current_app.config["SECRET_KEY"],
            requester=requester.binding(),
        )
        db.session.commit()  # the attempt counts, right or wrong
        if result == sign_in.CheckResult.VERIFIED:
            token = sign_in.start_session(
                db.session, channel, pending["to"], request_id=g.get("request_id")
            )
            db.session.commit()
            session.clear()  # nothing from before signing in is carried over
            session["audience"] = "victim"
            session[TOKEN] = token
            if htmx:
                # The header changes too (your case, sign out): a whole new page.
                response = make_response("", 204)
                response.headers["HX-Redirect"] = url_for("account.home")
                return response
            return redirect(url_for("account.home"), code=303)
        form.code.errors = [CODE_NOT_ACCEPTED]
    return page(
        "_security_code.html",
        TITLES["security-code"],
        back_url=url_for("sign_in.start"),
        push_url=request.method == "GET",
        form=form,
        destination=pending["to"],
        channel=pending["way"],
        minutes=int(sign_in.CODE_LIFETIME.total_seconds() // 60),
        resent=request.args.get("sent") == "1",
        has_errors=bool(form.errors),
    )


@bp.post("/sign-in/security-code/resend")
@limiter.shared_limit(code_limit, scope="sign-in-codes")
def resend_code():
    pending = _pending()
    if pending is None:
        return redirect(url_for("sign_in.start"), code=303)
    _send(pending["way"], pending["to"])
    return redirect(url_for("sign_in.security_code", sent=1), code=303)


def _end_victim_session(reason: str | None = None) -> None:
    """End the server-side session (if any) and empty the cookie, so that it is deleted."""
    sign_in.end_session(
        db.session, session.get(TOKEN), request_id=g.get("request_id"), reason=reason
    )
    db.session.commit()
    session.clear()


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out():
    """Only a POST signs out: it carries the CSRF token, so another site cannot sign a
    victim out. A GET (a bookmark, an old link) shows the Sign out button instead. The
    timeout warning posts `reason=timeout` when its time runs out: then the sign-in page
    says why (templates/components/timeout_warning.html)."""
    if request.method == "POST":
        if request.form.get("reason") == "timeout":
            _end_victim_session("timeout")
            session[SIGNED_OUT] = "timeout"
            return redirect(url_for("sign_in.start"), code=303)
        _end_victim_session()
        return redirect(url_for("sign_in.signed_out"), code=303)
    if session.get("audience") != "victim":
        return redirect(url_for("sign_in.signed_out"), code=303)
    return page("_sign_out.html", TITLES["sign-out"])


@bp.get("/signed-out")
def signed_out():
    """The "You have signed out" page, only once it is true: a session still signed in is
    sent to the Sign out button, so that no link can make a victim believe they have left."""
    if session.get("audience") == "victim":
        return redirect(url_for("sign_in.sign_out"), code=303)
    return page("_signed_out.html", TITLES["signed-out"])


@bp.get("/exit-this-page")
def exit_this_page():
    """Exit this page: end any victim session, forget the cookie, and leave for a neutral site.

    The GOV.UK button is a link (with JavaScript, its script sets window.location to the
    link's href), so this is a GET. That is acceptable here: it is a safe exit whose only
    effect is to sign out, which needs no confirming, and it must be one quick step. A
    forged cross-site request cannot abuse it: the session cookie is SameSite=Lax, so it
    is not sent with another site's images, frames or forms, and a top-level link from
    another site (Sec-Fetch-Site says so) is only redirected, signing nobody out. The
    response (a redirect) is never stored, so Back cannot replay it from a cache.
    """
    if request.headers.get("Sec-Fetch-Site") not in CROSS_SITE:
        _end_victim_session()
    response = redirect(EXIT_TO, code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


#: The signed-in victim's navigation, kept short for a phone (GOV.UK service navigation):
#: "Your case" (the case page, and everything done about one case from its "What you can
#: do" list: requests, contact preferences, pausing, leaving), "Messages" (with the
#: unread count), and "Your data" (the one page about the person rather than a case).
#: The pages of the navigation's "Messages" and "Your data"; the rest is "Your case".
MESSAGE_PAGES = frozenset({"account.messages_index", "account.conversation"})
YOUR_DATA_PAGES = frozenset({"account.your_data"})


def unread_replies() -> int:
    """How many replies the signed-in victim has not read, on their own pages (whose
    session has been checked); once a request, and only for a whole page (a piece
    swapped in by htmx has no navigation)."""
    record = g.get("victim_session")
    if record is None or wants_partial():
        return 0
    if "unread_replies" not in g:
        g.unread_replies = victim_messages.unread_replies(db.session, record)
    return sum(g.unread_replies.values())


def reads_messages() -> bool:
    """Whether the navigation offers "Messages": not to someone acting for a victim who was
    not given them (what the session may do is known on the account's own pages:
    portal/account/permissions.py; elsewhere the link is offered, and the page decides)."""
    reached = g.get("access")
    if reached is None:
        return True
    return any(access.may(Permission.MESSAGES) for access in reached.values())


def has_own_data() -> bool:
    """Whether the navigation offers "Your data": not to a session that only acts for
    others (what is held about a victim is theirs alone; as for reads_messages, where
    the session is not known the link is offered and the page decides)."""
    reached = g.get("access")
    if reached is None:
        return True
    return any(access.representative is None for access in reached.values())


@bp.app_context_processor
def service_navigation() -> dict:
    """The service navigation on every page: sign in, or your case, messages, your data
    and sign out.

    Signing out is a form (POST, with the CSRF token) whose button looks like the
    navigation's links: the layout adds it when `signed_in_victim` is true. "Messages"
    shows how many replies are unread (a number, and words for screen readers)."""
    endpoint = request.endpoint or ""
    if session.get("audience") == "victim":
        unread_count = get_template_attribute("account/_unread.html", "unread_count")
        items = [
            {
                "href": url_for("account.home"),
                "text": gettext("Your case"),
                "active": endpoint.startswith("account.")
                and endpoint not in MESSAGE_PAGES | YOUR_DATA_PAGES,
            }
        ]
        if reads_messages():
            items.append(
                {
                    "href": url_for("account.messages_index"),
                    "html": Markup("{}{}").format(
                        gettext("Messages"), unread_count(unread_replies())
                    ),
                    "active": endpoint in MESSAGE_PAGES,
                }
            )
        if has_own_data():
            items.append(
                {
                    "href": url_for("account.your_data"),
                    "text": gettext("Your data"),
                    "active": endpoint in YOUR_DATA_PAGES,
                }
            )
    else:
        items = [
            {
                "href": url_for("sign_in.start"),
                "text": gettext("Sign in"),
                "active": endpoint.startswith("sign_in."),
            }
        ]
    return {"service_navigation": items, "signed_in_victim": session.get("audience") == "victim"}
