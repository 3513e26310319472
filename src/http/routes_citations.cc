// Parking citations' API (citations/citation_book.h): lookup by plate and by number, manual
// entry, issuance file imports, void, contest (review request), decision, hearing, the nightly
// escalation and the scofflaw list. Creating citations, voiding, deciding and escalating move
// money in the ledger: those routes are idempotent (Idempotency-Key required).
#include <algorithm>
#include <initializer_list>

#include "citations/citation_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/ledger_json.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using citations::Citation;
using Fn = Response (*)(App&, RequestContext&);

json::object to_json(const Citation& ct, bool full) {
  const auto& r = ct.record;
  std::string issued_time;
  if (r.issued_minute) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", *r.issued_minute / 60, *r.issued_minute % 60);
    issued_time = buf;
  }
  json::object o{
      {"number", r.citation_number},
      {"status", std::string(citations::to_string(ct.state.status))},
      {"dmv_hold", ct.state.dmv_hold},
      {"issued_on", r.issued_on.iso()},
      {"issued_time", opt_text(issued_time)},
      {"location", r.location},
      {"violation_code", r.violation_code},
      {"fine", format_plain(ct.fine)},
      {"penalties", format_plain(ct.penalties)},
      {"amount_due", format_plain(ct.amount_due)},
      {"plate", r.plate},
      {"plate_state", r.plate_state},
      {"make", r.make},
      {"color", r.color},
      {"vin", opt_text(r.vin)},
      {"officer_id", opt_text(r.officer_id)},
      {"device_id", opt_text(r.device_id)},
      {"notes", r.notes},
      {"owner_party_id", ct.owner_party_id ? json::value(ct.owner_party_id) : json::value(nullptr)},
      {"obligation_id", ct.obligation_id},
      {"next_step_due_on", opt_date(ct.next_step_due_on)},
      {"notice_mailed_on", opt_date(ct.notice_mailed_on)},
      {"decision_on", opt_date(ct.decision_on)},
      {"hearing_on", opt_date(ct.hearing_on)},
      {"source", ct.source}};
  if (!full) return o;
  json::array events;
  for (const auto& e : ct.events)
    events.push_back(json::object{{"event", e.event},
                                  {"from_status", e.from_status},
                                  {"to_status", e.to_status},
                                  {"dmv_hold", e.dmv_hold},
                                  {"on", e.event_on},
                                  {"reason", e.reason},
                                  {"by", e.actor_name},
                                  {"approved_by", opt_text(e.approved_by_name)}});
  json::array steps;
  for (const auto& s : ct.steps)
    steps.push_back(json::object{
        {"step", s.number},
        {"kind", s.kind},
        {"name", s.name},
        {"due_on", s.due_on},
        {"posted_on", s.posted_on},
        {"amount", format_plain(s.amount)},
        {"obligation_id", s.obligation_id ? json::value(s.obligation_id) : json::value(nullptr)},
        {"without_effect", s.without_effect},
        {"note", s.note}});
  json::array deadlines;
  for (const auto& d : ct.deadlines)
    deadlines.push_back(
        json::object{{"name", d.name}, {"last_day", d.last_day}, {"description", d.description}});
  o["events"] = std::move(events);
  o["steps"] = std::move(steps);
  o["deadlines"] = std::move(deadlines);
  json::array notices;  // the delinquency notices (notice_book.h), oldest first
  for (const auto& n : ct.notices)
    notices.push_back(
        json::object{{"id", n.id},
                     {"step", n.step_number},
                     {"kind", n.kind},
                     {"status", n.status},
                     {"notice_on", n.notice_on},
                     {"addressee_name", n.addressee_name},
                     {"amount_due", format_plain(n.amount_due)},
                     {"review_deadline", n.review_deadline},
                     {"batch_id", n.batch_id ? json::value(n.batch_id) : json::value(nullptr)},
                     {"mailed_on", opt_text(n.mailed_on)},
                     {"note", n.note}});
  o["notices"] = std::move(notices);
  o["owner"] =
      ct.dmv.owner_party_id
          ? json::value(json::object{{"id", ct.dmv.owner_party_id}, {"name", ct.dmv.owner_name}})
          : json::value(nullptr);
  json::array hold_files;  // the DMV hold files that placed and released its holds
  for (const auto& h : ct.dmv.hold_files)
    hold_files.push_back(
        json::object{{"action", h.action}, {"file_id", h.file_id}, {"date", h.file_date}});
  o["dmv_hold_files"] = std::move(hold_files);
  return o;
}

