"""The benchmark's databases: national-scale data (scripts/national_data.py) on SQLite
and PostgreSQL, built once per scale and reused while the marker in it says the same
scale and schema; what an earlier benchmark wrote is removed before each use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text, update

from benchmarks.server import BIN, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import national_data

from portal.models import Channel, ContactPreference

MARKER_TABLE = "bench_marker"
#: Tables the benchmark writes to (integer ids): rows after the marker's ids are its own
#: (and registration drafts, whose ids are UUIDs, made after the data was built). The
#: audit trail is append-only (a trigger refuses deletes): its rows stay.
WRITTEN = (
    "security_codes",
    "message_drafts",
    "messages",
    "victim_sessions",
    "staff_sessions",
)
#: Changes when what `prepare` builds changes, so that older data is built again.
DATA_VERSION = 2
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test_bench"


def scale(factor: float) -> national_data.Scale:
    """National scale times `factor` (1.0: 100,000 cases, 300 officers, 1,000,000
    messages, 2,000,000 timeline events)."""
    full = national_data.Scale()
    cases = max(100, round(full.cases * factor))
    return national_data.Scale(
        cases=cases,
        officers=max(12, round(full.officers * factor)),
        messages=round(full.messages * factor),
        events=round(full.events * factor),
        batch=min(full.batch, cases),
    )


def engine_for(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def sqlite_url(factor: float) -> str:
    folder = ROOT / "instance" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'national-{factor:g}.db'}"


def postgres_reachable(url: str) -> str | None:
    """None when `url` answers, else why not."""
    try:
        engine = engine_for(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return str(error).splitlines()[0]
    return None


def schema_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ",".join(sorted(ScriptDirectory.from_config(config).get_heads()))


def marker(url: str) -> dict | None:
    engine = engine_for(url)
    try:
        if not inspect(engine).has_table(MARKER_TABLE):
            return None
        with engine.connect() as connection:
            return json.loads(connection.scalar(text(f"SELECT value FROM {MARKER_TABLE}")))  # noqa: S608
    finally:
        engine.dispose()


def portal_env(url: str, outbox: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": url,
        "FLASK_APP": "wsgi.py",
        "NOTIFICATIONS_OUTBOX_DIR": str(outbox),
    }


def prepare(url: str, factor: float, log=print) -> dict:
    """The database at `url` holding national data at `factor`: reused when its marker
    matches, else built afresh (PostgreSQL: its public schema is dropped; SQLite: the
    file is replaced). Returns the marker."""
    wanted = {
        "scale": factor,
        "schema": schema_head(),
        "seed": national_data.Scale().seed,
        "version": DATA_VERSION,
    }
    found = marker(url)
    same_data = ("scale", "seed", "version")
    if found is not None and all(found.get(key) == wanted[key] for key in same_data):
        if found.get("schema") != wanted["schema"]:
            # Newer migrations since it was built: upgrade the data in place, as production
            # would, rather than build it again.
            log(f"  upgrading the data built {found['built_at']} to {wanted['schema']}")
            subprocess.run(
                [str(BIN / "flask"), "db", "upgrade"],
                env=portal_env(url, ROOT / "instance" / "bench" / "outbox"),
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            found = {**found, "schema": wanted["schema"]}
            _write_marker(url, found)
        log(f"  reusing the data built {found['built_at']} ({found['written']})")
        clean(url, found)
        return found
    log(f"  building national data at scale {factor:g} (this takes a while at full scale)")
    started = time.monotonic()
    _empty(url)
    env = portal_env(url, ROOT / "instance" / "bench" / "outbox")
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(
            [str(BIN / "flask"), *command], env=env, cwd=ROOT, check=True, capture_output=True
        )
    written = national_data.build(url, scale(factor), log=lambda line: log("    " + line))
    engine = engine_for(url)
    with engine.begin() as connection:
        # People sign in with an email address they have proved (a code sent to it, at
        # registration or since): the generated victims have, so any of them can.
        connection.execute(
            update(ContactPreference)
            .where(
                ContactPreference.channel == Channel.EMAIL,
                ContactPreference.verified_at.is_(None),
            )
            .values(verified_at=datetime.now(UTC))
        )
        ids = {
            table: connection.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}"))  # noqa: S608
            for table in WRITTEN
        }
        built = {
            **wanted,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "written": written,
            "scale_detail": asdict(scale(factor)),
            "max_ids": ids,
            "seconds": round(time.monotonic() - started),
        }
        connection.execute(text(f"CREATE TABLE {MARKER_TABLE} (value TEXT NOT NULL)"))
        connection.execute(
            text(f"INSERT INTO {MARKER_TABLE} (value) VALUES (:value)"),  # noqa: S608
            {"value": json.dumps(built)},
        )
    engine.dispose()
    if not url.startswith("sqlite"):
        # As autovacuum leaves a settled database: statistics, and the visibility map
        # that lets PostgreSQL answer from an index alone.
        engine = engine_for(url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
        engine.dispose()
    log(f"  built in {built['seconds']} s")
    return built


def _write_marker(url: str, built: dict) -> None:
    engine = engine_for(url)
    with engine.begin() as connection:
        connection.execute(text(f"DELETE FROM {MARKER_TABLE}"))  # noqa: S608
        connection.execute(
            text(f"INSERT INTO {MARKER_TABLE} (value) VALUES (:value)"),  # noqa: S608
            {"value": json.dumps(built)},
        )
    engine.dispose()


def _empty(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    engine = engine_for(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def clean(url: str, built: dict) -> None:
    """Remove what earlier benchmarks wrote (messages, drafts, sessions, their audit and
    notifications), so that every run starts from the same data and no limit is near."""
    engine = engine_for(url)
    with engine.begin() as connection:
        for table in WRITTEN:
            connection.execute(
                text(f"DELETE FROM {table} WHERE id > :id"),  # noqa: S608
                {"id": built["max_ids"].get(table, 0)},
            )
        when = datetime.strptime(built["built_at"], "%Y-%m-%dT%H:%M:%SZ")
        connection.execute(
            text("DELETE FROM registration_drafts WHERE created_at > :built"),
            {"built": str(when) if url.startswith("sqlite") else when},
        )
        connection.execute(
            text(
                "DELETE FROM outbox_notifications WHERE created_at > :built"
                " AND id NOT IN (SELECT notification_id FROM timeline_events"
                " WHERE notification_id IS NOT NULL)"
                " AND id NOT IN (SELECT notification_id FROM victim_request_steps"
                " WHERE notification_id IS NOT NULL)"
            ),
            {"built": str(when) if url.startswith("sqlite") else when},
        )
    engine.dispose()
