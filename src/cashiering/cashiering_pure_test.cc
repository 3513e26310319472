#include <gtest/gtest.h>

#include "cashiering/card_numbers.h"
#include "cashiering/denominations.h"
#include "cashiering/escpos.h"
#include "cashiering/tenders.h"

namespace civicdesk::cashiering {
namespace {

Money usd(std::int64_t c) { return Money::from_cents(c); }

TEST(Denominations, TotalsSplitCurrencyAndCoin) {
  CashCount c{{"20", 3}, {"1", 4}, {"0.25", 7}, {"1c", 2}, {"0.01", 3}};
  ASSERT_TRUE(validate(c, "count"));
  EXPECT_EQ(total(c).cents(), 6000 + 400 + 175 + 200 + 3);
  EXPECT_EQ(currency_total(c).cents(), 6400);
  EXPECT_EQ(coin_total(c).cents(), 378);
}

TEST(Denominations, RefusesUnknownAndNegative) {
  EXPECT_EQ(validate({{"3", 1}}, "count").error().field, "count.3");
  EXPECT_EQ(validate({{"20", -1}}, "count").error().field, "count.20");
  EXPECT_TRUE(validate({{"20", 1'000'000}}, "count"));
  EXPECT_FALSE(validate({{"20", 1'000'001}}, "count"));
}

TEST(CardNumbers, FindsLuhnValidRunsOnly) {
  EXPECT_TRUE(luhn_valid("4111111111111111"));
  EXPECT_FALSE(luhn_valid("4111111111111112"));
  EXPECT_TRUE(contains_card_number("card 4111 1111 1111 1111 exp"));
  EXPECT_TRUE(contains_card_number("5500-0000-0000-0004"));
  EXPECT_TRUE(contains_card_number("378282246310005"));   // 15-digit Amex test number
  EXPECT_FALSE(contains_card_number("4111111111111112"));
  EXPECT_FALSE(contains_card_number("123456789012"));      // 12 digits
  EXPECT_FALSE(contains_card_number("10010012345678901234567890"));  // a scanline, 26 digits
  EXPECT_FALSE(contains_card_number("check 1042, account 5551234"));
  // Digits inside a word (a hex key or token) are not a card number; beside punctuation they are.
  EXPECT_FALSE(contains_card_number("ff7821507870345d"));
  EXPECT_FALSE(contains_card_number("tok4111111111111111"));
  EXPECT_TRUE(contains_card_number("card=4111111111111111;"));
}

TEST(Tenders, CashMakesChange) {
  auto r = settle({{.kind = "cash", .amount = usd(5000)}}, usd(4237), false);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->change_due.cents(), 763);
  EXPECT_EQ(r->applied[0].cents(), 4237);
}

TEST(Tenders, SplitTenderChecksFirstThenCash) {
  auto r = settle({{.kind = "cash", .amount = usd(2000)},
                   {.kind = "check", .amount = usd(3000), .check_number = "1042"}},
                  usd(4500), false);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->applied[1].cents(), 3000);
  EXPECT_EQ(r->applied[0].cents(), 1500);
  EXPECT_EQ(r->change_due.cents(), 500);
}

TEST(Tenders, RefusesShortOverwrittenCheckAndCashOnlyBreach) {
  EXPECT_EQ(settle({{.kind = "cash", .amount = usd(100)}}, usd(200), false).error().field,
            "tenders");
  EXPECT_EQ(settle({{.kind = "check", .amount = usd(300), .check_number = "1"}}, usd(200), false)
                .error()
                .field,
            "tenders[0].amount");
  EXPECT_EQ(settle({{.kind = "check", .amount = usd(200), .check_number = "1"}}, usd(200), true)
                .error()
                .code,
            ErrorCode::kUnprocessable);
  EXPECT_EQ(settle({{.kind = "check", .amount = usd(200)}}, usd(200), false).error().field,
            "tenders[0].check_number");
  EXPECT_EQ(settle({{.kind = "card", .amount = usd(200), .card_token = "tok", .card_last4 = "12"}},
                   usd(200), false)
                .error()
                .field,
            "tenders[0].card_token");
  EXPECT_EQ(settle({{.kind = "check", .amount = usd(200), .check_number = "4111111111111111"}},
                   usd(200), false)
                .error()
                .code,
            ErrorCode::kInvalidInput);
}

TEST(EscPos, FramesTextWithInitCutAndDrawerKick) {
  EscPos p;
  p.center(true).bold_line("City of Riverton").center(false).line(columns("Total", "$12.34", 20));
  p.kick_drawer().cut();
  const std::string& b = p.bytes();
  EXPECT_EQ(b.substr(0, 2), std::string("\x1b@", 2));
  EXPECT_NE(b.find("City of Riverton\n"), std::string::npos);
  EXPECT_NE(b.find("Total         $12.34\n"), std::string::npos);  // exactly 20 columns
  EXPECT_NE(b.find(std::string("\x1bp\x00\x19\xfa", 5)), std::string::npos);
  EXPECT_EQ(b.substr(b.size() - 4), std::string("\x1dV\x42\x00", 4));
}

TEST(EscPos, ReplacesNonAscii) {
  EscPos p;
  p.line("Jos\xc3\xa9");
  EXPECT_NE(p.bytes().find("Jos?\n"), std::string::npos);
}

}  // namespace
}  // namespace civicdesk::cashiering