json::array problems(const std::vector<citations::LineProblem>& list) {
  json::array out;
  for (const auto& p : list)
    out.push_back(json::object{{"line", p.line},
                               {"field", p.field},
                               {"message", p.message},
                               {"citation_number", opt_text(p.citation_number)}});
  return out;
}

Response respond(int status, const Result<Citation>& ct) {
  return ct ? json_response(status, to_json(*ct, true)) : error_response(ct.error());
}

// The queues' filters (citation_book.h CitationQuery): status=a,b  hearing_from= hearing_to=
// owner=  limit=  offset=.
Result<citations::CitationQuery> parse_query(const Request& request) {
  citations::CitationQuery q;
  std::string statuses = request.query_param("status");
  for (std::size_t begin = 0; begin < statuses.size();) {
    std::size_t end = std::min(statuses.find(',', begin), statuses.size());
    std::string one = statuses.substr(begin, end - begin);
    if (!one.empty()) {
      CD_ASSIGN(auto s, citations::parse_citation_status(one, "status"));
      q.statuses.push_back(s);
    }
    begin = end + 1;
  }
  if (auto t = request.query_param("hearing_from"); !t.empty()) {
    CD_ASSIGN(q.hearing_from, parse_date(t, "hearing_from"));
  }
  if (auto t = request.query_param("hearing_to"); !t.empty()) {
    CD_ASSIGN(q.hearing_to, parse_date(t, "hearing_to"));
  }
  if (auto t = request.query_param("owner"); !t.empty()) {
    CD_ASSIGN(q.owner_party_id, int_param(t, "owner"));
  }
  if (auto t = request.query_param("limit"); !t.empty()) {
    CD_ASSIGN(q.limit, int_param(t, "limit"));
  }
  if (auto t = request.query_param("offset"); !t.empty()) {
    CD_ASSIGN(q.offset, int_param(t, "offset"));
  }
  return q;
}

Response list_queue(App& app, RequestContext& ctx) {
  auto q = parse_query(ctx.request);
  if (!q) return error_response(q.error());
  auto page = app.citations().list(*q);
  if (!page) return error_response(page.error());
  json::array items;
  for (const auto& ct : page->items) {
    auto o = to_json(ct, false);
    o["contest_requested_on"] = opt_date(ct.contest_requested_on);
    items.push_back(std::move(o));
  }
  return json_response(
      200, json::object{{"items", std::move(items)},
                        {"next_offset",
                         page->more ? json::value(q->offset + q->limit) : json::value(nullptr)}});
}

// By plate (the lookup: every citation of a plate with the total due), else the queues' filters.
Response list_citations(App& app, RequestContext& ctx) {
  if (ctx.request.query_param("plate").empty()) return list_queue(app, ctx);
  auto list =
      app.citations().by_plate(ctx.request.query_param("state"), ctx.request.query_param("plate"));
  if (!list) return error_response(list.error());
  json::array items;
  Money total;
  for (const auto& ct : *list) {
    items.push_back(to_json(ct, false));
    if (auto t = total.add(ct.amount_due)) total = *t;
  }
  return json_response(
      200, json::object{{"items", std::move(items)}, {"total_due", format_plain(total)}});
}

Response get_citation(App& app, RequestContext& ctx) {
  return respond(200, app.citations().citation(ctx.request.path_params.at("number")));
}

Result<citations::CitationInput> parse_input(const json::object& o) {
  CD_TRY(
      only_fields(o, {"number", "issued_at", "location", "violation_code", "fine", "plate",
                      "plate_state", "make", "color", "vin", "officer_id", "device_id", "notes"}));
  citations::CitationInput in;
  CD_ASSIGN(in.number, string_field(o, "number"));
  CD_ASSIGN(in.issued_at, string_field(o, "issued_at"));
  CD_ASSIGN(in.location, string_field(o, "location", false));
  CD_ASSIGN(in.violation_code, string_field(o, "violation_code"));
  if (auto* v = o.if_contains("fine"); v && !v->is_null()) {
    CD_ASSIGN(in.fine, money_field(o, "fine"));
  }
  CD_ASSIGN(in.plate, string_field(o, "plate", false));
  CD_ASSIGN(in.plate_state, string_field(o, "plate_state", false));
  CD_ASSIGN(in.make, string_field(o, "make", false));
  CD_ASSIGN(in.color, string_field(o, "color", false));
  CD_ASSIGN(in.vin, string_field(o, "vin", false));
  CD_ASSIGN(in.officer_id, string_field(o, "officer_id", false));
  CD_ASSIGN(in.device_id, string_field(o, "device_id", false));
  CD_ASSIGN(in.notes, string_field(o, "notes", false));
  return in;
}

