// Boots and tows of scofflaw plates (citations/boot_book.h): record one placed, list them by
// status, and release one — refused (422, field "citations") with the count and amount still
// owed until every counting citation of the plate is paid or on a plan. Both writes are a
// CSR's or supervisor's (citation.write); neither moves money, so neither takes an
// Idempotency-Key (a release is written once; a repeat is a 409).
#include "citations/boot_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

citations::BootBook book(App& app) {
  return citations::BootBook(app.db(), app.citations(), app.clock(), app.ledger().today());
}

json::object boot_json(const citations::BootRecord& b) {
  auto opt = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  return json::object{{"id", b.id},
                      {"plate_state", b.plate_state},
                      {"plate", b.plate},
                      {"kind", b.kind},
                      {"status", b.active() ? "active" : "released"},
                      {"placed_on", b.placed_on},
                      {"placed_by", b.placed_by},
                      {"note", b.note},
                      {"released_on", opt(b.released_on)},
                      {"released_by", opt(b.released_by)},
                      {"release_reason", opt(b.release_reason)}};
}

Result<citations::BootPlacement> parse_placement(const json::object& o) {
  CD_TRY(only_fields(o, {"plate_state", "plate", "kind", "placed_on", "note"}));
  citations::BootPlacement in;
  CD_ASSIGN(in.plate_state, string_field(o, "plate_state"));
  CD_ASSIGN(in.plate, string_field(o, "plate"));
  CD_ASSIGN(in.kind, string_field(o, "kind"));
  CD_ASSIGN(in.placed_on, string_field(o, "placed_on", false));
  CD_ASSIGN(in.note, string_field(o, "note", false));
  return in;
}

Response place(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_placement, [&](const citations::BootPlacement& in) {
    auto b = book(app).place(ctx.actor, in);
    return b ? json_response(201, boot_json(*b)) : error_response(b.error());
  });
}

Response release(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto b = book(app).release(ctx.actor, *id);
  return b ? json_response(200, boot_json(*b)) : error_response(b.error());
}

Response get_boot(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto b = book(app).boot(*id);
  return b ? json_response(200, boot_json(*b)) : error_response(b.error());
}

Response list_boots(App& app, RequestContext& ctx) {
  auto list = book(app).boots(ctx.request.query_param("status"));
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& b : *list) items.push_back(boot_json(b));
  return json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void add_citation_boot_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn) {
    r.add(Route{method, path, Access::kPermission, perm, bind(fn)});
  };
  add("POST", "/api/v1/citations/scofflaws/boots", "citation.write", place);
  add("GET", "/api/v1/citations/scofflaws/boots", "citation.read", list_boots);
  add("GET", "/api/v1/citations/scofflaws/boots/{id}", "citation.read", get_boot);
  add("POST", "/api/v1/citations/scofflaws/boots/{id}/release", "citation.write", release);
}

}  // namespace civicdesk::http
