"""The referral page with every error shown, and the banner after a referral is added,
in the pseudo-locale: every word from the catalogue (tests/i18n/test_no_english_leaks.py
checks the page as it first shows)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from portal import create_app
from portal.extensions import babel
from portal.models import OfficerRole
from tests.functional.test_referrals import GOOD, page_of
from tests.i18n.catalogue import OPEN, build_pseudo_translations
from tests.i18n.test_no_english_leaks import find_leaks, pseudo_service_content
from tests.support.registration_steps import csrf
from tests.support.staff_state import signed_in_officer

URL = "/staff/referrals/new"


@pytest.fixture(scope="module")
def pseudo_app(tmp_path_factory, database_url, app):
    """The portal with every Welsh string replaced by its pseudo-translation."""
    directory = tmp_path_factory.mktemp("pseudo-translations")
    build_pseudo_translations(directory)
    pseudo = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": database_url, "BABEL_TRANSLATION_DIRECTORIES": str(directory)},
    )
    with pseudo.app_context():
        babel.domain_instance.cache.clear()
    yield pseudo
    with pseudo.app_context():
        babel.domain_instance.cache.clear()


def post(client, data: dict):
    token = csrf(page_of(client.get(f"{URL}?lang=cy")))
    return client.post(URL, data={**data, "csrf_token": token})


@pytest.mark.parametrize("role", [OfficerRole.VLO, OfficerRole.ADMIN])
def test_every_error_is_in_the_catalogue(pseudo_app, db_session, monkeypatch, role):
    client = pseudo_app.test_client()
    signed_in_officer(client, role=role)
    pseudo_service_content(pseudo_app, db_session, monkeypatch)
    wrong = {
        "email": "not an address",
        "registering_as": "parent",
        "accessibility_needs": ["other"],
        "phone": "029 2018 3000",
        "phone_safe": "yes",
        "when": "between",
        "postcode": "XX1",
        "referred-month": "13",
        "born-day": "31",
        "born-month": "2",
        "born-year": "1990",
        "sentenced-month": "1",
    }
    if role == OfficerRole.ADMIN:
        wrong.update({"region": "nowhere", "officer": "nobody"})
    response = post(client, wrong)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert OPEN in html and "govuk-error-summary" in html
    assert not find_leaks(html), find_leaks(html)


@pytest.mark.parametrize(
    "changes",
    [
        {},  # welcomed by email
        {"email_safe": "no", "phone_safe": "yes", "when": "any-time", "voicemail": "no"},
    ],
)
def test_the_banner_is_in_the_catalogue(pseudo_app, db_session, changes):
    client = pseudo_app.test_client()
    signed_in_officer(client)
    response = post(client, {**GOOD, **changes})
    assert response.status_code == 303
    page = BeautifulSoup(
        client.get(response.headers["Location"]).get_data(as_text=True), "html.parser"
    )
    # The banner on the new case's page (the rest of that page, with the service's own
    # Welsh court and unit names, is the i18n guard's: tests/i18n/test_no_english_leaks.py).
    banners = page.select(".govuk-notification-banner")
    assert banners and all(OPEN in str(banner) for banner in banners)
    for banner in banners:
        assert not find_leaks(str(banner)), find_leaks(str(banner))