Response create_citation(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_input, [&](const citations::CitationInput& in) {
    return respond(201, app.citations().create(ctx.actor, in));
  });
}

Response import_citations(App& app, RequestContext& ctx) {
  std::string content;
  std::string format = ctx.request.query_param("format");
  if (ctx.request.header("Content-Type").starts_with("text/plain")) {
    content = ctx.request.body;
  } else {
    auto body = json_body(ctx.request);
    if (!body) return error_response(body.error());
    if (auto ok = only_fields(*body, {"content", "format"}); !ok) return error_response(ok.error());
    auto c = string_field(*body, "content");
    if (!c) return error_response(c.error());
    content = std::move(*c);
    auto f = string_field(*body, "format", false);
    if (!f) return error_response(f.error());
    if (!f->empty()) format = *f;
  }
  auto fmt = citations::parse_issuance_format(format);
  if (!fmt) return error_response(fmt.error());
  auto r = app.citations().import_issuance(ctx.actor, content, *fmt);
  if (!r) return error_response(r.error());
  return json_response(r->already_imported ? 200 : 201,
                       json::object{{"id", r->id},
                                    {"rows", r->rows},
                                    {"accepted", r->accepted},
                                    {"created", r->created},
                                    {"skipped", r->skipped},
                                    {"refused_count", static_cast<std::int64_t>(r->refused.size())},
                                    {"created_total", format_plain(r->created_total)},
                                    {"already_imported", r->already_imported},
                                    {"refused", problems(r->refused)},
                                    {"warnings", problems(r->warnings)}});
}

struct ReasonBody {
  std::string reason, requested_by, date;
};

Response void_citation(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<ReasonBody> {
    CD_TRY(only_fields(o, {"reason", "requested_by"}));
    ReasonBody b;
    CD_ASSIGN(b.reason, string_field(o, "reason", false));
    CD_ASSIGN(b.requested_by, string_field(o, "requested_by"));
    return b;
  };
  return with_body(ctx, parse, [&](const ReasonBody& b) {
    return respond(200,
                   app.citations().void_citation(ctx.actor, ctx.request.path_params.at("number"),
                                                 b.reason, b.requested_by));
  });
}

Response contest(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<ReasonBody> {
    CD_TRY(only_fields(o, {"reason", "requested_on"}));
    ReasonBody b;
    CD_ASSIGN(b.reason, string_field(o, "reason", false));
    CD_ASSIGN(b.date, string_field(o, "requested_on", false));
    return b;
  };
  return with_body(ctx, parse, [&](const ReasonBody& b) {
    return respond(200, app.citations().request_review(
                            ctx.actor, ctx.request.path_params.at("number"), b.reason, b.date));
  });
}

Response decision(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<citations::DecisionInput> {
    CD_TRY(only_fields(o, {"outcome", "reason", "reduced_fine", "decided_on"}));
    citations::DecisionInput in;
    CD_ASSIGN(in.outcome, string_field(o, "outcome"));
    CD_ASSIGN(in.reason, string_field(o, "reason"));
    if (auto* v = o.if_contains("reduced_fine"); v && !v->is_null()) {
      CD_ASSIGN(in.reduced_fine, money_field(o, "reduced_fine"));
    }
    CD_ASSIGN(in.decided_on, string_field(o, "decided_on", false));
    return in;
  };
  return with_body(ctx, parse, [&](const citations::DecisionInput& in) {
    return respond(200,
                   app.citations().decide(ctx.actor, ctx.request.path_params.at("number"), in));
  });
}

struct HearingBody {
  std::string action, reason, date;
};

