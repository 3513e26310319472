// Utility billing's API, part 2 (billing/bill_run.h): bill runs, bills with their explained
// lines and PDF, cancel/rebill, and the late-penalty job.
//
// Permissions: billing.read to look; billing.run (supervisors) to start a run, cancel, rebill
// and assess penalties. Every POST here moves money, so each needs an Idempotency-Key: a retry
// gets the first answer.
//
// Threading: a run is billed inside the request when the cycle has at most
// billing.inline_run_accounts accounts (seconds of work; unset: 5,000 on SQLite, 500 on
// PostgreSQL — billing_settings.h inline_run_limit). A bigger cycle's run is opened (202, status
// running) and billed by `civicdesk billing run` — the scheduler's job, which resumes exactly
// that run — rather than by a thread of the web server, whose requests must stay short and
// whose shutdown must not cut a run in the middle of nothing in particular. The run page
// polls GET /billing/runs/{id} either way.
#include <initializer_list>

#include "billing/bill_document.h"
#include "billing/bill_run.h"
#include "billing/meter.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

billing::BillRun bill_runs(App& app) {
  return billing::BillRun(app.db(), app.city(), app.clock(), app.time_zone(), app.ledger());
}

json::object run_json(const billing::BillRunView& v) {
  json::array exceptions;
  for (const auto& e : v.exception_list)
    exceptions.push_back(json::object{{"account_number", e.account_number},
                                      {"reason_code", e.reason_code},
                                      {"reason", e.reason}});
  return json::object{{"id", v.id},
                      {"cycle", v.cycle_code},
                      {"period_end", v.period_end.iso()},
                      {"bill_date", v.bill_date.iso()},
                      {"status", v.status},
                      {"accounts", v.accounts},
                      {"billed", v.billed},
                      {"exceptions", v.exceptions},
                      {"skipped", v.skipped},
                      {"done", v.done()},
                      {"total", format_plain(v.total)},
                      {"started_by", v.started_by},
                      {"exception_list", std::move(exceptions)}};
}

json::object bill_json(const billing::BillView& b) {
  json::array lines;
  for (const auto& l : b.lines)
    lines.push_back(json::object{{"line_no", l.line_no},
                                 {"service", l.service},
                                 {"component", l.component},
                                 {"description", l.description},
                                 {"amount", format_plain(l.amount)},
                                 {"revenue_account", l.revenue_account},
                                 {"explanation", l.explanation},
                                 {"read_ids", l.read_ids}});
  return json::object{{"id", b.id},
                      {"account_number", b.account_number},
                      {"run_id", opt_int(b.run_id)},
                      {"kind", b.kind},
                      {"period_from", b.period_from.iso()},
                      {"period_to", b.period_to.iso()},
                      {"days", b.days},
                      {"usage_ccf", billing::format_ccf(b.usage_mccf)},
                      {"bill_date", b.bill_date.iso()},
                      {"due_date", b.due_date.iso()},
                      {"obligation_id", opt_int(b.obligation_id)},
                      {"total", format_plain(b.total)},
                      {"previous_balance", format_plain(b.previous_balance)},
                      {"balance", format_plain(b.balance)},
                      {"status", b.status},
                      {"estimated", b.estimated},
                      {"rebill_of", opt_int(b.rebill_of)},
                      {"cancel_reason", b.cancel_reason},
                      {"cancelled_by", b.cancelled_by},
                      {"lines", std::move(lines)},
                      {"pdf", "/api/v1/billing/bills/" + std::to_string(b.id) + "/pdf"}};
}

Response start_run(App& app, RequestContext& ctx) {
  return with_body(
      ctx,
      [](const json::object& o) -> Result<std::pair<std::string, std::string>> {
        CD_ASSIGN(auto cycle, string_field(o, "cycle"));
        CD_ASSIGN(auto end, string_field(o, "period_end"));
        return std::pair{cycle, end};
      },
      [&](const std::pair<std::string, std::string>& in) {
        auto runs = bill_runs(app);
        auto opened = runs.open_run(ctx.actor, in.first, in.second);
        if (!opened) return error_response(opened.error());
        const int inline_limit = billing::inline_run_limit(
            app.city().billing.runs, app.db().dialect() == store::Dialect::kPostgres);
        if (opened->accounts > inline_limit) return json_response(202, run_json(*opened));
        auto done = runs.resume_run(ctx.actor, opened->id);
        if (!done) return error_response(done.error());
        return json_response(201, run_json(*done));
      });
}

