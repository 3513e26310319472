// Ledger::charge_within: a charge posted inside the caller's write transaction commits and rolls
// back with it, and is checked, replayed and audited like charge(). Both databases.
#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

using ledger::ChargeRequest;

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}

class LedgerChargeWithinTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    user_ = make_user("csr2");
    party_ = new_party("Wren", "Within");
    ASSERT_GT(party_, 0);
  }
  Actor actor() const { return Actor{user_.id, user_.username, user_.role, "req", "127.0.0.1"}; }
  ChargeRequest request(std::int64_t cents, const std::string& key = "") const {
    return ChargeRequest{party_,
                         "plate:CA:7ABC123",
                         "citation",
                         "Parking citation 1001",
                         CivilDate{2026, 11, 1},
                         {{"Fine", "4000-PARKING", usd(cents), false}},
                         "citation:1001",
                         key};
  }
  // Charges inside a write transaction that also writes a row of its own (an audit record, as a
  // caller's own write), then commits or fails with kUnprocessable after the charge.
  Result<ledger::Obligation> charge_in_tx(const ChargeRequest& r, bool fail_after) {
    return app_->db().write<ledger::Obligation>(
        [&](store::Connection& c) -> Result<ledger::Obligation> {
          CD_ASSIGN(auto o, app_->ledger().charge_within(c, actor(), r));
          CD_TRY(c.exec("INSERT INTO citation_holder (id, party_id) VALUES (1, ?)", {party_}));
          if (fail_after) return fail(ErrorCode::kUnprocessable, "the caller's own step failed");
          return o;
        });
  }
  std::int64_t count(const std::string& sql) {
    auto n =
        app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql, {}); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }
  security::User user_;
  std::int64_t party_ = 0;
};

TEST_P(LedgerChargeWithinTest, CommitsWithTheCallersTransaction) {
  auto o = charge_in_tx(request(6500), false);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->status, "open");
  EXPECT_EQ(o->balance.cents(), 6500);
  EXPECT_EQ(o->account_ref, "plate:CA:7ABC123");
  ASSERT_EQ(o->lines.size(), 1u);
  EXPECT_EQ(o->lines[0].fund, app_->city().gl_account("4000-PARKING")->fund);

  auto stored = app_->ledger().obligation(o->id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->balance.cents(), 6500);
  EXPECT_EQ(app_->ledger().balance_of(party_)->receivable.cents(), 6500);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_holder"), 1);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.charge' AND entity_id = '" +
            std::to_string(o->id) + "'"),
      1);
  expect_books_agree();
}

TEST_P(LedgerChargeWithinTest, RollsBackWithTheCallersTransaction) {
  auto o = charge_in_tx(request(6500), true);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charge_lines"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journal_entries"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_holder"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.charge'"), 0);
  EXPECT_EQ(app_->ledger().balance_of(party_)->receivable.cents(), 0);
  expect_books_agree();
}

TEST_P(LedgerChargeWithinTest, RefusesWhatChargeRefuses) {
  ChargeRequest bad_kind = request(6500);
  bad_kind.kind = "no_such_kind";
  auto o = charge_in_tx(bad_kind, false);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(o.error().field, "kind");

  ChargeRequest zero = request(0);
  o = charge_in_tx(zero, false);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().field, "lines[0].amount");

  ChargeRequest nobody = request(6500);
  nobody.party_id = party_ + 1000;
  o = charge_in_tx(nobody, false);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations"), 0);
}

TEST_P(LedgerChargeWithinTest, SameKeyReplaysTheFirstCharge) {
  auto first = charge_in_tx(request(6500, "cw-1"), false);
  ASSERT_TRUE(first) << first.error().message;
  auto again = app_->db().write<ledger::Obligation>([&](store::Connection& c) {
    return app_->ledger().charge_within(c, actor(), request(9900, "cw-1"));
  });
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->original.cents(), 6500);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations"), 1);
  expect_books_agree();
}

// An overpayment is credit; the City applies credit to new charges, unless the request says not
// to (the citations' holding party: one plate's money must not pay another plate's fine).
TEST_P(LedgerChargeWithinTest, AppliesCreditUnlessTheRequestSaysNot) {
  ledger::PaymentRequest pay{party_, usd(3000), "cash", "counter", "Wren", "", "", {}, "pay-1"};
  ASSERT_TRUE(app_->ledger().pay(actor(), pay));
  ASSERT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 3000);

  ChargeRequest kept = request(2000);
  kept.apply_credit = false;
  auto untouched = app_->db().write<ledger::Obligation>(
      [&](store::Connection& c) { return app_->ledger().charge_within(c, actor(), kept); });
  ASSERT_TRUE(untouched) << untouched.error().message;
  EXPECT_EQ(untouched->balance.cents(), 2000);
  EXPECT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 3000);

  auto paid = app_->db().write<ledger::Obligation>([&](store::Connection& c) {
    return app_->ledger().charge_within(c, actor(), request(2000));
  });
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(paid->balance.cents(), 0);
  EXPECT_EQ(paid->status, "paid");
  EXPECT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 1000);
  expect_books_agree();
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(LedgerChargeWithinTest);

}  // namespace
}  // namespace civicdesk::testing
