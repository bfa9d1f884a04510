"""Forms for signing in. The security code form is the registration's own (CodeForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.validators import CONTROL, strip

ENTER_CONTACT = _l(
    "Enter the email address or mobile number your Victim Liaison Officer has for you"
)


class SignInForm(FlaskForm):
    contact = StringField(
        filters=[strip],
        validators=[DataRequired(message=ENTER_CONTACT), Length(max=254, message=ENTER_CONTACT)],
    )

    def validate_contact(self, field):
        if CONTROL.search(field.data or ""):
            raise ValidationError(ENTER_CONTACT)
