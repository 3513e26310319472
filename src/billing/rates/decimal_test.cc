#include "billing/rates/decimal.h"

#include <gtest/gtest.h>

#include "billing/rates/rate_limits.h"

namespace civicdesk::rates {
namespace {

Decimal D(std::string_view text) {
  auto d = Decimal::parse(text, "test");
  EXPECT_TRUE(d.has_value()) << text << ": " << (d ? "" : d.error().message);
  return d.value_or(Decimal());
}

TEST(RatesDecimal, ParsesWhatYamlWrites) {
  struct Case {
    const char* text;
    std::int64_t numerator;
    std::int64_t denominator;
  };
  const Case cases[] = {
      {"4.07", 407, 100},
      {"0", 0, 1},
      {".75", 3, 4},
      {"00.68", 17, 25},
      {"5.", 5, 1},
      {"-0.5", -1, 2},
      {"+2", 2, 1},
      {" 3 ", 3, 1},
      {"1e-3", 1, 1000},
      {"2.5E+2", 250, 1},
      {"1e18", 1'000'000'000'000'000'000, 1},
      {"27.3", 273, 10},
      {"0.000", 0, 1},
      {"10.134", 5067, 500},
  };
  for (const auto& c : cases) {
    const Decimal d = D(c.text);
    EXPECT_EQ(d.numerator(), c.numerator) << c.text;
    EXPECT_EQ(d.denominator(), c.denominator) << c.text;
  }
}

TEST(RatesDecimal, RefusesWhatIsNotAPlainNumber) {
  for (const char* text :
       {"",    " ",     "abc", "inf", ".nan", "-.inf", "0x10", "1_000", "1,000", "1 000", "1e",
        "1e+", "1.2.3", "--1", "$4",  "4%",   ".",     "-",    "1e19",  "1e-19", "١"}) {
    auto d = Decimal::parse(text, "tier_prices");
    EXPECT_FALSE(d.has_value()) << "'" << text << "' parsed";
    if (!d) {
      EXPECT_EQ(d.error().code, ErrorCode::kInvalidInput);
      EXPECT_NE(d.error().message.find("tier_prices"), std::string::npos) << d.error().message;
    }
  }
}

TEST(RatesDecimal, LiteralDigitsAtTheLimitAndOnePast) {
  const std::string at_limit(kMaxLiteralDigits, '7');
  EXPECT_TRUE(Decimal::parse(at_limit, "x").has_value());
  EXPECT_FALSE(Decimal::parse(at_limit + "7", "x").has_value());
  // Zeros are not significant digits.
  EXPECT_TRUE(Decimal::parse("000000000000000000000000001.5000000000000000000000", "x"));
  EXPECT_TRUE(Decimal::parse("1e" + std::to_string(kMaxLiteralExponent), "x"));
  EXPECT_FALSE(Decimal::parse("1e" + std::to_string(kMaxLiteralExponent + 1), "x"));
}

TEST(RatesDecimal, ArithmeticIsExact) {
  const Decimal one = Decimal::from_integer(1);
  const Decimal seventh = one.div(Decimal::from_integer(748)).value();
  EXPECT_EQ(seventh.mul(Decimal::from_integer(748)).value(), one);
  EXPECT_EQ(D("0.1").add(D("0.2")).value(), D("0.3"));
  const Decimal third = one.div(Decimal::from_integer(3)).value();
  EXPECT_EQ(third.mul(Decimal::from_integer(3)).value(), one);
  EXPECT_EQ(D("4.07").mul(D("388")).value(), D("1579.16"));
  // The peer's IRRIGATION budget: 0.7*4.8*4500*0.62/748, exactly 23436/1870 reduced.
  Decimal b = D("0.7").mul(D("4.8")).value().mul(D("4500")).value().mul(D("0.62")).value();
  b = b.div(Decimal::from_integer(748)).value();
  EXPECT_EQ(b.to_fraction_string(), "11718/935");
  EXPECT_EQ(b.round_to_integer(RoundingMode::kHalfEven), Decimal::from_integer(13));
}

TEST(RatesDecimal, OverflowIsAnErrorNotAWrap) {
  const Decimal big = Decimal::from_int64(Decimal::kMaxPart).value();
  EXPECT_FALSE(Decimal::from_int64(Decimal::kMaxPart + 1).has_value());
  auto product = big.mul(big);
  ASSERT_FALSE(product.has_value());
  EXPECT_EQ(product.error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(big.add(big).has_value());
  EXPECT_TRUE(big.sub(big).has_value());
  // Denominators grow too: 1/p * 1/q for large coprime p, q.
  const Decimal tiny = Decimal::from_fraction(1, Decimal::kMaxPart - 1).value();
  EXPECT_FALSE(tiny.mul(Decimal::from_fraction(1, Decimal::kMaxPart - 3).value()).has_value());
  EXPECT_FALSE(Decimal::from_integer(1).div(Decimal()).has_value());
}

TEST(RatesDecimal, RoundingToIntegerTable) {
  struct Case {
    const char* value;
    std::int32_t half_up;
    std::int32_t half_even;
  };
  const Case cases[] = {
      {"2.5", 3, 2},    {"3.5", 4, 4},     {"-2.5", -3, -2},  {"0.5", 1, 0}, {"-0.5", -1, 0},
      {"1.5", 2, 2},    {"2.4999", 2, 2},  {"2.5001", 3, 3},  {"7", 7, 7},   {"-7.2", -7, -7},
      {"-7.7", -8, -8}, {"13.86", 14, 14}, {"11.11", 11, 11},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(D(c.value).round_to_integer(RoundingMode::kHalfUp), Decimal::from_integer(c.half_up))
        << c.value;
    EXPECT_EQ(D(c.value).round_to_integer(RoundingMode::kHalfEven),
              Decimal::from_integer(c.half_even))
        << c.value;
  }
  EXPECT_EQ(D("-2.5").floor(), Decimal::from_integer(-3));
  EXPECT_EQ(D("-2.5").ceil(), Decimal::from_integer(-2));
  EXPECT_EQ(D("2.1").ceil(), Decimal::from_integer(3));
  EXPECT_EQ(D("2.9").floor(), Decimal::from_integer(2));
}

TEST(RatesDecimal, RoundingToCentsTable) {
  struct Case {
    const char* value;
    std::int64_t half_up_cents;
    std::int64_t half_even_cents;
  };
  const Case cases[] = {
      {"1.435", 144, 144},       {"1.425", 143, 142},       {"-1.425", -143, -142},
      {"152.281", 15228, 15228}, {"201.501", 20150, 20150}, {"42.325", 4233, 4232},
      {"0.005", 1, 0},           {"0.015", 2, 2},           {"145.792", 14579, 14579},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(D(c.value).to_money(RoundingMode::kHalfUp)->cents(), c.half_up_cents) << c.value;
    EXPECT_EQ(D(c.value).to_money(RoundingMode::kHalfEven)->cents(), c.half_even_cents) << c.value;
  }
  const Decimal third = Decimal::from_fraction(1, 3).value();
  EXPECT_EQ(third.to_money(RoundingMode::kHalfUp)->cents(), 33);
}

TEST(RatesDecimal, RoundToPlacesAtTheLimitAndOnePast) {
  EXPECT_EQ(D("1.005").round_to_places(2, RoundingMode::kHalfEven).value(), D("1"));
  EXPECT_EQ(D("1.015").round_to_places(2, RoundingMode::kHalfEven).value(), D("1.02"));
  EXPECT_TRUE(D("1.5").round_to_places(kMaxRoundPlaces, RoundingMode::kHalfEven).has_value());
  EXPECT_FALSE(D("1.5").round_to_places(kMaxRoundPlaces + 1, RoundingMode::kHalfEven));
  EXPECT_FALSE(D("1.5").round_to_places(-1, RoundingMode::kHalfEven));
}

TEST(RatesDecimal, Text) {
  EXPECT_EQ(D("152.281").to_string(), "152.281");
  EXPECT_EQ(D("7").to_string(), "7");
  EXPECT_EQ(D("-0.5").to_string(), "-0.5");
  EXPECT_EQ(D("0.05").to_string(), "0.05");
  EXPECT_EQ(Decimal::from_fraction(1, 3)->to_string(9), "0.333333333...");
  EXPECT_EQ(Decimal::from_fraction(-2, 3)->to_string(3), "-0.667...");
  EXPECT_EQ(Decimal::from_fraction(2092761, 1000)->to_fraction_string(), "2092761/1000");
  EXPECT_TRUE(D("0.125").is_terminating());
  EXPECT_FALSE(Decimal::from_fraction(1, 748)->is_terminating());
}

}  // namespace
}  // namespace civicdesk::rates
