// The counter's pure rules: the session and deposit lifecycle tables (every pair), how a cart
// becomes ledger payments, receipt numbers, the deposit's cash, revolving-fund reconciliation,
// the sandbox gateway and the receipt's text.
#include <gtest/gtest.h>

#include "cashiering/card_numbers.h"
#include "cashiering/counter_rules.h"
#include "cashiering/lifecycle.h"
#include "cashiering/payment_gateway.h"
#include "cashiering/receipt.h"
#include "security/crypto.h"

namespace civicdesk::cashiering {
namespace {

Money usd(std::int64_t c) {
  return Money::from_cents(c);
}

// --- lifecycles ---------------------------------------------------------------------------

TEST(CashierSessionLifecycle, EveryStateOperationPair) {
  struct Expect {
    SessionState from;
    SessionOp op;
    std::optional<SessionState> to;
  };
  const Expect kTable[] = {
      {SessionState::kOpen, SessionOp::kTransact, SessionState::kOpen},
      {SessionState::kOpen, SessionOp::kVoid, SessionState::kOpen},
      {SessionState::kOpen, SessionOp::kCount, SessionState::kCounted},
      {SessionState::kOpen, SessionOp::kClose, std::nullopt},
      {SessionState::kCounted, SessionOp::kTransact, std::nullopt},
      {SessionState::kCounted, SessionOp::kVoid, std::nullopt},
      {SessionState::kCounted, SessionOp::kCount, std::nullopt},
      {SessionState::kCounted, SessionOp::kClose, SessionState::kClosed},
      {SessionState::kClosed, SessionOp::kTransact, std::nullopt},
      {SessionState::kClosed, SessionOp::kVoid, std::nullopt},
      {SessionState::kClosed, SessionOp::kCount, std::nullopt},
      {SessionState::kClosed, SessionOp::kClose, std::nullopt},
  };
  int pairs = 0;
  for (auto state : kSessionStates) {
    for (auto op : kSessionOps) {
      const Expect* e = nullptr;
      for (const auto& x : kTable)
        if (x.from == state && x.op == op) e = &x;
      ASSERT_NE(e, nullptr) << to_string(state) << " " << to_string(op);
      auto next = next_state(state, op);
      ++pairs;
      if (e->to) {
        ASSERT_TRUE(next) << to_string(state) << " " << to_string(op);
        EXPECT_EQ(*next, *e->to) << to_string(state) << " " << to_string(op);
      } else {
        ASSERT_FALSE(next) << to_string(state) << " " << to_string(op);
        EXPECT_EQ(next.error().code, ErrorCode::kUnprocessable);
        EXPECT_FALSE(next.error().message.empty());
      }
    }
  }
  EXPECT_EQ(pairs, 12);
  // A void after close sends the cashier to the ledger's workflows.
  EXPECT_NE(next_state(SessionState::kClosed, SessionOp::kVoid).error().message.find("refund"),
            std::string::npos);
}

TEST(CashierSessionLifecycle, StatesRoundTripThroughText) {
  for (auto s : kSessionStates) EXPECT_EQ(*parse_session_state(to_string(s)), s);
  EXPECT_FALSE(parse_session_state("opened"));
  for (auto s : kDepositStates) EXPECT_EQ(*parse_deposit_state(to_string(s)), s);
}

TEST(DepositLifecycle, EveryStateOperationPair) {
  EXPECT_EQ(*next_state(DepositState::kPrepared, DepositOp::kClose), DepositState::kClosed);
  auto again = next_state(DepositState::kClosed, DepositOp::kClose);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kUnprocessable);
}

// --- carts --------------------------------------------------------------------------------

TEST(CounterCart, TotalRefusesEmptyNonPositiveAndTooMany) {
  EXPECT_EQ(cart_total({}).error().field, "items");
  EXPECT_EQ(cart_total({{1, 0, usd(0)}}).error().field, "items[0].amount");
  EXPECT_EQ(cart_total({{1, 0, usd(100)}, {2, 0, usd(250)}})->cents(), 350);
  std::vector<CartItem> full(kMaxCartItems, CartItem{1, 0, usd(1)});
  EXPECT_TRUE(cart_total(full));
  full.push_back(CartItem{1, 0, usd(1)});
  EXPECT_FALSE(cart_total(full));
}

TEST(CounterCart, OnePaymentPerPartyWhenEarlierItemsPayInFull) {
  std::map<std::int64_t, ObligationState> obl = {
      {10, {1, usd(3000), "open"}}, {11, {1, usd(2000), "open"}}, {20, {2, usd(5000), "open"}}};
  auto plan = plan_payments({{1, 10, usd(3000)}, {2, 20, usd(1000)}, {1, 11, usd(500)}}, obl);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].party_id, 1);
  EXPECT_EQ((*plan)[0].amount.cents(), 3500);
  EXPECT_EQ((*plan)[0].directed, (std::vector<std::int64_t>{10, 11}));
  EXPECT_EQ((*plan)[0].items, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ((*plan)[1].party_id, 2);
  EXPECT_EQ((*plan)[1].directed, (std::vector<std::int64_t>{20}));
}

