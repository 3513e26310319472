#include "citations/citation_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "citations/citations_test_support.h"

namespace civicdesk::citations {
namespace {

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}
CivilDate d(int y, int m, int day) {
  return CivilDate{y, m, day};
}

// The demo City's escalation (config/demo-city.yaml), written out by hand.
CitationRules riverton() {
  CitationRules r;
  r.violations = {
      {"TRC7.2.22",
       "Street cleaning",
       {{d(2021, 7, 1), usd(8500)}, {d(2022, 1, 10), usd(8400)}, {d(2022, 7, 1), usd(8700)}}},
      {"V5204A", "Expired registration tabs", {{d(2021, 7, 1), usd(12100)}}},
  };
  r.escalation = {
      {1, 21, StepKind::kPenalty, "First late penalty", usd(2500)},
      {2, 21, StepKind::kNotice, "Notice of delinquency"},
      {3, 40, StepKind::kDelinquent, "Delinquent"},
      {4, 58, StepKind::kPenalty, "Second late penalty", usd(3500)},
      {5, 58, StepKind::kDmvHold, "DMV registration hold"},
      {6, 90, StepKind::kCollections, "Referral to collections"},
  };
  return r;
}

// New York's public schedule (../shared/testdata/nyc-parking-tickets-extract/README.md): +$10
// after 30 days, a further +$20 after 60, a further +$30 after 90.
CitationRules nyc() {
  CitationRules r;
  r.escalation = {{1, 30, StepKind::kPenalty, "First penalty", usd(1000)},
                  {2, 60, StepKind::kPenalty, "Second penalty", usd(2000)},
                  {3, 90, StepKind::kPenalty, "Third penalty", usd(3000)}};
  return r;
}

std::vector<int> numbers(const std::vector<DueStep>& steps) {
  std::vector<int> out;
  for (const DueStep& s : steps) out.push_back(s.number);
  return out;
}

// --- fines ------------------------------------------------------------------------------------

TEST(CitationFines, LookedUpByTheScheduleInForceOnTheIssueDate) {
  const CitationRules rules = riverton();
  struct Case {
    CivilDate issued;
    std::int64_t cents;
  };
  const Case cases[] = {
      {d(2021, 7, 1), 8500},  {d(2022, 1, 9), 8500}, {d(2022, 1, 10), 8400},
      {d(2022, 6, 30), 8400}, {d(2022, 7, 1), 8700}, {d(2022, 12, 31), 8700},
      {d(2026, 5, 1), 8700},  {d(2099, 1, 1), 8700},
  };
  for (const Case& c : cases) {
    auto fine = scheduled_fine(rules, "TRC7.2.22", c.issued);
    ASSERT_TRUE(fine) << c.issued.iso() << ": " << fine.error().message;
    EXPECT_EQ(fine->cents(), c.cents) << c.issued.iso();
  }
  EXPECT_EQ(scheduled_fine(rules, "V5204A", d(2030, 1, 1))->cents(), 12100);
}

TEST(CitationFines, UnknownCodeAndDateBeforeTheScheduleAreRefused) {
  const CitationRules rules = riverton();
  auto early = scheduled_fine(rules, "TRC7.2.22", d(2021, 6, 30));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "violation_code");
  EXPECT_NE(early.error().message.find("the schedule starts 2021-07-01"), std::string::npos);
  auto unknown = scheduled_fine(rules, "TRC9.9", d(2022, 1, 1));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(unknown.error().message.find("not in the City's fine schedule"), std::string::npos);
}

// --- check digits ------------------------------------------------------------------------------

TEST(CitationCheckDigit, Mod7OverTheDigitRunAsSfmtaNumbers) {
  // Real SFMTA numbers from the sample, including the letter series.
  for (const char* n : {"954556433", "948620061", "956328531", "PD36917473", "10055264T",
                        "37314373T", "PD35296380"}) {
    EXPECT_TRUE(check_digit_ok(CheckDigit::kMod7, n)) << n;
  }
  EXPECT_EQ(compute_check_digit(CheckDigit::kMod7, "95455643"), 3);  // 95455643 = 7 * 13636520 + 3
  EXPECT_EQ(compute_check_digit(CheckDigit::kMod7, "0"), 0);
  for (const char* n : {"954556434", "954556430", "PD36917474", "95A4556433", "PD", "7", "",
                        "954556433-", "pd36917473"}) {
    EXPECT_FALSE(check_digit_ok(CheckDigit::kMod7, n)) << n;
  }
  // A long body cannot overflow: mod 7 is taken digit by digit.
  const std::string body(40, '9');
  const int check = compute_check_digit(CheckDigit::kMod7, body);
  EXPECT_TRUE(check_digit_ok(CheckDigit::kMod7, body + std::to_string(check)));
}

