"""The deterministic pieces of `make bench` (benchmarks/): reading wrk's output, the Lua
script it runs, the budgets, what counts as cached for good, and the reports. No timing
is asserted here: the benchmark itself only reports."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from benchmarks import budgets, report, transfer, wrk
from benchmarks.pages import HTMX_PARTIAL, PAGES, REPEAT_VISIT, START_PAGE
from portal.forms import is_submission_key

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.51ms    3.20ms  80.00ms   90.00%
  1590 requests in 10.00s, 25.00MB read
  Non-2xx or 3xx responses: 7
Requests/sec:    159.00
Transfer/sec:      2.50MB
WRK_JSON {"requests": 1590, "duration_us": 10000000, "bytes": 26214400, "errors": {"connect": 0, "read": 1, "write": 0, "status": 7, "timeout": 2}, "latency_ms": {"mean": 12.510, "max": 80.000, "50": 11.000, "90": 15.500, "95": 18.250, "99": 40.125}}
"""  # noqa: E501


def test_wrk_result_is_read_from_the_line_done_writes():
    result = wrk.parse(WRK_OUTPUT)
    assert result.requests == 1590
    assert result.rps == pytest.approx(159.0)
    assert result.latency_ms["50"] == 11.0
    assert result.latency_ms["99"] == 40.125
    assert result.non_2xx_3xx == 7
    assert result.socket_errors == 3


def test_wrk_output_without_a_result_line_is_a_harness_failure():
    with pytest.raises(ValueError, match="no result line"):
        wrk.parse("unable to connect to 127.0.0.1:8000 Connection refused\n")


def test_the_script_takes_each_target_in_turn_with_its_cookie_and_body():
    lua = wrk.script(
        "POST",
        [
            wrk.Target("/a", "vcs_session=one", "csrf_token=t1&submission_key={key}&body=x+{n}"),
            wrk.Target("/b", "vcs_session=two", 'say "hi"'),
        ],
        (("HX-Request", "true"),),
        nonce=7,
    )
    assert '{path = "/a", cookie = "vcs_session=one", body = "csrf_token=t1' in lua
    assert 'body = "say \\"hi\\""' in lua
    assert 'h["HX-Request"] = "true"' in lua
    assert 'h["Content-Type"] = "application/x-www-form-urlencoded"' in lua
    assert 'h["Accept-Encoding"] = "gzip, deflate, br"' in lua
    assert "function done(summary, latency, requests)" in lua
    assert "local nonce = 7" in lua


def test_the_script_refuses_what_lua_strings_would_mangle():
    with pytest.raises(ValueError):
        wrk.script("GET", [wrk.Target("/café")])
    with pytest.raises(ValueError):
        wrk.script("GET", [])


def test_the_keys_the_script_makes_are_submission_keys_the_portal_accepts():
    pattern = re.search(r'string\.format\("(bbbbbbbb-[^"]+)"', wrk.script("GET", [wrk.Target("/")]))
    assert pattern is not None
    for values in ((0, 0, 0, 1), (0xFFFF, 4095, 4095, 2**48 - 1), (42, 1, 0, 123456)):
        key = pattern.group(1) % values
        assert is_submission_key(key), key
        assert key.startswith(wrk.KEY_PREFIX)


def test_every_page_is_one_line_with_a_known_identity_and_method():
    names = [page.name for page in PAGES]
    assert len(names) == len(set(names))
    assert {START_PAGE, HTMX_PARTIAL, REPEAT_VISIT} <= set(names)
    for page in PAGES:
        assert page.method in ("GET", "POST")
        assert page.who in {
            "anonymous",
            "victim",
            "senders",
            "officer",
            "officer's cases",
            "manager",
        }
        assert page.writes == (page.method == "POST")
        if page.writes:
            assert "{csrf}" in page.body


def _results(ratio=0.6, p99=50.0, first=100_000, again=(), partial=2_000, peak=120.0):
    page = {
        "name": "start page",
        "method": "GET",
        "rps": 100.0,
        "p50_ms": 5.0,
        "p95_ms": 20.0,
        "p99_ms": p99,
        "ratio": ratio,
        "non_2xx_3xx": 0,
        "queries": 0,
        "bytes": {"raw": 9000, "gzip": partial, "br": partial + 100},
        "rss_peak_mb": peak,
    }
    post = {**page, "name": "reply", "method": "POST", "ratio": 0.3}
    htmx = {**page, "name": HTMX_PARTIAL}
    found = {
        "ceiling": {"rps": 200.0, "p50_ms": 2.0, "p95_ms": 5.0, "p99_ms": 9.0, "bytes": 9000},
        "pages": [page, post, htmx],
        "workers_peak_mb": [peak, peak - 10],
        "transfer": {
            "first_visit": {"page": "/", "requests": 8, "transferred": first, "files": []},
            "repeat_visit": {
                "page": "/sign-in",
                "requests": 1 + len(again),
                "transferred": 5000,
                "fetched_again": list(again),
            },
            "not_cached_for_good": list(again),
        },
    }
    return {
        "settings": {"scale": 0.01, "data": "cases 1,000", "gunicorn": "-k gthread",
                     "wrk": "-t2 -c16", "runs": 3, "seconds": 10},
        "finished_at": "2026-11-30 12:00 UTC",
        "databases": {"SQLite": found, "PostgreSQL": found},
    }  # fmt: skip


