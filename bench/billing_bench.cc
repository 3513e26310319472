// Utility billing at a large City's size (issue 4, "Benchmark"): bill one cycle of N accounts
// through BillRun::start_run — what `civicdesk billing run` runs — durable (SQLite WAL +
// synchronous=FULL as the App opens it). Each account has water, sewer and refuse on the demo
// City's rate classes, a meter with its initial read at move-in and one accepted read a month
// later; the run finds the period, sums the reads, prices the tiers with the City's tariff
// (bill_calculation.h), writes the bill, its lines, the run's row and the ledger obligation in
// the same transaction, billing.run_batch_size accounts per transaction.
//
// Target on this 2-core machine: 1,000,000 accounts in < 60 s on SQLite. Sizes (environment):
// CIVICDESK_BENCH_BILL_ACCOUNTS (N on SQLite, default 1,000,000), CIVICDESK_BENCH_BILL_ACCOUNTS_PG
// (N on PostgreSQL when CIVICDESK_TEST_PG is set, default 20,000; 0 skips it). A figure is for
// the N printed beside it: nothing is extrapolated.
// Output: RESULT|billing|..., VERDICT|billing|..., INFO|billing|... (scripts/run-bench.sh).
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <thread>

#include "bench/bench_common.h"
#include "billing/bill_run.h"
#include "security/crypto.h"

using namespace civicdesk;
using namespace civicdesk::bench;

namespace {

constexpr const char* kBench = "billing";
constexpr std::int64_t kTargetAccounts = 1'000'000;
constexpr double kTargetSeconds = 60;

// The cycle's accounts straight into the tables (ids 1..n), as a conversion would load them.
void load_cycle(store::Database& db, std::int64_t n) {
  insert_parties(db, n);
  const char* kSeries =
      "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) ";
  must(db.write<void>([&](store::Connection& c) -> Result<void> {
    CD_TRY(
        c.exec("INSERT INTO cycles (id, code, name, read_day, period_months, created_us) "
               "VALUES (1, 'B1', 'Bench cycle', 5, 1, 0)"));
    CD_TRY(c.exec(std::string(kSeries) +
                      "INSERT INTO premises (id, line1, city, state, postal_code, address_key, "
                      "premise_type, created_us) SELECT i, i || ' BENCH ST', 'RIVERTON', 'CA', "
                      "'95000', 'bench ' || i, 'single_family', 0 FROM s",
                  {n}));
    CD_TRY(c.exec(std::string(kSeries) +
                      "INSERT INTO utility_accounts (id, number, party_id, premise_id, cycle_id, "
                      "status, opened_on, created_us, updated_us) SELECT i, 100000 + i, i, i, 1, "
                      "'active', '2026-01-05', 0, 0 FROM s",
                  {n}));
    for (const char* kind : {"water", "sewer", "refuse"})
      CD_TRY(c.exec(std::string(kSeries) +
                        "INSERT INTO services (account_id, kind, rate_class, started_on, "
                        "created_us) SELECT i, '" +
                        kind + "', 'RES', '2026-01-05', 0 FROM s",
                    {n}));
    CD_TRY(c.exec(std::string(kSeries) +
                      "INSERT INTO refuse_carts (account_id, size_gallons, cart_count, "
                      "pickups_per_week, started_on, created_us) SELECT i, 64, 1, 1, "
                      "'2026-01-05', 0 FROM s",
                  {n}));
    CD_TRY(c.exec(std::string(kSeries) +
                      "INSERT INTO meters (id, serial, size, dials, multiplier, unit, created_us) "
                      "SELECT i, 'BM' || i, '5/8\"', 4, 1, 'ccf', 0 FROM s",
                  {n}));
    CD_TRY(c.exec(std::string(kSeries) +
                      "INSERT INTO meter_installs (id, meter_id, premise_id, account_id, "
                      "installed_on, initial_read, created_us) SELECT i, i, i, i, '2026-01-05', "
                      "1000, 0 FROM s",
                  {n}));
    // The initial read, then 5..24 CCF a month later: every tier of a residential block rate.
    CD_TRY(c.exec(std::string(kSeries) +
                      "INSERT INTO reads (meter_id, install_id, account_id, read_on, value, kind, "
                      "source, status, created_by_name, created_us) SELECT i, i, i, "
                      "'2026-01-05', 1000, 'initial', 'install', 'accepted', 'bench', 0 FROM s",
                  {n}));
    CD_TRY(c.exec(std::string(kSeries) +
                      "INSERT INTO reads (meter_id, install_id, account_id, read_on, value, kind, "
                      "source, status, register_units, usage_mccf, days, created_by_name, "
                      "created_us) SELECT i, i, i, '2026-02-05', 1005 + i % 20, 'actual', "
                      "'handheld', 'accepted', 5 + i % 20, (5 + i % 20) * 1000, 31, 'bench', 0 "
                      "FROM s",
                  {n}));
    return {};
  }),
       "load the cycle");
}

// This process's CPU time (user + system) in seconds. On a shared machine the wall time of a run
// depends on what else is running; the CPU the run itself used does much less (for PostgreSQL it
// leaves out the server's share).
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The 1/5/15-minute load average now, as /proc/loadavg shows it ("" where there is none).
std::string load_average() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "";
  char buf[64] = {};
  double a = 0, b = 0, c = 0;
  const bool ok =
      std::fgets(buf, sizeof buf, f) && std::sscanf(buf, "%lf %lf %lf", &a, &b, &c) == 3;
  std::fclose(f);
  if (!ok) return "";
  char out[64];
  std::snprintf(out, sizeof out, "%.2f %.2f %.2f", a, b, c);
  return out;
}