TEST(CitationCheckDigit, LuhnAndNone) {
  EXPECT_TRUE(check_digit_ok(CheckDigit::kLuhn, "79927398713"));  // the textbook example
  EXPECT_FALSE(check_digit_ok(CheckDigit::kLuhn, "79927398710"));
  EXPECT_EQ(compute_check_digit(CheckDigit::kLuhn, "7992739871"), 3);
  EXPECT_TRUE(check_digit_ok(CheckDigit::kLuhn, "RV79927398713"));
  EXPECT_TRUE(check_digit_ok(CheckDigit::kNone, "anything at all"));
  EXPECT_EQ(parse_check_digit("mod7", "check_digit"), CheckDigit::kMod7);
  EXPECT_EQ(parse_check_digit("MOD7", "check_digit").error().field, "check_digit");
  EXPECT_EQ(to_string(CheckDigit::kLuhn), "luhn");
}

// --- escalation ---------------------------------------------------------------------------------

EscalationHistory issued(CivilDate on, Money fine = usd(8700)) {
  return EscalationHistory{.issued_on = on, .fine = fine};
}

TEST(CitationEscalation, EveryRivertonStepOnItsDay) {
  const CitationRules rules = riverton();
  const BusinessCalendar calendar = testing::riverton_2026();
  // Issued Monday 2026-03-02. Day 21 is Monday 03-23; day 40 is Saturday 04-11 (→ Monday
  // 04-13); day 58 is Wednesday 04-29; day 90 is Sunday 05-31 (→ Monday 06-01). Each step posts
  // the day after its (moved) last day.
  struct Case {
    CivilDate as_of;
    std::vector<int> done;
    CitationState state;
    std::vector<int> due;
  };
  const CitationState is{CitationStatus::kIssued}, ns{CitationStatus::kNoticeSent},
      dq{CitationStatus::kDelinquent}, held{CitationStatus::kDelinquent, true};
  const Case cases[] = {
      {d(2026, 3, 2), {}, is, {}},
      {d(2026, 3, 23), {}, is, {}},
      {d(2026, 3, 24), {}, is, {1, 2}},
      {d(2026, 4, 13), {1, 2}, ns, {}},
      {d(2026, 4, 14), {1, 2}, ns, {3}},
      {d(2026, 4, 29), {1, 2, 3}, dq, {}},
      {d(2026, 4, 30), {1, 2, 3}, dq, {4, 5}},
      {d(2026, 6, 1), {1, 2, 3, 4, 5}, held, {}},
      {d(2026, 6, 2), {1, 2, 3, 4, 5}, held, {6}},
      {d(2026, 6, 2), {1, 2, 3, 4, 5, 6}, {CitationStatus::kCollections, true}, {}},
      // A missed week of nightly runs is caught up in step order, each step once.
      {d(2026, 6, 2), {}, is, {1, 2, 3, 4, 5, 6}},
      {d(2026, 6, 2), {2, 4}, ns, {1, 3, 5, 6}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.as_of.iso());
    EscalationHistory h = issued(d(2026, 3, 2));
    h.state = c.state;
    h.steps_done = c.done;
    EXPECT_EQ(numbers(due_steps(rules, calendar, h, c.as_of)), c.due);
  }
}

TEST(CitationEscalation, StepsCarryTheirAmountsEventsAndStates) {
  const CitationRules rules = riverton();
  const auto due = due_steps(rules, testing::riverton_2026(), issued(d(2026, 3, 2)), d(2026, 6, 2));
  ASSERT_EQ(due.size(), 6u);
  EXPECT_EQ(due[0].amount.cents(), 2500);
  EXPECT_FALSE(due[0].event);
  EXPECT_EQ(due[0].due_on, d(2026, 3, 24));
  EXPECT_EQ(due[1].event, CitationEvent::kSendNotice);
  EXPECT_EQ(due[1].state_after.status, CitationStatus::kNoticeSent);
  EXPECT_EQ(due[2].state_after.status, CitationStatus::kDelinquent);
  EXPECT_EQ(due[2].due_on, d(2026, 4, 14));
  EXPECT_EQ(due[3].amount.cents(), 3500);
  EXPECT_EQ(due[4].event, CitationEvent::kPlaceHold);
  EXPECT_EQ(due[4].state_after, (CitationState{CitationStatus::kDelinquent, true}));
  EXPECT_EQ(due[5].event, CitationEvent::kSendToCollections);
  EXPECT_EQ(due[5].state_after, (CitationState{CitationStatus::kCollections, true}));
  EXPECT_EQ(due[5].due_on, d(2026, 6, 2));
  for (const DueStep& s : due) EXPECT_FALSE(s.without_effect) << s.number;
}

