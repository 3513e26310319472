// The counter and the mail room at a large City's size, durable (SQLite WAL + synchronous=FULL):
//   (a) a bank lockbox file of 250,000 payments against 1,000,000 utility accounts, imported and
//       posted through MailRoom::import_lockbox (what `civicdesk lockbox import FILE` runs):
//       parse, validate counts and totals, match each scanline, post. Target: <= 2 s. Then the
//       same file again (must post nothing), timed too.
//   (b) counter payments through HTTP: the real http::Server in-process, 64 keep-alive
//       connections (16 cashiers with a drawer each, 4 connections per cashier), one cash
//       payment per POST /api/v1/counter/transactions (Idempotency-Key, CSRF, session), each
//       answered after its commit. Target: >= 5,000/s with p99 <= 10 ms.
// Sizes (environment): CIVICDESK_BENCH_LOCKBOX_ACCOUNTS (1,000,000), CIVICDESK_BENCH_LOCKBOX_ITEMS
// (250,000), CIVICDESK_BENCH_COUNTER_PAYMENTS (6,400). The accounts database is built once and
// cached at var/bench/lockbox-accounts-N.db; each run imports into a copy.
// Output: RESULT|cashiering|..., VERDICT|cashiering|..., INFO|cashiering|...
// (scripts/run-bench.sh).
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "bench/bench_common.h"
#include "http/api.h"
#include "http/server.h"
#include "ledger/posting.h"
#include "remittance/lockbox_gen.h"
#include "remittance/scanline.h"
#include "security/crypto.h"

using namespace civicdesk;
using namespace civicdesk::bench;

