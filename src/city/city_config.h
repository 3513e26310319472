// The City: one YAML file (config/demo-city.yaml is the demo) describing its name, time zone,
// holidays, funds and GL accounts, departments, roles and their permissions, and security
// settings. Loading validates everything and names the file, line and key of the first problem.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

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
