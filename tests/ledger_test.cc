// The ledger's operations end to end on both databases, each followed by `ledger check`.
#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

using ledger::ChargeRequest;
using ledger::PaymentRequest;

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}

class LedgerTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr2", "csr3", "supervisor", "finance"}) users_[role] = make_user(role);
    party_ = new_party("Lena", "Ledger");
  }
  Actor as(const std::string& role) {
    const auto& u = users_.at(role);
    return Actor{u.id, u.username, u.role, "req", "127.0.0.1"};
  }
  ledger::Obligation charge(std::int64_t party, const std::string& kind, std::int64_t cents,
                            CivilDate due, const std::string& account = "4000-WATER") {
    ChargeRequest r{
        party, "", kind, kind + " charge", due, {{"Service", account, usd(cents), false}}, "", ""};
    auto o = app_->ledger().charge(as("csr2"), r);
    EXPECT_TRUE(o) << o.error().message;
    return o ? *o : ledger::Obligation{};
  }
  ledger::PaymentResult pay(std::int64_t cents, const std::string& key,
                            std::vector<std::int64_t> directed = {}) {
    PaymentRequest r{party_, usd(cents), "cash", "counter", "Lena", "", "", directed, key};
    auto p = app_->ledger().pay(as("csr2"), r);
    EXPECT_TRUE(p) << p.error().message;
    return p ? *p : ledger::PaymentResult{};
  }
  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }
  std::int64_t balance(std::int64_t obligation_id) {
    return app_->ledger().obligation(obligation_id)->balance.cents();
  }
  std::map<std::string, security::User> users_;
  std::int64_t party_ = 0;
  CivilDate d1{2026, 10, 1}, d2{2026, 11, 1};
};

TEST_P(LedgerTest, PaymentAllocatesByKindPriorityThenOldestDue) {
  auto citation = charge(party_, "citation", 5000, d1, "4000-PARKING");
  auto newer_bill = charge(party_, "utility_bill", 4000, d2);
  auto older_bill = charge(party_, "utility_bill", 3000, d1);
  auto result = pay(8000, "k1");
  ASSERT_EQ(result.allocations.size(), 3u);
  EXPECT_EQ(result.allocations[0].obligation_id, older_bill.id);
  EXPECT_EQ(result.allocations[1].obligation_id, newer_bill.id);
  EXPECT_EQ(result.allocations[2].obligation_id, citation.id);
  EXPECT_EQ(balance(older_bill.id), 0);
  EXPECT_EQ(balance(newer_bill.id), 0);
  EXPECT_EQ(balance(citation.id), 4000);
  EXPECT_EQ(app_->ledger().obligation(older_bill.id)->status, "paid");
  expect_books_agree();
}

TEST_P(LedgerTest, SameKeyPostsOnceAndReplays) {
  charge(party_, "utility_bill", 3000, d1);
  auto first = pay(1000, "same-key");
  auto again = pay(1000, "same-key");
  EXPECT_FALSE(first.replayed);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(first.payment.id, again.payment.id);
  EXPECT_EQ(app_->ledger().payments_of(party_)->size(), 1u);
  expect_books_agree();
}

TEST_P(LedgerTest, DirectedPaymentPaysOnlyWhatTheCustomerNames) {
  auto a = charge(party_, "utility_bill", 3000, d1);
  auto b = charge(party_, "citation", 2000, d2, "4000-PARKING");
  auto r = pay(2000, "k", {b.id});
  EXPECT_EQ(balance(a.id), 3000);
  EXPECT_EQ(balance(b.id), 0);
  expect_books_agree();
}

TEST_P(LedgerTest, OverpaymentBecomesCreditThatTheNextChargeConsumes) {
  charge(party_, "utility_bill", 3000, d1);
  auto r = pay(5000, "k");
  EXPECT_EQ(r.payment.unapplied.cents(), 2000);
  EXPECT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 2000);
  auto next = charge(party_, "citation", 1500, d2, "4000-PARKING");  // another fund
  EXPECT_EQ(next.balance.cents(), 0);
  EXPECT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 500);
  expect_books_agree();
}

TEST_P(LedgerTest, AdjustmentWithinLimitPostsAboveLimitWaitsForADifferentApprover) {
  auto o = charge(party_, "utility_bill", 50000, d1);
  ledger::AdjustmentRequest small{o.id, 0, "credit", usd(2500), "GOODWILL", "", "a1"};
  auto posted = app_->ledger().adjust(as("csr2"), small);
  ASSERT_TRUE(posted) << posted.error().message;
  EXPECT_TRUE(posted->posted);
  EXPECT_EQ(balance(o.id), 47500);

  ledger::AdjustmentRequest big{o.id, 0, "credit", usd(2501), "GOODWILL", "", "a2"};
  auto waiting = app_->ledger().adjust(as("csr2"), big);
  ASSERT_TRUE(waiting);
  ASSERT_FALSE(waiting->posted);
  EXPECT_EQ(balance(o.id), 47500);
  auto id = waiting->approval->id;
  // The requester cannot approve; a CSR III can (limit $250).
  EXPECT_EQ(app_->ledger().decide(as("csr2"), id, true, "").error().code,
            ErrorCode::kUnprocessable);
  auto approved = app_->ledger().decide(as("csr3"), id, true, "ok");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(balance(o.id), 47500 - 2501);
  // Above a CSR III's authority.
  ledger::AdjustmentRequest huge{o.id, 0, "credit", usd(30000), "GOODWILL", "", "a3"};
  auto w2 = app_->ledger().adjust(as("csr2"), huge);
  EXPECT_EQ(app_->ledger().decide(as("csr3"), w2->approval->id, true, "").error().code,
            ErrorCode::kForbidden);
  EXPECT_TRUE(app_->ledger().decide(as("supervisor"), w2->approval->id, true, ""));
  expect_books_agree();
}

