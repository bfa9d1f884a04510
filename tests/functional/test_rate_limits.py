"""Rate limits are counted per network address (IPv6 by its /64), and shared by every
process through Redis.

The shared-count tests run the portal in separate Python processes, as gunicorn's
workers are: within one process flask-limiter keeps one store for every app, so
two apps there would share a count whatever the store. They use the Redis on
this machine (database 11, flushed here), skip when it is not running, and fail
instead under CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from bs4 import BeautifulSoup

from portal.config import PROJECT_ROOT
from tests.support.registration_steps import csrf

SHARED_REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def ask_for_codes(client, times: int, address: str) -> list[int]:
    """Post the sign-in form `times` times from `address` (with a value that is not
    an address, so no code is made: only the limit is counted)."""
    page = BeautifulSoup(client.get("/sign-in").get_data(as_text=True), "html.parser")
    token = csrf(page)
    statuses = []
    for _ in range(times):
        response = client.post(
            "/sign-in",
            data={"contact": "not an address", "csrf_token": token},
            environ_base={"REMOTE_ADDR": address},
        )
        statuses.append(response.status_code)
    return statuses


def test_an_ipv6_client_is_counted_by_its_64(app, client):
    limit = int(app.config["SIGN_IN_CODE_LIMIT"].split()[0])
    # Every request from another address in the same /64: still one client.
    statuses = [
        ask_for_codes(client, 1, f"2001:db8:5:6:{n:x}:{n:x}:{n:x}:{n:x}")[0]
        for n in range(1, limit + 2)
    ]
    assert statuses == [200] * limit + [429]
    # The next /64 is someone else.
    assert ask_for_codes(client, 1, "2001:db8:5:7::1") == [200]


def test_ipv4_clients_are_counted_by_address(app, client):
    limit = int(app.config["SIGN_IN_CODE_LIMIT"].split()[0])
    assert ask_for_codes(client, limit + 1, "198.51.100.1") == [200] * limit + [429]
    assert ask_for_codes(client, 1, "198.51.100.2") == [200]


#: One gunicorn worker's worth: a portal of its own, asking for codes from one address.
WORKER = textwrap.dedent(
    """
    import json, sys
    from portal import create_app

    redis_url, database_url, times, address = sys.argv[1:5]
    times = int(times)
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "SIGN_IN_CODE_LIMIT": "3 per hour",
        "WTF_CSRF_ENABLED": False,
    })
    client = app.test_client()
    statuses = [
        client.post(
            "/sign-in",
            data={"contact": "not an address"},
            environ_base={"REMOTE_ADDR": address},
        ).status_code
        for _ in range(times)
    ]
    print(json.dumps(statuses))
    """
)


def worker(redis_url: str, times: int, tmp_path, address: str = "198.51.100.7") -> list[int]:
    """Run one portal process and return the statuses of its requests."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            WORKER,
            redis_url,
            f"sqlite:///{tmp_path / 'unused.db'}",
            str(times),
            address,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PORTAL_ENV": "testing"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def shared_redis():
    """The suite's own Redis database, emptied before and after."""
    import redis

    connection = redis.Redis.from_url(SHARED_REDIS, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not running at {SHARED_REDIS}: it is mandatory in CI.")
        pytest.skip(f"Redis is not running at {SHARED_REDIS}")
    connection.flushdb()
    yield SHARED_REDIS
    connection.flushdb()
    connection.close()


def test_two_processes_sharing_redis_share_the_count(shared_redis, tmp_path):
    first = worker(shared_redis, 2, tmp_path)
    second = worker(shared_redis, 2, tmp_path)
    assert first == [200, 200]
    # The limit is 3 an hour: the second process knows of the first one's two.
    assert second == [200, 429]


def test_without_redis_each_process_counts_on_its_own(tmp_path):
    """What REDIS_URL is for: with the in-process store, two workers allow twice the limit."""
    assert worker("", 2, tmp_path) == [200, 200]
    assert worker("", 2, tmp_path) == [200, 200]


def test_redis_out_of_reach_does_not_break_pages_and_limits_still_hold(tmp_path):
    # Nothing listens on port 1: each process falls back to counting on its own.
    assert worker("redis://127.0.0.1:1/0", 4, tmp_path) == [200, 200, 200, 429]
