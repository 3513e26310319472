// A plate looked up without its state uses an index (migration 019), not a scan of every
// citation: checked in SQLite's query plan for the lookup's own WHERE clause.
#include <gtest/gtest.h>

#include "store/db.h"
#include "store/migrations.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

TEST(CitationPlateIndex, APlateWithoutItsStateIsARangeRead) {
  auto db = fresh_database("sqlite");
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(store::migrate(**db));
  auto plan = (*db)->read<std::string>([](store::Connection& c) -> Result<std::string> {
    CD_ASSIGN(auto rows, c.query("EXPLAIN QUERY PLAN SELECT id FROM citations c WHERE c.plate = ? "
                                 "ORDER BY c.issued_on DESC, c.id DESC LIMIT 500",
                                 {std::string("7ABC123")}));
    std::string out;
    for (const auto& r : rows) out += r.text(3) + "\n";
    return out;
  });
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_NE(plan->find("USING INDEX citations_plate_any_state"), std::string::npos) << *plan;
  EXPECT_EQ(plan->find("SCAN c\n"), std::string::npos) << *plan;
}

}  // namespace
}  // namespace civicdesk::testing
