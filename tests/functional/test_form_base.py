"""Every form is a PortalForm (portal/forms.py): WTForms' own messages, in the page's
language, read from WTForms' catalogue once for each language rather than from disk for
each request (Flask-WTF's way)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from portal.forms import PortalForm, wtforms_translations


def every_subclass(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *every_subclass(sub)}
    return found


def test_every_form_of_the_portal_is_a_portal_form(app):
    forms = {form for form in every_subclass(FlaskForm) if form.__module__.startswith("portal.")}
    assert len(forms) > 30  # the app (made by the fixture) has imported them all
    assert forms - every_subclass(PortalForm) == {PortalForm}


def test_wtforms_own_messages_are_in_the_pages_language_and_read_once(app):
    class Choice(PortalForm):
        class Meta:
            csrf = False

        answer = SelectField(choices=[SelectChoice("a")])

    wtforms_translations.cache_clear()
    said = {}
    for code in ("cy", "en", "cy", "en"):
        with app.test_request_context(f"/?lang={code}", method="POST", data={"answer": "b"}):
            form = Choice()
            assert not form.validate()
            said[code] = form.answer.errors[0]
    assert said == {"cy": "Nid yw hwn yn ddewis dilys", "en": "Not a valid choice."}
    assert wtforms_translations.cache_info().misses == 2
