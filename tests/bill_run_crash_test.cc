// Crash: kill the real binary in the middle of `civicdesk billing run` (SIGKILL at a crash
// point, after the first batch of 500 accounts committed), restart, run again: every account of
// the cycle is billed or on the exception list exactly once, no account has two bills, each bill
// has its obligation, the books balance and the audit chain verifies.
#include "ledger/ledger_check.h"
#include "store/db.h"
#include "store/migrations.h"
#include "tests/crash_harness.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

class BillRunCrashTest : public ::testing::TestWithParam<std::string> {};

constexpr std::int64_t kAccounts = 600;  // two batches of the demo City's 500

// A cycle of kAccounts accounts (water, sewer, refuse on RES; a meter; a read a month after
// move-in), loaded straight into the tables like a conversion.
void load_cycle(const std::string& url) {
  auto db = store::open_database(url);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(store::migrate(**db));
  const std::string s =
      "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " +
      std::to_string(kAccounts) + ") ";
  auto loaded = (*db)->write<bool>([&](store::Connection& c) -> Result<bool> {
    CD_TRY(c.exec(s + "INSERT INTO parties (id, kind, first_name, last_name, display_name, "
                      "name_key, created_us, updated_us) SELECT i, 'person', 'Crash', 'Payer ' "
                      "|| i, 'Crash Payer ' || i, 'crash payer', 0, 0 FROM s"));
    CD_TRY(
        c.exec("INSERT INTO cycles (id, code, name, read_day, period_months, created_us) "
               "VALUES (1, 'K1', 'Crash cycle', 5, 1, 0)"));
    CD_TRY(c.exec(s + "INSERT INTO premises (id, line1, city, state, postal_code, address_key, "
                      "premise_type, created_us) SELECT i, i || ' CRASH ST', 'RIVERTON', 'CA', "
                      "'95000', 'crash ' || i, 'single_family', 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO utility_accounts (id, number, party_id, premise_id, cycle_id, "
                      "status, opened_on, created_us, updated_us) SELECT i, 5000 + i, i, i, 1, "
                      "'active', '2026-01-05', 0, 0 FROM s"));
    for (std::string kind : {"water", "sewer", "refuse"})
      CD_TRY(c.exec(s +
                    "INSERT INTO services (account_id, kind, rate_class, started_on, "
                    "created_us) SELECT i, '" +
                    kind + "', 'RES', '2026-01-05', 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO refuse_carts (account_id, size_gallons, cart_count, "
                      "pickups_per_week, started_on, created_us) SELECT i, 64, 1, 1, "
                      "'2026-01-05', 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO meters (id, serial, size, dials, multiplier, unit, "
                      "created_us) SELECT i, 'KM' || i, '5/8\"', 4, 1, 'ccf', 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO meter_installs (id, meter_id, premise_id, account_id, "
                      "installed_on, initial_read, created_us) SELECT i, i, i, i, '2026-01-05', "
                      "1000, 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO reads (meter_id, install_id, account_id, read_on, value, "
                      "kind, source, status, created_by_name, created_us) SELECT i, i, i, "
                      "'2026-01-05', 1000, 'initial', 'install', 'accepted', 'test', 0 FROM s"));
    CD_TRY(c.exec(s + "INSERT INTO reads (meter_id, install_id, account_id, read_on, value, "
                      "kind, source, status, register_units, usage_mccf, days, created_by_name, "
                      "created_us) SELECT i, i, i, '2026-02-05', 1005 + i % 20, 'actual', "
                      "'handheld', 'accepted', 5 + i % 20, (5 + i % 20) * 1000, 31, 'test', 0 "
                      "FROM s"));
    return true;
  });
  ASSERT_TRUE(loaded) << loaded.error().message;
}

TEST_P(BillRunCrashTest, KilledMidRunThenRunAgainReachesEveryAccountOnce) {
  std::string url = fresh_database_url(GetParam());
  ASSERT_FALSE(url.empty());
  load_cycle(url);
  if (HasFatalFailure()) return;

  // The 550th account is in the second transaction: the first 500 are committed.
  ChildResult crashed =
      run_civicdesk(url, {"billing", "run", "--cycle", "K1", "--period-end", "2026-02-05"},
                    {{"CIVICDESK_CRASH_AT", "billing.run.after_account:550"}});
  ASSERT_TRUE(crashed.killed_by_crash_point()) << crashed.describe();
  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_run_accounts"), 500);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_runs WHERE status = 'running'"), 1);

  ChildResult again =
      run_civicdesk(url, {"billing", "run", "--cycle", "K1", "--period-end", "2026-02-05"});
  ASSERT_TRUE(again.exit_code == 0 || again.exit_code == 3) << again.describe();
  EXPECT_NE(again.output.find(std::to_string(kAccounts) + " accounts"), std::string::npos)
      << again.output;
  // One run, finished; every account reached once; billed ones have one bill and one obligation.
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_runs"), 1);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_runs WHERE status = 'finished'"), 1);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bill_run_accounts"), kAccounts);
  EXPECT_EQ(count(url, "SELECT COUNT(DISTINCT account_id) FROM bill_run_accounts"), kAccounts);
  EXPECT_EQ(count(url, "SELECT billed + exceptions + skipped FROM bill_runs"), kAccounts);
  EXPECT_EQ(count(url,
                  "SELECT COUNT(*) FROM bill_run_accounts WHERE status = 'exception' AND "
                  "reason_code = ''"),
            0);
  const std::int64_t billed = count(url, "SELECT billed FROM bill_runs");
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bills"), billed);
  EXPECT_EQ(count(url, "SELECT COUNT(DISTINCT account_id) FROM bills"), billed);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bills WHERE obligation_id IS NOT NULL"), billed);
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM obligations WHERE kind = 'utility_bill'"), billed);
  // Run once more: nothing new.
  ChildResult third =
      run_civicdesk(url, {"billing", "run", "--cycle", "K1", "--period-end", "2026-02-05"});
  ASSERT_TRUE(third.exit_code == 0 || third.exit_code == 3) << third.describe();
  EXPECT_EQ(count(url, "SELECT COUNT(*) FROM bills"), billed);
  EXPECT_TRUE(audit_verifies(url));
  auto db = store::open_database(url);
  ASSERT_TRUE(db);
  auto rep = ledger::check(**db);
  ASSERT_TRUE(rep) << rep.error().message;
  for (const auto& p : rep->problems) ADD_FAILURE() << p;
}

INSTANTIATE_TEST_SUITE_P(Backends, BillRunCrashTest, ::testing::ValuesIn(test_backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace civicdesk::testing
