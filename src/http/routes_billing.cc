// Utility billing's API, part 1 (billing/utility_book.h): premises, accounts with their
// services, meters and reads, the handheld route file, and the read exception queue. None of
// these routes moves money, so none needs an Idempotency-Key; a repeated route import is
// idempotent by itself (a read already stored is skipped).
//
// Permissions: billing.read to look; billing.write (CSR II and up) to open accounts, add and
// stop services, install and exchange meters; billing.reads (field technicians and CSRs) to
// enter and import reads and export routes; billing.exceptions (CSR III, supervisor) to resolve
// read exceptions.
#include <initializer_list>

#include "billing/utility_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/ledger_json.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

Result<std::int64_t> optional_int(const json::object& o, std::string_view key,
                                  std::int64_t fallback) {
  if (auto* v = o.if_contains(key); !v || v->is_null()) return fallback;
  return int_field(o, key);
}

Result<bool> flag(const json::object& o, std::string_view key) {
  CD_ASSIGN(auto v, bool_field(o, key));
  return v.value_or(false);
}

json::object to_json(const billing::Premise& p) {
  return json::object{{"id", p.id},
                      {"line1", p.line1},
                      {"line2", p.line2},
                      {"city", p.city},
                      {"state", p.state},
                      {"postal_code", p.postal_code},
                      {"address", billing::one_line(p)},
                      {"parcel_number", p.parcel_number},
                      {"premise_type", std::string(billing::to_string(p.type))},
                      {"dwelling_units", p.dwelling_units}};
}

json::object to_json(const billing::ReadRecord& r) {
  return json::object{{"id", r.id},
                      {"meter_serial", r.meter_serial},
                      {"read_on", r.read_on.iso()},
                      {"value", r.value},
                      {"kind", r.kind},
                      {"source", r.source},
                      {"status", r.status},
                      {"register_units", r.register_units},
                      {"usage_ccf", billing::format_ccf(r.usage_mccf)},
                      {"days", r.days},
                      {"rollover", r.rollover},
                      {"true_up", r.true_up},
                      {"check", r.check_code},
                      {"reader", r.reader},
                      {"note", r.note},
                      {"replaces_read_id", opt_int(r.replaces_read_id)},
                      {"entered_by", r.created_by}};
}

// What the check expected (stored with the exception, migration 017); null without history.
json::value expected_json(const std::optional<billing::ExpectedRange>& e) {
  if (!e) return nullptr;
  return json::object{{"expected_ccf", billing::format_ccf(e->expected_mccf)},
                      {"low_ccf", billing::format_ccf(e->low_mccf)},
                      {"high_ccf", billing::format_ccf(e->high_mccf)},
                      {"average_usage_ccf", billing::format_ccf(e->average.usage_mccf)},
                      {"average_days", e->average.days},
                      {"days", e->days},
                      {"text", billing::describe(*e)}};
}

json::object to_json(const billing::ReadExceptionView& v) {
  return json::object{{"id", v.id},
                      {"account_number", v.account_number},
                      {"party_name", v.party_name},
                      {"service_address", v.service_address},
                      {"code", v.code},
                      {"message", v.message},
                      {"status", v.status},
                      {"read", to_json(v.read)},
                      {"previous_value", v.previous_value},
                      {"previous_read_on", opt_date(v.previous_read_on)},
                      {"resolution_note", v.resolution_note},
                      {"resolved_by", v.resolved_by},
                      {"field_work_id", opt_int(v.field_work_id)},
                      {"expected", expected_json(v.expected)}};
}

json::object meter_json(const billing::InstalledMeter& im) {
  const auto& m = im.meter;
  const auto& i = im.install;
  return json::object{{"serial", m.serial},
                      {"size", m.size},
                      {"make", m.make},
                      {"dials", m.dials},
                      {"multiplier", m.multiplier},
                      {"unit", std::string(billing::to_string(m.unit))},
                      {"install_id", i.id},
                      {"installed_on", i.installed_on.iso()},
                      {"initial_read", i.initial_read},
                      {"removed_on", opt_date(i.removed_on)},
                      {"final_read", opt_int(i.final_read)},
                      {"current", !i.removed_on.has_value()}};
}

