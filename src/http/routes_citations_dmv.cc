// The DMV exchange's API (citations/dmv_book.h, docs/formats/dmv-exchange.md): write the day's
// registered-owner request file and the registration-hold file (a rerun for a date returns the
// same file), read a response file (text/plain as the DMV sent it, or JSON {content}), and the
// history of files exchanged. All need citation.dmv. Reading a response moves citations' money
// to their owners: that route is idempotent (Idempotency-Key required); writing a file for a
// date is idempotent by the date itself.
#include "citations/dmv_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

citations::DmvExchange exchange(App& app) {
  return citations::DmvExchange(app.db(), app.ledger(), app.parties(), app.city(), app.clock());
}

json::object summary_json(const citations::DmvFileSummary& s) {
  json::object o{{"id", s.id},
                 {"kind", s.kind},
                 {"date", s.file_date},
                 {"records", s.records},
                 {"created_by", s.created_by},
                 {"created_us", s.created_us}};
  if (s.kind == "response") {
    o["found"] = s.found;
    o["not_found"] = s.not_found;
    o["confidential"] = s.confidential;
    o["out_of_state"] = s.out_of_state;
    o["matched"] = s.matched;
    o["created"] = s.created;
    o["citations"] = s.citations;
    o["problem_count"] = s.problems;
  } else if (s.kind == "holds") {
    o["placed"] = s.placed;
    o["released"] = s.released;
  }
  return o;
}

json::object file_json(const citations::DmvFileResult& f) {
  json::object o = summary_json(f.summary);
  o["content"] = f.content;
  o["already_written"] = f.already_written;
  return o;
}

// {"as_of": "YYYY-MM-DD"}: today or earlier.
Result<CivilDate> parse_as_of(App& app, const json::object& o) {
  CD_TRY(only_fields(o, {"as_of"}));
  CD_ASSIGN(auto text, string_field(o, "as_of"));
  CD_ASSIGN(auto d, parse_date(text, "as_of"));
  if (d > app.ledger().today())
    return fail(Error::invalid("as_of", "a DMV file is written for today or earlier"));
  return d;
}

template <class Write>
Response write_file(App& app, RequestContext& ctx, Write write) {
  return with_body(
      ctx, [&](const json::object& o) { return parse_as_of(app, o); },
      [&](const CivilDate& as_of) {
        auto f = write(as_of);
        return f ? json_response(200, file_json(*f)) : error_response(f.error());
      });
}

Response requests(App& app, RequestContext& ctx) {
  auto dmv = exchange(app);
  return write_file(app, ctx, [&](CivilDate d) { return dmv.write_owner_requests(ctx.actor, d); });
}

Response holds(App& app, RequestContext& ctx) {
  auto dmv = exchange(app);
  return write_file(app, ctx, [&](CivilDate d) { return dmv.write_hold_file(ctx.actor, d); });
}

Response responses(App& app, RequestContext& ctx) {
  std::string content;
  if (ctx.request.header("Content-Type").starts_with("text/plain")) {
    content = ctx.request.body;
  } else {
    auto body = json_body(ctx.request);
    if (!body) return error_response(body.error());
    if (auto known = only_fields(*body, {"content"}); !known) return error_response(known.error());
    auto c = string_field(*body, "content");
    if (!c) return error_response(c.error());
    content = std::move(*c);
  }
  auto r = exchange(app).read_owner_responses(ctx.actor, content);
  if (!r) return error_response(r.error());
  json::object o = summary_json(r->summary);
  json::array problems;
  for (const auto& p : r->problems)
    problems.push_back(json::object{{"line", p.line}, {"field", p.field}, {"message", p.message}});
  o["problems"] = std::move(problems);
  o["already_read"] = r->already_read;
  o["obligations_moved"] = r->obligations_moved;
  return json_response(r->already_read ? 200 : 201, o);
}

Response list_files(App& app, RequestContext&) {
  auto list = exchange(app).files();
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& s : *list) items.push_back(summary_json(s));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response get_file(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto f = exchange(app).file(*id);
  return f ? json_response(200, file_json(*f)) : error_response(f.error());
}

}  // namespace

void add_citation_dmv_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, Fn fn) {
    r.add(Route{method, path, Access::kPermission, "citation.dmv", bind(fn)});
  };
  add("POST", "/api/v1/citations/dmv/requests", requests);
  Route read{"POST", "/api/v1/citations/dmv/responses", Access::kPermission, "citation.dmv",
             bind(responses)};
  read.idempotent = true;    // moves citations' money to their owners
  read.accepts_text = true;  // the file as the DMV sent it
  r.add(std::move(read));
  add("POST", "/api/v1/citations/dmv/holds", holds);
  add("GET", "/api/v1/citations/dmv/files", list_files);
  add("GET", "/api/v1/citations/dmv/files/{id}", get_file);
}

}  // namespace civicdesk::http
