"""The benchmark's results as Markdown (the table `make bench` prints) and as an SVG
chart of latency per page, written by hand."""

from __future__ import annotations

from html import escape

from benchmarks.budgets import P99_MS, Budget, summary


def _number(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def table(database: str, found: dict) -> str:
    ceiling = found["ceiling"]
    lines = [
        f"### {database}",
        "",
        f"Ceiling: {_number(ceiling['rps'])} requests/s, p99 {_number(ceiling['p99_ms'], 1)} ms "
        f"({ceiling['bytes']:,} bytes a page)",
        "",
        "| page | method | req/s | p50 ms | p95 ms | p99 ms | share of ceiling | not 2xx/3xx "
        "| queries | bytes raw | gzip | br | worker peak MB |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page in found["pages"]:
        size = page.get("bytes") or {}
        lines.append(
            f"| {page['name']} | {page['method']} | {_number(page['rps'])} "
            f"| {_number(page['p50_ms'], 1)} | {_number(page['p95_ms'], 1)} "
            f"| {_number(page['p99_ms'], 1)} | {_number(page['ratio'], 2)} "
            f"| {page['non_2xx_3xx']} | {_number(page.get('queries'))} "
            f"| {_number(size.get('raw'))} | {_number(size.get('gzip'))} "
            f"| {_number(size.get('br'))} | {_number(page.get('rss_peak_mb'), 1)} |"
        )
    transfer = found.get("transfer")
    if transfer:
        first, again = transfer["first_visit"], transfer["repeat_visit"]
        lines += [
            "",
            f"First visit to `{first['page']}`: {first['requests']} requests, "
            f"{first['transferred']:,} bytes transferred. Repeat visit (`{again['page']}`): "
            f"{again['requests']} requests, {again['transferred']:,} bytes"
            + (
                f"; fetched again: {', '.join(again['fetched_again'])}"
                if again["fetched_again"]
                else ""
            )
            + (
                f"; first needed here (then cached): {', '.join(again['first_needed_here'])}"
                if again.get("first_needed_here")
                else ""
            )
            + ".",
        ]
    return "\n".join(lines)


def markdown(results: dict, budgets: list[Budget]) -> str:
    settings = results["settings"]
    parts = [
        "# Benchmark results",
        "",
        f"{results['finished_at']}, scale {settings['scale']:g} "
        f"({settings['data']}), gunicorn {settings['gunicorn']}, wrk {settings['wrk']}, "
        f"{settings['runs']} runs of {settings['seconds']} s a page (medians).",
    ]
    for note in results.get("notes", []):
        parts += ["", f"Note: {note}"]
    for database, found in results["databases"].items():
        parts += ["", table(database, found)]
    parts += ["", "### Budgets", "", "| budget | value | limit | verdict |", "|---|--:|---|---|"]
    for budget in budgets:
        value = budget.value if budget.value is not None else "–"
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = f"{value:,}"
        parts.append(f"| {budget.name} | {value} | {budget.limit} | {budget.verdict} |")
    parts += ["", summary(budgets) + "."]
    lighthouse = results.get("lighthouse")
    parts += ["", "### Lighthouse", ""]
    if isinstance(lighthouse, dict) and lighthouse.get("scores") is not None:
        parts += _lighthouse_table(lighthouse["scores"])
    else:
        parts.append(str((lighthouse or {}).get("note", "not run")))
    return "\n".join(parts) + "\n"


def _lighthouse_table(scores) -> list[str]:
    """Scores per page, whatever the scorer's exact shape: {page: {category: score}}, or a
    list (or {"pages": [...]}) of {"page"/"name"/"url": ..., category: score} or of
    {..., "scores": {category: score}}."""
    if isinstance(scores, dict) and isinstance(scores.get("pages"), list):
        scores = scores["pages"]
    if isinstance(scores, dict):
        rows = list(scores.items())
    else:
        rows = [
            (
                entry.get("page") or entry.get("name") or entry.get("url"),
                entry.get("scores") if isinstance(entry.get("scores"), dict) else entry,
            )
            for entry in scores
            if isinstance(entry, dict)
        ]
    rows = [(page, values) for page, values in rows if isinstance(values, dict)]
    categories: list[str] = []
    for _, values in rows:
        for key, value in values.items():
            if key != "page" and isinstance(value, int | float) and key not in categories:
                categories.append(key)
    lines = ["| page | " + " | ".join(categories) + " |", "|---|" + "--:|" * len(categories)]
    for page, values in rows:
        lines.append(
            f"| {page} | " + " | ".join(str(values.get(c, "–")) for c in categories) + " |"
        )
    return lines


COLOURS = {
    "SQLite": ("#1d70b8", "#5694ca", "#b4cde5"),
    "PostgreSQL": ("#00703c", "#4c9c73", "#b2d4c4"),
}


def svg(results: dict) -> str:
    """Latency per page: for each database a bar to p50, on to p95, on to p99 (ms), and
    the p99 budget as a line."""
    databases = list(results["databases"])
    names = [page["name"] for page in next(iter(results["databases"].values()))["pages"]]
    names.append("ceiling")
    largest = max(
        [P99_MS]
        + [
            page["p99_ms"] or 0
            for found in results["databases"].values()
            for page in [*found["pages"], found["ceiling"]]
        ]
    )
    left, width, bar, gap = 230, 560, 10, 8
    row = bar * len(databases) + gap
    height = 60 + row * len(names) + 40

    def x(ms: float) -> float:
        return left + width * ms / largest

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" '
        f'height="{height}" font-family="sans-serif" font-size="11">',
        f'<text x="10" y="20" font-size="14">Latency per page at 16 connections '
        f"(scale {results['settings']['scale']:g}): each bar runs darkest to p50, "
        "then to p95, lightest to p99 (ms)</text>",
    ]
    for index, database in enumerate(databases):
        colour = COLOURS.get(database, ("#505a5f", "#8a9196", "#cfd3d5"))[0]
        out.append(
            f'<rect x="{10 + index * 120}" y="30" width="10" height="10" fill="{colour}"/>'
            f'<text x="{24 + index * 120}" y="39">{escape(database)}</text>'
        )
    top = 55
    for number, name in enumerate(names):
        y = top + number * row
        out.append(f'<text x="{left - 6}" y="{y + bar}" text-anchor="end">{escape(name)}</text>')
        for index, database in enumerate(databases):
            found = results["databases"][database]
            page = (
                found["ceiling"]
                if name == "ceiling"
                else next(p for p in found["pages"] if p["name"] == name)
            )
            dark, middle, light = COLOURS.get(database, ("#505a5f", "#8a9196", "#cfd3d5"))
            by = y + index * bar
            p50, p95, p99 = (page.get(k) or 0 for k in ("p50_ms", "p95_ms", "p99_ms"))
            out += [
                f'<rect x="{left}" y="{by}" width="{x(p99) - left:.1f}" height="{bar - 1}" '
                f'fill="{light}"/>',
                f'<rect x="{left}" y="{by}" width="{x(p95) - left:.1f}" height="{bar - 1}" '
                f'fill="{middle}"/>',
                f'<rect x="{left}" y="{by}" width="{x(p50) - left:.1f}" height="{bar - 1}" '
                f'fill="{dark}"/>',
                f'<text x="{x(p99) + 4:.1f}" y="{by + bar - 2}" font-size="9">{p99:.0f}</text>',
            ]
    bottom = top + row * len(names)
    out += [
        f'<line x1="{x(P99_MS):.1f}" y1="{top - 4}" x2="{x(P99_MS):.1f}" y2="{bottom}" '
        'stroke="#d4351c" stroke-dasharray="4 3"/>',
        f'<text x="{x(P99_MS):.1f}" y="{bottom + 14}" text-anchor="middle" fill="#d4351c">'
        f"p99 budget {P99_MS:g} ms</text>",
        f'<line x1="{left}" y1="{bottom}" x2="{left + width}" y2="{bottom}" stroke="#0b0c0c"/>',
        f'<text x="{left}" y="{bottom + 28}">0</text>',
        f'<text x="{left + width}" y="{bottom + 28}" text-anchor="end">{largest:.0f} ms</text>',
        "</svg>",
    ]
    return "\n".join(out) + "\n"
