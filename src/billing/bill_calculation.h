// The bill calculation: one account's charges for one period under the tariff, every line with
// the numbers that explain it (CC&B's "calculation lines"). Pure; no I/O; thread-safe.
//
// Rules (src/billing/README.md "Calculation" has the worked examples):
// - Standard month: 30 days. Monthly amounts (fixed charges, refuse, stormwater, minimum,
//   fixed discounts) and tier bounds and sewer caps (CCF per month) are prorated by
//   days / 30, whatever the cycle: a 30-day period is one month, a 61-day bimonthly period is
//   61/30 months, a 12-day move-in period 12/30.
// - Refuse carts: each cart is charged for the days it and the refuse service are both active
//   (per rate-version piece), so a cart added or stopped mid-period is prorated like a move-in.
// - Splitting: each service's active days in [from, to) are split at every rate-version change
//   (and, for volume tiers, at every season change); each piece is priced by the version in
//   force on its first day.
// - Usage split: the period's water usage (integer mccf) is spread over the water service's
//   pieces by days, cumulatively: piece i gets floor(U × D_i / D) − floor(U × D_{i−1} / D),
//   where D_i is the days up to and including piece i and D the water service's active days —
//   so the parts sum to U exactly and the rounding remainder lands in the later pieces.
// - Rounding: every line is computed exactly (rates::Decimal) and rounded half-up to the cent
//   once. Minimum top-ups, discounts and taxes are computed on the rounded lines.
// - Order: charges → minimum top-up per service and version → discounts → taxes. A tax's base
//   is the rounded lines its applies_to names, discount lines included when it names them (by
//   their service, or "discount"): a tax on "water" is on water's net.
// - Sewer on water use spreads the period's usage over the sewer's own pieces by days; on the
//   winter average, average × days rounded half-up to a whole mccf. Prorated tier bounds and
//   caps are rounded half-up to a whole mccf, so every line's units are whole mccf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billing/premise.h"
#include "billing/rates/decimal.h"
#include "billing/service.h"
#include "billing/tariff.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::billing {

// A service on the account during the bill period.
struct BillService {
  ServiceKind kind = ServiceKind::kWater;
  std::string rate_class;  // a RateClass of the version(s) in force
  // Active on [active_from, active_to) — Service::started_on / stopped_on. Clipped to the
  // period: a move-in after `from` or a stop before `to` prorates the service.
  CivilDate active_from;
  std::optional<CivilDate> active_to;
};

// A refuse cart, charged for its own days: its active days [active_from, active_to) clipped to
// the refuse service's pieces, prorated by days / 30 like any monthly amount. No dates = the
// whole period (a what-if cart).
struct BillCart {
  int size_gallons = 64;
  int count = 1;
  int pickups_per_week = 1;
  std::optional<CivilDate> active_from;  // RefuseCart::started_on
  std::optional<CivilDate> active_to;    // RefuseCart::stopped_on (the first day without it)
};

struct BillInput {
  CivilDate from;  // first day of the period
  CivilDate to;    // first day after the period: [from, to); to > from
  PremiseType premise_type = PremiseType::kSingleFamily;
  std::string meter_size;  // the water meter's size, e.g. 3/4" (fixed charges)
  std::vector<BillService> services;
  // Water used in the period (sum of the accepted reads' usage), in thousandths of a CCF.
  std::int64_t water_usage_mccf = 0;
  // Winter-quarter average daily use in mccf per day (exact, e.g. 9000/90), for sewer classes
  // billed on it; absent → sewer falls back to water use with a warning.
  std::optional<rates::Decimal> winter_average_mccf_per_day;
  std::vector<BillCart> carts;              // refuse carts (priced on their days of refuse)
  std::vector<std::string> discount_codes;  // Discount::code of the version(s) in force
  // What-if: price the whole period under this version (proposed or not), ignoring dates.
  std::optional<std::string> rate_version;
};

// One line of the bill. amount is the rounded charge (negative for a discount); the other fields
// are the explanation as data, so the bill page, the PDF and the ledger can show it.
struct BillLine {
  std::string service;      // "water", "sewer", "refuse", "stormwater"
  std::string component;    // fixed_charge, tier_1..tier_N, sewer_volume, refuse, stormwater,
                            // minimum, discount, tax
  std::string description;  // for people: "Water use, tier 2", "Utility users tax"
  Money amount;
  // Volume lines: the units billed in this line, in mccf; absent otherwise.
  std::optional<std::int64_t> units_mccf;
  int quantity = 0;  // refuse: carts; 0 otherwise
  // The price as an exact decimal string ("4.12", "23.5"); its unit is `price_unit`.
  std::string unit_price;
  std::string price_unit;  // "per_ccf", "per_month", "percent", "fixed"
  // Volume lines: the tier's bounds for this piece in CCF after proration ("0", "12.4"); empty
  // when unbounded ("" upper = and above). tier is 1-based (0 when not a tier line).
  int tier = 0;
  std::string tier_from_ccf, tier_to_ccf;
  // Proration factor days / base_days (30/30 for a full standard month; 0/0 when not prorated,
  // e.g. taxes). The numbers, not a reduced fraction, so "12/30 days" reads as on the bill.
  int days = 0;
  int base_days = 0;
  std::string rate_version;  // RateVersion::id that priced the line
  // Tax, discount and minimum lines: the rounded charges they were computed on.
  std::optional<Money> base;

  // One line of text, e.g. "Water use, tier 2 (6.000 to 18.000 CCF for 30/30 days): 8.000 CCF ×
  // $5.36/CCF = $42.88", "Fixed charge, 5/8\" meter: $18.40/month × 12/30 days = $7.36",
  // "Utility users tax: 5.5% of $86.00 = $4.73".
  std::string explanation() const;
};

struct BillCalculation {
  std::vector<BillLine> lines;  // by service (water, sewer, refuse, stormwater), then time
  Money total;
  std::vector<std::string> rate_versions;  // ids used, oldest first
  // Things a CSR should know, not errors: "sewer billed on water use: no winter average",
  // "discount LIFELINE not in version 2026-07".
  std::vector<std::string> warnings;
};

// The bill for `in` under `tariff`. Errors (kInvalidInput / kUnprocessable) name the field:
// to <= from, no version in force on a day of the period, a rate class missing from a version
// ("version 2026-07, class X"), no fixed charge for the meter size, no refuse rate for a cart,
// no stormwater fee for the premise type, an unknown what-if version, amounts too large.
[[nodiscard]] Result<BillCalculation> calculate_bill(const Tariff& tariff, const BillInput& in);

}  // namespace civicdesk::billing
