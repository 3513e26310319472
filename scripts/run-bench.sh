#!/usr/bin/env bash
# Runs every benchmark in BUILD_DIR (each executable whose name ends in _bench), prints the machine
# and the date, collects the figures into one table and refreshes docs/benchmarks.md.
#
#   scripts/run-bench.sh [BUILD_DIR]          (`make bench` builds build/bench and calls this)
#   CIVICDESK_BENCH_PARTIES=100000 make bench (smaller City; the figures state N)
#   BENCH_FILTER=search make bench            (only benches whose name contains the filter;
#                                              the doc is then NOT rewritten, to keep it whole)
#
# The protocol between a bench and this script: besides its human-readable output, a bench prints
#   RESULT|bench|name|N|p50_ms|p99_ms|max_ms|ops_s   one row of the table
#   VERDICT|bench|PASS or MISS|text                  a target met or missed
#   INFO|bench|key|value                             memory, file sizes, setup time...
# The hand-written part of docs/benchmarks.md (between the HAND-WRITTEN markers) is kept.
set -uo pipefail
BUILD=${1:-build/bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CIVICDESK_SOURCE_DIR="$ROOT"
DOC=docs/benchmarks.md
LOGS="$BUILD/bench-logs"
mkdir -p "$LOGS" var/bench

mapfile -t BENCHES < <(find "$BUILD" -maxdepth 1 -type f -name '*_bench' -perm -u+x | sort)
if [ "${#BENCHES[@]}" -eq 0 ]; then
  echo "run-bench: no *_bench executables in $BUILD (configure with -DCIVICDESK_BENCH=ON)" >&2
  exit 1
fi
FILTER=${BENCH_FILTER:-}

# --- the machine -------------------------------------------------------------------------------
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
[ -n "$cpu_model" ] || cpu_model=$(lscpu 2>/dev/null | grep -m1 'Model name' | cut -d: -f2- | sed 's/^ *//')
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
os_name=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
virt=$(systemd-detect-virt 2>/dev/null || true)
build_type=$(grep -m1 '^CMAKE_BUILD_TYPE:' "$BUILD/CMakeCache.txt" 2>/dev/null | cut -d= -f2)
cxx_flags=$(grep -m1 '^CMAKE_CXX_FLAGS:' "$BUILD/CMakeCache.txt" 2>/dev/null | cut -d= -f2)
compiler=$(c++ --version 2>/dev/null | head -1)
sqlite_version=$(pkg-config --modversion sqlite3 2>/dev/null || echo unknown)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
load_after=""

machine() {
  echo "- Date: $started"
  echo "- CPU: $(nproc) hardware threads, ${cpu_model:-unknown}${virt:+ (virtualised: $virt)}"
  echo "- Memory: $mem_total"
  echo "- OS: ${os_name:-unknown}, kernel $(uname -r)"
  echo "- Load average (1/5/15 min) before the run: $load_before${load_after:+; after: $load_after}"\
       "(above the number of hardware threads, other work shared the machine and the tails suffer)"
  echo "- Build: ${build_type:-?}${cxx_flags:+ (CMAKE_CXX_FLAGS=$cxx_flags)}, $compiler"
  echo "- SQLite $sqlite_version; commit $commit"
}
echo "=== civicdesk benchmarks"
machine
echo

# --- run every bench ---------------------------------------------------------------------------
failed=0
ran=()
for exe in "${BENCHES[@]}"; do
  name=$(basename "$exe")
  if [ -n "$FILTER" ] && [[ "$name" != *"$FILTER"* ]]; then continue; fi
  echo "=== $name"
  if { [ "$name" = ledger_bench ] || [ "$name" = citations_bench ]; } &&
     [ -z "${CIVICDESK_TEST_PG:-}" ]; then
    # (a) also runs on PostgreSQL: give it a throwaway server (scripts/with-postgres.sh).
    bash scripts/with-postgres.sh "$exe" 2>&1 | tee "$LOGS/$name.log"
  else
    "$exe" 2>&1 | tee "$LOGS/$name.log"
  fi
  rc=${PIPESTATUS[0]}
  echo "$rc" >"$LOGS/$name.rc"
  if [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
    echo "=== $name: FAILED (exit $rc)"
  fi
  ran+=("$name")
  echo
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- comparisons with Debian tools doing comparable work ----------------------------------------
# Each comparison appends "| bench | what | civicdesk | Debian tool | ratio |" rows to COMPARISONS
# (ratio = civicdesk time / tool time; below 1 means civicdesk is faster).
COMPARISONS=()
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
compare_with_debian() {  # compare_with_debian BENCH_NAME
  case "$1" in
    search_bench)
      # No Debian tool does this job (fuzzy, ranked, multi-field search over a live customer
      # database behind an authenticated HTTP API), so there is no ratio to print; see the doc.
      COMPARISONS+=("| search | ranked party search at N parties | see table | none: no Debian equivalent | n/a |")
      ;;
    ledger_bench)
      # hledger balance over the same postings the bench's `ledger check` row measured at that
      # size (the bench writes the journal and prints HLEDGER|file|civicdesk_ms).
      local line file ours secs
      line=$(grep -m1 '^HLEDGER|' "$LOGS/ledger_bench.log" || true)
      if [ -z "$line" ] || ! command -v hledger >/dev/null; then
        COMPARISONS+=("| ledger | balance over the same journal | n/a | hledger not run (no journal or no hledger) | n/a |")
      else
        file=$(echo "$line" | cut -d'|' -f2)
        ours=$(echo "$line" | cut -d'|' -f3)
        secs=$( { /usr/bin/time -f %e hledger -f "$file" balance >/dev/null; } 2>&1 | tail -1)
        COMPARISONS+=("| ledger | \`ledger check\` vs \`hledger balance\`, same postings ($(basename "$file")) | ${ours} ms | hledger $(hledger --version | head -1 | cut -d, -f1): $(awk -v s="$secs" 'BEGIN { printf "%.0f", s * 1000 }') ms | $(ratio "$ours" "$(awk -v s="$secs" 'BEGIN { print s * 1000 }')") |")
      fi
      ;;
    # ======================================================================================
    # LATER BENCHES GO HERE. Run the Debian tool on the same input in this script, time both,
    # and append a row with the ratio, e.g. for the ledger:
    #   ledger_bench)
    #     t_ours=$(grep '^RESULT|ledger|balance report|' "$LOGS/ledger_bench.log" | cut -d'|' -f6)
    #     t_hledger=$( { /usr/bin/time -f %e hledger -f var/bench/ledger.journal bal >/dev/null; } 2>&1 )
    #     COMPARISONS+=("| ledger | balance report | ${t_ours} ms | hledger ${t_hledger} s | $(ratio ...) |")
    #     ;;
    # ======================================================================================
    *) ;;
  esac
}
for name in "${ran[@]}"; do compare_with_debian "$name"; done

