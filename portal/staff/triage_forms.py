"""The triage forms: which decision, then what each decision needs.

Choices that depend on the case (its region's officers, the other regions, the flagged
case) are given to each form when it is made; anything else posted is an error message,
never a 500, and changes nothing.
"""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.models import DeclineReason
from portal.services.triage import NOTE_LIMIT, Decision
from portal.validators import OneOf, PlainText

CHOOSE_DECISION = _l("Select what to do with this registration")
CHOOSE_OFFICER = _l("Select the Victim Liaison Officer who will look after this case")
CHOOSE_REASON = _l("Select why we cannot accept this registration")
EXPLAIN_OTHER = _l("Explain to the victim why we cannot accept their request")
NOTE_TOO_LONG = _l("Your words to the victim must be 1,000 characters or fewer")
NOTE_NOT_PLAIN = _l("Your words to the victim must not include special characters")
CHOOSE_REGION = _l("Select the region that should have this registration")
CHOOSE_CASE = _l("Select which case this registration joins")
ENTER_REFERENCE = _l("Enter the reference number of the existing case")
REFERENCE_TOO_LONG = _l("A reference number must be 20 characters or fewer")
NO_SUCH_CASE = _l(
    "There is no live case with that reference number that you can see. Check the reference "
    "number, or ask a manager."
)

#: The choice, on the link page, of typing a reference instead of the flagged case.
BY_REFERENCE = "reference"


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


def _choices(values) -> list[SelectChoice]:
    return [SelectChoice(value) for value in values]


class DecisionForm(PortalForm):
    """`offered`: the decisions this case allows (no accepting before it has a region)."""

    decision = RadioField(
        validate_choice=False, validators=[InputRequired(message=CHOOSE_DECISION)]
    )

    def __init__(self, *args, offered: list[Decision], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = [decision.value for decision in offered]
        self.decision.choices = _choices(self.offered)

    def validate_decision(self, field):
        if field.data not in self.offered:
            raise ValidationError(CHOOSE_DECISION)


class AcceptForm(PortalForm):
    """`officers`: the ids (as text) of the officers who may take the case."""

    officer = SelectField(validate_choice=False, validators=[InputRequired(message=CHOOSE_OFFICER)])

    def __init__(self, *args, officers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = officers
        self.officer.choices = _choices(officers)

    def validate_officer(self, field):
        if field.data not in self.allowed:
            raise ValidationError(CHOOSE_OFFICER)


class DeclineForm(PortalForm):
    reason = RadioField(
        choices=_choices(DeclineReason),
        validate_choice=False,
        validators=[InputRequired(message=CHOOSE_REASON), OneOf(DeclineReason, CHOOSE_REASON)],
    )
    note = TextAreaField(
        filters=[_trimmed],
        validators=[Length(max=NOTE_LIMIT, message=NOTE_TOO_LONG), PlainText(NOTE_NOT_PLAIN)],
    )

    def validate_note(self, field):
        if self.reason.data == DeclineReason.OTHER and not field.data:
            raise ValidationError(EXPLAIN_OTHER)


class TransferForm(PortalForm):
    """`regions`: the ids (as text) of the regions it may move to."""

    region = RadioField(validate_choice=False, validators=[InputRequired(message=CHOOSE_REGION)])

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = regions
        self.region.choices = _choices(regions)

    def validate_region(self, field):
        if field.data not in self.allowed:
            raise ValidationError(CHOOSE_REGION)


class LinkForm(PortalForm):
    """`flagged`: the id (as text) of the flagged case the officer may see, or None; then
    the only way is to type a reference."""

    existing = RadioField(validate_choice=False)
    reference = StringField(
        filters=[_trimmed], validators=[Length(max=20, message=REFERENCE_TOO_LONG)]
    )

    def __init__(self, *args, flagged: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.flagged = flagged
        self.existing.choices = _choices([flagged, BY_REFERENCE] if flagged else [BY_REFERENCE])
        if not flagged or (not self.existing.data and self.reference.data):
            self.existing.data = BY_REFERENCE  # a reference typed is a choice made

    @property
    def by_reference(self) -> bool:
        return self.existing.data == BY_REFERENCE

    def validate_existing(self, field):
        if field.data not in ([self.flagged] if self.flagged else []) + [BY_REFERENCE]:
            raise ValidationError(CHOOSE_CASE)

    def validate_reference(self, field):
        if self.by_reference and not field.data:
            raise ValidationError(ENTER_REFERENCE)
