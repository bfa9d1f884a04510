"""Words that could hurt or mislead a victim: each page says what is true now, and
leaves no one with nowhere to turn."""

from __future__ import annotations

import pytest

from portal.models import CaseStatus, SentenceStage
from tests.support.factories import CaseFactory, ContactPreferenceFactory
from tests.support.pages import PageClient
from tests.support.registration_steps import answer_all, begin, post, verify
from tests.support.victim_state import signed_in, signed_in_victim

VICTIM_SUPPORT = "https://www.victimsupport.org.uk/"


def ended_case(app, db_session, email: str, region_code: str | None):
    from sqlalchemy import select

    from portal.models import Region

    with app.app_context():
        region = (
            db_session.scalar(select(Region).filter_by(code=region_code)) if region_code else None
        )
        contact = ContactPreferenceFactory(value=email)
        CaseFactory(
            victim=contact.victim,
            region=region,
            status=CaseStatus.ACTIVE,
            stage=SentenceStage.END_OF_SENTENCE,
        )
        db_session.commit()


@pytest.mark.parametrize(
    ("language", "region", "unit_link", "unit_text"),
    [
        ("en", "london", "/regions/london", "London Victim Liaison Unit"),
        ("cy", "wales", "/regions/wales", "Uned Cyswllt Dioddefwyr Cymru"),
        ("en", None, "/regions", "Victim Liaison Unit for your area"),
    ],
)
def test_a_sentence_that_ended_says_who_can_still_help(
    app, db_session, pages, language, region, unit_link, unit_text
):
    ended_case(app, db_session, "ended@example.com", region)
    signed_in(pages.client, "ended@example.com")
    page = pages.get(f"/account?lang={language}")
    help_list = page.select_one("ul.app-still-help")
    assert help_list, "the page says who can still help"
    links = {a["href"]: a.get_text(strip=True) for a in help_list.select("a")}
    assert VICTIM_SUPPORT in links
    assert links[unit_link] == unit_text
    assert "999" in help_list.get_text()


def test_a_sentence_still_running_has_no_help_list(pages):
    signed_in_victim(pages.client)
    assert not pages.get("/account").select_one("ul.app-still-help")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_403_page_does_not_alarm(probe_client, language):
    page = PageClient(probe_client).get(f"/probe/abort/403?lang={language}", status=403)
    text = page.select_one("main").get_text(" ", strip=True)
    assert "someone else" not in text and "rhywun arall" not in text
    sign_in_again = {"en": "You may need to sign in again", "cy": "fewngofnodi eto"}
    assert sign_in_again[language] in text


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_contact_page_promises_only_what_the_service_does(pages, language):
    page = pages.get(f"/information/contact?lang={language}")
    text = page.select_one("main").get_text(" ", strip=True)
    assert "send a message to your officer" not in text
    assert "anfon neges at eich swyddog" not in text
    assert page.select_one("main a[href='/sign-in']")
    not_yet = {"en": "You cannot send messages", "cy": "Allwch chi ddim anfon negeseuon"}
    assert not_yet[language] in text


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_declaration_agrees_with_the_privacy_notice(pages, app_db, language):
    """The privacy notice says who can see a victim's information; so does the declaration."""
    begin(pages, language)
    answer_all(pages)
    post(pages, "/register/check-answers", {})
    verify(pages, app_db)
    declaration = pages.get("/register/declaration").select_one("main").get_text(" ", strip=True)
    notice = pages.get("/information/privacy-notice").select_one("main").get_text(" ", strip=True)
    who = {
        "en": ["Victim Liaison Unit", "Parole Board", "police", "serious harm", "set time"],
        "cy": ["Uned Cyswllt", "Bwrdd Parôl", "heddlu", "niwed difrifol", "gyfnod penodol"],
    }
    for party in who[language]:
        assert party in notice and party in declaration, party
    assert "Only the Probation Service" not in declaration
    assert "Dim ond y Gwasanaeth Prawf" not in declaration
