// Crash test of payment posting through the real server: a client streams payments (and some
// charges) over HTTP, each with its own Idempotency-Key, while the harness kills the server with
// SIGKILL — at named crash points (CIVICDESK_CRASH_AT, see core/crash_point.h) and at random
// moments from a timer — restarts it on the same database and retries whatever did not get an
// answer, with the same key and body. At the end:
//   every acknowledged payment and charge is there exactly once (one journal entry per key, the
//   id the answer named, no other payments or obligations), `civicdesk ledger check` and
//   `civicdesk audit verify` exit 0, and SQLite's integrity check passes.
//
// Each server lifetime ends in a kill: by its crash point, by the timer, or — when neither came
// within kRequestsPerLifetime requests — by the harness after the last answer. Lifetimes cycle
// through the modes below.
//
//   default           kKillsPerBackend kills on each backend (>= 50 in all with PostgreSQL)
//   CIVICDESK_SOAK=1  x10
//   CIVICDESK_CRASH_SEED=N   the seed (printed on every run; a failure reproduces with it,
//                            up to the timing of timer kills)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "store/db.h"
#include "tests/app_fixture.h"
#include "tests/crash_harness.h"
#include "tests/test_db.h"

extern char** environ;

namespace civicdesk::testing {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kKillsPerBackend = 26;
constexpr int kRequestsPerLifetime = 6;
constexpr int kMaxAttemptsPerRequest =
    200;  // restarts included; more means the server cannot start
constexpr const char* kUser = "streamer";
constexpr const char* kPassword = "correct-horse-battery";

// How a lifetime ends. Named points die before the commit of the K-th pass (the client must
// retry and the retry posts); the timer can land anywhere — also after a commit whose answer
// was lost (the retry must replay, not post again).
struct Mode {
  const char* point;  // nullptr: the timer
  int max_k;          // K drawn from 1..max_k
};
constexpr Mode kModes[] = {
    {"ledger.payment.after_entry", 4}, {nullptr, 0}, {"ledger.charge.after_insert", 2},
    {"tx.before_commit", 12},          {nullptr, 0}, {"audit.append.after_insert", 6},
};

int kills_wanted() {
  int n = kKillsPerBackend;
  if (const char* soak = std::getenv("CIVICDESK_SOAK"); soak && std::string(soak) == "1") n *= 10;
  return n;
}

std::uint64_t seed_for(const std::string& backend) {
  if (const char* s = std::getenv("CIVICDESK_CRASH_SEED"); s && *s)
    return std::strtoull(s, nullptr, 10);
  return std::random_device{}() ^ std::hash<std::string>{}(backend);
}

struct HttpAnswer {
  int status = 0;  // 0: no answer (connection refused, reset, closed or timed out)
  std::string body, set_cookie;
};

// One request on a fresh connection (Connection: close), with send/receive timeouts.
HttpAnswer http_request(unsigned short port, const std::string& method, const std::string& path,
                        const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpAnswer out;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty())
    req +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  for (std::size_t sent = 0; sent < req.size();) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return out;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string buf;
  char chunk[8192];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0) {
      ::close(fd);
      return out;  // reset or timed out: no answer
    }
    if (n == 0) break;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto header_end = buf.find("\r\n\r\n");
  if (header_end == std::string::npos || !buf.starts_with("HTTP/1.1 ")) return out;
  std::string head = buf.substr(0, header_end);
  std::string lower = head;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto cl = lower.find("\r\ncontent-length:");
  std::size_t length = cl == std::string::npos
                           ? buf.size() - header_end - 4
                           : std::strtoull(lower.c_str() + cl + 17, nullptr, 10);
  if (buf.size() < header_end + 4 + length) return out;  // cut off: no answer
  out.status = std::atoi(head.c_str() + 9);
  out.body = buf.substr(header_end + 4, length);
  if (auto sc = lower.find("\r\nset-cookie:"); sc != std::string::npos) {
    auto start = sc + 13;
    auto end = head.find("\r\n", start);
    out.set_cookie = head.substr(start, end - start);
    out.set_cookie.erase(0, out.set_cookie.find_first_not_of(' '));
  }
  return out;
}

