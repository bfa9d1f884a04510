"""Forms for naming someone to act for you: who they are, how they sign in, what they may
do. Every choice is checked against what was offered (a forged value is a form error,
never a 500) and every text has a limit."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField, StringField, ValidationError
from wtforms.validators import DataRequired, Length

from portal.domain.contact_details import email_or_mobile
from portal.domain.representatives import DELEGABLE, NAME_LENGTH, RELATIONS
from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.validators import CONTROL, EachOneOf, OneOf, PersonName, strip

ENTER_NAME = _l("Enter the full name of the person who will act for you")
NAME_TOO_LONG = _l("Their name must be 200 characters or fewer")
NAME_LETTERS = _l("Their name must include letters")
CHOOSE_RELATION = _l("Select who they are to you")
ENTER_CONTACT = _l("Enter their email address or UK mobile number")
CONTACT_FORMAT = _l("Enter an email address like name@example.com, or a UK mobile number")
CHOOSE_PERMISSIONS = _l("Select what they can do for you")


class AboutForm(PortalForm):
    """Their name, and who they are to the victim."""

    full_name = StringField(
        filters=[strip],
        validators=[
            DataRequired(message=ENTER_NAME),
            Length(max=NAME_LENGTH, message=NAME_TOO_LONG),
            PersonName(NAME_LETTERS),
        ],
    )
    relation = StringField(validators=[OneOf([r.value for r in RELATIONS], CHOOSE_RELATION)])


class ContactForm(PortalForm):
    """The email address or UK mobile number they will sign in with."""

    contact = StringField(
        filters=[strip],
        validators=[DataRequired(message=ENTER_CONTACT), Length(max=254, message=CONTACT_FORMAT)],
    )

    def validate_contact(self, field):
        if CONTROL.search(field.data or "") or email_or_mobile(field.data or "") is None:
            raise ValidationError(CONTACT_FORMAT)

    def found(self) -> tuple[str, str]:
        """("email" | "sms", the detail as it is kept), once the form is valid."""
        return email_or_mobile(self.contact.data)


class PermissionsForm(PortalForm):
    """What they may do: at least one of what can be given."""

    may = SelectMultipleField(
        choices=[SelectChoice(p.value) for p in DELEGABLE],
        validate_choice=False,
        validators=[
            DataRequired(message=CHOOSE_PERMISSIONS),
            EachOneOf([p.value for p in DELEGABLE], CHOOSE_PERMISSIONS),
        ],
    )


class ConfirmForm(PortalForm):
    """A confirmation step: only the form's token (a forged post is refused)."""
