"""Forms for signing staff in."""

from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.validators import strip

ENTER_EMAIL = _l("Enter your work email address")
ENTER_PASSWORD = _l("Enter your password")
ENTER_APP_CODE = _l("Enter the 6-digit security code from your authenticator app")
ENTER_RECOVERY_CODE = _l("Enter one of your recovery codes")


class StaffSignInForm(PortalForm):
    email = StringField(
        filters=[strip],
        validators=[DataRequired(message=ENTER_EMAIL), Length(max=254, message=ENTER_EMAIL)],
    )
    password = PasswordField(
        validators=[DataRequired(message=ENTER_PASSWORD), Length(max=256, message=ENTER_PASSWORD)]
    )


class AppCodeForm(PortalForm):
    code = StringField(
        filters=[strip],
        validators=[DataRequired(message=ENTER_APP_CODE), Length(max=20, message=ENTER_APP_CODE)],
    )


class RecoveryCodeForm(PortalForm):
    recovery_code = StringField(
        filters=[strip],
        validators=[
            DataRequired(message=ENTER_RECOVERY_CODE),
            Length(max=40, message=ENTER_RECOVERY_CODE),
        ],
    )