std::vector<std::string> environment_with(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("CIVICDESK_CRASH_AT=")) continue;
    out.emplace_back(entry);
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

// Starts `civicdesk serve` on a free port with `env` added, its output to `log`; returns
// posix_spawn's result. Shared by the payment and counter crash cases.
int spawn_server(const std::string& url, int workers,
                 const std::vector<std::pair<std::string, std::string>>& env,
                 const std::string& log, pid_t& pid) {
  std::vector<std::string> argv = {civicdesk_binary(), "--db", url, "--config",
                                   source_dir() + "/config/demo-city.yaml", "serve", "--address",
                                   "127.0.0.1", "--port", "0", "--workers",
                                   std::to_string(workers), "--web-root",
                                   source_dir() + "/web/dist"};
  auto envp = environment_with(env);
  std::vector<char*> cargv, cenvp;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  for (auto& e : envp) cenvp.push_back(e.data());
  cenvp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, cargv.data(), cenvp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc;
}


// The server as a child process, its lifetimes and the kills that end them.
class Server {
 public:
  Server(std::string url, std::uint64_t seed) : url_(std::move(url)), rng_(seed) {
    log_ = (fs::temp_directory_path() / ("cd_server_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(seed % 100000) + ".log"))
               .string();
  }
  ~Server() {
    if (pid_ > 0) {
      stop_timer();
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    fs::remove(log_, ec);
  }

  // Starts a lifetime in the next mode; false (with the log) when the server does not come up.
  ::testing::AssertionResult start(bool final_run = false) {
    const Mode& mode = kModes[lifetime_ % std::size(kModes)];
    std::vector<std::pair<std::string, std::string>> env;
    std::string crash_at;
    if (!final_run && mode.point) {
      crash_at = std::string(mode.point) + ":" +
                 std::to_string(1 + rng_() % static_cast<std::uint64_t>(mode.max_k));
      env.push_back({"CIVICDESK_CRASH_AT", crash_at});
    }
    int rc = spawn_server(url_, 4, env, log_, pid_);
    if (rc != 0) return ::testing::AssertionFailure() << "posix_spawn " << civicdesk_binary() << " failed";
    ++lifetime_;
    requests_left_ = kRequestsPerLifetime;
    timer_fired_ = false;
    // Wait for "civicdesk listening on http://127.0.0.1:PORT/".
    for (auto deadline = std::chrono::steady_clock::now() + 60s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        // A crash point reached during start-up (e.g. tx.before_commit in migrations) is a kill.
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && !crash_at.empty()) {
          ++kills_;
          ++by_point_;
          return start(final_run);
        }
        return ::testing::AssertionFailure() << "the server exited while starting:\n" << log();
      }
      std::string text = log();
      auto at = text.find("listening on http://127.0.0.1:");
      if (at != std::string::npos) {
        port_ = static_cast<unsigned short>(std::atoi(text.c_str() + at + 30));
        if (!final_run && !mode.point) start_timer();
        return ::testing::AssertionSuccess();
      }
    }
    return ::testing::AssertionFailure() << "the server did not start in 60 s:\n" << log();
  }

  // After a request got no answer: the server is dead (or dying) — reap it; if it is somehow
  // still alive, kill it. Either way the lifetime is over and counts as a kill.
  ::testing::AssertionResult on_no_answer() {
    stop_timer();
    int status = 0;
    bool by_harness = false;
    for (auto deadline = std::chrono::steady_clock::now() + 5s;;) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) break;
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        by_harness = true;
        break;
      }
      std::this_thread::sleep_for(5ms);
    }
    pid_ = 0;
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
      return ::testing::AssertionFailure()
             << "the server ended on its own (status " << status << "):\n"
             << log();
    ++kills_;
    ++(by_harness ? by_harness_ : timer_fired_ ? by_timer_ : by_point_);
    return start();
  }

  // After an answer: the lifetime's request budget; at 0 the harness kills the server.
  ::testing::AssertionResult on_answer() {
    if (--requests_left_ > 0) return ::testing::AssertionSuccess();
    stop_timer();
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = 0;
      ++kills_;
      ++(timer_fired_ ? by_timer_ : by_harness_);
    }
    return start();
  }

  // The last lifetime: no crash point, no timer; stopped gracefully.
  ::testing::AssertionResult finish() {
    stop_timer();
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = 0;
      ++kills_;
      ++by_harness_;
    }
    return start(true);
  }
  ::testing::AssertionResult stop() {
    if (pid_ <= 0) return ::testing::AssertionSuccess();
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the server did not stop cleanly:\n" << log();
  }

  unsigned short port() const { return port_; }
  int kills() const { return kills_; }
  std::string summary() const {
    return std::to_string(kills_) + " kills (" + std::to_string(by_point_) + " at crash points, " +
           std::to_string(by_timer_) + " by the timer, " + std::to_string(by_harness_) +
           " after a lifetime's last answer)";
  }
  std::string log() const {
    std::ifstream in(log_);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  void start_timer() {
    timer_fired_ = false;
    cancel_ = false;
    auto delay = std::chrono::milliseconds(1 + rng_() % 40);  // within a lifetime's requests
    pid_t pid = pid_;
    timer_ = std::thread([this, delay, pid] {
      std::unique_lock lock(mutex_);
      if (cv_.wait_for(lock, delay, [this] { return cancel_; })) return;
      ::kill(pid, SIGKILL);  // the child is not reaped before stop_timer() joins this thread
      timer_fired_ = true;
    });
  }
  void stop_timer() {
    if (!timer_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      cancel_ = true;
    }
    cv_.notify_all();
    timer_.join();
  }

  std::string url_, log_;
  std::mt19937_64 rng_;
  pid_t pid_ = 0;
  unsigned short port_ = 0;
  int lifetime_ = 0, requests_left_ = 0;
  int kills_ = 0, by_point_ = 0, by_timer_ = 0, by_harness_ = 0;
  std::thread timer_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool cancel_ = false;
  std::atomic<bool> timer_fired_{false};
};

class PaymentCrashTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Sends until an answer comes, restarting the server after every kill; the same key and body
  // every time. Signs in again when the session is unknown (401).
  HttpAnswer send(Server& server, const std::string& path, const std::string& body,
                  const std::string& key) {
    for (int attempt = 0; attempt < kMaxAttemptsPerRequest; ++attempt) {
      if (cookie_.empty()) {
        HttpAnswer s = http_request(
            server.port(), "POST", "/api/v1/session",
            R"({"username":")" + std::string(kUser) + R"(","password":")" + kPassword + R"("})",
            {});
        if (s.status == 0) {
          EXPECT_TRUE(server.on_no_answer());
          continue;
        }
        if (s.status != 200) {
          ADD_FAILURE() << "sign-in answered " << s.status << " " << s.body;
          return s;
        }
        cookie_ = s.set_cookie.substr(0, s.set_cookie.find(';'));
        csrf_ = json::parse(s.body).at("csrf_token").as_string().c_str();
        EXPECT_TRUE(server.on_answer());
        continue;
      }
      std::vector<std::pair<std::string, std::string>> headers = {{"Cookie", cookie_},
                                                                  {"X-CSRF-Token", csrf_}};
      if (!key.empty()) headers.push_back({"Idempotency-Key", key});
      HttpAnswer a = http_request(server.port(), "POST", path, body, headers);
      if (a.status == 0) {
        ++retries_;
        if (auto ok = server.on_no_answer(); !ok) {
          ADD_FAILURE() << ok.message();
          return a;
        }
        continue;
      }
      if (auto ok = server.on_answer(); !ok) {
        ADD_FAILURE() << ok.message();
        return a;
      }
      if (a.status == 401) {
        cookie_.clear();
        continue;
      }
      // 409: the key is still in flight in this process (the first try's handler may still be
      // running after a timed-out answer); 503/500: nothing posted. Both: retry the same key.
      if (a.status == 409 || a.status >= 500) {
        ++retries_;
        std::this_thread::sleep_for(20ms);
        continue;
      }
      return a;
    }
    ADD_FAILURE() << "no answer for " << path << " key " << key << " after "
                  << kMaxAttemptsPerRequest << " attempts";
    return {};
  }

  std::string cookie_, csrf_;
  int retries_ = 0;
};