json::object service_json(const billing::Service& s, CivilDate today) {
  return json::object{{"id", s.id},
                      {"kind", std::string(billing::to_string(s.kind))},
                      {"rate_class", s.rate_class},
                      {"started_on", s.started_on.iso()},
                      {"stopped_on", opt_date(s.stopped_on)},
                      {"active", s.active_on(today)}};
}

json::object cart_json(const billing::RefuseCart& c) {
  return json::object{{"id", c.id},
                      {"size_gallons", c.size_gallons},
                      {"count", c.count},
                      {"pickups_per_week", c.pickups_per_week},
                      {"started_on", c.started_on.iso()},
                      {"stopped_on", opt_date(c.stopped_on)}};
}

json::object to_json(const billing::AccountView& v, CivilDate today) {
  const auto& a = v.account;
  json::array services, meters, carts, reads;
  for (const auto& s : v.services) services.push_back(service_json(s, today));
  for (const auto& m : v.meters) meters.push_back(meter_json(m));
  for (const auto& c : v.carts) carts.push_back(cart_json(c));
  for (const auto& r : v.recent_reads) reads.push_back(to_json(r));
  json::value mailing = nullptr;
  if (!a.mailing.empty())
    mailing = json::object{{"line1", a.mailing.line1},
                           {"line2", a.mailing.line2},
                           {"city", a.mailing.city},
                           {"state", a.mailing.state},
                           {"postal_code", a.mailing.postal_code}};
  const auto& u = v.average_daily_use;
  return json::object{
      {"number", a.number},
      {"ledger_account_ref", billing::ledger_account_ref(a.number)},
      {"party_id", a.party_id},
      {"party_name", v.party_name},
      {"status", std::string(billing::to_string(a.status))},
      {"opened_on", a.opened_on.iso()},
      {"closed_on", opt_date(a.closed_on)},
      {"cycle", v.cycle_code},
      {"route", v.route_code.empty() ? json::value(nullptr) : json::value(v.route_code)},
      {"route_sequence", v.route_sequence},
      {"premise", to_json(v.premise)},
      {"mailing", std::move(mailing)},
      {"deposit", format_plain(a.deposit)},
      {"flags", json::object{{"cash_only", a.flags.cash_only},
                             {"no_shutoff", a.flags.no_shutoff},
                             {"landlord", a.flags.landlord}}},
      {"holds", json::object{{"in_dispute", v.holds.in_dispute},
                             {"payment_arrangement", v.holds.payment_arrangement}}},
      {"services", std::move(services)},
      {"meters", std::move(meters)},
      {"refuse_carts", std::move(carts)},
      {"recent_reads", std::move(reads)},
      {"average_daily_use",
       json::object{
           {"usage_ccf", billing::format_ccf(u.usage_mccf)},
           {"days", u.days},
           {"ccf_per_day", u.days > 0 ? json::value(billing::format_ccf(static_cast<std::int64_t>(
                                            billing::divide_half_up(u.usage_mccf, u.days))))
                                      : json::value(nullptr)}}}};
}

Result<std::int64_t> account_number(RequestContext& ctx) {
  return path_id(ctx, "number");
}

Response account_response(App& app, int status, const Result<billing::AccountView>& v) {
  return v ? json_response(status, to_json(*v, app.billing().today())) : error_response(v.error());
}

// --- premises ----------------------------------------------------------------------------------

