"""How the console names someone acting for a victim (portal.services.representatives)."""

from __future__ import annotations

from portal.language import lazy_gettext as _l
from portal.models import NotificationChannel, Permission, Relation

RELATIONS = {
    Relation.FAMILY: _l("A family member or partner"),
    Relation.FRIEND: _l("A friend"),
    Relation.SUPPORT: _l("A support worker or advocate"),
    Relation.OTHER: _l("Someone else"),
}
PERMISSIONS = {
    Permission.CASE: _l("See the case and its timeline"),
    Permission.MESSAGES: _l("Read and send messages"),
    Permission.REQUESTS: _l("Make requests"),
}
SIGNS_IN_WITH = {
    NotificationChannel.EMAIL: _l("Email address"),
    NotificationChannel.SMS: _l("Mobile number"),
}