TEST_P(LedgerTest, CreditAdjustmentCannotExceedWhatIsOwed) {
  auto o = charge(party_, "utility_bill", 1000, d1);
  ledger::AdjustmentRequest r{o.id, 0, "credit", usd(1001), "GOODWILL", "", "x"};
  EXPECT_EQ(app_->ledger().adjust(as("supervisor"), r).error().code, ErrorCode::kUnprocessable);
}

TEST_P(LedgerTest, RefundNeedsASecondPersonThenIsIssued) {
  charge(party_, "utility_bill", 1000, d1);
  pay(3000, "k");
  auto refund = app_->ledger().request_refund(as("csr2"), {party_, usd(2000), "check", "", "r1"});
  ASSERT_TRUE(refund) << refund.error().message;
  EXPECT_EQ(app_->ledger().decide(as("csr2"), refund->approval_id, true, "").error().code,
            ErrorCode::kUnprocessable);
  ASSERT_TRUE(app_->ledger().decide(as("supervisor"), refund->approval_id, true, ""));
  EXPECT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 0);
  auto issued = app_->ledger().issue_refund(as("finance"), refund->id, "100234");
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->status, "issued");
  auto too_much = app_->ledger().request_refund(as("csr2"), {party_, usd(1), "check", "", "r2"});
  EXPECT_EQ(too_much.error().code, ErrorCode::kUnprocessable);
  expect_books_agree();
}

TEST_P(LedgerTest, TransferMovesAMisappliedPaymentToAnotherCustomer) {
  auto other = new_party("Otto", "Other");
  auto mine = charge(party_, "utility_bill", 3000, d1);
  auto theirs = charge(other, "utility_bill", 3000, d1);
  auto p = pay(3000, "k");
  EXPECT_EQ(balance(mine.id), 0);
  auto moved = app_->ledger().transfer(as("csr3"), {p.payment.id, other, {}, "wrong account", "t"});
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(balance(mine.id), 3000);
  EXPECT_EQ(balance(theirs.id), 0);
  EXPECT_EQ(app_->ledger().payment(p.payment.id)->status, "transferred");
  EXPECT_EQ(moved->payment.transferred_from_payment_id, p.payment.id);
  expect_books_agree();
}

TEST_P(LedgerTest, ReturnedPaymentsReopenChargeAFeeAndFlagCashOnly) {
  auto o = charge(party_, "utility_bill", 3000, d1);
  for (int i = 0; i < 2; ++i) {
    PaymentRequest r{
        party_, usd(3000), "check", "mail", "Lena", "chk", "", {}, "p" + std::to_string(i)};
    auto p = app_->ledger().pay(as("csr2"), r);
    ASSERT_TRUE(p) << p.error().message;
    auto ret = app_->ledger().return_payment(as("csr3"),
                                             {p->payment.id, "nsf", "ret" + std::to_string(i)});
    ASSERT_TRUE(ret) << ret.error().message;
    EXPECT_EQ(ret->returns_on_party, i + 1);
    EXPECT_EQ(ret->now_cash_only, i == 1);
    EXPECT_GT(ret->fee_obligation_id, 0);
  }
  EXPECT_EQ(balance(o.id), 3000);
  PaymentRequest check{party_, usd(100), "check", "counter", "", "", "", {}, "p9"};
  EXPECT_EQ(app_->ledger().pay(as("csr2"), check).error().code, ErrorCode::kUnprocessable);
  expect_books_agree();
}

TEST_P(LedgerTest, WriteOffAndRecovery) {
  auto o = charge(party_, "damage_claim", 12000, d1, "4020-GENERAL");
  auto w = app_->ledger().write_off(as("csr3"), o.id, "uncollectible", "w");
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->status, "written_off");
  EXPECT_EQ(w->balance.cents(), 0);
  auto back = app_->ledger().recover(as("csr3"), o.id, "debtor found", "r");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->status, "open");
  EXPECT_EQ(back->balance.cents(), 12000);
  expect_books_agree();
}

TEST_P(LedgerTest, CancelTurnsPaymentsIntoCreditForTheRebill) {
  auto bill = charge(party_, "utility_bill", 4000, d1);
  pay(4000, "k");
  auto cancelled = app_->ledger().cancel(as("csr3"), bill.id, "misread meter", "c");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 4000);
  auto rebill = charge(party_, "utility_bill", 3500, d1);
  EXPECT_EQ(rebill.balance.cents(), 0);
  EXPECT_EQ(app_->ledger().balance_of(party_)->credit.cents(), 500);
  expect_books_agree();
}

TEST_P(LedgerTest, JournalIsAppendOnly) {
  charge(party_, "utility_bill", 1000, d1);
  auto c = app_->db().acquire();
  ASSERT_TRUE(c);
  EXPECT_FALSE((*c)->exec("UPDATE journal_lines SET debit_cents = 1"));
  EXPECT_FALSE((*c)->exec("DELETE FROM journal_entries"));
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(LedgerTest);

}  // namespace
}  // namespace civicdesk::testing
