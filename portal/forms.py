"""Forms that more than one blueprint uses: the court search and the security code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, StringField, ValidationError
from wtforms.validators import DataRequired, Length

from portal.validators import strip


class CourtSearchForm(FlaskForm):
    """Find a Crown Court by town, city or name (regions, and the registration's court)."""

    class Meta:
        csrf = False  # a GET search: nothing is changed

    q = SearchField(
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name of a town, city or Crown Court")),
            Length(max=100, message=_l("Court name must be 100 characters or fewer")),
        ],
    )


class CodeForm(FlaskForm):
    """A 6-digit security code: signing in, registering, carrying a registration on."""

    code = StringField(
        filters=[lambda v: "".join(v.split()) if isinstance(v, str) else v],
        validators=[DataRequired(message=_l("Enter the security code"))],
    )

    def validate_code(self, field):
        if not (field.data.isdigit() and len(field.data) == 6):
            raise ValidationError(_l("The security code must be 6 numbers"))
