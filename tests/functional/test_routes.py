"""Every route declares who may see it, and the route list changes only on purpose."""

from portal.access import AUDIENCES, audience_of

#: The whole URL map. A new route is a visible change to this list: add it
#: here, give it an audience, and reach it from the i18n guard's fixtures.
EXPECTED_ROUTES = {
    ("/", "public.start"),
    ("/information/<slug>", "public.info"),
    ("/regions", "public.regions"),
    ("/regions/find", "public.find_region"),
    ("/regions/<code>", "public.region"),
    ("/check-if-you-can-join", "public.eligibility_start"),
    ("/check-if-you-can-join/<question>", "public.eligibility_question"),
    ("/check-if-you-can-join/result", "public.eligibility_result"),
    ("/check-if-you-can-join/start-again", "public.eligibility_start_again"),
    ("/register", "register.start"),
    ("/register/start", "register.begin"),
    ("/register/<slug>", "register.question"),
    ("/register/<slug>/check", "register.check_field"),
    ("/register/check-answers", "register.check_answers"),
    ("/register/verify", "register.verify"),
    ("/register/security-code", "register.security_code"),
    ("/register/security-code/resend", "register.resend_code"),
    ("/register/declaration", "register.declaration"),
    ("/register/confirmation", "register.confirmation"),
    ("/register/save", "register.save"),
    ("/register/resume", "register.resume"),
    ("/register/resume/<token>", "register.resume_link"),
    ("/register/resume/security-code", "register.resume_code"),
    ("/sign-in", "sign_in.start"),
    ("/sign-in/security-code", "sign_in.security_code"),
    ("/sign-in/security-code/resend", "sign_in.resend_code"),
    ("/sign-out", "sign_in.sign_out"),
    ("/signed-out", "sign_in.signed_out"),
    ("/exit-this-page", "sign_in.exit_this_page"),
    ("/account", "account.home"),
    ("/account/messages", "account.messages_index"),
    ("/account/cases/<reference>/messages", "account.conversation"),
    ("/account/cases/<reference>/messages/new", "account.new_messages"),
    ("/account/cases/<reference>/messages/draft", "account.save_draft"),
    ("/account/session/extend", "account.extend_session"),
    ("/account/cases/<reference>/requests", "account.requests"),
    ("/account/cases/<reference>/requests/new/<kind_slug>", "account.request_start"),
    ("/account/cases/<reference>/requests/<int:request_id>", "account.request"),
    ("/account/cases/<reference>/requests/<int:request_id>/<slug>", "account.request_page"),
    ("/account/cases/<reference>/requests/<int:request_id>/check", "account.request_check"),
    ("/account/your-data", "account.your_data"),
    ("/account/your-data/download.html", "account.your_data_html"),
    ("/account/your-data/download.json", "account.your_data_json"),
    ("/account/cases/<reference>/contact", "account.contact_preferences"),
    ("/account/cases/<reference>/contact/add/<way>", "account.contact_add"),
    ("/account/cases/<reference>/contact/<int:detail_id>/change", "account.contact_change"),
    ("/account/cases/<reference>/contact/check", "account.contact_check"),
    ("/account/cases/<reference>/contact/security-code", "account.contact_code"),
    ("/account/cases/<reference>/contact/security-code/resend", "account.contact_code_resend"),
    ("/account/cases/<reference>/contact/<int:detail_id>/safety", "account.contact_safety"),
    ("/account/cases/<reference>/contact/<int:detail_id>/remove", "account.contact_remove"),
    ("/account/cases/<reference>/contact/times", "account.contact_times"),
    ("/account/cases/<reference>/contact/envelope", "account.contact_envelope"),
    ("/account/cases/<reference>/contact/language", "account.contact_language"),
    ("/account/cases/<reference>/contact/access-needs", "account.contact_access_needs"),
    ("/account/cases/<reference>/updates", "account.updates_wanted"),
    ("/account/cases/<reference>/pause", "account.pause"),
    ("/account/cases/<reference>/pause/date", "account.pause_date"),
    ("/account/cases/<reference>/pause/check", "account.pause_check"),
    ("/account/cases/<reference>/pause/end", "account.pause_end"),
    ("/account/cases/<reference>/leave", "account.leave"),
    ("/account/cases/<reference>/come-back", "account.come_back"),
    ("/account/cases/<reference>/representatives", "account.representatives"),
    ("/account/cases/<reference>/representatives/new", "account.representative_new"),
    ("/account/cases/<reference>/representatives/new/contact", "account.representative_contact"),
    (
        "/account/cases/<reference>/representatives/new/permissions",
        "account.representative_permissions",
    ),
    ("/account/cases/<reference>/representatives/new/check", "account.representative_check"),
    ("/account/cases/<reference>/representatives/new/security-code", "account.representative_code"),
    (
        "/account/cases/<reference>/representatives/new/security-code/resend",
        "account.representative_code_resend",
    ),
    (
        "/account/cases/<reference>/representatives/<int:representative_id>/end",
        "account.representative_end",
    ),
    ("/staff/sign-in", "staff_sign_in.start"),
    ("/staff/sign-in/security-code", "staff_sign_in.security_code"),
    ("/staff/sign-in/recovery-code", "staff_sign_in.recovery_code"),
    ("/staff/sign-in/set-up-app", "staff_sign_in.set_up_app"),
    ("/staff/link/<token>", "staff_sign_in.link"),
    ("/staff/sign-out", "staff_sign_in.sign_out"),
    ("/staff/signed-out", "staff_sign_in.signed_out"),
    ("/staff", "staff.home"),
    ("/staff/cases", "staff.cases"),
    ("/staff/cases/<int:case_id>", "staff.case"),
    ("/staff/cases/<int:case_id>/timeline/stage", "staff.case_add_stage"),
    ("/staff/cases/<int:case_id>/timeline/contact", "staff.case_record_contact"),
    (
        "/staff/cases/<int:case_id>/timeline/<int:event_id>/visibility",
        "staff.case_entry_visibility",
    ),
    ("/staff/cases/<int:case_id>/contact", "staff.case_contact"),
    ("/staff/cases/<int:case_id>/contact/add", "staff.case_contact_add"),
    ("/staff/cases/<int:case_id>/contact/<int:contact_id>/safety", "staff.case_contact_safety"),
    ("/staff/cases/<int:case_id>/contact/<int:contact_id>/change", "staff.case_contact_change"),
    ("/staff/cases/<int:case_id>/contact/<int:contact_id>/remove", "staff.case_contact_remove"),
    (
        "/staff/cases/<int:case_id>/contact/representatives/<int:representative_id>/end",
        "staff.case_representative_end",
    ),
    ("/staff/cases/<int:case_id>/notifications", "staff.case_notifications"),
    ("/staff/cases/<int:case_id>/requests", "staff.case_requests"),
    ("/staff/cases/<int:case_id>/requests/<int:request_id>", "staff.case_request"),
    (
        "/staff/cases/<int:case_id>/requests/<int:request_id>/status",
        "staff.case_request_status",
    ),
    ("/staff/cases/<int:case_id>/reassign", "staff.case_reassign"),
    ("/staff/messages", "staff.messages"),
    ("/staff/cases/<int:case_id>/messages", "staff.case_messages"),
    ("/staff/cases/<int:case_id>/messages/reply", "staff.case_message_reply"),
    ("/staff/cases/<int:case_id>/messages/no-reply-needed", "staff.case_messages_no_reply"),
    ("/staff/cases/<int:case_id>/bring-back", "staff.case_bring_back"),
    ("/staff/cases/<int:case_id>/audit", "staff.case_audit"),
    ("/staff/officers/<int:officer_id>/audit", "staff.officer_audit"),
    ("/staff/region", "staff.region"),
    ("/staff/cases/<int:case_id>/triage", "staff.triage"),
    ("/staff/cases/<int:case_id>/triage/accept", "staff.triage_accept"),
    ("/staff/cases/<int:case_id>/triage/decline", "staff.triage_decline"),
    ("/staff/cases/<int:case_id>/triage/transfer", "staff.triage_transfer"),
    ("/staff/cases/<int:case_id>/triage/link", "staff.triage_link"),
    ("/staff/referrals/new", "staff.new_referral"),
    ("/staff/accounts", "staff.accounts"),
    ("/staff/accounts/invite", "staff.accounts_invite"),
    ("/staff/accounts/<int:officer_id>", "staff.accounts_officer"),
    ("/staff/accounts/<int:officer_id>/change", "staff.accounts_change"),
    ("/staff/accounts/<int:officer_id>/invite-again", "staff.accounts_invite_again"),
    ("/staff/accounts/<int:officer_id>/reset-app", "staff.accounts_reset_app"),
    ("/staff/accounts/<int:officer_id>/reset-password", "staff.accounts_reset_password"),
    ("/staff/accounts/<int:officer_id>/deactivate", "staff.accounts_deactivate"),
    ("/staff/accounts/<int:officer_id>/reactivate", "staff.accounts_reactivate"),
    ("/staff/session/extend", "staff.extend_session"),
    ("/staff/account", "staff.my_account"),
    ("/healthz", "health.healthz"),
    ("/notifications/delivery-receipts", "notify_callbacks.delivery_receipt"),
    ("/static/<path:filename>", "static"),
    ("/assets/<path:filename>", "assets.static"),
}


def test_every_endpoint_declares_an_audience(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if audience_of(app, rule.endpoint) is None
    ]
    assert not undeclared
    for rule in app.url_map.iter_rules():
        assert audience_of(app, rule.endpoint) in AUDIENCES


def test_route_list_snapshot(app):
    routes = {(rule.rule, rule.endpoint) for rule in app.url_map.iter_rules()}
    assert routes == EXPECTED_ROUTES


def test_victim_and_staff_blueprints_require_sign_in(app):
    assert app.blueprints["account"].audience == "victim"
    assert app.blueprints["staff"].audience == "staff"
    assert app.blueprints["register"].audience == "registering"
    assert app.blueprints["public"].audience == "public"
    assert app.blueprints["sign_in"].audience == "public"
    assert app.blueprints["staff_sign_in"].audience == "public"
