// Proration: how a bill period is cut into pieces priced by one rate version each, how monthly
// amounts and tier bounds scale with days, and how a period's usage is spread over its pieces.
// The rules are stated in bill_calculation.h and src/billing/README.md ("Proration"). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billing/rates/decimal.h"
#include "billing/tariff.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

// The standard month: every monthly amount and monthly tier bound is for 30 days, and a piece of
// d days carries d/30 of it — the same for monthly, bimonthly and quarterly cycles (2 × monthly
// × d/60 = monthly × d/30), so one rule covers short, long, move-in and move-out periods.
inline constexpr int kStandardMonthDays = 30;
// Longest period a bill may cover (a quarterly cycle with a late read is ~100 days).
inline constexpr int kMaxBillPeriodDays = 400;

// Days in [from, to).
int days_between(CivilDate from, CivilDate to);

// A piece of a period: [from, to) priced by `version`.
struct PeriodPiece {
  CivilDate from;
  CivilDate to;
  const RateVersion* version = nullptr;
  int days() const { return days_between(from, to); }
};

// [from, to) cut at every day a new version comes into force. With `what_if` every piece uses
// that version (kNotFound naming "rate_version" when unknown). kUnprocessable naming "from"
// when no version is in force on a day of the period.
[[nodiscard]] Result<std::vector<PeriodPiece>> split_at_versions(
    const Tariff& tariff, CivilDate from, CivilDate to, const std::optional<std::string>& what_if);

// The pieces clipped to [from, to) (a service's active days); empty pieces dropped.
std::vector<PeriodPiece> clip(const std::vector<PeriodPiece>& pieces, CivilDate from, CivilDate to);

// A piece further cut on the first of each month whose season (RateClass::tiers_on) differs
// from the day before's, for seasonal tiers.
std::vector<PeriodPiece> split_at_seasons(const PeriodPiece& piece, const RateClass& cls);

// monthly × days / 30, exact.
[[nodiscard]] Result<rates::Decimal> prorate(rates::Decimal monthly, int days);

// A monthly CCF bound prorated to `days` in whole mccf, rounded half-up once: 12 CCF over 31
// days = 12,400 mccf; 10 CCF over 31 days = 10,333.33… → 10,333 mccf.
[[nodiscard]] Result<std::int64_t> prorated_bound_mccf(rates::Decimal monthly_ccf, int days);

// `usage` spread over pieces of `days[i]` days: piece i gets floor(U·D_i/D) − floor(U·D_(i−1)/D)
// with D_i the running sum of days and D the total; the parts sum to `usage` exactly. For a
// negative usage the same with the floor toward −∞. Empty when `days` is empty.
std::vector<std::int64_t> split_usage(std::int64_t usage, const std::vector<int>& days);

}  // namespace civicdesk::billing
