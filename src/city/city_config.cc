#include "city/city_config.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "billing/tariff_config.h"
#include "core/limits.h"
#include "core/money.h"
#include "core/time_zone.h"

namespace civicdesk {
namespace {

// The roles every City must define: the CSR I-III classification plus the back-office roles.
constexpr std::string_view kRequiredRoles[] = {"csr1",    "csr2",    "csr3",  "supervisor",
                                               "finance", "auditor", "admin", "field"};
constexpr std::string_view kGlAccountTypes[] = {"asset", "liability", "equity", "revenue",
                                                "expense"};

bool is_code_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
bool is_role_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

template <class Predicate>
bool all_of_chars(std::string_view s, Predicate p) {
  return !s.empty() && std::all_of(s.begin(), s.end(), p);
}

// Walks the YAML tree; every error names "FILE:LINE: key" (line 1-based, as editors show it).
class ConfigParser {
 public:
  explicit ConfigParser(std::string source) : source_(std::move(source)) {}

  Result<CityConfig> parse(const YAML::Node& root) {
    if (!root.IsMap()) return error(root, "(top level)", "must be a mapping of keys to values");
    CD_TRY(only_keys(root, "",
                     {"name", "time_zone", "holidays", "funds", "gl_accounts", "departments",
                      "roles", "security", "ledger", "citations", "billing", "contact"}));
    CityConfig config;
    config.source_path = source_;
    CD_ASSIGN(config.name, required_string(root, "name", ""));
    CD_ASSIGN(config.time_zone, required_string(root, "time_zone", ""));
    if (auto tz = TimeZone::load(config.time_zone); !tz) {
      return error(root["time_zone"], "time_zone", tz.error().message);
    }
    CD_TRY(parse_holidays(root, &config));
    CD_TRY(parse_funds(root, &config));
    CD_TRY(parse_gl_accounts(root, &config));
    CD_TRY(parse_departments(root, &config));
    CD_TRY(parse_roles(root, &config));
    CD_TRY(parse_security(root, &config.security));
    CD_TRY(parse_contact(root, &config.contact));
    CD_TRY(parse_ledger(root, &config));
    CD_TRY(parse_citations(root, &config));
    CD_TRY(parse_billing(root, &config.billing));
    return config;
  }

  std::unexpected<Error> error(const YAML::Node& at, std::string_view key,
                               std::string message) const {
    return error_at_line(at.Mark().line, key, std::move(message));
  }
  std::unexpected<Error> error_at_line(int zero_based_line, std::string_view key,
                                       std::string message) const {
    // yaml-cpp counts from 0, and gives -1 when there is no position (an empty document).
    const int line = zero_based_line < 0 ? 1 : zero_based_line + 1;
    return fail(ErrorCode::kInvalidInput, std::move(message),
                source_ + ":" + std::to_string(line) + ": " + std::string(key));
  }

 private:
  static std::string join(std::string_view path, std::string_view key) {
    return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
  }
  static std::string item(std::string_view path, std::size_t i) {
    return std::string(path) + "[" + std::to_string(i) + "]";
  }

  // Refuses keys not in `allowed` (a typo must not be silently ignored) and repeated keys.
  Result<void> only_keys(const YAML::Node& map, std::string_view path,
                         std::initializer_list<std::string_view> allowed) const {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      const std::string where = join(path, key);
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string expected;
        for (std::string_view a : allowed)
          expected += (expected.empty() ? "" : ", ") + std::string(a);
        return error(kv.first, where,
                     "unknown key \"" + key + "\" (expected one of: " + expected + ")");
      }
      if (!seen.insert(key).second) return error(kv.first, where, "is given twice");
    }
    return {};
  }

  Result<std::string> required_string(const YAML::Node& map, std::string_view key,
                                      std::string_view path) const {
    const YAML::Node value = map[std::string(key)];
    const std::string where = join(path, key);
    if (!value) return error(map, where, "is required");
    if (!value.IsScalar() || value.Scalar().empty()) {
      return error(value, where, "must be a non-empty text value");
    }
    if (value.Scalar().size() > kMaxNameLength) {
      return error(value, where,
                   "is longer than " + std::to_string(kMaxNameLength) + " characters");
    }
    return value.Scalar();
  }

  // The list under top-level `key`; absent means an empty list.
  Result<YAML::Node> optional_list(const YAML::Node& root, std::string_view key) const {
    const YAML::Node list = root[std::string(key)];
    if (!list) return YAML::Node(YAML::NodeType::Sequence);
    if (!list.IsSequence()) return error(list, key, "must be a list");
    if (list.size() > kMaxCityConfigListLength) {
      return error(list, key,
                   "has more than " + std::to_string(kMaxCityConfigListLength) + " entries");
    }
    return list;
  }

  Result<void> entry_is_map(const YAML::Node& entry, const std::string& where,
                            std::initializer_list<std::string_view> keys) const {
    if (!entry.IsMap()) return error(entry, where, "must be a mapping");
    return only_keys(entry, where, keys);
  }

  Result<std::string> code(const YAML::Node& map, std::string_view path) const {
    CD_ASSIGN(std::string value, required_string(map, "code", path));
    if (!all_of_chars(value, is_code_char)) {
      return error(map["code"], join(path, "code"),
                   "must be capital letters, digits, '-' or '_' (got \"" + value + "\")");
    }
    return value;
  }

