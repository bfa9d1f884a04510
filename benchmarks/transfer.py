"""What travels: each page's size on the wire (identity, gzip, brotli), and the start page
as a browser first visits it (the page and every static file it uses: stylesheets, the
fonts and images they use on this page, scripts and the modules they import, images, the
icon) and then visits another page (only what the cache cannot keep is fetched again)."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

BROWSER = {
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br",
    "User-Agent": "Mozilla/5.0 (benchmark)",
}
YEAR = 365 * 24 * 3600
#: A fingerprint in a static file's address: a hash of 8 or more hex digits (or a ?v=).
FINGERPRINT = re.compile(r"[.\-_/][0-9a-f]{8,}[./]|[?&]v=[\w-]{6,}")
FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
#: A CSS rule (the innermost braces) and the class names in a selector.
RULE = re.compile(r"([^{}]+){([^{}]*)}")
CLASS = re.compile(r"\.([A-Za-z_][\w-]*)")
#: What a JavaScript module imports (static imports: the browser fetches them at once).
IMPORT = re.compile(
    r"""(?:^|[;\s])(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']|(?:^|[;\s])import\s*["']([^"']+)["']"""
)


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    header_bytes: int

    @property
    def transferred(self) -> int:
        return len(self.body) + self.header_bytes

    @property
    def cached_for_good(self) -> bool:
        """Fingerprinted and served immutable for a year: a later page never asks again."""
        return cacheable_for_good(self.url, self.headers.get("cache-control", ""))


def cacheable_for_good(url: str, cache_control: str) -> bool:
    directives = {
        part.strip().split("=")[0].lower(): part.strip().partition("=")[2]
        for part in cache_control.split(",")
        if part.strip()
    }
    try:
        max_age = int(directives.get("max-age") or 0)
    except ValueError:
        max_age = 0
    return (
        "immutable" in directives
        and max_age >= YEAR
        and bool(FINGERPRINT.search(urlsplit(url).path + "?" + urlsplit(url).query))
    )


def fetch(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> Fetched:
    """One request, the body as it came over the wire (not decompressed)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        all_headers = dict(headers or {})
        if body is not None:
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        raw_headers = response.headers.as_string()
        return Fetched(
            url=url,
            status=response.status,
            headers={key.lower(): value for key, value in response.getheaders()},
            body=data,
            header_bytes=len("HTTP/1.1 200 OK\r\n") + len(raw_headers.replace("\n", "\r\n")),
        )
    finally:
        connection.close()


def sizes(url: str, method: str, headers: dict[str, str], body: str | None) -> dict[str, int]:
    """The response body's size sent as is, with gzip and with brotli asked for (what the
    server sends: the same as `raw` when it does not compress)."""
    found = {}
    for name, encoding in (("raw", "identity"), ("gzip", "gzip"), ("br", "br")):
        fetched = fetch(url, method, {**headers, "Accept-Encoding": encoding}, body)
        found[name] = len(fetched.body)
        found[f"{name}_encoding"] = fetched.headers.get("content-encoding", "identity")
    return found


class _Assets(HTMLParser):
    """The static files a browser fetches for a page: stylesheets, scripts, images,
    preloads and the first icon."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.classes: set[str] = set()
        self.icon = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.classes.update((attributes.get("class") or "").split())
        rel = (attributes.get("rel") or "").lower().split()
        if tag == "link" and attributes.get("href"):
            if "stylesheet" in rel or "preload" in rel or "modulepreload" in rel:
                self.found.append(attributes["href"])
            elif "icon" in rel and not self.icon:
                self.icon = True
                self.found.append(attributes["href"])
        elif tag in ("script", "img") and attributes.get("src"):
            self.found.append(attributes["src"])


def assets(page_url: str, html: str) -> list[str]:
    return page_assets(page_url, html)[0]


def page_assets(page_url: str, html: str) -> tuple[list[str], set[str]]:
    """The same-site static files the page's HTML names, and the classes it uses."""
    parser = _Assets()
    parser.feed(html)
    seen: list[str] = []
    for href in parser.found:
        url = urljoin(page_url, href)
        if urlsplit(url).netloc == urlsplit(page_url).netloc and url not in seen:
            seen.append(url)
    return seen, parser.classes


def css_images(css_url: str, css: str, classes: set[str]) -> list[str]:
    """Images a stylesheet makes the browser fetch for a page using `classes`: those of
    rules whose selector's classes the page all uses (fonts aside)."""
    found = []
    for selectors, block in RULE.findall(FONT_FACE.sub("", css)):
        urls = URL.findall(block)
        if not urls:
            continue
        for selector in selectors.split(","):
            names = CLASS.findall(selector)
            if names and all(name in classes for name in names):
                for url in urls:
                    url = urljoin(css_url, url)
                    if not url.startswith("data:") and url not in found:
                        found.append(url)
                break
    return found


def module_imports(js_url: str, js: str) -> list[str]:
    """The modules a JavaScript module imports statically (fetched before it runs)."""
    found = []
    for match in IMPORT.finditer(js):
        url = urljoin(js_url, match.group(1) or match.group(2))
        if url not in found:
            found.append(url)
    return found


def fonts(css_url: str, css: str) -> list[str]:
    """The font files a browser fetches for a stylesheet: the first source of each
    @font-face (the best format, woff2, comes first)."""
    found = []
    for block in FONT_FACE.findall(css):
        first = URL.search(block)
        if first:
            url = urljoin(css_url, first.group(1))
            if url not in found:
                found.append(url)
    return found


def _decoded(fetched: Fetched) -> str:
    import gzip
    import zlib

    encoding = fetched.headers.get("content-encoding", "identity")
    data = fetched.body
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "deflate":
        data = zlib.decompress(data)
    elif encoding == "br":
        import brotli  # only when the server sends brotli, then it is installed

        data = brotli.decompress(data)
    return data.decode("utf-8", "replace")


@dataclass
class Visit:
    page: str
    requests: list[dict] = field(default_factory=list)

    @property
    def transferred(self) -> int:
        return sum(item["transferred"] for item in self.requests)


def first_and_repeat(base: str, first: str, then: str) -> dict:
    """The first visit to `first` (empty cache) and a repeat visit to `then`."""
    visit = Visit(first)
    cache: dict[str, Fetched] = {}
    page = fetch(base + first, headers=BROWSER)
    visit.requests.append(_row(page, "page"))
    queue, classes = page_assets(page.url, _decoded(page))
    while queue:
        url = queue.pop(0)
        if url in cache:
            continue
        fetched = fetch(url, headers=BROWSER)
        cache[url] = fetched
        visit.requests.append(_row(fetched, "asset"))
        queue += [found for found in _needs(fetched, classes) if found not in cache]
    again = Visit(then)
    page = fetch(base + then, headers=BROWSER)
    again.requests.append(_row(page, "page"))
    queue, classes = page_assets(page.url, _decoded(page))
    asked: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in asked:
            continue
        asked.add(url)
        fetched = cache.get(url)
        if fetched is None:  # first needed by this page: fetched once, then cached
            fetched = fetch(url, headers=BROWSER)
            again.requests.append(_row(fetched, "new asset"))
        elif not fetched.cached_for_good:  # had on the first visit, asked for again
            fetched = fetch(url, headers=BROWSER)
            again.requests.append(_row(fetched, "asset"))
        queue += _needs(fetched, classes)
    return {
        "first_visit": {
            "page": first,
            "requests": len(visit.requests),
            "transferred": visit.transferred,
            "files": visit.requests,
        },
        "repeat_visit": {
            "page": then,
            "requests": len(again.requests),
            "transferred": again.transferred,
            "fetched_again": [row["url"] for row in again.requests if row["kind"] == "asset"],
            "first_needed_here": [
                row["url"] for row in again.requests if row["kind"] == "new asset"
            ],
        },
        "not_cached_for_good": [
            url for url, fetched in cache.items() if not fetched.cached_for_good
        ],
    }


def _needs(fetched: Fetched, classes: set[str]) -> list[str]:
    """What a fetched stylesheet or script makes the browser fetch next."""
    kind = fetched.headers.get("content-type", "")
    if kind.startswith("text/css"):
        css = _decoded(fetched)
        return fonts(fetched.url, css) + css_images(fetched.url, css, classes)
    if "javascript" in kind:
        return module_imports(fetched.url, _decoded(fetched))
    return []


def _row(fetched: Fetched, kind: str) -> dict:
    return {
        "url": urlsplit(fetched.url).path,
        "kind": kind,
        "status": fetched.status,
        "transferred": fetched.transferred,
        "encoding": fetched.headers.get("content-encoding", "identity"),
        "cache_control": fetched.headers.get("cache-control", ""),
    }