TEST(CounterCart, APartialItemEndsThePaymentSoEachItemGetsExactlyItsAmount) {
  std::map<std::int64_t, ObligationState> obl = {{10, {1, usd(3000), "open"}},
                                                 {11, {1, usd(2000), "open"}}};
  auto plan = plan_payments({{1, 10, usd(1000)}, {1, 11, usd(2000)}, {1, 0, usd(700)}}, obl);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[0].directed, (std::vector<std::int64_t>{10}));
  EXPECT_EQ((*plan)[0].amount.cents(), 1000);
  EXPECT_EQ((*plan)[1].directed, (std::vector<std::int64_t>{11}));
  EXPECT_TRUE((*plan)[2].directed.empty());  // on account: the City's allocation rules
  EXPECT_EQ((*plan)[2].amount.cents(), 700);
}

TEST(CounterCart, RefusesUnknownForeignClosedAndRepeatedObligations) {
  std::map<std::int64_t, ObligationState> obl = {{10, {1, usd(3000), "open"}},
                                                 {12, {1, usd(0), "paid"}}};
  EXPECT_EQ(plan_payments({{1, 99, usd(1)}}, obl).error().field, "items[0].obligation_id");
  EXPECT_EQ(plan_payments({{2, 10, usd(1)}}, obl).error().field, "items[0].obligation_id");
  EXPECT_EQ(plan_payments({{1, 12, usd(1)}}, obl).error().field, "items[0].obligation_id");
  EXPECT_EQ(plan_payments({{1, 10, usd(1)}, {1, 10, usd(1)}}, obl).error().field,
            "items[1].obligation_id");
}

TEST(CounterCart, TenderLabelIsTheKindOrSplit) {
  EXPECT_EQ(tender_label({{.kind = "cash"}, {.kind = "cash"}}), "cash");
  EXPECT_EQ(tender_label({{.kind = "check"}}), "check");
  EXPECT_EQ(tender_label({{.kind = "cash"}, {.kind = "card"}}), "split");
}

// --- receipts and money at close ----------------------------------------------------------

TEST(ReceiptNumbers, LabelAndParse) {
  EXPECT_EQ(receipt_label("CH-1", 42), "CH-1-000042");
  auto a = parse_receipt_ref("CH-1-000042", "");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->drawer_code, "CH-1");
  EXPECT_EQ(a->number, 42);
  auto b = parse_receipt_ref("42", "CH-2");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->drawer_code, "CH-2");
  EXPECT_EQ(b->number, 42);
  EXPECT_EQ(parse_receipt_ref("CH-2-7", "CH-2")->number, 7);
  EXPECT_EQ(parse_receipt_ref("42", "").error().field, "drawer");
  EXPECT_EQ(parse_receipt_ref("CH-1-x", "").error().field, "number");
  EXPECT_EQ(parse_receipt_ref("CH-1-0", "").error().field, "number");
}

