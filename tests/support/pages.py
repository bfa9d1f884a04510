"""The page client: fetch a page, check what every page must have, return it parsed."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup
from flask.testing import FlaskClient


class PageClient:
    """Fetch a page, check what every page must have, return the parsed page."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, status: int = 200, **kwargs) -> BeautifulSoup:
        response = self.client.get(url, **kwargs)
        return self.check(response, status)

    def post(self, url: str, status: int = 200, **kwargs) -> BeautifulSoup:
        response = self.client.post(url, **kwargs)
        return self.check(response, status)

    @staticmethod
    def check(response, status: int) -> BeautifulSoup:
        assert response.status_code == status, response.get_data(as_text=True)[:2000]
        assert response.mimetype == "text/html"
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        page.response = response  # type: ignore[attr-defined]
        assert_page_basics(page, response)
        return page


def assert_page_basics(page: BeautifulSoup, response) -> None:
    html = page.find("html")
    assert html is not None and html.get("lang") in ("en", "cy")
    title = page.find("title")
    assert title is not None and title.get_text(strip=True)
    assert len(page.find_all("h1")) == 1, "a page has exactly one h1"
    ids = Counter(element["id"] for element in page.find_all(id=True))
    duplicates = [element_id for element_id, count in ids.items() if count > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    csp = response.headers["Content-Security-Policy"]
    for script in page.find_all("script"):
        nonce = script.get("nonce")
        assert nonce and f"'nonce-{nonce}'" in csp, f"script without a valid nonce: {script}"
    assert response.headers["Cache-Control"] == "no-store"
