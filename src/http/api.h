// The JSON API under /api/v1 and the static web UI. `Api::handle` runs the whole pipeline for
// one request: route → session → permission → CSRF → handler → audit-safe error mapping.
// It never throws; a handler bug becomes a 500 with the request id.
#pragma once

#include <memory>

#include "app/app.h"
#include "http/router.h"

namespace civicdesk::http {

class Api {
 public:
  explicit Api(App& app);
  Response handle(Request& request);
  const Router& router() const { return router_; }
  // Cookie name: "__Host-civicdesk_session" with secure cookies, else "civicdesk_session".
  std::string cookie_name() const;

 private:
  Response dispatch(Request& request);
  Response run_idempotent(const Route& route, RequestContext& ctx);
  Response serve_static(const Request& request);

  App& app_;
  Router router_;
  std::string instance_;  // this process; an in-flight key of another (dead) instance is retaken
};

// Route tables, one per context (http/routes_*.cc).
void add_session_routes(Router& r, App& app, const std::string& cookie_name);
void add_party_routes(Router& r, App& app);
void add_admin_routes(Router& r, App& app);
void add_ledger_routes(Router& r, App& app);
void add_report_routes(Router& r, App& app);
void add_counter_routes(Router& r, App& app);
void add_mailroom_routes(Router& r, App& app);
void add_citation_routes(Router& r, App& app);
void add_billing_routes(Router& r, App& app);  // routes_billing.cc
void add_billing_run_routes(Router& r, App& app);  // routes_billing_runs.cc
void add_billing_rate_routes(Router& r, App& app);  // routes_billing_rates.cc (what-if)
void add_billing_notice_routes(Router& r, App& app);  // routes_billing_notices.cc
void add_billing_account_routes(Router& r, App& app);  // routes_billing_accounts.cc
void add_billing_route_admin_routes(Router& r, App& app);  // routes_billing_routes.cc
// The DMV exchange (routes_citations_dmv.cc), added before add_citation_routes like the others
// under /citations/.
void add_citation_dmv_routes(Router& r, App& app);
// Added before add_citation_routes: their literal paths (/citations/plans) must win over
// /citations/{number}, and the router takes the first match.
void add_citation_notice_routes(Router& r, App& app);  // routes_citations_notices.cc
void add_citation_plan_routes(Router& r, App& app);    // routes_citations_plans.cc
void add_citation_boot_routes(Router& r, App& app);    // routes_citations_boots.cc
void add_citation_letter_routes(Router& r, App& app);  // routes_citations_letters.cc

}  // namespace civicdesk::http
