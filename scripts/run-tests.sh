#!/usr/bin/env bash
# Runs every test on one (sanitized) build: C++ unit, storage and API tests on SQLite and
# PostgreSQL (CIVICDESK_TEST_PG comes from scripts/with-postgres.sh), then the browser tests
# against a real server on a fresh demo City.
set -uo pipefail
BUILD=${1:-build/test}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CIVICDESK_SOURCE_DIR="$ROOT"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0; failed=0
suite() {  # suite NAME COMMAND...
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed+1)); echo "=== $name: ok"; else failed=$((failed+1)); echo "=== $name: FAILED"; fi
}

# Everything the tests write (SQLite files and WAL, server logs, exports, the browser test's
# database) stays under one directory until the card-number scan at the end has looked at it.
scan_root=$(mktemp -d /tmp/civicdesk-suite.XXXXXX)
trap 'rm -rf "$scan_root"' EXIT

suite "C++ tests (SQLite + PostgreSQL)" env TMPDIR="$scan_root" CIVICDESK_KEEP_TEST_FILES=1 \
  ctest --test-dir "$BUILD" --output-on-failure -j 2 --timeout 600

browser_tests() {
  local tmp port pid rc
  tmp=$(mktemp -d "$scan_root/e2e.XXXXXX")
  "$BUILD/civicdesk" --db "sqlite:$tmp/e2e.db" demo --parties 400 --seed 7 >/dev/null || return 1
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$BUILD/civicdesk" --db "sqlite:$tmp/e2e.db" serve --port "$port" --web-root web/dist >"$tmp/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
  # CIVICDESK_BIN: the DMV browser test answers its request file with this build's sandbox DMV.
  (cd web && CIVICDESK_URL="http://127.0.0.1:$port" CIVICDESK_BIN="$ROOT/$BUILD/civicdesk" npx playwright test)
  rc=$?
  kill -TERM "$pid"; wait "$pid"; local server_rc=$?
  if [ $server_rc -ne 0 ]; then echo "server exited with $server_rc"; tail -50 "$tmp/server.log"; rc=1; fi
  return $rc
}
suite "Browser tests (Playwright + Chromium)" browser_tests

# PCI DSS: no card number (Luhn-valid 13-19 digits) in any database file, WAL, log or export the
# suite left — SQLite and PostgreSQL (its data directory and log; numbers PostgreSQL's own
# catalogs carry are known from the copy made right after initdb).
card_scan() {
  local pg=()
  if [ -n "${CIVICDESK_TEST_PG_DIR:-}" ]; then
    pg=("$CIVICDESK_TEST_PG_DIR/data" "$CIVICDESK_TEST_PG_DIR/server.log"
        --baseline "$CIVICDESK_TEST_PG_DIR/pristine")
  fi
  "$BUILD/civicdesk" pci scan "$scan_root" "${pg[@]}"
}
suite "No card numbers in files (databases, WAL, logs, exports)" card_scan

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