TEST(CitationEscalation, NightlyRunsPostEachStepExactlyOnce) {
  // The nightly run every day for 200 days, posting what is due and recording it, as the
  // service will: each step posts once, on the day it first becomes due.
  const CitationRules rules = riverton();
  const BusinessCalendar calendar = testing::riverton_2026();
  EscalationHistory h = issued(d(2026, 3, 2));
  std::vector<std::pair<int, CivilDate>> posted;
  Money penalties;
  for (CivilDate day = d(2026, 3, 2); day < d(2026, 9, 18); day = day.plus_days(1)) {
    // The stored next_step_due_on selects exactly the citations with something due.
    const auto next = next_step_due_on(rules, calendar, h);
    const auto due = due_steps(rules, calendar, h, day);
    EXPECT_EQ(!due.empty(), next && *next <= day) << day.iso();
    for (const DueStep& s : due) {
      posted.emplace_back(s.number, day);
      penalties = penalties.add(s.amount).value();
      h.state = s.state_after;
      h.steps_done.push_back(s.number);
    }
    EXPECT_TRUE(due_steps(rules, calendar, h, day).empty()) << "a second run on " << day.iso();
  }
  const std::vector<std::pair<int, CivilDate>> expected = {{1, d(2026, 3, 24)}, {2, d(2026, 3, 24)},
                                                           {3, d(2026, 4, 14)}, {4, d(2026, 4, 30)},
                                                           {5, d(2026, 4, 30)}, {6, d(2026, 6, 2)}};
  EXPECT_EQ(posted, expected);
  EXPECT_EQ(penalties.cents(), 6000);
  EXPECT_EQ(h.state, (CitationState{CitationStatus::kCollections, true}));
  EXPECT_FALSE(next_step_due_on(rules, calendar, h));
}

TEST(CitationEscalation, NextStepDueOnForTheNightlyIndex) {
  const CitationRules rules = riverton();
  const BusinessCalendar calendar = testing::riverton_2026();
  EscalationHistory h = issued(d(2026, 3, 2));
  EXPECT_EQ(next_step_due_on(rules, calendar, h), d(2026, 3, 24));
  h.steps_done = {1, 2};
  h.state = {CitationStatus::kNoticeSent, false};
  EXPECT_EQ(next_step_due_on(rules, calendar, h), d(2026, 4, 14));
  h.suspensions = {{d(2026, 4, 1), std::nullopt, SuspensionReason::kContest}};
  EXPECT_FALSE(next_step_due_on(rules, calendar, h));               // contest pending
  h.suspensions[0].until = d(2026, 4, 11);                          // decided after 10 days
  EXPECT_EQ(next_step_due_on(rules, calendar, h), d(2026, 4, 22));  // 04-11 + 10 = Tue 04-21
  h.state = {CitationStatus::kPaid, false};
  EXPECT_FALSE(next_step_due_on(rules, calendar, h));
}

TEST(CitationEscalation, AWeekendOrHolidayLastDayGivesTheNextBusinessDay) {
  // The first NYC step (30 days), issued on dates whose 30th day is each kind of day.
  const CitationRules rules = nyc();
  const BusinessCalendar calendar = testing::riverton_2026();
  struct Row {
    CivilDate issued_on;
    CivilDate counted;   // issue + 30
    CivilDate last_day;  // moved to a business day
  };
  const Row rows[] = {
      {d(2026, 1, 5), d(2026, 2, 4), d(2026, 2, 4)},        // Wednesday
      {d(2026, 1, 14), d(2026, 2, 13), d(2026, 2, 13)},     // Friday
      {d(2026, 1, 15), d(2026, 2, 14), d(2026, 2, 17)},     // Saturday, then Presidents' Day
      {d(2026, 1, 13), d(2026, 2, 12), d(2026, 2, 13)},     // Lincoln's Birthday (Thursday)
      {d(2026, 6, 3), d(2026, 7, 3), d(2026, 7, 6)},        // Independence Day observed (Friday)
      {d(2026, 10, 27), d(2026, 11, 26), d(2026, 11, 30)},  // Thanksgiving and the day after
      {d(2026, 11, 25), d(2026, 12, 25), d(2026, 12, 28)},  // Christmas (Friday)
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.issued_on.iso());
    ASSERT_EQ(r.issued_on.plus_days(30), r.counted);
    const EscalationHistory h = issued(r.issued_on);
    EXPECT_EQ(step_due_on(rules, calendar, h, rules.escalation[0]), r.last_day.plus_days(1));
    EXPECT_TRUE(due_steps(rules, calendar, h, r.last_day).empty());
    EXPECT_EQ(numbers(due_steps(rules, calendar, h, r.last_day.plus_days(1))), std::vector<int>{1});
  }
}

