#include "core/calendar.h"

#include <algorithm>
#include <cstdlib>

namespace civicdesk {

BusinessCalendar::BusinessCalendar(std::vector<CivilDate> holidays)
    : holidays_(std::move(holidays)) {
  std::sort(holidays_.begin(), holidays_.end());
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
}

bool BusinessCalendar::is_holiday(CivilDate date) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), date);
}

bool BusinessCalendar::is_business_day(CivilDate date) const {
  const int weekday = date.weekday();
  return weekday != 0 && weekday != 6 && !is_holiday(date);
}

CivilDate BusinessCalendar::add_business_days(CivilDate date, int n) const {
  // Day by day: deadlines are at most a few hundred days out, and holidays make a closed form
  // error-prone.
  const int step = n < 0 ? -1 : 1;
  std::int64_t day = date.days_since_epoch();
  for (int remaining = std::abs(n); remaining > 0;) {
    day += step;
    if (is_business_day(CivilDate::from_days(day))) --remaining;
  }
  return CivilDate::from_days(day);
}

CivilDate BusinessCalendar::next_business_day_on_or_after(CivilDate date) const {
  // At most a long weekend plus a run of holidays; the loop always ends at the next Monday to
  // Friday that is not a holiday, since holidays are finite.
  while (!is_business_day(date)) date = date.plus_days(1);
  return date;
}

CivilDate BusinessCalendar::add_calendar_days_then_roll(CivilDate date, int days) const {
  return next_business_day_on_or_after(date.plus_days(days));
}

int BusinessCalendar::business_days_between(CivilDate a, CivilDate b) const {
  // Backwards, count [b, a): the days a backward add_business_days steps onto.
  if (b < a) return -business_days_between(b.plus_days(-1), a.plus_days(-1));
  // Closed form, so a span of decades costs the same as a week: Monday-to-Friday days in
  // (a, b], minus the holidays in (a, b] that fall on one.
  const std::int64_t span = b.days_since_epoch() - a.days_since_epoch();
  std::int64_t count = span / 7 * 5;
  for (std::int64_t i = span - span % 7 + 1; i <= span; ++i) {
    const int weekday = a.plus_days(i).weekday();
    if (weekday != 0 && weekday != 6) ++count;
  }
  const auto first = std::upper_bound(holidays_.begin(), holidays_.end(), a);
  const auto last = std::upper_bound(holidays_.begin(), holidays_.end(), b);
  for (auto it = first; it != last; ++it) {
    if (it->weekday() != 0 && it->weekday() != 6) --count;
  }
  return static_cast<int>(count);
}

}  // namespace civicdesk
