// The City: one YAML file (config/demo-city.yaml is the demo) describing its name, time zone,
// holidays, funds and GL accounts, departments, roles and their permissions, security settings,
// the ledger, and parking citations. Loading validates everything and names the file, line and
// key of the first problem.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "billing/billing_settings.h"
#include "citations/citation_rules.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk {

struct Holiday {
  CivilDate date;
  std::string name;
};

struct Fund {
  std::string code;  // e.g. "WATER"
  std::string name;
};

struct GlAccount {
  std::string code;  // e.g. "1100-WATER"
  std::string name;
  std::string type;  // asset | liability | equity | revenue | expense
  std::string fund;  // a Fund code
};

struct Department {
  std::string code;
  std::string name;
};

struct RoleDef {
  std::string name;   // csr1, csr2, csr3, supervisor, finance, auditor, admin, field
  std::string title;  // "Customer Service Representative I"
  std::set<std::string> permissions;
};

struct SecuritySettings {
  int idle_timeout_minutes = 15;
  int absolute_timeout_minutes = 600;  // one shift
  int max_failed_logins = 5;
  int lockout_minutes = 15;
  int min_password_length = 12;
};

struct ObligationKind {
  std::string code;  // utility_bill, citation, license, permit, damage_claim, invoice, deposit, fee
  std::string name;
  int priority = 100;  // payments go to lower numbers first
};

struct AdjustmentReason {
  std::string code;
  std::string name;
};

// How money is posted and applied (see docs/architecture.md, "The ledger").
struct LedgerSettings {
  std::vector<ObligationKind> obligation_kinds;
  bool penalties_first = true;              // within an obligation, penalties before principal
  bool apply_credit_to_new_charges = true;  // unapplied credit pays new charges automatically
  std::string credit_fund = "GENERAL";      // the fund that holds unapplied credits
  // Largest adjustment a role may post without approval, in cents; absent role = may not post
  // at all (only request); std::nullopt = unlimited.
  std::map<std::string, std::optional<std::int64_t>> adjustment_limits_cents;
  std::vector<AdjustmentReason> adjustment_reasons;
  std::int64_t returned_payment_fee_cents = 2500;
  std::string returned_payment_fee_account = "4200-GENERAL";
  int cash_only_after_returns = 2;

  const ObligationKind* kind(std::string_view code) const;
  bool has_reason(std::string_view code) const;
};

LedgerSettings default_ledger_settings();

// The account every fund must have for the ledger, by prefix: "1200" → "1200-WATER".
// receivable 1200, unapplied credits 2100, refunds payable 2200, cash in drawers 1010,
// undeposited funds 1020, cash in bank 1030, write-off expense 6100.
std::string fund_account(std::string_view prefix, std::string_view fund);

// How the public reaches the City (section `contact:`), printed on bills, notices and letters.
// Absent: empty fields — documents then carry only the City's name, and bills no QR code.
struct CityContact {
  std::string office;                // "Utility Billing and Revenue"
  std::vector<std::string> address;  // the office's street address, one line each
  std::string phone;                 // as printed: "(555) 555-0100"
  std::string email;
  std::string hours;                  // "Monday-Friday 8:00-17:00"
  std::string pay_url;                // the public pay page (https://...): the QR code on bills
  std::vector<std::string> remit_to;  // where payments are mailed (the lockbox): the stub
};

struct CityConfig {
  std::string name;
  std::string time_zone;  // IANA name, e.g. America/Los_Angeles
  std::string source_path;
  std::vector<Holiday> holidays;
  std::vector<Fund> funds;
  std::vector<GlAccount> gl_accounts;
  std::vector<Department> departments;
  std::vector<RoleDef> roles;
  SecuritySettings security;
  LedgerSettings ledger;
  // Parking citations (section `citations:`; see citations/citation_rules.h). Absent: a City
  // that issues none (no violation codes, so every import line is refused).
  citations::CitationRules citations;
  // Utility billing (section `billing:`; see billing/billing_settings.h). Absent: the defaults.
  billing::BillingSettings billing;
  CityContact contact;
  const GlAccount* gl_account(std::string_view code) const;

  const RoleDef* role(std::string_view name) const;
  bool role_has(std::string_view role_name, std::string_view permission) const;
  bool is_holiday(const CivilDate& d) const;
};

// Every permission civicdesk knows. A config naming any other permission is refused, so a typo
// cannot silently grant nothing (or everything).
const std::set<std::string>& known_permissions();

// Loads and validates; errors name "FILE:LINE: key" in Error::field and explain in message.
[[nodiscard]] Result<CityConfig> load_city_config(const std::string& path);
[[nodiscard]] Result<CityConfig> parse_city_config(std::string_view yaml_text,
                                                   const std::string& source_name);

}  // namespace civicdesk
