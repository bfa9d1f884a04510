"""Forms more than one blueprint uses: the security-code form (registering, carrying
on a registration, signing in)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError
from wtforms.validators import DataRequired

from portal.domain.security_codes import is_code_shaped, typed_code


class CodeForm(FlaskForm):
    code = StringField(
        filters=[lambda v: typed_code(v) if isinstance(v, str) else v],
        validators=[DataRequired(message=_l("Enter the security code"))],
    )

    def validate_code(self, field):
        if not is_code_shaped(field.data):
            raise ValidationError(_l("The security code must be 6 numbers"))
