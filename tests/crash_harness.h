// The crash harness: runs the real `civicdesk` binary as a child process with CIVICDESK_CRASH_AT
// set (see core/crash_point.h), so the child kills itself with SIGKILL at a named point — no
// destructors, no flush, only what the database holds survives — and then checks, from the
// outside, that the database restarts cleanly and its invariants hold.
//
// The binary is $CIVICDESK_BIN, else `civicdesk` next to the running test binary (both are built
// into the same build directory). Children get the test's environment plus the given variables;
// their stdout and stderr are captured for failure messages.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace civicdesk::testing {

// The civicdesk binary to run; "" when it cannot be found.
std::string civicdesk_binary();

struct ChildResult {
  bool started = false;
  bool timed_out = false;  // killed by the harness after the timeout
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal ended it (SIGKILL from a crash point)
  std::string output;      // stdout and stderr, interleaved

  bool killed_by_crash_point() const;
  bool exited_ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
  std::string describe() const;  // "exited with 0", "killed by signal 9", ... plus the output
};

using EnvVars = std::vector<std::pair<std::string, std::string>>;

// Runs `civicdesk --db URL --config <source>/config/demo-city.yaml ARGS...` and waits for it.
ChildResult run_civicdesk(const std::string& db_url, const std::vector<std::string>& args,
                          const EnvVars& env = {},
                          std::chrono::seconds timeout = std::chrono::seconds(120));

// What a restart after a crash must get through. Each returns a failure explaining what broke.
//   restarts:      `civicdesk migrate` succeeds (what `serve` does first on start).
//   audit_verifies: `civicdesk audit verify` exits 0.
//   store_intact:  SQLite `PRAGMA integrity_check` = ok and no foreign-key violations
//                  (PostgreSQL: always success; the server checks its own pages).
::testing::AssertionResult restarts(const std::string& db_url);
::testing::AssertionResult audit_verifies(const std::string& db_url);
::testing::AssertionResult store_intact(const std::string& db_url);

// Every change is all or nothing, read back from the tables (not through the services):
//   each user has exactly its one user.create audit record, and no such record lacks its user;
//   each party has its search document, and the parties add up to what the party.create and
//   party.bulk_create records say was created.
::testing::AssertionResult changes_complete(const std::string& db_url);

// The single number `sql` counts, read from the database the child left (-1 and a test failure
// when it cannot be read).
std::int64_t count(const std::string& db_url, const std::string& sql);

}  // namespace civicdesk::testing
