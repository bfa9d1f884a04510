"""Lighthouse scores of the portal's key pages: mobile, throttled, on Debian's chromium.

    .venv/bin/python scripts/lighthouse_scores.py --base http://127.0.0.1:5000 --out FILE \
        [--victim-cookie 'vcs_session=...'] [--staff-cookie 'vcs_session=...'] [--runs 3]
    .venv/bin/python scripts/lighthouse_scores.py --serve --out FILE   # its own portal

Runs the npm `lighthouse` package (package.json devDependencies: `npm ci`) with
its default mobile settings (a mid-range phone's screen, simulated slow 4G and a
4x slower CPU) against four pages: the start page, an eligibility question, the
victim's case page and the officer's home. The signed-in pages need a session:
a Cookie header (`--victim-cookie`, `--staff-cookie`, or $LIGHTHOUSE_VICTIM_COOKIE
and $LIGHTHOUSE_STAFF_COOKIE); without one that page is left out. `--serve`
starts a portal of its own (scripts/benchserver.py: gunicorn, a fresh SQLite
database with the demo data) and signs a demo victim and officer in.

Writes {page: {"performance": n, "accessibility": n, "best-practices": n}}
(0-100; with --runs, the median of each) to --out, prints the audits that lost
points, and exits 1 when a page misses a goal (Performance 95, the others 100).
SEO is not measured. Never part of `make test`: scores are timings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ("performance", "accessibility", "best-practices")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100}

#: (name, path, who): who is None for anyone, else "victim" or "staff".
PAGES = [
    ("start page", "/", None),
    ("eligibility question", "/check-if-you-can-join/who", None),
    ("your case", "/account", "victim"),
    ("officer's home", "/staff", "staff"),
]


def lighthouse(url: str, cookie: str | None, report: Path) -> dict:
    """One Lighthouse run of `url`; its JSON report."""
    node = shutil.which("node")
    if node is None or not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: install Node 20 or newer, then `npm ci` in the repository")
    command = [
        node,
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        "--screenEmulation.mobile",
        "--throttling-method=simulate",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not report.exists():
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    found = json.loads(report.read_text())
    if found.get("runtimeError"):
        sys.exit(f"lighthouse could not load {url}: {found['runtimeError']}")
    return found


def scores(found: dict) -> dict[str, int]:
    return {name: round(found["categories"][name]["score"] * 100) for name in CATEGORIES}


def lost_points(found: dict) -> list[str]:
    """The audits that cost a category points, with what they found."""
    lines = []
    for name in CATEGORIES:
        for ref in found["categories"][name]["auditRefs"]:
            audit = found["audits"][ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 1:
                shown = audit.get("displayValue", "")
                lines.append(f"  {name}: {audit['id']} {score:.2f} {shown}".rstrip())
    return lines


def measure(
    base: str, cookies: dict[str, str | None], runs: int, reports: Path | None = None
) -> dict[str, dict[str, int]]:
    results: dict[str, dict[str, int]] = {}
    if reports:
        reports.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        directory = reports or Path(scratch)
        for name, path, who in PAGES:
            cookie = cookies.get(who) if who else None
            if who and not cookie:
                print(f"{name}: left out (no {who} cookie)", file=sys.stderr)
                continue
            each = []
            for run in range(runs):
                found = lighthouse(
                    base + path, cookie, Path(directory) / f"{len(results)}-{run}.json"
                )
                if who and found.get("finalDisplayedUrl", "").rstrip("/").endswith("sign-in"):
                    sys.exit(f"{name}: the {who} cookie did not sign in ({path} went to sign-in)")
                each.append(scores(found))
                for line in lost_points(found):
                    print(f"{name}, run {run + 1}:{line}", file=sys.stderr)
            results[name] = {
                category: round(statistics.median(s[category] for s in each))
                for category in CATEGORIES
            }
            print(f"{name}: {results[name]}", file=sys.stderr)
    return results


def demo_cookies(database_url: str) -> dict[str, str]:
    """Sessions for a demo victim (with an active case) and a demo officer, as the
    server's cookie (the same SECRET_KEY: the same environment)."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from portal import create_app
    from portal.account.sign_in_views import TOKEN as VICTIM_TOKEN
    from portal.extensions import db
    from portal.models import NotificationChannel, VictimLiaisonOfficer
    from portal.services import sign_in, staff_auth
    from portal.staff.sign_in_views import TOKEN as STAFF_TOKEN

    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        victim_token = sign_in.start_session(
            db.session, NotificationChannel.EMAIL, "jordan.ellis@example.com"
        )
        officer = db.session.scalars(
            select(VictimLiaisonOfficer).order_by(VictimLiaisonOfficer.id)
        ).first()
        assert officer is not None, "no demo officer"
        staff_token = staff_auth.start_session(
            db.session, officer.id, "password+totp", secret_key=app.config["SECRET_KEY"]
        )
        db.session.commit()
        officer_id = officer.id
    serializer = app.session_interface.get_signing_serializer(app)
    assert serializer is not None
    name = app.config["SESSION_COOKIE_NAME"]
    victim = serializer.dumps({"audience": "victim", VICTIM_TOKEN: victim_token})
    staff = serializer.dumps(
        {"audience": "staff", "officer_id": officer_id, STAFF_TOKEN: staff_token}
    )
    return {"victim": f"{name}={victim}", "staff": f"{name}={staff}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base", help="the portal's address, e.g. http://127.0.0.1:5000")
    where.add_argument("--serve", action="store_true", help="serve a portal of its own")
    parser.add_argument("--out", required=True, type=Path, help="where to write the JSON")
    parser.add_argument("--victim-cookie", default=os.environ.get("LIGHTHOUSE_VICTIM_COOKIE"))
    parser.add_argument("--staff-cookie", default=os.environ.get("LIGHTHOUSE_STAFF_COOKIE"))
    parser.add_argument("--runs", type=int, default=1, help="runs a page (median of each score)")
    parser.add_argument("--reports", type=Path, help="a folder to keep Lighthouse's own reports in")
    arguments = parser.parse_args()

    cookies = {"victim": arguments.victim_cookie, "staff": arguments.staff_cookie}
    if arguments.serve:
        sys.path.insert(0, str(ROOT / "scripts"))
        from benchserver import served

        made: dict[str, str] = {}
        with served(prepare=lambda url: made.update(demo_cookies(url))) as base:
            results = measure(base, made, arguments.runs, arguments.reports)
    else:
        results = measure(arguments.base.rstrip("/"), cookies, arguments.runs, arguments.reports)

    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(results, indent=2) + "\n")
    missed = [
        f"{page} {category} {score} < {GOALS[category]}"
        for page, found in results.items()
        for category, score in found.items()
        if score < GOALS[category]
    ]
    for line in missed:
        print(f"MISSES: {line}", file=sys.stderr)
    print(json.dumps(results, indent=2))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
