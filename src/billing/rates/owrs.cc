#include "billing/rates/owrs.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "billing/rates/rate_limits.h"

namespace civicdesk::rates {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

int line_of(const YAML::Node& node) {
  return node.Mark().line + 1;
}

// "FILE:LINE: " — the prefix of every message about a place in the file.
std::string at(std::string_view source, int line) {
  return std::string(source) + (line > 0 ? ":" + std::to_string(line) : "") + ": ";
}

std::unexpected<Error> refuse_file(std::string_view source, int line, std::string field,
                                   const std::string& what) {
  return fail(ErrorCode::kUnprocessable, at(source, line) + what, std::move(field));
}

Error class_error(std::string_view source, int line, const std::string& class_name,
                  const std::string& key, const std::string& what) {
  return Error::make(
      ErrorCode::kUnprocessable,
      at(source, line) + "customer class " + class_name + ", key " + key + ": " + what,
      class_name + "." + key);
}

// The keys enclosing a 0-based line, found by indentation: "rate_structure > RESIDENTIAL_SINGLE".
// Used to say where a YAML syntax error is when yaml-cpp cannot.
std::string enclosing_keys(std::string_view text, int error_line) {
  std::vector<std::string> lines;
  std::string current;
  for (char c : text) {
    if (c == '\n') {
      lines.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  lines.push_back(current);
  if (error_line < 0 || error_line >= static_cast<int>(lines.size())) return {};
  auto indent_of = [](const std::string& l) { return l.find_first_not_of(' '); };
  std::size_t limit = indent_of(lines[error_line]);
  if (limit == std::string::npos) limit = 1000;
  std::vector<std::string> path;
  for (int i = error_line - 1; i >= 0 && limit > 0; --i) {
    const std::string& l = lines[i];
    const std::size_t indent = indent_of(l);
    if (indent == std::string::npos || l[indent] == '#' || l[indent] == '-') continue;
    if (indent >= limit) continue;
    const std::size_t colon = l.find(':', indent);
    if (colon == std::string::npos) continue;
    path.insert(path.begin(), trim(std::string_view(l).substr(indent, colon - indent)));
    limit = indent;
  }
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : " > ") + p;
  return out;
}

Result<CivilDate> parse_effective_date(const std::string& text) {
  if (auto iso = parse_date(text, "effective_date")) return *iso;
  // MM/DD/YYYY, as many OWRS files write it.
  int month = 0, day = 0, year = 0;
  char slash1 = 0, slash2 = 0;
  std::istringstream in(text);
  if (in >> month >> slash1 >> day >> slash2 >> year && slash1 == '/' && slash2 == '/' &&
      in.peek() == std::char_traits<char>::eof() && is_valid_date(year, month, day)) {
    return CivilDate{year, month, day};
  }
  return fail(Error::invalid("metadata.effective_date", "not a date"));
}

Result<TariffMetadata> parse_metadata(const YAML::Node& root, std::string_view source) {
  const YAML::Node meta = root["metadata"];
  if (!meta || !meta.IsMap()) {
    return refuse_file(source, 0, "metadata",
                       "metadata is not present (a map with "
                       "effective_date, utility_name, bill_frequency)");
  }
  TariffMetadata m;
  auto scalar = [&](const char* key) -> std::string {
    const YAML::Node n = meta[key];
    return n && n.IsScalar() ? trim(n.Scalar()) : std::string();
  };
  m.utility_name = scalar("utility_name");
  m.bill_frequency = scalar("bill_frequency");
  const std::string date = scalar("effective_date");
  const int line = line_of(meta);
  if (date.empty()) {
    return refuse_file(source, line, "metadata.effective_date",
                       "metadata.effective_date is empty; every rate version needs the date it "
                       "takes effect");
  }
  auto parsed = parse_effective_date(date);
  if (!parsed) {
    return refuse_file(
        source, line_of(meta["effective_date"]), "metadata.effective_date",
        "metadata.effective_date '" + date + "' is not a date (expected YYYY-MM-DD or MM/DD/YYYY)");
  }
  m.effective_date = *parsed;
  std::string unit = scalar("bill_unit");
  std::transform(unit.begin(), unit.end(), unit.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (unit.empty() || unit == "ccf" || unit == "hcf") {
    m.bill_unit = BillUnit::kCcf;
  } else if (unit == "kgal") {
    m.bill_unit = BillUnit::kKgal;
  } else {
    return refuse_file(
        source, line_of(meta["bill_unit"]), "metadata.bill_unit",
        "metadata.bill_unit '" + scalar("bill_unit") + "' is not supported (ccf, hcf or kgal)");
  }
  return m;
}

// "15" / "101%" / "indoor" -> TierItem; the error says what is wrong with the item.
Result<TierItem> parse_tier_item(const std::string& text) {
  TierItem item;
  item.text = text;
  if (!text.empty() && text.back() == '%') {
    CD_ASSIGN(item.number,
              Decimal::parse(std::string_view(text).substr(0, text.size() - 1), "tier"));
    item.kind = TierItem::Kind::kPercent;
    return item;
  }
  if (auto number = Decimal::parse(text, "tier")) {
    item.number = *number;
    item.kind = TierItem::Kind::kNumber;
    return item;
  }
  CD_ASSIGN(item.formula, Formula::parse(text));
  item.kind = TierItem::Kind::kFormula;
  return item;
}

Result<RateValue> parse_value(const YAML::Node& node) {
  RateValue value;
  if (node.IsScalar()) {
    CD_ASSIGN(value.formula, Formula::parse(node.Scalar()));
    return value;
  }
  if (node.IsSequence()) {
    if (node.size() == 0) return fail(Error::invalid("", "the tier list is empty"));
    if (node.size() > kMaxTiers) {
      return fail(Error::invalid("", "more than " + std::to_string(kMaxTiers) + " tiers"));
    }
    value.is_list = true;
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        return fail(Error::invalid(
            "", "a tier list item at line " + std::to_string(line_of(item)) + " is not a value"));
      }
      auto parsed = parse_tier_item(trim(item.Scalar()));
      if (!parsed) {
        return fail(Error::invalid("", "tier '" + item.Scalar() + "': " + parsed.error().message));
      }
      value.list.push_back(std::move(*parsed));
    }
    return value;
  }
  if (node.IsNull()) return fail(Error::invalid("", "has no value"));
  return fail(Error::invalid("", "is a map that is neither a depends_on table nor a value"));
}

Result<Lookup> parse_lookup(const YAML::Node& node) {
  Lookup lookup;
  const YAML::Node depends = node["depends_on"];
  if (depends.IsScalar()) {
    lookup.depends_on.push_back(trim(depends.Scalar()));
  } else if (depends.IsSequence() && depends.size() > 0) {
    for (const auto& d : depends) {
      if (!d.IsScalar()) return fail(Error::invalid("", "depends_on must list names"));
      lookup.depends_on.push_back(trim(d.Scalar()));
    }
  } else {
    return fail(Error::invalid("", "depends_on must be a name or a list of names"));
  }
  const YAML::Node values = node["values"];
  if (!values.IsMap() || values.size() == 0) {
    return fail(Error::invalid("", "the depends_on table has no values"));
  }
  if (values.size() > kMaxLookupEntries) {
    return fail(Error::invalid(
        "", "the depends_on table has more than " + std::to_string(kMaxLookupEntries) + " values"));
  }
  for (const auto& entry : values) {
    if (!entry.first.IsScalar()) {
      return fail(Error::invalid("", "a depends_on value at line " +
                                         std::to_string(line_of(entry.first)) + " is not text"));
    }
    const std::string key = trim(entry.first.Scalar());
    auto value = parse_value(entry.second);
    if (!value) {
      return fail(Error::invalid("", "value for '" + key + "': " + value.error().message));
    }
    if (lookup.index.contains(key)) {
      return fail(Error::invalid("", "the depends_on table lists '" + key + "' twice"));
    }
    lookup.index.emplace(key, lookup.entries.size());
    lookup.entries.emplace_back(key, std::move(*value));
  }
  return lookup;
}

RateKey parse_key(const std::string& name, const YAML::Node& node) {
  RateKey key;
  key.name = name;
  key.line = line_of(node);
  auto unusable = [&](std::string reason) {
    key.kind = RateKey::Kind::kUnusable;
    key.unusable_reason = std::move(reason);
    return key;
  };
  if (node.IsScalar() && (node.Scalar() == "Tiered" || node.Scalar() == "Budget")) {
    key.kind = node.Scalar() == "Tiered" ? RateKey::Kind::kTiered : RateKey::Kind::kBudget;
    return key;
  }
  if (node.IsMap()) {
    const bool has_depends = static_cast<bool>(node["depends_on"]);
    const bool has_values = static_cast<bool>(node["values"]);
    if (has_depends != has_values) {
      return unusable(
          "each 'depends_on' clause must have a corresponding 'values' clause, and "
          "vice versa");
    }
    if (has_depends) {
      auto lookup = parse_lookup(node);
      if (!lookup) return unusable(lookup.error().message);
      key.kind = RateKey::Kind::kLookup;
      key.lookup = std::move(*lookup);
      return key;
    }
  }
  auto value = parse_value(node);
  if (!value) return unusable(value.error().message);
  key.kind = value->is_list ? RateKey::Kind::kList : RateKey::Kind::kFormula;
  key.value = std::move(*value);
  return key;
}

// --- where a Tiered/Budget charge finds its tiers ------------------------------------------------

std::vector<std::string> charge_stems(const std::string& charge) {
  if (charge == "commodity_charge") return {"", "commodity"};
  std::vector<std::string> stems;
  std::string whole = charge;
  for (std::string_view suffix : {"_surcharge", "_charge"}) {
    if (whole.size() > suffix.size() && whole.ends_with(suffix)) {
      whole.resize(whole.size() - suffix.size());
      break;
    }
  }
  stems.push_back(whole);
  std::string word;
  std::istringstream words(charge);
  while (std::getline(words, word, '_')) {
    if (word.empty() || word == "charge" || word == "surcharge" || word == "variable" ||
        word == "fixed" || word == whole) {
      continue;
    }
    stems.push_back(word);
  }
  return stems;
}

std::string named(std::string_view what, const std::string& stem, bool prefix_form) {
  if (stem.empty()) return std::string(what);
  return prefix_form ? stem + "_" + std::string(what) : std::string(what) + "_" + stem;
}

// The one key of `cls` among the candidate names; "" when none; an error when several.
Result<std::string> find_one(const CustomerClass& cls, const std::vector<std::string>& names,
                             const std::string& charge) {
  std::vector<std::string> found;
  for (const auto& n : names) {
    if (cls.find(n) != nullptr && std::find(found.begin(), found.end(), n) == found.end()) {
      found.push_back(n);
    }
  }
  if (found.size() > 1) {
    return fail(Error::invalid("", "both " + found[0] + " and " + found[1] +
                                       " could hold the tiers of " + charge + "; keep only one"));
  }
  return found.empty() ? std::string() : found[0];
}

void resolve_tier_keys(CustomerClass& cls, RateKey& key) {
  const std::vector<std::string> stems = charge_stems(key.name);
  std::vector<std::string> starts, prices, budgets;
  for (const auto& stem : stems) {
    for (bool prefix : {true, false}) {
      starts.push_back(named("tier_starts", stem, prefix));
      prices.push_back(named("tier_prices", stem, prefix));
      if (stem.empty()) continue;
      budgets.push_back(named("budget", stem, prefix));
    }
  }
  if (key.name == "commodity_charge") budgets.insert(budgets.begin(), "budget");
  auto s = find_one(cls, starts, key.name);
  auto p = find_one(cls, prices, key.name);
  auto b = find_one(cls, budgets, key.name);
  for (auto* r : {&s, &p, &b}) {
    if (!*r) {
      key.kind = RateKey::Kind::kUnusable;
      key.unusable_reason = r->error().message;
      return;
    }
  }
  key.starts_key = *s;
  key.prices_key = *p;
  // A budget not defined in the class may still come from the customer's inputs.
  key.budget_key = b->empty() ? budgets.front() : *b;
}

// The name the class should have used for missing tiers, for the message.
std::string expected_tier_key(const RateKey& charge, std::string_view what) {
  const auto stems = charge_stems(charge.name);
  return named(what, stems.front(), true);
}

// --- references and static checks
// -----------------------------------------------------------------

void add_formula_names(const Formula& f, std::vector<std::string>* out) {
  for (auto& v : f.variables()) out->push_back(std::move(v));
}

void add_value_names(const RateValue& value, std::vector<std::string>* out) {
  if (!value.is_list) {
    add_formula_names(value.formula, out);
    return;
  }
  for (const auto& item : value.list) {
    if (item.kind == TierItem::Kind::kFormula) add_formula_names(item.formula, out);
  }
}

// Names read as numbers (formulas, list formulas, lookup values) — not tier-list references.
std::vector<std::string> numeric_references(const RateKey& key) {
  std::vector<std::string> names;
  switch (key.kind) {
    case RateKey::Kind::kFormula:
    case RateKey::Kind::kList:
      add_value_names(key.value, &names);
      break;
    case RateKey::Kind::kLookup:
      for (const auto& [k, v] : key.lookup.entries) add_value_names(v, &names);
      break;
    default:
      break;
  }
  return names;
}

// All tier lists a key can produce (itself, or every entry of its table); empty if it is not one.
std::vector<const TierList*> tier_lists(const RateKey& key) {
  std::vector<const TierList*> lists;
  if (key.kind == RateKey::Kind::kList) lists.push_back(&key.value.list);
  if (key.kind == RateKey::Kind::kLookup) {
    for (const auto& [k, v] : key.lookup.entries) {
      if (!v.is_list) return {};
      lists.push_back(&v.list);
    }
  }
  return lists;
}

bool produces_list(const RateKey& key) {
  if (key.kind == RateKey::Kind::kList) return true;
  if (key.kind != RateKey::Kind::kLookup) return false;
  return std::any_of(key.lookup.entries.begin(), key.lookup.entries.end(),
                     [](const auto& e) { return e.second.is_list; });
}

// Checks the tier lists of a Tiered/Budget charge; the error text names what is wrong.
Result<void> check_tiers(const CustomerClass& cls, const RateKey& charge) {
  const bool tiered = charge.kind == RateKey::Kind::kTiered;
  const char* kind = tiered ? "Tiered" : "Budget";
  for (auto [key_name, what] :
       {std::pair{charge.starts_key, "tier_starts"}, std::pair{charge.prices_key, "tier_prices"}}) {
    if (key_name.empty()) {
      return fail(Error::invalid(expected_tier_key(charge, what),
                                 "The field " + expected_tier_key(charge, what) +
                                     " is not present in the OWRS file for customer class " +
                                     cls.name + " (" + charge.name + " is " + kind + ")"));
    }
    const RateKey* key = cls.find(key_name);
    if (key->kind == RateKey::Kind::kUnusable) {
      return fail(Error::invalid(key_name, key->unusable_reason));
    }
    if (tier_lists(*key).empty()) {
      return fail(Error::invalid(key_name, key_name +
                                               " must be a tier list (or a depends_on "
                                               "table of tier lists) for " +
                                               charge.name));
    }
  }
  const auto starts = tier_lists(*cls.find(charge.starts_key));
  const auto prices = tier_lists(*cls.find(charge.prices_key));
  for (const auto* list : prices) {
    for (const auto& item : *list) {
      if (item.kind == TierItem::Kind::kPercent) {
        return fail(Error::invalid(charge.prices_key, charge.prices_key + " '" + item.text +
                                                          "' is a percentage, not a price"));
      }
    }
  }
  if (starts.size() == 1 && prices.size() == 1 && starts[0]->size() != prices[0]->size()) {
    return fail(Error::invalid(charge.starts_key, charge.starts_key + " has " +
                                                      std::to_string(starts[0]->size()) +
                                                      " tiers but " + charge.prices_key + " has " +
                                                      std::to_string(prices[0]->size())));
  }
  if (!tiered) return {};
  for (const auto* list : starts) {
    Decimal previous;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const TierItem& item = (*list)[i];
      if (item.kind != TierItem::Kind::kNumber) {
        return fail(Error::invalid(
            charge.starts_key, "Tiers are formatted for budget-based rates (" + charge.starts_key +
                                   " has '" + item.text + "') but " + charge.name +
                                   " is Tiered; use " + charge.name + ": Budget"));
      }
      if (!item.number.is_integer() || item.number.is_negative()) {
        return fail(Error::invalid(charge.starts_key,
                                   charge.starts_key + " '" + item.text +
                                       "' is not a whole unit; a Tiered start is the first whole "
                                       "unit billed at that tier's price"));
      }
      if (i == 0 && !item.number.is_zero()) {
        return fail(Error::invalid(charge.starts_key,
                                   charge.starts_key + " must start at 0, not " + item.text));
      }
      if (item.number < previous) {
        return fail(Error::invalid(charge.starts_key,
                                   charge.starts_key + " decreases at '" + item.text + "'"));
      }
      previous = item.number;
    }
  }
  return {};
}

