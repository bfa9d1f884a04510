"""Staff accounts, for administrators only: the list, inviting someone, and each account's
page with what can be done to it (each behind a confirmation step). Also, for every
signed-in officer, their own account's page (`my_account`: who they are to the console,
and the daily summary email of messages waiting, on or off) and the timeout warning's
keep-alive (`extend_session`).

The rules are in portal.services.staff_accounts; emailed links in
portal.services.staff_links. Every action is a POST with the CSRF token, one
transaction, an audit event, then a redirect to the account's page with a
success banner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, abort, current_app, g, redirect, request, session, url_for
from flask_babel import format_datetime

from portal.extensions import db
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.models import ActorType, Language, OfficerRole, VictimLiaisonOfficer
from portal.notifications import content as notification_content
from portal.services import messages, staff_accounts, staff_auth, staff_links
from portal.services.staff_accounts import Admin, Links, Refusal, Refused
from portal.staff import bp
from portal.staff.account_forms import (
    EMAIL_TAKEN,
    LANGUAGE_NAMES,
    ROLE_HINTS,
    ROLE_NAMES,
    SPEAKS_WELSH_ANSWERS,
    AccountForm,
    ConfirmForm,
    InviteForm,
    RegionFilterForm,
)
from portal.staff.message_forms import DAILY_SUMMARY_ANSWERS, DailySummaryForm
from portal.staff.message_wording import ACCOUNT_TITLE
from portal.staff.sign_in_views import idle_limit, page
from portal.staff.views import current_officer, for_roles

ADMINS_ONLY = for_roles(OfficerRole.ADMIN)
#: What the last action did, for the banner on the account's page: {"done", "officer"}.
DONE = "staff_account_done"

TITLES = {
    "accounts": _l("Staff accounts"),
    "invite": _l("Invite a member of staff"),
    "account": _l("Staff account"),
    "change": _l("Change their role, region and languages"),
}
REFUSALS = {
    Refusal.YOURSELF: _l(
        "You cannot do this to your own account. Ask another administrator to do it."
    ),
    Refusal.LAST_ADMIN: _l(
        "This is the only active administrator. Make someone else an administrator first."
    ),
    Refusal.NOT_NEEDED: _l("There is nothing to do: the account is already like this."),
}
#: The success banners after each action (templates/staff/_account_banner.html).
BANNERS = frozenset(
    {
        "invited",
        "invited-again",
        "app-reset",
        "password-reset",
        "deactivated",
        "reactivated",
        "changed",
    }
)


def _admin() -> Admin:
    return Admin(current_officer(), g.get("request_id"))


def _links() -> Links:
    base = current_app.config["PUBLIC_BASE_URL"]
    return Links(
        secret_key=current_app.config["SECRET_KEY"],
        link_for=lambda token: notification_content.staff_link(base, token),
    )


def _account_or_404(officer_id: int) -> VictimLiaisonOfficer:
    officer = staff_accounts.account(db.session, officer_id)
    if officer is None:
        abort(404)
    return officer


def _done(what: str, officer_id: int):
    session[DONE] = {"done": what, "officer": officer_id}
    return redirect(url_for("staff.accounts_officer", officer_id=officer_id), code=303)


def _banner(officer: VictimLiaisonOfficer) -> str | None:
    """What the last action did to this account, shown once."""
    done = session.get(DONE)
    if not isinstance(done, dict) or done.get("officer") != officer.id:
        return None
    session.pop(DONE, None)
    return done.get("done") if done.get("done") in BANNERS else None


def _regions():
    language = choose_language()
    regions = staff_accounts.regions(db.session)
    return sorted(regions, key=lambda region: region.name(language)), language


def _account_form(form_class, regions, **kwargs):
    return form_class(regions=[str(region.id) for region in regions], **kwargs)


def _form_context(form, regions, language) -> dict:
    return {
        "form": form,
        "role_items": [
            {"value": role.value, "text": ROLE_NAMES[role], "hint": ROLE_HINTS[role]}
            for role in OfficerRole
        ],
        "region_items": [
            {"value": str(region.id), "text": region.name(language)} for region in regions
        ],
        "welsh_items": [
            {"value": value, "text": text} for value, text in SPEAKS_WELSH_ANSWERS.items()
        ],
        "language_items": [
            {"value": choice.value, "text": text} for choice, text in LANGUAGE_NAMES.items()
        ],
        "has_errors": bool(form.errors),
    }


def _describe(officer: VictimLiaisonOfficer, language: str) -> dict:
    """What the pages show of an account, in the page's language."""
    return {
        "officer": officer,
        "role": ROLE_NAMES[officer.role],
        "region": officer.region.name(language),
        "state": staff_accounts.status(officer).value,
        "app": officer.totp_confirmed_at is not None,
        "password": staff_accounts.has_password(officer),
        "language": LANGUAGE_NAMES[officer.language],
        "welsh": SPEAKS_WELSH_ANSWERS["yes" if officer.speaks_welsh else "no"],
        "last_signed_in": format_datetime(officer.last_signed_in_at, format="d MMMM y, HH:mm")
        if officer.last_signed_in_at
        else None,
    }


