"""The signed-in victim's navigation, on a phone as on a desktop: "Your case", "Messages" and
"Your data" (and Sign out), in the page's language, with the page's own item marked as
the current one. Everything about one case (requests, contact preferences, pausing,
leaving) is reached from the case page's "What you can do" list, under "Your case"."""

from __future__ import annotations

import pytest

from tests.support.preferences import member

pytestmark = pytest.mark.database

ITEMS = {
    "en": ["Your case", "Messages", "Your data"],
    "cy": ["Eich achos", "Negeseuon", "Eich data"],
}
SIGN_OUT = {"en": "Sign out", "cy": "Allgofnodi"}


def navigation(pages, url: str):
    page = pages.get(url)
    nav = page.find(class_="govuk-service-navigation__list")
    items = [a.get_text(" ", strip=True) for a in nav.find_all("a")]
    current = [
        item.find("a").get_text(" ", strip=True)
        for item in nav.select(".govuk-service-navigation__item--active")
    ]
    marked = [a.get_text(" ", strip=True) for a in nav.select('a[aria-current="page"]')]
    return page, items, current, marked


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/account", 0),
        ("/account/cases/{reference}/messages", 1),
        ("/account/your-data", 2),
        ("/account/cases/{reference}/contact", 0),
        ("/account/cases/{reference}/requests", 0),
        ("/account/cases/{reference}/leave", 0),
    ],
)
def test_three_items_in_the_language_of_the_page_the_current_one_marked(
    app, client, pages, language, path, current
):
    me = member(app, client=client)
    page, items, active, marked = navigation(
        pages, path.format(reference=me.reference) + f"?lang={language}"
    )
    assert items == ITEMS[language]
    assert active == [ITEMS[language][current]]
    assert marked in ([], [ITEMS[language][current]])  # as GOV.UK Frontend marks it
    sign_out = page.find(class_="govuk-service-navigation__list").find("button")
    assert sign_out.get_text(strip=True) == SIGN_OUT[language]


def test_someone_not_signed_in_sees_only_sign_in(pages):
    page = pages.get("/?lang=cy")
    nav = page.find(class_="govuk-service-navigation__list")
    assert [a.get_text(strip=True) for a in nav.find_all("a")] == ["Mewngofnodi"]
