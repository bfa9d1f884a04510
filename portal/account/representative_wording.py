"""The words of naming someone to act for you, in the catalogue (Welsh beside the
English)."""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.models import ActorType, NotificationChannel, Permission, Relation

TITLES = {
    "list": _l("Someone to act for you"),
    "about": _l("Who will act for you?"),
    "contact": _l("How will they sign in?"),
    "permissions": _l("What can they do for you?"),
    "check": _l("Check who will act for you"),
    "security-code": _l("Enter the security code they were sent"),
    "end": _l("Stop this person acting for you?"),
}

RELATIONS = {
    Relation.FAMILY: _l("A family member or partner"),
    Relation.FRIEND: _l("A friend"),
    Relation.SUPPORT: _l("A support worker or advocate"),
    Relation.OTHER: _l("Someone else"),
}

#: What each permission lets them do, as the victim reads it.
PERMISSIONS = {
    Permission.CASE: _l("See your case and what has happened on it"),
    Permission.MESSAGES: _l("Read your messages and send messages to your Victim Liaison Officer"),
    Permission.REQUESTS: _l(
        "Make requests for you: licence conditions, your personal statement, the decision summary"
    ),
}

HOW_THEY_SIGN_IN = {
    NotificationChannel.EMAIL: _l("Email address"),
    NotificationChannel.SMS: _l("Mobile number"),
}

#: Why a representative cannot be named with these details.
REFUSED = {
    "own-detail": _l(
        "This is one of your own contact details. Enter the email address or mobile number "
        "of the person who will act for you"
    ),
    "already": _l("This person already acts for you with this email address or mobile number"),
    "too-many": _l(
        "Up to 3 people can act for you at once. Stop one of them acting for you before you "
        "name someone else"
    ),
    "left": _l(
        "You have left the Victim Contact Scheme, so no one can be asked to act for you. Ask "
        "to come back into the scheme first"
    ),
}
TOO_MANY_CODES = _l(
    "Too many codes have been asked for. Wait an hour before asking again, or contact your "
    "Victim Liaison Officer"
)

ENDED_BY = {
    ActorType.VICTIM: _l("Ended by you on %(date)s"),
    ActorType.STAFF: _l("Ended by your Victim Liaison Officer on %(date)s"),
}
