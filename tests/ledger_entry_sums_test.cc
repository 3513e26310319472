// write_entry sums an entry's effects per row (one UPDATE per obligation, charge line, payment,
// party and GL account instead of one per journal line) and inserts its lines 16 to a statement.
// These tests post entries whose lines share those rows and span several INSERTs, and check that
// the stored lines and balances are exactly what applying line by line leaves: each line as
// posted and in order, every balance equal to the journal's sums (`ledger check`). Both databases.
#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

using ledger::ChargeRequest;
using ledger::PaymentRequest;

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}

class LedgerEntrySumsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    user_ = make_user("csr2");
    party_ = new_party("Sam", "Summed");
    ASSERT_GT(party_, 0);
  }
  Actor actor() const { return Actor{user_.id, user_.username, user_.role, "req", "127.0.0.1"}; }
  store::Rows rows(const std::string& sql, const store::Params& params = {}) {
    auto r = app_->db().read<store::Rows>(
        [&](store::Connection& c) -> Result<store::Rows> { return c.query(sql, params); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : store::Rows{};
  }
  std::int64_t one(const std::string& sql, const store::Params& params = {}) {
    auto r = rows(sql, params);
    return r.size() == 1 ? r[0].integer(0) : -1;
  }
  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }
  security::User user_;
  std::int64_t party_ = 0;
};

// 20 lines over three funds: 40 journal lines (three INSERTs of 16, 16 and 8), one obligation,
// one party and six GL accounts, each touched many times by the one entry.
TEST_P(LedgerEntrySumsTest, ManyLinesOnOneObligationPostAsAppliedOneByOne) {
  const std::vector<std::string> accounts = {"4000-WATER", "4000-SEWER", "4000-REFUSE"};
  ChargeRequest r{party_,   "utility:1", "utility_bill", "Utility bill", CivilDate{2026, 11, 1}, {},
                  "bill:1", ""};
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> by_account;
  for (int i = 0; i < 20; ++i) {
    const std::string& account = accounts[i % 3];
    const std::int64_t cents = 100 + 7 * i;
    r.lines.push_back({"Line " + std::to_string(i + 1), account, usd(cents), false});
    total += cents;
    by_account[account] += cents;
  }
  auto o = app_->ledger().charge(actor(), r);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->balance.cents(), total);
  ASSERT_EQ(o->lines.size(), 20u);
  for (std::size_t i = 0; i < o->lines.size(); ++i)
    EXPECT_EQ(o->lines[i].balance.cents(), o->lines[i].amount.cents()) << "line " << i + 1;

  // The journal lines as add_pair made them: Dr receivable / Cr revenue per charge line, in order.
  auto lines = rows(
      "SELECT l.account, l.debit_cents, l.credit_cents, l.charge_line_id FROM journal_lines l "
      "JOIN obligations o ON o.charge_entry_id = l.entry_id WHERE o.id = ? ORDER BY l.id",
      {o->id});
  ASSERT_EQ(lines.size(), 40u);
  for (std::size_t i = 0; i < 20; ++i) {
    const auto& dr = lines[2 * i];
    const auto& cr = lines[2 * i + 1];
    const std::string& fund = o->lines[i].fund;
    EXPECT_EQ(dr.text(0), "1200-" + fund) << "line " << i + 1;
    EXPECT_EQ(dr.integer(1), o->lines[i].amount.cents());
    EXPECT_EQ(dr.integer(3), o->lines[i].id);
    EXPECT_EQ(cr.text(0), o->lines[i].revenue_account);
    EXPECT_EQ(cr.integer(2), o->lines[i].amount.cents());
  }
  EXPECT_EQ(one("SELECT receivable_cents FROM party_balances WHERE party_id = ?", {party_}), total);
  for (const auto& [account, cents] : by_account)
    EXPECT_EQ(one("SELECT credit_cents FROM account_balances WHERE account = ?", {account}), cents)
        << account;
  expect_books_agree();

  // A payment that pays part of it: one entry crediting many lines of the same obligation.
  PaymentRequest pay{party_, usd(total - 50), "cash", "counter", "Sam", "", "", {}, "k1"};
  auto paid = app_->ledger().pay(actor(), pay);
  ASSERT_TRUE(paid) << paid.error().message;
  auto after = app_->ledger().obligation(o->id);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->balance.cents(), 50);
  std::int64_t open = 0;
  for (const auto& l : after->lines) open += l.balance.cents();
  EXPECT_EQ(open, 50);
  EXPECT_EQ(one("SELECT receivable_cents FROM party_balances WHERE party_id = ?", {party_}), 50);
  expect_books_agree();
}

// An overpayment and the credit it leaves consumed by the next charge: unapplied-credit lines
// (payments and the party's credit) summed the same way.
TEST_P(LedgerEntrySumsTest, CreditAppliedAcrossFundsKeepsPaymentAndPartyBalances) {
  ChargeRequest first{party_,
                      "",
                      "utility_bill",
                      "First",
                      CivilDate{2026, 10, 1},
                      {{"Water", "4000-WATER", usd(1000), false}},
                      "",
                      ""};
  ASSERT_TRUE(app_->ledger().charge(actor(), first));
  PaymentRequest pay{party_, usd(5000), "cash", "counter", "Sam", "", "", {}, "k2"};
  auto paid = app_->ledger().pay(actor(), pay);
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(one("SELECT credit_cents FROM party_balances WHERE party_id = ?", {party_}), 4000);
  ChargeRequest second{party_,
                       "",
                       "utility_bill",
                       "Second",
                       CivilDate{2026, 11, 1},
                       {{"Water", "4000-WATER", usd(700), false},
                        {"Sewer", "4000-SEWER", usd(800), false},
                        {"Refuse", "4000-REFUSE", usd(900), false},
                        {"Water usage", "4000-WATER", usd(600), false}},
                       "",
                       ""};
  auto o = app_->ledger().charge(actor(), second);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->balance.cents(), 0);  // the credit paid all of it
  EXPECT_EQ(one("SELECT unapplied_cents FROM payments WHERE id = ?", {paid->payment.id}), 1000);
  EXPECT_EQ(one("SELECT credit_cents FROM party_balances WHERE party_id = ?", {party_}), 1000);
  EXPECT_EQ(one("SELECT receivable_cents FROM party_balances WHERE party_id = ?", {party_}), 0);
  expect_books_agree();
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(LedgerEntrySumsTest);

}  // namespace
}  // namespace civicdesk::testing