Response list_premises(App& app, RequestContext& ctx) {
  auto list = app.billing().find_premises(ctx.request.query_param("q"));
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& p : *list) items.push_back(to_json(p));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response create_premise(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<billing::Premise> {
    CD_TRY(only_fields(o, {"line1", "line2", "city", "state", "postal_code", "parcel_number",
                           "premise_type", "dwelling_units"}));
    billing::Premise p;
    CD_ASSIGN(p.line1, string_field(o, "line1"));
    CD_ASSIGN(p.line2, string_field(o, "line2", false));
    CD_ASSIGN(p.city, string_field(o, "city"));
    CD_ASSIGN(p.state, string_field(o, "state"));
    CD_ASSIGN(p.postal_code, string_field(o, "postal_code"));
    CD_ASSIGN(p.parcel_number, string_field(o, "parcel_number", false));
    CD_ASSIGN(auto type, string_field(o, "premise_type", false));
    if (!type.empty()) {
      CD_ASSIGN(p.type, billing::parse_premise_type(type));
    }
    CD_ASSIGN(auto units, optional_int(o, "dwelling_units", 1));
    if (units < 1 || units > 9999)
      return fail(Error::invalid("dwelling_units", "must be between 1 and 9999"));
    p.dwelling_units = static_cast<int>(units);
    return p;
  };
  return with_body(ctx, parse, [&](const billing::Premise& p) {
    auto made = app.billing().create_premise(ctx.actor, p);
    return made ? json_response(201, to_json(*made)) : error_response(made.error());
  });
}

// --- accounts ----------------------------------------------------------------------------------

Result<billing::AccountQuery> account_query(const RequestContext& ctx) {
  billing::AccountQuery q;
  CD_ASSIGN(q.number, query_int(ctx, "number"));
  CD_ASSIGN(q.party_id, query_int(ctx, "party_id"));
  q.address = ctx.request.query_param("address");
  q.name = ctx.request.query_param("name");
  CD_ASSIGN(auto limit, query_int(ctx, "limit", 1, billing::kMaxAccountsPerLookup));
  if (limit) q.limit = static_cast<int>(*limit);
  return q;
}

Response list_accounts(App& app, RequestContext& ctx) {
  auto q = account_query(ctx);
  if (!q) return error_response(q.error());
  auto list = app.billing().find_accounts(*q);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& a : *list)
    items.push_back(json::object{{"number", a.number},
                                 {"party_id", a.party_id},
                                 {"party_name", a.party_name},
                                 {"service_address", a.service_address},
                                 {"status", a.status},
                                 {"cycle", a.cycle_code}});
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response get_account(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  return account_response(app, 200, app.billing().account(*n));
}

Result<billing::MailingAddress> parse_mailing(const json::object& o) {
  billing::MailingAddress m;
  auto* v = o.if_contains("mailing");
  if (!v || v->is_null()) return m;
  if (!v->is_object()) return fail(Error::invalid("mailing", "must be an object"));
  const json::object& a = v->as_object();
  CD_TRY(only_fields(a, {"line1", "line2", "city", "state", "postal_code"}));
  CD_ASSIGN(m.line1, string_field(a, "line1", false));
  CD_ASSIGN(m.line2, string_field(a, "line2", false));
  CD_ASSIGN(m.city, string_field(a, "city", false));
  CD_ASSIGN(m.state, string_field(a, "state", false));
  CD_ASSIGN(m.postal_code, string_field(a, "postal_code", false));
  return m;
}