class ClassChecker {
 public:
  ClassChecker(Tariff& tariff, CustomerClass& cls) : tariff_(tariff), cls_(cls) {}

  void run() {
    const RateKey* bill = cls_.find("bill");
    if (bill == nullptr) {
      cls_.refusal = class_error(tariff_.source, cls_.line, cls_.name, "bill",
                                 "The field bill is not present in the OWRS file for customer "
                                 "class " +
                                     cls_.name);
      return;
    }
    if (auto ok = visit("bill"); !ok) {
      cls_.refusal = ok.error();
      return;
    }
    cls_.inputs.assign(inputs_.begin(), inputs_.end());
    warn_unused();
  }

 private:
  Result<void> refuse(const RateKey& key, const std::string& what) {
    return fail(class_error(tariff_.source, key.line, cls_.name, key.name, what));
  }

  Result<void> visit(const std::string& name) {
    const RateKey* key = cls_.find(name);
    if (key == nullptr) {
      inputs_.insert(name);
      return {};
    }
    if (done_.contains(name)) return {};
    if (const auto it = std::find(path_.begin(), path_.end(), name); it != path_.end()) {
      std::string cycle;
      for (auto i = it; i != path_.end(); ++i) cycle += *i + " -> ";
      return refuse(*key, "circular definition: " + cycle + name);
    }
    path_.push_back(name);
    CD_TRY(check_key(*key));
    for (const auto& ref : references(*key, tariff_.metadata.bill_unit)) CD_TRY(visit(ref));
    path_.pop_back();
    done_.insert(name);
    return {};
  }

