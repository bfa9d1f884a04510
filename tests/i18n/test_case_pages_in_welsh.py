"""A case's pages in the console after a form is sent, in the pseudo-locale: error messages,
the standard wording offered, refusals. No English is left (the GET pages are in
test_no_english_leaks.py's PAGE_URLS)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from jinja2 import ChoiceLoader, DictLoader

from portal import create_app
from portal.extensions import babel
from tests.i18n.catalogue import OPEN, build_pseudo_translations
from tests.i18n.test_no_english_leaks import find_leaks, pseudo_service_content
from tests.support import probe
from tests.support.case_pages import (
    CLOSED_CASE_ID,
    HANDOVER_ID,
    closed_case,
    contact_form,
    full_case,
    stage_form,
)
from tests.support.registration_steps import csrf
from tests.support.staff_state import signed_in_officer


@pytest.fixture(scope="module")
def pseudo_app(tmp_path_factory, database_url, app):
    """The portal with every Welsh string pseudo-translated (as in test_no_english_leaks)."""
    directory = tmp_path_factory.mktemp("pseudo-translations-case-pages")
    build_pseudo_translations(directory)
    pseudo = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": database_url, "BABEL_TRANSLATION_DIRECTORIES": str(directory)},
    )
    pseudo.register_blueprint(probe.bp)
    pseudo.jinja_loader = ChoiceLoader([pseudo.jinja_loader, DictLoader(probe.TEMPLATES)])
    with pseudo.app_context():
        babel.domain_instance.cache.clear()
    yield pseudo
    with pseudo.app_context():
        babel.domain_instance.cache.clear()


@pytest.fixture
def welsh_console(pseudo_app, db_session, monkeypatch):
    client = pseudo_app.test_client()
    built = full_case(pseudo_app)
    closed_case(pseudo_app, built.region_id)
    signed_in_officer(client, region_id=built.region_id)
    pseudo_service_content(pseudo_app, db_session, monkeypatch)
    client.get("/staff?lang=cy")  # the console in Welsh from now on
    return client, built


def posted(client, url: str, data: dict, status: int) -> str:
    page = BeautifulSoup(client.get("/staff").get_data(as_text=True), "html.parser")
    response = client.post(url, data={**data, "csrf_token": csrf(page)})
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert OPEN in html, "the pseudo-locale is not active"
    return html


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("timeline/stage", stage_form(stage=None, precision=None, summary="")),
        ("timeline/stage", stage_form(stage="release", day="1", precision="day", year="2999")),
        ("timeline/stage", {**stage_form(stage="parole", summary=""), "stage-wording": "1"}),
        ("timeline/contact", contact_form(kind=None, summary="", day="31", month="2")),
        ("timeline/contact", contact_form(visible="no", summary="")),
    ],
)
def test_a_form_sent_back_has_no_english(welsh_console, path, data):
    client, built = welsh_console
    html = posted(client, f"/staff/cases/{built.case_id}/{path}", data, 200)
    assert not find_leaks(html), find_leaks(html)


def test_a_refusal_has_no_english(welsh_console):
    client, built = welsh_console
    html = posted(client, f"/staff/cases/{CLOSED_CASE_ID}/timeline/stage", stage_form(), 409)
    assert not find_leaks(html), find_leaks(html)
    html = posted(
        client,
        f"/staff/cases/{built.case_id}/timeline/{HANDOVER_ID}/visibility",
        {"visible": "yes"},
        409,
    )
    assert not find_leaks(html), find_leaks(html)


def test_a_forged_answer_to_hide_an_entry_has_no_english(welsh_console):
    client, built = welsh_console
    html = posted(
        client,
        f"/staff/cases/{built.case_id}/timeline/{HANDOVER_ID}/visibility",
        {"visible": "toggle"},
        200,
    )
    assert "govuk-error-summary" in html
    assert not find_leaks(html), find_leaks(html)


def test_a_new_entry_and_its_message_have_no_english(welsh_console):
    client, built = welsh_console
    page = BeautifulSoup(client.get("/staff").get_data(as_text=True), "html.parser")
    response = client.post(
        f"/staff/cases/{built.case_id}/timeline/contact",
        data={**contact_form(), "csrf_token": csrf(page)},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert 'id="case-outcome"' in html
    assert not find_leaks(html), find_leaks(html)
