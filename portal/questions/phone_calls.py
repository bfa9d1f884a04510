"""Phone calls, when a phone number is safe: safe times to call, and whether a voicemail is safe."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_pgettext
from wtforms import RadioField, SelectChoice, ValidationError

from portal.domain.journey import Choice
from portal.domain.registration_flow import safe_to_use
from portal.language import lazy_gettext as _l
from portal.questions.declaration import Question, row
from portal.questions.fields import QuestionForm, radio_field

WHEN = (Choice("any-time", _l("At any time")), Choice("between", _l("Only at certain times")))
# Welsh answers follow the question's verb, so every yes and no has its
# question as context: "Can we leave a voicemail?" is answered "Cewch / Na chewch".
VOICEMAIL = (
    Choice("yes", lazy_pgettext("Can we leave a voicemail?", "Yes")),
    Choice("no", lazy_pgettext("Can we leave a voicemail?", "No")),
)
ANY_TIME = _l("At any time")
#: One whole sentence: Welsh cannot join "Between" + time + "and" + time ("a" is "ac" before 11:00).
CALL_TIMES = _l("From %(start)s to %(end)s")

#: Hours offered for safe call times: 8am to 8pm.
CALL_HOURS = tuple(f"{hour:02d}:00" for hour in range(8, 21))


class PhoneCallsForm(QuestionForm):
    when = radio_field(_l("Select when it is safe to call"), ("any-time", "between"))
    safe_from = RadioField(choices=[SelectChoice(h) for h in CALL_HOURS], validate_choice=False)
    safe_until = RadioField(choices=[SelectChoice(h) for h in CALL_HOURS], validate_choice=False)
    voicemail = radio_field(_l("Select yes if we can leave a voicemail"), ("yes", "no"))

    def validate_safe_from(self, field):
        if self.when.data == "between" and field.data not in CALL_HOURS:
            raise ValidationError(_l("Select the earliest time we can call"))

    def validate_safe_until(self, field):
        if self.when.data != "between":
            return
        if field.data not in CALL_HOURS:
            raise ValidationError(_l("Select the latest time we can call"))
        if self.safe_from.data in CALL_HOURS and field.data <= self.safe_from.data:
            raise ValidationError(_l("The latest time must be after the earliest time"))

    def answers(self, before: dict) -> dict:
        between = self.when.data == "between"
        return {
            "safe_from": self.safe_from.data if between else None,
            "safe_until": self.safe_until.data if between else None,
            "voicemail_safe": self.voicemail.data == "yes",
        }

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        if "voicemail_safe" not in answers:
            return {}
        between = bool(answers.get("safe_from"))
        return {
            "when": "between" if between else "any-time",
            "safe_from": answers.get("safe_from"),
            "safe_until": answers.get("safe_until"),
            "voicemail": "yes" if answers["voicemail_safe"] else "no",
        }


#: The voicemail answer on check your answers, where its question is not shown.
VOICEMAIL_SUMMARY = {
    True: lazy_pgettext("check your answers", "You can leave a voicemail"),
    False: lazy_pgettext("check your answers", "Do not leave a voicemail"),
}


def _rows(answers: dict, language: str) -> list:
    times = (
        CALL_TIMES % {"start": answers["safe_from"], "end": answers["safe_until"]}
        if answers.get("safe_from")
        else ANY_TIME
    )
    # A whole answer away from its question: "Cewch" alone reads oddly in Welsh.
    voicemail = VOICEMAIL_SUMMARY[bool(answers["voicemail_safe"])]
    return [row(_l("Safe times to call"), times), row(_l("Voicemail"), voicemail)]


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def _record(answers: dict) -> dict:
    # The safe times are kept with every way of contact; a voicemail is a phone's.
    return {
        "every_contact.safe_from": _time(answers.get("safe_from")),
        "every_contact.safe_until": _time(answers.get("safe_until")),
        "phone.voicemail_safe": bool(answers.get("voicemail_safe", False)),
    }


QUESTION = Question(
    slug="phone-calls",
    keys=("safe_from", "safe_until", "voicemail_safe"),
    applies=lambda a: safe_to_use(a, "phone"),
    form=PhoneCallsForm,
    title=_l("Phone calls"),
    template="register/questions/phone-calls.html",
    options={
        "when": WHEN,
        "voicemail": VOICEMAIL,
        "hours": tuple(Choice(hour, hour) for hour in CALL_HOURS),
    },
    section="contact",
    rows=_rows,
    record=_record,
)