  Result<void> check_key(const RateKey& key) {
    if (key.kind == RateKey::Kind::kUnusable) return refuse(key, key.unusable_reason);
    if (key.kind == RateKey::Kind::kTiered || key.kind == RateKey::Kind::kBudget) {
      if (key.kind == RateKey::Kind::kBudget) cls_.has_budget_charge = true;
      if (auto ok = check_tiers(cls_, key); !ok) {
        const RateKey* culprit = cls_.find(ok.error().field);
        return fail(class_error(tariff_.source, culprit ? culprit->line : key.line, cls_.name,
                                ok.error().field, ok.error().message));
      }
      return {};
    }
    for (const auto& ref : numeric_references(key)) {
      const RateKey* used = cls_.find(ref);
      if (used != nullptr && produces_list(*used)) {
        return refuse(key, ref + " is a tier list, not a number");
      }
      if (ref == "usage_ccf" && tariff_.metadata.bill_unit == BillUnit::kKgal) {
        return refuse(key,
                      "the formula uses usage_ccf but this tariff's prices are per kgal "
                      "(metadata.bill_unit); write usage_kgal");
      }
    }
    return {};
  }

  void warn_unused() {
    for (const auto& key : cls_.keys) {
      if (done_.contains(key.name)) continue;
      const std::string where =
          at(tariff_.source, key.line) + "customer class " + cls_.name + ", key " + key.name + ": ";
      if (key.kind == RateKey::Kind::kUnusable) {
        tariff_.warnings.push_back(where + "cannot be computed (" + key.unusable_reason +
                                   ") but bill does not use it");
        continue;
      }
      if (key.name.find("charge") == std::string::npos) continue;
      const bool zero = key.kind == RateKey::Kind::kFormula && key.value.formula.is_constant() &&
                        key.value.formula.evaluate({}).value_or(Decimal::from_integer(1)).is_zero();
      if (!zero) tariff_.warnings.push_back(where + "is defined but bill does not include it");
    }
  }