void bench_run(const std::string& backend, const std::string& url, std::int64_t n) {
  std::printf("billing_bench: %s, N = %lld accounts\n", backend.c_str(), static_cast<long long>(n));
  auto app = open_app(url);
  auto t0 = SteadyClock::now();
  load_cycle(app->db(), n);
  std::printf("INFO|%s|%s load|%lld accounts with services, meters and reads in %.1f s\n", kBench,
              backend.c_str(), static_cast<long long>(n), ms_since(t0) / 1000);
  billing::BillRun runs(app->db(), app->city(), app->clock(), app->time_zone(), app->ledger());
  t0 = SteadyClock::now();
  const double cpu0 = cpu_seconds();
  auto v = must(runs.start_run(Actor::system("bench"), "B1", "2026-02-05"), "run");
  const double ms = ms_since(t0);
  const double cpu = cpu_seconds() - cpu0;
  if (v.billed != n) {
    std::string first = v.exception_list.empty() ? std::string("none listed")
                                                 : v.exception_list.front().reason_code + ": " +
                                                       v.exception_list.front().reason;
    die("the run billed " + std::to_string(v.billed) + " of " + std::to_string(n) +
        " (first exception " + first + ")");
  }
  const double rate = n / (ms / 1000);
  const bool full = n >= kTargetAccounts;
  const bool pass = full && backend == "SQLite" && ms / 1000 < kTargetSeconds;
  add_row(backend + " bill run (accounts)", n, {ms}, rate,
          backend == "SQLite" ? "1M accounts < 60 s" : "",
          backend == "SQLite" ? (pass ? "PASS" : "MISS") : "");
  std::printf(
      "INFO|%s|%s run|%lld billed in %.1f s = %.0f accounts/s (this process's CPU %.1f s, "
      "load average %s), total %s, peak RSS %ld MiB%s\n",
      kBench, backend.c_str(), static_cast<long long>(v.billed), ms / 1000, rate, cpu,
      load_average().c_str(), format_plain(v.total).c_str(), peak_rss_mib(),
      full ? "" : " (below the target's 1,000,000: the verdict is MISS, not extrapolated)");
  // Run again: nothing is billed twice; how long finding that out takes.
  t0 = SteadyClock::now();
  auto again = must(runs.start_run(Actor::system("bench"), "B1", "2026-02-05"), "rerun");
  if (again.billed != 0) die("the rerun billed " + std::to_string(again.billed));
  std::printf("INFO|%s|%s rerun|%lld accounts already billed, checked in %.1f s\n", kBench,
              backend.c_str(), static_cast<long long>(again.skipped), ms_since(t0) / 1000);
}

}  // namespace

int main() {
  must(security::init_crypto(), "init_crypto");
  fs::create_directories("var/bench");
  spdlog::set_default_logger(
      spdlog::basic_logger_mt("bench", "var/bench/billing_bench-server.log", true));
  const std::int64_t n = env_int("CIVICDESK_BENCH_BILL_ACCOUNTS", kTargetAccounts);
  const std::int64_t n_pg = env_int("CIVICDESK_BENCH_BILL_ACCOUNTS_PG", 20'000);
  std::printf("billing_bench: %u hardware threads; N = %lld accounts (SQLite), %lld (PostgreSQL)\n",
              std::thread::hardware_concurrency(), static_cast<long long>(n),
              static_cast<long long>(n_pg));
  const std::string path = "var/bench/billing.db";
  remove_sqlite(path);
  bench_run("SQLite", "sqlite:" + path, n);
  remove_sqlite(path);
  if (n_pg > 0) {
    if (std::string pg = fresh_pg("cd_billing_bench"); !pg.empty())
      bench_run("PostgreSQL", pg, n_pg);
    else
      std::printf("INFO|%s|PostgreSQL|skipped: CIVICDESK_TEST_PG not set\n", kBench);
  }
  print_rows(kBench);
  return 0;  // a MISS is a finding, not a crash
}