TEST(DepositCash, CountedLessFloatSplitIntoCurrencyAndCoin) {
  CashCount fl{{"20", 5}, {"1", 50}, {"0.25", 40}};  // $100 + $50 + $10
  CashCount counted{{"20", 12}, {"1", 53}, {"0.25", 44}};
  auto d = cash_to_deposit(counted, fl);
  EXPECT_EQ(d.currency.cents(), 14000 + 300);
  EXPECT_EQ(d.coin.cents(), 100);
  // Fewer coins than the float had: the bills make up for them.
  auto e = cash_to_deposit({{"20", 10}, {"0.25", 20}}, {{"20", 2}, {"0.25", 40}});
  EXPECT_EQ(e.currency.cents(), 16000 - 500);
  EXPECT_EQ(e.coin.cents(), 0);
  EXPECT_EQ(e.currency.cents() + e.coin.cents(), 20500 - 5000);
  EXPECT_TRUE(e.float_short.is_zero());
}

TEST(DepositCash, CountedBelowTheFloatDepositsNoCash) {
  CashCount fl{{"20", 5}, {"5", 4}, {"1", 20}, {"0.25", 40}};  // $150: $140 bills, $10 coin
  // $140 counted: $130 in bills, $10 in coin — $10 of the float is missing.
  auto d = cash_to_deposit({{"20", 5}, {"5", 2}, {"1", 20}, {"0.25", 40}}, fl);
  EXPECT_EQ(d.currency.cents(), 0);
  EXPECT_EQ(d.coin.cents(), 0);
  EXPECT_EQ(d.float_short.cents(), 1000);
  // Extra coin does not hide missing bills: $20 in coin over the float, $30 of bills missing.
  auto e = cash_to_deposit({{"20", 5}, {"1", 10}, {"0.25", 120}}, fl);
  EXPECT_EQ(e.currency.cents() + e.coin.cents(), 0);
  EXPECT_EQ(e.float_short.cents(), 15000 - 14000);
  // Exactly the float: nothing to deposit, nothing short.
  auto f = cash_to_deposit(fl, fl);
  EXPECT_EQ(f.currency.cents() + f.coin.cents() + f.float_short.cents(), 0);
}

TEST(RevolvingFund, CashPlusReceiptsEqualsAuthorized) {
  auto ok = reconcile_fund(usd(25000), usd(21000), usd(4000));
  EXPECT_TRUE(ok.balanced());
  auto missing = reconcile_fund(usd(25000), usd(20500), usd(4000));
  EXPECT_FALSE(missing.balanced());
  EXPECT_EQ(missing.difference.cents(), -500);
}

TEST(Printer, AddressIsHostAndPort) {
  EXPECT_TRUE(validate_printer(""));
  EXPECT_TRUE(validate_printer("10.0.4.21:9100"));
  EXPECT_TRUE(validate_printer("printer-ch1.riverton.example:9100"));
  EXPECT_FALSE(validate_printer("10.0.4.21"));
  EXPECT_FALSE(validate_printer("10.0.4.21:0"));
  EXPECT_FALSE(validate_printer("10.0.4.21:65536"));
  EXPECT_FALSE(validate_printer("a b:9100"));
}

// --- the sandbox gateway ------------------------------------------------------------------

class SandboxGatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(security::init_crypto()); }
};