  Tariff& tariff_;
  CustomerClass& cls_;
  std::vector<std::string> path_;
  std::set<std::string> done_;
  std::set<std::string> inputs_;
};

Result<CustomerClass> parse_class(Tariff& tariff, const std::string& name, const YAML::Node& node) {
  CustomerClass cls;
  cls.name = name;
  cls.line = line_of(node);
  if (!node.IsMap()) {
    cls.refusal = class_error(tariff.source, cls.line, name, "(class)",
                              "a customer class must be a map of keys");
    return cls;
  }
  if (node.size() > kMaxKeysPerClass) {
    cls.refusal = class_error(tariff.source, cls.line, name, "(class)",
                              "more than " + std::to_string(kMaxKeysPerClass) + " keys");
    return cls;
  }
  std::map<std::string, std::string> seen;  // key -> its YAML, to compare duplicates
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      cls.refusal = class_error(tariff.source, line_of(entry.first), name, "(key)",
                                "a key name is not text (a template placeholder?)");
      return cls;
    }
    const std::string key_name = trim(entry.first.Scalar());
    std::ostringstream dump;
    dump << entry.second;
    if (auto it = seen.find(key_name); it != seen.end()) {
      if (it->second != dump.str()) {
        cls.refusal = class_error(tariff.source, line_of(entry.first), name, key_name,
                                  "the key is given twice with different values");
        return cls;
      }
      tariff.warnings.push_back(at(tariff.source, line_of(entry.first)) + "customer class " + name +
                                ", key " + key_name + ": given twice (same value)");
      continue;
    }
    seen.emplace(key_name, dump.str());
    cls.keys.push_back(parse_key(key_name, entry.second));
  }
  for (auto& key : cls.keys) {
    if (key.kind == RateKey::Kind::kTiered || key.kind == RateKey::Kind::kBudget) {
      resolve_tier_keys(cls, key);
    }
  }
  ClassChecker(tariff, cls).run();
  return cls;
}

}  // namespace

