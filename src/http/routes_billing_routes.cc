// Utility billing's API, part 4 (route_book.cc): billing cycles and their read schedule, read
// routes and their walk (add a stop by account number, reorder, remove), and stopping a refuse
// cart. None of these moves money (a cart stop changes what later bills charge, as adding one
// does), so none needs an Idempotency-Key.
//
// Permissions: billing.read to look; billing.routes (supervisors) to create and change cycles
// and routes — a cycle's schedule decides when hundreds of accounts are read and billed, and a
// route decides what a meter reader walks, so it is not every CSR's change; billing.write (CSR
// II and up, who add carts) to stop a cart.
#include <initializer_list>

#include "billing/utility_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

// An int field within [lo, hi]; kInvalidInput naming it. `fallback` when absent (nullopt:
// required).
Result<int> bounded_int(const json::object& o, std::string_view key, int lo, int hi,
                        std::optional<int> fallback = std::nullopt) {
  if (auto* v = o.if_contains(key); (!v || v->is_null()) && fallback) return *fallback;
  CD_ASSIGN(auto n, int_field(o, key));
  if (n < lo || n > hi)
    return fail(Error::invalid(
        std::string(key), "must be between " + std::to_string(lo) + " and " + std::to_string(hi)));
  return static_cast<int>(n);
}

json::object cycle_json(const billing::Cycle& c, CivilDate today) {
  return json::object{{"code", c.code},
                      {"name", c.name},
                      {"read_day", c.read_day},
                      {"period_months", c.period_months},
                      {"next_read_on", billing::next_scheduled_read(c, today).iso()}};
}

json::object route_json(const billing::RouteView& v) {
  json::array stops;
  for (const auto& s : v.stops)
    stops.push_back(json::object{{"position", static_cast<std::int64_t>(stops.size()) + 1},
                                 {"sequence", s.sequence},
                                 {"premise_id", s.premise_id},
                                 {"service_address", s.service_address},
                                 {"account_number", opt_int(s.account_number)},
                                 {"party_name", opt_text(s.party_name)}});
  return json::object{{"code", v.route.code},
                      {"name", v.route.name},
                      {"cycle", v.cycle_code},
                      {"stops", std::move(stops)}};
}

Response route_response(int status, const Result<billing::RouteView>& v) {
  return v ? json_response(status, route_json(*v)) : error_response(v.error());
}

const std::string& code_param(RequestContext& ctx) {
  return ctx.request.path_params.at("code");
}

// --- cycles ------------------------------------------------------------------------------------

Response list_cycles(App& app, RequestContext&) {
  auto cycles = app.billing().cycles();
  if (!cycles) return error_response(cycles.error());
  const CivilDate today = app.billing().today();
  json::array items;
  for (const auto& c : *cycles) items.push_back(cycle_json(c, today));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response create_cycle(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<billing::Cycle> {
    CD_TRY(only_fields(o, {"code", "name", "read_day", "period_months"}));
    billing::Cycle c;
    CD_ASSIGN(c.code, string_field(o, "code"));
    CD_ASSIGN(c.name, string_field(o, "name"));
    CD_ASSIGN(c.read_day, bounded_int(o, "read_day", 1, 28));
    CD_ASSIGN(c.period_months, bounded_int(o, "period_months", 1, 3, 1));
    return c;
  };
  return with_body(ctx, parse, [&](const billing::Cycle& c) {
    auto made = app.billing().create_cycle(ctx.actor, c);
    return made ? json_response(201, cycle_json(*made, app.billing().today()))
                : error_response(made.error());
  });
}

Response update_cycle(App& app, RequestContext& ctx) {
  struct Body {
    std::string name;
    int read_day = 1, period_months = 1;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(only_fields(o, {"name", "read_day", "period_months"}));
    Body b;
    CD_ASSIGN(b.name, string_field(o, "name", false));
    CD_ASSIGN(b.read_day, bounded_int(o, "read_day", 1, 28));
    CD_ASSIGN(b.period_months, bounded_int(o, "period_months", 1, 3));
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) {
    auto c =
        app.billing().update_cycle(ctx.actor, code_param(ctx), b.name, b.read_day, b.period_months);
    return c ? json_response(200, cycle_json(*c, app.billing().today()))
             : error_response(c.error());
  });
}

// --- routes ------------------------------------------------------------------------------------