  Result<void> parse_holidays(const YAML::Node& root, CityConfig* config) const {
    CD_ASSIGN(const YAML::Node list, optional_list(root, "holidays"));
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node entry = list[i];
      const std::string where = item("holidays", i);
      CD_TRY(entry_is_map(entry, where, {"date", "name"}));
      CD_ASSIGN(const std::string date_text, required_string(entry, "date", where));
      auto date = parse_date(date_text, join(where, "date"));
      if (!date) return error(entry["date"], join(where, "date"), date.error().message);
      if (config->is_holiday(*date)) {
        return error(entry["date"], join(where, "date"), date_text + " is listed twice");
      }
      CD_ASSIGN(std::string name, required_string(entry, "name", where));
      config->holidays.push_back({*date, std::move(name)});
    }
    return {};
  }

  Result<void> parse_funds(const YAML::Node& root, CityConfig* config) const {
    CD_ASSIGN(const YAML::Node list, optional_list(root, "funds"));
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node entry = list[i];
      const std::string where = item("funds", i);
      CD_TRY(entry_is_map(entry, where, {"code", "name"}));
      CD_ASSIGN(std::string fund_code, code(entry, where));
      if (has_fund(*config, fund_code)) {
        return error(entry["code"], join(where, "code"), "fund " + fund_code + " is defined twice");
      }
      CD_ASSIGN(std::string name, required_string(entry, "name", where));
      config->funds.push_back({std::move(fund_code), std::move(name)});
    }
    return {};
  }

  static bool has_fund(const CityConfig& config, std::string_view code) {
    return std::any_of(config.funds.begin(), config.funds.end(),
                       [&](const Fund& f) { return f.code == code; });
  }

  Result<void> parse_gl_accounts(const YAML::Node& root, CityConfig* config) const {
    CD_ASSIGN(const YAML::Node list, optional_list(root, "gl_accounts"));
    std::set<std::string> codes;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node entry = list[i];
      const std::string where = item("gl_accounts", i);
      CD_TRY(entry_is_map(entry, where, {"code", "name", "type", "fund"}));
      GlAccount account;
      CD_ASSIGN(account.code, code(entry, where));
      if (!codes.insert(account.code).second) {
        return error(entry["code"], join(where, "code"),
                     "GL account " + account.code + " is defined twice");
      }
      CD_ASSIGN(account.name, required_string(entry, "name", where));
      CD_ASSIGN(account.type, required_string(entry, "type", where));
      if (std::find(std::begin(kGlAccountTypes), std::end(kGlAccountTypes), account.type) ==
          std::end(kGlAccountTypes)) {
        return error(entry["type"], join(where, "type"),
                     "\"" + account.type +
                         "\" is not a GL account type (asset, liability, equity, revenue, "
                         "expense)");
      }
      CD_ASSIGN(account.fund, required_string(entry, "fund", where));
      if (!has_fund(*config, account.fund)) {
        return error(entry["fund"], join(where, "fund"),
                     "fund " + account.fund + " is not defined under funds");
      }
      config->gl_accounts.push_back(std::move(account));
    }
    return {};
  }

  Result<void> parse_departments(const YAML::Node& root, CityConfig* config) const {
    CD_ASSIGN(const YAML::Node list, optional_list(root, "departments"));
    std::set<std::string> codes;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node entry = list[i];
      const std::string where = item("departments", i);
      CD_TRY(entry_is_map(entry, where, {"code", "name"}));
      Department department;
      CD_ASSIGN(department.code, code(entry, where));
      if (!codes.insert(department.code).second) {
        return error(entry["code"], join(where, "code"),
                     "department " + department.code + " is defined twice");
      }
      CD_ASSIGN(department.name, required_string(entry, "name", where));
      config->departments.push_back(std::move(department));
    }
    return {};
  }

  Result<void> parse_roles(const YAML::Node& root, CityConfig* config) const {
    const YAML::Node roles = root["roles"];
    if (!roles) return error(root, "roles", "is required");
    if (!roles.IsMap()) return error(roles, "roles", "must be a mapping of role name to role");
    std::set<std::string> seen;
    for (const auto& kv : roles) {
      CD_ASSIGN(RoleDef role, parse_role(kv.first, kv.second));
      if (!seen.insert(role.name).second) {
        return error(kv.first, "roles." + role.name, "is defined twice");
      }
      config->roles.push_back(std::move(role));
    }
    for (std::string_view required : kRequiredRoles) {
      if (!seen.contains(std::string(required))) {
        return error(roles, "roles." + std::string(required),
                     "role " + std::string(required) +
                         " is required (every City defines csr1, "
                         "csr2, csr3, supervisor, finance, auditor, admin and field)");
      }
    }
    return {};
  }

  Result<RoleDef> parse_role(const YAML::Node& key, const YAML::Node& value) const {
    RoleDef role;
    role.name = key.IsScalar() ? key.Scalar() : "";
    const std::string where = "roles." + role.name;
    if (!all_of_chars(role.name, is_role_char)) {
      return error(key, where, "a role name is lower-case letters, digits and '_'");
    }
    CD_TRY(entry_is_map(value, where, {"title", "permissions"}));
    CD_ASSIGN(role.title, required_string(value, "title", where));
    const YAML::Node permissions = value["permissions"];
    const std::string list_where = where + ".permissions";
    if (!permissions) return error(value, list_where, "is required (use [] for none)");
    if (!permissions.IsSequence()) return error(permissions, list_where, "must be a list");
    for (std::size_t i = 0; i < permissions.size(); ++i) {
      const YAML::Node p = permissions[i];
      const std::string name = p.IsScalar() ? p.Scalar() : "";
      if (!known_permissions().contains(name)) {
        return error(p, item(list_where, i), "\"" + name + "\" is not a known permission");
      }
      role.permissions.insert(name);
    }
    return role;
  }

  Result<int> optional_int(const YAML::Node& map, std::string_view key, int fallback, int min,
                           int max, std::string_view path = "security") const {
    const YAML::Node value = map[std::string(key)];
    const std::string where = join(path, key);
    if (!value) return fallback;
    const std::string text = value.IsScalar() ? value.Scalar() : "";
    int parsed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return error(value, where, "must be a whole number");
    }
    if (parsed < min || parsed > max) {
      return error(value, where,
                   "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return parsed;
  }

  // `contact:`: phone, address, pay_url and remit_to are required once the section is given —
  // a bill whose stub has no remit-to address cannot be mailed back.
  Result<void> parse_contact(const YAML::Node& root, CityContact* c) const {
    const YAML::Node contact = root["contact"];
    if (!contact) return {};
    CD_TRY(entry_is_map(contact, "contact",
                        {"office", "address", "phone", "email", "hours", "pay_url", "remit_to"}));
    CD_ASSIGN(c->phone, required_string(contact, "phone", "contact"));
    CD_ASSIGN(c->pay_url, required_string(contact, "pay_url", "contact"));
    if (!c->pay_url.starts_with("https://") || c->pay_url.size() <= 8 ||
        c->pay_url.find_first_of(" \t\n") != std::string::npos) {
      return error(contact["pay_url"], "contact.pay_url",
                   "must be an https:// address without spaces");
    }
    for (const char* key : {"office", "email", "hours"}) {
      if (!contact[key]) continue;
      CD_ASSIGN(std::string value, required_string(contact, key, "contact"));
      if (std::string_view(key) == "office") c->office = value;
      if (std::string_view(key) == "email") c->email = value;
      if (std::string_view(key) == "hours") c->hours = value;
    }
    CD_ASSIGN(c->address, address_lines(contact, "address"));
    CD_ASSIGN(c->remit_to, address_lines(contact, "remit_to"));
    return {};
  }

  // An address: a list of 1 to 4 non-empty lines (what fits a window envelope).
  Result<std::vector<std::string>> address_lines(const YAML::Node& map,
                                                 const std::string& key) const {
    const std::string where = "contact." + key;
    const YAML::Node list = map[key];
    if (!list) return error(map, where, "is required");
    if (!list.IsSequence() || list.size() < 1 || list.size() > 4) {
      return error(list, where, "must be a list of 1 to 4 address lines");
    }
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      if (!list[i].IsScalar() || list[i].Scalar().empty()) {
        return error(list[i], at, "must be a non-empty line of text");
      }
      if (list[i].Scalar().size() > kMaxNameLength) {
        return error(list[i], at,
                     "is longer than " + std::to_string(kMaxNameLength) + " characters");
      }
      lines.push_back(list[i].Scalar());
    }
    return lines;
  }

  Result<void> parse_security(const YAML::Node& root, SecuritySettings* s) const {
    const YAML::Node security = root["security"];
    if (!security) return {};  // the defaults in SecuritySettings
    CD_TRY(entry_is_map(security, "security",
                        {"idle_timeout_minutes", "absolute_timeout_minutes", "max_failed_logins",
                         "lockout_minutes", "min_password_length"}));
    // Ranges: a session idle for more than a shift, or a lockout longer than a day, is a
    // mistake; the password floor never goes below the City-wide minimum in core/limits.h.
    CD_ASSIGN(s->idle_timeout_minutes,
              optional_int(security, "idle_timeout_minutes", s->idle_timeout_minutes, 1, 480));
    CD_ASSIGN(s->absolute_timeout_minutes, optional_int(security, "absolute_timeout_minutes",
                                                        s->absolute_timeout_minutes, 1, 1440));
    CD_ASSIGN(s->max_failed_logins,
              optional_int(security, "max_failed_logins", s->max_failed_logins, 1, 100));
    CD_ASSIGN(s->lockout_minutes,
              optional_int(security, "lockout_minutes", s->lockout_minutes, 1, 1440));
    CD_ASSIGN(
        s->min_password_length,
        optional_int(security, "min_password_length", s->min_password_length,
                     static_cast<int>(kMinPasswordLength), static_cast<int>(kMaxPasswordLength)));
    if (s->absolute_timeout_minutes < s->idle_timeout_minutes) {
      return error(security["absolute_timeout_minutes"], "security.absolute_timeout_minutes",
                   "must not be shorter than idle_timeout_minutes");
    }
    return {};
  }

  // Money in the config is written as dollars ("25.00"), never as a float.
  Result<std::int64_t> money_value(const YAML::Node& value, const std::string& where) const {
    auto m = parse_money(value.IsScalar() ? value.Scalar() : "", where);
    if (!m) return error(value, where, m.error().message);
    if (m->is_negative()) return error(value, where, "must not be negative");
    return m->cents();
  }

  Result<bool> optional_bool(const YAML::Node& map, std::string_view key, bool fallback,
                             const std::string& path) const {
    const YAML::Node v = map[std::string(key)];
    if (!v) return fallback;
    if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false"))
      return v.Scalar() == "true";
    return error(v, join(path, key), "must be true or false");
  }

  Result<void> parse_obligation_kinds(const YAML::Node& ledger, LedgerSettings* s) const {
    const YAML::Node list = ledger["obligation_kinds"];
    if (!list || !list.IsSequence() || list.size() == 0)
      return error(list ? list : ledger, "ledger.obligation_kinds", "must be a non-empty list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = item("ledger.obligation_kinds", i);
      CD_TRY(entry_is_map(list[i], where, {"code", "name", "priority"}));
      ObligationKind k;
      CD_ASSIGN(k.code, required_string(list[i], "code", where));
      if (!all_of_chars(k.code, is_role_char))
        return error(list[i]["code"], join(where, "code"),
                     "a kind is lower-case letters, digits and '_'");
      if (s->kind(k.code)) return error(list[i]["code"], join(where, "code"), "is defined twice");
      CD_ASSIGN(k.name, required_string(list[i], "name", where));
      CD_ASSIGN(k.priority, optional_int(list[i], "priority", 100, 1, 1000, where));
      s->obligation_kinds.push_back(std::move(k));
    }
    return {};
  }

  Result<void> parse_adjustments(const YAML::Node& ledger, const CityConfig& config,
                                 LedgerSettings* s) const {
    const YAML::Node limits = ledger["adjustment_limits"];
    if (limits) {
      if (!limits.IsMap()) return error(limits, "ledger.adjustment_limits", "must be a mapping");
      for (const auto& kv : limits) {
        std::string role = kv.first.Scalar();
        std::string where = "ledger.adjustment_limits." + role;
        if (!config.role(role)) return error(kv.first, where, "role " + role + " is not defined");
        if (kv.second.IsScalar() && kv.second.Scalar() == "unlimited") {
          s->adjustment_limits_cents[role] = std::nullopt;
          continue;
        }
        CD_ASSIGN(auto cents, money_value(kv.second, where));
        s->adjustment_limits_cents[role] = cents;
      }
    }
    const YAML::Node reasons = ledger["adjustment_reasons"];
    if (!reasons || !reasons.IsSequence() || reasons.size() == 0)
      return error(reasons ? reasons : ledger, "ledger.adjustment_reasons",
                   "must be a non-empty list");
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      const std::string where = item("ledger.adjustment_reasons", i);
      CD_TRY(entry_is_map(reasons[i], where, {"code", "name"}));
      AdjustmentReason r;
      CD_ASSIGN(r.code, code(reasons[i], where));
      CD_ASSIGN(r.name, required_string(reasons[i], "name", where));
      s->adjustment_reasons.push_back(std::move(r));
    }
    return {};
  }

  Result<void> parse_returned_payment(const YAML::Node& ledger, const CityConfig& config,
                                      LedgerSettings* s) const {
    const YAML::Node rp = ledger["returned_payment"];
    if (!rp) return {};
    const std::string where = "ledger.returned_payment";
    CD_TRY(entry_is_map(rp, where, {"fee", "fee_account", "cash_only_after"}));
    if (rp["fee"]) {
      CD_ASSIGN(s->returned_payment_fee_cents, money_value(rp["fee"], where + ".fee"));
    }
    if (rp["fee_account"]) {
      s->returned_payment_fee_account = rp["fee_account"].Scalar();
      if (!config.gl_account(s->returned_payment_fee_account))
        return error(rp["fee_account"], where + ".fee_account", "is not a GL account");
    }
    CD_ASSIGN(s->cash_only_after_returns,
              optional_int(rp, "cash_only_after", s->cash_only_after_returns, 1, 100, where));
    return {};
  }

  // Every fund needs the accounts the ledger posts to (see fund_account()).
  Result<void> check_fund_accounts(const YAML::Node& ledger, const CityConfig& config) const {
    for (const Fund& f : config.funds)
      for (const char* prefix : {"1010", "1020", "1030", "1200", "2100", "2200", "6100"})
        if (!config.gl_account(fund_account(prefix, f.code)))
          return error(
              ledger, "gl_accounts",
              "the ledger needs account " + fund_account(prefix, f.code) + " for fund " + f.code);
    return {};
  }

  Result<void> parse_ledger(const YAML::Node& root, CityConfig* config) const {
    const YAML::Node ledger = root["ledger"];
    if (!ledger) {
      // A City that does not configure its ledger gets the standard kinds and reasons; posting
      // then needs the standard accounts (fund_account()), checked when the ledger is given.
      config->ledger = default_ledger_settings();
      return {};
    }
    CD_TRY(entry_is_map(
        ledger, "ledger",
        {"obligation_kinds", "penalties_first", "apply_credit_to_new_charges", "credit_fund",
         "adjustment_limits", "adjustment_reasons", "returned_payment"}));
    LedgerSettings& s = config->ledger;
    CD_TRY(parse_obligation_kinds(ledger, &s));
    CD_ASSIGN(s.penalties_first, optional_bool(ledger, "penalties_first", true, "ledger"));
    CD_ASSIGN(s.apply_credit_to_new_charges,
              optional_bool(ledger, "apply_credit_to_new_charges", true, "ledger"));
    if (ledger["credit_fund"]) s.credit_fund = ledger["credit_fund"].Scalar();
    if (!has_fund(*config, s.credit_fund))
      return error(ledger["credit_fund"] ? ledger["credit_fund"] : ledger, "ledger.credit_fund",
                   "fund " + s.credit_fund + " is not defined under funds");
    CD_TRY(parse_adjustments(ledger, *config, &s));
    CD_TRY(parse_returned_payment(ledger, *config, &s));
    return check_fund_accounts(ledger, *config);
  }

  // --- citations: (see citations/citation_rules.h) -------------------------------------------

  // The list under `key` of `map`; absent or empty is an error when `required`.
  Result<YAML::Node> nested_list(const YAML::Node& map, std::string_view key,
                                 const std::string& path, bool required) const {
    const YAML::Node list = map[std::string(key)];
    const std::string where = join(path, key);
    if (!list && !required) return YAML::Node(YAML::NodeType::Sequence);
    if (!list || !list.IsSequence() || (required && list.size() == 0))
      return error(list ? list : map, where, "must be a non-empty list");
    if (list.size() > kMaxCityConfigListLength)
      return error(list, where,
                   "has more than " + std::to_string(kMaxCityConfigListLength) + " entries");
    return list;
  }

  Result<Money> positive_money(const YAML::Node& map, std::string_view key,
                               const std::string& path) const {
    const std::string where = join(path, key);
    if (!map[std::string(key)]) return error(map, where, "is required");
    CD_ASSIGN(const std::int64_t cents, money_value(map[std::string(key)], where));
    if (cents == 0) return error(map[std::string(key)], where, "must be more than zero");
    return Money::from_cents(cents);
  }

  Result<std::string> revenue_account(const YAML::Node& node, std::string_view key,
                                      const CityConfig& config) const {
    CD_ASSIGN(std::string code, required_string(node, key, "citations"));
    const GlAccount* account = config.gl_account(code);
    if (!account || account->type != "revenue")
      return error(node[std::string(key)], join("citations", key),
                   code + " is not a revenue account under gl_accounts");
    return code;
  }

  template <class T, class Parse>
  Result<T> enum_value(const YAML::Node& map, std::string_view key, const std::string& path,
                       Parse parse) const {
    CD_ASSIGN(const std::string text, required_string(map, key, path));
    auto value = parse(text, join(path, key));
    if (!value) return error(map[std::string(key)], join(path, key), value.error().message);
    return *value;
  }

  Result<void> parse_fines(const YAML::Node& entry, const std::string& where,
                           citations::Violation* v) const {
    CD_ASSIGN(const YAML::Node list, nested_list(entry, "fines", where, true));
    for (std::size_t j = 0; j < list.size(); ++j) {
      const std::string at = item(join(where, "fines"), j);
      CD_TRY(entry_is_map(list[j], at, {"from", "amount"}));
      CD_ASSIGN(const std::string text, required_string(list[j], "from", at));
      auto from = parse_date(text, join(at, "from"));
      if (!from) return error(list[j]["from"], join(at, "from"), from.error().message);
      if (!v->fines.empty() && *from <= v->fines.back().effective_on)
        return error(
            list[j]["from"], join(at, "from"),
            "must be after the previous change (" + v->fines.back().effective_on.iso() + ")");
      CD_ASSIGN(const Money fine, positive_money(list[j], "amount", at));
      v->fines.push_back({*from, fine});
    }
    return {};
  }

  Result<void> parse_violations(const YAML::Node& node, citations::CitationRules* r) const {
    CD_ASSIGN(const YAML::Node list, nested_list(node, "violations", "citations", true));
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = item("citations.violations", i);
      CD_TRY(entry_is_map(list[i], where, {"code", "description", "fines"}));
      citations::Violation v;
      CD_ASSIGN(v.code, required_string(list[i], "code", where));
      const auto violation_char = [](char c) { return is_code_char(c) || c == '.'; };
      if (!all_of_chars(v.code, violation_char) || v.code.size() > 20)
        return error(list[i]["code"], join(where, "code"),
                     "a violation code is at most 20 capital letters, digits, '.', '-' or '_'");
      if (r->violation(v.code))
        return error(list[i]["code"], join(where, "code"), v.code + " is defined twice");
      CD_ASSIGN(v.description, required_string(list[i], "description", where));
      CD_TRY(parse_fines(list[i], where, &v));
      r->violations.push_back(std::move(v));
    }
    return {};
  }

  // Penalty steps carry an amount or a percent of the fine; the other kinds come at most once,
  // in the order notice, delinquent, dmv_hold, collections, and nothing follows collections.
  Result<void> parse_step_effect(const YAML::Node& e, const std::string& where, int* last_rank,
                                 citations::EscalationStep* s) const {
    const bool amount = static_cast<bool>(e["amount"]);
    const bool percent = static_cast<bool>(e["percent_of_fine"]);
    if (*last_rank == 4) return error(e, where, "no step can follow the referral to collections");
    if (s->kind == citations::StepKind::kPenalty) {
      if (amount == percent)
        return error(e, where, "a penalty step has either amount or percent_of_fine");
      if (amount) {
        CD_ASSIGN(s->amount, positive_money(e, "amount", where));
      } else {
        CD_ASSIGN(s->percent_of_fine, optional_int(e, "percent_of_fine", 0, 1, 1000, where));
      }
      return {};
    }
    if (amount || percent)
      return error(e[amount ? "amount" : "percent_of_fine"],
                   join(where, amount ? "amount" : "percent_of_fine"),
                   "only a penalty step has an amount");
    const int rank = static_cast<int>(s->kind);  // notice 1 .. collections 4
    if (rank <= *last_rank)
      return error(e["kind"], join(where, "kind"),
                   "comes twice or out of order (notice, delinquent, dmv_hold, collections)");
    *last_rank = rank;
    return {};
  }

  Result<void> parse_escalation(const YAML::Node& node, citations::CitationRules* r) const {
    CD_ASSIGN(const YAML::Node list, nested_list(node, "escalation", "citations", false));
    int last_rank = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node e = list[i];
      const std::string where = item("citations.escalation", i);
      CD_TRY(entry_is_map(e, where, {"step", "days", "kind", "name", "amount", "percent_of_fine"}));
      citations::EscalationStep s;
      for (const char* key : {"step", "days"})
        if (!e[key]) return error(e, join(where, key), "is required");
      CD_ASSIGN(s.number, optional_int(e, "step", 0, 1, 1000, where));
      CD_ASSIGN(s.days, optional_int(e, "days", 0, 1, 3650, where));
      if (!r->escalation.empty() && s.number <= r->escalation.back().number)
        return error(e["step"], join(where, "step"), "must be greater than the previous step's");
      if (!r->escalation.empty() && s.days < r->escalation.back().days)
        return error(e["days"], join(where, "days"), "must not be fewer than the previous step's");
      CD_ASSIGN(s.kind,
                enum_value<citations::StepKind>(e, "kind", where, citations::parse_step_kind));
      CD_ASSIGN(s.name, required_string(e, "name", where));
      CD_TRY(parse_step_effect(e, where, &last_rank, &s));
      r->escalation.push_back(std::move(s));
    }
    return {};
  }

  Result<void> parse_contest(const YAML::Node& node, citations::ContestRules* c) const {
    const YAML::Node contest = node["contest"];
    if (!contest) return {};
    const std::string where = "citations.contest";
    CD_TRY(entry_is_map(
        contest, where,
        {"review_days_after_issue", "review_days_after_notice", "hearing_days_after_review",
         "court_days_after_hearing", "restart_escalation_after_decision"}));
    CD_ASSIGN(c->review_days_after_issue, optional_int(contest, "review_days_after_issue",
                                                       c->review_days_after_issue, 1, 365, where));
    CD_ASSIGN(c->review_days_after_notice,
              optional_int(contest, "review_days_after_notice", c->review_days_after_notice, 1, 365,
                           where));
    CD_ASSIGN(c->hearing_days_after_review,
              optional_int(contest, "hearing_days_after_review", c->hearing_days_after_review, 1,
                           365, where));
    CD_ASSIGN(c->court_days_after_hearing,
              optional_int(contest, "court_days_after_hearing", c->court_days_after_hearing, 1, 365,
                           where));
    CD_ASSIGN(c->restart_escalation_after_decision,
              optional_bool(contest, "restart_escalation_after_decision",
                            c->restart_escalation_after_decision, where));
    return {};
  }

  Result<void> parse_plan(const YAML::Node& node, citations::PlanRules* p) const {
    const YAML::Node plan = node["indigent_plan"];
    if (!plan) return {};  // no plan offered
    const std::string where = "citations.indigent_plan";
    CD_TRY(entry_is_map(
        plan, where,
        {"tiers", "max_months", "processing_fee", "grace_days", "require_documentation"}));
    CD_ASSIGN(const YAML::Node tiers, nested_list(plan, "tiers", where, true));
    for (std::size_t i = 0; i < tiers.size(); ++i) {
      const std::string at = item(where + ".tiers", i);
      CD_TRY(entry_is_map(tiers[i], at, {"total_up_to", "max_monthly"}));
      citations::PlanTier tier;
      CD_ASSIGN(tier.total_up_to, positive_money(tiers[i], "total_up_to", at));
      if (!p->tiers.empty() && tier.total_up_to <= p->tiers.back().total_up_to)
        return error(tiers[i]["total_up_to"], join(at, "total_up_to"),
                     "must be more than the previous tier's");
      CD_ASSIGN(tier.max_monthly, positive_money(tiers[i], "max_monthly", at));
      p->tiers.push_back(tier);
    }
    CD_ASSIGN(p->max_months,
              optional_int(plan, "max_months", p->max_months, 1, kMaxInstallments, where));
    if (plan["processing_fee"]) {
      CD_ASSIGN(const std::int64_t fee,
                money_value(plan["processing_fee"], where + ".processing_fee"));
      p->processing_fee = Money::from_cents(fee);
    }
    CD_ASSIGN(p->grace_days, optional_int(plan, "grace_days", p->grace_days, 0, 90, where));
    CD_ASSIGN(p->require_documentation,
              optional_bool(plan, "require_documentation", p->require_documentation, where));
    return {};
  }

  Result<void> parse_void_roles(const YAML::Node& node, const CityConfig& config,
                                citations::CitationRules* r) const {
    if (!node["void_approver_roles"]) return {};  // the default: supervisor
    CD_ASSIGN(const YAML::Node list, nested_list(node, "void_approver_roles", "citations", true));
    r->void_approver_roles.clear();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string name = list[i].IsScalar() ? list[i].Scalar() : "";
      if (!config.role(name))
        return error(list[i], item("citations.void_approver_roles", i),
                     "role \"" + name + "\" is not defined under roles");
      r->void_approver_roles.push_back(name);
    }
    return {};
  }

  // citations.dmv: the state DMV exchange (citations/dmv_book.h). Absent: the defaults.
  Result<void> parse_dmv(const YAML::Node& node, citations::DmvRules* d) const {
    const YAML::Node dmv = node["dmv"];
    if (!dmv) return {};
    const std::string where = "citations.dmv";
    CD_TRY(entry_is_map(dmv, where,
                        {"requester_code", "dmv_state", "rerequest_after_days", "owner_known_days",
                         "max_requests_per_file"}));
    CD_ASSIGN(d->requester_code, required_string(dmv, "requester_code", where));
    if (d->requester_code.size() > 20 || !all_of_chars(d->requester_code, is_code_char))
      return error(dmv["requester_code"], join(where, "requester_code"),
                   "must be at most 20 capital letters, digits, '-' or '_'");
    CD_ASSIGN(d->dmv_state, required_string(dmv, "dmv_state", where));
    if (d->dmv_state.size() != 2 ||
        !all_of_chars(d->dmv_state, [](char c) { return c >= 'A' && c <= 'Z'; }))
      return error(dmv["dmv_state"], join(where, "dmv_state"),
                   "must be a two-letter code such as CA");
    CD_ASSIGN(d->rerequest_after_days,
              optional_int(dmv, "rerequest_after_days", d->rerequest_after_days, 1, 365, where));
    CD_ASSIGN(d->owner_known_days,
              optional_int(dmv, "owner_known_days", d->owner_known_days, 1, 3650, where));
    CD_ASSIGN(
        d->max_requests_per_file,
        optional_int(dmv, "max_requests_per_file", d->max_requests_per_file, 1, 2'000'000, where));
    return {};
  }

  Result<void> parse_citations(const YAML::Node& root, CityConfig* config) const {
    const YAML::Node node = root["citations"];
    if (!node) return {};  // a City that issues no parking citations
    CD_TRY(entry_is_map(node, "citations",
                        {"obligation_kind", "fine_account", "penalty_account", "plan_fee_account",
                         "check_digit", "scofflaw_threshold", "void_approver_roles", "violations",
                         "escalation", "contest", "indigent_plan", "dmv"}));
    citations::CitationRules& r = config->citations;
    CD_ASSIGN(r.obligation_kind, required_string(node, "obligation_kind", "citations"));
    if (!config->ledger.kind(r.obligation_kind))
      return error(node["obligation_kind"], "citations.obligation_kind",
                   "is not one of ledger.obligation_kinds");
    CD_ASSIGN(r.fine_account, revenue_account(node, "fine_account", *config));
    CD_ASSIGN(r.penalty_account, revenue_account(node, "penalty_account", *config));
    CD_ASSIGN(r.plan_fee_account, revenue_account(node, "plan_fee_account", *config));
    if (node["check_digit"]) {
      CD_ASSIGN(r.check_digit, enum_value<citations::CheckDigit>(node, "check_digit", "citations",
                                                                 citations::parse_check_digit));
    }
    CD_ASSIGN(r.scofflaw_threshold,
              optional_int(node, "scofflaw_threshold", r.scofflaw_threshold, 1, 1000, "citations"));
    CD_TRY(parse_void_roles(node, *config, &r));
    CD_TRY(parse_violations(node, &r));
    CD_TRY(parse_escalation(node, &r));
    CD_TRY(parse_dmv(node, &r.dmv));
    CD_TRY(parse_contest(node, &r.contest));
    return parse_plan(node, &r.plan);
  }

  // --- billing: (see billing/billing_settings.h) ---------------------------------------------
  Result<void> parse_billing(const YAML::Node& root, billing::BillingSettings* b) const {
    const YAML::Node node = root["billing"];
    if (!node) return {};
    CD_TRY(entry_is_map(node, "billing",
                        {"high_percent", "low_percent", "min_days", "max_jump_percent",
                         "estimate_periods", "due_days", "run_batch_size", "late_penalty",
                         "rate_versions", "notices", "inline_run_accounts"}));
    billing::ReadTolerances& t = b->reads;
    CD_ASSIGN(t.high_percent,
              optional_int(node, "high_percent", t.high_percent, 101, 10'000, "billing"));
    CD_ASSIGN(t.low_percent, optional_int(node, "low_percent", t.low_percent, 0, 99, "billing"));
    CD_ASSIGN(t.min_days, optional_int(node, "min_days", t.min_days, 1, 3650, "billing"));
    CD_ASSIGN(t.max_jump_percent, optional_int(node, "max_jump_percent", t.max_jump_percent,
                                               t.high_percent, 100'000, "billing"));
    CD_ASSIGN(t.estimate_periods,
              optional_int(node, "estimate_periods", t.estimate_periods, 1, 24, "billing"));
    CD_TRY(parse_bill_runs(node, &b->runs));
    CD_TRY(parse_bill_notices(node, &b->notices));
    CD_ASSIGN(b->tariff, billing::parse_rate_versions(node["rate_versions"], source_));
    return {};
  }

  // billing: due_days, run_batch_size, late_penalty: {grace_days, percent_bp, flat,
  // revenue_account} (billing/billing_settings.h BillRunSettings).
  Result<void> parse_bill_runs(const YAML::Node& node, billing::BillRunSettings* r) const {
    CD_ASSIGN(r->due_days, optional_int(node, "due_days", r->due_days, 1, 120, "billing"));
    CD_ASSIGN(r->batch_size,
              optional_int(node, "run_batch_size", r->batch_size, 1, 100'000, "billing"));
    if (node["inline_run_accounts"]) {  // unset: by the database (billing_settings.h)
      CD_ASSIGN(r->inline_run_accounts,
                optional_int(node, "inline_run_accounts", 0, 0, 1'000'000, "billing"));
    }
    const YAML::Node p = node["late_penalty"];
    if (!p) return {};
    CD_TRY(entry_is_map(p, "billing.late_penalty",
                        {"grace_days", "percent_bp", "flat", "revenue_account"}));
    billing::LatePenalty& lp = r->late_penalty;
    CD_ASSIGN(lp.grace_days,
              optional_int(p, "grace_days", lp.grace_days, 0, 365, "billing.late_penalty"));
    CD_ASSIGN(lp.percent_bp,
              optional_int(p, "percent_bp", lp.percent_bp, 0, 10'000, "billing.late_penalty"));
    if (p["flat"]) {
      CD_ASSIGN(lp.flat_cents, money_value(p["flat"], "billing.late_penalty.flat"));
    }
    if (p["revenue_account"]) {
      if (!p["revenue_account"].IsScalar())
        return error(p["revenue_account"], "billing.late_penalty.revenue_account",
                     "must be a GL account code");
      lp.revenue_account = p["revenue_account"].Scalar();
    }
    return {};
  }

  // billing.notices: late_notice_days, shutoff_notice_days_delinquent, shutoff_min_balance,
  // shutoff_after_days_delinquent, batch_size (billing/billing_settings.h NoticeSettings). A
  // shut-off earlier than 60 days delinquent is refused: California SB 998 (HSC 116908).
  Result<void> parse_bill_notices(const YAML::Node& node, billing::NoticeSettings* n) const {
    const YAML::Node m = node["notices"];
    if (!m) return {};
    const std::string path = "billing.notices";
    CD_TRY(entry_is_map(m, path,
                        {"late_notice_days", "shutoff_notice_days_delinquent",
                         "shutoff_min_balance", "shutoff_after_days_delinquent", "batch_size"}));
    if (m["late_notice_days"]) {
      CD_ASSIGN(n->late_notice_days, optional_int(m, "late_notice_days", 0, 0, 365, path));
    }
    CD_ASSIGN(n->shutoff_after_days_delinquent,
              optional_int(m, "shutoff_after_days_delinquent", n->shutoff_after_days_delinquent, 60,
                           730, path));
    CD_ASSIGN(n->shutoff_notice_days_delinquent,
              optional_int(m, "shutoff_notice_days_delinquent", n->shutoff_notice_days_delinquent,
                           1, n->shutoff_after_days_delinquent, path));
    if (m["shutoff_min_balance"]) {
      CD_ASSIGN(n->shutoff_min_balance_cents,
                money_value(m["shutoff_min_balance"], path + ".shutoff_min_balance"));
    }
    CD_ASSIGN(n->batch_size, optional_int(m, "batch_size", n->batch_size, 1, 10'000, path));
    return {};
  }

  std::string source_;
};

}  // namespace

LedgerSettings default_ledger_settings() {
  LedgerSettings s;
  s.obligation_kinds = {{"utility_bill", "Utility bill", 10},
                        {"deposit", "Service deposit", 20},
                        {"citation", "Parking citation", 30},
                        {"license", "License", 40},
                        {"permit", "Permit", 40},
                        {"damage_claim", "Damage to City property", 50},
                        {"invoice", "City invoice", 60},
                        {"fee", "Fee", 70}};
  s.adjustment_limits_cents = {{"csr2", 2500}, {"csr3", 25000}, {"supervisor", std::nullopt}};
  s.adjustment_reasons = {{"BILLING_ERROR", "Billing error"}, {"GOODWILL", "Customer goodwill"}};
  return s;
}

std::string fund_account(std::string_view prefix, std::string_view fund) {
  return std::string(prefix) + "-" + std::string(fund);
}

const ObligationKind* LedgerSettings::kind(std::string_view code) const {
  for (const auto& k : obligation_kinds)
    if (k.code == code) return &k;
  return nullptr;
}

bool LedgerSettings::has_reason(std::string_view code) const {
  for (const auto& r : adjustment_reasons)
    if (r.code == code) return true;
  return false;
}

const GlAccount* CityConfig::gl_account(std::string_view code) const {
  for (const auto& a : gl_accounts)
    if (a.code == code) return &a;
  return nullptr;
}

const RoleDef* CityConfig::role(std::string_view role_name) const {
  for (const RoleDef& r : roles) {
    if (r.name == role_name) return &r;
  }
  return nullptr;
}

bool CityConfig::role_has(std::string_view role_name, std::string_view permission) const {
  const RoleDef* r = role(role_name);
  return r != nullptr && r->permissions.contains(std::string(permission));
}

bool CityConfig::is_holiday(const CivilDate& d) const {
  return std::any_of(holidays.begin(), holidays.end(),
                     [&](const Holiday& h) { return h.date == d; });
}

const std::set<std::string>& known_permissions() {
  static const std::set<std::string> kPermissions = {
      "party.read",         "party.write",        "contact.log",        "user.admin",
      "audit.read",         "ledger.read",        "ledger.charge",      "payment.post",
      "adjustment.request", "adjustment.approve", "refund.request",     "refund.approve",
      "payment.transfer",   "payment.return",     "writeoff.post",      "report.read",
      "billing.read",       "billing.run",        "meter.read_entry",   "cashier.operate",
      "billing.write",      "billing.reads",      "billing.exceptions", "drawer.supervise",
      "deposit.close",      "mail.log",           "batch.post",         "citation.read",
      "citation.write",     "citation.decide",    "citation.escalate",  "citation.dmv",
      "system.status",      "billing.routes",
  };
  return kPermissions;
}

Result<CityConfig> parse_city_config(std::string_view yaml_text, const std::string& source_name) {
  ConfigParser parser(source_name);
  // yaml-cpp reports problems by throwing; they stop here, as Error values.
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    return parser.parse(root);
  } catch (const YAML::Exception& e) {
    return parser.error_at_line(e.mark.line, "(yaml syntax)", e.msg);
  }
}

Result<CityConfig> load_city_config(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return fail(ErrorCode::kNotFound, "cannot open the City configuration file " + path, path);
  }
  std::string text;
  char buffer[8192];
  while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(file.gcount()));
    if (text.size() > kMaxCityConfigBytes) {
      return fail(ErrorCode::kTooLarge,
                  "the City configuration file is larger than " +
                      std::to_string(kMaxCityConfigBytes) + " bytes",
                  path);
    }
  }
  if (file.bad()) return fail(ErrorCode::kUnavailable, "could not read " + path, path);
  return parse_city_config(text, path);
}

}  // namespace civicdesk
