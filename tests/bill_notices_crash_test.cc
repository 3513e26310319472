// Crash: kill the real binary in the middle of `civicdesk billing notices` (SIGKILL at a crash
// point, after the first transaction of 200 accounts committed), restart, run again: the same
// batch finishes, every past-due account has exactly one late notice per bill and one shut-off
// notice, the audit chain verifies, and the PDF is written.
#include <filesystem>

#include "store/db.h"
#include "store/migrations.h"
#include "tests/crash_harness.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

class BillNoticesCrashTest : public ::testing::TestWithParam<std::string> {};

constexpr std::int64_t kAccounts = 450;  // three transactions of the demo City's 200

// kAccounts accounts, each with one issued $100.00 bill due 2026-09-01 and unpaid, loaded straight
// into the tables like a conversion (no journal: this test checks the notices, not the books).
void load_past_due(const std::string& url) {
  auto db = store::open_database(url);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(store::migrate(**db));
  const std::string s =
      "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " +
      std::to_string(kAccounts) + ") ";
  auto loaded = (*db)->write<bool>([&](store::Connection& c) -> Result<bool> {
    CD_TRY(c.exec(s + "INSERT INTO parties (id, kind, first_name, last_name, display_name, "
                      "name_key, created_us, updated_us) SELECT i, 'person', 'Late', 'Payer ' "
                      "|| i, 'Late Payer ' || i, 'late payer', 0, 0 FROM s"));
    CD_TRY(
        c.exec("INSERT INTO cycles (id, code, name, read_day, period_months, created_us) "
               "VALUES (1, 'K1', 'Crash cycle', 5, 1, 0)"));
    CD_TRY(c.exec(s + "INSERT INTO premises (id, line1, city, state, postal_code, address_key, "
                      "premise_type, created_us) SELECT i, i || ' LATE ST', 'RIVERTON', 'CA', "
                      "'95000', 'late ' || i, 'single_family', 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO utility_accounts (id, number, party_id, premise_id, cycle_id, "
                      "status, opened_on, created_us, updated_us) SELECT i, 7000 + i, i, i, 1, "
                      "'active', '2026-01-05', 0, 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO obligations (id, party_id, account_ref, kind, description, "
                      "due_date, status, original_cents, balance_cents, created_us) SELECT i, i, "
                      "'utility:' || CAST(7000 + i AS TEXT), 'utility_bill', 'Utility bill', "
                      "'2026-09-01', 'open', 10000, 10000, 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO bills (account_id, account_number, party_id, kind, "
                      "period_from, period_to, days, bill_date, due_date, obligation_id, "
                      "total_cents, status, created_by_name, created_us) SELECT i, 7000 + i, i, "
                      "'regular', '2026-07-01', '2026-08-01', 31, '2026-08-11', '2026-09-01', i, "
                      "10000, 'issued', 'test', 0 FROM s"));
    return true;
  });
  ASSERT_TRUE(loaded) << loaded.error().message;
}

TEST_P(BillNoticesCrashTest, KilledMidRunThenRunAgainNoticesEveryAccountOnce) {
  std::string url = fresh_database_url(GetParam());
  ASSERT_FALSE(url.empty());
  load_past_due(url);
  if (HasFatalFailure()) return;
  // 2026-10-24 is 53 days after the due date: a late and a shut-off notice for each account.
  const std::string pdf =
      (std::filesystem::temp_directory_path() / ("notices-crash-" + GetParam() + ".pdf")).string();
  const std::vector<std::string> args = {"billing",    "notices", "--date",
                                         "2026-10-24", "--out",   pdf};

  // The 300th account is in the second transaction: the first 200 are committed.
  ChildResult crashed =
      run_civicdesk(url, args, {{"CIVICDESK_CRASH_AT", "billing.notices.after_account:300"}});
  ASSERT_TRUE(crashed.killed_by_crash_point()) << crashed.describe();
  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notice_batches WHERE status = 'running'"), 1);
  EXPECT_EQ(count(url, "SELECT accounts FROM bill_notice_batches"), 200);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notices"), 2 * 200);

  ChildResult again = run_civicdesk(url, args);
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_NE(again.output.find(std::to_string(kAccounts) + " late notices"), std::string::npos)
      << again.output;
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notice_batches"), 1);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notice_batches WHERE status = 'finished'"), 1);
  EXPECT_EQ(count(url, "SELECT accounts FROM bill_notice_batches"), kAccounts);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notices WHERE kind = 'late'"), kAccounts);
  EXPECT_EQ(count(url, "SELECT COUNT(DISTINCT bill_id) FROM bill_notices WHERE kind = 'late'"),
            kAccounts);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notices WHERE kind = 'shutoff'"), kAccounts);
  EXPECT_EQ(count(url,
                  "SELECT COUNT(DISTINCT account_id) FROM bill_notices WHERE kind = "
                  "'shutoff'"),
            kAccounts);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notice_lines"), 2 * kAccounts);
  EXPECT_TRUE(std::filesystem::file_size(pdf) > 0);
  // Run once more: the same batch, nothing new.
  ChildResult third = run_civicdesk(url, args);
  ASSERT_EQ(third.exit_code, 0) << third.describe();
  EXPECT_NE(third.output.find("run before"), std::string::npos) << third.output;
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_notices"), 2 * kAccounts);
  EXPECT_TRUE(audit_verifies(url));
  std::filesystem::remove(pdf);
}

INSTANTIATE_TEST_SUITE_P(Backends, BillNoticesCrashTest, ::testing::ValuesIn(test_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace civicdesk::testing
