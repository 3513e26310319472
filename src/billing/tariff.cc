#include "billing/tariff.h"

#include <algorithm>
#include <set>
#include <utility>

namespace civicdesk::billing {

std::string_view to_string(SewerBasis b) {
  switch (b) {
    case SewerBasis::kWaterUse:
      return "water_use";
    case SewerBasis::kWinterAverage:
      return "winter_average";
  }
  return "water_use";
}

const std::vector<Tier>& RateClass::tiers_on(CivilDate day) const {
  for (const Season& s : seasons) {
    if (std::find(s.months.begin(), s.months.end(), day.month) != s.months.end()) return s.tiers;
  }
  return tiers;
}

const FixedCharge* RateClass::fixed_charge_for(std::string_view meter_size) const {
  const FixedCharge* any = nullptr;
  for (const FixedCharge& f : fixed_charges) {
    if (f.meter_size == meter_size) return &f;
    if (f.meter_size == "any") any = &f;
  }
  return any;
}

const RateClass* RateVersion::find_class(ServiceKind kind, std::string_view name) const {
  for (const RateClass& c : classes) {
    if (c.kind == kind && c.name == name) return &c;
  }
  return nullptr;
}

const Discount* RateVersion::find_discount(std::string_view code) const {
  for (const Discount& d : discounts) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

bool selector_matches(std::string_view selector, std::string_view service,
                      std::string_view component) {
  if (selector == service || selector == component) return true;
  if (selector == "volume") {
    return component == "sewer_volume" || component.starts_with("tier_");
  }
  const std::size_t dot = selector.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view s = selector.substr(0, dot);
  const std::string_view c = selector.substr(dot + 1);
  return s == service && selector_matches(c, service, component);
}

const RateVersion* Tariff::in_force_on(CivilDate day) const {
  const RateVersion* best = nullptr;
  for (const RateVersion& v : versions) {
    if (v.proposed || day < v.effective_from) continue;
    if (!best || best->effective_from < v.effective_from) best = &v;
  }
  return best;
}

const RateVersion* Tariff::find(std::string_view id) const {
  for (const RateVersion& v : versions) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

const RateVersion* Tariff::proposed() const {
  for (const RateVersion& v : versions) {
    if (v.proposed) return &v;
  }
  return nullptr;
}

namespace {

std::unexpected<Error> bad(const RateVersion& v, const RateClass* c, const std::string& key,
                           const std::string& message) {
  std::string where = "version " + v.id;
  if (c) where += ", class " + c->name + " (" + std::string(to_string(c->kind)) + ")";
  return fail(ErrorCode::kInvalidInput, where + ", " + key + ": " + message,
              "billing.rate_versions." + v.id + (c ? "." + c->name : "") + "." + key);
}

Result<void> check_tiers(const RateVersion& v, const RateClass& c, const std::vector<Tier>& tiers,
                         const std::string& key) {
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const std::string k = key + "[" + std::to_string(i) + "]";
    const Tier& t = tiers[i];
    if (t.price_per_ccf.is_negative()) return bad(v, &c, k + ".price", "must not be negative");
    if (!t.up_to_ccf) {
      if (i + 1 != tiers.size()) {
        return bad(v, &c, k + ".up_to_ccf", "only the last tier may be unbounded");
      }
      continue;
    }
    if (!t.up_to_ccf->is_positive()) return bad(v, &c, k + ".up_to_ccf", "must be positive");
    if (i > 0 && tiers[i - 1].up_to_ccf && *t.up_to_ccf <= *tiers[i - 1].up_to_ccf) {
      return bad(v, &c, k + ".up_to_ccf", "must be above the previous tier's bound");
    }
  }
  return {};
}

Result<void> check_class(const RateVersion& v, const RateClass& c) {
  for (const FixedCharge& f : c.fixed_charges) {
    if (f.monthly.is_negative()) {
      return bad(v, &c, "fixed_charges." + f.meter_size, "must not be negative");
    }
  }
  CD_TRY(check_tiers(v, c, c.tiers, "tiers"));
  std::set<int> months;
  for (const Season& s : c.seasons) {
    CD_TRY(check_tiers(v, c, s.tiers, "seasons." + s.name + ".tiers"));
    if (s.tiers.empty()) return bad(v, &c, "seasons." + s.name + ".tiers", "are required");
    for (int m : s.months) {
      if (m < 1 || m > 12) return bad(v, &c, "seasons." + s.name + ".months", "must be 1..12");
      if (!months.insert(m).second) {
        return bad(v, &c, "seasons." + s.name + ".months",
                   "month " + std::to_string(m) + " is in two seasons");
      }
    }
  }
  if (c.minimum_monthly && c.minimum_monthly->is_negative()) {
    return bad(v, &c, "minimum_monthly", "must not be negative");
  }
  if (c.sewer_cap_ccf && !c.sewer_cap_ccf->is_positive()) {
    return bad(v, &c, "cap_ccf", "must be positive");
  }
  for (const RefuseRate& r : c.refuse) {
    if (r.monthly_per_cart.is_negative()) return bad(v, &c, "carts", "must not be negative");
  }
  for (const StormwaterFee& f : c.stormwater) {
    if (f.monthly.is_negative()) return bad(v, &c, "fees", "must not be negative");
  }
  return {};
}

}  // namespace

Result<void> check_tariff(const Tariff& tariff) {
  std::set<std::string> ids;
  std::set<CivilDate> in_force_from;
  for (const RateVersion& v : tariff.versions) {
    if (v.id.empty()) return fail(ErrorCode::kInvalidInput, "a rate version needs an id", "id");
    if (!ids.insert(v.id).second) return bad(v, nullptr, "id", "is given twice");
    if (!v.proposed && !in_force_from.insert(v.effective_from).second) {
      return bad(v, nullptr, "effective_from",
                 "another version is already in force from " + v.effective_from.iso());
    }
    std::set<std::pair<ServiceKind, std::string>> names;
    for (const RateClass& c : v.classes) {
      if (!names.insert({c.kind, c.name}).second) return bad(v, &c, "name", "is given twice");
      CD_TRY(check_class(v, c));
    }
    std::set<std::string> codes;
    for (const Tax& t : v.taxes) {
      if (!codes.insert(t.code).second) return bad(v, nullptr, "taxes." + t.code, "given twice");
      if (t.percent.is_negative()) {
        return bad(v, nullptr, "taxes." + t.code + ".percent", "must not be negative");
      }
      if (t.applies_to.empty()) {
        return bad(v, nullptr, "taxes." + t.code + ".applies_to", "names no lines");
      }
    }
    for (const Discount& d : v.discounts) {
      const std::string k = "discounts." + d.code;
      if (!codes.insert(d.code).second) return bad(v, nullptr, k, "is given twice");
      if (d.percent.has_value() == d.fixed_monthly.has_value()) {
        return bad(v, nullptr, k, "needs exactly one of percent and fixed_monthly");
      }
      const rates::Decimal amount = d.percent ? *d.percent : *d.fixed_monthly;
      if (amount.is_negative()) return bad(v, nullptr, k, "must not be negative");
      if (d.percent && *d.percent > rates::Decimal::from_integer(100)) {
        return bad(v, nullptr, k + ".percent", "must be at most 100");
      }
      if (d.applies_to.empty()) return bad(v, nullptr, k + ".applies_to", "names no lines");
    }
  }
  return {};
}

}  // namespace civicdesk::billing
