// Utility billing's API, part 3 (billing/notice_book.h): late and shut-off notice runs, their
// batches and PDF, an account's notice history and the field crews' shut-off list.
//
// Permissions: billing.run (supervisors) to run notices — it decides who is told their water
// will be shut off, so it takes an Idempotency-Key like the other billing jobs (a retry gets
// the first answer; the batch of a date is also idempotent by itself); billing.read to look.
#include "billing/notice_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

billing::NoticeBook notice_book(App& app) {
  return billing::NoticeBook(app.db(), app.city(), app.clock(), app.time_zone());
}

json::object batch_json(const billing::NoticeBatchView& v) {
  return json::object{{"id", v.id},
                      {"mailed_on", v.mailed_on.iso()},
                      {"status", v.status},
                      {"accounts", v.accounts},
                      {"late", v.late},
                      {"shutoff", v.shutoff},
                      {"notices", v.notices()},
                      {"skipped", json::object{{"no_shutoff", v.held_no_shutoff},
                                               {"in_dispute", v.held_in_dispute},
                                               {"payment_arrangement", v.held_payment_arrangement},
                                               {"below_minimum", v.held_below_minimum},
                                               {"account_closed", v.held_account_closed}}},
                      {"brought_current", v.brought_current},
                      {"created_by", v.created_by},
                      {"already_run", v.already_run},
                      {"pdf", "/api/v1/billing/notices/runs/" + std::to_string(v.id) + "/pdf"}};
}

json::object notice_json(const billing::BillNotice& n) {
  json::array items;
  for (const auto& i : n.items)
    items.push_back(json::object{{"bill_id", opt_int(i.bill_id)},
                                 {"description", i.description},
                                 {"due_date", i.due_date.iso()},
                                 {"amount", format_plain(i.amount)}});
  return json::object{{"id", n.id},
                      {"batch_id", n.batch_id},
                      {"kind", n.kind},
                      {"account_number", n.account_number},
                      {"bill_id", opt_int(n.bill_id)},
                      {"past_due", format_plain(n.past_due)},
                      {"delinquent_since", n.delinquent_since.iso()},
                      {"mailed_on", n.mailed_on.iso()},
                      {"shutoff_on", opt_date(n.shutoff_on)},
                      {"status", n.status},
                      {"closed_on", opt_text(n.closed_on)},
                      {"closed_reason", n.closed_reason},
                      {"items", std::move(items)}};
}

Response run_notices(App& app, RequestContext& ctx) {
  return with_body(
      ctx,
      [](const json::object& o) -> Result<std::string> {
        CD_TRY(only_fields(o, {"date"}));
        return string_field(o, "date");
      },
      [&](const std::string& date) {
        auto v = notice_book(app).run(ctx.actor, date);
        if (!v) return error_response(v.error());
        return json_response(v->already_run ? 200 : 201, batch_json(*v));
      });
}

Response list_runs(App& app, RequestContext&) {
  auto list = notice_book(app).batches();
  if (!list) return error_response(list.error());
  json::array out;
  for (const auto& v : *list) out.push_back(batch_json(v));
  return json_response(200, json::object{{"runs", std::move(out)}});
}

Response get_run(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto v = notice_book(app).batch(*id);
  if (!v) return error_response(v.error());
  return json_response(200, batch_json(*v));
}

Response run_pdf(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto pdf = notice_book(app).batch_pdf(*id);
  if (!pdf) return error_response(pdf.error());
  Response r;
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"notices-" + std::to_string(*id) + ".pdf\"");
  r.body = std::move(*pdf);
  return r;
}

Response account_notices(App& app, RequestContext& ctx) {
  auto number = path_id(ctx, "number");
  if (!number) return error_response(number.error());
  auto list = notice_book(app).notices_of(*number);
  if (!list) return error_response(list.error());
  json::array out;
  for (const auto& n : *list) out.push_back(notice_json(n));
  return json_response(200, json::object{{"notices", std::move(out)}});
}

Response shutoff_list(App& app, RequestContext& ctx) {
  const std::string format = ctx.request.query_param("format", "json");
  if (format != "json" && format != "csv")
    return error_response(Error::invalid("format", "must be json or csv"));
  auto book = notice_book(app);
  const std::string date = ctx.request.query_param("date");
  auto rows = book.shutoff_list(date);
  if (!rows) return error_response(rows.error());
  const std::string day = date.empty() ? book.today().iso() : date;
  if (format == "csv") {
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"shutoff-list-" + day + ".csv\"");
    r.body = billing::shutoff_list_csv(*rows);
    return r;
  }
  json::array out;
  for (const auto& s : *rows)
    out.push_back(json::object{{"notice_id", s.notice_id},
                               {"account_number", s.account_number},
                               {"customer_name", s.customer_name},
                               {"service_address", s.service_address},
                               {"meters", s.meters},
                               {"past_due", format_plain(s.past_due)},
                               {"delinquent_since", s.delinquent_since.iso()},
                               {"mailed_on", s.mailed_on.iso()},
                               {"shutoff_on", s.shutoff_on.iso()}});
  return json_response(200, json::object{{"date", day}, {"accounts", std::move(out)}});
}

}  // namespace

void add_billing_notice_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn) {
    Route route{method, path, Access::kPermission, perm, bind(fn)};
    route.idempotent = std::string_view(method) == "POST";
    r.add(std::move(route));
  };
  add("POST", "/api/v1/billing/notices/runs", "billing.run", run_notices);
  add("GET", "/api/v1/billing/notices/runs", "billing.read", list_runs);
  add("GET", "/api/v1/billing/notices/runs/{id}", "billing.read", get_run);
  add("GET", "/api/v1/billing/notices/runs/{id}/pdf", "billing.read", run_pdf);
  add("GET", "/api/v1/billing/accounts/{number}/notices", "billing.read", account_notices);
  add("GET", "/api/v1/billing/shutoff-list", "billing.read", shutoff_list);
}

}  // namespace civicdesk::http
