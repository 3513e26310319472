// The City's tariff: effective-dated rate versions (Oracle CC&B's effective-dated rates). A
// version is in force from its effective_from date until the next version's; a version marked
// `proposed` is never in force — it exists so a CSR or the council can price a bill under it
// (the what-if). Each version prices every rate class the services use: fixed charges by meter
// size, inclining-block tiers (optionally by season), a minimum charge, sewer on water use or on
// the winter-quarter average with a cap, refuse by cart size and pickups, stormwater flat by
// premise type; and the version's taxes/surcharges and discounts.
//
// Every price is an exact rates::Decimal (no floating point); monthly amounts and tier bounds
// are per standard month of 30 days (bill_calculation.h prorates them by days / 30).
// Parsed from the City config's `billing.rate_versions:` (tariff_config.cc). Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/premise.h"
#include "billing/rates/decimal.h"
#include "billing/service.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

// One block of an inclining-block rate: the CCF per month up to which it applies (none: the
// last, unbounded block) and its price per CCF. Bounds are cumulative and ascending; usage
// exactly at a bound stays in the lower block (0–12 CCF holds the 12th CCF).
struct Tier {
  std::optional<rates::Decimal> up_to_ccf;
  rates::Decimal price_per_ccf;
};

// A season's tier set, used on the days whose month is listed (summer = 6..9).
struct Season {
  std::string name;
  std::vector<int> months;  // 1..12
  std::vector<Tier> tiers;
};

// What a sewer class bills on: the water used in the period, or the winter-quarter average daily
// use (BillInput::winter_average_mccf_per_day) × days — irrigation in summer never reaches the
// sewer, so residential sewer is commonly billed on winter use.
enum class SewerBasis { kWaterUse, kWinterAverage };
std::string_view to_string(SewerBasis b);

struct FixedCharge {
  std::string meter_size;  // e.g. 5/8", 3/4", 1", 1.5", 2"; "any" applies to every size
  rates::Decimal monthly;
};

struct RefuseRate {
  int size_gallons = 64;
  int pickups_per_week = 1;
  rates::Decimal monthly_per_cart;
};

struct StormwaterFee {
  PremiseType premise_type = PremiseType::kSingleFamily;
  rates::Decimal monthly;
};

// A rate class of one service kind. Which parts apply depends on the kind: water uses fixed
// charges, tiers/seasons and the minimum; sewer adds the basis and cap; refuse uses `refuse`
// (and may have a fixed charge); stormwater uses `stormwater`.
struct RateClass {
  std::string name;  // e.g. RESIDENTIAL_SINGLE — Service::rate_class
  ServiceKind kind = ServiceKind::kWater;
  std::vector<FixedCharge> fixed_charges;         // empty: no fixed charge
  std::vector<Tier> tiers;                        // the volume tiers outside any season
  std::vector<Season> seasons;                    // a day whose month is in a season uses its tiers
  std::optional<rates::Decimal> minimum_monthly;  // top-up to this (prorated) per service
  SewerBasis sewer_basis = SewerBasis::kWaterUse;
  std::optional<rates::Decimal> sewer_cap_ccf;  // per month, prorated by days
  std::vector<RefuseRate> refuse;
  std::vector<StormwaterFee> stormwater;

  // The tiers in force on `day` (its season's, else `tiers`).
  const std::vector<Tier>& tiers_on(CivilDate day) const;
  // The fixed charge for `meter_size` (exact match, else "any"); nullptr when none.
  const FixedCharge* fixed_charge_for(std::string_view meter_size) const;
};

// A percentage of the lines named by `applies_to`. A selector names a service ("water"), a
// component ("fixed_charge", "tier_2", "sewer_volume", "refuse", "stormwater", "minimum",
// "discount"), the group "volume" (every tier_N and sewer_volume line), or "service.component"
// ("water.fixed_charge").
struct Tax {
  std::string code;  // e.g. UUT
  std::string name;  // "Utility users tax"
  rates::Decimal percent;
  std::vector<std::string> applies_to;
};

// A discount referenced by code from BillInput::discount_codes: a percentage of the named
// lines, or a fixed monthly amount (prorated by days) taken from them, never below zero.
struct Discount {
  std::string code;  // e.g. LIFELINE
  std::string name;
  std::optional<rates::Decimal> percent;
  std::optional<rates::Decimal> fixed_monthly;
  std::vector<std::string> applies_to;
};

struct RateVersion {
  std::string id;  // e.g. "2026-07"
  CivilDate effective_from;
  bool proposed = false;  // never in force; priced only on request (what-if)
  std::string description;
  std::vector<RateClass> classes;
  std::vector<Tax> taxes;
  std::vector<Discount> discounts;

  // Class names are per service kind: the demo's water, sewer and refuse are all "RES".
  const RateClass* find_class(ServiceKind kind, std::string_view name) const;
  const Discount* find_discount(std::string_view code) const;
};

// True when `selector` (see Tax) names a line of `service` with `component`.
bool selector_matches(std::string_view selector, std::string_view service,
                      std::string_view component);

struct Tariff {
  std::vector<RateVersion> versions;  // ordered by effective_from

  // The version in force on `day`: the latest non-proposed version with effective_from <= day;
  // nullptr before the first.
  const RateVersion* in_force_on(CivilDate day) const;
  const RateVersion* find(std::string_view id) const;
  // The first proposed version (the next rates under discussion); nullptr when none.
  const RateVersion* proposed() const;
};

// The rules a tariff must satisfy, checked after parsing: unique version ids, no two versions in
// force from the same day, class names unique per service kind, tiers with ascending bounds
// and only the last unbounded, months 1..12 in at most one season, non-negative prices, a
// discount with exactly one of percent/fixed. kInvalidInput naming "version ID, class NAME, key".
[[nodiscard]] Result<void> check_tariff(const Tariff& tariff);

}  // namespace civicdesk::billing
