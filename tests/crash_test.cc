// Crash tests: kill the real civicdesk binary at a named crash point (SIGKILL, see
// core/crash_point.h), restart it on the same database, and check what a power cut must not
// break: the store is intact, the audit chain verifies, every change is all or nothing, and the
// interrupted operation can simply be run again.
//
// Each test takes one (point, operation, backend) and kills the operation at every time it
// passes the point — the 1st, the 2nd, ... on a fresh database each — until a run gets through
// without reaching it. So the cases do not hard-code how many transactions an operation makes
// (a new migration adds one), yet a point the operation no longer passes still fails (min_hits).
//
// The operations are CLI commands on a fresh database:
//   demo   `civicdesk demo --parties 3 --accounts 0` (no demo bills: a rerun adds parties):
//   migrations, 8 user creations (a transaction each), then
//          one transaction inserting 3 parties and one party.bulk_create audit record.
//   user   `civicdesk user add clerk ...`: migrations, then one user creation.
#include <gtest/gtest.h>

#include <ostream>
#include <tuple>

#include "store/db.h"
#include "tests/crash_harness.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

// More hits than any operation here makes; reaching it means the child never got through.
constexpr int kMaxHits = 60;

enum class Operation { kDemo, kUserAdd };

struct CrashCase {
  const char* point;  // a CRASH_POINT name
  Operation operation;
  int min_hits;  // the operation passes the point at least this often
};

// For gtest's messages.
void PrintTo(const CrashCase& c, std::ostream* os) {
  *os << c.point << (c.operation == Operation::kDemo ? " in demo" : " in user add");
}

const CrashCase kCases[] = {
    {"party.create.after_insert", Operation::kDemo, 3},  // each party of the batch
    {"audit.append.after_insert", Operation::kDemo, 9},  // 8 user.create + party.bulk_create
    {"audit.append.after_insert", Operation::kUserAdd, 1},
    {"tx.before_commit", Operation::kDemo, 10},  // migrations, 8 users, the party batch
    {"tx.before_commit", Operation::kUserAdd, 2},
};

std::vector<std::string> operation_args(Operation op) {
  if (op == Operation::kDemo) return {"demo", "--parties", "3", "--accounts", "0"};
  return {"user",   "add",         "clerk",
          "--name", "Casey Clerk", "--role",
          "csr1",   "--password",  "correct-horse-battery"};
}

using CrashParam = std::tuple<std::string, CrashCase>;  // backend, case

class CrashTest : public ::testing::TestWithParam<CrashParam> {
 protected:
  const std::string& backend() const { return std::get<0>(GetParam()); }
  const CrashCase& crash() const { return std::get<1>(GetParam()); }
  std::vector<std::string> args() const { return operation_args(crash().operation); }

  void expect_invariants(const std::string& url) {
    EXPECT_TRUE(store_intact(url));
    EXPECT_TRUE(audit_verifies(url));
    EXPECT_TRUE(changes_complete(url));
  }

  // After a crash: restart, check, then run the operation again to the end.
  void check_after_crash(const std::string& url) {
    ASSERT_TRUE(restarts(url));
    expect_invariants(url);
    ChildResult again = run_civicdesk(url, args());
    ASSERT_TRUE(again.exited_ok()) << "running the operation again: " << again.describe();
    expect_invariants(url);
    expect_complete_run(url);
  }

  // Every crash point is before a commit, so nothing of the interrupted transaction remains and
  // the second run leaves exactly what one clean run leaves.
  void expect_complete_run(const std::string& url) {
    auto db = store::open_database(url);
    ASSERT_TRUE(db) << db.error().message;
    auto counts = (*db)->read<std::pair<std::int64_t, std::int64_t>>(
        [](store::Connection& c) -> Result<std::pair<std::int64_t, std::int64_t>> {
          CD_ASSIGN(auto users, c.query_int("SELECT COUNT(*) FROM users"));
          CD_ASSIGN(auto parties, c.query_int("SELECT COUNT(*) FROM parties"));
          return std::pair{users, parties};
        });
    ASSERT_TRUE(counts) << counts.error().message;
    bool demo = crash().operation == Operation::kDemo;
    EXPECT_EQ(counts->first, demo ? 8 : 1) << "users";
    EXPECT_EQ(counts->second, demo ? 3 : 0) << "parties";
  }
};

TEST_P(CrashTest, EveryHitRestartsWithInvariantsIntact) {
  int hits = 0;
  for (int k = 1; k <= kMaxHits; ++k) {
    std::string crash_at = std::string(crash().point) + ":" + std::to_string(k);
    SCOPED_TRACE("CIVICDESK_CRASH_AT=" + crash_at + " on " + backend());
    std::string url = fresh_database_url(backend());
    ASSERT_FALSE(url.empty());
    ChildResult crashed = run_civicdesk(url, args(), {{"CIVICDESK_CRASH_AT", crash_at}});
    if (crashed.exited_ok()) break;  // the operation passes the point fewer than k times
    ASSERT_TRUE(crashed.killed_by_crash_point()) << crashed.describe();
    ++hits;
    check_after_crash(url);
    if (HasFatalFailure()) return;
    ASSERT_LT(k, kMaxHits) << "the operation never got past the point";
  }
  EXPECT_GE(hits, crash().min_hits)
      << "the operation no longer passes " << crash().point << " as often as this case expects";
}

// Without CIVICDESK_CRASH_AT the operation runs to the end: the harness itself works.
TEST(CrashHarness, RunsTheBinaryToCompletionWithoutACrashPoint) {
  std::string url = fresh_database_url("sqlite");
  ASSERT_FALSE(url.empty());
  ChildResult r = run_civicdesk(url, operation_args(Operation::kUserAdd));
  ASSERT_TRUE(r.exited_ok()) << r.describe();
  EXPECT_NE(r.output.find("created user clerk"), std::string::npos) << r.output;
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_TRUE(changes_complete(url));
}

std::string case_name(const ::testing::TestParamInfo<CrashParam>& info) {
  const auto& [backend, c] = info.param;
  std::string name = std::string(c.point) + "_" +
                     (c.operation == Operation::kDemo ? "demo" : "user_add") + "_" + backend;
  for (char& ch : name)
    if (ch == '.') ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Points, CrashTest,
                         ::testing::Combine(::testing::ValuesIn(test_backends()),
                                            ::testing::ValuesIn(kCases)),
                         case_name);

}  // namespace
}  // namespace civicdesk::testing
