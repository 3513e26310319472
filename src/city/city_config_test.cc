#include "city/city_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/calendar.h"
#include "core/time_zone.h"

namespace civicdesk {
namespace {

// config/demo-city.yaml: from CIVICDESK_SOURCE_DIR (set by CTest), else found relative to this
// source file or the working directory.
std::string demo_city_path() {
  std::vector<std::filesystem::path> candidates;
  if (const char* dir = std::getenv("CIVICDESK_SOURCE_DIR")) {
    candidates.emplace_back(std::filesystem::path(dir) / "config/demo-city.yaml");
  }
  candidates.emplace_back(
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() /
      "config/demo-city.yaml");
  for (const char* relative :
       {"config/demo-city.yaml", "../config/demo-city.yaml", "../../config/demo-city.yaml"}) {
    candidates.emplace_back(relative);
  }
  for (const auto& p : candidates) {
    if (std::filesystem::exists(p)) return p.string();
  }
  return "config/demo-city.yaml";
}

std::set<std::string> with(std::set<std::string> base, std::initializer_list<const char*> more) {
  for (const char* p : more) base.insert(p);
  return base;
}

TEST(DemoCity, LoadsAndValidates) {
  auto config = load_city_config(demo_city_path());
  ASSERT_TRUE(config.has_value()) << config.error().field << " " << config.error().message;
  EXPECT_EQ(config->name, "City of Riverton");
  EXPECT_EQ(config->time_zone, "America/Los_Angeles");
  EXPECT_TRUE(TimeZone::load(config->time_zone).has_value());
  EXPECT_EQ(config->holidays.size(), 31u);
  EXPECT_EQ(config->funds.size(), 6u);
  EXPECT_EQ(config->departments.size(), 6u);
  EXPECT_EQ(config->roles.size(), 8u);
  EXPECT_EQ(config->security.idle_timeout_minutes, 15);
  EXPECT_EQ(config->security.absolute_timeout_minutes, 600);
  EXPECT_EQ(config->security.max_failed_logins, 5);
  EXPECT_EQ(config->security.lockout_minutes, 15);
  EXPECT_EQ(config->security.min_password_length, 12);
}

TEST(DemoCity, HolidaysAreObservedWeekdays) {
  const CityConfig config = load_city_config(demo_city_path()).value();
  EXPECT_TRUE(config.is_holiday({2026, 7, 3}));  // July 4th falls on a Saturday
  EXPECT_FALSE(config.is_holiday({2026, 7, 4}));
  EXPECT_TRUE(config.is_holiday({2027, 12, 31}));  // New Year's Day 2028 is a Saturday
  std::vector<CivilDate> dates;
  for (const Holiday& h : config.holidays) {
    EXPECT_NE(h.date.weekday(), 0) << h.date.iso();
    EXPECT_NE(h.date.weekday(), 6) << h.date.iso();
    dates.push_back(h.date);
  }
  const BusinessCalendar calendar(dates);
  EXPECT_EQ(calendar.add_business_days({2026, 11, 25}, 1), (CivilDate{2026, 11, 30}));
}

TEST(DemoCity, EveryFundHasTheStandardChartOfAccounts) {
  const CityConfig config = load_city_config(demo_city_path()).value();
  const char* fund_codes[] = {"WATER", "SEWER", "REFUSE", "STORMWATER", "GENERAL", "PARKING"};
  const char* standard[] = {"1010", "1020", "1030", "1200", "2100",
                            "2200", "3000", "4000", "6100", "6200"};
  for (const char* fund : fund_codes) {
    for (const char* number : standard) {
      const std::string code = std::string(number) + "-" + fund;
      const bool found = std::any_of(config.gl_accounts.begin(), config.gl_accounts.end(),
                                     [&](const GlAccount& a) { return a.code == code; });
      EXPECT_TRUE(found) << code;
    }
  }
}

TEST(DemoCity, RolesFollowTheDefaultMatrix) {
  const CityConfig config = load_city_config(demo_city_path()).value();
  const auto csr1 = std::set<std::string>{"party.read",    "contact.log", "mail.log",
                                          "citation.read", "ledger.read", "billing.read"};
  const auto csr2 = with(
      csr1, {"party.write", "ledger.charge", "payment.post", "adjustment.request", "refund.request",
             "cashier.operate", "batch.post", "citation.write", "meter.read_entry"});
  const auto csr3 =
      with(csr2, {"payment.transfer", "payment.return", "writeoff.post", "citation.decide",
                  "billing.run", "report.read", "adjustment.approve"});
  const auto supervisor = with(
      csr3, {"drawer.supervise", "refund.approve", "deposit.close", "system.status", "audit.read"});
  const std::map<std::string, std::set<std::string>> expected = {
      {"csr1", csr1},
      {"csr2", csr2},
      {"csr3", csr3},
      {"supervisor", supervisor},
      {"finance",
       {"party.read", "ledger.read", "report.read", "deposit.close", "refund.approve", "audit.read",
        "billing.read"}},
      {"auditor",
       {"party.read", "ledger.read", "report.read", "audit.read", "billing.read", "citation.read"}},
      {"admin", {"user.admin", "audit.read", "system.status", "party.read"}},
      {"field", {"party.read", "meter.read_entry", "billing.read"}},
  };
  for (const auto& [name, permissions] : expected) {
    const RoleDef* role = config.role(name);
    ASSERT_NE(role, nullptr) << name;
    EXPECT_EQ(role->permissions, permissions) << name;
    EXPECT_FALSE(role->title.empty());
  }
  EXPECT_TRUE(config.role_has("csr2", "payment.post"));
  EXPECT_FALSE(config.role_has("csr1", "payment.post"));
  EXPECT_FALSE(config.role_has("admin", "payment.post"));  // admins do not move money
  EXPECT_FALSE(config.role_has("nobody", "party.read"));
  EXPECT_EQ(config.role("nobody"), nullptr);
}

TEST(KnownPermissions, IsTheDocumentedSet) {
  EXPECT_EQ(known_permissions().size(), 28u);
  EXPECT_TRUE(known_permissions().contains("citation.decide"));
  EXPECT_FALSE(known_permissions().contains("party.delete"));
}

// A small valid City, one line per entry so each test below can replace a numbered line.
const std::vector<std::string> kBaseLines = {
    "name: Testville",                                               // 1
    "time_zone: America/Los_Angeles",                                // 2
    "holidays:",                                                     // 3
    "  - {date: 2026-01-01, name: New Year}",                        // 4
    "funds:",                                                        // 5
    "  - {code: WATER, name: Water}",                                // 6
    "gl_accounts:",                                                  // 7
    "  - {code: 1010-WATER, name: Cash, type: asset, fund: WATER}",  // 8
    "departments:",                                                  // 9
    "  - {code: UTIL, name: Utilities}",                             // 10
    "roles:",                                                        // 11
    "  csr1: {title: CSR I, permissions: [party.read]}",             // 12
    "  csr2: {title: CSR II, permissions: [party.read]}",            // 13
    "  csr3: {title: CSR III, permissions: [party.read]}",           // 14
    "  supervisor: {title: Supervisor, permissions: [audit.read]}",  // 15
    "  finance: {title: Finance, permissions: [ledger.read]}",       // 16
    "  auditor: {title: Auditor, permissions: [audit.read]}",        // 17
    "  admin: {title: Admin, permissions: [user.admin]}",            // 18
    "  field: {title: Field, permissions: []}",                      // 19
    "security:",                                                     // 20
    "  idle_timeout_minutes: 15",                                    // 21
};

// The base text with line `line` (1-based) replaced; line 0 means "unchanged".
std::string base_with(int line, const std::string& replacement) {
  std::ostringstream out;
  for (std::size_t i = 0; i < kBaseLines.size(); ++i) {
    out << (static_cast<int>(i) + 1 == line ? replacement : kBaseLines[i]) << "\n";
  }
  return out.str();
}

TEST(CityConfig, BaseIsValid) {
  auto config = parse_city_config(base_with(0, ""), "t.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().field << " " << config.error().message;
  EXPECT_EQ(config->source_path, "t.yaml");
  EXPECT_EQ(config->gl_accounts.at(0).fund, "WATER");
  EXPECT_TRUE(config->role("field")->permissions.empty());
  EXPECT_EQ(config->security.absolute_timeout_minutes, 600);  // default kept
}

struct BadCase {
  int line;
  const char* replacement;
  const char* field;    // expected Error::field
  const char* message;  // a part of the expected message
};

TEST(CityConfig, EachValidationErrorNamesFileLineAndKey) {
  const BadCase cases[] = {
      {1, "title: Testville", "t.yaml:1: title", "unknown key"},
      {1, "nme: Testville", "t.yaml:1: nme", "expected one of"},
      {1, "name: ''", "t.yaml:1: name", "non-empty"},
      {1, "# no name", "t.yaml:2: name", "is required"},
      {2, "time_zone: America/Nowhere", "t.yaml:2: time_zone", "not a known time zone"},
      {2, "time_zone: ../../etc/passwd", "t.yaml:2: time_zone", ".."},
      {2, "time_zone: /etc/localtime", "t.yaml:2: time_zone", "\"/\""},
      {2, "# no zone", "t.yaml:1: time_zone", "is required"},
      {4, "  date: 2026-01-01", "t.yaml:4: holidays", "must be a list"},
      {4, "  - 2026-01-01", "t.yaml:4: holidays[0]", "must be a mapping"},
      {4, "  - {date: 2026-02-30, name: X}", "t.yaml:4: holidays[0].date", "not a calendar date"},
      {4, "  - {date: 01/01/2026, name: X}", "t.yaml:4: holidays[0].date", "YYYY-MM-DD"},
      {4, "  - {date: 2026-01-01}", "t.yaml:4: holidays[0].name", "is required"},
      {4, "  - {date: 2026-01-01, name: X, when: now}", "t.yaml:4: holidays[0].when",
       "unknown key"},
      {6, "  - {code: WATER, name: Water}\n  - {code: WATER, name: Again}",
       "t.yaml:7: funds[1].code", "defined twice"},
      {6, "  - {code: water, name: Water}", "t.yaml:6: funds[0].code", "capital letters"},
      {8, "  - {code: 1010-WATER, name: Cash, type: asset, fund: SEWER}",
       "t.yaml:8: gl_accounts[0].fund", "fund SEWER is not defined"},
      {8, "  - {code: 1010-WATER, name: Cash, type: income, fund: WATER}",
       "t.yaml:8: gl_accounts[0].type", "not a GL account type"},
      {8, "  - {code: 1010-WATER, name: Cash, type: asset}", "t.yaml:8: gl_accounts[0].fund",
       "is required"},
      {8,
       "  - {code: 1010-WATER, name: Cash, type: asset, fund: WATER}\n"
       "  - {code: 1010-WATER, name: Cash, type: asset, fund: WATER}",
       "t.yaml:9: gl_accounts[1].code", "defined twice"},
      {10, "  - {code: UTIL, name: Utilities}\n  - {code: UTIL, name: Other}",
       "t.yaml:11: departments[1].code", "defined twice"},
      {12, "  csr1: {title: CSR I, permissions: [party.read, party.delete]}",
       "t.yaml:12: roles.csr1.permissions[1]", "\"party.delete\" is not a known permission"},
      {12, "  csr1: {title: CSR I}", "t.yaml:12: roles.csr1.permissions", "is required"},
      {12, "  csr1: {title: CSR I, permissions: party.read}", "t.yaml:12: roles.csr1.permissions",
       "must be a list"},
      {12, "  csr1: {title: CSR I, permisions: [party.read]}", "t.yaml:12: roles.csr1.permisions",
       "unknown key"},
      {12, "  CSR-1: {title: CSR I, permissions: []}", "t.yaml:12: roles.CSR-1", "role name"},
      {19, "  # field missing", "t.yaml:12: roles.field", "role field is required"},
      {15, "  superviser: {title: Supervisor, permissions: []}", "t.yaml:12: roles.supervisor",
       "is required"},
      {21, "  idle_timeout_minutes: 0", "t.yaml:21: security.idle_timeout_minutes",
       "between 1 and 480"},
      {21, "  idle_timeout_minutes: fifteen", "t.yaml:21: security.idle_timeout_minutes",
       "whole number"},
      {21, "  min_password_length: 8", "t.yaml:21: security.min_password_length",
       "between 12 and 256"},
      {21, "  idle_timout_minutes: 15", "t.yaml:21: security.idle_timout_minutes", "unknown key"},
      {21, "  absolute_timeout_minutes: 10", "t.yaml:21: security.absolute_timeout_minutes",
       "shorter than idle"},
      {21, "  idle_timeout_minutes: 15\nname: Again", "t.yaml:22: name", "given twice"},
      {4, "  - {date: 2026-01-01, name: X}\n  - {date: 2026-01-01, name: Y}",
       "t.yaml:5: holidays[1].date", "listed twice"},
      {13, "  csr2: {title: CSR II, permissions: [party.read]", "t.yaml:14: (yaml syntax)", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.replacement);
    auto config = parse_city_config(base_with(c.line, c.replacement), "t.yaml");
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(config.error().field, c.field) << config.error().message;
    EXPECT_NE(config.error().message.find(c.message), std::string::npos) << config.error().message;
  }
}

TEST(CityConfig, RolesMustBeAMapping) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += kBaseLines[i] + "\n";
  auto config = parse_city_config(text + "roles: []\n", "t.yaml");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().field, "t.yaml:11: roles");
  config = parse_city_config(text, "t.yaml");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().field, "t.yaml:1: roles");
  EXPECT_EQ(config.error().message, "is required");
}

TEST(CityConfig, NotAMapping) {
  for (const char* text : {"", "just text", "- a\n- b"}) {
    auto config = parse_city_config(text, "t.yaml");
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().field, "t.yaml:1: (top level)");
  }
}

TEST(CityConfig, LoadFileErrors) {
  auto missing = load_city_config("/nonexistent/city.yaml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  const std::string path = ::testing::TempDir() + "/bad-city.yaml";
  {
    std::ofstream out(path);
    out << base_with(8, "  - {code: 1010-WATER, name: Cash, type: assets, fund: WATER}");
  }
  auto bad = load_city_config(path);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, path + ":8: gl_accounts[0].type");
}

}  // namespace
}  // namespace civicdesk
