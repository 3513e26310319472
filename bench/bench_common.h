// What the bench/ programs share: sizes from the environment, timing and percentiles, the rows
// of the table run-bench.sh reads (RESULT|VERDICT|INFO lines), fresh databases on both backends,
// the demo City's config, and a minimal keep-alive HTTP/1.1 client for the HTTP rows.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <libpq-fe.h>

#include "app/app.h"
#include "ledger/posting.h"

namespace civicdesk::bench {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

inline std::int64_t env_int(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

[[noreturn]] inline void die(const std::string& what) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  std::exit(1);
}

template <class T>
T must(Result<T> r, const std::string& what) {
  if (!r) die(what + ": " + r.error().message);
  return std::move(*r);
}
inline void must(const Result<void>& r, const std::string& what) {
  if (!r) die(what + ": " + r.error().message);
}

inline double ms_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

inline long peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

struct Row {
  std::string name;
  std::int64_t n = 0;
  double p50 = 0, p99 = 0, max = 0, ops = 0;
  long rss_mib = 0;
  std::string target, verdict;  // verdict: PASS, MISS or "" (no target)
};
inline std::vector<Row> g_rows;

inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

inline Row& add_row(std::string name, std::int64_t n, const std::vector<double>& ms, double ops,
                    std::string target = "", std::string verdict = "") {
  Row r{std::move(name),
        n,
        percentile(ms, 0.5),
        percentile(ms, 0.99),
        ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()),
        ops,
        peak_rss_mib(),
        std::move(target),
        std::move(verdict)};
  std::printf("  %-44s N %-9lld p50 %8.3f  p99 %8.3f  max %8.2f ms  %10.0f /s\n", r.name.c_str(),
              static_cast<long long>(r.n), r.p50, r.p99, r.max, r.ops);
  std::fflush(stdout);
  g_rows.push_back(r);
  return g_rows.back();
}

inline std::string config_path() {
  if (fs::exists("config/demo-city.yaml")) return "config/demo-city.yaml";
  if (const char* src = std::getenv("CIVICDESK_SOURCE_DIR"))
    return (fs::path(src) / "config/demo-city.yaml").string();
  die("no config/demo-city.yaml (run from the repository root)");
}

inline void remove_sqlite(const std::string& path) {
  for (const char* s : {"", "-wal", "-shm", "-journal"}) fs::remove(path + s);
}

