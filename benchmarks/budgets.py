"""The budgets of issue 17, checked against a benchmark's results: each is met or MISSED
(a missed budget is reported, never a failure of the harness)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

GET_SHARE = 0.5
POST_SHARE = 0.25
P99_MS = 100.0
P99_DATABASE = "PostgreSQL"
FIRST_VISIT_BYTES = 120_000
PARTIAL_BYTES = 3_000
WORKER_MB = 150.0
#: Lighthouse (mobile, throttled): each page's score at least this, per category.
LIGHTHOUSE_GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100}


@dataclass(frozen=True)
class Budget:
    name: str
    value: float | str | None
    limit: str
    met: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return "not measured" if self.met is None else ("met" if self.met else "MISSED")

    def as_dict(self) -> dict:
        return {**asdict(self), "verdict": self.verdict}


def check(results: dict, htmx_partial: str) -> list[Budget]:
    """Every budget, from `results` (benchmarks.run's shape: databases -> pages, with
    medians already taken)."""
    budgets = []
    databases = results["databases"]
    for database, found in databases.items():
        for page in found["pages"]:
            share = GET_SHARE if page["method"] == "GET" else POST_SHARE
            ratio = page.get("ratio")
            budgets.append(
                Budget(
                    f"{database}: {page['name']} share of the ceiling",
                    None if ratio is None else round(ratio, 2),
                    f"≥ {share}",
                    None if ratio is None else ratio >= share,
                )
            )
    if P99_DATABASE in databases:
        for page in databases[P99_DATABASE]["pages"]:
            p99 = page.get("p99_ms")
            budgets.append(
                Budget(
                    f"{P99_DATABASE}: {page['name']} p99 at 16 connections",
                    None if p99 is None else round(p99, 1),
                    f"< {P99_MS:g} ms",
                    None if p99 is None else p99 < P99_MS,
                )
            )
    else:
        budgets.append(Budget(f"{P99_DATABASE}: p99 of every page", None, f"< {P99_MS:g} ms", None))
    for database, found in databases.items():
        transfer = found.get("transfer")
        if transfer:
            first = transfer["first_visit"]
            budgets.append(
                Budget(
                    f"{database}: first visit to {first['page']} (fonts included)",
                    first["transferred"],
                    f"≤ {FIRST_VISIT_BYTES:,} bytes",
                    first["transferred"] <= FIRST_VISIT_BYTES,
                )
            )
            again = transfer["repeat_visit"]
            budgets.append(
                Budget(
                    f"{database}: repeat visit ({again['page']}) fetches only the HTML",
                    f"{len(again['fetched_again'])} static files fetched again",
                    "0",
                    not again["fetched_again"],
                )
            )
        partial = next((p for p in found["pages"] if p["name"] == htmx_partial), None)
        if partial and partial.get("bytes"):
            size = min(partial["bytes"]["gzip"], partial["bytes"]["br"])
            budgets.append(
                Budget(
                    f"{database}: htmx partial ({htmx_partial}) compressed",
                    size,
                    f"≤ {PARTIAL_BYTES:,} bytes",
                    size <= PARTIAL_BYTES,
                )
            )
        peaks = found.get("workers_peak_mb") or []
        if peaks:
            budgets.append(
                Budget(
                    f"{database}: largest worker's peak memory",
                    round(max(peaks), 1),
                    f"< {WORKER_MB:g} MB",
                    max(peaks) < WORKER_MB,
                )
            )
    scores = (results.get("lighthouse") or {}).get("scores")
    if isinstance(scores, dict):
        for page, values in scores.items():
            for category, goal in LIGHTHOUSE_GOALS.items():
                score = values.get(category) if isinstance(values, dict) else None
                budgets.append(
                    Budget(
                        f"Lighthouse: {page} {category}",
                        score,
                        f"≥ {goal}",
                        None if score is None else score >= goal,
                    )
                )
    return budgets


def summary(budgets: list[Budget]) -> str:
    missed = sum(1 for budget in budgets if budget.met is False)
    unmeasured = sum(1 for budget in budgets if budget.met is None)
    met = len(budgets) - missed - unmeasured
    text = f"{met} budgets met, {missed} MISSED"
    return text + (f", {unmeasured} not measured" if unmeasured else "")