@bp.get("/accounts")
@ADMINS_ONLY
def accounts():
    regions, language = _regions()
    filter_form = RegionFilterForm(request.args)
    chosen = next((r for r in regions if r.code == filter_form.region.data), None)
    officers = staff_accounts.accounts(db.session, chosen.id if chosen else None)
    return page(
        "_accounts.html",
        TITLES["accounts"],
        rows=[_describe(officer, language) for officer in officers],
        region_options=[{"value": "", "text": _l("All regions")}]
        + [{"value": r.code, "text": r.name(language)} for r in regions],
        chosen=chosen.code if chosen else "",
    )


@bp.route("/accounts/invite", methods=["GET", "POST"])
@ADMINS_ONLY
def accounts_invite():
    regions, language = _regions()
    form = _account_form(InviteForm, regions)
    if request.method == "GET":
        form.language.data = Language.ENGLISH.value  # English unless the administrator says
    if form.validate_on_submit():
        try:
            officer = staff_accounts.invite(
                db.session,
                _admin(),
                _links(),
                full_name=form.full_name.data,
                email=form.email.clean,
                role=OfficerRole(form.role.data),
                region_id=int(form.region.data),
                speaks_welsh=form.speaks_welsh.data == "yes",
                language=Language(form.language.data),
            )
        except Refused:
            db.session.rollback()
            form.email.errors = [EMAIL_TAKEN]
        else:
            db.session.commit()
            return _done("invited", officer.id)
    return page(
        "_account_invite.html",
        TITLES["invite"],
        back_url=url_for("staff.accounts"),
        link_hours=staff_links.LINK_HOURS,
        **_form_context(form, regions, language),
    )


@bp.get("/accounts/<int:officer_id>")
@ADMINS_ONLY
def accounts_officer(officer_id: int):
    officer = _account_or_404(officer_id)
    language = choose_language()
    me = current_officer()
    return page(
        "_account.html",
        TITLES["account"],
        back_url=url_for("staff.accounts"),
        banner=_banner(officer),
        link_hours=staff_links.LINK_HOURS,
        actions=[
            {"href": url_for(action.endpoint, officer_id=officer.id), "text": action.link}
            for action in ACTIONS
            if action.offered(officer, me)
        ],
        yourself=officer.id == me.id,
        **_describe(officer, language),
    )


