"""The words of a victim's case page, in the catalogue (Welsh beside the English)."""

from __future__ import annotations

from flask_babel import format_decimal, get_locale, gettext, ngettext

from portal.domain.messages import Show
from portal.language import lazy_gettext as _l
from portal.models import CaseStatus, DeclineReason, SentenceStage, TimelineEventKind
from portal.sentence_stages import NAMES

YOUR_CASE = _l("Your case")
YOUR_CASES = _l("Your cases")

#: The stages' names come from one place, shared with the information page and its picture.
STAGES = NAMES

#: What the stage the sentence is at means for the victim, in a sentence.
STAGE_MEANS = {
    SentenceStage.SENTENCE: _l(
        "The offender has been sentenced. Your Victim Liaison Officer can explain what the "
        "sentence means."
    ),
    SentenceStage.CUSTODY: _l(
        "The offender is in prison or hospital. We will tell you about any big changes, such as a "
        "move to an open prison."
    ),
    SentenceStage.PAROLE: _l(
        "The Parole Board is looking at whether the offender can be released. You can write a "
        "Victim Personal Statement, and ask for licence conditions."
    ),
    SentenceStage.RELEASE: _l(
        "The offender has been released on licence. We tell you the month of release, never where "
        "they live."
    ),
    SentenceStage.LICENCE_CONDITIONS: _l(
        "The offender must keep to licence conditions. Tell your Victim Liaison Officer if you "
        "think a condition has been broken."
    ),
    SentenceStage.RECALL: _l(
        "The offender has been sent back to prison for breaking the licence. We will tell you if "
        "they may be released again."
    ),
    SentenceStage.END_OF_SENTENCE: _l(
        "The sentence and licence have ended, so the scheme's updates end too."
    ),
}

STATUSES = {
    CaseStatus.TRIAGE: _l("Waiting for a Victim Liaison Officer"),
    CaseStatus.ACTIVE: _l("Getting updates"),
    CaseStatus.PAUSED: _l("Paused: you asked us not to contact you for now"),
    CaseStatus.DECLINED: _l("We could not accept your request to join"),
    # Only a case the victim left is shown closed (portal.services.sign_in).
    CaseStatus.CLOSED: _l("You left the scheme"),
}

EVENT_KINDS = {
    TimelineEventKind.STAGE: _l("Sentence update"),
    TimelineEventKind.CALL: _l("Phone call"),
    TimelineEventKind.LETTER: _l("Letter"),
    TimelineEventKind.MESSAGE: _l("Message"),
    TimelineEventKind.NOTE: _l("Update"),
    TimelineEventKind.MEETING: _l("Meeting"),
    TimelineEventKind.TRIAGE: _l("Your request to join"),
    TimelineEventKind.REQUEST: _l("Your request to your officer"),
    # A handover note (TimelineEventKind.HANDOVER) is for the next officer: never shown here.
}

#: Why a request to join was declined, told kindly and plainly (no jargon, no blame).
DECLINE_REASONS = {
    DeclineReason.SENTENCE_TOO_SHORT: _l(
        "The scheme is for cases where the offender was sent to prison for 12 months or more, "
        "or given a hospital order. From what we found, the sentence in your case was shorter "
        "than this."
    ),
    DeclineReason.OFFENCE_NOT_COVERED: _l(
        "The scheme is for people affected by violent or sexual crimes. From what we found, the "
        "crime in your case is not one of these."
    ),
    DeclineReason.CASE_NOT_FOUND: _l(
        "We could not find the case from the details we have. If you can tell us more, such as "
        "the court, when the offender was sentenced or a police reference, we will look again."
    ),
    DeclineReason.NOT_ELIGIBLE_PERSON: _l(
        "The scheme is for victims, close family of someone who died because of a crime, and "
        "parents or guardians of a child victim. From what you told us, we cannot add you to it."
    ),
    DeclineReason.OTHER: _l("Your Victim Liaison Unit has explained why below."),
}

SIGNED_OUT_REASONS = {
    "timeout": _l("You were signed out to keep your information safe. Sign in again to carry on."),
    "contact-changed": _l(
        "We no longer use the email address or mobile number you signed in with, so you have "
        "been signed out. Sign in again with one that is safe."
    ),
}


# --- messages ----------------------------------------------------------------------------

MESSAGES = _l("Messages")

#: What the timeline on the case page can show (portal.domain.messages.Show).
SHOW = {
    Show.EVERYTHING: _l("Everything"),
    Show.MESSAGES: _l("Messages"),
    Show.CONTACTS: _l("Calls, letters and meetings"),
    Show.STAGES: _l("Sentence updates"),
}

#: Said to a screen reader when the timeline's filter has changed what it shows.
SHOWING = {
    Show.EVERYTHING: _l("Showing everything"),
    Show.MESSAGES: _l("Showing messages only"),
    Show.CONTACTS: _l("Showing calls, letters and meetings only"),
    Show.STAGES: _l("Showing sentence updates only"),
}


def plural_forms(translate) -> dict[str, str]:
    """`translate(number)` (an ngettext call) for each CLDR plural category of the page's
    language, as the GOV.UK components' data-i18n attributes take them (Welsh has six:
    zero, one, two, few, many, other). Each is called with a number of its category, so
    the catalogue's own plural forms are used."""
    rule = get_locale().plural_form
    return {
        tag: translate(next(n for n in range(1000) if rule(n) == tag))
        for tag in sorted({*rule.tags, "other"})
    }


def character_count(limit: int) -> dict:
    """The GOV.UK character count's words, in the page's language. Its script fills in
    %{count}; without JavaScript only the description is shown, with the limit."""
    count = "%{count}"
    return {
        "textareaDescriptionText": gettext(
            "You can enter up to %(limit)s characters", limit=format_decimal(limit)
        ),
        "charactersUnderLimitText": plural_forms(
            lambda n: ngettext(
                "You have %(count)s character remaining",
                "You have %(count)s characters remaining",
                n,
                count=count,
            )
        ),
        "charactersAtLimitText": gettext("You have 0 characters remaining"),
        "charactersOverLimitText": plural_forms(
            lambda n: ngettext(
                "You have %(count)s character too many",
                "You have %(count)s characters too many",
                n,
                count=count,
            )
        ),
    }
