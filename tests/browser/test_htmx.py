"""htmx in a real browser: partial swaps, focus, titles, history, CSRF and error pages.

The portal has no htmx page of its own yet, so these tests drive the probe
pages in tests/support/probe.py, built the way real pages will be (a full page that
includes its partial, `render_page` choosing, real href/action under the
hx-* attributes), on the portal plus the probe blueprint under gunicorn
(`probe_server`). They check what the issue asks of the wiring in
static/js/portal.mjs and portal/rendering.py:

- an htmx request gets the partial, varied on HX-Request, and no page load;
- after a swap, focus goes to the error summary, or to the updated region's
  heading; an error page (404, 500, expired form) replaces the main content
  and its heading gets focus;
- the URL is pushed, and the Back button shows the previous content again;
- a button outside any form sends its CSRF token in the X-CSRFToken header;
- the same form works with JavaScript off;
- no console error, failed request or CSP violation along the way.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.support.axe import assert_no_axe_violations
from tests.support.browser_problems import BrowserProblems

NAME_URL = "/probe/name"
DONE_URL = "/probe/name/done"
UPDATES_URL = "/probe/updates"
READ_URL = "/probe/updates/read"
QUESTION = "What is your full name?"
ERROR_MESSAGE = "Enter your full name"


def title(page_title: str) -> str:
    return f"{page_title} – Victim Contact Scheme – GOV.UK"


def url_ending(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path) + "$")


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], probe_server: str) -> dict[str, Any]:
    """Every page in this module opens on the probe server."""
    return {**browser_context_args, "base_url": probe_server}


def mark_document(page: Page) -> None:
    """Tag the current document: a full page load would lose the tag."""
    page.evaluate("window.__probeDocument = 'the same document'")


def assert_same_document(page: Page) -> None:
    marker = page.evaluate("window.__probeDocument")
    assert marker == "the same document", "a full page load happened: htmx did not swap"


def assert_htmx_partial(response: Response) -> None:
    """The response answered an htmx request, with the partial only, varied on HX-Request."""
    assert response.request.header_value("hx-request") == "true"
    assert "HX-Request" in (response.header_value("vary") or "")
    assert "<html" not in response.text()


def focused_element(page: Page) -> str:
    """document.activeElement, described for an assertion message."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e ? `${e.tagName.toLowerCase()}#${e.id}.${e.className}: "
        "${e.textContent.trim().slice(0, 60)}` : 'nothing'; })()"
    )


def submit_empty_answer(page: Page) -> Response:
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Continue").click()
    return posted.value


def test_invalid_answer_shows_the_error_summary_without_a_page_load(
    page: Page, problems: BrowserProblems
) -> None:
    page.goto(NAME_URL)
    mark_document(page)

    response = submit_empty_answer(page)

    assert response.status == 200
    assert_htmx_partial(response)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    assert page.evaluate(
        "document.activeElement === document.querySelector('.govuk-error-summary')"
    ), f"focus is on {focused_element(page)}"
    summary_link = summary.get_by_role("link", name=ERROR_MESSAGE)
    expect(summary_link).to_have_attribute("href", "#full_name")
    expect(page.locator("#full_name-error")).to_have_text(f"Error: {ERROR_MESSAGE}")
    # The title says there is an error, as the full page does without JavaScript.
    expect(page).to_have_title(title(f"Error: {QUESTION}"))
    expect(page).to_have_url(url_ending(NAME_URL))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#journey-step")).to_have_count(1)
    assert_same_document(page)
    # GOV.UK Frontend initialised the swapped-in summary (portal.mjs, htmx.onLoad) ...
    expect(summary).to_have_attribute("data-govuk-error-summary-init", "")
    # ... so its link puts the cursor in the field.
    summary_link.click()
    expect(page.get_by_label(QUESTION)).to_be_focused()
    problems.assert_none()


