"""What each audited action is called on an audit trail, in both languages.

ONE mapping, from the `action` an AuditEvent stores to the words a manager reads:

- requests to the console's pages, as portal/access.py records them
  ("METHOD endpoint"): every staff route has a phrase (tests/functional/
  test_audit_trails.py fails on one without);
- the events services write for a change or a refusal ("triage.accepted",
  "possible duplicate flagged", "staff sign-in refused"...): every literal
  action in portal/ has a phrase too (the same test reads the source).

An action with no phrase (a page since removed, say) is shown as its code.
Phrases are verb-nouns, like a log's ("View the case summary"), because the same
words stand beside "Allowed" and "Refused".
"""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.models import ActorType
from portal.services.audit_trail import Kind

ACTIONS = {
    # Requests to the console's pages (portal/access.py).
    "GET staff.home": _l("View the home page (what needs them first)"),
    "GET staff.cases": _l("View the list of cases"),
    "GET staff.new_referral": _l("Open the form to add a referral"),
    "POST staff.new_referral": _l("Send the form to add a referral"),
    "GET staff.case": _l("View the case summary and timeline"),
    "POST staff.case": _l("Send a form on the case summary"),
    "GET staff.case_contact": _l("View the victim’s contact details"),
    "POST staff.case_contact": _l("Send a change to the victim’s contact details"),
    "GET staff.case_notifications": _l("View the notifications sent"),
    "GET staff.case_audit": _l("View the case’s audit trail"),
    "GET staff.case_add_stage": _l("Open the form to add a sentence event"),
    "POST staff.case_add_stage": _l("Send the form to add a sentence event"),
    "GET staff.case_record_contact": _l("Open the form to record a call, letter or meeting"),
    "POST staff.case_record_contact": _l("Send the form to record a call, letter or meeting"),
    "GET staff.case_entry_visibility": _l("Open the form to hide or show a timeline entry"),
    "POST staff.case_entry_visibility": _l("Hide or show a timeline entry to the victim"),
    "GET staff.case_contact_add": _l("Open the form to add a contact detail"),
    "POST staff.case_contact_add": _l("Send the form to add a contact detail"),
    "GET staff.case_contact_safety": _l("Open the form to change whether a detail is safe"),
    "POST staff.case_contact_safety": _l("Send a change to whether a detail is safe"),
    "GET staff.case_contact_change": _l("Open the form to change a contact detail"),
    "POST staff.case_contact_change": _l("Send a change to a contact detail"),
    "GET staff.case_contact_remove": _l("Open the form to remove a contact detail"),
    "POST staff.case_contact_remove": _l("Remove a contact detail"),
    "GET staff.triage": _l("Open triage for the registration"),
    "POST staff.triage": _l("Send a triage decision"),
    "GET staff.triage_accept": _l("Open the form to accept the registration"),
    "POST staff.triage_accept": _l("Send the form to accept the registration"),
    "GET staff.triage_decline": _l("Open the form to decline the registration"),
    "POST staff.triage_decline": _l("Send the form to decline the registration"),
    "GET staff.triage_transfer": _l("Open the form to move the registration to another region"),
    "POST staff.triage_transfer": _l("Send the form to move the registration to another region"),
    "GET staff.triage_link": _l("Open the form to join the registration to an existing case"),
    "POST staff.triage_link": _l("Send the form to join the registration to an existing case"),
    "GET staff.case_requests": _l("View the victim’s requests"),
    "GET staff.case_request": _l("View one of the victim’s requests"),
    "GET staff.case_request_status": _l("Open the form to move a request on"),
    "POST staff.case_request_status": _l("Send the form to move a request on"),
    "GET staff.case_reassign": _l("Open the form to reassign the case"),
    "GET staff.messages": _l("View the messages waiting for a reply"),
    "GET staff.case_messages": _l("View the case’s messages"),
    "GET staff.case_message_reply": _l("Open the form to reply to the victim"),
    "POST staff.case_message_reply": _l(
        "Send a reply to the victim, or start from a standard reply"
    ),
    "GET staff.case_messages_no_reply": _l("Open the form to mark messages as needing no reply"),
    "POST staff.case_messages_no_reply": _l("Send the form to mark messages as needing no reply"),
    "GET staff.my_account": _l("View their own account"),
    "POST staff.my_account": _l("Send a change to their daily summary email"),
    "POST staff.case_reassign": _l("Send the form to reassign the case"),
    "GET staff.case_bring_back": _l("Open the form to bring the victim back into the scheme"),
    "POST staff.case_bring_back": _l("Bring the victim back into the scheme"),
    "GET staff.region": _l("View the region’s figures"),
    "GET staff.officer_audit": _l("View a staff member’s audit trail"),
    "GET staff.accounts": _l("View the staff accounts"),
    "GET staff.accounts_officer": _l("View a member of staff’s account"),
    "GET staff.accounts_invite": _l("Open the form to invite a member of staff"),
    "POST staff.accounts_invite": _l("Send the form to invite a member of staff"),
    "GET staff.accounts_invite_again": _l("Open the form to send an invitation again"),
    "POST staff.accounts_invite_again": _l("Send an invitation again"),
    "GET staff.accounts_change": _l("Open the form to change a member of staff’s role or region"),
    "POST staff.accounts_change": _l("Send a change to a member of staff’s role or region"),
    "GET staff.accounts_reset_app": _l("Open the form to reset an authenticator app"),
    "POST staff.accounts_reset_app": _l("Reset an authenticator app"),
    "GET staff.accounts_reset_password": _l("Open the form to reset a password"),
    "POST staff.accounts_reset_password": _l("Reset a password"),
    "GET staff.accounts_deactivate": _l("Open the form to deactivate an account"),
    "POST staff.accounts_deactivate": _l("Deactivate an account"),
    "GET staff.accounts_reactivate": _l("Open the form to reactivate an account"),
    "POST staff.accounts_reactivate": _l("Reactivate an account"),
    "POST staff.extend_session": _l("Stay signed in"),
    "staff request matched no page": _l("Ask for a staff page that does not exist"),
    # Changes, written by the services that make them.
    "triage.accepted": _l("Accept the registration"),
    "triage.declined": _l("Decline the registration"),
    "triage.transferred": _l("Move the registration to another region"),
    "triage.merged": _l("Join the registration to an existing case"),
    "triage.linked": _l("Join the registration to an existing case"),
    "triage.joined": _l("Receive a second registration joined to this case"),
    "case.reassigned": _l("Reassign the case to another officer"),
    "contact.marked_unsafe": _l("Mark a contact detail as not safe"),
    "contact.marked_safe": _l("Mark a contact detail as safe again"),
    "contact.times_changed": _l("Change the safe times for a contact detail"),
    "contact.voicemail_safe": _l("Mark voicemail as safe"),
    "contact.voicemail_unsafe": _l("Mark voicemail as not safe"),
    "contact.confirmed": _l("Confirm a contact detail with the victim"),
    "contact.added": _l("Add a contact detail"),
    "contact.removed": _l("Remove a contact detail"),
    "timeline stage added": _l("Add a sentence event to the timeline"),
    "timeline contact recorded": _l("Record a call, letter or meeting"),
    "timeline entry hidden": _l("Hide a timeline entry from the victim"),
    "timeline entry shown": _l("Show a timeline entry to the victim again"),
    "staff.invited": _l("Invite a member of staff"),
    "staff.invitation_sent_again": _l("Send an invitation again"),
    "staff.second_factor_reset": _l("Reset an authenticator app"),
    "staff.password_reset": _l("Reset a password"),
    "staff.deactivated": _l("Deactivate an account"),
    "staff.reactivated": _l("Reactivate an account"),
    "staff.changed": _l("Change a member of staff’s role or region"),
    "staff.password_chosen": _l("Choose a password"),
    "referral.created": _l("Create a case from a police referral"),
    "message.replied": _l("Reply to the victim’s messages"),
    "message.no_reply_needed": _l("Mark the victim’s messages as needing no reply"),
    "staff.daily_summary_sent": _l("Send the daily summary of messages waiting"),
    "staff.daily_summary_on": _l("Ask for the daily summary email of messages waiting"),
    "staff.daily_summary_off": _l("Stop the daily summary email of messages waiting"),
    # Written by registration, signing in and security codes.
    "possible duplicate flagged": _l("Flag as a possible duplicate of another case"),
    "security code refused": _l("Refuse a security code: too many asked for"),
    "security code guesses used up": _l("Refuse a security code: too many wrong guesses"),
    "staff sign-in refused": _l("Refuse a staff sign-in"),
    "staff sign-in locked": _l("Lock a staff sign-in after too many tries"),
    "staff signed in": _l("Sign in to the console"),
    "staff signed out": _l("Sign out of the console"),
    "victim signed in": _l("Sign in to see their case"),
    "victim signed out": _l("Sign out of their case"),
    "message.sent": _l("Send a message to their officer"),
    "request.started": _l("Start a request to their officer"),
    "request.saved": _l("Save a page of a request to their officer"),
    "request.sent": _l("Send a request to their officer"),
    "request.moved_on": _l("Move the victim’s request on"),
    # Written when a victim changes their own choices online, or a pause ends.
    "victim.language_changed": _l("Change the language we write in"),
    "victim.access_needs_changed": _l("Change their access needs"),
    "victim.envelope_name_changed": _l("Change the name not to put on envelopes"),
    "case.updates_wanted_changed": _l("Change how much they want to hear"),
    "case.paused": _l("Pause updates"),
    "case.resumed": _l("Start updates again"),
    "case.pause_ended": _l("End a pause: its day came, or its stage was recorded"),
    "case.left": _l("Leave the scheme"),
    "case.come_back_asked": _l("Ask to come back into the scheme"),
    "case.brought_back": _l("Bring the victim back into the scheme"),
    "message.refused": _l("Refuse a message: too many sent"),
    "representative.added": _l("Name someone to act for them"),
    "representative.ended": _l("End the access of someone acting for the victim"),
    "GET staff.case_representative_end": _l(
        "Open the form to end the access of someone acting for the victim"
    ),
    "POST staff.case_representative_end": _l("End the access of someone acting for the victim"),
    "data downloaded": _l("Download their data"),
    # Written by the retention rule (flask retention apply).
    "case.anonymised": _l("Remove personal details after the retention period"),
}