def _verdicts(results) -> dict[str, str]:
    return {b.name: b.verdict for b in budgets.check(results, HTMX_PARTIAL)}


def test_budgets_all_met():
    verdicts = _verdicts(_results())
    assert set(verdicts.values()) == {"met"}
    assert "PostgreSQL: start page p99 at 16 connections" in verdicts
    assert "SQLite: start page p99 at 16 connections" not in verdicts  # PostgreSQL's budget


def test_budgets_missed_one_by_one():
    assert _verdicts(_results(ratio=0.49))["SQLite: start page share of the ceiling"] == "MISSED"
    assert _verdicts(_results(ratio=0.49))["SQLite: reply share of the ceiling"] == "met"  # 0.25
    assert (
        _verdicts(_results(p99=100.0))["PostgreSQL: start page p99 at 16 connections"] == "MISSED"
    )
    assert _verdicts(_results(first=120_001))["SQLite: first visit to / (fonts included)"] == (
        "MISSED"
    )
    assert (
        _verdicts(_results(again=["/static/app.css"]))[
            "SQLite: repeat visit (/sign-in) fetches only the HTML"
        ]
        == "MISSED"
    )
    assert (
        _verdicts(_results(partial=3_001))[f"SQLite: htmx partial ({HTMX_PARTIAL}) compressed"]
        == "MISSED"
    )
    assert _verdicts(_results(peak=150.0))["SQLite: largest worker's peak memory"] == "MISSED"


def test_without_postgresql_its_p99_budget_is_not_measured():
    results = _results()
    del results["databases"]["PostgreSQL"]
    checked = budgets.check(results, HTMX_PARTIAL)
    assert [b.verdict for b in checked if b.name.startswith("PostgreSQL")] == ["not measured"]
    assert budgets.summary(checked).endswith("1 not measured")


def test_cached_for_good_needs_a_fingerprint_immutable_and_a_year():
    year = "public, max-age=31536000, immutable"
    assert transfer.cacheable_for_good("http://x/static/app.3f9a2c1d7e.css", year)
    assert transfer.cacheable_for_good("http://x/static/app.css?v=3f9a2c1d7e", year)
    assert not transfer.cacheable_for_good("http://x/static/app.css", year)
    assert not transfer.cacheable_for_good(
        "http://x/static/app.3f9a2c1d7e.css", "public, max-age=31536000"
    )
    assert not transfer.cacheable_for_good(
        "http://x/static/app.3f9a2c1d7e.css", "max-age=3600, immutable"
    )
    assert not transfer.cacheable_for_good("http://x/static/app.3f9a2c1d7e.css", "no-cache")


def test_a_first_visit_fetches_stylesheets_scripts_images_one_icon_and_first_fonts():
    html = """<html><head>
      <link rel="stylesheet" href="/static/app.css">
      <link rel="icon" href="/favicon.ico"><link rel="icon" href="/favicon.svg">
      <link rel="apple-touch-icon" href="/touch.png">
      <script src="/static/htmx.js"></script><script>inline()</script>
      <link rel="stylesheet" href="https://elsewhere.example/x.css">
    </head><body><img src="/static/crest.png"><img src="/static/crest.png"></body></html>"""
    assert transfer.assets("http://127.0.0.1:5000/", html) == [
        "http://127.0.0.1:5000/static/app.css",
        "http://127.0.0.1:5000/favicon.ico",
        "http://127.0.0.1:5000/static/htmx.js",
        "http://127.0.0.1:5000/static/crest.png",
    ]
    css = """@font-face{font-family:"GDS Transport";src:url("/assets/fonts/light.woff2")
      format("woff2"),url(/assets/fonts/light.woff) format("woff")}
      .x{background:url(/assets/images/bg.png)}
      @font-face{src:url('../fonts/bold.woff2') format("woff2")}"""
    assert transfer.fonts("http://h/static/css/app.css", css) == [
        "http://h/assets/fonts/light.woff2",
        "http://h/static/fonts/bold.woff2",
    ]


