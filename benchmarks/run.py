"""`make bench` (`python -m benchmarks`): every page in benchmarks.pages under wrk, on
SQLite and PostgreSQL, against the ceiling, with the budgets checked.

Settings (environment variables):

- BENCH_SCALE: the share of national scale (1: 100,000 cases; 0.01 for a quick run);
- BENCH_DATABASE_URL: the PostgreSQL database (emptied when its data is not the same
  scale), default postgresql://postgres@127.0.0.1:5432/test_bench; when it cannot be
  reached, SQLite only;
- BENCH_RUNS (3), BENCH_DURATION (seconds a page a run: 10, or 2 below scale 0.5),
  BENCH_WARMUP (seconds before a page's first run: 2, or 1 below scale 0.5),
  BENCH_SENDERS (victims who take turns sending messages: 1000).

Exit status 0 whatever the budgets say (a missed one prints MISSED); non-zero only when
the harness itself fails.
"""

from __future__ import annotations

import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import budgets, data, report, transfer, wrk
from benchmarks.pages import HTMX_PARTIAL, PAGES, REPEAT_VISIT, START_PAGE, Page
from benchmarks.server import BIN, GUNICORN_SETTINGS, ROOT, gunicorn

RESULTS = ROOT / "benchmarks" / "results"
LIGHTHOUSE = ROOT / "scripts" / "lighthouse_scores.py"
#: What the served portal is told: rate limits out of the way (the victims' own message
#: limit is not a setting: many senders keep under it), staff sessions long enough.
PORTAL_SETTINGS = {
    "RATELIMIT_DEFAULT": "100000000 per minute",
    "SIGN_IN_CODE_LIMIT": "100000000 per hour",
    "REGISTRATION_CODE_LIMIT": "100000000 per hour",
    "STAFF_IDLE_MINUTES": "60",
}
EXPECTED = {"GET": 200, "POST": 303}


def settings() -> dict:
    factor = float(os.environ.get("BENCH_SCALE") or 1)
    quick = factor < 0.5
    return {
        "scale": factor,
        "runs": int(os.environ.get("BENCH_RUNS") or 3),
        "seconds": int(os.environ.get("BENCH_DURATION") or (2 if quick else 10)),
        "warmup": int(os.environ.get("BENCH_WARMUP") or (1 if quick else 2)),
        "senders": int(os.environ.get("BENCH_SENDERS") or 1000),
        "postgres": os.environ.get("BENCH_DATABASE_URL") or data.DEFAULT_POSTGRES,
    }


def targets(page: Page, identities: dict) -> list[wrk.Target]:
    return [
        wrk.Target(who.fill(page.path), who.cookie, who.fill(page.body))
        for who in identities[page.who]
    ]


