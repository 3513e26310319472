#include "core/money.h"

#include <limits>
#include <numeric>
#include <type_traits>

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Money c(std::int64_t cents) {
  return Money::from_cents(cents);
}

template <class T>
concept CentsFrom = requires(T v) {
  Money::from_cents(v);
};
template <class T>
concept MicrosFrom = requires(T v) {
  Rate::from_micros(v);
};
static_assert(CentsFrom<std::int64_t> && CentsFrom<int>);
static_assert(!CentsFrom<double> && !CentsFrom<float>);
static_assert(!MicrosFrom<double>);
static_assert(!std::is_constructible_v<Money, double>);
static_assert(!std::is_convertible_v<std::int64_t, Money>);

TEST(Money, DefaultIsZeroAndComparisons) {
  EXPECT_TRUE(Money().is_zero());
  EXPECT_EQ(Money(), Money::zero());
  EXPECT_LT(c(-1), c(0));
  EXPECT_GT(c(100), c(99));
  EXPECT_LE(c(5), c(5));
  EXPECT_NE(c(5), c(6));
  EXPECT_TRUE(c(-3).is_negative());
  EXPECT_TRUE(c(3).is_positive());
}

TEST(Money, CheckedArithmetic) {
  EXPECT_EQ(c(150).add(c(-50)).value(), c(100));
  EXPECT_EQ(c(150).sub(c(200)).value(), c(-50));
  EXPECT_EQ(c(-150).mul(3).value(), c(-450));
  EXPECT_EQ(c(-150).negate().value(), c(150));
  EXPECT_EQ(c(kMax).add(c(0)).value(), c(kMax));
  EXPECT_EQ(c(kMin).sub(c(0)).value(), c(kMin));
}

TEST(Money, OverflowIsAnErrorNeverAWrap) {
  const Result<Money> results[] = {
      c(kMax).add(c(1)), c(kMin).add(c(-1)), c(kMin).sub(c(1)), c(kMax).sub(c(-1)),
      c(kMax).mul(2),    c(kMin).mul(-1),    c(kMin).negate(),
  };
  for (const auto& r : results) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(r.error().message.find("too large"), std::string::npos);
  }
}

TEST(Money, Sum) {
  const Money parts[] = {c(100), c(-25), c(1)};
  EXPECT_EQ(sum(parts).value(), c(76));
  const Money too_big[] = {c(kMax), c(1)};
  EXPECT_FALSE(sum(too_big).has_value());
  EXPECT_EQ(sum({}).value(), Money());
}

struct RoundCase {
  std::int64_t numerator;
  std::int64_t denominator;
  std::int64_t half_up;
  std::int64_t half_even;
};

TEST(Rounding, TableOfRules) {
  const RoundCase cases[] = {
      {0, 10, 0, 0},
      {4, 10, 0, 0},
      {5, 10, 1, 0},
      {6, 10, 1, 1},
      {15, 10, 2, 2},
      {25, 10, 3, 2},
      {35, 10, 4, 4},
      {-4, 10, 0, 0},
      {-5, 10, -1, 0},
      {-6, 10, -1, -1},
      {-15, 10, -2, -2},
      {-25, 10, -3, -2},
      {10, 10, 1, 1},
      {-10, 10, -1, -1},
      {1, 3, 0, 0},
      {2, 3, 1, 1},
      {-2, 3, -1, -1},
      {7, 1, 7, 7},
      {-7, 1, -7, -7},
      {1, 2, 1, 0},
      {3, 2, 2, 2},
      {-1, 2, -1, 0},
      {-3, 2, -2, -2},
      {kMax, 1, kMax, kMax},
      {kMin, 1, kMin, kMin},
      {kMax, kMax, 1, 1},
      {kMin, kMax, -1, -1},
      {kMax, 2, kMax / 2 + 1, kMax / 2 + 1},
      {kMin, 2, kMin / 2, kMin / 2},
  };
  for (const auto& rc : cases) {
    SCOPED_TRACE(std::to_string(rc.numerator) + "/" + std::to_string(rc.denominator));
    EXPECT_EQ(round_half_up(rc.numerator, rc.denominator), rc.half_up);
    EXPECT_EQ(round_half_even(rc.numerator, rc.denominator), rc.half_even);
  }
}

TEST(Rounding, QuotientOverflowIsAnError) {
  const __int128 big = static_cast<__int128>(kMax) * 4;
  EXPECT_FALSE(round_quotient(big, 2, RoundingMode::kHalfUp).has_value());
  EXPECT_EQ(round_quotient(big, 4, RoundingMode::kHalfUp).value(), kMax);
  EXPECT_EQ(round_quotient(-big, 4, RoundingMode::kHalfEven).value(), -kMax);
}