Result<std::int64_t> count(store::Database& db, const std::string& sql,
                           const store::Params& p = {}) {
  return db.read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql, p); });
}

TEST_P(PaymentCrashTest, EveryAcknowledgedPaymentIsThereExactlyOnce) {
  const std::string backend = GetParam();
  std::uint64_t seed = seed_for(backend);
  std::cerr << "  payment crash test on " << backend << ": seed " << seed
            << " (CIVICDESK_CRASH_SEED=" << seed << " reproduces)\n";
  SCOPED_TRACE("CIVICDESK_CRASH_SEED=" + std::to_string(seed) + " on " + backend);
  std::string url = fresh_database_url(backend);
  ASSERT_FALSE(url.empty());
  ChildResult user = run_civicdesk(url, {"user", "add", kUser, "--name", "Stream Clerk", "--role",
                                         "csr2", "--password", kPassword});
  ASSERT_TRUE(user.exited_ok()) << user.describe();

  Server server(url, seed);
  ASSERT_TRUE(server.start());
  std::mt19937_64 rng(seed);

  // The customer (retried like everything else; a duplicate from a lost answer is harmless).
  HttpAnswer party =
      send(server, "/api/v1/parties",
           R"({"first_name":"Crash","last_name":"Tester","confirm_duplicates":true})", "");
  ASSERT_EQ(party.status, 201) << party.body;
  std::int64_t party_id = json::parse(party.body).at("id").as_int64();

  // Stream: every fourth request a charge, the rest payments, until enough kills.
  std::map<std::string, std::int64_t> acked_payments, acked_charges;  // key -> id answered
  std::int64_t acked_cents = 0;
  for (int i = 0; server.kills() < kills_wanted(); ++i) {
    bool charge = i % 4 == 0;
    std::int64_t cents = 100 + static_cast<std::int64_t>(rng() % (charge ? 4900 : 3900));
    std::string amount = format_plain(Money::from_cents(cents));
    std::string key = (charge ? "charge-" : "pay-") + std::to_string(i);
    std::string body =
        charge
            ? R"({"party_id":)" + std::to_string(party_id) +
                  R"(,"kind":"utility_bill","description":"Water","due_date":"2026-12-01",)"
                  R"("lines":[{"description":"Water","revenue_account":"4000-WATER","amount":")" +
                  amount + R"("}]})"
            : R"({"party_id":)" + std::to_string(party_id) + R"(,"amount":")" + amount +
                  R"(","tender":"check","channel":"mail"})";
    HttpAnswer a = send(server, charge ? "/api/v1/obligations" : "/api/v1/payments", body, key);
    ASSERT_EQ(a.status, 201) << key << ": " << a.body << "\n" << server.log();
    auto answer = json::parse(a.body);
    if (charge) {
      acked_charges[key] = answer.at("id").as_int64();
    } else {
      acked_payments[key] = answer.at("payment").at("id").as_int64();
      acked_cents += cents;
    }
  }
  ASSERT_TRUE(server.finish());
  ASSERT_TRUE(server.stop());
  std::cerr << "  " << backend << ": " << server.summary() << "; " << acked_payments.size()
            << " payments and " << acked_charges.size() << " charges acknowledged, " << retries_
            << " retries\n";
  EXPECT_GE(server.kills(), kills_wanted());

  // Exactly once, read from the tables.
  auto db = store::open_database(url);
  ASSERT_TRUE(db) << db.error().message;
  auto uid = count(**db, "SELECT id FROM users WHERE username = ?", {std::string(kUser)});
  ASSERT_TRUE(uid) << uid.error().message;
  EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM payments").value(),
            static_cast<std::int64_t>(acked_payments.size()));
  EXPECT_EQ(count(**db, "SELECT COALESCE(SUM(amount_cents), 0) FROM payments").value(),
            acked_cents);
  EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM obligations").value(),
            static_cast<std::int64_t>(acked_charges.size()));
  for (const auto& [key, id] : acked_payments) {
    std::string scoped = std::to_string(*uid) + ":" + key;
    EXPECT_EQ(
        count(**db, "SELECT COUNT(*) FROM journal_entries WHERE idempotency_key = ?", {scoped})
            .value(),
        1)
        << key;
    EXPECT_EQ(count(**db,
                    "SELECT COUNT(*) FROM payments p JOIN journal_entries e ON e.id = "
                    "p.entry_id WHERE e.idempotency_key = ? AND p.id = ?",
                    {scoped, id})
                  .value(),
              1)
        << key << " was answered with payment " << id;
  }
  for (const auto& [key, id] : acked_charges) {
    std::string scoped = std::to_string(*uid) + ":" + key;
    EXPECT_EQ(count(**db,
                    "SELECT COUNT(*) FROM obligations o JOIN journal_entries e ON e.id = "
                    "o.charge_entry_id WHERE e.idempotency_key = ? AND o.id = ?",
                    {scoped, id})
                  .value(),
              1)
        << key << " was answered with obligation " << id;
  }
  db->reset();

  ChildResult check = run_civicdesk(url, {"ledger", "check"});
  EXPECT_TRUE(check.exited_ok()) << check.describe();
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_TRUE(store_intact(url));
}

