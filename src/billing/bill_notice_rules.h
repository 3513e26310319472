// Which notices an account gets on a mailing date (issue 4, "billing notices"): the pure rules,
// no I/O. The notice book (notice_book.h) loads an account's past-due items and its flags,
// asks decide_notices, and writes what it decides.
//
//   late notice     — for each issued bill with a balance left once its due date +
//                     late_notice_days has passed (due_date + days < mailing date, the same
//                     test as the late penalty's grace days); one per bill, ever.
//   shut-off notice — per account, once its oldest unpaid bill is shutoff_notice_days past due
//                     and the past-due balance (every item due before the mailing date, late
//                     penalties included) is at least shutoff_min_balance; one open notice per
//                     delinquency: the notice stands while any item it listed is unpaid; once
//                     all are paid the account was brought current and the notice closes.
//                     Shut-off date: the later of (oldest due date + shutoff_after_days) and
//                     7 business days after the mailing date, moved to a business day.
//                     California SB 998, Health and Safety Code 116908: no disconnection of
//                     residential water until 60 days delinquent; written notice at least 7
//                     business days before.
//   held            — an account flagged no_shutoff (a medical certificate), in dispute or
//                     under a payment arrangement gets no shut-off notice (its late notices
//                     still go); it is counted with the reason. So is an account that is
//                     delinquent long enough but owes less than the minimum (below_minimum),
//                     and a closed account (account_closed): its services have stopped, and the
//                     water at its premise may now be a new customer's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "billing/billing_settings.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/money.h"

namespace civicdesk::billing {

// SB 998: the written notice comes at least this many business days before the shut-off.
inline constexpr int kShutoffNoticeBusinessDays = 7;

// The rules with the defaults resolved (late_notice_days unset → the penalty's grace days).
struct NoticeRules {
  int late_notice_days = 5;
  int shutoff_notice_days = 53;
  Money shutoff_min_balance = Money::from_cents(50'00);
  int shutoff_after_days = 60;
};
NoticeRules notice_rules(const BillingSettings& settings);

// One open item of the account with a balance: a bill (bill_id > 0) or a late penalty
// (bill_id 0).
struct OpenItem {
  std::int64_t bill_id = 0;
  std::string description;
  CivilDate due_date;
  Money balance;
  bool late_notice_sent = false;   // bills only: a late notice exists for this bill
  std::int64_t obligation_id = 0;  // the ledger item
};

struct NoticeAccount {
  std::int64_t account_number = 0;
  bool no_shutoff = false;  // medical certificate on file
  bool in_dispute = false;
  bool payment_arrangement = false;
  bool closed = false;  // the account was closed (move-out)
  // An open shut-off notice and the ledger items it listed. Its delinquency lasts while any of
  // them still has a balance; once all are paid (or cancelled) the account was brought current
  // and a later delinquency needs a notice of its own.
  bool open_shutoff_notice = false;
  std::vector<std::int64_t> noticed_items;  // obligation ids
  std::vector<OpenItem> items;              // open items with a balance, any order
};

// Why an account that qualifies for a shut-off notice does not get one ("" = it does, or it
// does not qualify at all).
inline constexpr std::string_view kHeldMedical = "no_shutoff";
inline constexpr std::string_view kHeldDispute = "in_dispute";
inline constexpr std::string_view kHeldArrangement = "payment_arrangement";
inline constexpr std::string_view kHeldBelowMinimum = "below_minimum";
inline constexpr std::string_view kHeldClosed = "account_closed";

struct NoticeDecision {
  std::vector<std::int64_t> late_notice_bills;  // in due-date order
  bool shutoff_notice = false;
  CivilDate shutoff_on;        // when shutoff_notice
  std::string held_reason;     // one of the kHeld* codes, or ""
  Money past_due;              // items due before the mailing date
  CivilDate delinquent_since;  // the oldest past-due item's due date (when past_due > 0)
  int days_delinquent = 0;     // mailing date − delinquent_since
  // The open shut-off notice's items are all paid: close it (a new delinquency, if any, is
  // decided as if there were no notice).
  bool brought_current = false;
};

// The earliest lawful shut-off date for a delinquency since `oldest_due` noticed on `mailed_on`.
CivilDate shutoff_date(const NoticeRules& rules, const BusinessCalendar& calendar,
                       CivilDate oldest_due, CivilDate mailed_on);

// The notices of one account on `mailed_on`. Money sums are checked; an overflow is a broken
// invariant (an account cannot owe more than int64 cents) and asserts.
NoticeDecision decide_notices(const NoticeRules& rules, const BusinessCalendar& calendar,
                              const NoticeAccount& account, CivilDate mailed_on);

}  // namespace civicdesk::billing
