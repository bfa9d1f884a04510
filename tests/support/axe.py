"""Accessibility checks with axe-core, injected under the portal's strict CSP.

axe-playwright-python injects axe with `page.evaluate`, which runs through the
DevTools protocol and so is not blocked by the Content-Security-Policy (an
`add_script_tag` would be). The helper checks that axe really ran, so a
blocked injection can never look like a clean page.

A page opened with JavaScript off (`java_script_enabled=False`) cannot run axe: its
checks wait on timers, which never fire there, so `page.evaluate` would wait for ever.
`assert_no_axe_violations_without_javascript` checks such a page's document in a
scratch page that has JavaScript.

axe judges a page once htmx has settled it: until then (20 ms after a swap) the page keeps
the scroll position of the one before (htmx scrolls a boosted page to the top as it
settles), so a target under the sticky "Exit this page" looks obscured, and the new
content's GOV.UK components are not started yet; a person never sees that state.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import Page, Route

from tests.support.browser import settled

#: WCAG 2.2 AA, as the GOV.UK Service Standard asks (the 2.0 and 2.1 rules included).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def run_axe(page: Page) -> dict[str, Any]:
    """Run axe on the page as it is now, limited to the WCAG A and AA rules."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return results.response


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Fail with a readable list when axe finds a WCAG A/AA violation on `page`, once htmx
    has settled it."""
    settled(page)
    response = run_axe(page)
    # Prove axe ran: it reports which rules passed, on which engine.
    assert response.get("testEngine", {}).get("name") == "axe-core", response.get("testEngine")
    assert response.get("passes"), f"axe ran no passing rule on {page.url}: did it run at all?"
    violations = response["violations"]
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


def assert_no_axe_violations_without_javascript(page: Page) -> None:
    """axe on `page`, opened with JavaScript off, as it stands: its document (the DOM a
    browser without JavaScript shows, read without running a script) is served again at
    the same address to a scratch page with JavaScript on, at the same size, with the
    page's own scripts taken out (and any <noscript> content shown, as without
    JavaScript), so its styles load from the same server and nothing enhances it; axe
    runs there."""
    document = BeautifulSoup(page.content(), "html.parser")
    for script in document.find_all("script"):
        script.decompose()
    for fallback in document.find_all("noscript"):
        fallback.unwrap()
    address = page.url
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(viewport=page.viewport_size, java_script_enabled=True)
    try:
        scratch = context.new_page()

        def serve(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=str(document))

        scratch.route(lambda url: url == address, serve)
        scratch.goto(address)
        assert_no_axe_violations(scratch)
    finally:
        context.close()
