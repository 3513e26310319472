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
  const auto csr2 =
      with(csr1, {"party.write", "ledger.charge", "payment.post", "adjustment.request",
                  "refund.request", "cashier.operate", "batch.post", "citation.write",
                  "meter.read_entry", "billing.write", "billing.reads"});
  const auto csr3 =
      with(csr2, {"payment.transfer", "payment.return", "writeoff.post", "citation.decide",
                  "billing.run", "report.read", "adjustment.approve", "billing.exceptions"});
  const auto supervisor =
      with(csr3, {"drawer.supervise", "citation.escalate", "citation.dmv", "refund.approve",
                  "deposit.close", "system.status", "audit.read", "billing.routes"});
  const std::map<std::string, std::set<std::string>> expected = {
      {"csr1", csr1},
      {"csr2", csr2},
      {"csr3", csr3},
      {"supervisor", supervisor},
      {"finance",
       {"party.read", "ledger.read", "report.read", "deposit.close", "refund.approve", "audit.read",
        "billing.read", "citation.dmv"}},
      {"auditor",
       {"party.read", "ledger.read", "report.read", "audit.read", "billing.read", "citation.read"}},
      {"admin", {"user.admin", "audit.read", "system.status", "party.read"}},
      {"field", {"party.read", "meter.read_entry", "billing.read", "billing.reads"}},
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
  EXPECT_EQ(known_permissions().size(), 34u);
  EXPECT_TRUE(known_permissions().contains("citation.escalate"));
  EXPECT_TRUE(known_permissions().contains("citation.decide"));
  EXPECT_TRUE(known_permissions().contains("citation.dmv"));
  EXPECT_TRUE(known_permissions().contains("billing.exceptions"));
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

TEST(CityConfigContact, DemoCityPrintsItsContactOnBills) {
  auto config = load_city_config(demo_city_path());
  ASSERT_TRUE(config.has_value()) << config.error().field << " " << config.error().message;
  EXPECT_EQ(config->contact.office, "Utility Billing and Revenue");
  EXPECT_EQ(config->contact.phone, "(555) 555-0100");
  EXPECT_EQ(config->contact.pay_url, "https://pay.riverton.example.gov/utility");
  ASSERT_EQ(config->contact.address.size(), 3u);
  EXPECT_EQ(config->contact.address[1], "200 Civic Center Plaza");
  ASSERT_EQ(config->contact.remit_to.size(), 3u);
  EXPECT_EQ(config->contact.remit_to[1], "PO Box 4100");
  EXPECT_EQ(config->contact.hours, "Monday-Friday 8:00-17:00");
}

TEST(CityConfigContact, AbsentMeansEmpty) {
  auto config = parse_city_config(base_with(0, ""), "t.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().field << " " << config.error().message;
  EXPECT_TRUE(config->contact.phone.empty());
  EXPECT_TRUE(config->contact.pay_url.empty());
  EXPECT_TRUE(config->contact.remit_to.empty());
}

// The contact section goes after line 21 (security), so its first key is on line 23.
std::string with_contact(const std::string& body) {
  return base_with(21, "  idle_timeout_minutes: 15\ncontact:\n" + body);
}

TEST(CityConfigContact, EachValidationErrorNamesLineAndKey) {
  const std::string ok_rest = "  address: [City Hall]\n  remit_to: [PO Box 1]\n";
  struct Case {
    std::string body;
    const char* field;
    const char* message;
  };
  const Case cases[] = {
      {"  pay_url: https://pay.example.gov\n" + ok_rest, "t.yaml:23: contact.phone", "is required"},
      {"  phone: 555\n" + ok_rest, "t.yaml:23: contact.pay_url", "is required"},
      {"  phone: 555\n  pay_url: http://pay.example.gov\n" + ok_rest, "t.yaml:24: contact.pay_url",
       "https://"},
      {"  phone: 555\n  pay_url: https://pay.example.gov\n  remit_to: [PO Box 1]\n",
       "t.yaml:23: contact.address", "is required"},
      {"  phone: 555\n  pay_url: https://pay.example.gov\n  address: City Hall\n  remit_to: [X]\n",
       "t.yaml:25: contact.address", "1 to 4 address lines"},
      {"  phone: 555\n  pay_url: https://pay.example.gov\n  address: [a, b, c, d, e]\n  remit_to: "
       "[X]\n",
       "t.yaml:25: contact.address", "1 to 4 address lines"},
      {"  phone: 555\n  pay_url: https://pay.example.gov\n  address: [a, '']\n  remit_to: [X]\n",
       "t.yaml:25: contact.address[1]", "non-empty"},
      {"  phone: 555\n  pay_url: https://pay.example.gov\n  fax: 556\n" + ok_rest,
       "t.yaml:25: contact.fax", "unknown key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto config = parse_city_config(with_contact(c.body), "t.yaml");
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().field, c.field) << config.error().message;
    EXPECT_NE(config.error().message.find(c.message), std::string::npos) << config.error().message;
  }
  auto good = parse_city_config(
      with_contact("  phone: 555\n  pay_url: https://pay.example.gov\n" + ok_rest), "t.yaml");
  ASSERT_TRUE(good.has_value()) << good.error().field << " " << good.error().message;
  EXPECT_EQ(good->contact.remit_to, std::vector<std::string>{"PO Box 1"});
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

// --- citations: -------------------------------------------------------------------------------

TEST(CityConfigCitations, DemoCityCarriesTheSfScheduleAndCaliforniaRules) {
  const CityConfig config = load_city_config(demo_city_path()).value();
  const citations::CitationRules& r = config.citations;
  EXPECT_EQ(r.violations.size(), 44u);
  EXPECT_EQ(r.check_digit, citations::CheckDigit::kMod7);
  EXPECT_EQ(r.scofflaw_threshold, 5);
  EXPECT_EQ(r.obligation_kind, "citation");
  EXPECT_EQ(r.fine_account, "4000-PARKING");
  EXPECT_EQ(r.penalty_account, "4100-PARKING");
  EXPECT_EQ(r.void_approver_roles, std::vector<std::string>{"supervisor"});
  // Street cleaning: $85, $84 from 10 January 2022, $87 from 1 July 2022.
  const citations::Violation* street = r.violation("TRC7.2.22");
  ASSERT_NE(street, nullptr);
  ASSERT_EQ(street->fines.size(), 3u);
  EXPECT_EQ(street->fines[2].effective_on, (CivilDate{2022, 7, 1}));
  EXPECT_EQ(citations::scheduled_fine(r, "TRC7.2.22", {2022, 6, 30})->cents(), 8400);
  EXPECT_EQ(citations::scheduled_fine(r, "TRC7.2.22", {2022, 7, 1})->cents(), 8700);
  EXPECT_EQ(citations::scheduled_fine(r, "V22500I", {2022, 7, 1})->cents(), 36800);
  ASSERT_EQ(r.escalation.size(), 6u);
  EXPECT_EQ(r.escalation[0].amount.cents(), 2500);
  EXPECT_EQ(r.escalation[5].kind, citations::StepKind::kCollections);
  EXPECT_EQ(r.escalation[5].days, 90);
  EXPECT_EQ(r.contest.review_days_after_issue, 21);
  EXPECT_EQ(r.contest.review_days_after_notice, 14);
  EXPECT_EQ(r.contest.hearing_days_after_review, 21);
  EXPECT_FALSE(r.contest.restart_escalation_after_decision);
  ASSERT_EQ(r.plan.tiers.size(), 2u);
  EXPECT_EQ(r.plan.tiers[0].total_up_to.cents(), 50000);
  EXPECT_EQ(r.plan.tiers[0].max_monthly.cents(), 2500);
  EXPECT_EQ(r.plan.max_months, 24);
  EXPECT_EQ(r.plan.processing_fee.cents(), 500);
}

// The base City with a revenue account on line 7 (line 8 left as a comment, so the numbering
// holds) and a citations section from line 22.
const std::vector<std::string> kCitationLines = {
    "citations:",                                       // 22
    "  obligation_kind: citation",                      // 23
    "  fine_account: 4000-WATER",                       // 24
    "  penalty_account: 4000-WATER",                    // 25
    "  plan_fee_account: 4000-WATER",                   // 26
    "  check_digit: mod7",                              // 27
    "  scofflaw_threshold: 5",                          // 28
    "  void_approver_roles: [supervisor]",              // 29
    "  violations:",                                    // 30
    "    - code: TRC7.2.22",                            // 31
    "      description: Street cleaning",               // 32
    "      fines:",                                     // 33
    "        - {from: 2022-01-10, amount: \"84.00\"}",  // 34
    "        - {from: 2022-07-01, amount: \"87.00\"}",  // 35
    "    - {code: V5204A, description: Tabs, fines: [{from: 2021-07-01, amount: "
    "\"121.00\"}]}",                                                                // 36
    "  escalation:",                                                                // 37
    "    - {step: 1, days: 21, kind: penalty, name: Late, amount: \"25.00\"}",      // 38
    "    - {step: 2, days: 21, kind: notice, name: Notice}",                        // 39
    "    - {step: 3, days: 40, kind: delinquent, name: Delinquent}",                // 40
    "    - {step: 4, days: 58, kind: penalty, name: Late 2, percent_of_fine: 50}",  // 41
    "    - {step: 5, days: 58, kind: dmv_hold, name: Hold}",                        // 42
    "    - {step: 6, days: 90, kind: collections, name: Collections}",              // 43
    "  contest:",                                                                   // 44
    "    review_days_after_issue: 21",                                              // 45
    "    restart_escalation_after_decision: true",                                  // 46
    "  indigent_plan:",                                                             // 47
    "    tiers:",                                                                   // 48
    "      - {total_up_to: \"500.00\", max_monthly: \"25.00\"}",                    // 49
    "      - {total_up_to: \"1200.00\", max_monthly: \"50.00\"}",                   // 50
    "    max_months: 24",                                                           // 51
    "    processing_fee: \"5.00\"",                                                 // 52
    "    grace_days: 10",                                                           // 53
};

std::string citations_with(int line, const std::string& replacement) {
  std::string text = base_with(0, "");
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  lines[6] =
      "gl_accounts: [{code: 1010-WATER, name: Cash, type: asset, fund: WATER}, "
      "{code: 4000-WATER, name: Fines, type: revenue, fund: WATER}]";
  lines[7] = "# (the accounts are on line 7)";
  lines.insert(lines.end(), kCitationLines.begin(), kCitationLines.end());
  std::ostringstream out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out << (static_cast<int>(i) + 1 == line ? replacement : lines[i]) << "\n";
  return out.str();
}

TEST(CityConfigCitations, ParsesEverySetting) {
  auto config = parse_city_config(citations_with(0, ""), "t.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().field << " " << config.error().message;
  const citations::CitationRules& r = config->citations;
  ASSERT_EQ(r.violations.size(), 2u);
  EXPECT_EQ(r.violations[0].description, "Street cleaning");
  EXPECT_EQ(r.violations[0].fines[1].fine.cents(), 8700);
  EXPECT_EQ(r.violations[1].fines[0].effective_on, (CivilDate{2021, 7, 1}));
  ASSERT_EQ(r.escalation.size(), 6u);
  EXPECT_EQ(r.escalation[3].percent_of_fine, 50);
  EXPECT_TRUE(r.escalation[3].amount.is_zero());
  EXPECT_EQ(r.escalation[4].kind, citations::StepKind::kDmvHold);
  EXPECT_EQ(r.step(6)->name, "Collections");
  EXPECT_TRUE(r.contest.restart_escalation_after_decision);
  EXPECT_EQ(r.contest.court_days_after_hearing, 20);  // default kept
  EXPECT_EQ(r.plan.tiers[1].max_monthly.cents(), 5000);
  EXPECT_EQ(r.plan.grace_days, 10);
  EXPECT_FALSE(r.plan.require_documentation);
}

TEST(CityConfigCitations, AbsentMeansNoCitations) {
  auto config = parse_city_config(base_with(0, ""), "t.yaml");
  ASSERT_TRUE(config.has_value());
  EXPECT_TRUE(config->citations.violations.empty());
  EXPECT_TRUE(config->citations.escalation.empty());
  EXPECT_TRUE(config->citations.plan.tiers.empty());
  auto scalar = parse_city_config(base_with(0, "") + "citations: none\n", "t.yaml");
  ASSERT_FALSE(scalar.has_value());
  EXPECT_EQ(scalar.error().field, "t.yaml:22: citations");
  EXPECT_EQ(scalar.error().message, "must be a mapping");
}

TEST(CityConfigCitations, EachValidationErrorNamesFileLineAndKey) {
  const BadCase cases[] = {
      {23, "  obligation_kind: parking", "t.yaml:23: citations.obligation_kind",
       "ledger.obligation_kinds"},
      {24, "  fine_account: 1010-WATER", "t.yaml:24: citations.fine_account",
       "not a revenue account"},
      {24, "  fine_account: 9999-WATER", "t.yaml:24: citations.fine_account",
       "not a revenue account"},
      {24, "  # no fine account", "t.yaml:23: citations.fine_account", "is required"},
      {27, "  check_digit: mod11", "t.yaml:27: citations.check_digit", "not a check digit"},
      {28, "  scofflaw_threshold: 0", "t.yaml:28: citations.scofflaw_threshold",
       "between 1 and 1000"},
      {29, "  void_approver_roles: [boss]", "t.yaml:29: citations.void_approver_roles[0]",
       "not defined under roles"},
      {29, "  void_aprover_roles: [supervisor]", "t.yaml:29: citations.void_aprover_roles",
       "unknown key"},
      {31, "    - code: trc7.2.22", "t.yaml:31: citations.violations[0].code", "capital letters"},
      {31, "    - code: TRC7.2.22.ABCDEFGHIJKL", "t.yaml:31: citations.violations[0].code",
       "at most 20"},
      {36, "    - {code: TRC7.2.22, description: X, fines: [{from: 2021-07-01, amount: \"1\"}]}",
       "t.yaml:36: citations.violations[1].code", "defined twice"},
      {36, "    - {code: V5204A, description: Tabs, fines: []}",
       "t.yaml:36: citations.violations[1].fines", "non-empty list"},
      {36, "    - {code: V5204A, description: Tabs}", "t.yaml:36: citations.violations[1].fines",
       "non-empty list"},
      {36, "    - {code: V5204A, fines: [{from: 2021-07-01, amount: \"1\"}]}",
       "t.yaml:36: citations.violations[1].description", "is required"},
      {34, "        - {from: 2022-13-01, amount: \"84.00\"}",
       "t.yaml:34: citations.violations[0].fines[0].from", "not a calendar date"},
      {35, "        - {from: 2022-01-10, amount: \"87.00\"}",
       "t.yaml:35: citations.violations[0].fines[1].from",
       "after the previous change (2022-01-10)"},
      {35, "        - {from: 2022-07-01, amount: \"0.00\"}",
       "t.yaml:35: citations.violations[0].fines[1].amount", "more than zero"},
      {35, "        - {from: 2022-07-01, amount: \"-87.00\"}",
       "t.yaml:35: citations.violations[0].fines[1].amount", "negative"},
      {35, "        - {from: 2022-07-01, amount: 87.001}",
       "t.yaml:35: citations.violations[0].fines[1].amount", ""},
      {35, "        - {from: 2022-07-01}", "t.yaml:35: citations.violations[0].fines[1].amount",
       "is required"},
      {35, "        - {from: 2022-07-01, amount: \"87.00\", to: 2023-06-30}",
       "t.yaml:35: citations.violations[0].fines[1].to", "unknown key"},
      {38, "    - {step: 1, days: 21, kind: penalty, name: Late}",
       "t.yaml:38: citations.escalation[0]", "either amount or percent_of_fine"},
      {38,
       "    - {step: 1, days: 21, kind: penalty, name: Late, amount: \"1\", percent_of_fine: 9}",
       "t.yaml:38: citations.escalation[0]", "either amount or percent_of_fine"},
      {38, "    - {days: 21, kind: penalty, name: Late, amount: \"25.00\"}",
       "t.yaml:38: citations.escalation[0].step", "is required"},
      {38, "    - {step: 1, days: 0, kind: penalty, name: Late, amount: \"25.00\"}",
       "t.yaml:38: citations.escalation[0].days", "between 1 and 3650"},
      {39, "    - {step: 2, days: 21, kind: notice, name: Notice, amount: \"5.00\"}",
       "t.yaml:39: citations.escalation[1].amount", "only a penalty step"},
      {39, "    - {step: 1, days: 21, kind: notice, name: Notice}",
       "t.yaml:39: citations.escalation[1].step", "greater than the previous"},
      {39, "    - {step: 2, days: 20, kind: notice, name: Notice}",
       "t.yaml:39: citations.escalation[1].days", "not be fewer"},
      {39, "    - {step: 2, days: 21, kind: letter, name: Notice}",
       "t.yaml:39: citations.escalation[1].kind", "not a step kind"},
      {39, "    - {step: 2, days: 21, kind: notice}", "t.yaml:39: citations.escalation[1].name",
       "is required"},
      {40, "    - {step: 3, days: 40, kind: notice, name: Again}",
       "t.yaml:40: citations.escalation[2].kind", "twice or out of order"},
      {42, "    - {step: 5, days: 58, kind: delinquent, name: Hold}",
       "t.yaml:42: citations.escalation[4].kind", "twice or out of order"},
      {43,
       "    - {step: 6, days: 90, kind: collections, name: Collections}\n"
       "    - {step: 7, days: 120, kind: penalty, name: Late 3, amount: \"10.00\"}",
       "t.yaml:44: citations.escalation[6]", "no step can follow"},
      {41, "    - {step: 4, days: 58, kind: penalty, name: Late 2, percent_of_fine: 0}",
       "t.yaml:41: citations.escalation[3].percent_of_fine", "between 1 and 1000"},
      {45, "    review_days_after_issue: 0", "t.yaml:45: citations.contest.review_days_after_issue",
       "between 1 and 365"},
      {45, "    review_days: 21", "t.yaml:45: citations.contest.review_days", "unknown key"},
      {46, "    restart_escalation_after_decision: maybe",
       "t.yaml:46: citations.contest.restart_escalation_after_decision", "true or false"},
      {49, "      - {total_up_to: \"500.00\"}",
       "t.yaml:49: citations.indigent_plan.tiers[0].max_monthly", "is required"},
      {50, "      - {total_up_to: \"400.00\", max_monthly: \"50.00\"}",
       "t.yaml:50: citations.indigent_plan.tiers[1].total_up_to", "more than the previous tier"},
      {51, "    max_months: 121", "t.yaml:51: citations.indigent_plan.max_months",
       "between 1 and 120"},
      {52, "    processing_fee: \"-5.00\"", "t.yaml:52: citations.indigent_plan.processing_fee",
       "negative"},
      {53, "    grace_days: 91", "t.yaml:53: citations.indigent_plan.grace_days",
       "between 0 and 90"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.replacement);
    auto config = parse_city_config(citations_with(c.line, c.replacement), "t.yaml");
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(config.error().field, c.field) << config.error().message;
    EXPECT_NE(config.error().message.find(c.message), std::string::npos) << config.error().message;
  }
}

}  // namespace
}  // namespace civicdesk
