// BusinessCalendar: which days the City's offices are open, and deadline arithmetic on them.
//
// A business day is a Monday to Friday that is not one of the City's holidays (from the City's
// config). Statutory clocks ("within 21 calendar days"; "within 10 business days") are computed
// here so every context counts the same way. Immutable after construction; thread-safe.
#pragma once

#include <vector>

#include "core/date.h"

namespace civicdesk {

class BusinessCalendar {
 public:
  // Holidays in any order; duplicates are harmless. A holiday on a weekend is simply a weekend:
  // the City's config lists the observed date (e.g. Friday 2026-07-03 for July 4th).
  explicit BusinessCalendar(std::vector<CivilDate> holidays);

  bool is_holiday(CivilDate date) const;
  // Not Saturday or Sunday, and not a holiday.
  bool is_business_day(CivilDate date) const;

  // The n-th business day after `date` (n > 0) or before it (n < 0), not counting `date` itself;
  // n == 0 returns `date` unchanged even when it is not a business day.
  CivilDate add_business_days(CivilDate date, int n) const;

  CivilDate next_business_day_on_or_after(CivilDate date) const;

  // A statutory clock: `days` calendar days after `date`; a deadline that lands on a weekend or
  // holiday moves to the next business day.
  CivilDate add_calendar_days_then_roll(CivilDate date, int days) const;

  // Business days in (a, b] (after `a`, up to and including `b`) when a <= b, and minus the
  // business days in [b, a) when b < a; so add_business_days(a, n) == b implies
  // business_days_between(a, b) == n, for n of either sign.
  int business_days_between(CivilDate a, CivilDate b) const;

 private:
  std::vector<CivilDate> holidays_;  // sorted, unique
};

}  // namespace civicdesk
