// The rate calculator: one customer's bill under one OWRS tariff, explained line by line.
//
// compute_bill evaluates the class's `bill` formula. Each top-level additive term of `bill`
// becomes one BillLine ("service_charge + commodity_charge" -> two lines); its exact value is
// computed with Decimal, multiplied by the proration factor when the line does not depend on
// usage, and rounded to cents ONCE, half-up (kBillLineRounding). The total is the sum of the
// rounded lines, so the printed lines always add up to the printed total; the exact, unrounded
// total is kept beside it. Water budgets (`indoor`, `outdoor`, budget tier starts) are rounded to
// whole units half-even (kBudgetRounding), as the peer calculator (R's round) does. Why: see
// docs/decisions/006-rate-rounding.md. How each OWRS construct is computed: docs/formats/owrs.md.
//
// Proration hook: BillRequest::proration_factor (default 1) is the bill period's length over the
// tariff's standard period. It multiplies lines that do not depend on usage (service charges,
// fixed sewer charges) and the widths of fixed blocks (Tiered). Budget tiers are not scaled: a
// budget is already computed from the period (days_in_period, which the caller may --set). The
// billing engine splits a period at a rate change into parts, computes each part with its factor
// and tariff, and adds the parts.
//
// Errors (all name the file, the customer class and the key):
//   kInvalidInput — the class is not in the tariff ("No rate information for customer class"),
//     an input the bill needs is missing ("... is not present in the OWRS file for customer
//     class ..."), an input is not a number, a depends_on table has no row for the customer's
//     values, usage or the proration factor is out of range, arithmetic too large to be exact;
//   kUnprocessable — the class was refused when the tariff was loaded (CustomerClass::refusal).
// Pure functions of their arguments; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "billing/rates/decimal.h"
#include "billing/rates/owrs.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::rates {

// Bill lines: half-up (ties away from zero), the rule the City's bills and fees use (core/money.h).
inline constexpr RoundingMode kBillLineRounding = RoundingMode::kHalfUp;
// Water budgets and budget tier starts, to whole units: half-even, as R's round().
inline constexpr RoundingMode kBudgetRounding = RoundingMode::kHalfEven;

// The customer's values by name, as typed: "hhsize" -> "3", "water_type" -> "POTABLE".
using CustomerInputs = std::map<std::string, std::string, std::less<>>;

struct BillRequest {
  std::string customer_class;
  Decimal usage_ccf;                      // 0 <= usage <= kMaxUsageCcf
  std::optional<std::string> meter_size;  // e.g. 5/8"; matched to the tariff's spelling
  CustomerInputs inputs;                  // everything else; may not repeat the names above
  Decimal proration_factor = Decimal::from_integer(1);  // 0 < factor <= kMaxProrationFactor
};

// One tier of a Tiered or Budget charge: usage above `from` up to `to` (no `to` on the last).
struct TierUse {
  int tier = 0;  // 1-based
  Decimal from;
  std::optional<Decimal> to;
  Decimal units;
  Decimal price;
  Decimal amount;  // units * price, exact
};

struct BillLine {
  std::string name;            // the key ("service_charge"), or the term's text
  Money amount;                // exact * proration_factor, rounded once (kBillLineRounding)
  Decimal exact;               // before rounding (after proration)
  Decimal proration_factor;    // 1 for lines that depend on usage
  std::string explanation;     // how it was computed, for the bill page and the CSR
  std::vector<TierUse> tiers;  // for Tiered/Budget charges
};

struct Bill {
  std::string source;  // the tariff file
  std::string utility_name;
  std::string customer_class;
  CivilDate effective_date;
  BillUnit unit = BillUnit::kCcf;
  Decimal usage;  // in `unit`
  std::vector<BillLine> lines;
  Money total;          // sum of the rounded lines
  Decimal exact_total;  // sum of the exact lines
  // Budgets rounded, inputs that replaced a tariff value, spellings matched in tables.
  std::vector<std::string> notes;
};

[[nodiscard]] Result<Bill> compute_bill(const Tariff& tariff, const BillRequest& request);

// The rate what-if: the same customer under the current and a proposed tariff.
struct WhatIf {
  Bill current;
  Bill proposed;
  Money difference;  // proposed.total - current.total
};
[[nodiscard]] Result<WhatIf> what_if(const Tariff& current, const Tariff& proposed,
                                     const BillRequest& request);

}  // namespace civicdesk::rates
