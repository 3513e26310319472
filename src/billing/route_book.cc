// Route administration (cycles' schedules, a route's walk: add, reorder, remove stops) and
// stopping a refuse cart. Kept apart from utility_book.cc, which opens the records; these change
// them. Every change is one write transaction with its audit record.
//
// The walk is renumbered 10, 20, 30 … on every change made here (kRouteSequenceStep): the
// stops are deleted and inserted again in the new order inside the transaction, because
// (route_id, sequence) is the table's key and an UPDATE one row at a time would collide with
// itself half-way. The handheld export reads the walk by sequence, so it follows at once.
#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "billing/utility_book.h"
#include "billing/utility_book_internal.h"

namespace civicdesk::billing {
namespace json = boost::json;

namespace {

struct RouteRow {
  ReadRoute route;
  std::string cycle_code;
};

Result<RouteRow> load_route(store::Connection& c, const std::string& code) {
  CD_ASSIGN(auto rows, c.query("SELECT r.id, r.code, r.name, r.cycle_id, cy.code FROM read_routes "
                               "r JOIN cycles cy ON cy.id = r.cycle_id WHERE r.code = ?",
                               {code}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no route " + code, "route");
  const auto& r = rows[0];
  return RouteRow{{r.integer(0), r.text(1), r.text(2), r.integer(3)}, r.text(4)};
}

// The route's premise ids in walk order.
Result<std::vector<std::int64_t>> walk(store::Connection& c, std::int64_t route_id) {
  CD_ASSIGN(auto rows, c.query("SELECT premise_id FROM route_stops WHERE route_id = ? "
                               "ORDER BY sequence",
                               {route_id}));
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.integer(0));
  return out;
}

// Stores `premises` as the route's whole walk, numbered 10, 20, 30 …
Result<void> store_walk(store::Connection& c, std::int64_t route_id,
                        const std::vector<std::int64_t>& premises) {
  CD_TRY(c.exec("DELETE FROM route_stops WHERE route_id = ?", {route_id}));
  std::int64_t sequence = 0;
  for (std::int64_t premise_id : premises) {
    sequence += kRouteSequenceStep;
    CD_TRY(c.exec("INSERT INTO route_stops (route_id, premise_id, sequence) VALUES (?, ?, ?)",
                  {route_id, premise_id, sequence}));
  }
  return {};
}

json::array ids_json(const std::vector<std::int64_t>& ids) {
  json::array out;
  for (std::int64_t id : ids) out.push_back(id);
  return out;
}

Result<void> audit_change(store::Connection& c, const Actor& actor, Timestamp now,
                          const std::string& action, const std::string& entity, std::int64_t id,
                          const json::object& before, const json::object& after) {
  return audit::append(
      c, actor, now,
      {action, entity, std::to_string(id), json::serialize(before), json::serialize(after)});
}

Result<RouteView> load_route_view(store::Connection& c, const std::string& code) {
  CD_ASSIGN(auto row, load_route(c, code));
  RouteView v{row.route, row.cycle_code, {}};
  // One row per stop: the active account there (a premise has at most one at a time; the
  // lowest number if the records ever say otherwise).
  CD_ASSIGN(auto rows,
            c.query("SELECT s.sequence, s.premise_id, "
                    "(SELECT MIN(a.number) FROM utility_accounts a WHERE a.premise_id = "
                    "s.premise_id AND a.status = 'active') FROM route_stops s WHERE s.route_id = "
                    "? ORDER BY s.sequence",
                    {row.route.id}));
  for (const auto& r : rows) {
    RouteStopView s;
    s.sequence = static_cast<int>(r.integer(0));
    s.premise_id = r.integer(1);
    CD_ASSIGN(auto premise, detail::load_premise(c, s.premise_id));
    s.service_address = one_line(premise);
    s.account_number = r.opt_integer(2);
    if (s.account_number) {
      CD_ASSIGN(auto party, c.query_one("SELECT p.display_name FROM utility_accounts a JOIN "
                                        "parties p ON p.id = a.party_id WHERE a.number = ?",
                                        {*s.account_number}));
      s.party_name = party.text(0);
    }
    v.stops.push_back(std::move(s));
  }
  return v;
}

}  // namespace

Result<Cycle> UtilityBook::update_cycle(const Actor& actor, const std::string& code,
                                        const std::string& name, int read_day, int period_months) {
  const Timestamp now = clock_.now_us();
  return db_.write<Cycle>([&](store::Connection& c) -> Result<Cycle> {
    CD_ASSIGN(auto rows, c.query("SELECT id, code, name, read_day, period_months FROM cycles "
                                 "WHERE code = ?",
                                 {code}));
    if (rows.empty()) return fail(ErrorCode::kNotFound, "no billing cycle " + code, "code");
    const auto& r = rows[0];
    const Cycle before{r.integer(0), r.text(1), r.text(2), static_cast<int>(r.integer(3)),
                       static_cast<int>(r.integer(4))};
    Cycle after = before;
    after.name = name.empty() ? before.name : name;
    after.read_day = read_day;
    after.period_months = period_months;
    CD_TRY(check_cycle(after));
    CD_TRY(c.exec(
        "UPDATE cycles SET name = ?, read_day = ?, period_months = ? WHERE id = ?",
        {after.name, std::int64_t{after.read_day}, std::int64_t{after.period_months}, after.id}));
    auto as_json = [](const Cycle& x) {
      return json::object{
          {"name", x.name}, {"read_day", x.read_day}, {"period_months", x.period_months}};
    };
    CD_TRY(audit_change(c, actor, now, "cycle.update", "cycle", after.id, as_json(before),
                        as_json(after)));
    return after;
  });
}

Result<RouteView> UtilityBook::route(const std::string& route_code) {
  return db_.read<RouteView>([&](store::Connection& c) { return load_route_view(c, route_code); });
}

Result<RouteView> UtilityBook::add_stop_for_account(const Actor& actor,
                                                    const std::string& route_code,
                                                    std::int64_t number,
                                                    std::optional<int> position) {
  if (position && *position < 1) return fail(Error::invalid("position", "must be 1 or more"));
  const Timestamp now = clock_.now_us();
  return db_.write<RouteView>([&](store::Connection& c) -> Result<RouteView> {
    CD_ASSIGN(auto route, load_route(c, route_code));
    CD_ASSIGN(auto account, detail::load_account(c, number));
    if (account.status != AccountStatus::kActive)
      return fail(ErrorCode::kUnprocessable, "account " + std::to_string(number) + " is closed",
                  "account_number");
    if (account.cycle_id != route.route.cycle_id)
      return fail(ErrorCode::kUnprocessable,
                  "account " + std::to_string(number) + " is not in cycle " + route.cycle_code +
                      ", the route's cycle",
                  "account_number");
    CD_ASSIGN(auto on_route, c.query("SELECT r.code FROM route_stops s JOIN read_routes r ON "
                                     "r.id = s.route_id WHERE s.premise_id = ?",
                                     {account.premise_id}));
    if (!on_route.empty())
      return fail(ErrorCode::kConflict,
                  "account " + std::to_string(number) + "'s premise is already on route " +
                      on_route[0].text(0),
                  "account_number");
    CD_ASSIGN(auto premises, walk(c, route.route.id));
    if (premises.size() >= kMaxRouteStops)
      return fail(ErrorCode::kUnprocessable,
                  "a route holds at most " + std::to_string(kMaxRouteStops) + " stops", "route");
    const std::size_t at =
        position ? std::min<std::size_t>(*position - 1, premises.size()) : premises.size();
    premises.insert(premises.begin() + static_cast<std::ptrdiff_t>(at), account.premise_id);
    CD_TRY(store_walk(c, route.route.id, premises));
    CD_TRY(detail::audit(c, actor, now, "route.add_stop", "read_route", route.route.id,
                         {{"route", route_code},
                          {"account_number", number},
                          {"premise_id", account.premise_id},
                          {"position", static_cast<std::int64_t>(at + 1)}}));
    return load_route_view(c, route_code);
  });
}

Result<RouteView> UtilityBook::reorder_stops(const Actor& actor, const std::string& route_code,
                                             const std::vector<std::int64_t>& premise_ids) {
  const Timestamp now = clock_.now_us();
  return db_.write<RouteView>([&](store::Connection& c) -> Result<RouteView> {
    CD_ASSIGN(auto route, load_route(c, route_code));
    CD_ASSIGN(auto before, walk(c, route.route.id));
    const std::set<std::int64_t> current(before.begin(), before.end());
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < premise_ids.size(); ++i) {
      const std::string field = "premise_ids[" + std::to_string(i) + "]";
      const std::int64_t id = premise_ids[i];
      if (!current.contains(id))
        return fail(Error::invalid(
            field, "premise " + std::to_string(id) + " is not a stop of route " + route_code));
      if (!seen.insert(id).second)
        return fail(Error::invalid(field, "premise " + std::to_string(id) + " is listed twice"));
    }
    for (std::int64_t id : before)
      if (!seen.contains(id))
        return fail(Error::invalid(
            "premise_ids", "premise " + std::to_string(id) + " is missing: list every stop once"));
    CD_TRY(store_walk(c, route.route.id, premise_ids));
    CD_TRY(audit_change(c, actor, now, "route.reorder", "read_route", route.route.id,
                        {{"route", route_code}, {"premise_ids", ids_json(before)}},
                        {{"route", route_code}, {"premise_ids", ids_json(premise_ids)}}));
    return load_route_view(c, route_code);
  });
}

Result<RouteView> UtilityBook::remove_stop(const Actor& actor, const std::string& route_code,
                                           std::int64_t premise_id) {
  const Timestamp now = clock_.now_us();
  return db_.write<RouteView>([&](store::Connection& c) -> Result<RouteView> {
    CD_ASSIGN(auto route, load_route(c, route_code));
    CD_ASSIGN(auto premises, walk(c, route.route.id));
    const auto it = std::find(premises.begin(), premises.end(), premise_id);
    if (it == premises.end())
      return fail(ErrorCode::kNotFound,
                  "premise " + std::to_string(premise_id) + " is not a stop of route " + route_code,
                  "premise_id");
    const auto position = static_cast<std::int64_t>(it - premises.begin()) + 1;
    premises.erase(it);
    CD_TRY(store_walk(c, route.route.id, premises));
    CD_TRY(audit_change(
        c, actor, now, "route.remove_stop", "read_route", route.route.id,
        {{"route", route_code}, {"premise_id", premise_id}, {"position", position}},
        {{"route", route_code}, {"stops", static_cast<std::int64_t>(premises.size())}}));
    return load_route_view(c, route_code);
  });
}

Result<RefuseCart> UtilityBook::stop_refuse_cart(const Actor& actor, std::int64_t number,
                                                 std::int64_t cart_id,
                                                 const std::string& stopped_on) {
  CD_ASSIGN(const CivilDate stop, date_or_today(stopped_on, "stopped_on"));
  const Timestamp now = clock_.now_us();
  return db_.write<RefuseCart>([&](store::Connection& c) -> Result<RefuseCart> {
    CD_ASSIGN(auto a, detail::load_account(c, number));
    CD_ASSIGN(auto rows, c.query("SELECT id, size_gallons, cart_count, pickups_per_week, "
                                 "started_on, stopped_on FROM refuse_carts WHERE id = ? AND "
                                 "account_id = ?",
                                 {cart_id, a.id}));
    if (rows.empty())
      return fail(
          ErrorCode::kNotFound,
          "account " + std::to_string(number) + " has no refuse cart " + std::to_string(cart_id),
          "cart_id");
    const auto& r = rows[0];
    RefuseCart cart;
    cart.id = r.integer(0);
    cart.account_id = a.id;
    cart.size_gallons = static_cast<int>(r.integer(1));
    cart.count = static_cast<int>(r.integer(2));
    cart.pickups_per_week = static_cast<int>(r.integer(3));
    CD_ASSIGN(cart.started_on, parse_date(r.text(4), "started_on"));
    CD_ASSIGN(cart.stopped_on, detail::read_opt_date(r, 5));
    if (cart.stopped_on)
      return fail(ErrorCode::kUnprocessable,
                  "the cart was already stopped on " + cart.stopped_on->iso(), "stopped_on");
    // Stopping on the day it started is allowed: a cart added by mistake bills nothing.
    if (stop < cart.started_on)
      return fail(ErrorCode::kUnprocessable,
                  "a cart cannot stop before it started (" + cart.started_on.iso() + ")",
                  "stopped_on");
    CD_TRY(c.exec("UPDATE refuse_carts SET stopped_on = ? WHERE id = ?", {stop.iso(), cart.id}));
    cart.stopped_on = stop;
    CD_TRY(audit_change(c, actor, now, "refuse_cart.stop", "utility_account", a.id,
                        {{"number", number}, {"cart_id", cart.id}, {"stopped_on", nullptr}},
                        {{"number", number},
                         {"cart_id", cart.id},
                         {"size_gallons", cart.size_gallons},
                         {"count", cart.count},
                         {"pickups_per_week", cart.pickups_per_week},
                         {"stopped_on", stop.iso()}}));
    return cart;
  });
}

}  // namespace civicdesk::billing
