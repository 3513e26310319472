#include "citations/deadlines.h"

#include <gtest/gtest.h>

#include "citations/citations_test_support.h"

namespace civicdesk::citations {
namespace {

CivilDate d(int y, int m, int day) {
  return CivilDate{y, m, day};
}

// Every deadline of VC 40215 / 40230 with the demo City's 2026 holidays: the last counted day on
// a business day, a Saturday, a Sunday, a holiday, and a holiday next to a weekend.
TEST(CitationDeadlines, InitialReviewWithin21DaysOfIssue) {
  const ContestRules rules;
  const BusinessCalendar calendar = testing::riverton_2026();
  struct Case {
    CivilDate issued;
    CivilDate last_day;
    const char* why;
  };
  const Case cases[] = {
      {d(2026, 3, 2), d(2026, 3, 23), "day 21 is a Monday"},
      {d(2026, 3, 6), d(2026, 3, 27), "day 21 is a Friday"},
      {d(2026, 2, 28), d(2026, 3, 23), "day 21 is Saturday 03-21 → Monday"},
      {d(2026, 3, 1), d(2026, 3, 23), "day 21 is Sunday 03-22 → Monday"},
      {d(2026, 3, 10), d(2026, 4, 1), "day 21 is Cesar Chavez Day (Tuesday 03-31) → Wednesday"},
      {d(2026, 6, 12), d(2026, 7, 6), "day 21 is July 3rd observed (Friday) → Monday"},
      {d(2026, 1, 26), d(2026, 2, 17), "day 21 is Monday 02-16, Presidents' Day → Tuesday"},
      {d(2026, 1, 24), d(2026, 2, 17), "day 21 is Saturday 02-14; Monday 02-16 a holiday"},
      {d(2026, 11, 5), d(2026, 11, 30), "day 21 is Thanksgiving; Friday too → Monday"},
      {d(2026, 12, 11), d(2027, 1, 4), "day 21 is New Year's Day 2027 (Friday) → Monday"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    const Deadline dl = review_request_deadline(rules, calendar, c.issued);
    EXPECT_EQ(dl.counted_to, c.issued.plus_days(21));
    EXPECT_EQ(dl.last_day, c.last_day);
    EXPECT_EQ(dl.moved(), dl.counted_to != c.last_day);
    EXPECT_TRUE(calendar.is_business_day(dl.last_day));
  }
}

TEST(CitationDeadlines, InitialReviewWithin14DaysOfTheNoticeWhenLater) {
  const ContestRules rules;
  const BusinessCalendar calendar = testing::riverton_2026();
  struct Case {
    CivilDate issued;
    CivilDate notice_mailed;
    CivilDate last_day;
    const char* rule;
  };
  const Case cases[] = {
      // The notice goes out on day 22; its 14 days end on day 36.
      {d(2026, 3, 2), d(2026, 3, 24), d(2026, 4, 7), "delinquency notice"},
      // A notice mailed early (day 5) ends before the 21 days from issue: the later wins.
      {d(2026, 3, 2), d(2026, 3, 7), d(2026, 3, 23), "issue date"},
      // Notice on Friday 06-19 (Juneteenth is a holiday, but mail goes out): +14 = Friday 07-03,
      // a holiday → Monday 07-06.
      {d(2026, 5, 20), d(2026, 6, 19), d(2026, 7, 6), "delinquency notice"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.notice_mailed.iso());
    const Deadline dl = review_request_deadline(rules, calendar, c.issued, c.notice_mailed);
    EXPECT_EQ(dl.last_day, c.last_day);
    EXPECT_NE(dl.rule.find(c.rule), std::string::npos) << dl.rule;
  }
}

TEST(CitationDeadlines, HearingWithin21DaysOfTheReviewDecisionAndCourtWithin20) {
  const ContestRules rules;
  const BusinessCalendar calendar = testing::riverton_2026();
  struct Case {
    CivilDate from;
    CivilDate hearing_last_day;
    CivilDate court_last_day;
  };
  const Case cases[] = {
      // 04-01 + 21 = Wednesday 04-22; + 20 = Tuesday 04-21.
      {d(2026, 4, 1), d(2026, 4, 22), d(2026, 4, 21)},
      // 08-17 + 21 = Monday 09-07, Labor Day → 09-08; + 20 = Sunday 09-06 → Tuesday 09-08.
      {d(2026, 8, 17), d(2026, 9, 8), d(2026, 9, 8)},
      // 09-04 + 21 = Friday 09-25, Native American Day → Monday 09-28; + 20 = Thursday 09-24.
      {d(2026, 9, 4), d(2026, 9, 28), d(2026, 9, 24)},
      // 12-04 + 21 = Friday 12-25 → Monday 12-28; + 20 = Thursday 12-24.
      {d(2026, 12, 4), d(2026, 12, 28), d(2026, 12, 24)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.from.iso());
    EXPECT_EQ(hearing_request_deadline(rules, calendar, c.from).last_day, c.hearing_last_day);
    EXPECT_EQ(court_appeal_deadline(rules, calendar, c.from).last_day, c.court_last_day);
  }
}

TEST(CitationDeadlines, PeriodsComeFromTheCityConfig) {
  ContestRules rules;
  rules.review_days_after_issue = 30;
  rules.hearing_days_after_review = 15;
  rules.court_days_after_hearing = 30;
  const BusinessCalendar calendar = testing::riverton_2026();
  EXPECT_EQ(review_request_deadline(rules, calendar, d(2026, 3, 2)).last_day, d(2026, 4, 1));
  EXPECT_EQ(hearing_request_deadline(rules, calendar, d(2026, 3, 2)).last_day, d(2026, 3, 17));
  EXPECT_EQ(court_appeal_deadline(rules, calendar, d(2026, 3, 2)).last_day, d(2026, 4, 1));
}

TEST(CitationDeadlines, OnTimeThroughTheLastDayOnly) {
  const ContestRules rules;
  const BusinessCalendar calendar = testing::riverton_2026();
  const Deadline dl = review_request_deadline(rules, calendar, d(2026, 2, 28));  // → 03-23
  EXPECT_TRUE(check_on_time(dl, d(2026, 2, 28), d(2026, 2, 28), "requested_on"));
  EXPECT_TRUE(check_on_time(dl, d(2026, 2, 28), d(2026, 3, 21), "requested_on"));
  EXPECT_TRUE(check_on_time(dl, d(2026, 2, 28), d(2026, 3, 23), "requested_on"));
  auto late = check_on_time(dl, d(2026, 2, 28), d(2026, 3, 24), "requested_on");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(late.error().field, "requested_on");
  EXPECT_EQ(late.error().message,
            "too late: the deadline was Monday 2026-03-23, 21 days after the issue date "
            "(VC 40215(a))");
  auto before = check_on_time(dl, d(2026, 2, 28), d(2026, 2, 27), "requested_on");
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::kInvalidInput);
}

TEST(CitationDeadlines, DescribedForTheCitationPage) {
  const ContestRules rules;
  const BusinessCalendar calendar = testing::riverton_2026();
  EXPECT_EQ(describe(review_request_deadline(rules, calendar, d(2026, 3, 2)), calendar),
            "Monday 2026-03-23: 21 days after the issue date (VC 40215(a))");
  EXPECT_EQ(describe(review_request_deadline(rules, calendar, d(2026, 2, 28)), calendar),
            "Monday 2026-03-23: 21 days after the issue date (VC 40215(a)); the last counted "
            "day, Saturday 2026-03-21, is a weekend");
  EXPECT_EQ(describe(review_request_deadline(rules, calendar, d(2026, 3, 10)), calendar),
            "Wednesday 2026-04-01: 21 days after the issue date (VC 40215(a)); the last counted "
            "day, Tuesday 2026-03-31, is a City holiday");
  EXPECT_EQ(describe(hearing_request_deadline(rules, calendar, d(2026, 4, 1)), calendar),
            "Wednesday 2026-04-22: 21 days after the review decision was mailed (VC 40215(b))");
}

}  // namespace
}  // namespace civicdesk::citations