def _median(values: list[float]) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def _summary(runs: list[dict]) -> dict:
    return {
        "rps": _median([run["rps"] for run in runs]),
        "p50_ms": _median([run["p50_ms"] for run in runs]),
        "p95_ms": _median([run["p95_ms"] for run in runs]),
        "p99_ms": _median([run["p99_ms"] for run in runs]),
        "ratio": _median([run.get("ratio") for run in runs]),
        "non_2xx_3xx": sum(run["non_2xx_3xx"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "requests": sum(run["requests"] for run in runs),
        "runs": runs,
    }


def _one(result: wrk.Result) -> dict:
    return {
        "rps": round(result.rps, 1),
        "p50_ms": result.latency_ms["50"],
        "p95_ms": result.latency_ms["95"],
        "p99_ms": result.latency_ms["99"],
        "non_2xx_3xx": result.non_2xx_3xx,
        "socket_errors": result.socket_errors,
        "requests": result.requests,
    }


def drive(base: str, lua: str, seconds: int, warmup: int, work: Path):
    if warmup:
        wrk.run(base, lua, warmup, work)
    return wrk.run(base, lua, seconds, work)


def bench_database(label: str, url: str, config: dict, log=print) -> dict:
    log(f"\n== {label} ==")
    built = data.prepare(url, config["scale"], log=log)
    log("  signing in the benchmark's victims and staff")
    from benchmarks import journeys, queries

    identities = journeys.mint(url, config["senders"])
    replies_on = len(identities["officer's cases"])
    log(
        f"  {len(identities['senders'])} victims send messages in turn; the officer replies "
        f"on {replies_on} cases"
    )
    logs = ROOT / "instance" / "bench"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        env = {**data.portal_env(url, work / "outbox"), **PORTAL_SETTINGS}
        with gunicorn("wsgi:app", env, logs / f"portal-{label}.log", "/healthz") as portal:
            pages = []
            for page in PAGES:
                first = identities[page.who][0]
                body = queries.fill_request(first.fill(page.body)) if page.body else None
                probe = transfer.fetch(
                    portal.base + first.fill(page.path),
                    page.method,
                    {**transfer.BROWSER, **dict(page.headers), "Cookie": first.cookie},
                    body,
                )
                if probe.status != EXPECTED[page.method]:
                    log(
                        f"  WARNING: {page.name} answered {probe.status} to its first request "
                        f"(expected {EXPECTED[page.method]}): its numbers measure that answer"
                    )
                pages.append(
                    {
                        "name": page.name,
                        "method": page.method,
                        "path": page.path,
                        "who": page.who,
                        "probe_status": probe.status,
                        "runs": [],
                    }
                )
            start = transfer.fetch(portal.base + "/", headers={"Accept-Encoding": "identity"})
            ceiling_env = {
                **env,
                "CEILING_BYTES": str(len(start.body)),
            }
            ceiling_runs = []
            with gunicorn(
                "benchmarks.ceiling:create_app()", ceiling_env, logs / f"ceiling-{label}.log"
            ) as ceiling:
                ceiling_lua = wrk.script("GET", [wrk.Target("/")])
                scripts = {
                    page.name: wrk.script(
                        page.method,
                        targets(page, identities),
                        page.headers,
                        nonce=random.randrange(0x10000),
                    )
                    for page in PAGES
                }
                for run in range(config["runs"]):
                    warmup = config["warmup"] if run == 0 else 0
                    result = drive(ceiling.base, ceiling_lua, config["seconds"], warmup, work)
                    ceiling_runs.append(_one(result))
                    log(f"  run {run + 1}/{config['runs']}: ceiling {result.rps:,.0f} req/s")
                    for page, row in zip(PAGES, pages, strict=True):
                        with portal.watching_memory() as peak:
                            result = drive(
                                portal.base,
                                scripts[page.name],
                                config["seconds"],
                                warmup,
                                work,
                            )
                        one = _one(result)
                        one["ratio"] = result.rps / ceiling_runs[-1]["rps"]
                        one["rss_peak_mb"] = round(peak[0], 1)
                        row["runs"].append(one)
                        log(
                            f"    {page.name:<30} {result.rps:>8,.0f} req/s  "
                            f"p99 {result.latency_ms['99']:>7.1f} ms  ratio {one['ratio']:.2f}"
                            + (f"  {result.non_2xx_3xx} not 2xx/3xx" if result.non_2xx_3xx else "")
                        )
                ceiling_bytes = len(transfer.fetch(ceiling.base + "/").body)
            for page, row in zip(PAGES, pages, strict=True):
                row.update(
                    {key: value for key, value in _summary(row["runs"]).items() if key != "runs"}
                )
                row["rss_peak_mb"] = max(run["rss_peak_mb"] for run in row["runs"])
                first = identities[page.who][0]
                row["bytes"] = transfer.sizes(
                    portal.base + first.fill(page.path),
                    page.method,
                    {**transfer.BROWSER, **dict(page.headers), "Cookie": first.cookie},
                    queries.fill_request(first.fill(page.body)) if page.body else None,
                )
            log("  counting queries per request (Flask test client, same database)")
            app = journeys.app_for(url)
            for page, row in zip(PAGES, pages, strict=True):
                row["queries"] = queries.per_request(app, page, identities[page.who][0])
            names = {page.name: page.path for page in PAGES}
            visits = transfer.first_and_repeat(portal.base, names[START_PAGE], names[REPEAT_VISIT])
            found = {
                "data": built["written"],
                "ceiling": {**_summary(ceiling_runs), "bytes": ceiling_bytes},
                "pages": pages,
                "workers_peak_mb": portal.worker_peaks_mb(),
                "transfer": visits,
            }
            if label == "SQLite":
                found["lighthouse"] = lighthouse(
                    portal.base,
                    log,
                    victim_cookie=identities["victim"][0].cookie,
                    staff_cookie=identities["officer"][0].cookie,
                )
        return found


def lighthouse(base: str, log=print, *, victim_cookie: str, staff_cookie: str) -> dict:
    """Lighthouse's scores (the median of BENCH_LIGHTHOUSE_RUNS runs, default 3, of each
    page: single runs are noisy on a busy machine) on the portal at `base`, signed in as
    the journeys' victim and officer for their pages."""
    if not LIGHTHOUSE.exists():
        note = "scripts/lighthouse_scores.py is not there yet: Lighthouse skipped"
        log(f"  {note}")
        return {"note": note, "scores": None}
    out = RESULTS / "lighthouse.json"
    log("  Lighthouse (scripts/lighthouse_scores.py)")
    out.unlink(missing_ok=True)
    completed = subprocess.run(
        [
            str(BIN / "python"),
            str(LIGHTHOUSE),
            "--base",
            base,
            "--out",
            str(out),
            "--runs",
            os.environ.get("BENCH_LIGHTHOUSE_RUNS") or "3",
        ],
        env={
            **os.environ,
            "LIGHTHOUSE_VICTIM_COOKIE": victim_cookie,
            "LIGHTHOUSE_STAFF_COOKIE": staff_cookie,
        },
        cwd=ROOT,
        check=False,
        timeout=1800,
    )
    # Exit status 1 with scores written: a page missed a goal (the budgets say which).
    if not out.exists():
        note = f"scripts/lighthouse_scores.py FAILED (exit status {completed.returncode})"
        log(f"  {note}")
        return {"note": note, "scores": None, "failed": True}
    return {"note": f"scores from {out.relative_to(ROOT)}", "scores": json.loads(out.read_text())}


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return "?"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0]
        if (done.stdout or done.stderr)
        else "?"
    )


