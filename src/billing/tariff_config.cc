#include "billing/tariff_config.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>

#include "core/limits.h"

namespace civicdesk::billing {
namespace {

using rates::Decimal;

// Where a value sits: the file, the path of keys, and the version/class it belongs to, so an
// error reads "version 2026-07, class RES (water), tiers[1].price: must be a number".
class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  std::string version;  // id of the version being read ("" before its id)
  std::string klass;    // "RES (water)" while reading a class

  std::unexpected<Error> error(const YAML::Node& at, const std::string& path,
                               const std::string& key, const std::string& message) const {
    std::string who;
    if (!version.empty()) who = "version " + version;
    if (!klass.empty()) who += ", class " + klass;
    if (!who.empty()) who += ", ";
    const int line = at.Mark().line < 0 ? 1 : at.Mark().line + 1;
    return fail(ErrorCode::kInvalidInput, who + key + ": " + message,
                std::string(source_) + ":" + std::to_string(line) + ": " + path + "." + key);
  }

  Result<void> only_keys(const YAML::Node& map, const std::string& path, const std::string& key,
                         std::initializer_list<std::string_view> allowed) const {
    if (!map.IsMap()) return error(map, path, key.empty() ? "class" : key, "must be a mapping");
    std::set<std::string> seen;
    for (const auto& kv : map) {
      const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string expected;
        for (std::string_view a : allowed)
          expected += (expected.empty() ? "" : ", ") + std::string(a);
        return error(kv.first, path, key.empty() ? k : key + "." + k,
                     "unknown key \"" + k + "\" (expected one of: " + expected + ")");
      }
      if (!seen.insert(k).second) {
        return error(kv.first, path, key.empty() ? k : key + "." + k, "is given twice");
      }
    }
    return {};
  }

  // `key` may be a dotted label ("taxes[0].code"); the map is looked up by its last part.
  static std::string leaf(const std::string& key) {
    const std::size_t dot = key.rfind('.');
    return dot == std::string::npos ? key : key.substr(dot + 1);
  }

  Result<std::string> text(const YAML::Node& map, const std::string& path, const std::string& key,
                           bool required = true) const {
    const YAML::Node n = map[leaf(key)];
    if (!n) {
      if (required) return error(map, path, key, "is required");
      return std::string();
    }
    if (!n.IsScalar() || n.Scalar().empty()) return error(n, path, key, "must be a text value");
    if (n.Scalar().size() > kMaxNameLength) return error(n, path, key, "is too long");
    return n.Scalar();
  }

  Result<Decimal> number(const YAML::Node& n, const std::string& path,
                         const std::string& key) const {
    if (!n || !n.IsScalar()) return error(n, path, key, "must be a number");
    auto d = Decimal::parse(n.Scalar(), key);
    if (!d) return error(n, path, key, "must be a number (got \"" + n.Scalar() + "\")");
    if (d->is_negative()) return error(n, path, key, "must not be negative");
    return *d;
  }

  Result<int> integer(const YAML::Node& n, const std::string& path, const std::string& key, int min,
                      int max) const {
    if (!n || !n.IsScalar()) return error(n, path, key, "must be a whole number");
    auto d = Decimal::parse(n.Scalar(), key);
    if (!d || !d->is_integer() || d->numerator() < min || d->numerator() > max) {
      return error(n, path, key,
                   "must be a whole number " + std::to_string(min) + ".." + std::to_string(max));
    }
    return static_cast<int>(d->numerator());
  }

  Result<YAML::Node> list(const YAML::Node& map, const std::string& path,
                          const std::string& key) const {
    const YAML::Node n = map[leaf(key)];
    if (!n) return YAML::Node(YAML::NodeType::Sequence);
    if (!n.IsSequence()) return error(n, path, key, "must be a list");
    if (n.size() > kMaxCityConfigListLength) return error(n, path, key, "has too many entries");
    return n;
  }

