"""Static files fingerprinted and cached for a year; everything compressed (issue 17).

Sizes and headers, never timings: portal/static_files.py names each file by a
hash of its content and serves it `immutable`; text is sent with brotli or gzip;
pages are compressed by portal/compression.py. The browser's view of the same
budgets (bytes of a first visit, a repeat visit fetching only the page) is in
tests/browser/test_page_weight.py.
"""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from bs4 import BeautifulSoup

from portal.static_files import IMMUTABLE, REVALIDATE

FINGERPRINT = r"\.[0-9a-f]{12}\.\w+$"
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
#: An htmx partial, compressed, at most this many bytes (issue 17).
PARTIAL_BUDGET = 3 * 1024


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    assert encoding is None, encoding
    return response.data


def static_urls(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    found = [tag.get("href") for tag in page.find_all("link")]
    found += [tag.get("src") for tag in page.find_all(["script", "img"])]
    return [url for url in found if url and url.startswith(("/static/", "/assets/"))]


@pytest.mark.parametrize("path", ["/", "/sign-in", "/information/what-you-will-be-told"])
def test_every_static_file_a_page_names_is_fingerprinted_and_immutable(client, path):
    urls = static_urls(client.get(path).get_data(as_text=True))
    assert any("govuk-frontend.min" in url for url in urls)
    for url in urls:
        assert re.search(FINGERPRINT, url), url
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url


def test_a_changed_static_file_is_named_by_its_new_fingerprint(client, app, tmp_path, monkeypatch):
    """The head's addresses are rendered once for each reading of the static files: when
    one changes (STATIC_FILES_RELOAD, in development), pages name the new file."""
    import shutil

    from portal.static_files import StaticFiles

    def stylesheet() -> str:
        urls = static_urls(client.get("/sign-in").get_data(as_text=True))
        return next(url for url in urls if "/css/portal." in url)

    before = stylesheet()
    root = tmp_path / "static"
    shutil.copytree(app.static_folder, root)
    with (root / "css" / "portal.css").open("a") as css:
        css.write("\n/* changed */\n")
    monkeypatch.setitem(app.extensions, "static_files", StaticFiles(root))
    after = stylesheet()
    assert after != before and re.search(FINGERPRINT, after)
    assert client.get(after).get_data(as_text=True).endswith("/* changed */\n")


def test_what_the_stylesheet_and_module_name_is_fingerprinted_too(client):
    """GOV.UK's fonts and crest (url() in its CSS), and the module's import of GOV.UK's
    script, so that nothing a page loads is asked for again."""
    page = client.get("/").get_data(as_text=True)
    (css,) = [url for url in static_urls(page) if "govuk-frontend.min" in url]
    (module,) = [url for url in static_urls(page) if url.endswith(".mjs")]
    named = re.findall(r"url\(([^)]+)\)", client.get(css).get_data(as_text=True))
    named += re.findall(r'from "([^"]+)"', client.get(module).get_data(as_text=True))
    assert any(".woff2" in url for url in named)
    assert any("govuk-crest" in url for url in named)
    assert any("govuk-frontend.min" in url for url in named)
    for url in set(named):
        assert re.search(FINGERPRINT, url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url


def test_the_plain_name_still_works_and_is_checked_each_time(client):
    plain = client.get("/static/css/portal.css", headers=BROWSER)
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == REVALIDATE
    etag = plain.headers["ETag"]
    again = client.get("/static/css/portal.css", headers={**BROWSER, "If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/assets/images/govuk-crest.svg").status_code == 200
    # Named by a fingerprint that is no longer current (a page from before a release):
    # today's file, but not kept.
    stale = client.get("/static/css/portal.000000000000.css")
    assert stale.status_code == 200
    assert stale.headers["Cache-Control"] == REVALIDATE
    assert decoded(stale) == decoded(plain)
    assert client.get("/static/css/nothing.000000000000.css").status_code == 404
    assert client.get("/static/../portal/__init__.py").status_code == 404


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_static_text_is_sent_compressed(client, encoding):
    raw = client.get("/static/govuk/govuk-frontend.min.css")
    assert "Content-Encoding" not in raw.headers
    assert raw.headers["Vary"] == "Accept-Encoding"
    response = client.get(
        "/static/govuk/govuk-frontend.min.css", headers={"Accept-Encoding": encoding}
    )
    assert response.headers["Content-Encoding"] == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.headers["ETag"] != raw.headers["ETag"]
    assert decoded(response) == raw.data
    assert len(response.data) < len(raw.data) / 7


def test_brotli_is_preferred_and_fonts_are_sent_as_they_are(client):
    assert client.get("/static/js/portal.mjs", headers=BROWSER).headers["Content-Encoding"] == "br"
    quality = {"Accept-Encoding": "br;q=0.5, gzip"}
    assert client.get("/static/js/portal.mjs", headers=quality).headers["Content-Encoding"] == (
        "gzip"
    )
    font = client.get("/assets/fonts/bold-b542beb274-v2.woff2", headers=BROWSER)
    assert font.mimetype == "font/woff2"
    assert "Content-Encoding" not in font.headers
    assert "Vary" not in font.headers


def test_static_files_carry_no_page_policies_but_svg_keeps_a_strict_one(client):
    """A stylesheet, script or font is no document: no CSP (450 bytes on each of them),
    but nosniff always. An SVG opened alone is a document: nothing may load or run in it."""
    css = client.get("/static/css/portal.css")
    assert "Content-Security-Policy" not in css.headers
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    svg = client.get("/assets/images/govuk-crest.svg")
    assert svg.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Content-Security-Policy" in client.get("/").headers


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_are_compressed_and_vary_on_encoding_and_htmx(client, encoding):
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers
    response = client.get("/", headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert response.headers["Cache-Control"] == "no-store"
    vary = {value.strip() for value in response.headers["Vary"].split(",")}
    assert {"Accept-Encoding", "HX-Request", "Cookie"} <= vary
    assert b"<html" in decoded(response)
    assert len(response.data) < len(decoded(response)) / 3


def test_an_htmx_partial_is_at_most_3_kb_compressed(client):
    """An eligibility question, as htmx swaps it in: the question and its form alone."""
    whole = client.get("/check-if-you-can-join/who", headers={"Accept-Encoding": "br"})
    partial = client.get(
        "/check-if-you-can-join/who", headers={"Accept-Encoding": "br", "HX-Request": "true"}
    )
    assert b"<html" in decoded(whole)
    assert b"<html" not in decoded(partial) and b"<form" in decoded(partial)
    assert partial.headers["Content-Encoding"] == "br"
    assert len(partial.data) <= PARTIAL_BUDGET, len(partial.data)
    # and after an answer with an error, the question again with its error summary
    token = re.search(rb'name="csrf_token" value="([^"]+)"', decoded(partial))
    assert token
    error = client.post(
        "/check-if-you-can-join/who",
        data={"csrf_token": token[1].decode()},
        headers={"Accept-Encoding": "br", "HX-Request": "true"},
    )
    assert b"govuk-error-summary" in decoded(error)
    assert len(error.data) <= PARTIAL_BUDGET, len(error.data)
