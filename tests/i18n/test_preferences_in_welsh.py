"""A victim's contact preferences, pausing and leaving show no English in the pseudo-locale,
also with a form's errors and with every kind of notice of what a change did (the
i18n guard, tests/i18n/test_no_english_leaks.py, opens each page as it first is)."""

from __future__ import annotations

import re

import pytest
from jinja2 import ChoiceLoader, DictLoader

from portal import create_app
from portal.account import preference_wording as words
from portal.extensions import babel
from tests.i18n.catalogue import build_pseudo_translations
from tests.i18n.test_no_english_leaks import find_leaks
from tests.support import probe
from tests.support.preferences import member


@pytest.fixture(scope="module")
def pseudo_app(tmp_path_factory, database_url, app):
    """The portal with every Welsh string replaced by its pseudo-translation (as the guard's)."""
    directory = tmp_path_factory.mktemp("pseudo-translations")
    build_pseudo_translations(directory)
    pseudo_app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": database_url, "BABEL_TRANSLATION_DIRECTORIES": str(directory)},
    )
    pseudo_app.register_blueprint(probe.bp)
    pseudo_app.jinja_loader = ChoiceLoader([pseudo_app.jinja_loader, DictLoader(probe.TEMPLATES)])
    with pseudo_app.app_context():
        babel.domain_instance.cache.clear()
    yield pseudo_app
    with pseudo_app.app_context():
        babel.domain_instance.cache.clear()


#: (page, what is posted) for a form with errors on each kind of page.
WITH_ERRORS = [
    ("/contact/add/email", {"email": "not an email"}),
    ("/contact/add/letter", {"address_line_1": "1 Heol"}),
    ("/contact/times", {"when": "between", "safe_from": "", "safe_until": "", "voicemail": ""}),
    ("/contact/envelope", {"envelope_name_to_avoid": "1234"}),
    ("/contact/language", {}),
    ("/contact/access-needs", {"accessibility_needs": ["other"]}),
    ("/updates", {}),
    ("/pause", {}),
]


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(("path", "data"), WITH_ERRORS, ids=[p for p, _ in WITH_ERRORS])
def test_no_english_in_a_form_with_errors(pseudo_app, db_session, path, data):
    client = pseudo_app.test_client()
    me = member(pseudo_app, client=client)
    html = client.get(me.url(path) + "?lang=cy").get_data(as_text=True)
    response = client.post(me.url(path), data={**data, "csrf_token": token_of(html)})
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert not find_leaks(html), find_leaks(html)


def test_no_english_in_the_pause_date_with_an_error(pseudo_app, db_session):
    client = pseudo_app.test_client()
    me = member(pseudo_app, client=client)
    html = client.get(me.url("/pause") + "?lang=cy").get_data(as_text=True)
    client.post(me.url("/pause"), data={"until": "day", "csrf_token": token_of(html)})
    response = client.post(
        me.url("/pause/date"),
        data={"day": "1", "month": "1", "year": "2001", "csrf_token": token_of(html)},
    )
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert not find_leaks(html), find_leaks(html)


@pytest.mark.parametrize("done", sorted(words.DONE))
@pytest.mark.parametrize("told", ["email", "sms", "letter", None, "none", "left"])
def test_no_english_in_any_notice(pseudo_app, db_session, done, told):
    client = pseudo_app.test_client()
    me = member(pseudo_app, client=client)
    with client.session_transaction() as cookie:
        cookie["contact_notice"] = {"case": me.reference, "done": done, "told": told, "to": "123"}
    html = client.get(me.url("/contact") + "?lang=cy").get_data(as_text=True)
    assert "preferences-notice" in html
    assert not find_leaks(html), find_leaks(html)
