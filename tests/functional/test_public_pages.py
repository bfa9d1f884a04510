"""Start page, information pages and regions, in both languages."""

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.models import Region
from portal.public.views import INFORMATION_PAGES

REGION_NAMES = {"en": "Greater Manchester", "cy": "Manceinion Fwyaf"}


def example_details(app_db, code: str, number: int) -> None:
    """Give a region the example contact details the page tests look for, whatever the
    demo data holds: its unit's email address, and address number `number`."""
    region = app_db.scalars(select(Region).filter_by(code=code)).one()
    region.email = f"victim-liaison.{code}@example.gov.uk"
    region.address = f"{number} Example Street\nExample Town\nEX{number} 1AA"
    region.address_cy = f"{number} Stryd Enghreifftiol\nTref Enghreifftiol\nEX{number} 1AA"
    region.is_example = True
    app_db.commit()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_start_page_leads_into_registration_the_checker_and_the_guidance(pages, language):
    page = pages.get(f"/?lang={language}")
    start = page.select_one("a.govuk-button--start")
    assert start["href"] == "/register"
    links = {a["href"] for a in page.select("#main-content a")}
    assert {"/check-if-you-can-join", "/register/resume"} <= links
    guidance = {a["href"] for a in page.select("aside a")}
    assert "/information/what-you-will-be-told" in guidance
    assert "/information/staying-safe-online" in guidance
    footer = {a["href"] for a in page.select(".govuk-footer__inline-list a")}
    assert footer == {
        "/information/privacy-notice",
        "/information/accessibility-statement",
        "/information/cookies",
        "/information/contact",
    }


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("slug", sorted(INFORMATION_PAGES))
def test_every_information_page_in_both_languages(pages, slug, language):
    page = pages.get(f"/information/{slug}?lang={language}")
    content = page.select_one("[data-content-language]")
    assert content["data-content-language"] == language
    assert page.select_one(".govuk-exit-this-page")
    title = page.title.get_text(strip=True)
    assert title.startswith(page.find("h1").get_text(strip=True))


def test_unknown_information_page_is_404(pages):
    pages.get("/information/../../etc/passwd", status=404)
    pages.get("/information/nothing-here", status=404)


def test_the_stages_are_shown_as_a_picture_with_words(pages):
    for language in ("en", "cy"):
        page = pages.get(f"/information/what-you-will-be-told?lang={language}")
        picture = page.select_one("img.app-stages-picture")
        assert re.fullmatch(
            rf"/static/images/stages-{language}\.[0-9a-f]{{12}}\.svg", picture["src"]
        )
        assert len(picture["alt"]) > 40
        assert page.select("ol.govuk-list--number li")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_regions_list_has_all_twelve(pages, language):
    page = pages.get(f"/regions?lang={language}")
    links = page.select("main ul.govuk-list a[href^='/regions/']")
    assert len(links) == 12
    assert REGION_NAMES[language] in {a.get_text(strip=True) for a in links}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_region_page_shows_the_unit_and_marks_example_details(pages, app_db, language):
    example_details(app_db, "greater-manchester", 4)
    page = pages.get(f"/regions/greater-manchester?lang={language}")
    assert REGION_NAMES[language] in page.find("h1").get_text()
    assert page.select_one(".govuk-warning-text"), "demo details are marked as examples"
    assert page.select_one("a[href^='mailto:victim-liaison.greater-manchester@example.gov.uk']")


def address_blocks(page) -> list[tuple[str | None, str]]:
    """The unit's name and address on a region page: (lang attribute, text), in order."""
    return [
        (block.get("lang"), block.get_text("\n", strip=True))
        for block in page.select(".govuk-summary-list [data-i18n-service]")
        if block.name == "p"
    ]


def test_every_region_has_its_unit_in_english_and_welsh(app_db):
    regions = app_db.scalars(select(Region)).all()
    assert len(regions) == 12
    for region in regions:
        assert (
            region.unit_name_en
            and region.unit_name_cy
            and region.unit_name_en != region.unit_name_cy
        )
        assert region.address and region.address_cy and region.address != region.address_cy