// A fresh PostgreSQL database on the server of CIVICDESK_TEST_PG, or "" when there is none.
inline std::string fresh_pg(const std::string& name) {
  const char* admin = std::getenv("CIVICDESK_TEST_PG");
  if (!admin || !*admin) return "";
  PGconn* c = PQconnectdb(admin);
  if (PQstatus(c) != CONNECTION_OK) die(std::string("PostgreSQL: ") + PQerrorMessage(c));
  for (std::string sql :
       {"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name}) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die(std::string("PostgreSQL: ") + PQerrorMessage(c));
    PQclear(r);
  }
  PQfinish(c);
  std::string url = admin;
  return url.substr(0, url.rfind('/') + 1) + name;
}

inline std::unique_ptr<App> open_app(const std::string& url) {
  AppOptions o;
  o.db_url = url;
  o.config_path = config_path();
  o.web_root = "web/dist";
  return must(App::open(o), "open " + url);
}

// Parties straight into the table (ids 1..n); the search index is not needed here.
inline void insert_parties(store::Database& db, std::int64_t n) {
  must(db.write<void>([&](store::Connection& c) -> Result<void> {
    CD_TRY(
        c.exec("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) "
               "INSERT INTO parties (kind, first_name, last_name, display_name, name_key, "
               "created_us, updated_us) SELECT 'person', 'Bench', 'Payer ' || i, "
               "'Bench Payer ' || i, 'payer bench', 0, 0 FROM s",
               {n}));
    return {};
  }),
       "parties");
}

class HttpClient {
 public:
  explicit HttpClient(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      die("connect failed");
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~HttpClient() { ::close(fd_); }
  int post(const std::string& path, const std::string& headers, const std::string& body) {
    return send("POST", path, headers, body);
  }
  // One request and its whole answer; returns the status (0 on a transport error). A GET sends
  // no body.
  int send(const std::string& method, const std::string& path, const std::string& headers,
           const std::string& body) {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
    if (method == "GET")
      req += "\r\n";
    else
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n\r\n" + body;
    for (std::size_t sent = 0; sent < req.size();) {
      ssize_t k = ::send(fd_, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
      if (k <= 0) return 0;
      sent += static_cast<std::size_t>(k);
    }
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return 0;
    std::string head = buf_.substr(0, end);
    for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    int status = std::atoi(head.c_str() + 9);
    auto cl = head.find("\r\ncontent-length:");
    std::size_t total =
        end + 4 +
        (cl == std::string::npos ? 0 : std::strtoull(head.c_str() + cl + 17, nullptr, 10));
    while (buf_.size() < total)
      if (!fill()) return 0;
    buf_.erase(0, total);
    return status;
  }

 private:
  bool fill() {
    char chunk[8192];
    ssize_t k = ::recv(fd_, chunk, sizeof chunk, 0);
    if (k <= 0) return false;
    buf_.append(chunk, static_cast<std::size_t>(k));
    return true;
  }
  int fd_;
  std::string buf_;
};

// Charges parties first..last (ids) in one write transaction through the ledger's own
// insert_charge; request(id) describes each party's obligation.
template <class MakeCharge>
void charge_parties(App& app, std::int64_t first, std::int64_t last, MakeCharge request) {
  must(app.db().write<void>([&](store::Connection& c) -> Result<void> {
    ledger::detail::Posting p{c, app.city(), Actor::system("bench"), app.clock().now_us(),
                              app.ledger().today()};
    for (std::int64_t id = first; id <= last; ++id) {
      CD_ASSIGN(auto charged, ledger::detail::insert_charge(p, request(id), ""));
      (void)charged;
    }
    return {};
  }),
       "charges");
}

// `n` requests over `clients` keep-alive connections to `port`, request i on connection
// i % clients, all threads starting together; request(i) gives the path, extra headers, body and
// method (POST unless it says GET). Returns each request's latency (ms), the wall time (s) and
// how many answers were not `expect`.
struct HttpLoad {
  std::vector<double> ms;
  double seconds = 0;
  int unexpected = 0;
};
struct HttpRequest {
  std::string path, headers, body;
  std::string method = "POST";  // or GET (no body)
};
template <class MakeRequest>
HttpLoad run_http_load(unsigned short port, int clients, std::int64_t n, int expect,
                       MakeRequest request) {
  std::vector<std::unique_ptr<HttpClient>> conns;
  for (int t = 0; t < clients; ++t) conns.push_back(std::make_unique<HttpClient>(port));
  HttpLoad out;
  out.ms.resize(static_cast<std::size_t>(n));
  std::atomic<int> unexpected{0};
  std::barrier sync(clients + 1);
  std::vector<std::thread> pool;
  for (int t = 0; t < clients; ++t)
    pool.emplace_back([&, t] {
      sync.arrive_and_wait();
      for (std::int64_t i = t; i < n; i += clients) {
        HttpRequest r = request(i);
        auto t0 = SteadyClock::now();
        int status = conns[static_cast<std::size_t>(t)]->send(r.method, r.path, r.headers, r.body);
        out.ms[static_cast<std::size_t>(i)] = ms_since(t0);
        if (status != expect) ++unexpected;
      }
    });
  sync.arrive_and_wait();
  auto started = SteadyClock::now();
  for (auto& th : pool) th.join();
  out.seconds = ms_since(started) / 1000;
  out.unexpected = unexpected.load();
  return out;
}

// The table for people, then the RESULT/VERDICT/INFO lines for scripts/run-bench.sh.
inline void print_rows(const char* bench) {
  std::printf("\n%-46s %10s %12s %9s %9s %9s  %-26s %s\n", "name", "N", "throughput/s", "p50 ms",
              "p99 ms", "RSS MiB", "target", "");
  for (const auto& r : g_rows)
    std::printf("%-46s %10lld %12.0f %9.3f %9.3f %9ld  %-26s %s\n", r.name.c_str(),
                static_cast<long long>(r.n), r.ops, r.p50, r.p99, r.rss_mib, r.target.c_str(),
                r.verdict.c_str());
  std::printf("\n");
  for (const auto& r : g_rows) {
    std::printf("RESULT|%s|%s|%lld|%.3f|%.3f|%.3f|%.0f\n", bench, r.name.c_str(),
                static_cast<long long>(r.n), r.p50, r.p99, r.max, r.ops);
    if (!r.verdict.empty())
      std::printf("VERDICT|%s|%s|%s: %s %s (N %lld: %.0f/s, p50 %.3f ms, p99 %.3f ms)\n", bench,
                  r.verdict.c_str(), r.verdict.c_str(), r.name.c_str(), r.target.c_str(),
                  static_cast<long long>(r.n), r.ops, r.p50, r.p99);
  }
  std::printf("INFO|%s|peak RSS|%ld MiB\n", bench, peak_rss_mib());
}

}  // namespace civicdesk::bench