def test_valid_answer_pushes_the_next_step_and_back_shows_the_question(
    page: Page, problems: BrowserProblems
) -> None:
    page.goto(NAME_URL)
    mark_document(page)
    page.get_by_label(QUESTION).fill("Ada Lovelace")

    with page.expect_response(lambda r: r.url.endswith(DONE_URL)) as landed:
        page.get_by_role("button", name="Continue").click()

    # htmx followed the 303 from the POST, and got the next step's partial.
    response = landed.value
    assert_htmx_partial(response)
    posted = response.request.redirected_from
    assert posted is not None and posted.method == "POST" and posted.url.endswith(NAME_URL)
    assert posted.response() is not None and posted.response().status == 303
    expect(page).to_have_url(url_ending(DONE_URL))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Thank you")
    expect(heading).to_be_focused()
    expect(page).to_have_title(title("Thank you"))
    expect(page.get_by_text("We have your name: Ada Lovelace.")).to_be_visible()
    expect(page.get_by_label(QUESTION)).to_have_count(0)
    assert_same_document(page)

    page.go_back()

    expect(page).to_have_url(url_ending(NAME_URL))
    expect(page.get_by_label(QUESTION)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.get_by_text("Thank you")).to_have_count(0)
    expect(page).to_have_title(title(QUESTION))
    page.wait_for_load_state("load")
    problems.assert_none()


def test_link_swaps_the_region_focuses_its_heading_and_back_restores_it(
    page: Page, problems: BrowserProblems
) -> None:
    page.goto(UPDATES_URL)
    mark_document(page)
    region_heading = page.locator("#updates > h2")
    expect(region_heading).to_have_text("Updates, page 1 of 3")

    with page.expect_response(lambda r: "page=2" in r.url) as loaded:
        page.get_by_role("link", name="Older updates").click()

    assert_htmx_partial(loaded.value)
    expect(region_heading).to_have_text("Updates, page 2 of 3")
    expect(region_heading).to_be_focused()
    expect(page).to_have_url(url_ending(f"{UPDATES_URL}?page=2"))
    expect(page).to_have_title(title("Your case updates (page 2)"))
    expect(page.get_by_text("Update 4", exact=True)).to_be_visible()
    expect(page.get_by_text("Update 1", exact=True)).to_have_count(0)
    # Only the region changed: the page heading and the rest are the same elements.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case updates")
    assert_same_document(page)

    page.go_back()

    expect(page).to_have_url(url_ending(UPDATES_URL))
    expect(region_heading).to_have_text("Updates, page 1 of 3")
    expect(page.get_by_text("Update 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Update 4", exact=True)).to_have_count(0)
    expect(page).to_have_title(title("Your case updates"))
    page.wait_for_load_state("load")
    problems.assert_none()


def click_mark_all_as_read(page: Page) -> Response:
    with page.expect_response(lambda r: r.url.endswith(READ_URL)) as posted:
        page.get_by_role("button", name="Mark all as read").click()
    return posted.value


def test_button_outside_a_form_sends_the_csrf_token_in_a_header(
    page: Page, problems: BrowserProblems
) -> None:
    page.goto(UPDATES_URL)
    meta = page.locator('meta[name="csrf-token"]')
    expect(meta).to_have_count(1)  # from layouts/base.html
    token = meta.get_attribute("content")
    assert token

    response = click_mark_all_as_read(page)

    assert response.request.header_value("x-csrftoken") == token
    assert response.status == 200
    status = page.locator("#read-status p")
    expect(status).to_have_text("All updates are marked as read.")
    expect(status).to_be_focused()  # data-focus-after-swap
    problems.assert_none()


