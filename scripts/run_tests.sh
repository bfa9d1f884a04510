#!/usr/bin/env bash
# The whole suite: everything on SQLite, then everything but the browser tests
# on PostgreSQL when TEST_DATABASE_URL is set. With CI=true, PostgreSQL is
# mandatory. (The browser tests drive the same app code through gunicorn.)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== Suite on SQLite (unit, functional, i18n, browser)"
"$BIN/pytest" "$@"

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  echo "== Suite on PostgreSQL, all but the browser tests (${TEST_DATABASE_URL%%@*}@…)"
  PORTAL_TEST_DATABASE_URL="$TEST_DATABASE_URL" "$BIN/pytest" -m "not browser" "$@"
elif [[ "${CI:-}" == "true" ]]; then
  echo "CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is mandatory in CI." >&2
  exit 1
else
  echo "== PostgreSQL run skipped: set TEST_DATABASE_URL=postgresql://user@host/db to include it"
fi