Response open_account(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<billing::OpenAccountInput> {
    CD_TRY(only_fields(o, {"party_id", "premise_id", "cycle", "number", "opened_on", "mailing",
                           "deposit", "cash_only", "no_shutoff", "landlord", "services"}));
    billing::OpenAccountInput in;
    CD_ASSIGN(in.party_id, int_field(o, "party_id"));
    CD_ASSIGN(in.premise_id, int_field(o, "premise_id"));
    CD_ASSIGN(in.cycle_code, string_field(o, "cycle"));
    if (auto* v = o.if_contains("number"); v && !v->is_null()) {
      CD_ASSIGN(in.number, int_field(o, "number"));
    }
    CD_ASSIGN(in.opened_on, string_field(o, "opened_on", false));
    CD_ASSIGN(in.mailing, parse_mailing(o));
    if (auto* v = o.if_contains("deposit"); v && !v->is_null()) {
      CD_ASSIGN(in.deposit, money_field(o, "deposit"));
    }
    CD_ASSIGN(in.flags.cash_only, flag(o, "cash_only"));
    CD_ASSIGN(in.flags.no_shutoff, flag(o, "no_shutoff"));
    CD_ASSIGN(in.flags.landlord, flag(o, "landlord"));
    if (auto* v = o.if_contains("services"); v && !v->is_null()) {
      if (!v->is_array() || v->as_array().size() > 4)
        return fail(Error::invalid("services", "a list of at most 4 {kind, rate_class}"));
      for (const auto& item : v->as_array()) {
        if (!item.is_object())
          return fail(Error::invalid("services", "each service is {kind, rate_class}"));
        CD_TRY(only_fields(item.as_object(), {"kind", "rate_class"}));
        CD_ASSIGN(auto kind, string_field(item.as_object(), "kind"));
        CD_ASSIGN(auto rate_class, string_field(item.as_object(), "rate_class"));
        in.services.emplace_back(std::move(kind), std::move(rate_class));
      }
    }
    return in;
  };
  return with_body(ctx, parse, [&](const billing::OpenAccountInput& in) {
    return account_response(app, 201, app.billing().open_account(ctx.actor, in));
  });
}

// --- services and carts ------------------------------------------------------------------------

Response add_service(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  struct Body {
    std::string kind, rate_class, started_on;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(only_fields(o, {"kind", "rate_class", "started_on"}));
    Body b;
    CD_ASSIGN(b.kind, string_field(o, "kind"));
    CD_ASSIGN(b.rate_class, string_field(o, "rate_class"));
    CD_ASSIGN(b.started_on, string_field(o, "started_on", false));
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) {
    auto s = app.billing().add_service(ctx.actor, *n, b.kind, b.rate_class, b.started_on);
    return s ? json_response(201, service_json(*s, app.billing().today()))
             : error_response(s.error());
  });
}

Response stop_service(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto parse = [](const json::object& o) -> Result<std::string> {
    CD_TRY(only_fields(o, {"stopped_on"}));
    return string_field(o, "stopped_on", false);
  };
  return with_body(ctx, parse, [&](const std::string& on) {
    auto s = app.billing().stop_service(ctx.actor, *n, *id, on);
    return s ? json_response(200, service_json(*s, app.billing().today()))
             : error_response(s.error());
  });
}

Response add_cart(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  struct Body {
    billing::RefuseCart cart;
    std::string started_on;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(only_fields(o, {"size_gallons", "count", "pickups_per_week", "started_on"}));
    Body b;
    CD_ASSIGN(auto size, int_field(o, "size_gallons"));
    CD_ASSIGN(auto count, optional_int(o, "count", 1));
    CD_ASSIGN(auto pickups, optional_int(o, "pickups_per_week", 1));
    // Bounded here only so the int conversion is safe; check_refuse_cart has the real rules.
    for (auto [name, v] : {std::pair{"size_gallons", size}, std::pair{"count", count},
                           std::pair{"pickups_per_week", pickups}})
      if (v < 0 || v > 1000)
        return fail(Error::invalid(name, std::string(name) + " is out of range"));
    b.cart.size_gallons = static_cast<int>(size);
    b.cart.count = static_cast<int>(count);
    b.cart.pickups_per_week = static_cast<int>(pickups);
    CD_ASSIGN(b.started_on, string_field(o, "started_on", false));
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) {
    auto c = app.billing().add_refuse_cart(ctx.actor, *n, b.cart, b.started_on);
    return c ? json_response(201, cart_json(*c)) : error_response(c.error());
  });
}

// --- meters ------------------------------------------------------------------------------------

