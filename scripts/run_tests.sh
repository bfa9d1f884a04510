#!/usr/bin/env bash
# The whole suite: everything on SQLite, then the database tests on PostgreSQL
# when TEST_DATABASE_URL is set. With CI=true, PostgreSQL is mandatory.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== Suite on SQLite (unit, functional, i18n, browser)"
"$BIN/pytest" "$@"

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  echo "== Database tests on PostgreSQL (${TEST_DATABASE_URL%%@*}@…)"
  PORTAL_TEST_DATABASE_URL="$TEST_DATABASE_URL" "$BIN/pytest" -m database "$@"
elif [[ "${CI:-}" == "true" ]]; then
  echo "CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is mandatory in CI." >&2
  exit 1
else
  echo "== PostgreSQL run skipped: set TEST_DATABASE_URL=postgresql://user@host/db to include it"
fi
