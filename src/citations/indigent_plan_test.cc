#include "citations/indigent_plan.h"

#include <gtest/gtest.h>

#include <numeric>

#include "citations/citations_test_support.h"

namespace civicdesk::citations {
namespace {

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}
CivilDate d(int y, int m, int day) {
  return CivilDate{y, m, day};
}

// VC 40220 as the demo City configures it.
PlanRules vc40220() {
  PlanRules r;
  r.tiers = {{usd(500'00), usd(25'00)}, {usd(1200'00), usd(50'00)}};
  r.max_months = 24;
  r.processing_fee = usd(5'00);
  r.grace_days = 10;
  return r;
}

std::vector<std::int64_t> cents(const std::vector<Money>& parts) {
  std::vector<std::int64_t> out;
  for (Money m : parts) out.push_back(m.cents());
  return out;
}

TEST(IndigentPlanSplit, RemainderCentsGoOneEachOnTheLastInstallments) {
  struct Case {
    std::int64_t total;
    int n;
    std::vector<std::int64_t> parts;
  };
  const Case cases[] = {
      {10000, 3, {3333, 3333, 3334}},
      {10001, 3, {3333, 3334, 3334}},
      {2, 3, {0, 1, 1}},
      {0, 2, {0, 0}},
      {2500, 1, {2500}},
      {50500, 24, {}},
  };
  for (const Case& c : cases) {
    auto parts = split_installments(usd(c.total), c.n);
    ASSERT_TRUE(parts) << parts.error().message;
    if (!c.parts.empty()) {
      EXPECT_EQ(cents(*parts), c.parts) << c.total << "/" << c.n;
    }
  }
  // $505.00 over 24: 20 × $21.04 then 4 × $21.05.
  const auto p = cents(*split_installments(usd(50500), 24));
  EXPECT_EQ(std::count(p.begin(), p.end(), 2104), 20);
  EXPECT_EQ(std::vector<std::int64_t>(p.end() - 4, p.end()),
            (std::vector<std::int64_t>{2105, 2105, 2105, 2105}));
}

TEST(IndigentPlanSplit, PartsAlwaysSumToTheTotalAndDifferByAtMostACent) {
  for (std::int64_t total = 0; total < 3000; total += 7) {
    for (int n = 1; n <= 24; ++n) {
      const auto p = cents(*split_installments(usd(total), n));
      ASSERT_EQ(std::accumulate(p.begin(), p.end(), std::int64_t{0}), total);
      ASSERT_LE(*std::max_element(p.begin(), p.end()) - *std::min_element(p.begin(), p.end()), 1);
      ASSERT_TRUE(std::is_sorted(p.begin(), p.end()));
      ASSERT_EQ(p.back(), (total + n - 1) / n);
    }
  }
}

TEST(IndigentPlanSplit, LimitsOnMonthsAndSign) {
  EXPECT_EQ(split_installments(usd(100), 0).error().field, "months");
  EXPECT_TRUE(split_installments(usd(100), kMaxInstallments));
  EXPECT_EQ(split_installments(usd(100), kMaxInstallments + 1).error().field, "months");
  EXPECT_EQ(split_installments(usd(-100), 2).error().field, "total");
}

TEST(IndigentPlanRules, TiersCapsAndFewestMonths) {
  const PlanRules rules = vc40220();
  struct Case {
    std::int64_t fines;
    std::int64_t cap;  // 0: no plan
    int fewest;        // 0: not payable within 24 months
  };
  const Case cases[] = {
      {1, 2500, 1},        // $0.01 + $5.00 fee
      {2000, 2500, 1},     // $20 + $5 = $25: one installment at the cap
      {2001, 2500, 2},     // a cent over the cap
      {30000, 2500, 13},   // $305 / 13 = $23.47 (ceil)
      {49500, 2500, 20},   // $500.00 in 20 × $25.00
      {49501, 2500, 21},   // $500.01 needs a 21st month
      {50000, 2500, 21},   // $505: 20 months would be $25.25
      {50001, 5000, 11},   // above $500: the $50 tier
      {114500, 5000, 23},  // $1,150 in 23 × $50
      {120000, 5000, 0},   // $1,205 cannot be paid in 24 × $50
      {120001, 0, 0},      // above the last tier: no plan
      {0, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fines);
    auto cap = max_monthly_installment(rules, usd(c.fines));
    auto fewest = fewest_months(rules, usd(c.fines));
    if (c.cap == 0) {
      ASSERT_FALSE(cap);
      EXPECT_EQ(cap.error().code, ErrorCode::kUnprocessable);
      EXPECT_EQ(cap.error().field, "fines");
    } else {
      ASSERT_TRUE(cap);
      EXPECT_EQ(cap->cents(), c.cap);
    }
    if (c.fewest == 0) {
      EXPECT_FALSE(fewest);
    } else {
      ASSERT_TRUE(fewest) << fewest.error().message;
      EXPECT_EQ(*fewest, c.fewest);
    }
  }
  EXPECT_NE(max_monthly_installment(rules, usd(120001)).error().message.find("$1,200.00"),
            std::string::npos);
}

TEST(IndigentPlanMake, ScheduleWithFeeAndWaivedLateFees) {
  const PlanRules rules = vc40220();
  const BusinessCalendar calendar = testing::riverton_2026();
  auto plan = make_plan(rules, calendar,
                        {.fines = usd(300'00),
                         .late_fees = usd(60'00),
                         .months = 13,
                         .proof = IndigencyProof::kAttested,
                         .enrolled_on = d(2026, 3, 2)});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->total.cents(), 305'00);
  EXPECT_EQ(plan->processing_fee.cents(), 5'00);
  EXPECT_EQ(plan->max_monthly.cents(), 25'00);
  EXPECT_EQ(plan->late_fees_waived.cents(), 60'00);
  ASSERT_EQ(plan->installments.size(), 13u);
  std::int64_t sum = 0;
  for (const Installment& i : plan->installments) sum += i.amount.cents();
  EXPECT_EQ(sum, 305'00);
  // 30500 / 13 = 2346 remainder 2: the last two installments carry a cent more.
  EXPECT_EQ(plan->installments[0].amount.cents(), 2346);
  EXPECT_EQ(plan->installments[10].amount.cents(), 2346);
  EXPECT_EQ(plan->installments[11].amount.cents(), 2347);
  EXPECT_EQ(plan->installments[12].amount.cents(), 2347);
  // Due monthly on the 2nd, moved off weekends: 05-02 is a Saturday.
  EXPECT_EQ(plan->installments[0].due_on, d(2026, 4, 2));
  EXPECT_EQ(plan->installments[1].due_on, d(2026, 5, 4));
  EXPECT_EQ(plan->installments[12].due_on, d(2027, 4, 2));
  EXPECT_EQ(plan->installments[12].number, 13);
}

TEST(IndigentPlanMake, DueDatesAtMonthEndAndOnHolidays) {
  const BusinessCalendar calendar = testing::riverton_2026();
  struct Case {
    CivilDate from;
    int months;
    CivilDate added;
  };
  const Case cases[] = {{d(2026, 1, 31), 1, d(2026, 2, 28)},  {d(2028, 1, 31), 1, d(2028, 2, 29)},
                        {d(2026, 12, 15), 1, d(2027, 1, 15)}, {d(2026, 3, 31), -1, d(2026, 2, 28)},
                        {d(2026, 5, 10), 24, d(2028, 5, 10)}, {d(2026, 8, 31), 3, d(2026, 11, 30)}};
  for (const Case& c : cases) EXPECT_EQ(add_months(c.from, c.months), c.added) << c.from.iso();

  auto plan = make_plan(vc40220(), calendar,
                        {.fines = usd(95'00), .months = 4, .enrolled_on = d(2026, 1, 31)});
  ASSERT_TRUE(plan) << plan.error().message;
  // 02-28 Saturday → 03-02; 03-31 Cesar Chavez Day → 04-01; 04-30 Thursday; 05-31 Sunday → 06-01.
  const CivilDate expected[] = {d(2026, 3, 2), d(2026, 4, 1), d(2026, 4, 30), d(2026, 6, 1)};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(plan->installments[i].due_on, expected[i]);
}

TEST(IndigentPlanMake, EveryRuleRefusesWithItsField) {
  const PlanRules rules = vc40220();
  PlanRules documented = rules;
  documented.require_documentation = true;
  const BusinessCalendar calendar = testing::riverton_2026();
  struct Case {
    const PlanRules* rules;
    PlanRequest request;
    ErrorCode code;
    const char* field;
    const char* message;
  };
  const CivilDate on = d(2026, 3, 2);
  const Case cases[] = {
      {&rules,
       {usd(300'00), {}, 0, IndigencyProof::kAttested, on},
       ErrorCode::kInvalidInput,
       "months",
       "between 1 and 24"},
      {&rules,
       {usd(300'00), {}, 25, IndigencyProof::kAttested, on},
       ErrorCode::kInvalidInput,
       "months",
       "between 1 and 24"},
      {&rules,
       {usd(500'00), {}, 20, IndigencyProof::kAttested, on},
       ErrorCode::kUnprocessable,
       "months",
       "choose at least 21 months"},
      {&rules,
       {usd(1200'00), {}, 24, IndigencyProof::kAttested, on},
       ErrorCode::kUnprocessable,
       "months",
       "cannot be paid in 24 months"},
      {&rules,
       {usd(1200'01), {}, 24, IndigencyProof::kAttested, on},
       ErrorCode::kUnprocessable,
       "fines",
       "above the largest payment plan"},
      {&rules,
       {usd(0), {}, 1, IndigencyProof::kAttested, on},
       ErrorCode::kUnprocessable,
       "fines",
       "needs fines"},
      {&rules,
       {usd(100'00), usd(-1), 6, IndigencyProof::kAttested, on},
       ErrorCode::kInvalidInput,
       "late_fees",
       "negative"},
      {&documented,
       {usd(100'00), {}, 6, IndigencyProof::kAttested, on},
       ErrorCode::kUnprocessable,
       "proof",
       "documents"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    auto plan = make_plan(*c.rules, calendar, c.request);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().code, c.code);
    EXPECT_EQ(plan.error().field, c.field);
    EXPECT_NE(plan.error().message.find(c.message), std::string::npos) << plan.error().message;
  }
  EXPECT_TRUE(
      make_plan(documented, calendar, {usd(100'00), {}, 6, IndigencyProof::kDocumented, on}));
  EXPECT_TRUE(make_plan(rules, calendar, {usd(500'00), {}, 21, IndigencyProof::kAttested, on}));
  EXPECT_TRUE(make_plan(rules, calendar, {usd(495'00), {}, 20, IndigencyProof::kAttested, on}));
}

TEST(IndigentPlanCheck, BrokenAfterGraceDaysCompletedWhenPaid) {
  const PlanRules rules = vc40220();
  const PaymentPlan plan = make_plan(rules, testing::riverton_2026(),
                                     {.fines = usd(300'00),
                                      .late_fees = usd(60'00),
                                      .months = 13,
                                      .enrolled_on = d(2026, 3, 2)})
                               .value();
  // Installments of $23.46 due 04-02, 05-04, 06-02, ...; grace 10 days.
  struct Case {
    CivilDate as_of;
    std::int64_t paid;
    PlanStanding standing;
    std::int64_t due_so_far;
    std::optional<int> next;
    std::optional<int> missed;
  };
  const auto current = PlanStanding::kCurrent, broken = PlanStanding::kBroken,
             done = PlanStanding::kCompleted;
  const Case cases[] = {
      {d(2026, 4, 1), 0, current, 0, 1, {}},
      {d(2026, 4, 2), 0, current, 2346, 1, {}},
      {d(2026, 4, 12), 0, current, 2346, 1, {}},  // the 10th day of grace
      {d(2026, 4, 13), 0, broken, 2346, 1, 1},
      {d(2026, 4, 13), 2345, broken, 2346, 1, 1},  // a cent short
      {d(2026, 4, 13), 2346, current, 2346, 2, {}},
      {d(2026, 5, 14), 2346, current, 4692, 2, {}},  // 05-04 + 10
      {d(2026, 5, 15), 4000, broken, 4692, 2, 2},
      {d(2026, 5, 15), 10000, current, 4692, 5, {}},  // paid ahead
      {d(2026, 4, 1), 30500, done, 0, {}, {}},
      {d(2027, 12, 1), 30500, done, 30500, {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.as_of.iso() + " paid " + std::to_string(c.paid));
    const PlanCheck check = check_plan(rules, plan, usd(c.paid), c.as_of);
    EXPECT_EQ(check.standing, c.standing);
    EXPECT_EQ(check.due_so_far.cents(), c.due_so_far);
    EXPECT_EQ(check.next_installment, c.next);
    EXPECT_EQ(check.missed_installment, c.missed);
    // Late fees waived on enrolment come back on default, and only then.
    EXPECT_EQ(check.late_fees_to_reinstate.cents(), c.standing == broken ? 60'00 : 0);
  }
}

}  // namespace
}  // namespace civicdesk::citations
