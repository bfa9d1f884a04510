"""What a victim's phone downloads (issue 17): bytes, not timings.

Chromium reports each response's bytes on the wire (headers included, compressed
as sent) through the DevTools protocol: Network.loadingFinished's
encodedDataLength. A first visit to the start page, fonts and all, must stay
within 120 KB; a later page must cost only its own HTML, every static file
coming from the browser's cache (fingerprinted and immutable: portal/static_files.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, CDPSession, Page

#: The start page's first visit, every byte on the wire (issue 17).
FIRST_VISIT_BUDGET = 120_000


@dataclass
class Transfer:
    url: str
    status: int = 0
    bytes: int = 0
    from_cache: bool = False


@dataclass
class Network:
    """Every response a page receives, with its bytes on the wire, through CDP."""

    session: CDPSession
    base_url: str
    transfers: dict[str, Transfer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.session.send("Network.enable")
        self.session.on("Network.responseReceived", self._received)
        self.session.on("Network.requestServedFromCache", self._from_cache)
        self.session.on("Network.loadingFinished", self._finished)

    def _transfer(self, request_id: str) -> Transfer:
        return self.transfers.setdefault(request_id, Transfer(url=""))

    def _received(self, event: dict) -> None:
        transfer = self._transfer(event["requestId"])
        transfer.url = event["response"]["url"].removeprefix(self.base_url)
        transfer.status = event["response"]["status"]
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            transfer.from_cache = True

    def _from_cache(self, event: dict) -> None:
        self._transfer(event["requestId"]).from_cache = True

    def _finished(self, event: dict) -> None:
        self._transfer(event["requestId"]).bytes = int(event["encodedDataLength"])

    def visit(self, page: Page, path: str) -> list[Transfer]:
        self.transfers.clear()
        page.goto(path)
        page.wait_for_load_state("networkidle")
        return [transfer for transfer in self.transfers.values() if transfer.url]


def network(context: BrowserContext, page: Page, base_url: str) -> Network:
    return Network(context.new_cdp_session(page), base_url)


def listing(transfers: list[Transfer]) -> str:
    return "\n".join(
        f"{t.status} {t.bytes:>7} {'(cache) ' if t.from_cache else ''}{t.url}" for t in transfers
    )


def fetched(transfers: list[Transfer]) -> list[str]:
    """What came over the network rather than from the cache."""
    return [t.url for t in transfers if not t.from_cache and t.bytes > 0]


def test_a_first_visit_to_the_start_page_is_at_most_120_kb(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    transfers = network(context, page, live_server).visit(page, "/")
    total = sum(t.bytes for t in transfers)
    assert all(t.status == 200 for t in transfers), listing(transfers)
    # The fonts a page uses (woff2 only) and GOV.UK's crest are part of the visit.
    assert sum(".woff2" in t.url for t in transfers) == 2, listing(transfers)
    assert not any(".woff" in t.url and ".woff2" not in t.url for t in transfers)
    assert any("govuk-crest" in t.url for t in transfers), listing(transfers)
    assert total <= FIRST_VISIT_BUDGET, f"{total} bytes:\n{listing(transfers)}"


def test_a_later_page_fetches_only_its_html(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    watch = network(context, page, live_server)
    watch.visit(page, "/")
    later = watch.visit(page, "/information/about-the-scheme")
    assert fetched(later) == ["/information/about-the-scheme"], listing(later)
    assert len(later) > 5, listing(later)  # the stylesheet, scripts, fonts: from the cache
    # A page with htmx brings htmx's script, once; the next such page, only its HTML.
    first_with_htmx = watch.visit(page, "/sign-in")
    assert sorted(fetched(first_with_htmx))[0] == "/sign-in"
    assert [url for url in fetched(first_with_htmx) if "/static/" in url] == [
        next(url for url in fetched(first_with_htmx) if "htmx.min" in url)
    ], listing(first_with_htmx)
    second_with_htmx = watch.visit(page, "/regions")
    assert fetched(second_with_htmx) == ["/regions"], listing(second_with_htmx)
    # Pages themselves are never kept: going back to the start page fetches it again.
    again = watch.visit(page, "/")
    assert fetched(again) == ["/"], listing(again)