def test_a_welsh_region_page_shows_the_unit_and_address_in_welsh(pages, app_db):
    example_details(app_db, "london", 9)
    page = pages.get("/regions/london?lang=cy")
    assert address_blocks(page) == [
        (
            None,
            "Uned Cyswllt Dioddefwyr Llundain\n9 Stryd Enghreifftiol\nTref Enghreifftiol\nEX9 1AA",
        )
    ]
    text = page.select_one("main").get_text(" ")
    assert "Victim Liaison Unit" not in text and "Example" not in text


def test_the_wales_region_shows_its_unit_in_welsh_first(pages, app_db):
    example_details(app_db, "wales", 1)
    example_details(app_db, "london", 9)
    welsh = "Uned Cyswllt Dioddefwyr Cymru\n1 Stryd Enghreifftiol\nTref Enghreifftiol\nEX1 1AA"
    english = "Wales Victim Liaison Unit\n1 Example Street\nExample Town\nEX1 1AA"
    assert address_blocks(pages.get("/regions/wales?lang=en")) == [("cy", welsh), (None, english)]
    assert address_blocks(pages.get("/regions/wales?lang=cy")) == [(None, welsh)]
    assert address_blocks(pages.get("/regions/london?lang=en")) == [
        (None, "London Victim Liaison Unit\n9 Example Street\nExample Town\nEX9 1AA")
    ]


def test_unknown_region_is_404(pages):
    pages.get("/regions/atlantis", status=404)


@pytest.mark.parametrize(
    ("query", "language", "court", "region"),
    [
        ("cardiff", "en", "Cardiff Crown Court", "/regions/wales"),
        ("caerdydd", "cy", "Llys y Goron Caerdydd", "/regions/wales"),
        ("leeds", "en", "Leeds Crown Court", "/regions/yorkshire-and-the-humber"),
    ],
)
def test_which_region_from_the_court_without_javascript(pages, query, language, court, region):
    page = pages.get(f"/regions/find?q={query}&lang={language}")
    results = page.select_one("#court-results")
    assert court in results.get_text()
    assert results.select_one(f"a[href='{region}']")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter the name of a town, city or Crown Court"),
        ("   ", "Enter the name of a town, city or Crown Court"),
        ("x" * 101, "Court name must be 100 characters or fewer"),
    ],
)
def test_which_region_bad_search_is_a_govuk_error(pages, query, message):
    page = pages.get("/regions/find", query_string={"q": query})
    assert page.title.get_text(strip=True).startswith("Error:")
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one(".govuk-error-summary a")["href"] == "#q"


def test_which_region_no_match_says_what_to_do(pages):
    page = pages.get("/regions/find?q=zzzz")
    assert "No courts match" in page.select_one("#court-results").get_text()


def test_which_region_as_you_type_returns_only_the_results(client, db_session):
    response = client.get("/regions/find?q=swan", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert 'id="court-results"' not in body, "only the inside of the live region is swapped"
    assert "Swansea Crown Court" in body
    assert "HX-Push-Url" not in response.headers


def test_as_you_type_clears_an_earlier_error(client, db_session):
    response = client.get(
        "/regions/find?q=leeds",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/regions/find?q="},
    )
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.select_one("#search-errors")
    assert summary["hx-swap-oob"] == "true" and not summary.select(".govuk-error-summary")
    slot = page.select_one("#q-error-slot")
    assert slot["hx-swap-oob"] == "true" and not slot.select(".govuk-error-message")
    assert page.title.get_text().startswith("Find your region")


def test_as_you_type_shows_a_new_error(client, db_session):
    response = client.get(
        "/regions/find", query_string={"q": "x" * 101}, headers={"HX-Request": "true"}
    )
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "100 characters or fewer" in page.select_one("#q-error-slot").get_text()
    assert page.select_one("#search-errors .govuk-error-summary")
    assert page.title is None, "the title changes only on the find page itself"


def test_a_long_list_of_courts_says_how_many_in_all(pages):
    page = pages.get("/regions/find?q=court")
    results = page.select_one("#court-results")
    assert "81 courts found" in results.get_text()
    assert "Showing the first 20" in results.get_text()
    assert len(results.select("li")) == 20
