"""Accessibility checks with axe-core, injected under the portal's strict CSP.

axe-playwright-python injects axe with `page.evaluate`, which runs through the
DevTools protocol and so is not blocked by the Content-Security-Policy (an
`add_script_tag` would be). The helper checks that axe really ran, so a
blocked injection can never look like a clean page.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

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
    """Fail with a readable list when axe finds a WCAG A/AA violation on `page`."""
    response = run_axe(page)
    # Prove axe ran: it reports which rules passed, on which engine.
    assert response.get("testEngine", {}).get("name") == "axe-core", response.get("testEngine")
    assert response.get("passes"), f"axe ran no passing rule on {page.url}: did it run at all?"
    violations = response["violations"]
    assert not violations, (
        f"{len(violations)} accessibility violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
