"""The words of a victim's requests to their officer, in the catalogue (Welsh beside the
English): one status vocabulary for every kind, with the few words a kind needs of its own."""

from __future__ import annotations

from flask_babel import lazy_pgettext

from portal.language import lazy_gettext as _l
from portal.models import RequestKind, RequestStatus

K, S = RequestKind, RequestStatus

LIST_TITLE = _l("Requests to your officer")

#: Each kind's name, as the victim's pages call it (a heading, a row of their list).
KIND_NAMES = {
    K.LICENCE_CONDITIONS: _l("Request for licence conditions"),
    K.PERSONAL_STATEMENT: _l("Victim Personal Statement"),
    K.DECISION_SUMMARY: _l("Request for the decision summary"),
}
#: The page that explains a kind and starts it.
START_TITLES = {
    K.LICENCE_CONDITIONS: _l("Ask for licence conditions"),
    K.PERSONAL_STATEMENT: _l("Write a Victim Personal Statement"),
    K.DECISION_SUMMARY: _l("Ask for the decision summary"),
}
#: What each kind is for, a line on the list of requests.
KIND_PURPOSES = {
    K.LICENCE_CONDITIONS: _l(
        "Ask for rules the offender must follow when they are released that protect you "
        "and your family."
    ),
    K.PERSONAL_STATEMENT: _l(
        "Tell the Parole Board, in your own words, how the crime has affected you."
    ),
    K.DECISION_SUMMARY: _l(
        "After a parole decision, ask for a summary of what was decided and why."
    ),
}

#: Where a request is, as the victim reads it (an MOJ/GOV.UK tag: words and a colour).
STATUSES = {
    S.DRAFT: _l("Not sent yet"),
    S.SENT: _l("Sent to your officer"),
    S.CONSIDERING: _l("Being considered"),
    S.PASSED_ON: _l("Passed to the Parole Board or prison"),
    S.DECIDED: _l("Decided"),
    S.RETURNED: _l("Returned to you with comments"),
    S.SUMMARY_SENT: _l("Summary sent"),
}
#: The few statuses a kind names its own way.
KIND_STATUSES = {(K.PERSONAL_STATEMENT, S.PASSED_ON): _l("Passed to the Parole Board")}
COLOURS = {
    S.DRAFT: "grey",
    S.SENT: "blue",
    S.CONSIDERING: "light-blue",
    S.PASSED_ON: "purple",
    S.DECIDED: "green",
    S.RETURNED: "orange",
    S.SUMMARY_SENT: "green",
}
#: What a status means for the victim, on the request's page.
MEANINGS = {
    S.DRAFT: _l(
        "Only you can see this. Your answers are saved. Send it to your officer when you are ready."
    ),
    S.SENT: _l("Your officer has it. They will tell you what happens next."),
    S.CONSIDERING: _l("Your officer is looking at it."),
    S.PASSED_ON: _l(
        "Your officer has passed your request to the Parole Board or the prison, who decide "
        "which conditions are set. Your officer will tell you the decision and explain it."
    ),
    S.DECIDED: _l("A decision has been made. Your officer explains it below."),
    S.RETURNED: _l(
        "Your officer has sent your statement back with comments. Read them, change your "
        "statement if you want to, and send it again."
    ),
    S.SUMMARY_SENT: _l("Your officer has sent you the summary of the decision."),
}
KIND_MEANINGS = {
    (K.PERSONAL_STATEMENT, S.PASSED_ON): _l(
        "Your officer has passed your statement to the Parole Board. The panel reads it "
        "before it makes its decision."
    ),
    (K.DECISION_SUMMARY, S.SENT): _l(
        "Your officer has your request. They will send you the summary when they have it."
    ),
}
#: What each step of a request's history says (who did it is in the words).
STEPS = {
    S.SENT: _l("You sent it to your officer"),
    S.CONSIDERING: _l("Your officer started considering it"),
    S.PASSED_ON: _l("Your officer passed it to the Parole Board or prison"),
    S.DECIDED: _l("Your officer told you the decision"),
    S.RETURNED: _l("Your officer returned it with comments"),
    S.SUMMARY_SENT: _l("Your officer sent you the summary"),
}
KIND_STEPS = {(K.PERSONAL_STATEMENT, S.PASSED_ON): _l("Your officer passed it to the Parole Board")}
#: The heading above the officer's words at a step.
OFFICER_WORDS = {
    S.DECIDED: _l("The decision, explained by your officer"),
    S.RETURNED: _l("Your officer’s comments"),
}
OFFICER_NOTE = _l("What your officer wrote")

