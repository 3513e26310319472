// Read validation and estimation, each case computed by hand in the comment beside it.
#include "billing/read_validation.h"

#include <gtest/gtest.h>

#include "billing/estimation.h"

namespace civicdesk::billing {
namespace {

Meter ccf_meter(int dials = 4) {
  Meter m;
  m.serial = "M1";
  m.dials = dials;
  m.unit = MeterUnit::kCcf;
  return m;
}

const CivilDate kJan1{2026, 1, 1};
const CivilDate kJan31{2026, 1, 31};  // 30 days later
// 10 CCF a day for 90 days: 900,000 mccf / 90 days.
const DailyUse kTenADay{900'000, 90};
const ReadTolerances kTolerances{};  // high 200, low 25, min_days 28, max_jump 1000

ReadDecision check(std::int64_t prev, std::int64_t value, const DailyUse& h = kTenADay,
                   int dials = 4) {
  auto d =
      validate_read(ccf_meter(dials), actual_prior(prev, kJan1), value, kJan31, h, kTolerances);
  EXPECT_TRUE(d) << d.error().message;
  return d ? *d : ReadDecision{};
}

TEST(BillingReadValidation, NormalUsage) {
  // 1,300 − 1,000 = 300 CCF over 30 days; expected 10 × 30 = 300.
  auto d = check(1000, 1300);
  EXPECT_EQ(d.check, ReadCheck::kOk);
  EXPECT_EQ(d.register_units, 300);
  EXPECT_EQ(d.usage_mccf, 300'000);
  EXPECT_EQ(d.days, 30);
  EXPECT_EQ(d.expected_mccf, 300'000);
  EXPECT_FALSE(d.rollover);
}

TEST(BillingReadValidation, HighAndLowAtTheirBoundaries) {
  // Expected 300: 200% = 600 passes, 601 is high; 25% = 75 passes, 74 is low.
  EXPECT_EQ(check(1000, 1600).check, ReadCheck::kOk);
  EXPECT_EQ(check(1000, 1601).check, ReadCheck::kHighUsage);
  EXPECT_EQ(check(1000, 1075).check, ReadCheck::kOk);
  EXPECT_EQ(check(1000, 1074).check, ReadCheck::kLowUsage);
  // 1000% = 3,000 is high, 3,001 implausible.
  EXPECT_EQ(check(1000, 4000).check, ReadCheck::kHighUsage);
  auto jump = check(1000, 4001);
  EXPECT_EQ(jump.check, ReadCheck::kImplausibleJump);
  EXPECT_NE(jump.message.find("3001.000 CCF over 30 days"), std::string::npos) << jump.message;
}

TEST(BillingReadValidation, ZeroUsage) {
  EXPECT_EQ(check(1000, 1000).check, ReadCheck::kZeroUsage);
  // No history at all: zero is still an exception.
  EXPECT_EQ(check(1000, 1000, DailyUse{}).check, ReadCheck::kZeroUsage);
  // A vacant premise (known zero average) reading zero again is fine, and any usage is high.
  EXPECT_EQ(check(1000, 1000, DailyUse{0, 60}).check, ReadCheck::kOk);
  EXPECT_EQ(check(1000, 1001, DailyUse{0, 60}).check, ReadCheck::kHighUsage);
}

TEST(BillingReadValidation, HistoryShorterThanMinDaysChecksOnlyZeroAndNegative) {
  // 27 days of history (< 28): 5,000 CCF is not judged high.
  auto d = check(1000, 6000, DailyUse{270'000, 27});
  EXPECT_EQ(d.check, ReadCheck::kOk);
  EXPECT_FALSE(d.expected_mccf);
  // 28 days: judged (10/day expected 300; 5,000 is implausible).
  EXPECT_EQ(check(1000, 6000, DailyUse{280'000, 28}).check, ReadCheck::kImplausibleJump);
}

TEST(BillingReadValidation, RolloverOnlyWhenTheDialsMakeItPlausible) {
  // Four dials: 9,900 -> 200 is 10,000 − 9,900 + 200 = 300 units, a rollover.
  auto d = check(9900, 200);
  EXPECT_EQ(d.check, ReadCheck::kOk);
  EXPECT_TRUE(d.rollover);
  EXPECT_EQ(d.register_units, 300);
  // 5,200 -> 5,100 would be 9,900 units (more than half the register): negative.
  auto neg = check(5200, 5100);
  EXPECT_EQ(neg.check, ReadCheck::kNegative);
  EXPECT_EQ(neg.register_units, -100);
  // Exactly half the register (5,000 units) still counts as a rollover: 6,000 -> 1,000.
  EXPECT_TRUE(check(6000, 1000, DailyUse{}).rollover);
  EXPECT_EQ(check(5999, 1000, DailyUse{}).check, ReadCheck::kNegative);  // 5,001 units
  // Six dials: 999,950 -> 250 = 300 units.
  auto six = check(999'950, 250, kTenADay, 6);
  EXPECT_TRUE(six.rollover);
  EXPECT_EQ(six.register_units, 300);
}

TEST(BillingReadValidation, RefusesWhatIsNotARead) {
  auto past_dials =
      validate_read(ccf_meter(), actual_prior(1, kJan1), 10'000, kJan31, kTenADay, kTolerances);
  ASSERT_FALSE(past_dials);
  EXPECT_EQ(past_dials.error().field, "value");
  auto same_day =
      validate_read(ccf_meter(), actual_prior(1, kJan1), 5, kJan1, kTenADay, kTolerances);
  ASSERT_FALSE(same_day);
  EXPECT_EQ(same_day.error().field, "read_on");
}

TEST(BillingReadValidation, GallonMeterWithMultiplier) {
  // 6 dials, gallons ×10: 12,000 -> 12,300 is 300 × 10 = 3,000 gal = 4,010.416… -> 4,010 mccf.
  Meter m;
  m.serial = "G1";
  m.dials = 6;
  m.multiplier = 10;
  m.unit = MeterUnit::kGallons;
  auto d = validate_read(m, actual_prior(12'000, kJan1), 12'300, kJan31, DailyUse{}, kTolerances);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->usage_mccf, 4010);
}

TEST(BillingEstimation, AverageOfTheLastPeriods) {
  // Periods (newest first): 31 days 310 CCF, 28 days 420, 31 days 310, and an older one ignored
  // with N = 3: 1,040 CCF / 90 days; 30 days -> 346.666… -> 346,667 mccf -> 347 CCF units.
  std::vector<PeriodUsage> h = {
      {CivilDate{2025, 9, 1}, CivilDate{2025, 10, 1}, 999'000, false},
      {CivilDate{2025, 10, 1}, CivilDate{2025, 11, 1}, 310'000, false},
      {CivilDate{2025, 11, 1}, CivilDate{2025, 11, 29}, 420'000, false},
      {CivilDate{2025, 11, 29}, CivilDate{2025, 12, 30}, 310'000, false},
  };
  const CivilDate prev{2025, 12, 30};
  auto e = estimate_read(ccf_meter(), actual_prior(2000, prev), CivilDate{2026, 1, 29}, h,
                         EstimateMethod::kAverage, 3);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->days, 30);
  EXPECT_EQ(e->register_units, 347);
  EXPECT_EQ(e->read_value, 2347);
  EXPECT_EQ(e->usage_mccf, 347'000);
  auto avg = average_daily_use(h, 3);
  EXPECT_EQ(avg.usage_mccf, 1'040'000);
  EXPECT_EQ(avg.days, 90);
}

TEST(BillingEstimation, SamePeriodLastYear) {
  // Last year 2025-01-05 .. 2025-02-04 (30 days) used 150 CCF; this period 2026-01-05 ..
  // 2026-02-08 is 34 days: 150 × 34 / 30 = 170 CCF.
  std::vector<PeriodUsage> h = {
      {CivilDate{2024, 12, 5}, CivilDate{2025, 1, 5}, 400'000, false},
      {CivilDate{2025, 1, 5}, CivilDate{2025, 2, 4}, 150'000, false},
      {CivilDate{2025, 12, 5}, CivilDate{2026, 1, 5}, 900'000, false},
  };
  auto e = estimate_read(ccf_meter(), actual_prior(9900, CivilDate{2026, 1, 5}),
                         CivilDate{2026, 2, 8}, h, EstimateMethod::kLastYear, 3);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->register_units, 170);
  EXPECT_EQ(e->read_value, 70);  // 9,900 + 170 rolls over the four dials
  auto none = estimate_read(ccf_meter(), actual_prior(1, CivilDate{2026, 1, 5}),
                            CivilDate{2026, 2, 8}, {}, EstimateMethod::kLastYear, 3);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kUnprocessable);
}

TEST(BillingEstimation, TheNextActualReadTruesUpTheEstimate) {
  // Actual 1,000 on Jan 1; estimated 1,300 on Jan 31 (300 CCF billed); actual 1,250 on Mar 2.
  // The next period's usage is actual − estimate = 1,250 − 1,300 = −50 CCF (a credit); the
  // checks judge the 250 CCF since the last actual read over 60 days (expected 600 at 10/day:
  // 250 is 41.7%, not low).
  PriorRead prior{1300, kJan31, true, 1000, kJan1};
  auto d = validate_read(ccf_meter(), prior, 1250, CivilDate{2026, 3, 2}, kTenADay, kTolerances);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->true_up);
  EXPECT_EQ(d->register_units, -50);
  EXPECT_EQ(d->usage_mccf, -50'000);
  EXPECT_EQ(d->days, 30);
  EXPECT_EQ(d->check, ReadCheck::kOk);
  EXPECT_EQ(d->expected_mccf, 600'000);
  // Under-estimated: actual 1,700 -> usage 400 (1,700 − 1,300); checked 700 over 60 days: fine.
  auto up = validate_read(ccf_meter(), prior, 1700, CivilDate{2026, 3, 2}, kTenADay, kTolerances);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->register_units, 400);
  // Lower than the last ACTUAL read: a negative read, not a true-up.
  auto neg = validate_read(ccf_meter(), prior, 900, CivilDate{2026, 3, 2}, kTenADay, kTolerances);
  ASSERT_TRUE(neg);
  EXPECT_EQ(neg->check, ReadCheck::kNegative);
}

TEST(BillingEstimation, EstimateThenTrueUpAddsUpToTheActualUsage) {
  // Estimate from an average, then the actual read: estimate + true-up = actual − previous.
  std::vector<PeriodUsage> h = {{CivilDate{2025, 12, 2}, kJan1, 300'000, false}};
  auto e =
      estimate_read(ccf_meter(), actual_prior(1000, kJan1), kJan31, h, EstimateMethod::kAverage, 3);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->read_value, 1300);
  PriorRead prior{e->read_value, kJan31, true, 1000, kJan1};
  auto d = validate_read(ccf_meter(), prior, 1580, CivilDate{2026, 3, 2}, kTenADay, kTolerances);
  ASSERT_TRUE(d);
  EXPECT_EQ(e->usage_mccf + d->usage_mccf, 580'000);
}

}  // namespace
}  // namespace civicdesk::billing