def main() -> int:
    # The portal's request log, from the app this process builds to count queries.
    logging.disable(logging.INFO)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens under make
    config = settings()
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    databases = [("SQLite", data.sqlite_url(config["scale"]))]
    notes = []
    problem = data.postgres_reachable(config["postgres"])
    if problem is None:
        databases.append(("PostgreSQL", config["postgres"]))
    else:
        notes.append(
            f"PostgreSQL at {config['postgres']} cannot be reached ({problem}): SQLite only"
        )
        print(f"NOTE: {notes[-1]}")
    if config["scale"] != 1:
        notes.append(
            f"the budgets are set for national scale (BENCH_SCALE=1); at scale "
            f"{config['scale']:g} they only show the harness works"
        )
    wrk.wrk_binary()
    results = {
        "settings": {
            **{key: value for key, value in config.items() if key != "postgres"},
            "data": ", ".join(
                f"{k} {v:,}"
                for k, v in data.asdict(data.scale(config["scale"])).items()
                if k in ("cases", "officers", "messages", "events")
            ),
            "gunicorn": " ".join(GUNICORN_SETTINGS),
            "wrk": f"-t{wrk.THREADS} -c{wrk.CONNECTIONS} ({_version(['wrk', '--version'])})",
            "commit": _version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        },
        "notes": notes,
        "databases": {},
    }
    for label, url in databases:
        found = bench_database(label, url, config)
        if "lighthouse" in found:
            results["lighthouse"] = found.pop("lighthouse")
        results["databases"][label] = found
    results["finished_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results["seconds"] = round(time.monotonic() - started)
    checked = budgets.check(results, HTMX_PARTIAL)
    results["budgets"] = [budget.as_dict() for budget in checked]
    text = report.markdown(results, checked)
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    (RESULTS / "results.md").write_text(text)
    (RESULTS / "latency.svg").write_text(report.svg(results))
    print("\n" + text)
    for budget in checked:
        if budget.met is False:
            print(f"MISSED: {budget.name}: {budget.value} (budget {budget.limit})")
    print(
        f"{budgets.summary(checked)}. Results in {RESULTS.relative_to(ROOT)}/ "
        f"(results.md, results.json, latency.svg), {results['seconds']} s in all."
    )
    if (results.get("lighthouse") or {}).get("failed"):
        print("The harness did not finish: Lighthouse failed (see above).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
