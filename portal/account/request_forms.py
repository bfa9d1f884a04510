"""The forms of a victim's requests: one a page (portal.domain.requests.QUESTIONS), each
with its answers in and out, and the one-time key of the forms that start and send.

Every choice is checked against what was offered, every text has a limit and no control
characters; a forged value is a form error, never a 500 (the service checks again)."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectChoice, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.domain import requests as rules
from portal.forms import PortalForm, is_submission_key, new_submission_key
from portal.language import lazy_gettext as _l
from portal.validators import EachOneOf, OneOf, PlainText


def one_kind_of_line_break(value):
    """Browsers send a textarea's line breaks as CR LF: keep LF, and no spaces around."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _text(max_length: int, too_long) -> TextAreaField:
    return TextAreaField(
        filters=[one_kind_of_line_break],
        validators=[
            Length(max=max_length, message=too_long),
            PlainText(_l("Remove the special characters from your answer")),
        ],
    )


def _radio(message, values) -> RadioField:
    return RadioField(
        choices=[SelectChoice(value) for value in values],
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(values, message)],
    )


class KeyedForm(PortalForm):
    """A form that writes: its one-time key (portal.forms.new_submission_key)."""

    submission_key = HiddenField()

    @classmethod
    def blank(cls):
        return cls(formdata=None, submission_key=new_submission_key())

    def has_valid_key(self) -> bool:
        return is_submission_key(self.submission_key.data)


class StartForm(KeyedForm):
    """Start a request (or ask for the decision summary)."""


class SendForm(KeyedForm):
    """Send a request to the officer from "Check your answers"."""


class PageForm(PortalForm):
    """One page of a request: `from_answers` fills it from what is saved, `answers` gives
    what to save."""

    @classmethod
    def from_answers(cls, answers: dict, **kwargs):
        return cls(formdata=None, data=dict(answers), **kwargs)

    def answers(self) -> dict:
        raise NotImplementedError


NO_CONTACT_VALUES = (*rules.NO_CONTACT, rules.NO_CONTACT_NONE)
NO_CONTACT_MISSING = _l(
    "Select who the offender should not contact, or select ‘I do not want to ask for this’"
)


class NoContactForm(PageForm):
    no_contact = SelectMultipleField(
        choices=[SelectChoice(value) for value in NO_CONTACT_VALUES],
        validate_choice=False,
        validators=[
            InputRequired(message=NO_CONTACT_MISSING),
            EachOneOf(NO_CONTACT_VALUES, NO_CONTACT_MISSING),
        ],
    )
    family_who = _text(
        rules.SHORT_TEXT,
        _l("Who in your family must be %(max)d characters or fewer", max=rules.SHORT_TEXT),
    )

    def validate_no_contact(self, field):
        if rules.NO_CONTACT_NONE in (field.data or ()) and len(field.data) > 1:
            raise ValidationError(NO_CONTACT_MISSING)

    def answers(self) -> dict:
        ticked = list(self.no_contact.data or ())
        return {
            "no_contact": ticked,
            "family_who": self.family_who.data if "family" in ticked else "",
        }


class ExclusionZoneForm(PageForm):
    exclusion_zone = _radio(_l("Select yes if you want to ask for an exclusion zone"), rules.YES_NO)
    places = _text(
        rules.TEXT_LENGTH,
        _l("The places must be %(max)d characters or fewer", max=rules.TEXT_LENGTH),
    )

    def validate_places(self, field):
        if self.exclusion_zone.data == "yes" and not field.data:
            raise ValidationError(_l("Describe the places that matter to you, or select ‘No’"))

    def answers(self) -> dict:
        wanted = self.exclusion_zone.data
        return {"exclusion_zone": wanted, "places": self.places.data if wanted == "yes" else ""}


class OtherConcernsForm(PageForm):
    other_concerns = _text(
        rules.TEXT_LENGTH,
        _l("What else worries you must be %(max)d characters or fewer", max=rules.TEXT_LENGTH),
    )

    def answers(self) -> dict:
        return {"other_concerns": self.other_concerns.data or ""}


class SectionForm(PageForm):
    """One section of the statement (which one: `section`, an answer key)."""

    words = _text(
        rules.SECTION_LENGTH,
        _l("This section must be %(max)d characters or fewer", max=rules.SECTION_LENGTH),
    )

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section

    @classmethod
    def from_answers(cls, answers: dict, **kwargs):
        section = kwargs["section"]
        return cls(formdata=None, data={"words": answers.get(section) or ""}, **kwargs)

    def answers(self) -> dict:
        return {self.section: self.words.data or ""}


class HowGivenForm(PageForm):
    how_given = _radio(_l("Select how you want your statement to be given"), rules.HOW_GIVEN)

    def answers(self) -> dict:
        return {"how_given": self.how_given.data}


#: Each page's form and its template (templates/account/requests/pages/).
PAGE_FORMS = {
    "no-contact": (NoContactForm, "no_contact"),
    "exclusion-zone": (ExclusionZoneForm, "exclusion_zone"),
    "other-concerns": (OtherConcernsForm, "other_concerns"),
    **{section.replace("_", "-"): (SectionForm, "section") for section in rules.SECTIONS},
    "how-given": (HowGivenForm, "how_given"),
}


def form_for(slug: str, answers: dict | None = None):
    """The form of page `slug`: filled from `answers` (a GET), or from the request (a POST)."""
    form_class, _template = PAGE_FORMS[slug]
    kwargs = {"section": slug.replace("-", "_")} if form_class is SectionForm else {}
    if answers is not None:
        return form_class.from_answers(answers, **kwargs)
    return form_class(**kwargs)
