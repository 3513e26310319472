#include "core/calendar.h"

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

// Some of the City's 2026 holidays, as observed.
BusinessCalendar city_2026() {
  return BusinessCalendar({
      {2026, 12, 25},  // Friday, Christmas
      {2026, 7, 3},    // Friday, Independence Day observed
      {2026, 11, 26},  // Thursday, Thanksgiving
      {2026, 11, 27},  // Friday after Thanksgiving
      {2026, 1, 1},    // Thursday, New Year's Day
      {2026, 1, 1},    // a duplicate is harmless
      {2026, 9, 7},    // Monday, Labor Day
      {2026, 7, 4},    // Saturday: listed, but a weekend anyway
  });
}

TEST(BusinessCalendar, IsBusinessDay) {
  const BusinessCalendar cal = city_2026();
  EXPECT_TRUE(cal.is_business_day({2026, 7, 2}));   // Thursday
  EXPECT_FALSE(cal.is_business_day({2026, 7, 3}));  // holiday
  EXPECT_FALSE(cal.is_business_day({2026, 7, 4}));  // Saturday
  EXPECT_FALSE(cal.is_business_day({2026, 7, 5}));  // Sunday
  EXPECT_TRUE(cal.is_business_day({2026, 7, 6}));   // Monday
  EXPECT_TRUE(cal.is_holiday({2026, 11, 27}));
  EXPECT_FALSE(cal.is_holiday({2026, 11, 25}));
  EXPECT_TRUE(BusinessCalendar({}).is_business_day({2026, 12, 25}));
}

TEST(BusinessCalendar, AddBusinessDays) {
  const BusinessCalendar cal = city_2026();
  struct Case {
    CivilDate from;
    int n;
    CivilDate expected;
  };
  const Case cases[] = {
      {{2026, 7, 1}, 1, {2026, 7, 2}},  // Wed -> Thu
      {{2026, 7, 2}, 1, {2026, 7, 6}},  // Thu -> over the holiday and weekend -> Mon
      {{2026, 7, 2}, 0, {2026, 7, 2}},
      {{2026, 7, 4}, 0, {2026, 7, 4}},      // zero leaves a weekend alone
      {{2026, 7, 4}, 1, {2026, 7, 6}},      // from a Saturday
      {{2026, 11, 24}, 3, {2026, 12, 1}},   // Tue + 3 over Thanksgiving: Wed, Mon, Tue
      {{2026, 7, 6}, -1, {2026, 7, 2}},     // backwards over the holiday
      {{2026, 12, 31}, 1, {2027, 1, 1}},    // into a new year (2027-01-01 is not listed here)
      {{2026, 12, 24}, 1, {2026, 12, 28}},  // Thu -> over Christmas and the weekend -> Mon
      {{2026, 7, 4}, -1, {2026, 7, 2}},     // backwards from a Saturday
      {{2026, 9, 4}, 1, {2026, 9, 8}},      // Fri -> over Labor Day -> Tue
      {{2026, 6, 1}, 10, {2026, 6, 15}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.from.iso() + " + " + std::to_string(c.n));
    EXPECT_EQ(cal.add_business_days(c.from, c.n), c.expected);
  }
}

TEST(BusinessCalendar, NextBusinessDayOnOrAfter) {
  const BusinessCalendar cal = city_2026();
  EXPECT_EQ(cal.next_business_day_on_or_after({2026, 7, 2}), (CivilDate{2026, 7, 2}));
  EXPECT_EQ(cal.next_business_day_on_or_after({2026, 7, 3}), (CivilDate{2026, 7, 6}));
  EXPECT_EQ(cal.next_business_day_on_or_after({2026, 11, 26}), (CivilDate{2026, 11, 30}));
  EXPECT_EQ(cal.next_business_day_on_or_after({2026, 12, 26}), (CivilDate{2026, 12, 28}));
}

TEST(BusinessCalendar, StatutoryClockRollsForward) {
  const BusinessCalendar cal = city_2026();
  // 21 days after 2026-06-12 is Friday 2026-07-03, a holiday: the deadline is Monday 07-06.
  EXPECT_EQ(cal.add_calendar_days_then_roll({2026, 6, 12}, 21), (CivilDate{2026, 7, 6}));
  // Landing on a business day: unchanged.
  EXPECT_EQ(cal.add_calendar_days_then_roll({2026, 6, 11}, 21), (CivilDate{2026, 7, 2}));
  // Landing on a Saturday: Monday.
  EXPECT_EQ(cal.add_calendar_days_then_roll({2026, 10, 1}, 30), (CivilDate{2026, 11, 2}));
  // Thanksgiving Thursday -> Friday also a holiday -> Monday.
  EXPECT_EQ(cal.add_calendar_days_then_roll({2026, 11, 16}, 10), (CivilDate{2026, 11, 30}));
  EXPECT_EQ(cal.add_calendar_days_then_roll({2026, 7, 3}, 0), (CivilDate{2026, 7, 6}));
}

TEST(BusinessCalendar, BusinessDaysBetween) {
  const BusinessCalendar cal = city_2026();
  EXPECT_EQ(cal.business_days_between({2026, 7, 1}, {2026, 7, 1}), 0);
  EXPECT_EQ(cal.business_days_between({2026, 7, 1}, {2026, 7, 2}), 1);
  EXPECT_EQ(cal.business_days_between({2026, 7, 2}, {2026, 7, 6}), 1);
  EXPECT_EQ(cal.business_days_between({2026, 7, 6}, {2026, 7, 2}), -1);
  EXPECT_EQ(cal.business_days_between({2026, 7, 4}, {2026, 7, 2}), -1);     // [Thu, Sat)
  EXPECT_EQ(cal.business_days_between({2026, 11, 20}, {2026, 11, 30}), 4);  // Mon-Wed, Mon
  // 2026 has 261 weekdays; six of the listed holidays fall on one.
  EXPECT_EQ(cal.business_days_between({2025, 12, 31}, {2026, 12, 31}), 255);
}

// The closed form and the day-by-day walk must agree everywhere.
TEST(BusinessCalendar, BetweenIsTheInverseOfAdd) {
  const BusinessCalendar cal = city_2026();
  for (int start = 0; start < 60; ++start) {
    const CivilDate a = CivilDate{2026, 6, 1}.plus_days(start * 3);
    for (int n = -40; n <= 40; ++n) {
      const CivilDate b = cal.add_business_days(a, n);
      ASSERT_EQ(cal.business_days_between(a, b), n) << a.iso() << " " << n;
    }
    for (int span = 0; span < 30; ++span) {
      int walked = 0;
      for (int i = 1; i <= span; ++i) walked += cal.is_business_day(a.plus_days(i)) ? 1 : 0;
      ASSERT_EQ(cal.business_days_between(a, a.plus_days(span)), walked) << a.iso() << " " << span;
    }
  }
}

}  // namespace
}  // namespace civicdesk