KINDS = {
    Kind.VIEWS: _l("Views"),
    Kind.CHANGES: _l("Changes"),
    Kind.REFUSED: _l("Refused"),
}
ALL_KINDS = _l("All kinds")

VICTIM = _l("Victim")
REPRESENTATIVE = _l("Someone acting for the victim")
SYSTEM = _l("System")
NOT_SIGNED_IN = _l("Someone not signed in")
UNKNOWN_OFFICER = _l("A staff account no longer known")

ALLOWED = _l("Allowed")
REFUSED = _l("Refused")
#: Why a request was refused, by its status.
REFUSED_BECAUSE = {
    403: _l("Not allowed for their role"),
    404: _l("Not found, or another region’s"),
}
NOT_SIGNED_IN_REASON = _l("Not signed in as staff")


def what(action: str) -> str | None:
    """The action in words, or None when it has none (shown as its code)."""
    phrase = ACTIONS.get(action)
    return str(phrase) if phrase is not None else None


def who(entry) -> str | None:
    """Who did it, in words; None when it is an officer's name (a record, shown as data)."""
    if entry.actor_type == ActorType.STAFF:
        return None if entry.officer_name else str(UNKNOWN_OFFICER)
    if entry.actor_type == ActorType.VICTIM:
        return str(REPRESENTATIVE if getattr(entry, "representative", False) else VICTIM)
    return str(SYSTEM if entry.signed_in else NOT_SIGNED_IN)


def refusal_reason(entry) -> str | None:
    if not entry.signed_in:
        return str(NOT_SIGNED_IN_REASON)
    reason = REFUSED_BECAUSE.get(entry.status)
    return str(reason) if reason is not None else None