# --- the combined table ------------------------------------------------------------------------
table() {
  echo "| bench | name | N | p50 ms | p99 ms | max ms | ops/s |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  for name in "${ran[@]}"; do
    grep -h '^RESULT|' "$LOGS/$name.log" |
      awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7, $8 }'
    if [ "$(cat "$LOGS/$name.rc")" != 0 ]; then echo "| ${name%_bench} | FAILED (exit $(cat "$LOGS/$name.rc")) | | | | | |"; fi
  done
}
verdicts() { for name in "${ran[@]}"; do grep -h '^VERDICT|' "$LOGS/$name.log" | cut -d'|' -f4 | sed 's/^/- /'; done; }
infos() { for name in "${ran[@]}"; do grep -h '^INFO|' "$LOGS/$name.log" | awk -F'|' '{ printf "- %s, %s: %s\n", $2, $3, $4 }'; done; }

echo "=== summary"
table
echo
verdicts
infos
for row in "${COMPARISONS[@]}"; do echo "$row"; done

# --- docs/benchmarks.md ------------------------------------------------------------------------
if [ -n "$FILTER" ]; then
  echo "(BENCH_FILTER set: $DOC left unchanged)"
  exit $((failed > 0))
fi
notes=$(awk '/<!-- BEGIN HAND-WRITTEN/ {on=1; next} /<!-- END HAND-WRITTEN/ {on=0} on' "$DOC" 2>/dev/null || true)
{
  echo "# Benchmarks"
  echo
  echo "Generated by \`make bench\` (scripts/run-bench.sh); do not edit by hand except between the"
  echo "HAND-WRITTEN markers at the end, which the script keeps. Latest run:"
  echo
  machine
  echo
  echo "## Results"
  echo
  table
  echo
  verdicts
  echo
  infos
  echo
  echo "## Compared with Debian tools"
  echo
  echo "Where a Debian-packaged tool does comparable work, the script runs it on the same input and"
  echo "prints the ratio (civicdesk time / tool time)."
  echo
  echo "| bench | what | civicdesk | Debian tool | ratio |"
  echo "|---|---|---|---|---|"
  for row in "${COMPARISONS[@]}"; do echo "$row"; done
  echo
  echo "Search has no direct Debian equivalent: no packaged tool does typo-tolerant, ranked,"
  echo "multi-field lookup of people over a live transactional database behind an authenticated"
  echo "HTTP API. (The sqlite3 shell can run the same FTS5 MATCH, but that is one of our own"
  echo "ingredients, not a competing tool.)"
  echo
  echo "## Full output"
  for name in "${ran[@]}"; do
    echo
    echo "### ${name}"
    echo
    echo '```'
    grep -v -E '^(RESULT|VERDICT|INFO)\||^  generated [0-9]+/' "$LOGS/$name.log"
    echo '```'
  done
  echo
  echo "<!-- BEGIN HAND-WRITTEN NOTES (kept by scripts/run-bench.sh) -->"
  if [ -n "$notes" ]; then echo "$notes"; fi
  echo "<!-- END HAND-WRITTEN NOTES -->"
} >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
echo "wrote $DOC"
exit $((failed > 0))
