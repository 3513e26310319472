// Lookups that must not scan a whole table, checked in SQLite's query plan for their own WHERE
// clauses: a plate without its state (migration 019), an account's open read exceptions in a
// bill run (migration 020).
#include <gtest/gtest.h>

#include "store/db.h"
#include "store/migrations.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

// SQLite's plan for `sql` (the detail column of each step, one per line), on a migrated database.
std::string plan_of(const std::string& sql, const store::Params& params) {
  auto db = fresh_database("sqlite");
  EXPECT_TRUE(db) << db.error().message;
  if (!db) return "";
  EXPECT_TRUE(store::migrate(**db));
  auto plan = (*db)->read<std::string>([&](store::Connection& c) -> Result<std::string> {
    CD_ASSIGN(auto rows, c.query("EXPLAIN QUERY PLAN " + sql, params));
    std::string out;
    for (const auto& r : rows) out += r.text(3) + "\n";
    return out;
  });
  EXPECT_TRUE(plan) << plan.error().message;
  return plan ? *plan : "";
}

TEST(QueryPlan, APlateWithoutItsStateIsARangeRead) {
  const std::string plan = plan_of(
      "SELECT id FROM citations c WHERE c.plate = ? ORDER BY c.issued_on DESC, c.id DESC LIMIT 500",
      {std::string("7ABC123")});
  EXPECT_NE(plan.find("USING INDEX citations_plate_any_state"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN c\n"), std::string::npos) << plan;
}

TEST(QueryPlan, ABillRunReadsOnlyItsAccountsOpenReadExceptions) {
  const std::string plan = plan_of(
      "SELECT COUNT(*) FROM read_exceptions e JOIN reads r ON r.id = e.read_id WHERE "
      "e.account_id = ? AND e.status IN ('open', 'reread') AND r.read_on <= ?",
      {std::int64_t{42}, std::string("2026-11-05")});
  EXPECT_NE(plan.find("USING INDEX read_exceptions_account"), std::string::npos) << plan;
}

}  // namespace
}  // namespace civicdesk::testing
