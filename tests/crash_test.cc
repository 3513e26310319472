// Crash tests: kill the real civicdesk binary at each named crash point (SIGKILL, see
// core/crash_point.h), restart it on the same database, and check what a power cut must not
// break: the store is intact, the audit chain verifies, every change is all or nothing, and the
// interrupted operation can simply be run again. Every point on every backend.
//
// The operations are CLI commands on a fresh database:
//   demo   `civicdesk demo --parties 3`: migrations, 8 user creations (one transaction each),
//          then one transaction that inserts 3 parties and one party.bulk_create audit record.
//   user   `civicdesk user add clerk ...`: migrations, then one user creation.
// Write transactions in order: demo 1 migration, 2..9 users, 10 parties; user 1 migration, 2 user.
#include <gtest/gtest.h>

#include <tuple>

#include "store/db.h"
#include "tests/crash_harness.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

enum class Operation { kDemo, kUserAdd };

struct CrashCase {
  const char* point;  // a CRASH_POINT name
  int hit;            // crash the hit-th time the point is reached
  Operation operation;
  const char* why;  // what the process was in the middle of
};

const CrashCase kCases[] = {
    {"party.create.after_insert", 1, Operation::kDemo, "first party row, children, search doc"},
    {"party.create.after_insert", 3, Operation::kDemo, "third party of the batch"},
    {"audit.append.after_insert", 1, Operation::kUserAdd, "user.create record, head not moved"},
    {"audit.append.after_insert", 9, Operation::kDemo, "party.bulk_create record"},
    {"tx.before_commit", 1, Operation::kUserAdd, "the migration transaction"},
    {"tx.before_commit", 2, Operation::kUserAdd, "the user creation"},
    {"tx.before_commit", 10, Operation::kDemo, "the party batch"},
};

std::vector<std::string> operation_args(Operation op) {
  if (op == Operation::kDemo) return {"demo", "--parties", "3"};
  return {"user", "add", "clerk", "--name", "Casey Clerk", "--role", "csr1", "--password",
          "correct-horse-battery"};
}

using CrashParam = std::tuple<std::string, CrashCase>;  // backend, case

class CrashTest : public ::testing::TestWithParam<CrashParam> {
 protected:
  const std::string& backend() const { return std::get<0>(GetParam()); }
  const CrashCase& crash() const { return std::get<1>(GetParam()); }
  std::string crash_at() const { return std::string(crash().point) + ":" + std::to_string(crash().hit); }

  // Users and parties a clean, complete run of the operation leaves.
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
    EXPECT_EQ(counts->first, demo ? 8 : 1);
    EXPECT_EQ(counts->second, demo ? 3 : 0);
  }
};

TEST_P(CrashTest, RestartsWithInvariantsIntact) {
  std::string url = fresh_database_url(backend());
  ASSERT_FALSE(url.empty());
  SCOPED_TRACE("CIVICDESK_CRASH_AT=" + crash_at() + " (" + crash().why + ") on " + backend());

  ChildResult crashed = run_civicdesk(url, operation_args(crash().operation),
                                      {{"CIVICDESK_CRASH_AT", crash_at()}});
  // A point that is never reached tests nothing: the case list must match the code's paths.
  ASSERT_TRUE(crashed.killed_by_crash_point()) << crashed.describe();

  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_TRUE(changes_complete(url));

  // Every point is before a commit, so nothing of the interrupted transaction may remain, and
  // running the operation again completes it exactly once.
  ChildResult again = run_civicdesk(url, operation_args(crash().operation));
  ASSERT_TRUE(again.exited_ok()) << again.describe();
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_TRUE(changes_complete(url));
  expect_complete_run(url);
}

// Without CIVICDESK_CRASH_AT the same operations run to the end: the harness itself works.
TEST(CrashHarness, RunsTheBinaryToCompletionWithoutACrashPoint) {
  std::string url = fresh_database_url("sqlite");
  ASSERT_FALSE(url.empty());
  ChildResult r = run_civicdesk(url, operation_args(Operation::kUserAdd));
  ASSERT_TRUE(r.exited_ok()) << r.describe();
  EXPECT_NE(r.output.find("created user clerk"), std::string::npos) << r.output;
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_TRUE(changes_complete(url));
}

// A crash point past the last one reached never fires.
TEST(CrashHarness, APointNotReachedLetsTheChildExit) {
  std::string url = fresh_database_url("sqlite");
  ASSERT_FALSE(url.empty());
  ChildResult r = run_civicdesk(url, operation_args(Operation::kUserAdd),
                                {{"CIVICDESK_CRASH_AT", "tx.before_commit:3"}});
  EXPECT_TRUE(r.exited_ok()) << r.describe();
}

std::string case_name(const ::testing::TestParamInfo<CrashParam>& info) {
  const auto& [backend, c] = info.param;
  std::string name = std::string(c.point) + "_" + std::to_string(c.hit) + "_" +
                     (c.operation == Operation::kDemo ? "demo" : "user") + "_" + backend;
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
