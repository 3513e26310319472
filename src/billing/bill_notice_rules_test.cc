// The notice rules with hand-made dates (bill_notice_rules.h): the late notice's day, the
// shut-off notice's 53 days and $50.00, the shut-off date's two floors (60 days delinquent, 7
// business days after mailing — SB 998) on the City's calendar, and the holds.
#include "billing/bill_notice_rules.h"

#include <gtest/gtest.h>

namespace civicdesk::billing {
namespace {

// The demo City's Thanksgiving holidays (Thursday and Friday).
BusinessCalendar calendar() {
  return BusinessCalendar({{2026, 11, 26}, {2026, 11, 27}});
}

OpenItem bill(std::int64_t id, CivilDate due, std::int64_t cents, bool noticed = false) {
  return OpenItem{id,
                  "Bill " + std::to_string(id),
                  due,
                  Money::from_cents(cents),
                  noticed,
                  /*obligation_id=*/100 + id};
}

NoticeAccount account(std::vector<OpenItem> items) {
  NoticeAccount a;
  a.account_number = 1001;
  a.items = std::move(items);
  return a;
}

TEST(NoticeRules, DefaultsComeFromTheSettingsAndTheLatePenalty) {
  BillingSettings s;
  s.runs.late_penalty.grace_days = 9;
  NoticeRules r = notice_rules(s);
  EXPECT_EQ(r.late_notice_days, 9);  // unset: the penalty's grace days
  EXPECT_EQ(r.shutoff_notice_days, 53);
  EXPECT_EQ(r.shutoff_min_balance, Money::from_cents(50'00));
  EXPECT_EQ(r.shutoff_after_days, 60);
  s.notices.late_notice_days = 0;
  EXPECT_EQ(notice_rules(s).late_notice_days, 0);
}

TEST(NoticeRules, ALateNoticeOnceTheDueDatePlusTheDaysHasPassed) {
  const NoticeRules r;  // 5 days
  const auto a = account({bill(7, {2026, 9, 3}, 40'00)});
  EXPECT_TRUE(decide_notices(r, calendar(), a, {2026, 9, 8}).late_notice_bills.empty());
  const auto d = decide_notices(r, calendar(), a, {2026, 9, 9});
  ASSERT_EQ(d.late_notice_bills.size(), 1u);
  EXPECT_EQ(d.late_notice_bills[0], 7);
  EXPECT_EQ(d.past_due, Money::from_cents(40'00));
  EXPECT_EQ(d.days_delinquent, 6);
  EXPECT_FALSE(d.shutoff_notice);
  // Once per bill: a bill with a late notice gets none again; a penalty (no bill) never does.
  const auto sent = account({bill(7, {2026, 9, 3}, 40'00, true), bill(0, {2026, 9, 1}, 4'00)});
  const auto again = decide_notices(r, calendar(), sent, {2026, 10, 1});
  EXPECT_TRUE(again.late_notice_bills.empty());
  EXPECT_EQ(again.past_due, Money::from_cents(44'00));
  EXPECT_EQ(again.delinquent_since, (CivilDate{2026, 9, 1}));
  // Not yet due, or paid: nothing past due, nothing sent.
  const auto later = account({bill(8, {2026, 10, 1}, 40'00), bill(9, {2026, 8, 1}, 0)});
  const auto none = decide_notices(r, calendar(), later, {2026, 10, 1});
  EXPECT_TRUE(none.late_notice_bills.empty());
  EXPECT_EQ(none.past_due, Money{});
}

TEST(NoticeRules, AShutOffNoticeAt53DaysAndFiftyDollars) {
  const NoticeRules r;
  // Due Thursday 2026-09-03; 2026-10-26 (a Monday) is 53 days later.
  const auto a = account({bill(1, {2026, 9, 3}, 30'00), bill(2, {2026, 10, 3}, 20'00)});
  EXPECT_FALSE(decide_notices(r, calendar(), a, {2026, 10, 25}).shutoff_notice);  // 52 days
  const auto d = decide_notices(r, calendar(), a, {2026, 10, 26});
  EXPECT_EQ(d.days_delinquent, 53);
  EXPECT_EQ(d.past_due, Money::from_cents(50'00));  // exactly the minimum is enough
  ASSERT_TRUE(d.shutoff_notice);
  EXPECT_EQ(d.held_reason, "");
  // 60 days after the due date is Monday 11-02; 7 business days after Monday 10-26 is
  // Wednesday 11-04: the later one.
  EXPECT_EQ(d.shutoff_on, (CivilDate{2026, 11, 4}));
  // $49.99 past due: held, counted as below the minimum.
  const auto small = account({bill(1, {2026, 9, 3}, 49'99)});
  const auto held = decide_notices(r, calendar(), small, {2026, 10, 26});
  EXPECT_FALSE(held.shutoff_notice);
  EXPECT_EQ(held.held_reason, kHeldBelowMinimum);
  // An open notice of this delinquency: no second one.
  auto noticed = a;
  noticed.open_shutoff_notice = true;
  noticed.noticed_items = {101};
  const auto open = decide_notices(r, calendar(), noticed, {2026, 11, 30});
  EXPECT_FALSE(open.shutoff_notice);
  EXPECT_EQ(open.held_reason, "");
  EXPECT_FALSE(open.brought_current);
}

TEST(NoticeRules, TheShutOffDateIsTheLaterOfSixtyDaysAndSevenBusinessDays) {
  NoticeRules r;
  r.shutoff_notice_days = 30;  // a City that notices early: the 60-day floor decides
  EXPECT_EQ(shutoff_date(r, calendar(), {2026, 9, 3}, {2026, 10, 5}), (CivilDate{2026, 11, 2}));
  // 60 days after 09-08 is Saturday 11-07: moved to Monday 11-09.
  EXPECT_EQ(shutoff_date(r, calendar(), {2026, 9, 8}, {2026, 10, 8}), (CivilDate{2026, 11, 9}));
  // Mailed Monday 11-23: Thanksgiving Thursday and Friday are not business days, so the seventh
  // is Friday 12-04 (Wednesday 12-02 on a calendar without holidays).
  EXPECT_EQ(shutoff_date(r, calendar(), {2026, 9, 30}, {2026, 11, 23}), (CivilDate{2026, 12, 4}));
  EXPECT_EQ(shutoff_date(r, BusinessCalendar({}), {2026, 9, 30}, {2026, 11, 23}),
            (CivilDate{2026, 12, 2}));
}

TEST(NoticeRules, MedicalDisputeAndArrangementHoldTheShutOffNotLateNotices) {
  const NoticeRules r;
  const auto base = account({bill(1, {2026, 9, 3}, 80'00)});
  struct Case {
    bool medical, dispute, arrangement;
    std::string_view reason;
  };
  for (const Case& c :
       {Case{true, false, false, kHeldMedical}, Case{false, true, false, kHeldDispute},
        Case{false, false, true, kHeldArrangement}, Case{true, true, true, kHeldMedical}}) {
    auto a = base;
    a.no_shutoff = c.medical;
    a.in_dispute = c.dispute;
    a.payment_arrangement = c.arrangement;
    const auto d = decide_notices(r, calendar(), a, {2026, 10, 26});
    EXPECT_FALSE(d.shutoff_notice) << c.reason;
    EXPECT_EQ(d.held_reason, c.reason);
    EXPECT_EQ(d.late_notice_bills, std::vector<std::int64_t>{1}) << c.reason;
  }
}

TEST(NoticeRules, AClosedAccountGetsLateNoticesButNoShutOff) {
  auto a = account({bill(1, {2026, 9, 3}, 80'00)});
  a.closed = true;
  a.no_shutoff = true;  // closed is the reason counted
  const auto d = decide_notices(NoticeRules{}, calendar(), a, {2026, 10, 26});
  EXPECT_FALSE(d.shutoff_notice);
  EXPECT_EQ(d.held_reason, kHeldClosed);
  EXPECT_EQ(d.late_notice_bills, std::vector<std::int64_t>{1});
}

TEST(NoticeRules, AnOpenNoticeWhoseItemsArePaidIsBroughtCurrent) {
  const NoticeRules r;
  // The notice listed bill 1 (obligation 101); bill 3 is new and not yet due.
  auto a = account({bill(1, {2026, 9, 3}, 0), bill(3, {2026, 11, 20}, 45'00)});
  a.open_shutoff_notice = true;
  a.noticed_items = {101};
  const auto d = decide_notices(r, calendar(), a, {2026, 11, 2});
  EXPECT_TRUE(d.brought_current);
  EXPECT_FALSE(d.shutoff_notice);
  // Partly paid: the delinquency goes on, the notice stands.
  a.items[0].balance = Money::from_cents(1);
  EXPECT_FALSE(decide_notices(r, calendar(), a, {2026, 11, 2}).brought_current);
  a.open_shutoff_notice = false;
  EXPECT_FALSE(decide_notices(r, calendar(), a, {2026, 11, 2}).brought_current);
}

TEST(NoticeRules, ANewDelinquencyAfterTheNoticedItemsWerePaidGetsItsOwnNotice) {
  const NoticeRules r;
  // Bill 1 was noticed and paid; bill 2, due 2026-10-01, has not been paid for 53 days.
  auto a = account({bill(1, {2026, 9, 3}, 0), bill(2, {2026, 10, 1}, 60'00)});
  a.open_shutoff_notice = true;
  a.noticed_items = {101};
  const auto d = decide_notices(r, calendar(), a, {2026, 11, 23});
  EXPECT_TRUE(d.brought_current);  // the old notice closes ...
  EXPECT_EQ(d.delinquent_since, (CivilDate{2026, 10, 1}));
  EXPECT_TRUE(d.shutoff_notice);                      // ... and the new delinquency is noticed
  EXPECT_EQ(d.shutoff_on, (CivilDate{2026, 12, 4}));  // 7 business days, Thanksgiving skipped
}

}  // namespace
}  // namespace civicdesk::billing
