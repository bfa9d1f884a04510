"""Every visible piece of text, on every page, is in the GOV.UK font (GDS Transport).

Text outside GOV.UK's classes takes the browser's default serif font: an
`<ol>` without `govuk-list`, or a class of our own that resets the font, shows
up as a different typeface. This looks at each element that shows text and
reads its computed font.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from portal.domain.eligibility import QUESTIONS
from portal.public.views import INFORMATION_PAGES
from tests.support.browser import CYMRAEG, LANGUAGES, Tongue, latest_code, url_ending

GOVUK_FONT = '"GDS Transport", arial, sans-serif'

#: Pages anyone can open, in each language.
PUBLIC_PAGES = [
    "/",
    *(f"/information/{slug}" for slug in INFORMATION_PAGES),
    "/regions",
    "/regions/find?q=cardiff",
    "/regions/wales",
    "/regions/london",
    "/check-if-you-can-join",
    *(f"/check-if-you-can-join/{question}" for question in QUESTIONS),
    "/register",
    "/register/resume",
    "/sign-in",
    "/no-such-page",
]

#: Each element that shows text of its own, with its computed font, if that is not GOV.UK's.
OTHER_FONTS = """
(govukFont) => {
  const found = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || seen.has(element)) continue;
    seen.add(element);
    if (element.closest("script, style, template, noscript, [hidden]")) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const shown = style.visibility !== "hidden" && style.display !== "none"
      && element.getClientRects().length > 0 && box.width > 1 && box.height > 1;
    if (shown && style.fontFamily !== govukFont) {
      const name = element.tagName.toLowerCase() + "." + element.className;
      found.push(`${name}: ${style.fontFamily}: ${node.textContent.trim().slice(0, 40)}`);
    }
  }
  return found;
}
"""


def other_fonts(page: Page) -> list[str]:
    return page.evaluate(OTHER_FONTS, GOVUK_FONT)


def test_the_checker_sees_text_in_another_font(page: Page) -> None:
    page.goto("/")
    page.evaluate(
        "() => { const p = document.createElement('ol'); p.innerHTML = '<li>Serif</li>';"
        " document.querySelector('main').append(p); }"
    )
    assert any("Serif" in problem for problem in other_fonts(page))


@LANGUAGES
def test_every_public_page_uses_the_govuk_font(page: Page, tongue: Tongue) -> None:
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={tongue.code}")
        if found := other_fonts(page):
            problems[path] = found
    assert not problems


def test_the_registration_and_case_pages_use_the_govuk_font(
    page: Page, live_database: Engine
) -> None:
    _ = CYMRAEG._
    page.goto("/register?lang=cy")
    with page.expect_navigation():
        page.get_by_role("button", name=_("Start now")).click()
    assert not other_fonts(page), page.url

    email = "carys.hughes@example.com"
    page.goto("/sign-in?lang=cy")
    page.get_by_label(_("Sign in with your email address or mobile number")).fill(email)
    page.get_by_role("button", name=_("Send a code"), exact=True).click()
    expect(page).to_have_url(url_ending("/sign-in/security-code"))
    assert not other_fonts(page)
    page.get_by_label(_("Security code")).fill(latest_code(live_database, email))
    with page.expect_navigation():
        page.get_by_role("button", name=_("Sign in"), exact=True).click()
    expect(page).to_have_url(url_ending("/account"))
    for language in ("cy", "en"):
        page.goto(f"/account?lang={language}")
        expect(page.locator("ol.app-stages")).to_be_visible()
        assert not other_fonts(page), language