TEST(Rounding, RoundingIsDeathOnNonPositiveDenominator) {
  EXPECT_DEATH((void)round_half_up(1, 0), "assertion failed");
  EXPECT_DEATH((void)round_half_even(1, -2), "assertion failed");
}

TEST(PercentOf, BasisPointsTable) {
  struct Case {
    std::int64_t cents;
    std::int64_t basis_points;
    std::int64_t half_up;
    std::int64_t half_even;
  };
  const Case cases[] = {
      {10000, 1000, 1000, 1000},  // 10% of $100.00
      {1005, 5000, 503, 502},     // 50% of $10.05 = 502.5 cents
      {1015, 5000, 508, 508},     // 507.5
      {-1005, 5000, -503, -502},  // negatives round symmetrically
      {-1015, 5000, -508, -508},
      {333, 3333, 111, 111},  // 110.9889
      {1, 5000, 1, 0},        // 0.5 cent
      {-1, 5000, -1, 0},
      {12345, 0, 0, 0},
      {12345, 10000, 12345, 12345},
      {12345, -10000, -12345, -12345},
      {150, 1050, 16, 16},  // 10.5% late fee on $1.50 = 15.75
  };
  for (const auto& pc : cases) {
    SCOPED_TRACE(std::to_string(pc.cents) + " @ " + std::to_string(pc.basis_points));
    EXPECT_EQ(Money::percent_of(c(pc.cents), pc.basis_points, RoundingMode::kHalfUp).value(),
              c(pc.half_up));
    EXPECT_EQ(Money::percent_of(c(pc.cents), pc.basis_points, RoundingMode::kHalfEven).value(),
              c(pc.half_even));
  }
  EXPECT_FALSE(Money::percent_of(c(kMax), 20000, RoundingMode::kHalfUp).has_value());
}

TEST(SplitEvenly, RemainderOnTheLastInstallment) {
  struct Case {
    std::int64_t total;
    int n;
    std::vector<std::int64_t> parts;
  };
  const Case cases[] = {
      {100, 3, {33, 33, 34}},
      {100, 1, {100}},
      {-100, 3, {-33, -33, -34}},
      {2, 3, {0, 0, 2}},
      {-2, 3, {0, 0, -2}},
      {0, 4, {0, 0, 0, 0}},
      {1000, 4, {250, 250, 250, 250}},
      {100001, 12, {8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8338}},
  };
  for (const auto& sc : cases) {
    SCOPED_TRACE(std::to_string(sc.total) + " / " + std::to_string(sc.n));
    auto parts = split_evenly(c(sc.total), sc.n);
    ASSERT_TRUE(parts.has_value());
    ASSERT_EQ(parts->size(), sc.parts.size());
    for (std::size_t i = 0; i < sc.parts.size(); ++i) EXPECT_EQ((*parts)[i], c(sc.parts[i]));
    EXPECT_EQ(sum(*parts).value(), c(sc.total));
  }
}

TEST(SplitEvenly, ExtremesSumExactly) {
  for (std::int64_t total : {kMax, kMin}) {
    auto parts = split_evenly(c(total), 7);
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(sum(*parts).value(), c(total));
  }
}

TEST(SplitEvenly, InstallmentCountLimits) {
  EXPECT_TRUE(split_evenly(c(100), kMaxInstallments).has_value());
  for (int n : {0, -1, kMaxInstallments + 1}) {
    auto r = split_evenly(c(100), n);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, "installments");
  }
}

TEST(ParseMoney, AcceptedForms) {
  struct Case {
    const char* text;
    std::int64_t cents;
  };
  const Case cases[] = {
      {"1234.56", 123456},
      {"1,234.56", 123456},
      {"$1,234.56", 123456},
      {"-$1,234.56", -123456},
      {"(1,234.56)", -123456},
      {"($1,234.56)", -123456},
      {"12", 1200},
      {"12.5", 1250},
      {"0.05", 5},
      {"-0.05", -5},
      {"0", 0},
      {"-0.00", 0},
      {"  7.00 ", 700},
      {"1,234,567.89", 123456789},
      {"$0.99", 99},
      {"100,000,000.00", kMaxPaymentCents},
      {"-100000000", -kMaxPaymentCents},
      {"-1234.56", -123456},
  };
  for (const auto& pc : cases) {
    SCOPED_TRACE(pc.text);
    auto r = parse_money(pc.text, "amount");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(*r, c(pc.cents));
  }
}