@bp.route("/accounts/<int:officer_id>/change", methods=["GET", "POST"])
@ADMINS_ONLY
def accounts_change(officer_id: int):
    officer = _account_or_404(officer_id)
    regions, language = _regions()
    form = _account_form(AccountForm, regions)
    if request.method == "GET":
        form.role.data = officer.role.value
        form.region.data = str(officer.region_id)
        form.speaks_welsh.data = "yes" if officer.speaks_welsh else "no"
        form.language.data = officer.language.value
    if form.validate_on_submit():
        try:
            staff_accounts.change(
                db.session,
                _admin(),
                officer,
                role=OfficerRole(form.role.data),
                region_id=int(form.region.data),
                speaks_welsh=form.speaks_welsh.data == "yes",
                language=Language(form.language.data),
            )
        except Refused as refused:
            db.session.rollback()
            form.role.errors = [REFUSALS[refused.reason]]
        else:
            db.session.commit()
            return _done("changed", officer.id)
    return page(
        "_account_change.html",
        TITLES["change"],
        back_url=url_for("staff.accounts_officer", officer_id=officer.id),
        officer=officer,
        **_form_context(form, regions, language),
    )


# --- the actions, each a confirmation page and its POST ------------------------------------


@dataclass(frozen=True)
class AccountAction:
    """Something done to an account from its page, after a confirmation step."""

    slug: str
    #: The link on the account's page, the confirmation page's title, what it explains,
    #: and its button.
    link: object
    title: object
    explanation: object
    button: object
    run: Callable[[VictimLiaisonOfficer], None]
    #: Whether the account's page offers it to this administrator.
    offered: Callable[[VictimLiaisonOfficer, VictimLiaisonOfficer], bool]
    #: The banner after it (BANNERS).
    done: str
    warning: bool = False

    @property
    def endpoint(self) -> str:
        return "staff.accounts_" + self.slug.replace("-", "_")


def _not_me(officer, me) -> bool:
    return officer.id != me.id


ACTIONS = (
    AccountAction(
        slug="invite-again",
        link=_l("Send a new invitation"),
        title=_l("Send a new invitation"),
        explanation=_l(
            "We will email them a new link to choose a password and set up their authenticator "
            "app. The link in any earlier invitation will stop working."
        ),
        button=_l("Send the invitation"),
        run=lambda officer: staff_accounts.send_invitation_again(
            db.session, _admin(), _links(), officer
        ),
        offered=lambda officer, me: officer.is_active and officer.totp_confirmed_at is None,
        done="invited-again",
    ),
    AccountAction(
        slug="reset-app",
        link=_l("Reset their authenticator app"),
        title=_l("Reset their authenticator app"),
        explanation=_l(
            "Do this when they have lost their phone or their app. Their app and recovery codes "
            "will stop working and they will be signed out everywhere at once. We will email "
            "them a link to set up a new app, which they will use with their password."
        ),
        button=_l("Reset the authenticator app"),
        run=lambda officer: staff_accounts.reset_second_factor(
            db.session, _admin(), _links(), officer
        ),
        offered=lambda officer, me: _not_me(officer, me) and officer.is_active,
        done="app-reset",
    ),
    AccountAction(
        slug="reset-password",
        link=_l("Reset their password"),
        title=_l("Reset their password"),
        explanation=_l(
            "Do this when they have forgotten their password, or someone else may know it. "
            "Their password will stop working and they will be signed out everywhere at once. "
            "We will email them a link to choose a new one. They will still need their "
            "authenticator app to sign in."
        ),
        button=_l("Reset the password"),
        run=lambda officer: staff_accounts.reset_password(db.session, _admin(), _links(), officer),
        offered=lambda officer, me: _not_me(officer, me) and officer.is_active,
        done="password-reset",
    ),
    AccountAction(
        slug="deactivate",
        link=_l("Deactivate their account"),
        title=_l("Deactivate their account"),
        explanation=_l(
            "They will be signed out everywhere at once and will not be able to sign in. Any "
            "links we emailed them will stop working. Their cases stay as they are: reassign "
            "them to another officer."
        ),
        button=_l("Deactivate the account"),
        run=lambda officer: staff_accounts.deactivate(db.session, _admin(), officer),
        offered=lambda officer, me: _not_me(officer, me) and officer.is_active,
        done="deactivated",
        warning=True,
    ),
    AccountAction(
        slug="reactivate",
        link=_l("Reactivate their account"),
        title=_l("Reactivate their account"),
        explanation=_l(
            "They will be able to sign in again with their password and authenticator app. If "
            "either may have been lost or seen by someone else, reset it afterwards."
        ),
        button=_l("Reactivate the account"),
        run=lambda officer: staff_accounts.reactivate(db.session, _admin(), officer),
        offered=lambda officer, me: not officer.is_active,
        done="reactivated",
    ),
)