Response create_route(App& app, RequestContext& ctx) {
  struct Body {
    std::string code, name, cycle;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(only_fields(o, {"code", "name", "cycle"}));
    Body b;
    CD_ASSIGN(b.code, string_field(o, "code"));
    CD_ASSIGN(b.name, string_field(o, "name"));
    CD_ASSIGN(b.cycle, string_field(o, "cycle"));
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) -> Response {
    auto made = app.billing().create_route(ctx.actor, b.code, b.name, b.cycle);
    if (!made) {
      Error e = made.error();
      if (e.field == "cycle_code") e.field = "cycle";  // the body's name for it
      return error_response(e);
    }
    return route_response(201, app.billing().route(made->code));
  });
}

Response get_route(App& app, RequestContext& ctx) {
  return route_response(200, app.billing().route(code_param(ctx)));
}

Response add_stop(App& app, RequestContext& ctx) {
  struct Body {
    std::int64_t number = 0;
    std::optional<int> position;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(only_fields(o, {"account_number", "position"}));
    Body b;
    CD_ASSIGN(b.number, int_field(o, "account_number"));
    if (auto* v = o.if_contains("position"); v && !v->is_null()) {
      CD_ASSIGN(b.position, bounded_int(o, "position", 1, 1'000'000));
    }
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) {
    return route_response(
        201, app.billing().add_stop_for_account(ctx.actor, code_param(ctx), b.number, b.position));
  });
}

Response reorder_stops(App& app, RequestContext& ctx) {
  auto parse = [](const json::object& o) -> Result<std::vector<std::int64_t>> {
    CD_TRY(only_fields(o, {"premise_ids"}));
    const json::value* list = o.if_contains("premise_ids");
    if (!list || !list->is_array())
      return fail(Error::invalid("premise_ids", "the whole walk: a list of premise ids"));
    if (list->as_array().size() > billing::kMaxRouteStops)
      return fail(Error::invalid(
          "premise_ids",
          "a route holds at most " + std::to_string(billing::kMaxRouteStops) + " stops"));
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
      const json::value& v = list->as_array()[i];
      if (!v.is_int64())
        return fail(Error::invalid("premise_ids[" + std::to_string(i) + "]", "must be a number"));
      ids.push_back(v.as_int64());
    }
    return ids;
  };
  return with_body(ctx, parse, [&](const std::vector<std::int64_t>& ids) {
    return route_response(200, app.billing().reorder_stops(ctx.actor, code_param(ctx), ids));
  });
}

Response remove_stop(App& app, RequestContext& ctx) {
  auto premise = path_id(ctx, "premise_id");
  if (!premise) return error_response(premise.error());
  return route_response(200, app.billing().remove_stop(ctx.actor, code_param(ctx), *premise));
}

// --- refuse carts --------------------------------------------------------------------------------

Response stop_cart(App& app, RequestContext& ctx) {
  auto number = path_id(ctx, "number");
  if (!number) return error_response(number.error());
  auto id = path_id(ctx, "id");
  if (!id) return error_response(id.error());
  auto parse = [](const json::object& o) -> Result<std::string> {
    CD_TRY(only_fields(o, {"stopped_on"}));
    return string_field(o, "stopped_on", false);
  };
  return with_body(ctx, parse, [&](const std::string& stopped_on) -> Response {
    auto c = app.billing().stop_refuse_cart(ctx.actor, *number, *id, stopped_on);
    if (!c) return error_response(c.error());
    return json_response(200, json::object{{"id", c->id},
                                           {"size_gallons", c->size_gallons},
                                           {"count", c->count},
                                           {"pickups_per_week", c->pickups_per_week},
                                           {"started_on", c->started_on.iso()},
                                           {"stopped_on", opt_date(c->stopped_on)}});
  });
}

}  // namespace

void add_billing_route_admin_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn) {
    r.add(Route{method, path, Access::kPermission, perm, bind(fn)});
  };
  add("GET", "/api/v1/billing/cycles", "billing.read", list_cycles);
  add("POST", "/api/v1/billing/cycles", "billing.routes", create_cycle);
  add("PUT", "/api/v1/billing/cycles/{code}", "billing.routes", update_cycle);
  add("POST", "/api/v1/billing/routes", "billing.routes", create_route);
  add("GET", "/api/v1/billing/routes/{code}", "billing.read", get_route);
  add("POST", "/api/v1/billing/routes/{code}/stops", "billing.routes", add_stop);
  add("PUT", "/api/v1/billing/routes/{code}/stops", "billing.routes", reorder_stops);
  add("DELETE", "/api/v1/billing/routes/{code}/stops/{premise_id}", "billing.routes", remove_stop);
  add("POST", "/api/v1/billing/accounts/{number}/refuse-carts/{id}/stop", "billing.write",
      stop_cart);
}

}  // namespace civicdesk::http
