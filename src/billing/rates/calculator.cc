#include "billing/rates/calculator.h"

#include <algorithm>
#include <set>

#include "billing/rates/rate_limits.h"
#include "core/limits.h"

namespace civicdesk::rates {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_fraction(std::string_view s) {
  const std::size_t slash = s.find('/');
  return slash != std::string_view::npos && all_digits(s.substr(0, slash)) &&
         all_digits(s.substr(slash + 1));
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The meter size without its inch mark, as whole and fraction parts ("1 1/2\"" -> 1, 1/2;
// "5/8" -> "", 5/8; "2in" -> 2, ""); nullopt when the text is not a meter size.
std::optional<std::pair<std::string, std::string>> meter_parts(std::string_view text) {
  std::string_view s = trim_view(text);
  for (std::string_view mark : {"\"", "inches", "inch", "in"}) {
    if (s.ends_with(mark)) {
      s = trim_view(s.substr(0, s.size() - mark.size()));
      break;
    }
  }
  if (all_digits(s)) return std::pair{std::string(s), std::string()};
  if (is_fraction(s)) return std::pair{std::string(), std::string(s)};
  const std::size_t end_whole = s.find_first_not_of("0123456789");
  if (end_whole == 0 || end_whole == std::string_view::npos) return std::nullopt;
  const std::size_t start_fraction = s.find_first_not_of(" _|-", end_whole);
  if (start_fraction == end_whole || start_fraction == std::string_view::npos) return std::nullopt;
  if (!is_fraction(s.substr(start_fraction))) return std::nullopt;
  return std::pair{std::string(s.substr(0, end_whole)), std::string(s.substr(start_fraction))};
}

// Spellings of a meter size the OWRS files use for the same meter: 1 1/2", 1_1/2", 1|1/2",
// 1-1/2", each with and without the inch mark. Other values have only their own spelling.
std::vector<std::string> spellings(std::string_view dependency, const std::string& value) {
  std::vector<std::string> out{value};
  if (dependency != "meter_size") return out;
  const auto parts = meter_parts(value);
  if (!parts) return out;
  std::vector<std::string> bare;
  if (!parts->first.empty() && !parts->second.empty()) {
    for (const char* sep : {" ", "_", "|", "-"}) bare.push_back(parts->first + sep + parts->second);
  } else {
    bare.push_back(parts->first + parts->second);
  }
  for (const auto& b : bare) {
    for (const std::string& s : {b + "\"", b}) {
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  }
  return out;
}

struct ChargeDetail {
  std::string description;
  std::vector<TierUse> tiers;
};

class Evaluator {
 public:
  Evaluator(const Tariff& tariff, const CustomerClass& cls, const CustomerInputs& inputs,
            Decimal proration_factor)
      : tariff_(tariff), cls_(cls), inputs_(inputs), factor_(proration_factor) {}

  Result<Decimal> number(std::string_view name);
  Result<std::string> text(std::string_view name);
  Result<Decimal> evaluate(const Formula& f) {
    return f.evaluate([this](std::string_view n) { return number(n); });
  }

  const ChargeDetail* detail(const std::string& name) const {
    auto it = details_.find(name);
    return it == details_.end() ? nullptr : &it->second;
  }
  const std::string* lookup_choice(const std::string& name) const {
    auto it = lookup_choices_.find(name);
    return it == lookup_choices_.end() ? nullptr : &it->second;
  }
  bool is_input(std::string_view name) const { return inputs_.contains(name); }
  std::vector<std::string> take_notes() { return std::move(notes_); }
  // A value known before evaluation starts (usage, exact as given).
  void seed(const std::string& name, Decimal value) { memo_[name] = value; }

  Error key_error(const std::string& key, ErrorCode code, const std::string& what) const {
    const RateKey* k = cls_.find(key);
    return Error::make(code,
                       tariff_.source + (k ? ":" + std::to_string(k->line) : std::string()) +
                           ": customer class " + cls_.name + ", key " + key + ": " + what,
                       cls_.name + "." + key);
  }

 private:
  Error missing(std::string_view name) const {
    const std::string n(name);
    return Error::make(ErrorCode::kInvalidInput,
                       tariff_.source + ": The field " + n +
                           " is not present in the OWRS file for customer class " + cls_.name +
                           ", nor among the customer's inputs (give it with --set " + n + "=VALUE)",
                       cls_.name + "." + n);
  }

  Result<Decimal> compute(const RateKey& key);
  Result<const RateValue*> pick(const RateKey& key);
  Result<const TierList*> tier_list(const std::string& key_name);
  Result<Decimal> tiers(const RateKey& charge);
  Result<std::vector<Decimal>> tier_uppers(const RateKey& charge, const TierList& starts,
                                           std::optional<Decimal>* budget, std::string* described);
  std::string describe(const RateKey& charge, Decimal usage, const std::optional<Decimal>& budget,
                       const std::string& starts) const;

  const Tariff& tariff_;
  const CustomerClass& cls_;
  const CustomerInputs& inputs_;
  Decimal factor_;
  std::map<std::string, Decimal, std::less<>> memo_;
  std::vector<std::string> stack_;
  std::map<std::string, ChargeDetail> details_;
  std::map<std::string, std::string> lookup_choices_;
  std::vector<std::string> notes_;
};

Result<Decimal> Evaluator::number(std::string_view name) {
  if (auto it = memo_.find(name); it != memo_.end()) return it->second;
  const std::string n(name);
  if (std::find(stack_.begin(), stack_.end(), n) != stack_.end()) {
    return fail(key_error(n, ErrorCode::kUnprocessable, "circular definition"));
  }
  const RateKey* key = cls_.find(name);
  Decimal value;
  if (auto input = inputs_.find(name); input != inputs_.end()) {
    auto parsed = Decimal::parse(input->second, n);
    if (!parsed) {
      return fail(Error::invalid(cls_.name + "." + n, tariff_.source + ": input " + n + " '" +
                                                          input->second +
                                                          "' is not a number, but customer class " +
                                                          cls_.name + " uses it in arithmetic"));
    }
    value = *parsed;
    if (key != nullptr)
      notes_.push_back(n + " = " + input->second +
                       " from the customer's inputs replaces the tariff's value");
  } else if (key != nullptr) {
    stack_.push_back(n);
    auto computed = compute(*key);
    stack_.pop_back();
    if (!computed) {
      if (!computed.error().field.empty()) return computed;
      return fail(key_error(n, computed.error().code, computed.error().message));
    }
    value = *computed;
  } else if (name == "usage_kgal" && inputs_.contains("usage_ccf")) {
    CD_ASSIGN(const Decimal ccf, number("usage_ccf"));
    // 1 CCF = 100 ft^3 = 100 * 1728/231 US gallons = 288/385 kgal, exactly.
    CD_ASSIGN(const Decimal per_ccf, Decimal::from_fraction(288, 385));
    CD_ASSIGN(value, ccf.mul(per_ccf));
  } else {
    return fail(missing(name));
  }
  if (cls_.has_budget_charge && (name == "indoor" || name == "outdoor")) {
    const Decimal rounded = value.round_to_integer(kBudgetRounding);
    if (rounded != value) {
      notes_.push_back(n + " budget " + value.to_string(9) + " rounded to " + rounded.to_string() +
                       " whole units (half-even)");
    }
    value = rounded;
  }
  memo_.emplace(n, value);
  return value;
}

Result<std::string> Evaluator::text(std::string_view name) {
  if (auto input = inputs_.find(name); input != inputs_.end()) return input->second;
  if (name == "cust_class") return cls_.name;
  if (cls_.find(name) != nullptr) {
    CD_ASSIGN(const Decimal v, number(name));
    return v.to_string(18);
  }
  return fail(missing(name));
}

Result<const RateValue*> Evaluator::pick(const RateKey& key) {
  const Lookup& lookup = key.lookup;
  // Every combination of the spellings of each dependency's value, the as-given one first.
  std::vector<std::string> candidates{""};
  std::string as_given;
  for (std::size_t i = 0; i < lookup.depends_on.size(); ++i) {
    CD_ASSIGN(const std::string value, text(lookup.depends_on[i]));
    as_given += (i ? "|" : "") + lookup.depends_on[i] + " = " + value;
    std::vector<std::string> next;
    for (const auto& prefix : candidates) {
      for (const auto& s : spellings(lookup.depends_on[i], value)) {
        next.push_back(prefix + (i ? "|" : "") + s);
      }
    }
    candidates = std::move(next);
  }
  if (auto it = lookup.index.find(candidates.front()); it != lookup.index.end()) {
    lookup_choices_[key.name] = as_given;
    return &lookup.entries[it->second].second;
  }
  std::set<std::size_t> matches;
  for (const auto& c : candidates) {
    const std::string lc = lower(c);
    for (std::size_t i = 0; i < lookup.entries.size(); ++i) {
      if (lower(lookup.entries[i].first) == lc) matches.insert(i);
    }
  }
  if (matches.size() == 1) {
    const auto& entry = lookup.entries[*matches.begin()];
    lookup_choices_[key.name] = as_given + " (the table writes '" + entry.first + "')";
    return &entry.second;
  }
  std::string known;
  for (std::size_t i = 0; i < lookup.entries.size() && i < 12; ++i) {
    known += (i ? ", " : "") + lookup.entries[i].first;
  }
  if (lookup.entries.size() > 12) known += ", ...";
  return fail(key_error(key.name, ErrorCode::kInvalidInput,
                        matches.empty()
                            ? "no value for " + as_given + " (the table has: " + known + ")"
                            : "several values match " + as_given));
}

Result<Decimal> Evaluator::compute(const RateKey& key) {
  switch (key.kind) {
    case RateKey::Kind::kFormula:
      return evaluate(key.value.formula);
    case RateKey::Kind::kLookup: {
      CD_ASSIGN(const RateValue* value, pick(key));
      if (value->is_list) {
        return fail(
            key_error(key.name, ErrorCode::kUnprocessable, "is a tier list here, not a number"));
      }
      return evaluate(value->formula);
    }
    case RateKey::Kind::kTiered:
    case RateKey::Kind::kBudget:
      return tiers(key);
    case RateKey::Kind::kList:
      return fail(key_error(key.name, ErrorCode::kUnprocessable, "is a tier list, not a number"));
    case RateKey::Kind::kUnusable:
      return fail(key_error(key.name, ErrorCode::kUnprocessable, key.unusable_reason));
  }
  return fail(key_error(key.name, ErrorCode::kInternal, "unknown kind of key"));
}

Result<const TierList*> Evaluator::tier_list(const std::string& key_name) {
  const RateKey* key = cls_.find(key_name);
  if (key == nullptr) return fail(missing(key_name));
  if (key->kind == RateKey::Kind::kList) return &key->value.list;
  if (key->kind == RateKey::Kind::kLookup) {
    CD_ASSIGN(const RateValue* value, pick(*key));
    if (value->is_list) return &value->list;
  }
  return fail(key_error(key_name, ErrorCode::kUnprocessable, "is not a tier list"));
}

// The upper boundary of every tier but the last, in usage units. Fixed blocks: a start is the
// first whole unit of its tier, so the tier below ends one unit earlier, and block widths are
// prorated. Budget: starts are whole units, rounded half-even, and tiers meet exactly.
Result<std::vector<Decimal>> Evaluator::tier_uppers(const RateKey& charge, const TierList& starts,
                                                    std::optional<Decimal>* budget,
                                                    std::string* described) {
  const bool fixed_blocks = charge.kind == RateKey::Kind::kTiered;
  std::vector<Decimal> uppers;
  for (std::size_t i = 1; i < starts.size(); ++i) {
    const TierItem& item = starts[i];
    Decimal start;
    if (fixed_blocks) {
      CD_ASSIGN(const Decimal minus_one, item.number.sub(Decimal::from_integer(1)));
      CD_ASSIGN(start, std::max(Decimal(), minus_one).mul(factor_));
    } else if (item.kind == TierItem::Kind::kPercent) {
      if (!*budget) {
        CD_ASSIGN(*budget, number(charge.budget_key));
      }
      CD_ASSIGN(const Decimal share, item.number.mul(**budget));
      CD_ASSIGN(const Decimal exact, share.div(Decimal::from_integer(100)));
      start = exact.round_to_integer(kBudgetRounding);
    } else if (item.kind == TierItem::Kind::kFormula) {
      CD_ASSIGN(const Decimal exact, evaluate(item.formula));
      start = exact.round_to_integer(kBudgetRounding);
    } else {
      start = item.number.round_to_integer(kBudgetRounding);
    }
    uppers.push_back(start);
    *described += (i > 1 ? ", " : "") + item.text + " = " + start.to_string(9);
  }
  return uppers;
}

// Usage in each tier, as RateParser's get_usage_in_tiers: tier i takes what is left of the usage
// up to its upper boundary; a boundary below the usage already placed gives the tier nothing.
Result<Decimal> Evaluator::tiers(const RateKey& charge) {
  CD_ASSIGN(const Decimal usage, number(usage_variable(tariff_.metadata.bill_unit)));
  CD_ASSIGN(const TierList* starts, tier_list(charge.starts_key));
  CD_ASSIGN(const TierList* prices, tier_list(charge.prices_key));
  if (starts->size() != prices->size()) {
    return fail(key_error(charge.name, ErrorCode::kUnprocessable,
                          charge.starts_key + " has " + std::to_string(starts->size()) +
                              " tiers but " + charge.prices_key + " has " +
                              std::to_string(prices->size())));
  }
  std::optional<Decimal> budget;
  std::string described;
  CD_ASSIGN(const std::vector<Decimal> uppers, tier_uppers(charge, *starts, &budget, &described));
  ChargeDetail detail;
  Decimal placed, amount;
  for (std::size_t i = 0; i < prices->size(); ++i) {
    const TierItem& p = (*prices)[i];
    Decimal price = p.number;
    if (p.kind == TierItem::Kind::kFormula) {
      CD_ASSIGN(price, evaluate(p.formula));
    }
    CD_ASSIGN(Decimal units, usage.sub(placed));
    if (i < uppers.size()) {
      CD_ASSIGN(const Decimal room, uppers[i].sub(placed));
      units = std::min(units, room);
    }
    units = std::max(units, Decimal());
    CD_ASSIGN(const Decimal tier_amount, units.mul(price));
    detail.tiers.push_back(
        TierUse{.tier = static_cast<int>(i) + 1,
                .from = i == 0 ? Decimal() : uppers[i - 1],
                .to = i < uppers.size() ? std::optional(uppers[i]) : std::nullopt,
                .units = units,
                .price = price,
                .amount = tier_amount});
    CD_ASSIGN(placed, placed.add(units));
    CD_ASSIGN(amount, amount.add(tier_amount));
  }
  detail.description = describe(charge, usage, budget, described);
  details_[charge.name] = std::move(detail);
  return amount;
}

std::string Evaluator::describe(const RateKey& charge, Decimal usage,
                                const std::optional<Decimal>& budget,
                                const std::string& starts) const {
  const std::string unit(to_string(tariff_.metadata.bill_unit));
  if (charge.kind == RateKey::Kind::kTiered) {
    std::string d = "Tiered (fixed blocks) on " + usage.to_string(9) + " " + unit +
                    "; tier starts are the first whole unit of each tier";
    if (factor_ != Decimal::from_integer(1)) {
      d += "; block widths prorated by " + factor_.to_string(9);
    }
    return d;
  }
  std::string d = "Budget (allocation) on " + usage.to_string(9) + " " + unit;
  if (budget) d += "; budget " + budget->to_string(9);
  return d + "; starts " + starts + " (whole units, half-even)";
}

// True when `formula` reads usage, directly or through the class's keys.
bool depends_on_usage(const CustomerClass& cls, BillUnit unit,
                      const std::vector<std::string>& names) {
  std::vector<std::string> todo = names;
  std::set<std::string> seen;
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    if (!seen.insert(name).second) continue;
    if (name == "usage_ccf" || name == "usage_kgal") return true;
    const RateKey* key = cls.find(name);
    if (key == nullptr) continue;
    if (key->kind == RateKey::Kind::kTiered || key->kind == RateKey::Kind::kBudget) return true;
    for (auto& r : references(*key, unit)) todo.push_back(std::move(r));
  }
  return false;
}

std::string explain(Evaluator& ev, const CustomerClass& cls, const Formula& term) {
  if (auto name = term.as_variable()) {
    if (ev.is_input(*name)) return "given by the customer's inputs";
    if (const ChargeDetail* d = ev.detail(*name)) return d->description;
    const RateKey* key = cls.find(*name);
    if (key != nullptr && key->kind == RateKey::Kind::kLookup) {
      const std::string* choice = ev.lookup_choice(*name);
      return "from the table by " + (choice ? *choice : std::string("?"));
    }
    if (key != nullptr && key->kind == RateKey::Kind::kFormula) {
      if (key->value.formula.is_constant()) return "fixed amount " + key->value.formula.text();
      return explain(ev, cls, key->value.formula);
    }
  }
  std::string out = term.text();
  std::string values;
  for (const auto& v : term.variables()) {
    auto value = ev.number(v);
    if (!value) continue;
    values += (values.empty() ? "" : ", ") + v + " = " + value->to_string(9);
  }
  if (!values.empty()) out += " with " + values;
  return out;
}

Result<void> check_request(const BillRequest& r) {
  if (r.usage_ccf.is_negative()) {
    return fail(Error::invalid("usage_ccf", "usage_ccf must not be negative"));
  }
  CD_ASSIGN(const Decimal max_usage, Decimal::from_int64(kMaxUsageCcf));
  if (r.usage_ccf > max_usage) {
    return fail(Error::invalid(
        "usage_ccf", "usage_ccf is above the limit of " + std::to_string(kMaxUsageCcf) + " CCF"));
  }
  if (!r.proration_factor.is_positive() ||
      r.proration_factor > Decimal::from_integer(kMaxProrationFactor)) {
    return fail(Error::invalid(
        "proration_factor",
        "the proration factor must be above 0 and at most " + std::to_string(kMaxProrationFactor)));
  }
  if (r.inputs.size() > kMaxCustomerInputs) {
    return fail(Error::invalid(
        "inputs", "more than " + std::to_string(kMaxCustomerInputs) + " customer inputs"));
  }
  for (const auto& [key, value] : r.inputs) {
    if (key == "usage_ccf" || key == "usage_kgal" || key == "meter_size") {
      return fail(Error::invalid(key, key + " is given by its own option, not as an input"));
    }
    CD_TRY(check_length(key, kMaxInputKeyLength, "input name"));
    CD_TRY(check_length(value, kMaxInputValueLength, key));
  }
  return {};
}

}  // namespace

Result<Bill> compute_bill(const Tariff& tariff, const BillRequest& request) {
  CD_TRY(check_request(request));
  const CustomerClass* cls = tariff.find_class(request.customer_class);
  if (cls == nullptr) {
    std::string known;
    for (const auto& c : tariff.classes) known += (known.empty() ? "" : ", ") + c.name;
    return fail(
        Error::invalid("class", tariff.source + ": No rate information for customer class " +
                                    request.customer_class +
                                    " is present in the OWRS file (classes: " + known + ")"));
  }
  if (cls->refusal) return fail(*cls->refusal);

  CustomerInputs inputs = request.inputs;
  inputs["usage_ccf"] = request.usage_ccf.to_string(18);
  if (request.meter_size) inputs["meter_size"] = *request.meter_size;
  Evaluator ev(tariff, *cls, inputs, request.proration_factor);
  ev.seed("usage_ccf", request.usage_ccf);

  Bill bill;
  bill.source = tariff.source;
  bill.utility_name = tariff.metadata.utility_name;
  bill.customer_class = cls->name;
  bill.effective_date = tariff.metadata.effective_date;
  bill.unit = tariff.metadata.bill_unit;
  CD_ASSIGN(bill.usage, ev.number(usage_variable(bill.unit)));

  const RateKey* bill_key = cls->find("bill");
  std::vector<Formula::Term> terms;
  if (bill_key->kind == RateKey::Kind::kFormula) {
    terms = bill_key->value.formula.additive_terms();
  } else {
    CD_ASSIGN(Formula whole, Formula::parse("bill"));
    terms.push_back({false, std::move(whole)});
  }
  if (terms.size() > kMaxChargeLines) {
    return fail(ev.key_error("bill", ErrorCode::kUnprocessable,
                             "more than " + std::to_string(kMaxChargeLines) + " lines"));
  }
  for (const auto& term : terms) {
    BillLine line;
    line.name = term.formula.as_variable().value_or(term.formula.text());
    CD_ASSIGN(Decimal exact, ev.evaluate(term.formula));
    if (term.negative) exact = exact.negate();
    const bool fixed = !depends_on_usage(*cls, bill.unit, term.formula.variables());
    line.proration_factor = fixed ? request.proration_factor : Decimal::from_integer(1);
    CD_ASSIGN(line.exact, exact.mul(line.proration_factor));
    CD_ASSIGN(line.amount, line.exact.to_money(kBillLineRounding));
    line.explanation = explain(ev, *cls, term.formula);
    if (auto name = term.formula.as_variable()) {
      if (const ChargeDetail* d = ev.detail(*name)) line.tiers = d->tiers;
    }
    CD_ASSIGN(bill.total, bill.total.add(line.amount));
    CD_ASSIGN(bill.exact_total, bill.exact_total.add(line.exact));
    bill.lines.push_back(std::move(line));
  }
  bill.notes = ev.take_notes();
  return bill;
}

Result<WhatIf> what_if(const Tariff& current, const Tariff& proposed, const BillRequest& request) {
  WhatIf w;
  CD_ASSIGN(w.current, compute_bill(current, request));
  CD_ASSIGN(w.proposed, compute_bill(proposed, request));
  CD_ASSIGN(w.difference, w.proposed.total.sub(w.current.total));
  return w;
}

}  // namespace civicdesk::rates