namespace {

constexpr const char* kBench = "cashiering";

// One open utility bill per account 1..n (account_ref utility:<n>), owned by party n, charged
// through the ledger's own insert_charge in large transactions. Amounts are large enough that
// every generated stub amount ($10–$300) is payable.
void bill_accounts(App& app, std::int64_t n) {
  constexpr std::int64_t kChunk = 50'000;
  for (std::int64_t from = 1; from <= n; from += kChunk) {
    const std::int64_t last = std::min(from + kChunk - 1, n);
    charge_parties(app, from, last, [](std::int64_t id) {
      return ledger::ChargeRequest{id,
                                   remittance::account_ref_for(id),
                                   "utility_bill",
                                   "Bench bill",
                                   CivilDate{2026, 10, 1},
                                   {{"Water", "4000-WATER", Money::from_cents(100'000), false}},
                                   "",
                                   ""};
    });
    std::fprintf(stderr, "\r  billing accounts %lld/%lld", static_cast<long long>(last),
                 static_cast<long long>(n));
  }
  std::fprintf(stderr, "\n");
}

std::string accounts_db(std::int64_t accounts) {
  std::string cached = "var/bench/lockbox-accounts-" + std::to_string(accounts) + ".db";
  if (fs::exists(cached)) {
    std::printf("INFO|%s|(a) accounts database|%s (cached)\n", kBench, cached.c_str());
    return cached;
  }
  auto t0 = SteadyClock::now();
  std::string building = cached + ".building";
  remove_sqlite(building);
  {
    auto app = open_app("sqlite:" + building);
    insert_parties(app->db(), accounts);
    bill_accounts(*app, accounts);
  }  // closed: the WAL is checkpointed into the file
  remove_sqlite(building + "-wal");
  fs::rename(building, cached);
  std::printf("INFO|%s|(a) accounts database|%s built in %.0f s\n", kBench, cached.c_str(),
              ms_since(t0) / 1000);
  return cached;
}

void bench_lockbox() {
  const std::int64_t accounts = env_int("CIVICDESK_BENCH_LOCKBOX_ACCOUNTS", 1'000'000);
  const std::int64_t items = env_int("CIVICDESK_BENCH_LOCKBOX_ITEMS", 250'000);
  std::printf("\n(a) lockbox file of %lld payments against %lld accounts (SQLite, durable)\n",
              static_cast<long long>(items), static_cast<long long>(accounts));
  std::string cached = accounts_db(accounts);
  std::string run = "var/bench/lockbox-run.db";
  remove_sqlite(run);
  fs::copy_file(cached, run);
  std::string file = remittance::generate_lockbox_file(42, items, accounts);
  std::printf("INFO|%s|(a) lockbox file|%lld items, %.1f MiB\n", kBench,
              static_cast<long long>(items), static_cast<double>(file.size()) / 1048576.0);
  auto app = open_app("sqlite:" + run);
  Actor clerk = Actor::system("bench");
  auto t0 = SteadyClock::now();
  auto first = must(app->mailroom().import_lockbox(clerk, file), "import");
  double ms = ms_since(t0);
  if (first.posted_count + first.exception_count != items)
    die("import: " + std::to_string(first.posted_count) + " posted + " +
        std::to_string(first.exception_count) + " queued != " + std::to_string(items));
  add_row("(a) lockbox import + post, SQLite", items, {ms}, items / (ms / 1000), "file <= 2 s",
          ms <= 2000 ? "PASS" : "MISS");
  std::printf("INFO|%s|(a) first import|%lld posted, %lld queued, %.2f s\n", kBench,
              static_cast<long long>(first.posted_count),
              static_cast<long long>(first.exception_count), ms / 1000);
  t0 = SteadyClock::now();
  auto again = must(app->mailroom().import_lockbox(clerk, file), "import again");
  double again_ms = ms_since(t0);
  if (!again.already_imported || again.posted_now != 0) die("the second import posted");
  add_row("(a) the same file again (posts nothing)", items, {again_ms}, items / (again_ms / 1000));
  app.reset();
  remove_sqlite(run);
}

void bench_counter() {
  const int cashiers = 16, per_cashier = 4, clients = cashiers * per_cashier;
  const std::int64_t n = env_int("CIVICDESK_BENCH_COUNTER_PAYMENTS", 6'400);
  const std::int64_t parties = 1'000;
  std::printf(
      "\n(b) HTTP POST /api/v1/counter/transactions, %d keep-alive connections (%d cashiers), "
      "one cash payment each, durable before the answer (SQLite)\n",
      clients, cashiers);
  std::string path = "var/bench/counter-http.db";
  remove_sqlite(path);
  auto app = open_app("sqlite:" + path);
  insert_parties(app->db(), parties);
  bill_accounts(*app, parties);
  Actor system = Actor::system("bench");
  http::Api api(*app);
  http::ServerOptions so;
  so.address = "127.0.0.1";
  so.port = 0;
  http::Server server([&api](http::Request& r) { return api.handle(r); }, so);
  auto port = must(server.start(), "server");
  std::thread serving([&] { server.run(false); });
  std::vector<std::string> headers;
  for (int k = 0; k < cashiers; ++k) {
    std::string user = "cashier" + std::to_string(k), drawer = "B-" + std::to_string(k);
    must(app->users().create(system, {user, "Bench Cashier", "csr2", "correct-horse-battery"}),
         "user");
    must(app->counter().create_drawer(system,
                                      {drawer, "Bench window", "City Hall", "OPERATING", ""}),
         "drawer");
    auto session =
        must(app->sessions().sign_in(user, "correct-horse-battery",
                                     Actor{UserId{0}, "anonymous", "", "bench", "127.0.0.1"}),
             "sign in");
    std::string h = "Cookie: " + api.cookie_name() + "=" + session.token +
                    "\r\nX-CSRF-Token: " + session.csrf_token + "\r\n";
    HttpClient opener(port);
    int opened =
        opener.post("/api/v1/sessions", h, R"({"drawer":")" + drawer + R"(","float":{"20":5}})");
    if (opened != 201) die("open session: " + std::to_string(opened));
    headers.push_back(h);
  }
  auto load = run_http_load(port, clients, n, 201, [&](std::int64_t i) {
    std::int64_t party = 1 + i % parties;
    std::string amount = std::to_string(10 + i % 40) + ".00";
    return HttpRequest{"/api/v1/counter/transactions",
                       headers[static_cast<std::size_t>((i % clients) / per_cashier)] +
                           "Idempotency-Key: c-" + std::to_string(i) + "\r\n",
                       R"({"items":[{"party_id":)" + std::to_string(party) + R"(,"amount":")" +
                           amount + R"("}],"tenders":[{"kind":"cash","amount":")" + amount +
                           R"("}]})"};
  });
  const auto& ms = load.ms;
  double s = load.seconds;
  const int errors = load.unexpected;
  server.stop();
  serving.join();
  double rate = n / s;
  bool pass = rate >= 5000 && percentile(ms, 0.99) <= 10 && errors == 0;
  add_row("(b) counter HTTP, 64 connections, SQLite", n, ms, rate, ">= 5000/s, p99 <= 10 ms",
          pass ? "PASS" : "MISS");
  if (errors) std::printf("  %d requests did not get 201\n", errors);
  app.reset();
  remove_sqlite(path);
}

}  // namespace

int main() {
  must(security::init_crypto(), "init_crypto");
  fs::create_directories("var/bench");
  spdlog::set_default_logger(
      spdlog::basic_logger_mt("bench", "var/bench/cashiering_bench-server.log", true));
  std::string only =
      std::getenv("CIVICDESK_BENCH_ONLY") ? std::getenv("CIVICDESK_BENCH_ONLY") : "ab";
  if (only.find('a') != std::string::npos) bench_lockbox();
  if (only.find('b') != std::string::npos) bench_counter();
  print_rows(kBench);
  return 0;  // a MISS is a finding, not a crash
}
