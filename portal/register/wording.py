"""The words of the registration pages that Python needs: titles, choices, messages.

Titles change with who is registering ("your name" or "the victim's name").
Choice labels are used by the question pages and by check your answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import format_date, lazy_pgettext
from flask_babel import lazy_gettext as _l

from portal.domain.courts import court_by_code
from portal.services.verification import CheckResult

CHOICES = {
    "registering_as": {
        "self": _l("I am the victim"),
        "parent": _l("I am the parent or guardian of a child victim"),
        "bereaved": _l("I am close family of someone who died because of the crime"),
        "supporter": _l("I am helping a victim, and they agree"),
    },
    "ways": {
        "email": _l("Email"),
        "sms": _l("Text message"),
        "phone": _l("Phone call"),
        "letter": _l("Letter"),
    },
    "language": {"en": _l("English"), "cy": _l("Welsh (Cymraeg)")},
    "accessibility_needs": {
        "large-print": _l("Large print"),
        "easy-read": _l("Easy read"),
        "interpreter": _l("An interpreter"),
        "bsl": _l("British Sign Language (BSL)"),
        "none": _l("No, none of these"),
    },
    "offence_type": {
        "violent": _l("A violent crime"),
        "sexual": _l("A sexual crime"),
        "other": _l("Another kind of crime"),
        "not-sure": _l("I am not sure"),
    },
    "updates_wanted": {
        "every_stage": _l("Tell me about every key stage"),
        "release_only": _l("Only tell me about release"),
        "annual": _l("Give me an update once a year"),
    },
    "when": {"any-time": _l("At any time"), "between": _l("Only at certain times")},
    # Welsh answers follow the question's verb, so every yes and no has its
    # question as context: "Can we leave a voicemail?" is answered "Cewch / Na chewch".
    "voicemail": {
        "yes": lazy_pgettext("Can we leave a voicemail?", "Yes"),
        "no": lazy_pgettext("Can we leave a voicemail?", "No"),
    },
}

HINTS = {
    "registering_as": {
        "supporter": _l("For example, a friend or a support worker."),
    },
    "updates_wanted": {
        "every_stage": _l("Such as parole reviews, moves to open prison, release and licence."),
        "release_only": _l("We will tell you the month the offender is released."),
        "annual": _l("A short update each year, and news of release."),
    },
}

TITLES = {
    "who": _l("Who is registering?"),
    "relationship": _l("What is your relationship to the victim?"),
    "your-name": _l("What is your full name?"),
    "date-of-birth": _l("What is the victim’s date of birth?"),
    "contact": _l("How can we contact you?"),
    "safe-contact": _l("Which of these is it safe for us to use?"),
    "phone-calls": _l("Phone calls"),
    "letters": _l("Is there a name we should not put on envelopes?"),
    "language": _l("Which language do you want us to write to you in?"),
    "accessibility": _l("Do you need any of these to read or talk to us?"),
    "offender": _l("What is the name of the person who committed the crime?"),
    "offence": _l("What kind of crime was it?"),
    "court": _l("Which court sentenced them?"),
    "sentenced": _l("When were they sentenced?"),
    "sentence": _l("About the sentence"),
    "updates": _l("How much do you want to hear?"),
}
VICTIM_NAME = {
    "self": _l("What is your full name?"),
    "bereaved": _l("What was the full name of the person who died?"),
    "other": _l("What is the victim’s full name?"),
}
DATE_OF_BIRTH_SELF = _l("What is your date of birth?")

PAGE_TITLES = {
    "check-answers": _l("Check your answers"),
    "verify": _l("Where should we send a security code?"),
    "verify-none": _l("We need an email address or mobile number"),
    "security-code": _l("Enter the security code"),
    "declaration": _l("Send your request to join"),
    "confirmation": _l("Request sent"),
    "resume": _l("Enter your email address or mobile number"),
}

CHOOSE_WHERE = _l("Select where to send the code")
TOO_MANY_CODES = _l("Too many codes have been asked for. Wait an hour, then try again.")
RESUME_FORMAT = _l("Enter an email address like name@example.com, or a UK mobile number")
CODE_RESULTS = {
    CheckResult.WRONG: _l("The security code is not right. Check it and try again."),
    CheckResult.EXPIRED: _l("This code has expired. Ask for a new code."),
    CheckResult.TOO_MANY_ATTEMPTS: _l(
        "You have entered the wrong code too many times. Ask for a new code."
    ),
    CheckResult.NO_CODE: _l("Ask for a new code."),
}


@dataclass
class Words:
    title: str
    choices: dict = field(default_factory=dict)


def question(slug: str, answers: dict) -> Words:
    who = answers.get("registering_as")
    if slug == "victim-name":
        title = VICTIM_NAME.get(who, VICTIM_NAME["other"])
    elif slug == "date-of-birth" and who == "self":
        title = DATE_OF_BIRTH_SELF
    else:
        title = TITLES[slug]
    return Words(title=title, choices=CHOICES)


# --- check your answers -----------------------------------------------------------------------

SECTIONS = {
    "you": _l("About you"),
    "contact": _l("How we contact you"),
    "case": _l("About the case"),
}
ROW_NAMES = {
    "registering_as": _l("Who is registering"),
    "relationship": _l("Relationship to the victim"),
    "your_name": _l("Your name"),
    "victim_name": _l("Victim’s name"),
    "date_of_birth": _l("Date of birth"),
    "email": _l("Email"),
    "sms": _l("Mobile number for texts"),
    "phone": _l("Phone number for calls"),
    "letter": _l("Address for letters"),
    "safe": _l("Safe to use"),
    "call_times": _l("Safe times to call"),
    "voicemail": _l("Voicemail"),
    "envelope": _l("Name not to put on envelopes"),
    "language": _l("Language for letters and messages"),
    "accessibility": _l("Help to read or talk to us"),
    "offender_name": _l("Offender’s name"),
    "offence_type": _l("Kind of crime"),
    "court": _l("Court"),
    "sentenced_in": _l("When they were sentenced"),
    "sentence": _l("Sentence"),
    "external_reference": _l("Police or court reference"),
    "updates_wanted": _l("How much you want to hear"),
}
NOT_GIVEN = _l("Not given")
NOT_KNOWN = _l("I do not know")
NOT_LISTED = _l("Not listed, or not sure")
NONE = _l("None")
ANY_TIME = _l("At any time")
#: One whole sentence: Welsh cannot join "Between" + time + "and" + time ("a" is "ac" before 11:00).
CALL_TIMES = _l("From %(start)s to %(end)s")
SAFE_WAYS = _l("Safe")
NOT_SAFE = _l("Not safe: we will not use it")


def _row(key: str, value, slug: str, typed: bool = False) -> dict:
    """One row; `typed` marks what the person wrote (or a court's name), not our words."""
    given = value not in (None, "")
    return {
        "name": ROW_NAMES[key],
        "value": value if given else NOT_GIVEN,
        "href": url_for("register.question", slug=slug, change=1),
        "typed": typed and given,
    }


def summary(answers: dict, language: str) -> list[dict]:
    """The answers in sections, as check your answers shows them, with their Change links."""
    who = answers["registering_as"]
    you = [_row("registering_as", CHOICES["registering_as"][who], "who")]
    if "relationship" in answers:
        you.append(_row("relationship", answers["relationship"], "relationship", typed=True))
    if "your_name" in answers:
        you.append(_row("your_name", answers["your_name"], "your-name", typed=True))
    you.append(_row("victim_name", answers["victim_name"], "victim-name", typed=True))
    born = answers.get("date_of_birth")
    born_text = format_date(date.fromisoformat(born), format="long") if born else NOT_KNOWN
    you.append(_row("date_of_birth", born_text, "date-of-birth"))

    contact = []
    for way, detail in answers["contacts"].items():
        contact.append(_row(way, detail["value"], "contact", typed=True))
        contact[-1]["extra"] = SAFE_WAYS if detail.get("safe") else NOT_SAFE
    safe = [str(CHOICES["ways"][way]) for way, d in answers["contacts"].items() if d.get("safe")]
    contact.append(_row("safe", ", ".join(safe), "safe-contact"))
    if "voicemail_safe" in answers:
        times = (
            CALL_TIMES % {"start": answers["safe_from"], "end": answers["safe_until"]}
            if answers.get("safe_from")
            else ANY_TIME
        )
        contact.append(_row("call_times", times, "phone-calls"))
        voicemail = CHOICES["voicemail"]["yes" if answers["voicemail_safe"] else "no"]
        contact.append(_row("voicemail", voicemail, "phone-calls"))
    if "envelope_name_to_avoid" in answers:
        avoid = answers["envelope_name_to_avoid"]
        contact.append(_row("envelope", avoid or NONE, "letters", typed=bool(avoid)))
    contact.append(_row("language", CHOICES["language"][answers["language"]], "language"))
    needs = [CHOICES["accessibility_needs"][n] for n in answers["accessibility_needs"]]
    contact.append(_row("accessibility", ", ".join(str(n) for n in needs) or NONE, "accessibility"))

    court = court_by_code(answers["court"])
    court_name = (court.name_cy if language == "cy" else court.name_en) if court else NOT_LISTED
    sentenced = answers.get("sentenced_in")
    if sentenced:
        year, month = (int(part) for part in sentenced.split("-"))
        sentenced = format_date(date(year, month, 1), format="MMMM y")
    case = [
        _row("offender_name", answers["offender_name"], "offender", typed=True),
        _row("offence_type", CHOICES["offence_type"][answers["offence_type"]], "offence"),
        _row("court", court_name, "court"),
        _row("sentenced_in", sentenced or NOT_KNOWN, "sentenced"),
        _row("sentence", answers.get("sentence"), "sentence", typed=True),
        _row("external_reference", answers.get("external_reference"), "sentence", typed=True),
        _row("updates_wanted", CHOICES["updates_wanted"][answers["updates_wanted"]], "updates"),
    ]
    return [
        {"title": SECTIONS["you"], "rows": you},
        {"title": SECTIONS["contact"], "rows": contact},
        {"title": SECTIONS["case"], "rows": case},
    ]


def way_label(way: str) -> str:
    return str(CHOICES["ways"][way])