TEST_F(SandboxGatewayTest, TokensCarryNoCardNumber) {
  for (const char* pan : {"4111111111111111", "5555 5555 5555 4444", "378282246310005",
                          "4000000000000002", "4000000000009995"}) {
    auto token = SandboxGateway::tokenize(pan);
    ASSERT_TRUE(token) << pan;
    EXPECT_FALSE(contains_card_number(*token)) << *token;
    EXPECT_EQ(token->find(std::string(pan).substr(0, 8)), std::string::npos);
  }
  EXPECT_FALSE(SandboxGateway::tokenize("4111111111111112"));  // fails Luhn
  EXPECT_FALSE(SandboxGateway::tokenize("411111"));
  SandboxGateway g;
  auto info = g.describe(*SandboxGateway::tokenize("5555555555554444"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->brand, "mastercard");
  EXPECT_EQ(info->last4, "4444");
  EXPECT_FALSE(g.describe("tok_unknown"));
}

TEST_F(SandboxGatewayTest, ApproveDeclineAndTimeouts) {
  SandboxGateway g;
  auto charge = [&](const char* pan, std::int64_t cents, const char* ref) {
    return g.charge({*SandboxGateway::tokenize(pan), usd(cents), ref});
  };
  EXPECT_EQ(charge("4111111111111111", 1000, "a").status, CardStatus::kApproved);
  EXPECT_EQ(charge("4000000000000002", 1000, "b").status, CardStatus::kDeclined);
  EXPECT_EQ(charge("4111111111111111", 1091, "c").status, CardStatus::kDeclined);
  // A lost answer is unknown; the lookup tells what really happened.
  std::string t1 = *SandboxGateway::tokenize("4000000000009995");
  EXPECT_EQ(g.charge({t1, usd(1000), "d"}).status, CardStatus::kUnknown);
  EXPECT_EQ(g.lookup({t1, usd(1000), "d"}).status, CardStatus::kApproved);
  std::string t2 = *SandboxGateway::tokenize("4000000000000119");
  EXPECT_EQ(g.charge({t2, usd(1000), "e"}).status, CardStatus::kUnknown);
  EXPECT_EQ(g.lookup({t2, usd(1000), "e"}).status, CardStatus::kDeclined);
  // A reference never charged is declined on lookup; an outage is unknown.
  EXPECT_EQ(g.lookup({t1, usd(1000), "never"}).status, CardStatus::kDeclined);
  g.set_reachable(false);
  EXPECT_EQ(g.lookup({t1, usd(1000), "d"}).status, CardStatus::kUnknown);
  EXPECT_EQ(charge("4111111111111111", 1000, "f").status, CardStatus::kUnknown);
  g.set_reachable(true);
  EXPECT_EQ(g.charges_seen("a"), 1);
  EXPECT_TRUE(g.captured("a"));
  EXPECT_EQ(g.void_charge({"", usd(1000), "a"}).status, CardStatus::kApproved);
  EXPECT_FALSE(g.captured("a"));
}

// --- the receipt --------------------------------------------------------------------------

ReceiptView sample() {
  ReceiptView r;
  r.city_name = "City of Riverton";
  r.office = "City Hall";
  r.drawer_code = "CH-1";
  r.label = "CH-1-000007";
  r.number = 7;
  r.issued_local = "2026-11-26 08:15:02 PST";
  r.cashier = "Jordan Lee";
  r.status = "posted";
  r.items = {{"Ann Lee", 4, 12, "Utility bill #12 (utility:1001)", usd(4237), usd(0)},
             {"Ann Lee", 4, 13, "Parking citation #13", usd(2500), usd(1000)}};
  r.tenders = {{"Cash", usd(10000)}};
  r.total = usd(6737);
  r.change = usd(3263);
  return r;
}

TEST(Receipt, LinesListEachObligationPaidAndTheBalanceLeft) {
  auto lines = receipt_lines(sample());
  std::string all;
  for (const auto& l : lines) {
    EXPECT_LE(l.size(), 42u) << l;
    all += l + "\n";
  }
  EXPECT_NE(all.find("Receipt CH-1-000007"), std::string::npos);
  EXPECT_NE(all.find("Utility bill #12"), std::string::npos);
  EXPECT_NE(all.find("$42.37"), std::string::npos);
  EXPECT_NE(all.find("Balance left"), std::string::npos);
  EXPECT_NE(all.find("$10.00"), std::string::npos);
  EXPECT_NE(all.find("$32.63"), std::string::npos);
}

TEST(Receipt, EscPosEndsWithCutAndDrawerKick) {
  std::string bytes = receipt_escpos(sample());
  EXPECT_EQ(bytes.substr(0, 2), std::string("\x1b@", 2));
  std::string kick{'\x1b', 'p', 0, 25, static_cast<char>(250)};
  EXPECT_EQ(bytes.substr(bytes.size() - kick.size()), kick);
  EXPECT_NE(bytes.find(std::string{'\x1d', 'V', 66, 0}), std::string::npos);
  auto voided = sample();
  voided.status = "voided";
  EXPECT_NE(receipt_escpos(voided).find("*** VOID ***"), std::string::npos);
}

TEST(Receipt, PdfIsAPdf) {
  auto pdf = receipt_pdf(sample());
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
}

}  // namespace
}  // namespace civicdesk::cashiering
