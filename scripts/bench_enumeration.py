"""`make bench`, part two: does response time tell whether an address is in the scheme?

For each way a stranger could probe an address (sign in, send the code again,
sign in to carry on a registration), it times 200 requests for addresses we
hold and 200 for addresses we do not, interleaved so that drift hits both
alike, against a live gunicorn, and prints the medians and their difference.
Each address is used once, so no limit is reached and every request takes the
ordinary path. Pass a PostgreSQL URL (it is emptied) to measure there too:

    .venv/bin/python scripts/bench_enumeration.py [postgresql://user@host/db]
"""

from __future__ import annotations

import re
import statistics
import sys
import time

import requests
from benchserver import served

REQUESTS = 200
LIMITS = {
    "SIGN_IN_CODE_LIMIT": "1000000 per hour",
    "REGISTRATION_CODE_LIMIT": "1000000 per hour",
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def known(n: int) -> str:
    return f"bench-known-{n}@example.com"


def unknown(n: int) -> str:
    return f"bench-unknown-{n}@example.com"


def draft_address(n: int) -> str:
    return f"bench-draft-{n}@example.com"


def prepare(database_url: str) -> None:
    """People who can sign in, and registrations that can be carried on, one address each."""
    from portal import create_app
    from portal.extensions import db
    from portal.models import (
        Case,
        CaseStatus,
        Channel,
        ContactPreference,
        NotificationChannel,
        RegistrationDraft,
        Victim,
        utcnow,
    )

    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        for n in range(REQUESTS):
            victim = Victim(
                full_name=f"Bench Victim {n}",
                contact_preferences=[ContactPreference(channel=Channel.EMAIL, value=known(n))],
            )
            db.session.add(
                Case(
                    reference=f"VCS-BNCH-{n:04d}",
                    victim=victim,
                    status=CaseStatus.ACTIVE,
                    offender_name="Bench Offender",
                    offence_type="violent",
                )
            )
            db.session.add(
                RegistrationDraft(
                    answers={"language": "en"},
                    verified_channel=NotificationChannel.EMAIL,
                    verified_value=draft_address(n),
                    expires_at=utcnow().replace(year=utcnow().year + 1),
                )
            )
        db.session.commit()


def timed_post(base: str, steps: list[tuple[str, str, dict]]) -> float:
    """A fresh browser: every step but the last untimed; milliseconds for the last POST."""
    browser = requests.Session()
    elapsed = 0.0
    for index, (page, url, data) in enumerate(steps):
        token = TOKEN.search(browser.get(base + page).text).group(1)
        started = time.perf_counter()
        response = browser.post(base + url, data={**data, "csrf_token": token})
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 500 or (index == len(steps) - 1 and response.status_code >= 400):
            raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


PROBES = {
    "sign in": lambda a: [("/sign-in", "/sign-in", {"contact": a})],
    "send the code again": lambda a: [
        ("/sign-in", "/sign-in", {"contact": a}),
        ("/sign-in/security-code", "/sign-in/security-code/resend", {}),
    ],
    "carry on a registration": lambda a: [
        ("/register/resume", "/register/resume", {"contact": a}),
    ],
}


def measure(base: str) -> list[tuple[str, float, float]]:
    rows = []
    for name, steps in PROBES.items():
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for n in range(REQUESTS):
            ours = draft_address(n) if name == "carry on a registration" else known(n)
            pairs = [("known", ours), ("unknown", unknown(n) + name.replace(" ", "-"))]
            for kind, address in pairs if n % 2 else reversed(pairs):
                times[kind].append(timed_post(base, steps(address)))
        rows.append((name, statistics.median(times["known"]), statistics.median(times["unknown"])))
    return rows


def main() -> int:
    databases = [("SQLite", None)] + [("PostgreSQL", url) for url in sys.argv[1:2]]
    print(f"\nKnown and unknown addresses ({REQUESTS} requests each, medians in ms)")
    print(f"{'database':<11} {'probe':<26} {'known':>8} {'unknown':>8} {'difference':>11}")
    for label, url in databases:
        with served(LIMITS, prepare, url) as base:
            for _ in range(20):
                timed_post(base, PROBES["sign in"](f"warm-up-{_}@example.com"))
            for name, ours, theirs in measure(base):
                print(f"{label:<11} {name:<26} {ours:>8.2f} {theirs:>8.2f} {ours - theirs:>+11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
