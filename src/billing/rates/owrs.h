// OWRS tariffs: load an Open Water Rate Specification file (YAML) into a typed Tariff.
//
// What is supported, and how each construct is computed, is written down in
// docs/formats/owrs.md. In short: `metadata` (utility name, effective date, bill frequency, bill
// unit ccf or kgal) and `rate_structure`, a map of customer classes; each class maps keys to
//   - a number or a formula (formula.h) over other keys and the customer's inputs,
//   - a tier list (`tier_starts`, `tier_prices`, ...),
//   - a `depends_on`/`values` table keyed by one or more customer values joined with '|',
//   - `Tiered` (fixed blocks) or `Budget` (allocation) for a charge computed from tier lists,
// and `bill`, the formula for the whole bill.
//
// Loading never computes a bill. It refuses, with an error naming the file, line, class and key:
//   - the whole file (load_owrs returns an error) when it is not YAML, has no metadata or
//     rate_structure, has no usable effective date, an unknown bill unit, or class names that are
//     not text (the templates' `{consumer_class}` placeholders);
//   - one customer class (CustomerClass::refusal) when something `bill` needs can never be
//     computed: no `bill`, a formula that does not parse, a Tiered/Budget charge without its tier
//     lists, budget-style starts ("101%", "indoor") under `Tiered`, fixed-block starts that are not
//     whole increasing units from 0, a key defined in terms of itself, a tier list used as a
//     number, or `usage_ccf` in a tariff billed in kgal.
// Anything that depends on the customer (a missing input, a meter size not in a table) is
// refused when the bill is computed (calculator.h). Keys that `bill` does not use are never
// refused; suspicious ones are listed in `warnings` (e.g. a wastewater charge the bill omits).
//
// A Tariff is an immutable value once loaded; share it freely between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/rates/decimal.h"
#include "billing/rates/formula.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk::rates {

// The unit a tariff's tier starts and unit prices are written in.
enum class BillUnit {
  kCcf,   // hundred cubic feet (= HCF = 748.05 US gallons); also the default when not stated
  kKgal,  // thousand US gallons; usage in CCF is converted exactly (1 CCF = 288/385 kgal)
};
std::string_view to_string(BillUnit unit);

struct TariffMetadata {
  std::string utility_name;
  CivilDate effective_date;
  std::string bill_frequency;  // as written: "monthly", "Bi-Monthly", ...
  BillUnit bill_unit = BillUnit::kCcf;
};

// One element of a tier list as written: "15", "101%", "indoor".
struct TierItem {
  enum class Kind { kNumber, kPercent, kFormula };
  Kind kind = Kind::kNumber;
  Decimal number;   // kNumber: the value; kPercent: the percentage (101 for "101%")
  Formula formula;  // kFormula
  std::string text;
};
using TierList = std::vector<TierItem>;

// A value inside a class or a depends_on table: a formula (numbers are constant formulas) or a
// tier list.
struct RateValue {
  bool is_list = false;
  Formula formula;
  TierList list;
};

// depends_on/values: the value for the customer's values of `depends_on`, joined with '|'.
struct Lookup {
  std::vector<std::string> depends_on;
  std::vector<std::pair<std::string, RateValue>> entries;  // in file order
  std::map<std::string, std::size_t, std::less<>> index;   // entry key -> position
};

struct RateKey {
  enum class Kind {
    kFormula,   // a number or a formula
    kList,      // a tier list
    kLookup,    // a depends_on table
    kTiered,    // `Tiered`: fixed blocks over starts_key/prices_key
    kBudget,    // `Budget`: allocation tiers over starts_key/prices_key and budget_key
    kUnusable,  // cannot be computed; `unusable_reason` says why
  };
  std::string name;
  int line = 0;  // 1-based line in the file
  Kind kind = Kind::kFormula;
  RateValue value;  // kFormula, kList
  Lookup lookup;    // kLookup
  std::string unusable_reason;
  // kTiered/kBudget: where the tiers are. Empty when the class has no such key.
  std::string starts_key;
  std::string prices_key;
  std::string budget_key;  // kBudget: the key or customer input holding the budget
};

struct CustomerClass {
  std::string name;
  int line = 0;
  std::vector<RateKey> keys;  // in file order
  // Set when `bill` can never be computed for this class; compute returns it unchanged.
  std::optional<Error> refusal;
  // Names `bill` reads that the class does not define: the customer's inputs (usage_ccf,
  // meter_size, hhsize, ...), sorted.
  std::vector<std::string> inputs;
  // True when a charge of the class is `Budget`: `indoor` and `outdoor` are then water budgets,
  // rounded to whole units (see docs/formats/owrs.md).
  bool has_budget_charge = false;

  const RateKey* find(std::string_view key) const;
};

struct Tariff {
  std::string source;  // the file path, or the name given to parse_owrs
  TariffMetadata metadata;
  std::vector<CustomerClass> classes;  // in file order
  std::vector<std::string> warnings;   // "FILE:LINE: ..." for people reviewing the tariff

  const CustomerClass* find_class(std::string_view name) const;
};

// Parses OWRS YAML text. `source` names the text in every message (usually the file path).
// Errors: kUnprocessable for a file refused as a whole (see above); kTooLarge above
// kMaxOwrsFileBytes.
[[nodiscard]] Result<Tariff> parse_owrs(std::string_view yaml_text, std::string_view source);

// Reads and parses a file. Errors as parse_owrs, plus kNotFound when the file cannot be read.
[[nodiscard]] Result<Tariff> load_owrs_file(const std::string& path);

// The names a key reads: formula variables, depends_on names, tier keys, the budget, and the
// usage variable for Tiered/Budget charges. Sorted, without duplicates.
std::vector<std::string> references(const RateKey& key, BillUnit unit);

// The customer input that carries usage in the tariff's unit: "usage_ccf" or "usage_kgal".
std::string_view usage_variable(BillUnit unit);

}  // namespace civicdesk::rates
