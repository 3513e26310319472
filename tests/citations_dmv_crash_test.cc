// Crash: kill the real binary while it reads a DMV response file — once while it creates the
// owners' parties (before the file's transaction), once in the middle of that transaction, after
// some citations were named and their money moved — restart, read the same file again: every
// owner is one party (the rerun matches what the killed run created), every citation is named
// once, the books balance and the audit chain verifies. The SFMTA sample gives 1,097 plates,
// 961 of them found by the sandbox DMV.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "citations/citations_test_support.h"
#include "citations/dmv_files.h"
#include "ledger/ledger_check.h"
#include "store/db.h"
#include "tests/crash_harness.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

class CitationsDmvCrashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CitationsDmvCrashTest, KilledWhileReadingAResponseThenReadAgainNamesEachOwnerOnce) {
  std::string url = fresh_database_url(GetParam());
  ASSERT_FALSE(url.empty());
  const std::string sample =
      (citations::testing::shared_testdata() / "sf-parking-citations-sample/test.csv").string();
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("dmv_crash_" + GetParam() + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string request = (dir / "request.txt").string();
  const std::string response = (dir / "response.txt").string();

  ChildResult imported = run_civicdesk(url, {"citations", "import", "--format", "sf", sample});
  ASSERT_EQ(imported.exit_code, 3) << imported.describe();  // two lines refused
  ChildResult asked =
      run_civicdesk(url, {"citations", "dmv-requests", "--date", "2026-11-26", "--out", request});
  ASSERT_TRUE(asked.exited_ok()) << asked.describe();
  auto answer =
      citations::sandbox_respond(citations::testing::read_text(request), CivilDate{2026, 11, 27});
  ASSERT_TRUE(answer) << answer.error().message;
  {
    std::ofstream out(response, std::ios::binary);
    out << *answer;
  }
  const std::int64_t parties_before = count(url, "SELECT COUNT(*) FROM parties");

  // Killed while creating the 500th owner: 499 parties exist, nothing else was recorded.
  ChildResult first = run_civicdesk(url, {"citations", "dmv-responses", response},
                                    {{"CIVICDESK_CRASH_AT", "party.create.after_insert:500"}});
  ASSERT_TRUE(first.killed_by_crash_point()) << first.describe();
  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM parties"), parties_before + 499);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM dmv_files WHERE kind = 'response'"), 0);

  // Killed in the file's transaction after 300 citations were named: all of it rolls back.
  ChildResult second =
      run_civicdesk(url, {"citations", "dmv-responses", response},
                    {{"CIVICDESK_CRASH_AT", "citations.dmv_response.after_citation:300"}});
  ASSERT_TRUE(second.killed_by_crash_point()) << second.describe();
  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM citations WHERE owner_party_id IS NOT NULL"), 0);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM parties"), parties_before + 961);

  ChildResult done = run_civicdesk(url, {"citations", "dmv-responses", response});
  ASSERT_TRUE(done.exited_ok()) << done.describe();
  EXPECT_NE(done.output.find("961 found (961 matched, 0 created)"), std::string::npos)
      << done.output;
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM parties"), parties_before + 961);
  const std::int64_t named =
      count(url, "SELECT COUNT(*) FROM citations WHERE owner_party_id IS NOT NULL");
  EXPECT_GT(named, 900);
  // Every named citation's fine is on its owner's party.
  EXPECT_EQ(count(url,
                  "SELECT COUNT(*) FROM citations c JOIN obligations o ON o.id = "
                  "c.obligation_id WHERE c.owner_party_id IS NOT NULL AND "
                  "o.party_id <> c.owner_party_id"),
            0);
  ChildResult again = run_civicdesk(url, {"citations", "dmv-responses", response});
  ASSERT_TRUE(again.exited_ok()) << again.describe();
  EXPECT_NE(again.output.find("already read; nothing changed"), std::string::npos) << again.output;
  auto db = store::open_database(url);
  ASSERT_TRUE(db);
  auto rep = ledger::check(**db);
  ASSERT_TRUE(rep) << rep.error().message;
  for (const auto& p : rep->problems) ADD_FAILURE() << p;
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, CitationsDmvCrashTest, ::testing::ValuesIn(test_backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace civicdesk::testing