Result<billing::Meter> parse_meter(const json::object& o) {
  billing::Meter m;
  CD_ASSIGN(m.serial, string_field(o, "serial"));
  CD_ASSIGN(m.size, string_field(o, "size", false));
  CD_ASSIGN(m.make, string_field(o, "make", false));
  CD_ASSIGN(auto dials, int_field(o, "dials"));
  if (dials < billing::kMinDials || dials > billing::kMaxDials)
    return fail(Error::invalid("dials", "a register has 3 to 10 dials"));
  m.dials = static_cast<int>(dials);
  CD_ASSIGN(m.multiplier, optional_int(o, "multiplier", 1));
  CD_ASSIGN(auto unit, string_field(o, "unit"));
  CD_ASSIGN(m.unit, billing::parse_meter_unit(unit));
  return m;
}

Response install_meter(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  struct Body {
    billing::Meter meter;
    std::string installed_on;
    std::int64_t initial_read = 0;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(only_fields(o, {"serial", "size", "make", "dials", "multiplier", "unit", "installed_on",
                           "initial_read"}));
    Body b;
    CD_ASSIGN(b.meter, parse_meter(o));
    CD_ASSIGN(b.installed_on, string_field(o, "installed_on", false));
    CD_ASSIGN(b.initial_read, int_field(o, "initial_read"));
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) {
    auto im = app.billing().install_meter(ctx.actor, *n, b.meter, b.installed_on, b.initial_read);
    return im ? json_response(201, meter_json(*im)) : error_response(im.error());
  });
}

Response exchange_meter(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  struct Body {
    std::string old_serial, exchanged_on;
    std::int64_t final_read = 0, initial_read = 0;
    billing::Meter meter;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(
        only_fields(o, {"old_serial", "exchanged_on", "final_read", "new_meter", "initial_read"}));
    Body b;
    CD_ASSIGN(b.old_serial, string_field(o, "old_serial", false));
    CD_ASSIGN(b.exchanged_on, string_field(o, "exchanged_on", false));
    CD_ASSIGN(b.final_read, int_field(o, "final_read"));
    CD_ASSIGN(b.initial_read, int_field(o, "initial_read"));
    auto* m = o.if_contains("new_meter");
    if (!m || !m->is_object())
      return fail(Error::invalid("new_meter", "new_meter is required (an object)"));
    CD_TRY(only_fields(m->as_object(), {"serial", "size", "make", "dials", "multiplier", "unit"}));
    auto meter = parse_meter(m->as_object());
    if (!meter) {
      Error e = meter.error();
      e.field = "new_meter." + e.field;
      return fail(e);
    }
    b.meter = *meter;
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) {
    auto im = app.billing().exchange_meter(ctx.actor, *n, b.old_serial, b.exchanged_on,
                                           b.final_read, b.meter, b.initial_read);
    return im ? json_response(201, meter_json(*im)) : error_response(im.error());
  });
}

// --- reads -------------------------------------------------------------------------------------

Response list_reads(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  auto limit = query_int(ctx, "limit", 1, 200);
  if (!limit) return error_response(limit.error());
  auto list = app.billing().reads(*n, static_cast<int>(limit->value_or(billing::kMaxRecentReads)));
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& r : *list) items.push_back(to_json(r));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response enter_read(App& app, RequestContext& ctx) {
  auto n = account_number(ctx);
  if (!n) return error_response(n.error());
  auto parse = [](const json::object& o) -> Result<billing::ReadEntry> {
    CD_TRY(only_fields(o, {"value", "read_on", "meter_serial", "reader", "note"}));
    billing::ReadEntry e;
    CD_ASSIGN(e.value, int_field(o, "value"));
    CD_ASSIGN(e.read_on, string_field(o, "read_on", false));
    CD_ASSIGN(e.meter_serial, string_field(o, "meter_serial", false));
    CD_ASSIGN(e.reader, string_field(o, "reader", false));
    CD_ASSIGN(e.note, string_field(o, "note", false));
    return e;
  };
  return with_body(ctx, parse, [&](const billing::ReadEntry& e) {
    auto r = app.billing().enter_read(ctx.actor, *n, e);
    if (!r) return error_response(r.error());
    return json_response(
        201, json::object{{"read", to_json(r->read)},
                          {"exception", r->exception ? json::value(to_json(*r->exception))
                                                     : json::value(nullptr)}});
  });
}

