"""Forms for staff accounts: an administrator's (invite, change, confirm an action, filter
by region) and the emailed links' (choose a password, enter your password)."""

from __future__ import annotations

from flask_babel import lazy_pgettext
from wtforms import PasswordField, RadioField, SelectChoice, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from portal.domain.contact_details import InvalidContactDetail, normalise_email
from portal.domain.passwords import MAX_LENGTH, MIN_LENGTH, PasswordProblem, password_problem
from portal.forms import PortalForm
from portal.language import lazy_gettext as _l
from portal.models import Language, OfficerRole
from portal.validators import OneOf, PersonName, strip

#: What is wrong with a new password, the same words wherever a password is chosen
#: (portal.domain.passwords.password_problem).
PASSWORD_PROBLEMS = {
    PasswordProblem.TOO_SHORT: _l("Password must be %(num)d characters or more", num=MIN_LENGTH),
    PasswordProblem.TOO_LONG: _l("Password must be %(num)d characters or fewer", num=MAX_LENGTH),
    PasswordProblem.COMMON: _l(
        "This password is too easy to guess. Choose a longer one, such as three random words"
    ),
    PasswordProblem.HAS_EMAIL: _l("Password must not include your email address"),
}
ENTER_NEW_PASSWORD = _l("Enter a password")
ENTER_PASSWORD = _l("Enter your password")

ROLE_NAMES = {
    OfficerRole.VLO: _l("Victim Liaison Officer"),
    OfficerRole.MANAGER: _l("Manager"),
    OfficerRole.ADMIN: _l("Administrator"),
}
ROLE_HINTS = {
    OfficerRole.VLO: _l("Works on the cases of their region"),
    OfficerRole.MANAGER: _l("Also reassigns cases and sees the audit, in their region"),
    OfficerRole.ADMIN: _l("Sees every region and runs the staff accounts"),
}
LANGUAGE_NAMES = {Language.ENGLISH: _l("English"), Language.WELSH: _l("Welsh (Cymraeg)")}
#: "Does this person speak Welsh?" answered with its own verb.
SPEAKS_WELSH_ANSWERS = {
    "yes": lazy_pgettext("Does this person speak Welsh?", "Yes"),
    "no": lazy_pgettext("Does this person speak Welsh?", "No"),
}

ENTER_NAME = _l("Enter their full name")
NAME_TOO_LONG = _l("Full name must be 200 characters or fewer")
NAME_REAL = _l("Enter a real name")
ENTER_EMAIL = _l("Enter their work email address")
EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")
EMAIL_TAKEN = _l("There is already an account with this email address")
CHOOSE_ROLE = _l("Select their role")
CHOOSE_REGION = _l("Select their region")
CHOOSE_WELSH = _l("Select whether they speak Welsh")
CHOOSE_LANGUAGE = _l("Select the language of their emails")


def _radio(message, values) -> RadioField:
    return RadioField(
        choices=[SelectChoice(value) for value in values],
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(values, message)],
    )


class NewPasswordForm(PortalForm):
    """Choosing a password: NCSC's rules (portal.domain.passwords), checked for `email`."""

    password = PasswordField(validators=[DataRequired(message=ENTER_NEW_PASSWORD)])

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.email)
        if problem:
            raise ValidationError(PASSWORD_PROBLEMS[problem])


class PasswordForm(PortalForm):
    """The password an officer already has (to set up a new authenticator app)."""

    password = PasswordField(
        validators=[DataRequired(message=ENTER_PASSWORD), Length(max=256, message=ENTER_PASSWORD)]
    )


#: Made before AccountForm's fields, so that the invitation's name and email address come first
#: on the page and in its error summary (WTForms orders fields by when they were made).
_FULL_NAME = StringField(
    filters=[strip],
    validators=[
        DataRequired(message=ENTER_NAME),
        Length(max=200, message=NAME_TOO_LONG),
        PersonName(NAME_REAL),
    ],
)
_EMAIL = StringField(
    filters=[strip],
    validators=[DataRequired(message=ENTER_EMAIL), Length(max=254, message=EMAIL_FORMAT)],
)


class AccountForm(PortalForm):
    """What an administrator decides about an account: role, region, Welsh, email language.
    `regions` are the ids offered (as text)."""

    role = _radio(CHOOSE_ROLE, [role.value for role in OfficerRole])
    region = RadioField(validate_choice=False, validators=[InputRequired(message=CHOOSE_REGION)])
    speaks_welsh = _radio(CHOOSE_WELSH, list(SPEAKS_WELSH_ANSWERS))
    language = _radio(CHOOSE_LANGUAGE, [language.value for language in Language])

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.region_ids = regions

    def validate_region(self, field):
        if field.data not in self.region_ids:
            raise ValidationError(CHOOSE_REGION)


class InviteForm(AccountForm):
    """A new member of staff: their name and email address, then what AccountForm asks."""

    full_name = _FULL_NAME
    email = _EMAIL

    def validate_email(self, field):
        try:
            field.clean = normalise_email(field.data)
        except InvalidContactDetail as error:
            raise ValidationError(EMAIL_FORMAT) from error


class ConfirmForm(PortalForm):
    """A button that does what the page says (the CSRF token is all it carries)."""


class RegionFilterForm(PortalForm):
    """The accounts list's filter: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    region = StringField(filters=[strip], validators=[Length(max=64)])
