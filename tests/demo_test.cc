// The demo City's receivables: the counter and mail room can be used straight after `demo`.
#include <gtest/gtest.h>

#include "demo/demo_city.h"
#include "ledger/ledger_check.h"
#include "remittance/scanline.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

class DemoTest : public AppTest {};

std::int64_t count(App& app, const std::string& sql) {
  auto n = app.db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
  EXPECT_TRUE(n) << n.error().message;
  return n ? *n : -1;
}

TEST_P(DemoTest, FirstAccountsGetBillsCitationsAndLicensesThatBalance) {
  auto summary = demo::generate(*app_, 30, 12, 7);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->parties_created, 30);
  // 12 bills; citations for party ids divisible by 3, licenses for 5, among ids 1..12.
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM obligations WHERE kind = 'utility_bill'"), 12);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM obligations WHERE kind = 'citation'"), 4);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM obligations WHERE kind = 'license'"), 2);
  EXPECT_EQ(summary->obligations_created, 18);
  EXPECT_EQ(count(*app_, "SELECT COUNT(DISTINCT party_id) FROM obligations"), 12);
  // The printed stub is for a real bill: its scanline's account and amount match the ledger.
  EXPECT_EQ(summary->first_account, 1001);
  EXPECT_EQ(
      summary->first_account_due_cents,
      count(*app_, "SELECT balance_cents FROM obligations WHERE account_ref = 'utility:1001'"));
  auto line = remittance::parse_scanline(
      remittance::make_scanline(summary->first_account, summary->first_account_due_cents));
  ASSERT_TRUE(line);
  auto report = ledger::check(app_->db());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->problems.empty());

  // A second run adds parties and bills for them, with new account numbers.
  auto again = demo::generate(*app_, 5, 5, 7);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->first_account, 1031);
  EXPECT_EQ(count(*app_,
                  "SELECT COUNT(DISTINCT account_ref) FROM obligations WHERE kind = "
                  "'utility_bill'"),
            17);
}

TEST_P(DemoTest, NoAccountsMeansNoReceivables) {
  auto summary = demo::generate(*app_, 3, 0, 7);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->obligations_created, 0);
  EXPECT_EQ(summary->first_account, 0);
  EXPECT_EQ(count(*app_, "SELECT COUNT(*) FROM obligations"), 0);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(DemoTest);

}  // namespace
}  // namespace civicdesk::testing
