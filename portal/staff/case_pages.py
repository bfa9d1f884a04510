"""What every page about one case shares: the victim's identity bar (their name, the
case's reference, the language they chose), the case's sections, and a notice of what
the last change did, shown once on the page it came back to."""

from __future__ import annotations

from flask import current_app, request, session, url_for

from portal.domain.contact_details import readable
from portal.language import lazy_gettext as _l
from portal.models import Case, Channel, ContactPreference, Language
from portal.staff import case_wording
from portal.staff.sign_in_views import page
from portal.staff.views import case_sections

#: The language a victim chose, as an officer reads it.
LANGUAGE_NAMES = {Language.ENGLISH: _l("English"), Language.WELSH: _l("Welsh")}
#: Each way of contact, as an officer reads it.
CHANNEL_NAMES = {
    Channel.EMAIL: _l("Email address"),
    Channel.SMS: _l("Mobile number for texts"),
    Channel.PHONE: _l("Phone number for calls"),
    Channel.LETTER: _l("Postal address"),
}
#: The cookie key of the notice waiting for the next page about a case.
NOTICE = "staff_case_notice"


def shown(detail: ContactPreference) -> str:
    """A contact detail as an officer reads it (a phone number in the national form)."""
    return readable(detail.channel.value, detail.value)


def case_url(case_id: int) -> str | None:
    """The case's own page (staff.case), once it exists."""
    if "staff.case" not in current_app.view_functions:
        return None
    return url_for("staff.case", case_id=case_id)


def case_page(partial: str, title, case: Case, *, with_sections: bool = True, **context):
    """A page about `case`: `partial` (under templates/staff/) below the victim's identity
    bar and, on the case's own sections, its sub-navigation."""
    return page(
        partial,
        title,
        case=case,
        words=case_wording,
        victim=case.victim,
        victim_language=LANGUAGE_NAMES[case.victim.language],
        case_url=case_url(case.id),
        sections=case_sections(case.id) if with_sections else None,
        channel_names=CHANNEL_NAMES,
        shown=shown,
        **context,
    )


def leave_notice(case_id: int, endpoint: str, **notice) -> None:
    """Say what a change did on the next request for `endpoint` about `case_id`."""
    session[NOTICE] = {"case": case_id, "endpoint": endpoint, **notice}


def take_notice(case_id: int) -> dict | None:
    """The notice left for this page about this case, once."""
    notice = session.get(NOTICE)
    if (
        not isinstance(notice, dict)
        or notice.get("case") != case_id
        or notice.get("endpoint") != request.endpoint
    ):
        return None
    session.pop(NOTICE)
    return notice