TEST(ParseMoney, RefusedFormsNameTheField) {
  const char* refused[] = {
      "12.345",
      "abc",
      "",
      "   ",
      "1,23.00",
      "1,2345.00",
      ",123",
      "123,",
      "12.",
      ".5",
      "$",
      "-",
      "--1",
      "$-1.00",
      "(-1.00)",
      "1.2.3",
      "1e3",
      "+1",
      "1 000",
      "0x10",
      "(1.00",
      "12.5a",
      "1,,234",
      "1234,567",
      "100,000,000.01",
      "-100000000.01",
      "99999999999999999999999",
  };
  for (const char* text : refused) {
    SCOPED_TRACE(text);
    auto r = parse_money(text, "amount");
    ASSERT_FALSE(r.has_value()) << *r;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(r.error().field, "amount");
    EXPECT_EQ(r.error().message.rfind("amount ", 0), 0u) << r.error().message;
  }
}

TEST(ParseMoney, SpecificMessages) {
  EXPECT_EQ(parse_money("12.345", "tender").error().message,
            "tender has more than 2 digits after the decimal point");
  EXPECT_EQ(parse_money("", "tender").error().message, "tender is required");
  EXPECT_EQ(parse_money("200000000", "tender").error().message, "tender is larger than the limit");
}

TEST(ParseMoney, CustomLimit) {
  EXPECT_EQ(parse_money("5.00", "fee", 500).value(), c(500));
  EXPECT_FALSE(parse_money("5.01", "fee", 500).has_value());
  const std::int64_t whole_dollars_max = kMax / 100 * 100;
  EXPECT_EQ(parse_money("92233720368547758.00", "x", kMax).value(), c(whole_dollars_max));
  EXPECT_EQ(parse_money("92233720368547758.07", "x", kMax).value(), c(kMax));
  EXPECT_FALSE(parse_money("92233720368547758.08", "x", kMax).has_value());
}

TEST(ParseRate, SixDecimals) {
  EXPECT_EQ(parse_rate("3.456789", "rate").value(), Rate::from_micros(3'456'789));
  EXPECT_EQ(parse_rate("-0.25", "rate").value(), Rate::from_micros(-250'000));
  EXPECT_EQ(parse_rate("4", "rate").value(), Rate::from_micros(4'000'000));
  for (const char* bad : {"3.4567891", "$3.00", "1,000", "(1)", "", "x"}) {
    SCOPED_TRACE(bad);
    auto r = parse_rate(bad, "rate");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, "rate");
  }
}

TEST(Rate, TimesRoundsOnce) {
  const Rate per_ccf = Rate::from_micros(3'456'789);                     // $3.456789
  EXPECT_EQ(per_ccf.times(10, RoundingMode::kHalfUp).value(), c(3457));  // 3456.789 cents
  EXPECT_EQ(per_ccf.times(-10, RoundingMode::kHalfUp).value(), c(-3457));
  const Rate half_cent = Rate::from_micros(5'000);  // $0.005
  EXPECT_EQ(half_cent.times(1, RoundingMode::kHalfUp).value(), c(1));
  EXPECT_EQ(half_cent.times(1, RoundingMode::kHalfEven).value(), c(0));
  EXPECT_EQ(half_cent.times(3, RoundingMode::kHalfEven).value(), c(2));  // 1.5 -> 2
  EXPECT_FALSE(Rate::from_micros(kMax).times(kMax, RoundingMode::kHalfUp).has_value());
}

TEST(Format, MoneyAndPlain) {
  struct Case {
    std::int64_t cents;
    const char* money;
    const char* plain;
  };
  const Case cases[] = {
      {0, "$0.00", "0.00"},
      {5, "$0.05", "0.05"},
      {-5, "-$0.05", "-0.05"},
      {100, "$1.00", "1.00"},
      {99999, "$999.99", "999.99"},
      {100000, "$1,000.00", "1000.00"},
      {-123456, "-$1,234.56", "-1234.56"},
      {123456789, "$1,234,567.89", "1234567.89"},
      {kMax, "$92,233,720,368,547,758.07", "92233720368547758.07"},
      {kMin, "-$92,233,720,368,547,758.08", "-92233720368547758.08"},
  };
  for (const auto& fc : cases) {
    EXPECT_EQ(format_money(c(fc.cents)), fc.money);
    EXPECT_EQ(format_plain(c(fc.cents)), fc.plain);
  }
}

TEST(Format, RoundTripsThroughParse) {
  for (std::int64_t cents : {0LL, 1LL, -1LL, 123456LL, -98765432LL, 10'000'000'000LL}) {
    EXPECT_EQ(parse_money(format_money(c(cents)), "x").value(), c(cents));
    EXPECT_EQ(parse_money(format_plain(c(cents)), "x").value(), c(cents));
  }
}

}  // namespace
}  // namespace civicdesk