  Result<std::vector<std::string>> names(const YAML::Node& map, const std::string& path,
                                         const std::string& key) const {
    CD_ASSIGN(const YAML::Node l, list(map, path, key));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!l[i].IsScalar() || l[i].Scalar().empty()) {
        return error(l[i], path, key + "[" + std::to_string(i) + "]", "must be a text value");
      }
      out.push_back(l[i].Scalar());
    }
    if (out.empty()) return error(map, path, key, "must name at least one line");
    return out;
  }

  Result<std::vector<Tier>> tiers(const YAML::Node& map, const std::string& path,
                                  const std::string& key) const {
    CD_ASSIGN(const YAML::Node l, list(map, path, key));
    std::vector<Tier> out;
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::string k = key + "[" + std::to_string(i) + "]";
      CD_TRY(only_keys(l[i], path, k, {"up_to_ccf", "price"}));
      Tier t;
      if (l[i]["up_to_ccf"]) {
        CD_ASSIGN(t.up_to_ccf, number(l[i]["up_to_ccf"], path, k + ".up_to_ccf"));
      }
      CD_ASSIGN(t.price_per_ccf, number(l[i]["price"], path, k + ".price"));
      out.push_back(std::move(t));
    }
    return out;
  }

  Result<RateClass> rate_class(const YAML::Node& n, const std::string& path) {
    if (n.IsMap() && n["name"] && n["name"].IsScalar() && n["service"] && n["service"].IsScalar()) {
      klass = n["name"].Scalar() + " (" + n["service"].Scalar() + ")";
    }
    CD_TRY(only_keys(n, path, "",
                     {"name", "service", "fixed_charges", "tiers", "seasons", "minimum_monthly",
                      "basis", "cap_ccf", "carts", "fees"}));
    RateClass c;
    CD_ASSIGN(c.name, text(n, path, "name"));
    CD_ASSIGN(const std::string kind, text(n, path, "service"));
    auto k = parse_service_kind(kind);
    if (!k)
      return error(n["service"], path, "service", "must be water, sewer, refuse or stormwater");
    c.kind = *k;
    klass = c.name + " (" + kind + ")";
    CD_ASSIGN(const YAML::Node fixed, list(n, path, "fixed_charges"));
    for (std::size_t i = 0; i < fixed.size(); ++i) {
      const std::string key = "fixed_charges[" + std::to_string(i) + "]";
      CD_TRY(only_keys(fixed[i], path, key, {"meter_size", "monthly"}));
      FixedCharge f;
      CD_ASSIGN(f.meter_size, text(fixed[i], path, key + ".meter_size"));
      CD_ASSIGN(f.monthly, number(fixed[i]["monthly"], path, key + ".monthly"));
      c.fixed_charges.push_back(std::move(f));
    }
    CD_ASSIGN(c.tiers, tiers(n, path, "tiers"));
    CD_ASSIGN(const YAML::Node seasons, list(n, path, "seasons"));
    for (std::size_t i = 0; i < seasons.size(); ++i) {
      const std::string key = "seasons[" + std::to_string(i) + "]";
      CD_TRY(only_keys(seasons[i], path, key, {"name", "months", "tiers"}));
      Season s;
      CD_ASSIGN(s.name, text(seasons[i], path, key + ".name"));
      CD_ASSIGN(const YAML::Node months, list(seasons[i], path, key + ".months"));
      for (std::size_t m = 0; m < months.size(); ++m) {
        CD_ASSIGN(const int month,
                  integer(months[m], path, key + ".months[" + std::to_string(m) + "]", 1, 12));
        s.months.push_back(month);
      }
      CD_ASSIGN(s.tiers, tiers(seasons[i], path, key + ".tiers"));
      c.seasons.push_back(std::move(s));
    }
    if (n["minimum_monthly"]) {
      CD_ASSIGN(c.minimum_monthly, number(n["minimum_monthly"], path, "minimum_monthly"));
    }
    if (n["basis"]) {
      CD_ASSIGN(const std::string basis, text(n, path, "basis"));
      if (c.kind != ServiceKind::kSewer) {
        return error(n["basis"], path, "basis", "applies to sewer classes only");
      }
      if (basis == "water_use") {
        c.sewer_basis = SewerBasis::kWaterUse;
      } else if (basis == "winter_average") {
        c.sewer_basis = SewerBasis::kWinterAverage;
      } else {
        return error(n["basis"], path, "basis", "must be water_use or winter_average");
      }
    }
    if (n["cap_ccf"]) {
      if (c.kind != ServiceKind::kSewer) {
        return error(n["cap_ccf"], path, "cap_ccf", "applies to sewer classes only");
      }
      CD_ASSIGN(c.sewer_cap_ccf, number(n["cap_ccf"], path, "cap_ccf"));
    }
    CD_ASSIGN(const YAML::Node carts, list(n, path, "carts"));
    for (std::size_t i = 0; i < carts.size(); ++i) {
      const std::string key = "carts[" + std::to_string(i) + "]";
      CD_TRY(only_keys(carts[i], path, key, {"size_gallons", "pickups_per_week", "monthly"}));
      RefuseRate r;
      CD_ASSIGN(r.size_gallons,
                integer(carts[i]["size_gallons"], path, key + ".size_gallons", 1, 1000));
      r.pickups_per_week = 1;
      if (carts[i]["pickups_per_week"]) {
        CD_ASSIGN(r.pickups_per_week,
                  integer(carts[i]["pickups_per_week"], path, key + ".pickups_per_week", 1, 7));
      }
      CD_ASSIGN(r.monthly_per_cart, number(carts[i]["monthly"], path, key + ".monthly"));
      c.refuse.push_back(std::move(r));
    }
    const YAML::Node fees = n["fees"];
    if (fees) {
      if (!fees.IsMap()) return error(fees, path, "fees", "must map premise types to amounts");
      for (const auto& kv : fees) {
        const std::string type = kv.first.Scalar();
        auto t = parse_premise_type(type);
        if (!t) return error(kv.first, path, "fees." + type, "is not a premise type");
        StormwaterFee f;
        f.premise_type = *t;
        CD_ASSIGN(f.monthly, number(kv.second, path, "fees." + type));
        c.stormwater.push_back(std::move(f));
      }
    }
    return c;
  }

  Result<RateVersion> rate_version(const YAML::Node& n, const std::string& path) {
    version.clear();
    klass.clear();
    CD_TRY(only_keys(
        n, path, "version",
        {"id", "effective_from", "proposed", "description", "classes", "taxes", "discounts"}));
    RateVersion v;
    CD_ASSIGN(v.id, text(n, path, "id"));
    version = v.id;
    CD_ASSIGN(const std::string from, text(n, path, "effective_from"));
    auto date = parse_date(from, "effective_from");
    if (!date) return error(n["effective_from"], path, "effective_from", "must be YYYY-MM-DD");
    v.effective_from = *date;
    if (n["proposed"]) {
      const std::string p = n["proposed"].IsScalar() ? n["proposed"].Scalar() : "";
      if (p != "true" && p != "false") {
        return error(n["proposed"], path, "proposed", "must be true or false");
      }
      v.proposed = p == "true";
    }
    CD_ASSIGN(v.description, text(n, path, "description", false));
    CD_ASSIGN(const YAML::Node classes, list(n, path, "classes"));
    for (std::size_t i = 0; i < classes.size(); ++i) {
      CD_ASSIGN(RateClass c, rate_class(classes[i], path + ".classes[" + std::to_string(i) + "]"));
      v.classes.push_back(std::move(c));
    }
    klass.clear();
    CD_ASSIGN(const YAML::Node taxes, list(n, path, "taxes"));
    for (std::size_t i = 0; i < taxes.size(); ++i) {
      const std::string key = "taxes[" + std::to_string(i) + "]";
      CD_TRY(only_keys(taxes[i], path, key, {"code", "name", "percent", "applies_to"}));
      Tax t;
      CD_ASSIGN(t.code, text(taxes[i], path, key + ".code"));
      CD_ASSIGN(t.name, text(taxes[i], path, key + ".name"));
      CD_ASSIGN(t.percent, number(taxes[i]["percent"], path, key + ".percent"));
      CD_ASSIGN(t.applies_to, names(taxes[i], path, key + ".applies_to"));
      v.taxes.push_back(std::move(t));
    }
    CD_ASSIGN(const YAML::Node discounts, list(n, path, "discounts"));
    for (std::size_t i = 0; i < discounts.size(); ++i) {
      const std::string key = "discounts[" + std::to_string(i) + "]";
      const YAML::Node d = discounts[i];
      CD_TRY(only_keys(d, path, key, {"code", "name", "percent", "fixed_monthly", "applies_to"}));
      Discount x;
      CD_ASSIGN(x.code, text(d, path, key + ".code"));
      CD_ASSIGN(x.name, text(d, path, key + ".name"));
      if (d["percent"]) {
        CD_ASSIGN(x.percent, number(d["percent"], path, key + ".percent"));
      }
      if (d["fixed_monthly"]) {
        CD_ASSIGN(x.fixed_monthly, number(d["fixed_monthly"], path, key + ".fixed_monthly"));
      }
      CD_ASSIGN(x.applies_to, names(d, path, key + ".applies_to"));
      v.discounts.push_back(std::move(x));
    }
    return v;
  }

 private:
  std::string_view source_;
};

}  // namespace

Result<Tariff> parse_rate_versions(const YAML::Node& list, std::string_view source) {
  Tariff tariff;
  if (!list) return tariff;
  Parser p(source);
  const std::string path = "billing.rate_versions";
  if (!list.IsSequence()) return p.error(list, "billing", "rate_versions", "must be a list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    CD_ASSIGN(RateVersion v, p.rate_version(list[i], path + "[" + std::to_string(i) + "]"));
    tariff.versions.push_back(std::move(v));
  }
  std::stable_sort(tariff.versions.begin(), tariff.versions.end(),
                   [](const RateVersion& a, const RateVersion& b) {
                     return a.effective_from < b.effective_from;
                   });
  auto checked = check_tariff(tariff);
  if (!checked) {
    Error e = checked.error();
    e.field = std::string(source) + ": " + e.field;
    return std::unexpected(std::move(e));
  }
  return tariff;
}

}  // namespace civicdesk::billing