std::string_view to_string(BillUnit unit) {
  return unit == BillUnit::kCcf ? "ccf" : "kgal";
}

std::string_view usage_variable(BillUnit unit) {
  return unit == BillUnit::kCcf ? "usage_ccf" : "usage_kgal";
}

const RateKey* CustomerClass::find(std::string_view key) const {
  for (const auto& k : keys) {
    if (k.name == key) return &k;
  }
  return nullptr;
}

const CustomerClass* Tariff::find_class(std::string_view name) const {
  for (const auto& c : classes) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> references(const RateKey& key, BillUnit unit) {
  std::vector<std::string> names = numeric_references(key);
  if (key.kind == RateKey::Kind::kLookup) {
    names.insert(names.end(), key.lookup.depends_on.begin(), key.lookup.depends_on.end());
  }
  if (key.kind == RateKey::Kind::kTiered || key.kind == RateKey::Kind::kBudget) {
    names.emplace_back(usage_variable(unit));
    if (!key.starts_key.empty()) names.push_back(key.starts_key);
    if (!key.prices_key.empty()) names.push_back(key.prices_key);
    // Budget percentages read the budget; found through the starts key's lists at check time.
    if (key.kind == RateKey::Kind::kBudget && !key.budget_key.empty()) {
      names.push_back(key.budget_key);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<Tariff> parse_owrs(std::string_view yaml_text, std::string_view source) {
  if (yaml_text.size() > kMaxOwrsFileBytes) {
    return fail(ErrorCode::kTooLarge, std::string(source) + ": larger than " +
                                          std::to_string(kMaxOwrsFileBytes) + " bytes");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    const std::string where = enclosing_keys(yaml_text, e.mark.line);
    return refuse_file(source, e.mark.line + 1, where,
                       "not valid YAML at column " + std::to_string(e.mark.column + 1) + ": " +
                           e.msg + (where.empty() ? "" : " (inside " + where + ")"));
  }
  if (!root.IsMap()) return refuse_file(source, 0, "", "an OWRS file must be a YAML map");
  Tariff tariff;
  tariff.source = std::string(source);
  CD_ASSIGN(tariff.metadata, parse_metadata(root, source));
  const YAML::Node structure = root["rate_structure"];
  if (!structure || !structure.IsMap() || structure.size() == 0) {
    return refuse_file(source, 0, "rate_structure",
                       "rate_structure is not present (a map of customer classes)");
  }
  if (structure.size() > kMaxCustomerClasses) {
    return refuse_file(source, line_of(structure), "rate_structure",
                       "more than " + std::to_string(kMaxCustomerClasses) + " customer classes");
  }
  for (const auto& top : root) {
    const std::string name = top.first.IsScalar() ? top.first.Scalar() : "?";
    if (name != "metadata" && name != "rate_structure") {
      tariff.warnings.push_back(at(source, line_of(top.first)) + "top-level key " + name +
                                " is not part of any customer class; ignored");
    }
  }
  std::set<std::string> class_names;
  for (const auto& entry : structure) {
    if (!entry.first.IsScalar()) {
      return refuse_file(source, line_of(entry.first), "rate_structure",
                         "a customer class name in rate_structure is not text (a template "
                         "placeholder such as {consumer_class}?)");
    }
    const std::string name = trim(entry.first.Scalar());
    if (!class_names.insert(name).second) {
      return refuse_file(source, line_of(entry.first), "rate_structure." + name,
                         "customer class " + name + " is defined twice");
    }
    CD_ASSIGN(CustomerClass cls, parse_class(tariff, name, entry.second));
    tariff.classes.push_back(std::move(cls));
  }
  return tariff;
}

Result<Tariff> load_owrs_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, path + ": cannot read the OWRS file", "owrs");
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxOwrsFileBytes) {
      return fail(ErrorCode::kTooLarge,
                  path + ": larger than " + std::to_string(kMaxOwrsFileBytes) + " bytes", "owrs");
    }
  }
  if (in.bad()) return fail(ErrorCode::kNotFound, path + ": error reading the OWRS file", "owrs");
  return parse_owrs(text, path);
}

}  // namespace civicdesk::rates