#: The pages of each kind (portal.domain.requests.QUESTIONS), by their address.
PAGE_TITLES = {
    "no-contact": _l("Who should the offender not contact?"),
    "exclusion-zone": _l("Do you want to ask for an exclusion zone?"),
    "other-concerns": _l("Is anything else worrying you?"),
    "physical": _l("Physical effects"),
    "emotional": _l("Emotional effects"),
    "financial": _l("Financial effects"),
    "family": _l("Effects on your family"),
    "anything-else": _l("Anything else"),
    "how-given": _l("How do you want your statement to be given?"),
}
#: What each section of the statement asks about.
SECTION_HINTS = {
    "physical": _l(
        "How the crime has affected your body and your health. For example, injuries, pain, "
        "sleep, or treatment you have needed."
    ),
    "emotional": _l(
        "How the crime has affected how you feel and how you live. For example, fear, anger, "
        "anxiety, your confidence, or places you no longer go."
    ),
    "financial": _l(
        "What the crime has cost you. For example, time off work, a job you lost, moving "
        "home, or paying for treatment or security."
    ),
    "family": _l(
        "How the crime has affected your family and the people close to you, and your "
        "relationships with them."
    ),
    "anything-else": _l(
        "Anything else you want the Parole Board to know about how the crime has affected you."
    ),
}
CHECK_TITLE = _l("Check your answers")
CHECK_STATEMENT_TITLE = _l("Check your statement")
REFUSED_TITLE = _l("You cannot do this now")

#: Why a request cannot be sent yet (the check page's error, linked to the page to fix).
NOT_READY = {
    "nothing-asked": _l(
        "Select who the offender should not contact, ask for an exclusion zone, or tell us "
        "what else worries you"
    ),
    "no-places": _l(
        "Describe the places that matter to you, or say you do not want an exclusion zone"
    ),
    "nothing-written": _l("Write at least one section of your statement"),
    "no-how-given": _l("Select how you want your statement to be given"),
}

#: The answers, as the check page and the request's page show them.
ROW_NAMES = {
    "no_contact": _l("Who the offender should not contact"),
    "family_who": _l("Who in your family"),
    "exclusion_zone": _l("An exclusion zone"),
    "places": _l("The places that matter to you"),
    "other_concerns": _l("Anything else that worries you"),
    "physical": _l("Physical effects"),
    "emotional": _l("Emotional effects"),
    "financial": _l("Financial effects"),
    "family": _l("Effects on your family"),
    "anything_else": _l("Anything else"),
    "how_given": _l("How it will be given"),
}
NO_CONTACT_CHOICES = {
    "me": _l("Me"),
    "family": _l("My family"),
    "none": _l("I do not want to ask for this"),
}
#: Welsh answers follow the question's verb ("Ydych chi eisiau…?": Ydw / Nac ydw).
EXCLUSION_ZONE_CHOICES = {
    "yes": lazy_pgettext("Do you want to ask for an exclusion zone?", "Yes"),
    "no": lazy_pgettext("Do you want to ask for an exclusion zone?", "No"),
}
EXCLUSION_ZONE_ROWS = {"yes": _l("Asked for"), "no": _l("Not asked for")}
HOW_GIVEN_CHOICES = {
    "panel_reads": _l("The panel reads it"),
    "i_read": _l("I read it out at the hearing"),
    "recorded": _l("I record it, and the panel listens to it or watches it"),
    "video_link": _l("I read it out by video link, so I do not have to be in the room"),
}
NOT_WRITTEN = _l("Not written")
NOTHING = _l("Nothing")
NOT_ANSWERED = _l("Not answered yet")


def status_words(kind: RequestKind, status: RequestStatus):
    return KIND_STATUSES.get((kind, status), STATUSES[status])


def meaning(kind: RequestKind, status: RequestStatus):
    return KIND_MEANINGS.get((kind, status), MEANINGS[status])


def step_words(kind: RequestKind, status: RequestStatus):
    return KIND_STEPS.get((kind, status), STEPS[status])