Response export_route(App& app, RequestContext& ctx) {
  const std::string& code = ctx.request.path_params.at("code");
  auto csv = app.billing().export_route(code);
  if (!csv) return error_response(csv.error());
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"route-" + code + ".csv\"");
  r.body = std::move(*csv);
  return r;
}

Response import_reads(App& app, RequestContext& ctx) {
  std::string content;
  if (ctx.request.header("Content-Type").starts_with("text/plain")) {
    content = ctx.request.body;
  } else {
    auto body = json_body(ctx.request);
    if (!body) return error_response(body.error());
    if (auto ok = only_fields(*body, {"content"}); !ok) return error_response(ok.error());
    auto c = string_field(*body, "content");
    if (!c) return error_response(c.error());
    content = std::move(*c);
  }
  auto r = app.billing().import_reads(ctx.actor, content);
  if (!r) return error_response(r.error());
  json::array refused;
  for (const auto& p : r->refused)
    refused.push_back(json::object{{"line", p.line}, {"field", p.field}, {"message", p.message}});
  return json_response(200,
                       json::object{{"rows", r->rows},
                                    {"accepted", r->accepted},
                                    {"exceptions", r->exceptions},
                                    {"skipped", r->skipped},
                                    {"unread", r->unread},
                                    {"refused_count", static_cast<std::int64_t>(r->refused.size())},
                                    {"refused", std::move(refused)}});
}

Response list_routes(App& app, RequestContext&) {
  auto routes = app.billing().routes();
  if (!routes) return error_response(routes.error());
  auto cycles = app.billing().cycles();
  if (!cycles) return error_response(cycles.error());
  json::array cs, rs;
  const CivilDate today = app.billing().today();
  for (const auto& c : *cycles)
    cs.push_back(json::object{{"code", c.code},
                              {"name", c.name},
                              {"read_day", c.read_day},
                              {"period_months", c.period_months},
                              {"next_read_on", billing::next_scheduled_read(c, today).iso()}});
  for (const auto& r : *routes) {
    std::string cycle;
    for (const auto& c : *cycles)
      if (c.id == r.cycle_id) cycle = c.code;
    rs.push_back(json::object{{"code", r.code}, {"name", r.name}, {"cycle", cycle}});
  }
  return json_response(200, json::object{{"cycles", std::move(cs)}, {"routes", std::move(rs)}});
}

// --- the read exception queue ------------------------------------------------------------------

// GET /billing/read-exceptions?status=&code=&route=&cycle=&account=&limit=&offset= — one page,
// oldest first, with the total matching the filters.
Result<billing::ExceptionQuery> exception_query(const RequestContext& ctx) {
  billing::ExceptionQuery q;
  q.status = ctx.request.query_param("status");
  q.code = ctx.request.query_param("code");
  q.route = ctx.request.query_param("route");
  q.cycle = ctx.request.query_param("cycle");
  CD_ASSIGN(q.account_number, query_int(ctx, "account"));
  CD_ASSIGN(auto limit, query_int(ctx, "limit", 1, billing::kMaxExceptionsPageSize));
  if (limit) q.limit = static_cast<int>(*limit);
  CD_ASSIGN(auto offset, query_int(ctx, "offset"));
  q.offset = offset.value_or(0);
  return q;
}

Response list_exceptions(App& app, RequestContext& ctx) {
  auto q = exception_query(ctx);
  if (!q) return error_response(q.error());
  auto page = app.billing().exception_page(*q);
  if (!page) return error_response(page.error());
  json::array items;
  for (const auto& v : page->items) items.push_back(to_json(v));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"total", page->total},
                                         {"limit", q->limit},
                                         {"offset", q->offset}});
}

Response get_exception(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto v = app.billing().read_exception(*id);
  return v ? json_response(200, to_json(*v)) : error_response(v.error());
}

struct Resolution {
  std::string note, method;
  std::int64_t value = 0;
};

