"""How the console names a case's status, as MOJ badges: the words always say it, the
colour only helps (templates/components/moj/badge.html). Stage names come from
portal/sentence_stages.py, as everywhere else."""

from __future__ import annotations

from dataclasses import dataclass

from portal.language import lazy_gettext as _l
from portal.models import CaseStatus


@dataclass(frozen=True)
class Badge:
    text: object
    colour: str | None


#: A case's status, for staff (the victim's page has its own, gentler words).
STATUSES = {
    CaseStatus.TRIAGE: Badge(_l("To triage"), "purple"),
    CaseStatus.ACTIVE: Badge(_l("Active"), "green"),
    CaseStatus.PAUSED: Badge(_l("Paused"), "grey"),
    CaseStatus.DECLINED: Badge(_l("Declined"), "red"),
    CaseStatus.CLOSED: Badge(_l("Closed"), "grey"),
    CaseStatus.MERGED: Badge(_l("Merged"), "grey"),
}
