"""One helper renders a full page or just its partial, and varies on HX-Request."""

import re

from bs4 import BeautifulSoup


def test_plain_request_gets_the_whole_page(probe_client):
    response = probe_client.get("/probe/fragment")
    assert response.status_code == 200
    assert "HX-Request" in response.vary
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("html") and page.find("h1").get_text(strip=True) == "Probe page"
    assert page.select_one("#probe-region h2")


def test_htmx_request_gets_only_the_partial(probe_client):
    response = probe_client.get("/probe/fragment", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.vary
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<h1" not in body
    assert BeautifulSoup(body, "html.parser").select_one("#probe-region h2")


def test_history_restore_gets_the_whole_page(probe_client):
    response = probe_client.get(
        "/probe/fragment",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.vary


def test_htmx_is_configured_for_the_strict_csp(pages):
    page = pages.get("/sign-in")
    config = page.find("meta", attrs={"name": "htmx-config"})["content"]
    assert '"allowEval":false' in config
    assert '"allowScriptTags":false' in config
    assert '"includeIndicatorStyles":false' in config
    assert '"selfRequestsOnly":true' in config
    assert script_names(page) == ["vendor/htmx.min.js", "js/portal.mjs"]


def test_a_page_without_htmx_attributes_is_sent_without_htmx(pages):
    """The start page and the information pages use no htmx: its script is left out."""
    for path in ("/", "/information/about-the-scheme", "/no-such-page"):
        page = pages.get(path, status=404 if path == "/no-such-page" else 200)
        assert not page.select("[hx-get], [hx-post], [hx-boost], [hx-trigger]")
        assert script_names(page) == ["js/portal.mjs"], path
        assert page.find("meta", attrs={"name": "htmx-config"})  # harmless, and cached with it


def script_names(page) -> list[str]:
    """The page's scripts, as files under static/ (without their fingerprints)."""
    sources = [script["src"] for script in page.find_all("script") if script.get("src")]
    assert all(source.startswith("/static/") for source in sources), sources
    return [
        re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", source[len("/static/") :]) for source in sources
    ]
