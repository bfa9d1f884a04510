"""The registration's forms that are not questions: where to send the code, the
declaration, and signing in to carry a registration on. Each question's form is
in its module in portal/questions/."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.domain.registration_flow import VERIFIABLE
from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.validators import CONTROL, strip


class ChooseContactForm(PortalForm):
    """Where to send the security code: one of the safe email address or mobile number."""

    way = RadioField(
        choices=[SelectChoice(w) for w in VERIFIABLE],
        validate_choice=False,
        validators=[InputRequired(message=_l("Select where to send the code"))],
    )


class DeclarationForm(PortalForm):
    agree = BooleanField(
        validators=[
            DataRequired(
                message=_l("Confirm that the information is true and that you agree to us using it")
            )
        ]
    )


class ResumeForm(PortalForm):
    contact = StringField(
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the email address or mobile number you gave us")),
            Length(max=254, message=_l("Enter the email address or mobile number you gave us")),
        ],
    )

    def validate_contact(self, field):
        if CONTROL.search(field.data or ""):
            raise ValidationError(_l("Enter the email address or mobile number you gave us"))