template <class Act>
Response resolve(RequestContext& ctx, std::initializer_list<std::string_view> fields,
                 bool needs_value, Act&& act) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto parse = [&](const json::object& o) -> Result<Resolution> {
    CD_TRY(only_fields(o, fields));
    Resolution r;
    CD_ASSIGN(r.note, string_field(o, "note", false));
    if (needs_value) {
      CD_ASSIGN(r.value, int_field(o, "value"));
    }
    if (o.contains("method")) {
      CD_ASSIGN(r.method, string_field(o, "method", false));
    }
    return r;
  };
  return with_body(ctx, parse, [&](const Resolution& r) {
    auto v = act(*id, r);
    return v ? json_response(200, to_json(*v)) : error_response(v.error());
  });
}

Response accept_exception(App& app, RequestContext& ctx) {
  return resolve(ctx, {"note"}, false, [&](std::int64_t id, const Resolution& r) {
    return app.billing().accept_exception(ctx.actor, id, r.note);
  });
}

Response correct_exception(App& app, RequestContext& ctx) {
  return resolve(ctx, {"note", "value"}, true, [&](std::int64_t id, const Resolution& r) {
    return app.billing().correct_exception(ctx.actor, id, r.value, r.note);
  });
}

Response reread_exception(App& app, RequestContext& ctx) {
  return resolve(ctx, {"note"}, false, [&](std::int64_t id, const Resolution& r) {
    return app.billing().request_reread(ctx.actor, id, r.note);
  });
}

Response estimate_exception(App& app, RequestContext& ctx) {
  return resolve(ctx, {"note", "method"}, false, [&](std::int64_t id, const Resolution& r) {
    return app.billing().estimate_exception(ctx.actor, id, r.method, r.note);
  });
}

}  // namespace

void add_billing_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn) {
    r.add(Route{method, path, Access::kPermission, perm, bind(fn)});
  };
  add("GET", "/api/v1/billing/premises", "billing.read", list_premises);
  add("POST", "/api/v1/billing/premises", "billing.write", create_premise);
  add("GET", "/api/v1/billing/accounts", "billing.read", list_accounts);
  add("POST", "/api/v1/billing/accounts", "billing.write", open_account);
  add("GET", "/api/v1/billing/accounts/{number}", "billing.read", get_account);
  add("POST", "/api/v1/billing/accounts/{number}/services", "billing.write", add_service);
  add("POST", "/api/v1/billing/accounts/{number}/services/{id}/stop", "billing.write",
      stop_service);
  add("POST", "/api/v1/billing/accounts/{number}/refuse-carts", "billing.write", add_cart);
  add("POST", "/api/v1/billing/accounts/{number}/meters", "billing.write", install_meter);
  add("POST", "/api/v1/billing/accounts/{number}/meters/exchange", "billing.write", exchange_meter);
  add("GET", "/api/v1/billing/accounts/{number}/reads", "billing.read", list_reads);
  add("POST", "/api/v1/billing/accounts/{number}/reads", "billing.reads", enter_read);
  add("GET", "/api/v1/billing/routes", "billing.read", list_routes);
  add("GET", "/api/v1/billing/routes/{code}/export", "billing.reads", export_route);
  Route imports{"POST", "/api/v1/billing/reads/imports", Access::kPermission, "billing.reads",
                bind(import_reads)};
  imports.accepts_text = true;  // the handheld's file as it came
  r.add(std::move(imports));
  add("GET", "/api/v1/billing/read-exceptions", "billing.read", list_exceptions);
  add("GET", "/api/v1/billing/read-exceptions/{id}", "billing.read", get_exception);
  add("POST", "/api/v1/billing/read-exceptions/{id}/accept", "billing.exceptions",
      accept_exception);
  add("POST", "/api/v1/billing/read-exceptions/{id}/correct", "billing.exceptions",
      correct_exception);
  add("POST", "/api/v1/billing/read-exceptions/{id}/reread", "billing.exceptions",
      reread_exception);
  add("POST", "/api/v1/billing/read-exceptions/{id}/estimate", "billing.exceptions",
      estimate_exception);
}

}  // namespace civicdesk::http
