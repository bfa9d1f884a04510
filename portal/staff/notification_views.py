"""What was sent to a case's victim, and whether it got there (staff.case_notifications).

Read from the outbox (portal.services.notification_history): the kind and status in
words, the recipient masked, never the personalisation (codes and links).
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import format_datetime
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.language import lazy_gettext as _l
from portal.models import Case, NotificationChannel, NotificationStatus
from portal.notifications.outbox import NO_LONGER_SAFE
from portal.services import notification_history, participation
from portal.staff import bp
from portal.staff.case_pages import case_page
from portal.staff.views import case_or_404

TITLE = _l("Notifications sent")

#: What each kind of notification is, as an officer reads it (portal/notifications/
#: content.py KINDS: a test fails on a kind with no words here).
KIND_NAMES = {
    "sign_in_code": _l("Security code to sign in"),
    "new_message": _l("New message"),
    "new_stage": _l("New stage of the sentence"),
    "registration_received": _l("Request to join received"),
    "registration_resume": _l("Link to carry on a request to join"),
    "registration_accepted": _l("Request to join accepted"),
    "registration_declined": _l("Request to join declined"),
    "new_officer": _l("New Victim Liaison Officer"),
    "request_update": _l("Update on a request to their officer"),
    "referral_welcome": _l("Welcome after a police referral"),
    "contact_changed": _l("Confirmation of a change the victim made"),
    "back_in_scheme": _l("Back in the scheme"),
    "representative_added": _l("Confirmation that someone can act for them"),
    # Sent to someone acting for the victim, never to the victim: named for completeness.
    "representative_code": _l("Security code to someone asked to act for the victim"),
    "representative_invitation": _l("Invitation to someone asked to act for the victim"),
    # Staff emails never go to a victim, so never show here; named for completeness.
    "staff_invitation": _l("Invitation to the staff console"),
    "staff_new_app": _l("Link to set up an authenticator app again"),
    "staff_new_password": _l("Link to choose a new password"),
    "staff_daily_summary": _l("Daily summary of messages waiting"),
}
OTHER_KIND = _l("Another notification")

CHANNEL_NAMES = {
    NotificationChannel.EMAIL: _l("Email"),
    NotificationChannel.SMS: _l("Text message"),
    NotificationChannel.LETTER: _l("Letter"),
}

#: Each status as an MOJ badge: its words (colour is never the only signal) and colour.
STATUSES = {
    NotificationStatus.PENDING: (_l("Waiting to send"), "grey"),
    NotificationStatus.SENDING: (_l("Sending"), "purple"),
    NotificationStatus.SENT: (_l("Sent"), "blue"),
    NotificationStatus.DELIVERED: (_l("Delivered"), "green"),
    NotificationStatus.FAILED: (_l("Failed"), "red"),
    NotificationStatus.CANCELLED: (_l("Cancelled: not sent"), None),
}

#: Why a notification failed or was cancelled, in words (the worker's last_error).
ERRORS = {
    NO_LONGER_SAFE: _l("The contact detail was marked not safe, or removed"),
    "nobody to send to": _l("Nobody in the scheme has this address"),
    participation.PAUSED_REASON: _l("The victim paused updates"),
    participation.LEFT_REASON: _l("The victim left the scheme"),
    "gave up: no outcome recorded": _l("We tried many times and never learnt whether it was sent"),
    "notify permanent-failure": _l(
        "The address or number does not exist, or cannot receive messages"
    ),
    "notify temporary-failure": _l("The inbox was full, or the phone was off, for too long"),
    "notify technical-failure": _l("GOV.UK Notify had a technical problem"),
    "notify validation-failed": _l("The letter could not be printed as it was"),
    "notify virus-scan-failed": _l("The letter did not pass the virus check"),
    "notify cancelled": _l("The letter was cancelled before it was posted"),
}
OTHER_ERROR = _l("The provider could not send it")


def error_words(row: notification_history.SentNotification):
    """Why it was not sent (failed, cancelled, or a try that failed and will be repeated)."""
    if not row.last_error:
        return None
    if row.status in (NotificationStatus.SENT, NotificationStatus.DELIVERED):
        return None
    return ERRORS.get(row.last_error, OTHER_ERROR)


def when(moment) -> str:
    return format_datetime(moment, "d MMMM y, HH:mm") if moment else ""


@bp.get("/cases/<int:case_id>/notifications")
def case_notifications(case_id: int):
    case = case_or_404(case_id, joinedload(Case.victim))
    listing = notification_history.sent_to(
        db.session, case.victim_id, request.args.get("page", 1, type=int)
    )
    return case_page(
        "case/_notifications.html",
        TITLE,
        case,
        listing=listing,
        kind_names=KIND_NAMES,
        other_kind=OTHER_KIND,
        notification_channels=CHANNEL_NAMES,
        statuses=STATUSES,
        error_words=error_words,
        when=when,
        page_url=lambda number: url_for("staff.case_notifications", case_id=case.id, page=number),
        push_url=True,
    )
