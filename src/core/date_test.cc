#include "core/date.h"

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

TEST(CivilDate, DaysSinceEpochTable) {
  struct Case {
    CivilDate date;
    std::int64_t days;
    int weekday;
  };
  const Case cases[] = {
      {{1970, 1, 1}, 0, 4},         {{1969, 12, 31}, -1, 3},   {{1970, 1, 2}, 1, 5},
      {{2000, 1, 1}, 10957, 6},     {{2000, 2, 29}, 11016, 2}, {{2000, 3, 1}, 11017, 3},
      {{1900, 3, 1}, -25508, 4},    {{2024, 2, 29}, 19782, 4}, {{2026, 1, 1}, 20454, 4},
      {{2026, 11, 26}, 20783, 4},   {{2038, 1, 19}, 24855, 2}, {{1600, 1, 1}, -135140, 6},
      {{9999, 12, 31}, 2932896, 5}, {{1, 1, 1}, -719162, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.date.iso());
    EXPECT_EQ(c.date.days_since_epoch(), c.days);
    EXPECT_EQ(CivilDate::from_days(c.days), c.date);
    EXPECT_EQ(c.date.weekday(), c.weekday);
  }
}

TEST(CivilDate, RoundTripsEveryDayOfFourCenturies) {
  const std::int64_t start = CivilDate{1800, 1, 1}.days_since_epoch();
  CivilDate expected{1800, 1, 1};
  for (std::int64_t d = start; d < start + 146097; ++d) {
    const CivilDate date = CivilDate::from_days(d);
    ASSERT_EQ(date, expected) << d;
    ASSERT_EQ(date.days_since_epoch(), d);
    ASSERT_TRUE(is_valid_date(date.year, date.month, date.day));
    // Advance `expected` by hand, independently of the algorithm under test.
    ++expected.day;
    if (!is_valid_date(expected.year, expected.month, expected.day)) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
}

TEST(CivilDate, WeekdayCyclesAndPlusDays) {
  const CivilDate friday{2026, 7, 3};
  EXPECT_EQ(friday.weekday(), 5);
  EXPECT_EQ(friday.plus_days(1).weekday(), 6);
  EXPECT_EQ(friday.plus_days(2).weekday(), 0);
  EXPECT_EQ(friday.plus_days(-5).weekday(), 0);
  EXPECT_EQ(friday.plus_days(365), (CivilDate{2027, 7, 3}));
  EXPECT_EQ((CivilDate{2024, 2, 28}).plus_days(1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ((CivilDate{2023, 2, 28}).plus_days(1), (CivilDate{2023, 3, 1}));
}

TEST(CivilDate, Iso) {
  EXPECT_EQ((CivilDate{2026, 3, 8}).iso(), "2026-03-08");
  EXPECT_EQ((CivilDate{987, 12, 31}).iso(), "0987-12-31");
}

TEST(CivilDate, Ordering) {
  EXPECT_LT((CivilDate{2026, 1, 31}), (CivilDate{2026, 2, 1}));
  EXPECT_LT((CivilDate{2025, 12, 31}), (CivilDate{2026, 1, 1}));
}

TEST(IsValidDate, LeapYears) {
  EXPECT_TRUE(is_valid_date(2024, 2, 29));
  EXPECT_FALSE(is_valid_date(2026, 2, 29));
  EXPECT_FALSE(is_valid_date(1900, 2, 29));  // divisible by 100
  EXPECT_TRUE(is_valid_date(2000, 2, 29));   // divisible by 400
  EXPECT_FALSE(is_valid_date(2026, 4, 31));
  EXPECT_TRUE(is_valid_date(2026, 12, 31));
  EXPECT_FALSE(is_valid_date(2026, 13, 1));
  EXPECT_FALSE(is_valid_date(2026, 0, 1));
  EXPECT_FALSE(is_valid_date(2026, 1, 0));
  EXPECT_FALSE(is_valid_date(0, 1, 1));
  EXPECT_FALSE(is_valid_date(10000, 1, 1));
}

TEST(ParseDate, Accepts) {
  EXPECT_EQ(parse_date("2026-11-26").value(), (CivilDate{2026, 11, 26}));
  EXPECT_EQ(parse_date("2024-02-29").value(), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(parse_date("0001-01-01").value(), (CivilDate{1, 1, 1}));
}

TEST(ParseDate, RefusesAndNamesTheField) {
  const char* refused[] = {"",           "2026-1-05",   "2026-01-5",   "26-01-05",
                           "2026/01/05", "2026-01-05 ", " 2026-01-05", "2026-02-30",
                           "2026-13-01", "2026-00-10",  "2026-01-00",  "0000-01-01",
                           "+026-01-05", "2026-0a-05",  "20260105",    "2026-01-05T00:00"};
  for (const char* text : refused) {
    SCOPED_TRACE(text);
    auto r = parse_date(text, "due_date");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(r.error().field, "due_date");
    EXPECT_EQ(r.error().message.rfind("due_date ", 0), 0u);
  }
  EXPECT_EQ(parse_date("x").error().field, "date");
}

}  // namespace
}  // namespace civicdesk
