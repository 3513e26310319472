#include "billing/bill_notice_rules.h"

#include <algorithm>

#include "core/assert.h"

namespace civicdesk::billing {

NoticeRules notice_rules(const BillingSettings& settings) {
  const NoticeSettings& n = settings.notices;
  NoticeRules r;
  r.late_notice_days = n.late_notice_days.value_or(settings.runs.late_penalty.grace_days);
  r.shutoff_notice_days = n.shutoff_notice_days_delinquent;
  r.shutoff_min_balance = Money::from_cents(n.shutoff_min_balance_cents);
  r.shutoff_after_days = n.shutoff_after_days_delinquent;
  return r;
}

CivilDate shutoff_date(const NoticeRules& rules, const BusinessCalendar& calendar,
                       CivilDate oldest_due, CivilDate mailed_on) {
  // Both floors are the law's minimum; a crew works business days, so a weekend or holiday
  // moves the date later, never earlier.
  const CivilDate by_delinquency = oldest_due.plus_days(rules.shutoff_after_days);
  const CivilDate by_notice = calendar.add_business_days(mailed_on, kShutoffNoticeBusinessDays);
  return calendar.next_business_day_on_or_after(std::max(by_delinquency, by_notice));
}

NoticeDecision decide_notices(const NoticeRules& rules, const BusinessCalendar& calendar,
                              const NoticeAccount& account, CivilDate mailed_on) {
  NoticeDecision d;
  std::vector<const OpenItem*> items;
  bool noticed_unpaid = false;
  for (const OpenItem& item : account.items) {
    if (!item.balance.is_positive()) continue;
    items.push_back(&item);
    if (std::find(account.noticed_items.begin(), account.noticed_items.end(), item.obligation_id) !=
        account.noticed_items.end())
      noticed_unpaid = true;
  }
  d.brought_current = account.open_shutoff_notice && !noticed_unpaid;
  const bool noticed = account.open_shutoff_notice && noticed_unpaid;
  std::sort(items.begin(), items.end(), [](const OpenItem* a, const OpenItem* b) {
    return a->due_date != b->due_date ? a->due_date < b->due_date : a->bill_id < b->bill_id;
  });
  bool any_past_due = false;
  for (const OpenItem* item : items) {
    if (!(item->due_date < mailed_on)) continue;
    if (!any_past_due) d.delinquent_since = item->due_date;
    any_past_due = true;
    auto sum = d.past_due.add(item->balance);
    CD_ASSERT(sum.has_value());
    d.past_due = *sum;
    if (item->bill_id > 0 && !item->late_notice_sent &&
        item->due_date.plus_days(rules.late_notice_days) < mailed_on)
      d.late_notice_bills.push_back(item->bill_id);
  }
  if (!any_past_due) return d;
  d.days_delinquent =
      static_cast<int>(mailed_on.days_since_epoch() - d.delinquent_since.days_since_epoch());
  if (noticed || d.days_delinquent < rules.shutoff_notice_days) return d;
  if (account.closed) {
    d.held_reason = kHeldClosed;
  } else if (account.no_shutoff) {
    d.held_reason = kHeldMedical;
  } else if (account.in_dispute) {
    d.held_reason = kHeldDispute;
  } else if (account.payment_arrangement) {
    d.held_reason = kHeldArrangement;
  } else if (d.past_due < rules.shutoff_min_balance) {
    d.held_reason = kHeldBelowMinimum;
  } else {
    d.shutoff_notice = true;
    d.shutoff_on = shutoff_date(rules, calendar, d.delinquent_since, mailed_on);
  }
  return d;
}

}  // namespace civicdesk::billing
