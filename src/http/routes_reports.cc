// Reports: a party's statement (JSON or PDF), aging, trial balance, the day's journal as CSV.
// Money is a decimal string in JSON, as everywhere in the API. Dates are the City's local dates;
// a missing date means today.
#include "http/api.h"
#include "http/json_util.h"
#include "reports/aging.h"
#include "reports/journal_export.h"
#include "reports/statement.h"
#include "reports/statement_pdf.h"
#include "reports/trial_balance.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

// A statement with no `from` covers the 30 days before `to`, inclusive.
constexpr int kDefaultStatementDays = 30;

std::string plain(Money m) {
  return format_plain(m);
}

Result<CivilDate> date_param(App& app, const Request& r, const std::string& name,
                             std::optional<CivilDate> fallback = std::nullopt) {
  std::string v = r.query_param(name);
  if (v.empty()) return fallback ? *fallback : app.ledger().today();
  return parse_date(v, name);
}

// PDFs open in the browser (staff print them from there); CSV files download.
Response attachment(std::string content_type, std::string filename, std::string body) {
  Response r;
  bool inline_view = content_type == "application/pdf";
  r.content_type = std::move(content_type);
  r.headers.emplace_back("Content-Disposition", std::string(inline_view ? "inline" : "attachment") +
                                                    "; filename=\"" + filename + "\"");
  r.body = std::move(body);
  return r;
}

json::object to_json(const reports::AgingBuckets& b) {
  json::object o;
  for (auto bucket : reports::kAgingBuckets) o[reports::bucket_key(bucket)] = plain(b.at(bucket));
  o["total"] = plain(b.total);
  return o;
}

json::object to_json(const reports::AgingRow& row) {
  json::object o{{"fund", row.fund}, {"fund_name", row.fund_name}};
  if (!row.kind.empty()) {
    o["kind"] = row.kind;
    o["kind_name"] = row.kind_name;
  }
  for (auto& [k, v] : to_json(row.buckets)) o[k] = v;
  return o;
}

json::object to_json(const reports::StatementLine& l) {
  return {{"date", l.posting_date.iso()},
          {"entry_id", l.entry_id},
          {"kind", l.kind},
          {"description", l.description},
          {"memo", l.memo},
          {"charges", plain(l.charges)},
          {"payments", plain(l.payments)},
          {"balance", plain(l.balance)}};
}

json::object to_json(const reports::Statement& s) {
  json::array address, entries;
  for (const auto& a : s.address_lines) address.push_back(json::string(a));
  for (const auto& l : s.lines) entries.push_back(to_json(l));
  return {
      {"city", s.city_name},
      {"party",
       json::object{{"id", s.party_id}, {"name", s.party_name}, {"address", std::move(address)}}},
      {"from", s.from.iso()},
      {"to", s.to.iso()},
      {"opening_balance", plain(s.opening_balance)},
      {"entries", std::move(entries)},
      {"total_charges", plain(s.total_charges)},
      {"total_payments", plain(s.total_payments)},
      {"closing_balance", plain(s.closing_balance)},
      {"closing_credit", plain(s.closing_credit)},
      {"aging", to_json(s.aging)}};
}

json::object to_json(const reports::FundTrialBalance& f) {
  json::array accounts;
  for (const auto& a : f.accounts)
    accounts.push_back(json::object{{"account", a.account},
                                    {"name", a.name},
                                    {"type", a.type},
                                    {"debits", plain(a.debits)},
                                    {"credits", plain(a.credits)},
                                    {"net", plain(a.net)}});
  return {{"fund", f.fund},
          {"name", f.name},
          {"accounts", std::move(accounts)},
          {"debits", plain(f.debits)},
          {"credits", plain(f.credits)},
          {"balanced", f.balanced()}};
}

Response statement(App& app, RequestContext& ctx) {
  auto id = int_param(ctx.request.path_params.at("id"), "id");
  if (!id) return error_response(id.error());
  auto to = date_param(app, ctx.request, "to");
  if (!to) return error_response(to.error());
  auto from = date_param(app, ctx.request, "from", to->plus_days(-kDefaultStatementDays));
  if (!from) return error_response(from.error());
  std::string format = ctx.request.query_param("format", "json");
  if (format != "json" && format != "pdf")
    return error_response(Error::invalid("format", "format must be json or pdf"));
  auto s = reports::statement(app.db(), app.city(), *id, *from, *to, app.ledger().today());
  if (!s) return error_response(s.error());
  if (format == "json") return json_response(200, to_json(*s));
  auto pdf = reports::statement_pdf(*s);
  if (!pdf) return error_response(pdf.error());
  return attachment("application/pdf",
                    "statement-" + std::to_string(*id) + "-" + to->iso() + ".pdf", *pdf);
}

Response aging(App& app, RequestContext& ctx) {
  auto date = date_param(app, ctx.request, "date");
  if (!date) return error_response(date.error());
  auto report = reports::aging(app.db(), app.city(), *date, app.ledger().today());
  if (!report) return error_response(report.error());
  json::array rows, funds;
  for (const auto& r : report->rows) rows.push_back(to_json(r));
  for (const auto& r : report->fund_totals) funds.push_back(to_json(r));
  return json_response(200, json::object{{"as_of", date->iso()},
                                         {"rows", std::move(rows)},
                                         {"fund_totals", std::move(funds)},
                                         {"total", to_json(report->total)}});
}

Response trial_balance(App& app, RequestContext& ctx) {
  auto date = date_param(app, ctx.request, "date");
  if (!date) return error_response(date.error());
  auto tb = reports::trial_balance(app.db(), app.city(), *date, app.ledger().today());
  if (!tb) return error_response(tb.error());
  json::array funds;
  for (const auto& f : tb->funds) funds.push_back(to_json(f));
  return json_response(200, json::object{{"as_of", date->iso()},
                                         {"funds", std::move(funds)},
                                         {"debits", plain(tb->debits)},
                                         {"credits", plain(tb->credits)}});
}

Response journal(App& app, RequestContext& ctx) {
  auto date = date_param(app, ctx.request, "date");
  if (!date) return error_response(date.error());
  auto csv = reports::journal_csv(app.db(), *date);
  if (!csv) return error_response(csv.error());
  return attachment("text/csv; charset=utf-8", "journal-" + date->iso() + ".csv", std::move(*csv));
}

}  // namespace

void add_report_routes(Router& r, App& app) {
  auto bind = [&app](Response (*fn)(App&, RequestContext&)) {
    return [&app, fn](RequestContext& ctx) { return fn(app, ctx); };
  };
  r.add({"GET", "/api/v1/parties/{id}/statement", Access::kPermission, "ledger.read",
         bind(statement)});
  r.add({"GET", "/api/v1/reports/aging", Access::kPermission, "report.read", bind(aging)});
  r.add({"GET", "/api/v1/reports/trial-balance", Access::kPermission, "report.read",
         bind(trial_balance)});
  r.add({"GET", "/api/v1/reports/journal", Access::kPermission, "report.read", bind(journal)});
}

}  // namespace civicdesk::http
