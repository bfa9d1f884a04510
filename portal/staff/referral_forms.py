"""The referral form: one page for an officer at a desk, a group of fields a section.

Officers type referrals from a paper or emailed Witness Care Unit form, so the
questions a victim is asked one a page online are here on one page (GOV.UK's
guidance on complex questions allows it for expert users). The form is built
from the registration questions' own forms (portal/questions/): the same
fields and checks (email addresses with email-validator, phone numbers with
phonenumbers, through portal.domain.contact_details; names, dates, the court),
and the same answers, which the referral service turns into a record the way
registering does. Only what a registration says to the person registering
("Enter your email address") is said to the officer instead, and a date given
on paper may be left out where registering asks "I do not know".
"""

from __future__ import annotations

from datetime import date

from wtforms import (
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length

from portal.domain.journey import Choice
from portal.domain.registration_flow import (
    ACCESSIBILITY_NEEDS,
    CONTACT_WAYS,
    OFFENCE_TYPES,
    REGISTERING_AS,
)
from portal.forms import is_submission_key, new_submission_key
from portal.language import lazy_gettext as _l
from portal.models import VictimLiaisonOfficer
from portal.questions import accessibility, offence, phone_calls
from portal.questions import language as language_question
from portal.questions.contact import NOT_SAFE, SAFE, ContactForm
from portal.questions.court import CourtForm
from portal.questions.date_of_birth import DateOfBirthForm
from portal.questions.fields import DateForm, DateParts, date_part, radio_field, text_field
from portal.questions.letters import LettersForm
from portal.questions.offender import OffenderForm
from portal.questions.phone_calls import PhoneCallsForm
from portal.questions.sentence import SentenceForm
from portal.questions.sentenced import SentencedForm
from portal.questions.victim_name import VictimNameForm
from portal.services.referrals import Referral, may_give_to, may_put_in
from portal.validators import EachOneOf, PersonName, PlainText, strip

REFERRAL_DATE = DateParts(
    {
        "empty": _l("Enter the date of the referral"),
        "missing-day": _l("The date of the referral must include a day"),
        "missing-month": _l("The date of the referral must include a month"),
        "missing-year": _l("The date of the referral must include a year"),
        "missing-day-month": _l("The date of the referral must include a day and month"),
        "missing-day-year": _l("The date of the referral must include a day and year"),
        "missing-month-year": _l("The date of the referral must include a month and year"),
        "real": _l("The date of the referral must be a real date"),
        "year": _l("Year must include 4 numbers"),
        "future": _l("The date of the referral must be today or in the past"),
        "early": _l("The date of the referral must be after 1950"),
    },
    need_day=True,
    earliest_year=1950,
)
BEFORE_SENTENCE = _l("The date of the referral must be the same as or after the sentence")

#: Who we will be in contact with, in the officer's words (values: registering's).
CONTACT_PERSON = (
    Choice("self", _l("The victim")),
    Choice("parent", _l("A parent or guardian of a child victim")),
    Choice("bereaved", _l("Close family of someone who died because of the crime")),
    Choice("supporter", _l("Someone helping the victim, with their agreement")),
)
#: The kinds of crime (values: registering's), with the police's "not known".
OFFENCE_CHOICES = (
    *offence.QUESTION.choices[:3],
    Choice("not-sure", _l("Not known")),
)
#: Access needs: registering's, and one in other words.
ACCESS_NEEDS = (
    *(choice for choice in accessibility.CHOICES if choice.value in ACCESSIBILITY_NEEDS),
    Choice("other", _l("Something else")),
)
#: Whether a contact detail is safe to use: registering's words for it.
SAFETY = (Choice("yes", SAFE), Choice("no", NOT_SAFE))
SAFETY_NEEDED = {
    "email": _l("Select whether it is safe to email this address"),
    "sms": _l("Select whether it is safe to text this number"),
    "phone": _l("Select whether it is safe to call this number"),
    "letter": _l("Select whether it is safe to send letters to this address"),
}
#: The fields in page order, for the error summary.
PAGE_ORDER = (
    "referred_by", "referred", "region", "officer", "victim_name", "born", "registering_as",
    "representative_name", "language", "accessibility_needs", "accessibility_other", "email",
    "email_safe", "mobile", "mobile_safe", "phone", "phone_safe", "address_line_1",
    "address_line_2", "town", "postcode", "letter_safe", "envelope_name_to_avoid", "when",
    "safe_from", "safe_until", "voicemail", "offender_name", "offence_type", "court",
    "sentenced", "sentence", "external_reference",
)  # fmt: skip
#: The safety answer of each way of contact.
SAFETY_FIELDS = {"email": "email_safe", "sms": "mobile_safe", "phone": "phone_safe",
                 "letter": "letter_safe"}  # fmt: skip


class _Part:
    """A question's date form as one part of the referral form: the whole form's token
    covers it, and the whole form tells it the day (`today`)."""

    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("today", date.min)
        super().__init__(*args, **kwargs)


class ReferralDateForm(_Part, DateForm):
    """The day the Witness Care Unit referred: it must be given."""

    day = date_part(2)
    month = date_part(2)
    year = date_part(4)
    parts = REFERRAL_DATE
    key = "referred_on"

    def _as_text(self) -> str:
        return date(int(self.year.data), int(self.month.data), int(self.day.data)).isoformat()

    _as_parts = staticmethod(DateOfBirthForm._as_parts)


class _LeftEmptyIfNotKnown:
    """A date a referral may not give: left empty, it is not known (registering asks
    "I do not know" instead)."""

    def validate(self, extra_validators=None) -> bool:
        parts = [name for name in ("day", "month", "year") if name in self._fields]
        if not any((self._fields[name].data or "").strip() for name in parts):
            self.not_known.data = True
        return super().validate(extra_validators)


class BornForm(_LeftEmptyIfNotKnown, _Part, DateOfBirthForm):
    """The victim's date of birth."""


class SentencedPart(_LeftEmptyIfNotKnown, _Part, SentencedForm):
    """When the offender was sentenced, to the month."""


class ReferralContactForm(ContactForm):
    """Registering's contact details, without its "which ways" boxes: a detail typed is a
    detail given, and each gets its own safety answer."""

    ways = None

    def _chosen(self, way: str) -> bool:
        return self.typed(way)

    def typed(self, way: str) -> bool:
        names = {
            "email": ("email",),
            "sms": ("mobile",),
            "phone": ("phone",),
            "letter": ("address_line_1", "address_line_2", "town", "postcode"),
        }[way]
        return any((self._fields[name].data or "").strip() for name in names)


class ReferralForm(
    ReferralContactForm,
    PhoneCallsForm,
    LettersForm,
    VictimNameForm,
    OffenderForm,
    CourtForm,
    SentenceForm,
):
    """A Witness Care Unit's referral. Build it with the officer entering it and what they
    may choose: `regions` (an admin's choice; None: their own region) and `officers`
    (a manager's or an admin's choice; None: themself)."""

    referred_by = StringField(
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name of the Witness Care Unit")),
            Length(max=200, message=_l("The Witness Care Unit must be 200 characters or fewer")),
            PlainText(_l("Enter the name of the Witness Care Unit as it is written")),
        ],
    )
    referred = FormField(ReferralDateForm)
    #: A one-time key made when the form is shown: sent twice, it makes one case.
    submission_key = HiddenField()
    region = StringField()
    officer = StringField()
    born = FormField(BornForm)
    registering_as = radio_field(_l("Select who we will contact"), REGISTERING_AS)
    representative_name = text_field(
        200, _l("Name must be 200 characters or fewer"), PersonName(_l("Name must include letters"))
    )
    language = radio_field(
        _l("Select the language to write to them in"),
        tuple(choice.value for choice in language_question.QUESTION.choices),
    )
    accessibility_needs = SelectMultipleField(
        choices=[SelectChoice(choice.value) for choice in ACCESS_NEEDS],
        validate_choice=False,
        validators=[
            EachOneOf(
                tuple(choice.value for choice in ACCESS_NEEDS),
                _l("Select the access needs from the list"),
            )
        ],
    )
    accessibility_other = text_field(
        200,
        _l("Other access needs must be 200 characters or fewer"),
        PlainText(_l("Enter the other access needs in words")),
    )
    email_safe = RadioField(choices=[SelectChoice(c.value) for c in SAFETY], validate_choice=False)
    mobile_safe = RadioField(choices=[SelectChoice(c.value) for c in SAFETY], validate_choice=False)
    phone_safe = RadioField(choices=[SelectChoice(c.value) for c in SAFETY], validate_choice=False)
    letter_safe = RadioField(choices=[SelectChoice(c.value) for c in SAFETY], validate_choice=False)
    # Registering asks these only with a safe phone number; here they are asked with a safe
    # phone or mobile number (the safe times hold texts back too).
    when = RadioField(
        choices=[SelectChoice(c.value) for c in phone_calls.WHEN], validate_choice=False
    )
    voicemail = RadioField(
        choices=[SelectChoice(c.value) for c in phone_calls.VOICEMAIL], validate_choice=False
    )
    offence_type = radio_field(_l("Select the kind of crime"), OFFENCE_TYPES)
    sentenced = FormField(SentencedPart)
    #: The court search (it finds choices for `court`; nothing is saved from it).
    court_q = StringField(filters=[strip])

    #: What the page offers, from the registration questions.
    language_choices = language_question.QUESTION.choices
    when_choices = phone_calls.WHEN
    voicemail_choices = phone_calls.VOICEMAIL
    hours = phone_calls.CALL_HOURS

    def __init__(
        self,
        *args,
        today: date,
        entering: VictimLiaisonOfficer,
        regions: list | None = None,
        officers: list[VictimLiaisonOfficer] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today, self.entering = today, entering
        self.regions, self.officers = regions, officers
        for part in (self.referred, self.born, self.sentenced):
            part.form.today = today
        if self.officer.data is None and officers is not None:
            self.officer.data = str(entering.id)
        if not is_submission_key(self.submission_key.data):
            self.submission_key.data = new_submission_key()

    # --- contact details and their safety ---------------------------------------------

    def safe(self, way: str) -> bool:
        return self.typed(way) and self._fields[SAFETY_FIELDS[way]].data == "yes"

    def _safety(self, way: str, field) -> None:
        if self.typed(way) and field.data not in ("yes", "no"):
            raise ValidationError(SAFETY_NEEDED[way])

    def validate_email(self, field):
        if not any(self.typed(way) for way in CONTACT_WAYS):
            raise ValidationError(
                _l(
                    "Enter at least one way to contact them: an email address, a mobile or "
                    "phone number, or a postal address"
                )
            )
        super().validate_email(field)

    def validate_email_safe(self, field):
        self._safety("email", field)

    def validate_mobile_safe(self, field):
        self._safety("sms", field)

    def validate_phone_safe(self, field):
        self._safety("phone", field)

    def validate_letter_safe(self, field):
        self._safety("letter", field)

    def _calls_or_texts(self) -> bool:
        return self.safe("phone") or self.safe("sms")

    def validate_when(self, field):
        if self._calls_or_texts() and field.data not in ("any-time", "between"):
            raise ValidationError(_l("Select when it is safe to call or text"))

    def validate_safe_from(self, field):
        if self._calls_or_texts():
            super().validate_safe_from(field)

    def validate_safe_until(self, field):
        if self._calls_or_texts():
            super().validate_safe_until(field)

    def validate_voicemail(self, field):
        if self.safe("phone") and field.data not in ("yes", "no"):
            raise ValidationError(_l("Select yes if we can leave a voicemail"))

    # --- the people -------------------------------------------------------------------

    def acting_for_victim(self) -> bool:
        return self.registering_as.data in ("parent", "bereaved", "supporter")

    def validate_representative_name(self, field):
        if self.acting_for_victim() and not field.data:
            raise ValidationError(_l("Enter the name of the person we will contact"))

    def validate_accessibility_other(self, field):
        if "other" in (self.accessibility_needs.data or ()) and not field.data:
            raise ValidationError(_l("Describe the other access needs"))

    # --- where the case goes ------------------------------------------------------------

    def chosen_region_id(self) -> int | None:
        if self.regions is None:
            return self.entering.region_id
        chosen = next((r for r in self.regions if str(r.id) == self.region.data), None)
        return chosen.id if chosen else None

    def chosen_officer(self) -> VictimLiaisonOfficer | None:
        if self.officers is None:
            return self.entering
        return next((o for o in self.officers if str(o.id) == self.officer.data), None)

    def validate_region(self, field):
        if self.regions is not None and self.chosen_region_id() is None:
            raise ValidationError(_l("Select the region of the case"))
        if self.regions is not None and not may_put_in(self.entering, self.chosen_region_id()):
            raise ValidationError(_l("Select the region of the case"))

    def validate_officer(self, field):
        if self.officers is None:
            return
        officer = self.chosen_officer()
        if officer is None:
            raise ValidationError(_l("Select the officer who will have the case"))
        region_id = self.chosen_region_id()
        if region_id is not None and not may_give_to(self.entering, region_id, officer):
            raise ValidationError(_l("Select an officer who works in the region of the case"))

    # --- the whole form -----------------------------------------------------------------

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        referred, sentenced = self.referred.form, self.sentenced.form
        if not referred.date_error and not sentenced.date_error and sentenced.month.data:
            on = date.fromisoformat(referred._as_text())
            in_month = date(int(sentenced.year.data), int(sentenced.month.data), 1)
            if not sentenced._unknown() and on < in_month:
                referred.date_error = BEFORE_SENTENCE
                referred.error_parts = ["day", "month", "year"]
                referred.day.errors = [BEFORE_SENTENCE]
                ok = False
        self._errors = None
        return ok

    def error_list(self) -> list[dict]:
        """Each wrong answer's first message, in page order, linked to where to fix it."""
        found = []
        for name in PAGE_ORDER:
            field = self._fields[name]
            if isinstance(field, FormField):
                part = field.form
                if part.date_error:
                    first = next(
                        part._fields[n]
                        for n in ("day", "month", "year")
                        if n in part.error_parts and n in part._fields
                    )
                    found.append({"text": part.date_error, "href": f"#{first.id}"})
            elif field.errors:
                found.append({"text": field.errors[0], "href": f"#{field.id}"})
        return found

    # --- what was given -----------------------------------------------------------------

    def answers(self, before: dict | None = None) -> dict:
        """The answers, with registering's keys (portal.services.registration)."""
        contacts = self.contacts({})
        for way, detail in contacts.items():
            detail["safe"] = self.safe(way)
        found = {
            "registering_as": self.registering_as.data,
            "victim_name": self.victim_name.data,
            **self.born.form.answers({}),
            "contacts": contacts,
            **PhoneCallsForm.answers(self, {}),
            "envelope_name_to_avoid": self.envelope_name_to_avoid.data or None,
            "language": self.language.data,
            "accessibility_needs": list(self.accessibility_needs.data or []),
            "offender_name": self.offender_name.data,
            "offence_type": self.offence_type.data,
            "court": self.court.data,
            **self.sentenced.form.answers({}),
            "sentence": self.sentence.data or None,
            "external_reference": self.external_reference.data or None,
        }
        if self.acting_for_victim():
            found["your_name"] = self.representative_name.data
        return found

    def referral(self) -> Referral:
        """What the referral service needs (after `validate`)."""
        needs = self.accessibility_needs.data or []
        return Referral(
            answers=self.answers(),
            referred_by=self.referred_by.data,
            referred_on=date.fromisoformat(self.referred.form._as_text()),
            region_id=self.chosen_region_id(),
            officer_id=self.chosen_officer().id,
            accessibility_other=self.accessibility_other.data if "other" in needs else None,
            submission_key=self.submission_key.data,
        )