// --- the counter (cashiering): one kill at each of its crash points ----------------------------
// For each point: a fresh database, a drawer and a cashier's session; the day's steps (a cash
// transaction, the blind count that closes the session, the deposit prepared and closed by a
// second person) run through the real server, which is started with CIVICDESK_CRASH_AT=POINT
// just before the step that passes POINT. That step gets no answer; the server restarts without
// the crash point and the client retries with the same key and body. Afterwards everything
// happened exactly once: one transaction, one payment, receipt number 1 with no gap, the
// session closed, the deposit closed with its entry; ledger check, audit verify, integrity.

struct CounterLife {
  pid_t pid = 0;
  unsigned short port = 0;
  std::string log;
};

// Starts `civicdesk serve` on a free port, with CIVICDESK_CRASH_AT=crash_at when not empty.
::testing::AssertionResult start_counter_server(const std::string& url, const std::string& crash_at,
                                                CounterLife& life) {
  life.log =
      (fs::temp_directory_path() / ("cd_counter_" + std::to_string(::getpid()) + ".log")).string();
  std::vector<std::pair<std::string, std::string>> env;
  if (!crash_at.empty()) env.push_back({"CIVICDESK_CRASH_AT", crash_at});
  int rc = spawn_server(url, 2, env, life.log, life.pid);
  if (rc != 0) return ::testing::AssertionFailure() << "posix_spawn " << civicdesk_binary() << " failed";
  for (auto deadline = std::chrono::steady_clock::now() + 60s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
    std::ifstream in(life.log);
    std::stringstream text;
    text << in.rdbuf();
    auto at = text.str().find("listening on http://127.0.0.1:");
    if (at != std::string::npos) {
      life.port = static_cast<unsigned short>(std::atoi(text.str().c_str() + at + 30));
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "the server did not start";
}

// Reaps the server; true when it died by SIGKILL (its crash point), else kills it.
bool end_counter_server(CounterLife& life) {
  int status = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 5s;;) {
    if (::waitpid(life.pid, &status, WNOHANG) == life.pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(life.pid, SIGKILL);
      ::waitpid(life.pid, &status, 0);
      life.pid = 0;
      return false;
    }
    std::this_thread::sleep_for(5ms);
  }
  life.pid = 0;
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

struct CounterClient {
  std::string cookie, csrf;
};

CounterClient counter_sign_in(unsigned short port, const std::string& user) {
  HttpAnswer s =
      http_request(port, "POST", "/api/v1/session",
                   R"({"username":")" + user + R"(","password":")" + kPassword + R"("})", {});
  EXPECT_EQ(s.status, 200) << s.body;
  if (s.status != 200) return {};
  return {s.set_cookie.substr(0, s.set_cookie.find(';')),
          std::string(json::parse(s.body).at("csrf_token").as_string())};
}

HttpAnswer counter_call(unsigned short port, const CounterClient& who, const std::string& method,
                        const std::string& path, const std::string& body,
                        const std::string& key = "") {
  std::vector<std::pair<std::string, std::string>> headers = {{"Cookie", who.cookie},
                                                              {"X-CSRF-Token", who.csrf}};
  if (!key.empty()) headers.push_back({"Idempotency-Key", key});
  return http_request(port, method, path, body, headers);
}

class CounterCrashTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(CounterCrashTest, AKillAtACashieringCrashPointLosesAndDuplicatesNothing) {
  const auto& [backend, point] = GetParam();
  std::string url = fresh_database_url(backend);
  ASSERT_FALSE(url.empty());
  for (auto [user, role] :
       {std::pair{"cashier", "csr2"}, {"boss", "supervisor"}, {"money", "finance"}}) {
    ChildResult made = run_civicdesk(
        url, {"user", "add", user, "--name", user, "--role", role, "--password", kPassword});
    ASSERT_TRUE(made.exited_ok()) << made.describe();
  }
  CounterLife life;
  ASSERT_TRUE(start_counter_server(url, "", life));
  CounterClient cashier = counter_sign_in(life.port, "cashier");
  CounterClient boss = counter_sign_in(life.port, "boss");
  CounterClient money = counter_sign_in(life.port, "money");
  ASSERT_EQ(counter_call(life.port, boss, "POST", "/api/v1/drawers",
                         R"({"code":"CH-1","name":"Window 1","office":"City Hall",)"
                         R"("bank_account":"OPERATING"})")
                .status,
            201);
  HttpAnswer party = counter_call(life.port, cashier, "POST", "/api/v1/parties",
                                  R"({"first_name":"Crash","last_name":"Counter"})");
  ASSERT_EQ(party.status, 201) << party.body;
  std::string pid = std::to_string(json::parse(party.body).at("id").as_int64());
  HttpAnswer bill = counter_call(life.port, cashier, "POST", "/api/v1/obligations",
                                 R"({"party_id":)" + pid +
                                     R"(,"kind":"utility_bill",)"
                                     R"("description":"Water","due_date":"2026-12-01","lines":[)"
                                     R"({"description":"Water","revenue_account":"4000-WATER",)"
                                     R"("amount":"42.37"}]})",
                                 "bill");
  ASSERT_EQ(bill.status, 201) << bill.body;
  std::string oid = std::to_string(json::parse(bill.body).at("id").as_int64());
  HttpAnswer opened = counter_call(life.port, cashier, "POST", "/api/v1/sessions",
                                   R"({"drawer":"CH-1","float":{"20":5}})");
  ASSERT_EQ(opened.status, 201) << opened.body;
  std::string sid = std::to_string(json::parse(opened.body).at("id").as_int64());

  struct Step {
    const CounterClient* who;
    std::string path, body, key;
    std::vector<std::string> points;  // the crash points this step passes
  };
  const Step steps[] = {
      {&cashier,
       "/api/v1/counter/transactions",
       R"({"items":[{"party_id":)" + pid + R"(,"obligation_id":)" + oid +
           R"(,"amount":"42.37"}],"tenders":[{"kind":"cash","amount":"50.00"}]})",
       "txn-1",
       {"counter.receipt.after_number", "counter.payment.after_post"}},
      {&cashier,
       "/api/v1/sessions/" + sid + "/count",
       R"({"count":{"20":7,"1":2,"0.25":1,)"
       R"("0.10":1,"0.01":2}})",
       "count-1",
       {"drawer.close.before_post", "drawer.close.after_post"}},
      {&boss, "/api/v1/deposits", R"({"bank_account":"OPERATING"})", "", {}},
      {&money,
       "/api/v1/deposits/1/close",
       R"({"bank_reference":"DEP-1"})",
       "dep-1",
       {"deposit.close.after_post"}},
  };
  bool crashed = false;
  for (const auto& step : steps) {
    bool armed = std::find(step.points.begin(), step.points.end(), point) != step.points.end();
    if (armed) {
      ::kill(life.pid, SIGKILL);
      end_counter_server(life);
      ASSERT_TRUE(start_counter_server(url, point + ":1", life));
      HttpAnswer lost = counter_call(life.port, *step.who, "POST", step.path, step.body, step.key);
      EXPECT_EQ(lost.status, 0) << point << " was not reached: " << lost.body;
      EXPECT_TRUE(end_counter_server(life)) << "the server did not die at " << point;
      crashed = true;
      ASSERT_TRUE(start_counter_server(url, "", life));
    }
    HttpAnswer a = counter_call(life.port, *step.who, "POST", step.path, step.body, step.key);
    ASSERT_TRUE(a.status == 200 || a.status == 201)
        << step.path << ": " << a.status << " " << a.body;
  }
  EXPECT_TRUE(crashed) << point << " belongs to no step";
  ::kill(life.pid, SIGTERM);
  ::waitpid(life.pid, nullptr, 0);
  std::error_code ec;
  fs::remove(life.log, ec);

  auto db = store::open_database(url);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM counter_transactions").value(), 1);
  EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM payments").value(), 1);
  EXPECT_EQ(count(**db, "SELECT MAX(receipt_number) FROM counter_transactions").value(), 1);
  EXPECT_EQ(count(**db, "SELECT next_receipt FROM drawers").value(), 2);
  EXPECT_EQ(count(**db, "SELECT COUNT(*) FROM cashier_sessions WHERE status = 'closed'").value(),
            1);
  EXPECT_EQ(count(**db,
                  "SELECT COUNT(*) FROM deposits WHERE status = 'closed' AND entry_id IS "
                  "NOT NULL")
                .value(),
            1);
  EXPECT_EQ(
      count(**db, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'cash_movement'").value(),
      2);  // the drawer close and the deposit, once each
  EXPECT_EQ(count(**db,
                  "SELECT COALESCE(SUM(debit_cents - credit_cents), 0) FROM "
                  "account_balances WHERE account LIKE '1030-%'")
                .value(),
            4237);
  db->reset();
  ChildResult check = run_civicdesk(url, {"ledger", "check"});
  EXPECT_TRUE(check.exited_ok()) << check.describe();
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_TRUE(store_intact(url));
}

INSTANTIATE_TEST_SUITE_P(
    Points, CounterCrashTest,
    ::testing::Combine(::testing::ValuesIn(test_backends()),
                       ::testing::Values("counter.receipt.after_number",
                                         "counter.payment.after_post", "drawer.close.before_post",
                                         "drawer.close.after_post", "deposit.close.after_post")),
    [](const ::testing::TestParamInfo<std::tuple<std::string, std::string>>& info) {
      std::string name = std::get<1>(info.param) + "_" + std::get<0>(info.param);
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

INSTANTIATE_TEST_SUITE_P(Backends, PaymentCrashTest, ::testing::ValuesIn(test_backends()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace civicdesk::testing