Response hearing(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<HearingBody> {
    CD_TRY(only_fields(o, {"action", "reason", "requested_on", "hearing_on"}));
    HearingBody b;
    CD_ASSIGN(b.action, string_field(o, "action"));
    CD_ASSIGN(b.reason, string_field(o, "reason", false));
    if (b.action == "request") {
      CD_ASSIGN(b.date, string_field(o, "requested_on", false));
    } else if (b.action == "court_appeal") {
      CD_ASSIGN(b.date, string_field(o, "requested_on", false));
    } else if (b.action == "schedule") {
      CD_ASSIGN(b.date, string_field(o, "hearing_on"));
    } else {
      return fail(Error::invalid("action", "action is request, schedule or court_appeal"));
    }
    return b;
  };
  return with_body(ctx, parse, [&](const HearingBody& b) {
    const std::string& number = ctx.request.path_params.at("number");
    if (b.action == "request")
      return respond(200, app.citations().request_hearing(ctx.actor, number, b.reason, b.date));
    if (b.action == "court_appeal")
      return respond(200, app.citations().note_court_appeal(ctx.actor, number, b.reason, b.date));
    return respond(200, app.citations().schedule_hearing(ctx.actor, number, b.date));
  });
}

Response escalate(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<CivilDate> {
    CD_TRY(only_fields(o, {"as_of"}));
    CD_ASSIGN(auto text, string_field(o, "as_of"));
    return parse_date(text, "as_of");
  };
  return with_body(ctx, parse, [&](const CivilDate& as_of) {
    if (as_of > app.ledger().today())
      return error_response(Error::invalid("as_of", "the escalation runs for today or earlier"));
    // Plans first (plan_book.h): a plan that broke today lets its citations escalate tonight.
    auto plans = app.citation_plans().check_plans(ctx.actor, as_of);
    if (!plans) return error_response(plans.error());
    auto r = app.citations().escalate(ctx.actor, as_of);
    if (!r) return error_response(r.error());
    return json_response(200,
                         json::object{{"as_of", r->as_of.iso()},
                                      {"citations_examined", r->citations_examined},
                                      {"steps_posted", r->steps_posted},
                                      {"penalties_posted", r->penalties_posted},
                                      {"penalty_total", format_plain(r->penalty_total)},
                                      {"marked_paid", r->marked_paid},
                                      {"plans_kept", plans->kept},
                                      {"plans_defaulted", plans->defaulted},
                                      {"late_fees_reinstated", format_plain(plans->reinstated)}});
  });
}

Response scofflaws(App& app, RequestContext&) {
  auto list = app.citations().scofflaws();
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& e : *list) {
    json::array numbers;
    for (const auto& n : e.citation_numbers) numbers.push_back(json::value(n));
    items.push_back(json::object{{"plate_state", e.plate_state},
                                 {"plate", e.plate},
                                 {"delinquent_citations", e.delinquent_citations},
                                 {"total_due", format_plain(e.total_due)},
                                 {"citation_numbers", std::move(numbers)}});
  }
  return json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void add_citation_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn, bool idem) {
    Route route{method, path, Access::kPermission, perm, bind(fn)};
    route.idempotent = idem;
    r.add(std::move(route));
  };
  add("GET", "/api/v1/citations", "citation.read", list_citations, false);
  add("POST", "/api/v1/citations", "citation.write", create_citation, true);
  add("GET", "/api/v1/citations/scofflaws", "citation.read", scofflaws, false);
  Route imports{"POST", "/api/v1/citations/imports", Access::kPermission, "citation.write",
                bind(import_citations)};
  imports.idempotent = true;
  imports.accepts_text = true;  // the device file as it came
  r.add(std::move(imports));
  // The nightly run posts penalties across every open citation: supervisors only.
  add("POST", "/api/v1/citations/escalations", "citation.escalate", escalate, true);
  add("GET", "/api/v1/citations/{number}", "citation.read", get_citation, false);
  add("POST", "/api/v1/citations/{number}/void", "citation.write", void_citation, true);
  add("POST", "/api/v1/citations/{number}/contest", "citation.write", contest, false);
  add("POST", "/api/v1/citations/{number}/decision", "citation.decide", decision, true);
  add("POST", "/api/v1/citations/{number}/hearing", "citation.write", hearing, false);
}

}  // namespace civicdesk::http