def test_stylesheet_images_count_only_for_classes_the_page_uses():
    css = """.govuk-footer__logo:before{background-image:url(/assets/images/crest.svg)}
      @media (min-resolution:2dppx){
        .govuk-footer__logo:before{background:url(/assets/images/crest.svg)}}
      .govuk-unused{background:url(/assets/images/unused.png)}
      .a .b{background:url("../img/both.png")}
      .icon{background:url(data:image/svg+xml;base64,AAAA)}
      @font-face{src:url(/f.woff2)}"""
    used = {"govuk-footer__logo", "a", "b", "icon"}
    assert transfer.css_images("http://h/static/css/app.css", css, used) == [
        "http://h/assets/images/crest.svg",
        "http://h/static/img/both.png",
    ]


def test_a_modules_static_imports_are_fetched_too():
    js = """import { initAll } from "/static/govuk/govuk-frontend.min.js";
    import "./side-effect.mjs";
    export { x } from '../shared.mjs';
    const later = () => import("./lazy.mjs");"""
    assert transfer.module_imports("http://h/static/js/portal.mjs", js) == [
        "http://h/static/govuk/govuk-frontend.min.js",
        "http://h/static/js/side-effect.mjs",
        "http://h/static/shared.mjs",
    ]


def test_the_reports_hold_every_page_and_a_well_formed_chart():
    results = _results()
    checked = budgets.check(results, HTMX_PARTIAL)
    results["lighthouse"] = {
        "note": "x",
        "scores": {"/": {"performance": 97, "accessibility": 100}},
    }
    text = report.markdown(results, checked)
    assert "| start page | GET | 100 | 5.0 | 20.0 | 50.0 | 0.60 | 0 | 0 | 9,000 |" in text
    assert "| / | 97 | 100 |" in text
    assert budgets.summary(checked) in text
    for shape in (
        [{"page": "/", "performance": 97, "accessibility": 100}],
        {"pages": [{"url": "/", "scores": {"performance": 97, "accessibility": 100}}]},
    ):
        results["lighthouse"]["scores"] = shape
        assert "| / | 97 | 100 |" in report.markdown(results, checked)
    chart = ET.fromstring(report.svg(results))  # noqa: S314 (our own chart)
    labels = [node.text for node in chart.iter("{http://www.w3.org/2000/svg}text")]
    assert {"start page", "reply", "ceiling"} <= set(labels)


def test_lighthouse_scores_are_budgets_per_page_and_category():
    results = _results()
    results["lighthouse"] = {
        "scores": {
            "/": {"performance": 99, "accessibility": 100, "best-practices": 100},
            "/staff": {"performance": 94, "accessibility": 100, "best-practices": 96},
        }
    }
    verdicts = _verdicts(results)
    assert verdicts["Lighthouse: / performance"] == "met"
    assert verdicts["Lighthouse: /staff performance"] == "MISSED"  # below 95
    assert verdicts["Lighthouse: /staff accessibility"] == "met"
    assert verdicts["Lighthouse: /staff best-practices"] == "MISSED"  # below 100


def test_a_repeat_visit_counts_only_files_fetched_again_not_ones_first_needed_there(
    monkeypatch,
):
    from benchmarks import transfer

    class Fake:
        def __init__(self, url, cached):
            self.url, self.cached_for_good = url, cached

    first_assets = {"/static/a.css": True, "/static/b.js": False}
    monkeypatch.setattr(
        transfer, "fetch", lambda url, headers=None: Fake(url, url != "/static/b.js")
    )
    monkeypatch.setattr(
        transfer, "_row", lambda fetched, kind: {"url": fetched.url, "kind": kind, "bytes": 1}
    )
    monkeypatch.setattr(transfer, "_decoded", lambda page: "")
    pages = {
        "http://x/": (list(first_assets), set()),
        "http://x/info": (["/static/a.css", "/static/b.js", "/static/picture.svg"], set()),
    }
    monkeypatch.setattr(transfer, "page_assets", lambda url, html: (list(pages[url][0]), set()))
    monkeypatch.setattr(transfer, "_needs", lambda fetched, classes: [])
    monkeypatch.setattr(transfer.Visit, "transferred", property(lambda self: len(self.requests)))
    found = transfer.first_and_repeat("http://x", "/", "/info")
    again = found["repeat_visit"]
    assert again["fetched_again"] == ["/static/b.js"]  # had it, not cached for good
    assert again["first_needed_here"] == ["/static/picture.svg"]  # new: fetched once
