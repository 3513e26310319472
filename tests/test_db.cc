#include "test_db.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "security/crypto.h"
#include "store/migrations.h"

namespace civicdesk::testing {
namespace {

constexpr const char* kPgUrlVariable = "CIVICDESK_TEST_PG";
constexpr const char* kRequirePgVariable = "CIVICDESK_REQUIRE_PG";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// What this process created, removed at exit. Only the creating process cleans up: a forked
// death-test child that calls exit() must not delete its parent's databases.
struct Created {
  pid_t owner = getpid();
  std::mutex mutex;
  std::vector<std::string> sqlite_dirs;
  std::vector<std::string> pg_databases;
};

Created& created() {
  static Created* c = new Created();  // leaked: must outlive static destructors run at exit
  return *c;
}

// Runs one statement on the server named by `url`; returns the error text, empty on success.
std::string pg_run(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
    PGresult* res = PQexec(conn, sql.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) error = PQresultErrorMessage(res);
    PQclear(res);
  }
  PQfinish(conn);
  return error;
}

void remove_created() {
  Created& c = created();
  if (getpid() != c.owner) return;
  std::lock_guard lock(c.mutex);
  std::error_code ignored;
  // scripts/run-tests.sh keeps them (under its own TMPDIR) to scan them for card numbers.
  if (env("CIVICDESK_KEEP_TEST_FILES") != "1")
    for (const auto& dir : c.sqlite_dirs) std::filesystem::remove_all(dir, ignored);
  // FORCE: pooled connections of databases the tests never closed are still open.
  std::string admin = env(kPgUrlVariable);
  for (const auto& name : c.pg_databases)
    (void)pg_run(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

void remember(std::vector<std::string> Created::*list, std::string item) {
  static std::once_flag registered;
  std::call_once(registered, [] { std::atexit(remove_created); });
  Created& c = created();
  std::lock_guard lock(c.mutex);
  (c.*list).push_back(std::move(item));
}

Result<std::string> fresh_sqlite_url() {
  std::string dir = (std::filesystem::temp_directory_path() / "cd_test_XXXXXX").string();
  if (!mkdtemp(dir.data()))
    return fail(ErrorCode::kStorage, "mkdtemp failed under " + dir, "test_db");
  remember(&Created::sqlite_dirs, dir);
  return "sqlite:" + dir + "/test.db";
}

// The admin URL with its database name replaced by `dbname`; keeps user, host, port and options.
std::string with_database(const std::string& url, const std::string& dbname) {
  std::size_t scheme = url.find("://");
  std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  std::size_t path = url.find_first_of("/?", start);
  if (path == std::string::npos) return url + "/" + dbname;
  std::size_t query = url.find('?', path);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, path) + "/" + dbname + rest;
}

Result<std::string> fresh_postgres_url() {
  std::string admin = env(kPgUrlVariable);
  if (admin.empty())
    return fail(ErrorCode::kStorage,
                std::string(kRequirePgVariable) + "=1 but " + kPgUrlVariable +
                    " is unset: run the tests under scripts/with-postgres.sh",
                "test_db");
  static std::atomic<int> counter{0};
  std::string name =
      "cd_test_" + std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1));
  // A leftover from an earlier process with the same pid would make CREATE fail.
  std::string error = pg_run(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  if (error.empty()) error = pg_run(admin, "CREATE DATABASE " + name);
  if (!error.empty())
    return fail(ErrorCode::kStorage, "cannot create test database " + name + ": " + error,
                "test_db");
  remember(&Created::pg_databases, name);
  return with_database(admin, name);
}

// A fully migrated template database, named by a hash of every migration so a schema change
// makes a new one. Created once per server by whichever test process gets there first (an
// advisory lock serialises them); test databases are then cloned from it, which is much faster
// than migrating each one.
Result<std::string> migrated_template(const std::string& admin) {
  static std::mutex mutex;
  static std::string ready;
  std::lock_guard lock(mutex);
  if (!ready.empty()) return ready;
  std::string all;
  for (const auto& m : store::all_migrations()) all += m.portable + m.sqlite + m.postgres;
  std::string name = "cd_tpl_" + security::blake2b_hex(all).substr(0, 16);
  PGconn* conn = PQconnectdb(admin.c_str());
  auto exec = [&](const std::string& sql) {
    PGresult* res = PQexec(conn, sql.c_str());
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK;
    std::string out =
        ok ? (PQntuples(res) > 0 ? "row" : "") : "error: " + std::string(PQresultErrorMessage(res));
    PQclear(res);
    return out;
  };
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) error = PQerrorMessage(conn);
  if (error.empty()) (void)exec("SELECT pg_advisory_lock(7406)");
  if (error.empty() && exec("SELECT 1 FROM pg_database WHERE datname = '" + name + "'") != "row") {
    error = pg_run(admin, "CREATE DATABASE " + name);
    if (error.empty()) {
      auto db = store::open_database(with_database(admin, name));
      auto migrated =
          db ? store::migrate(**db) : Result<std::vector<int>>(std::unexpected(db.error()));
      if (!migrated) {
        error = migrated.error().message;
        (void)pg_run(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }  // the Database (and its pooled connections to the template) is gone here
  }
  if (PQstatus(conn) == CONNECTION_OK) (void)exec("SELECT pg_advisory_unlock(7406)");
  PQfinish(conn);
  if (!error.empty())
    return fail(ErrorCode::kStorage, "cannot prepare the migrated template: " + error, "test_db");
  ready = name;
  return ready;
}

Result<std::string> fresh_migrated_postgres_url() {
  std::string admin = env(kPgUrlVariable);
  if (admin.empty()) return fresh_postgres_url();  // reports the missing server
  CD_ASSIGN(auto tpl, migrated_template(admin));
  static std::atomic<int> counter{0};
  std::string name =
      "cd_testm_" + std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1));
  std::string error = pg_run(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  if (error.empty()) error = pg_run(admin, "CREATE DATABASE " + name + " TEMPLATE " + tpl);
  if (!error.empty())
    return fail(ErrorCode::kStorage, "cannot create test database " + name + ": " + error,
                "test_db");
  remember(&Created::pg_databases, name);
  return with_database(admin, name);
}

Result<std::string> make_fresh_url(const std::string& backend) {
  if (backend == "sqlite") return fresh_sqlite_url();
  if (backend == "postgres") return fresh_postgres_url();
  return fail(ErrorCode::kInvalidInput, "unknown test backend '" + backend + "'", "test_db");
}

}  // namespace

std::vector<std::string> test_backends() {
  if (!env(kPgUrlVariable).empty() || env(kRequirePgVariable) == "1") return {"sqlite", "postgres"};
  return {"sqlite"};
}

std::string fresh_database_url(const std::string& backend) {
  auto url = make_fresh_url(backend);
  if (!url) {
    ADD_FAILURE() << url.error().message;
    return "";
  }
  return *url;
}

std::string fresh_migrated_database_url(const std::string& backend) {
  auto url = backend == "postgres" ? fresh_migrated_postgres_url() : make_fresh_url(backend);
  if (!url) {
    ADD_FAILURE() << url.error().message;
    return "";
  }
  return *url;
}

Result<std::shared_ptr<store::Database>> fresh_database(const std::string& backend) {
  CD_ASSIGN(std::string url, make_fresh_url(backend));
  return store::open_database(url);
}

}  // namespace civicdesk::testing