TEST(CitationEscalation, NycPenaltiesAddTenTwentyThirty) {
  const CitationRules rules = nyc();
  const BusinessCalendar calendar = testing::riverton_2026();
  // Issued Thursday 2026-01-08: day 30 Sat 02-07 → Mon 02-09; day 60 Mon 03-09; day 90 Wed 04-08.
  struct Case {
    CivilDate as_of;
    std::int64_t total_cents;
  };
  const Case cases[] = {{d(2026, 2, 9), 0},     {d(2026, 2, 10), 1000}, {d(2026, 3, 9), 1000},
                        {d(2026, 3, 10), 3000}, {d(2026, 4, 8), 3000},  {d(2026, 4, 9), 6000}};
  for (const Case& c : cases) {
    std::int64_t total = 0;
    for (const DueStep& s : due_steps(rules, calendar, issued(d(2026, 1, 8)), c.as_of))
      total += s.amount.cents();
    EXPECT_EQ(total, c.total_cents) << c.as_of.iso();
  }
}

TEST(CitationEscalation, PercentOfFinePenaltiesRoundHalfUp) {
  struct Case {
    int percent;
    std::int64_t fine_cents;
    std::int64_t penalty_cents;
  };
  const Case cases[] = {{100, 8700, 8700},   {50, 8701, 4351}, {50, 8699, 4350},
                        {150, 10800, 16200}, {1, 49, 0},       {1, 50, 1}};
  for (const Case& c : cases) {
    EscalationStep step{1, 21, StepKind::kPenalty, "late", {}, c.percent};
    EXPECT_EQ(penalty_amount(step, usd(c.fine_cents))->cents(), c.penalty_cents)
        << c.percent << "% of " << c.fine_cents;
  }
  EXPECT_EQ(penalty_amount({1, 21, StepKind::kPenalty, "late", usd(2500)}, usd(8700))->cents(),
            2500);
  EXPECT_EQ(penalty_amount({2, 21, StepKind::kNotice, "notice"}, usd(8700))->cents(), 0);
}