def test_button_outside_a_form_without_the_token_gets_the_expired_form_page(
    page: Page, problems: BrowserProblems
) -> None:
    """The header is what lets the request through: without the meta tag, a 400."""
    page.goto(UPDATES_URL)
    page.locator('meta[name="csrf-token"]').evaluate("(meta) => meta.remove()")
    mark_document(page)

    response = click_mark_all_as_read(page)

    assert response.request.header_value("x-csrftoken") is None
    assert response.status == 400
    heading = page.locator("main#main-content h1")
    expect(heading).to_have_text("Sorry, your form has expired")
    expect(heading).to_be_focused()
    expect(page.locator("#read-status")).to_have_count(0)
    assert_same_document(page)
    problems.assert_only(
        rf"^400 for .*{READ_URL}$",
        r"^console error: Failed to load resource: .* 400",
        rf"^console error: Response Status Error Code 400 from {READ_URL}",
    )


@pytest.mark.parametrize(
    ("link", "status", "heading"),
    [
        ("A page that has gone", 404, "Page not found"),
        ("A page that fails", 500, "Sorry, there is a problem with the service"),
    ],
    ids=["404", "500"],
)
def test_error_answer_to_htmx_replaces_the_main_content(
    page: Page, problems: BrowserProblems, link: str, status: int, heading: str
) -> None:
    page.goto(UPDATES_URL)
    mark_document(page)

    with page.expect_response(lambda r: r.status == status) as answered:
        page.get_by_role("link", name=link).click()

    assert answered.value.request.header_value("hx-request") == "true"
    main = page.locator("main#main-content")
    expect(main.locator("h1")).to_have_text(heading)
    expect(page.locator("h1")).to_have_count(1)
    expect(main.locator("h1")).to_be_focused()
    expect(page).to_have_title(title(heading))
    expect(main.get_by_text("Update 1", exact=True)).to_have_count(0)
    expect(
        main.get_by_role("link", name="Go to the start of the Victim Contact Scheme service")
    ).to_be_visible()
    assert_same_document(page)
    problems.assert_only(
        rf"^{status} for ",
        rf"^console error: Failed to load resource: .* {status}",
        rf"^console error: Response Status Error Code {status} from /probe/",
    )


def test_the_form_works_without_javascript(new_context) -> None:
    context: BrowserContext = new_context(java_script_enabled=False)
    page = context.new_page()
    problems = BrowserProblems(page)
    page.goto(NAME_URL)

    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Continue").click()

    response = navigation.value
    assert response is not None and response.status == 200
    assert response.request.method == "POST"
    assert response.request.header_value("hx-request") is None
    expect(page).to_have_title(title(f"Error: {QUESTION}"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=ERROR_MESSAGE)).to_have_attribute("href", "#full_name")
    expect(page.locator("#full_name-error")).to_have_text(f"Error: {ERROR_MESSAGE}")

    page.get_by_label(QUESTION).fill("Ada Lovelace")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Continue").click()

    response = navigation.value
    assert response is not None and response.status == 200
    assert response.request.method == "GET" and response.url.endswith(DONE_URL)
    posted = response.request.redirected_from
    assert posted is not None and posted.method == "POST"
    assert posted.response() is not None and posted.response().status == 303
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page).to_have_title(title("Thank you"))
    expect(page.get_by_text("We have your name: Ada Lovelace.")).to_be_visible()
    problems.assert_none()


def test_form_error_state_after_a_swap_has_no_accessibility_violations(
    page: Page, problems: BrowserProblems
) -> None:
    page.goto(NAME_URL)
    mark_document(page)
    submit_empty_answer(page)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_same_document(page)

    assert_no_axe_violations(page)
    problems.assert_none()


def test_the_problem_recorder_sees_a_csp_violation(page: Page, problems: BrowserProblems) -> None:
    """The recorder is not blind: an inline script added to the page is blocked and reported."""
    page.goto(NAME_URL)

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__inlineRan = true'; document.body.append(s); }"
    )

    problems.wait_for(r"^CSP violation: script-src.* blocked inline")
    assert page.evaluate("window.__inlineRan") is None
    with pytest.raises(AssertionError):
        problems.assert_none()
