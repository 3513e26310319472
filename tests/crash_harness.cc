#include "tests/crash_harness.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/db.h"
#include "tests/app_fixture.h"

extern char** environ;

namespace civicdesk::testing {
namespace {
namespace fs = std::filesystem;

// The environment for a child: ours, with `extra` replacing any variable of the same name.
std::vector<std::string> child_environment(const EnvVars& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& [name, _] : extra) replaced = replaced || entry.starts_with(name + "=");
    if (!replaced) out.emplace_back(entry);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls, so a child that hangs (a crash point that never fires in a server loop) cannot hang
// the suite.
void wait_for(pid_t pid, std::chrono::seconds timeout, ChildResult& out) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0) return;
    if (std::chrono::steady_clock::now() > deadline) {
      out.timed_out = true;
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
}

std::string sqlite_path(const std::string& url) {
  return url.starts_with("sqlite:") ? url.substr(7) : "";
}

Result<std::int64_t> count(store::Database& db, const std::string& sql) {
  return db.read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
}

// The parties the bulk-create records claim: the sum of their {"count":N}.
Result<std::int64_t> bulk_created(store::Database& db) {
  CD_ASSIGN(auto rows, db.read<store::Rows>([](store::Connection& c) {
    return c.query("SELECT after_json FROM audit_log WHERE action = 'party.bulk_create'");
  }));
  std::int64_t total = 0;
  for (const auto& r : rows) total += boost::json::parse(r.text(0)).at("count").as_int64();
  return total;
}

}  // namespace

std::string civicdesk_binary() {
  if (const char* bin = std::getenv("CIVICDESK_BIN"); bin && *bin) return bin;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  fs::path bin = self.parent_path() / "civicdesk";
  return fs::exists(bin, ec) ? bin.string() : "";
}

bool ChildResult::killed_by_crash_point() const {
  return started && !timed_out && signal == SIGKILL;
}

std::string ChildResult::describe() const {
  std::string what = !started    ? "did not start"
                     : timed_out ? "timed out (killed by the harness)"
                     : signal    ? "was killed by signal " + std::to_string(signal)
                                 : "exited with " + std::to_string(exit_code);
  return "civicdesk " + what + "; its output:\n" + output;
}

ChildResult run_civicdesk(const std::string& db_url, const std::vector<std::string>& args,
                          const EnvVars& env, std::chrono::seconds timeout) {
  ChildResult out;
  std::string bin = civicdesk_binary();
  if (bin.empty()) {
    out.output = "no civicdesk binary next to the test binary; set CIVICDESK_BIN";
    return out;
  }
  std::vector<std::string> argv = {bin, "--db", db_url, "--config",
                                   source_dir() + "/config/demo-city.yaml"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envp = child_environment(env);
  std::string log = (fs::temp_directory_path() / "cd_crash_XXXXXX").string();
  int fd = mkstemp(log.data());
  if (fd < 0) {
    out.output = "mkstemp failed for the child's log";
    return out;
  }
  close(fd);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, bin.c_str(), &actions, nullptr, c_strings(argv).data(),
                       c_strings(envp).data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    out.output = "posix_spawn " + bin + " failed: " + std::strerror(rc);
    return out;
  }
  out.started = true;
  wait_for(pid, timeout, out);
  out.output = read_all(log);
  std::error_code ignored;
  fs::remove(log, ignored);
  return out;
}

::testing::AssertionResult restarts(const std::string& db_url) {
  ChildResult r = run_civicdesk(db_url, {"migrate"});
  if (r.exited_ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "restart (civicdesk migrate): " << r.describe();
}

::testing::AssertionResult audit_verifies(const std::string& db_url) {
  ChildResult r = run_civicdesk(db_url, {"audit", "verify"});
  if (r.exited_ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "civicdesk audit verify: " << r.describe();
}

::testing::AssertionResult store_intact(const std::string& db_url) {
  if (sqlite_path(db_url).empty()) return ::testing::AssertionSuccess();
  auto db = store::open_database(db_url);
  if (!db) return ::testing::AssertionFailure() << "cannot reopen: " << db.error().message;
  auto rows = (*db)->read<store::Rows>(
      [](store::Connection& c) { return c.query("PRAGMA integrity_check"); });
  if (!rows || rows->size() != 1 || (*rows)[0].text(0) != "ok")
    return ::testing::AssertionFailure() << "PRAGMA integrity_check: "
                                         << (!rows           ? rows.error().message
                                             : rows->empty() ? "no rows"
                                                             : (*rows)[0].text(0));
  auto orphans = (*db)->read<store::Rows>(
      [](store::Connection& c) { return c.query("PRAGMA foreign_key_check"); });
  if (!orphans || !orphans->empty())
    return ::testing::AssertionFailure() << "PRAGMA foreign_key_check found violations";
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult changes_complete(const std::string& db_url) {
  auto db = store::open_database(db_url);
  if (!db) return ::testing::AssertionFailure() << "cannot reopen: " << db.error().message;
  const std::vector<std::pair<std::string, std::string>> must_be_zero = {
      {"users without their user.create record",
       "SELECT COUNT(*) FROM users u WHERE (SELECT COUNT(*) FROM audit_log a WHERE a.action = "
       "'user.create' AND a.entity_id = CAST(u.id AS TEXT)) <> 1"},
      {"user.create records without their user",
       "SELECT COUNT(*) FROM audit_log a WHERE a.action = 'user.create' AND NOT EXISTS "
       "(SELECT 1 FROM users u WHERE CAST(u.id AS TEXT) = a.entity_id)"},
      {"parties without their search document",
       "SELECT COUNT(*) FROM parties p WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE "
       "d.kind = 'party' AND d.entity_id = p.id)"},
      {"search documents without their party",
       "SELECT COUNT(*) FROM search_docs d WHERE d.kind = 'party' AND NOT EXISTS "
       "(SELECT 1 FROM parties p WHERE p.id = d.entity_id)"}};
  for (const auto& [what, sql] : must_be_zero) {
    auto n = count(**db, sql);
    if (!n) return ::testing::AssertionFailure() << what << ": " << n.error().message;
    if (*n != 0) return ::testing::AssertionFailure() << *n << " " << what;
  }
  auto parties = count(**db, "SELECT COUNT(*) FROM parties");
  auto created = count(**db, "SELECT COUNT(*) FROM audit_log WHERE action = 'party.create'");
  auto bulk = bulk_created(**db);
  if (!parties || !created || !bulk) return ::testing::AssertionFailure() << "cannot count parties";
  if (*parties != *created + *bulk)
    return ::testing::AssertionFailure()
           << *parties << " parties but the audit trail records " << *created
           << " created one by one and " << *bulk << " in bulk";
  return ::testing::AssertionSuccess();
}

std::int64_t count(const std::string& db_url, const std::string& sql) {
  auto db = store::open_database(db_url);
  EXPECT_TRUE(db) << db.error().message;
  if (!db) return -1;
  auto n = (*db)->read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
  EXPECT_TRUE(n) << n.error().message;
  return n ? *n : -1;
}

}  // namespace civicdesk::testing
