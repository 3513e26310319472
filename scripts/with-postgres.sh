#!/usr/bin/env bash
# Runs COMMAND with a throwaway PostgreSQL 15 server, then removes it.
#
#   scripts/with-postgres.sh COMMAND...
#
# The server has durable settings (fsync, synchronous_commit, data checksums), listens on
# 127.0.0.1 on a free port, and lives in a temp dir removed on every exit path. COMMAND sees
# CIVICDESK_TEST_PG (a URL where it may CREATE DATABASE) and CIVICDESK_REQUIRE_PG=1, so storage
# tests cannot skip PostgreSQL silently, and CIVICDESK_TEST_PG_DIR (the server's files). Exits with COMMAND's exit code.
#
# PostgreSQL refuses to run as root; as root the server runs as the `postgres` user (created by
# the Debian package, or here if missing).
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 COMMAND..." >&2
  exit 2
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=civicdesk  # the database superuser, not the OS user
READY_TIMEOUT_S=30

[[ -x "$PG_BIN/postgres" ]] || { echo "with-postgres: no PostgreSQL in $PG_BIN" >&2; exit 2; }

run_as=()
if [[ $(id -u) -eq 0 ]]; then
  os_user=postgres
  id -u "$os_user" >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"
  run_as=(runuser -u "$os_user" --)
fi

tmp=$(mktemp -d /tmp/civicdesk-pg.XXXXXX)
data="$tmp/data"
log="$tmp/server.log"
started=0

cleanup() {
  if ((started)); then
    (cd "$tmp" && "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop) >/dev/null 2>&1 ||
      true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ((${#run_as[@]})); then chown "$os_user" "$tmp"; fi
chmod 700 "$tmp"
cd "$tmp"  # the server user may not be able to read the caller's directory

"${run_as[@]}" "$PG_BIN/initdb" --data-checksums -A trust -U "$PG_USER" -E UTF8 --locale=C.UTF-8 \
  -D "$data" >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }

# A copy as initdb left it: PostgreSQL's own catalogs carry a few Luhn-valid constants, which the
# card-number scan after the suite must not report (civicdesk pci scan --baseline).
cp -a "$data" "$tmp/pristine"

# Asks the kernel for a free port; a race with another process is retried below.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 30000))
}

start_server() {
  "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t "$READY_TIMEOUT_S" start -o \
    "-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories=$tmp \
     -c fsync=on -c synchronous_commit=on -c full_page_writes=on \
     -c max_connections=200 -c shared_buffers=128MB" >/dev/null
}

port=""
for _ in 1 2 3; do
  candidate=$(free_port)
  started=1  # from here on, cleanup tries to stop whatever may have started
  if start_server "$candidate"; then
    port=$candidate
    break
  fi
done
if [[ -z "$port" ]]; then
  echo "with-postgres: the server did not start; its log:" >&2
  cat "$log" >&2 || true
  exit 1
fi

"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t "$READY_TIMEOUT_S" || {
  echo "with-postgres: server not ready after ${READY_TIMEOUT_S}s" >&2
  exit 1
}

export CIVICDESK_TEST_PG="postgresql://$PG_USER@127.0.0.1:$port/postgres"
export CIVICDESK_REQUIRE_PG=1
export CIVICDESK_TEST_PG_DIR="$tmp"  # data directory and server log, for the card-number scan
cd - >/dev/null

rc=0
"$@" || rc=$?
exit "$rc"
