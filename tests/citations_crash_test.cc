// Crash: kill the real binary in the middle of a citation import and of the nightly escalation
// (SIGKILL at a crash point), restart, run again: every citation is charged once and every step
// posted once, the books balance and the audit chain verifies. The SFMTA sample (1,110 accepted)
// spans two import transactions (1,000 each) and two escalation transactions (1,000 citations).
#include <filesystem>

#include "citations/citations_test_support.h"
#include "ledger/ledger_check.h"
#include "store/db.h"
#include "tests/crash_harness.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

class CitationsCrashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CitationsCrashTest, KilledMidImportAndMidEscalationThenRunAgainPostsEachOnce) {
  std::string url = fresh_database_url(GetParam());
  ASSERT_FALSE(url.empty());
  const std::string sample =
      (citations::testing::shared_testdata() / "sf-parking-citations-sample/test.csv").string();

  // The 1,050th citation is in the second transaction: the first 1,000 are committed.
  ChildResult crashed =
      run_civicdesk(url, {"citations", "import", "--format", "sf", sample},
                    {{"CIVICDESK_CRASH_AT", "citations.import.after_citation:1050"}});
  ASSERT_TRUE(crashed.killed_by_crash_point()) << crashed.describe();
  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM citations"), 1000);
  ChildResult again = run_civicdesk(url, {"citations", "import", "--format", "sf", sample});
  EXPECT_EQ(again.exit_code, 3) << again.describe();  // two lines refused
  EXPECT_NE(again.output.find("1110 accepted (110 new, 1000 already stored), 2 refused"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM citations"), 1110);
  EXPECT_EQ(count(url, "SELECT COALESCE(SUM(original_cents), 0) FROM obligations"), 107'602'00);

  // Six steps each; the 6,500th step is in the second transaction (1,000 citations each).
  ChildResult killed =
      run_civicdesk(url, {"citations", "escalate", "--date", "2026-11-26"},
                    {{"CIVICDESK_CRASH_AT", "citations.escalate.after_step:6500"}});
  ASSERT_TRUE(killed.killed_by_crash_point()) << killed.describe();
  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM citation_steps"), 6000);
  ChildResult rerun = run_civicdesk(url, {"citations", "escalate", "--date", "2026-11-26"});
  ASSERT_TRUE(rerun.exited_ok()) << rerun.describe();
  EXPECT_NE(rerun.output.find("660 steps posted (220 penalties, $6,600.00)"), std::string::npos)
      << rerun.output;
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM citation_steps"), 6660);
  EXPECT_EQ(count(url, "SELECT COALESCE(SUM(balance_cents), 0) FROM obligations"),
            107'602'00 + 1110 * 60'00);
  auto db = store::open_database(url);
  ASSERT_TRUE(db);
  auto rep = ledger::check(**db);
  ASSERT_TRUE(rep) << rep.error().message;
  for (const auto& p : rep->problems) ADD_FAILURE() << p;
}

INSTANTIATE_TEST_SUITE_P(Backends, CitationsCrashTest, ::testing::ValuesIn(test_backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace civicdesk::testing