def _refusal_in_advance(action: AccountAction, officer, me) -> Refusal | None:
    """Why the action cannot be done, before anyone presses its button."""
    if action.offered(officer, me):
        return None
    if officer.id == me.id and action.slug != "invite-again":
        return Refusal.YOURSELF
    return Refusal.NOT_NEEDED


def _confirm_view(action: AccountAction):
    def view(officer_id: int) -> Response:
        officer = _account_or_404(officer_id)
        form = ConfirmForm()
        refusal = _refusal_in_advance(action, officer, current_officer())
        status = 200
        if refusal is None and form.validate_on_submit():
            try:
                action.run(officer)
            except Refused as refused:
                db.session.rollback()
                refusal, status = refused.reason, 409
            else:
                db.session.commit()
                return _done(action.done, officer.id)
        return page(
            "_account_confirm.html",
            action.title,
            status=status,
            back_url=url_for("staff.accounts_officer", officer_id=officer.id),
            officer=officer,
            action=action,
            form=form,
            refusal=REFUSALS[refusal] if refusal else None,
        )

    view.__name__ = action.endpoint.partition(".")[2]
    return view


for _action in ACTIONS:
    bp.add_url_rule(
        f"/accounts/<int:officer_id>/{_action.slug}",
        view_func=ADMINS_ONLY(_confirm_view(_action)),
        methods=["GET", "POST"],
    )


# --- the officer's own account ----------------------------------------------------------------

#: What the last change to their own account did, for the banner: "on" or "off".
OWN_DONE = "staff_own_account_done"


@bp.route("/account", methods=["GET", "POST"], endpoint="my_account")
def my_account():
    """The signed-in officer's own account, and their choice of the daily summary email."""
    officer = current_officer()
    form = DailySummaryForm()
    if request.method == "GET":
        form.wanted.data = "on" if officer.daily_summary else "off"
    if form.validate_on_submit():
        messages.set_daily_summary(
            db.session,
            officer,
            form.wanted.data == "on",
            messages.Actor(
                type=ActorType.STAFF,
                id=officer.id,
                request_id=g.get("request_id"),
                address=(request.remote_addr or "")[:45] or None,
            ),
        )
        db.session.commit()
        session[OWN_DONE] = "on" if officer.daily_summary else "off"
        return redirect(url_for("staff.my_account"), code=303)
    done = session.pop(OWN_DONE, None) if request.method == "GET" else None
    return page(
        "_my_account.html",
        ACCOUNT_TITLE,
        form=form,
        has_errors=bool(form.errors),
        done=done if done in ("on", "off") else None,
        answers=[{"value": value, "text": text} for value, text in DAILY_SUMMARY_ANSWERS.items()],
        **_describe(officer, choose_language()),
    )


# --- the timeout warning's "Stay signed in" ---------------------------------------------------


@bp.post("/session/extend")
def extend_session():
    """The officer is still there: their session's idle limit counts from now. No content;
    the request audit records it (portal.access)."""
    staff_auth.extend(g.staff_session)
    db.session.commit()
    return Response(status=204)


@bp.app_context_processor
def timeout_warning() -> dict:
    """What the staff layout's timeout warning needs (templates/components/
    timeout_warning.html): only on a signed-in officer's pages."""
    record = g.get("staff_session")
    if record is None:
        return {}
    idle = idle_limit()
    return {
        "staff_timeout": {
            "idle_seconds": int(idle.total_seconds()),
            "seconds_left": staff_auth.seconds_left(record, idle=idle),
            "keep_alive_url": url_for("staff.extend_session"),
        }
    }
