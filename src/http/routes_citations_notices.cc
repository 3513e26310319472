// Delinquency notices' print batches (citations/notice_book.h): print the batch of a date (the
// same batch again when the date was printed before), list the batches, read one with its
// notices, and download its letters as one PDF. Printing is part of the nightly run, so it
// needs citation.escalate; reading needs citation.read. Printing moves no money and is
// idempotent by its date, so it takes no Idempotency-Key.
#include "citations/notice_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

json::object notice_json(const citations::NoticeRecord& n) {
  json::array address;
  for (const auto& l : n.address_lines) address.push_back(json::value(l));
  auto opt = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  return json::object{
      {"id", n.id},
      {"citation_number", n.citation_number},
      {"step", n.step_number},
      {"kind", n.kind},
      {"status", n.status},
      {"notice_on", n.notice_on},
      {"addressee_party_id",
       n.addressee_party_id ? json::value(n.addressee_party_id) : json::value(nullptr)},
      {"addressee_name", n.addressee_name},
      {"address_lines", std::move(address)},
      {"fine", format_plain(n.fine)},
      {"penalties", format_plain(n.penalties)},
      {"amount_due", format_plain(n.amount_due)},
      {"review_deadline", n.review_deadline},
      {"batch_id", n.batch_id ? json::value(n.batch_id) : json::value(nullptr)},
      {"mailed_on", opt(n.mailed_on)},
      {"note", n.note}};
}

json::object batch_json(const citations::NoticeBatch& b, bool with_notices) {
  json::object o{{"id", b.id},
                 {"batch_on", b.batch_on},
                 {"notice_count", b.notice_count},
                 {"total_due", format_plain(b.total_due)},
                 {"held_count", b.held_count},
                 {"printed_by", b.created_by_name},
                 {"pdf", "/api/v1/citations/notices/batches/" + std::to_string(b.id) + "/pdf"}};
  if (with_notices) {
    json::array notices;
    for (const auto& n : b.notices) notices.push_back(notice_json(n));
    o["notices"] = std::move(notices);
  }
  return o;
}

Response print_batch(App& app, RequestContext& ctx) {
  auto parse = [&](const json::object& o) -> Result<CivilDate> {
    CD_TRY(only_fields(o, {"date"}));
    CD_ASSIGN(auto text, string_field(o, "date", false));
    if (text.empty()) return app.ledger().today();
    return parse_date(text, "date");
  };
  return with_body(ctx, parse, [&](const CivilDate& on) {
    auto b = app.citation_notices().print_batch(ctx.actor, on, app.ledger().today());
    if (!b) return error_response(b.error());
    return json_response(b->already_printed ? 200 : 201, batch_json(*b, true));
  });
}

Response list_batches(App& app, RequestContext&) {
  auto list = app.citation_notices().batches();
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& b : *list) items.push_back(batch_json(b, false));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response get_batch(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto b = app.citation_notices().batch(*id);
  if (!b) return error_response(b.error());
  return json_response(200, batch_json(*b, true));
}

Response batch_pdf(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto b = app.citation_notices().batch(*id);
  if (!b) return error_response(b.error());
  auto pdf = app.citation_notices().batch_pdf(*id);
  if (!pdf) return error_response(pdf.error());
  Response r;
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"notices-" + b->batch_on + ".pdf\"");
  r.body = std::move(*pdf);
  return r;
}

}  // namespace

void add_citation_notice_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn) {
    r.add(Route{method, path, Access::kPermission, perm, bind(fn)});
  };
  add("POST", "/api/v1/citations/notices/batches", "citation.escalate", print_batch);
  add("GET", "/api/v1/citations/notices/batches", "citation.read", list_batches);
  add("GET", "/api/v1/citations/notices/batches/{id}", "citation.read", get_batch);
  add("GET", "/api/v1/citations/notices/batches/{id}/pdf", "citation.read", batch_pdf);
}

}  // namespace civicdesk::http