TEST(CitationEscalation, ContestAndPlanSuspendTheClock) {
  const CitationRules rules = riverton();
  const BusinessCalendar calendar = testing::riverton_2026();
  const EscalationStep& first = rules.escalation[0];  // 21 days
  struct Case {
    const char* why;
    std::vector<Suspension> suspensions;
    std::optional<CivilDate> first_penalty;
  };
  const auto contest = SuspensionReason::kContest;
  const auto plan = SuspensionReason::kPlan;
  const Case cases[] = {
      {"none: day 21 is Mon 03-23", {}, d(2026, 3, 24)},
      {"a 20-day contest moves day 21 to Sun 04-12 → Mon 04-13",
       {{d(2026, 3, 12), d(2026, 4, 1), contest}},
       d(2026, 4, 14)},
      {"a contest filed on the last day keeps the whole day: 03-23 + 10 = Thu 04-02",
       {{d(2026, 3, 23), d(2026, 4, 2), contest}},
       d(2026, 4, 3)},
      {"a contest filed after the last day does not move it",
       {{d(2026, 3, 24), d(2026, 4, 2), contest}},
       d(2026, 3, 24)},
      {"two suspensions add up: 5 + 7 days → 04-04 (Sat) → Mon 04-06",
       {{d(2026, 3, 5), d(2026, 3, 10), contest}, {d(2026, 3, 20), d(2026, 3, 27), plan}},
       d(2026, 4, 7)},
      {"overlapping suspensions count once: 03-05..03-12 → 7 days → 03-30",
       {{d(2026, 3, 5), d(2026, 3, 10), contest}, {d(2026, 3, 8), d(2026, 3, 12), plan}},
       d(2026, 3, 31)},
      {"a suspension before the issue date is ignored",
       {{d(2026, 2, 1), d(2026, 2, 20), plan}},
       d(2026, 3, 24)},
      {"an open suspension stops the clock", {{d(2026, 3, 12), std::nullopt, contest}}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    EscalationHistory h = issued(d(2026, 3, 2));
    h.suspensions = c.suspensions;
    EXPECT_EQ(step_due_on(rules, calendar, h, first), c.first_penalty);
  }
}

TEST(CitationEscalation, NothingAccruesWhileContestedOnAPlanOrClosed) {
  const CitationRules rules = riverton();
  const BusinessCalendar calendar = testing::riverton_2026();
  for (CitationStatus s : kCitationStatuses) {
    EscalationHistory h = issued(d(2026, 3, 2));
    h.state = {s, false};
    const bool any = !due_steps(rules, calendar, h, d(2026, 12, 1)).empty();
    EXPECT_EQ(any, is_owed(s)) << to_string(s);
  }
  // An owed state with an open suspension (a plan recorded but the status not yet moved).
  EscalationHistory h = issued(d(2026, 3, 2));
  h.suspensions = {{d(2026, 3, 10), std::nullopt, SuspensionReason::kPlan}};
  EXPECT_TRUE(due_steps(rules, calendar, h, d(2026, 12, 1)).empty());
}

TEST(CitationEscalation, RestartAfterDecisionCountsFromTheDecision) {
  CitationRules rules = riverton();
  const BusinessCalendar calendar = testing::riverton_2026();
  EscalationHistory h = issued(d(2026, 3, 2));
  h.state = {CitationStatus::kReviewDecided, false};
  h.suspensions = {{d(2026, 3, 12), d(2026, 4, 1), SuspensionReason::kContest}};
  // Resume: 10 days were used before the contest, 11 remain after 04-01 → 04-12 (Sun) → 04-13.
  EXPECT_EQ(step_due_on(rules, calendar, h, rules.escalation[0]), d(2026, 4, 14));
  // Restart: 21 days from the decision, 04-22 (Wednesday).
  rules.contest.restart_escalation_after_decision = true;
  EXPECT_EQ(step_due_on(rules, calendar, h, rules.escalation[0]), d(2026, 4, 23));
  // A plan's end does not restart the clock, only a decided contest does.
  h.suspensions[0].reason = SuspensionReason::kPlan;
  EXPECT_EQ(step_due_on(rules, calendar, h, rules.escalation[0]), d(2026, 4, 14));
}

TEST(CitationEscalation, AStepWithNothingToDoIsDueWithoutEffect) {
  const CitationRules rules = riverton();
  const BusinessCalendar calendar = testing::riverton_2026();
  // The notice went out by hand before the run (state notice_sent, step 2 not recorded).
  EscalationHistory h = issued(d(2026, 3, 2));
  h.state = {CitationStatus::kNoticeSent, false};
  auto due = due_steps(rules, calendar, h, d(2026, 3, 24));
  ASSERT_EQ(numbers(due), (std::vector<int>{1, 2}));
  EXPECT_FALSE(due[0].without_effect);
  EXPECT_TRUE(due[1].without_effect);
  EXPECT_NE(due[1].note.find("send_notice"), std::string::npos);
  EXPECT_EQ(due[1].state_after.status, CitationStatus::kNoticeSent);
  // A percent penalty on a fine reduced to zero.
  CitationRules percent = riverton();
  percent.escalation[0].amount = {};
  percent.escalation[0].percent_of_fine = 100;
  h = issued(d(2026, 3, 2), usd(0));
  due = due_steps(percent, calendar, h, d(2026, 3, 24));
  ASSERT_FALSE(due.empty());
  EXPECT_TRUE(due[0].without_effect);
  EXPECT_EQ(due[0].note, "the penalty comes to $0.00");
}

TEST(CitationEscalation, StepKindNames) {
  for (StepKind k : {StepKind::kPenalty, StepKind::kNotice, StepKind::kDelinquent,
                     StepKind::kDmvHold, StepKind::kCollections})
    EXPECT_EQ(parse_step_kind(to_string(k), "kind"), k);
  EXPECT_EQ(parse_step_kind("hold", "escalation[0].kind").error().field, "escalation[0].kind");
}

}  // namespace
}  // namespace civicdesk::citations