Response list_runs(App& app, RequestContext&) {
  auto runs = bill_runs(app).runs();
  if (!runs) return error_response(runs.error());
  json::array out;
  for (const auto& v : *runs) out.push_back(run_json(v));
  return json_response(200, json::object{{"runs", std::move(out)}});
}

Response get_run(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto v = bill_runs(app).run(*id, true);
  if (!v) return error_response(v.error());
  return json_response(200, run_json(*v));
}

Response account_bills(App& app, RequestContext& ctx) {
  auto number = path_id(ctx, "number");
  if (!number) return error_response(number.error());
  auto bills = bill_runs(app).bills_of(*number);
  if (!bills) return error_response(bills.error());
  json::array out;
  for (const auto& b : *bills) out.push_back(bill_json(b));
  return json_response(200, json::object{{"bills", std::move(out)}});
}

Response get_bill(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto b = bill_runs(app).bill(*id);
  if (!b) return error_response(b.error());
  return json_response(200, bill_json(*b));
}

Response with_reason(RequestContext& ctx,
                     const std::function<Response(std::int64_t, const std::string&)>& act) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(
      ctx, [](const json::object& o) { return string_field(o, "reason"); },
      [&](const std::string& reason) { return act(*id, reason); });
}

Response cancel_bill(App& app, RequestContext& ctx) {
  return with_reason(ctx, [&](std::int64_t id, const std::string& reason) {
    auto b = bill_runs(app).cancel_bill(ctx.actor, id, reason);
    if (!b) return error_response(b.error());
    return json_response(200, bill_json(*b));
  });
}

Response rebill(App& app, RequestContext& ctx) {
  return with_reason(ctx, [&](std::int64_t id, const std::string& reason) {
    auto bills = bill_runs(app).rebill(ctx.actor, id, reason);
    if (!bills) return error_response(bills.error());
    json::array out;
    for (const auto& b : *bills) out.push_back(bill_json(b));
    return json_response(201, json::object{{"bills", std::move(out)}});
  });
}

Response bill_pdf(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto doc = bill_runs(app).document(*id);
  if (!doc) return error_response(doc.error());
  auto pdf = billing::render_bill_pdf(*doc);
  if (!pdf) return error_response(pdf.error());
  Response r;
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"bill-" + std::to_string(*id) + ".pdf\"");
  r.body = std::move(*pdf);
  return r;
}

Response assess_penalties(App& app, RequestContext& ctx) {
  return with_body(
      ctx, [](const json::object& o) { return string_field(o, "date"); },
      [&](const std::string& date) {
        auto r = bill_runs(app).assess_penalties(ctx.actor, date);
        if (!r) return error_response(r.error());
        return json_response(200, json::object{{"as_of", r->as_of.iso()},
                                               {"assessed", r->assessed},
                                               {"skipped_dispute", r->skipped_dispute},
                                               {"skipped_arrangement", r->skipped_arrangement},
                                               {"total", format_plain(r->total)}});
      });
}

}  // namespace

void add_billing_run_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn) {
    Route route{method, path, Access::kPermission, perm, bind(fn)};
    route.idempotent = std::string_view(method) == "POST";  // every POST here moves money
    r.add(std::move(route));
  };
  add("POST", "/api/v1/billing/runs", "billing.run", start_run);
  add("GET", "/api/v1/billing/runs", "billing.read", list_runs);
  add("GET", "/api/v1/billing/runs/{id}", "billing.read", get_run);
  add("GET", "/api/v1/billing/accounts/{number}/bills", "billing.read", account_bills);
  add("GET", "/api/v1/billing/bills/{id}", "billing.read", get_bill);
  add("POST", "/api/v1/billing/bills/{id}/cancel", "billing.run", cancel_bill);
  add("POST", "/api/v1/billing/bills/{id}/rebill", "billing.run", rebill);
  add("GET", "/api/v1/billing/bills/{id}/pdf", "billing.read", bill_pdf);
  add("POST", "/api/v1/billing/penalties", "billing.run", assess_penalties);
}

}  // namespace civicdesk::http
