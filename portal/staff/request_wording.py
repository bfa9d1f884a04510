"""The words of victims' requests in the console, in the catalogue (Welsh beside the
English): one status vocabulary for every kind, as an officer reads it."""

from __future__ import annotations

from portal.domain import requests as rules
from portal.language import lazy_gettext as _l
from portal.models import RequestKind, RequestStatus

K, S = RequestKind, RequestStatus

SECTION_TITLE = _l("Requests")

KIND_NAMES = {
    K.LICENCE_CONDITIONS: _l("Licence conditions request"),
    K.PERSONAL_STATEMENT: _l("Victim Personal Statement"),
    K.DECISION_SUMMARY: _l("Decision summary request"),
}
STATUSES = {
    S.DRAFT: _l("Not sent yet"),
    S.SENT: _l("Sent by the victim"),
    S.CONSIDERING: _l("Being considered"),
    S.PASSED_ON: _l("Passed to the Parole Board or prison"),
    S.DECIDED: _l("Decided"),
    S.RETURNED: _l("Returned to the victim with comments"),
    S.SUMMARY_SENT: _l("Summary sent"),
}
KIND_STATUSES = {(K.PERSONAL_STATEMENT, S.PASSED_ON): _l("Passed to the Parole Board")}
#: MOJ badges' colours (words always say the status too).
COLOURS = {
    S.DRAFT: "grey",
    S.SENT: "blue",
    S.CONSIDERING: "bright-purple",
    S.PASSED_ON: "purple",
    S.DECIDED: "green",
    S.RETURNED: "grey",
    S.SUMMARY_SENT: "green",
}

#: Each step an officer can take, as a choice on the request's page.
ACTIONS = {
    (K.LICENCE_CONDITIONS, S.CONSIDERING): _l("Mark it as being considered"),
    (K.LICENCE_CONDITIONS, S.PASSED_ON): _l(
        "Record that you passed it to the Parole Board or prison"
    ),
    (K.LICENCE_CONDITIONS, S.DECIDED): _l("Record the decision and explain it to the victim"),
    (K.PERSONAL_STATEMENT, S.CONSIDERING): _l("Mark it as being considered"),
    (K.PERSONAL_STATEMENT, S.RETURNED): _l("Return it to the victim with comments"),
    (K.PERSONAL_STATEMENT, S.PASSED_ON): _l(
        "Accept it and record that you passed it to the Parole Board"
    ),
    (K.DECISION_SUMMARY, S.CONSIDERING): _l("Mark it as being considered"),
    (K.DECISION_SUMMARY, S.SUMMARY_SENT): _l("Record that you sent the decision summary"),
}
ACTION_HINTS = {
    S.DECIDED: _l(
        "Say which conditions were set, and why any the victim asked for were not. Write it below."
    ),
    S.RETURNED: _l("Say what the victim could change, and why. Write it below."),
    S.SUMMARY_SENT: _l("Give the day you sent it below."),
}
#: What the last step did, on the banner of the page it comes back to.
DONE = {
    S.CONSIDERING: _l("Marked as being considered"),
    S.PASSED_ON: _l("Recorded as passed on"),
    S.DECIDED: _l("Decision recorded"),
    S.RETURNED: _l("Returned to the victim with your comments"),
    S.SUMMARY_SENT: _l("Recorded that the summary was sent"),
}
#: Each step of a request's history, as an officer reads it.
STEPS = {
    S.SENT: _l("Sent by the victim"),
    S.CONSIDERING: _l("Marked as being considered"),
    S.PASSED_ON: _l("Passed to the Parole Board or prison"),
    S.DECIDED: _l("Decision recorded"),
    S.RETURNED: _l("Returned to the victim with comments"),
    S.SUMMARY_SENT: _l("Decision summary sent"),
}
KIND_STEPS = {(K.PERSONAL_STATEMENT, S.PASSED_ON): _l("Passed to the Parole Board")}
SENT_AGAIN = _l("Sent again by the victim, changed")
BY_THE_VICTIM = _l("The victim")
WORDS_TO_VICTIM = _l("What the victim read:")

#: Errors of the form that moves a request on.
CHOOSE_STEP = _l("Select what you have done")
WORDS_NEEDED = {
    S.DECIDED: _l("Explain the decision to the victim"),
    S.RETURNED: _l("Write your comments for the victim"),
}
WORDS_TOO_LONG = _l(
    "What the victim will read must be %(max)d characters or fewer",
    max=rules.OFFICER_WORDS_LENGTH,
)
#: The day a decision summary was sent cannot come before the victim asked for it.
SENT_BEFORE_ASKED = _l("The date must be on or after %(date)s, the day the victim asked for it")
WORDS_CONTROL = _l("What the victim will read must not include special characters")
MOVED_ON = _l(
    "This request has changed since you opened the page, or that step cannot follow where "
    "it is now. Nothing was changed: check where it is and choose again."
)
CASE_REFUSED = _l(
    "This case is closed or joined to another case, so its requests cannot be moved on."
)

#: The answers, as an officer reads them.
ROW_NAMES = {
    "no_contact": _l("Who the offender must not contact"),
    "family_who": _l("Who in the family"),
    "exclusion_zone": _l("Exclusion zone"),
    "places": _l("The places, in the victim’s words"),
    "other_concerns": _l("Other concerns"),
    "physical": _l("Physical effects"),
    "emotional": _l("Emotional effects"),
    "financial": _l("Financial effects"),
    "family": _l("Effects on the family"),
    "anything_else": _l("Anything else"),
    "how_given": _l("How it will be given"),
}
NO_CONTACT = {
    "me": _l("The victim"),
    "family": _l("The victim’s family"),
    "none": _l("Not asked for"),
}
EXCLUSION_ZONE = {"yes": _l("Asked for"), "no": _l("Not asked for")}
HOW_GIVEN = {
    "panel_reads": _l("The panel reads it"),
    "i_read": _l("The victim reads it out at the hearing"),
    "recorded": _l("The victim records it for the panel"),
    "video_link": _l("The victim reads it out by video link"),
}
NOT_WRITTEN = _l("Not written")
NOTHING = _l("Nothing")


def status_words(kind: RequestKind, status: RequestStatus):
    return KIND_STATUSES.get((kind, status), STATUSES[status])


def step_words(kind: RequestKind, status: RequestStatus):
    return KIND_STEPS.get((kind, status), STEPS[status])
