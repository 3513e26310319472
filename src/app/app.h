// The running civicdesk: the store, the City, the clock and every context's service, wired once.
// Owned by main (serve, CLI commands) and by tests.
#pragma once

#include <memory>
#include <string>

#include "billing/utility_book.h"
#include "cashiering/counter.h"
#include "citations/citation_book.h"
#include "citations/plan_book.h"
#include "city/city_config.h"
#include "core/clock.h"
#include "core/time_zone.h"
#include "customers/party_book.h"
#include "ledger/ledger.h"
#include "remittance/mailroom.h"
#include "security/sessions.h"
#include "security/users.h"
#include "store/db.h"

namespace civicdesk {

struct AppOptions {
  std::string db_url = "sqlite:var/civicdesk.db";
  std::string config_path = "config/demo-city.yaml";
  std::string web_root = "web/dist";
  bool secure_cookies = false;  // __Host- cookie with Secure (needs HTTPS in front)
};

class App {
 public:
  // Opens the store, applies migrations, loads the City. The clock is injectable for tests.
  [[nodiscard]] static Result<std::unique_ptr<App>> open(const AppOptions& options,
                                                         std::unique_ptr<Clock> clock = nullptr);

  store::Database& db() { return *db_; }
  const CityConfig& city() const { return city_; }
  const Clock& clock() const { return *clock_; }
  const AppOptions& options() const { return options_; }
  security::UserDirectory& users() { return *users_; }
  security::SessionStore& sessions() { return *sessions_; }
  customers::PartyBook& parties() { return *parties_; }
  ledger::Ledger& ledger() { return *ledger_; }
  cashiering::Counter& counter() { return *counter_; }
  remittance::MailRoom& mailroom() { return *mailroom_; }
  citations::CitationBook& citations() { return *citations_; }
  citations::NoticeBook& citation_notices() { return *citation_notices_; }
  citations::PlanBook& citation_plans() { return *citation_plans_; }
  billing::UtilityBook& billing() { return *billing_; }
  const TimeZone& time_zone() const { return *tz_; }

 private:
  App() = default;
  AppOptions options_;
  std::shared_ptr<store::Database> db_;
  CityConfig city_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<security::UserDirectory> users_;
  std::unique_ptr<security::SessionStore> sessions_;
  std::unique_ptr<customers::PartyBook> parties_;
  std::unique_ptr<TimeZone> tz_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<cashiering::Counter> counter_;
  std::unique_ptr<remittance::MailRoom> mailroom_;
  std::unique_ptr<citations::CitationBook> citations_;
  std::unique_ptr<billing::UtilityBook> billing_;
  std::unique_ptr<citations::NoticeBook> citation_notices_;
  std::unique_ptr<citations::PlanBook> citation_plans_;
};

}  // namespace civicdesk
