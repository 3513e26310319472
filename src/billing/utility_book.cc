#include "billing/utility_book.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "billing/utility_book_internal.h"
#include "core/limits.h"
#include "customers/party.h"
#include "search/text.h"

namespace civicdesk::billing {
namespace json = boost::json;
using detail::audit;

namespace detail {

store::Value opt_date(const std::optional<CivilDate>& d) {
  return d ? store::Value{d->iso()} : store::null();
}

Result<std::optional<CivilDate>> read_opt_date(const store::Row& row, std::size_t i) {
  if (row.is_null(i)) return std::optional<CivilDate>{};
  CD_ASSIGN(auto d, parse_date(row.text(i), "date"));
  return std::optional<CivilDate>{d};
}

namespace {

constexpr const char* kAccountSelect =
    "SELECT id, number, party_id, premise_id, cycle_id, status, opened_on, closed_on, "
    "mail_line1, mail_line2, mail_city, mail_state, mail_postal_code, deposit_cents, cash_only, "
    "no_shutoff, landlord FROM utility_accounts ";

Result<UtilityAccount> account_row(const store::Row& r) {
  UtilityAccount a;
  a.id = r.integer(0);
  a.number = r.integer(1);
  a.party_id = r.integer(2);
  a.premise_id = r.integer(3);
  a.cycle_id = r.integer(4);
  a.status = r.text(5) == "active" ? AccountStatus::kActive : AccountStatus::kClosed;
  CD_ASSIGN(a.opened_on, parse_date(r.text(6), "opened_on"));
  CD_ASSIGN(a.closed_on, read_opt_date(r, 7));
  a.mailing = {r.text(8), r.text(9), r.text(10), r.text(11), r.text(12)};
  a.deposit = Money::from_cents(r.integer(13));
  a.flags = {r.integer(14) != 0, r.integer(15) != 0, r.integer(16) != 0};
  return a;
}

constexpr const char* kInstallSelect =
    "SELECT m.id, m.serial, m.size, m.make, m.dials, m.multiplier, m.unit, i.id, i.premise_id, "
    "i.account_id, i.installed_on, i.initial_read, i.removed_on, i.final_read "
    "FROM meter_installs i JOIN meters m ON m.id = i.meter_id ";

Result<InstalledMeter> install_row(const store::Row& r) {
  InstalledMeter im;
  im.meter.id = r.integer(0);
  im.meter.serial = r.text(1);
  im.meter.size = r.text(2);
  im.meter.make = r.text(3);
  im.meter.dials = static_cast<int>(r.integer(4));
  im.meter.multiplier = r.integer(5);
  CD_ASSIGN(im.meter.unit, parse_meter_unit(r.text(6)));
  im.install.id = r.integer(7);
  im.install.meter_id = im.meter.id;
  im.install.premise_id = r.integer(8);
  im.install.account_id = r.integer(9);
  CD_ASSIGN(im.install.installed_on, parse_date(r.text(10), "installed_on"));
  im.install.initial_read = r.integer(11);
  CD_ASSIGN(im.install.removed_on, read_opt_date(r, 12));
  im.install.final_read = r.opt_integer(13);
  return im;
}

}  // namespace

Result<UtilityAccount> load_account(store::Connection& c, std::int64_t number) {
  CD_ASSIGN(auto rows, c.query(std::string(kAccountSelect) + "WHERE number = ?", {number}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no utility account " + std::to_string(number), "number");
  return account_row(rows[0]);
}

Result<Premise> load_premise(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query("SELECT id, line1, line2, city, state, postal_code, parcel_number, "
                               "premise_type, dwelling_units FROM premises WHERE id = ?",
                               {id}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no premise " + std::to_string(id), "premise_id");
  const auto& r = rows[0];
  Premise p;
  p.id = r.integer(0);
  p.line1 = r.text(1);
  p.line2 = r.text(2);
  p.city = r.text(3);
  p.state = r.text(4);
  p.postal_code = r.text(5);
  p.parcel_number = r.text(6);
  CD_ASSIGN(p.type, parse_premise_type(r.text(7)));
  p.dwelling_units = static_cast<int>(r.integer(8));
  return p;
}

Result<std::vector<InstalledMeter>> load_installs(store::Connection& c, std::int64_t account_id) {
  CD_ASSIGN(auto rows,
            c.query(std::string(kInstallSelect) + "WHERE i.account_id = ? "
                                                  "ORDER BY (i.removed_on IS NULL) DESC, i.id DESC",
                    {account_id}));
  std::vector<InstalledMeter> out;
  for (const auto& r : rows) {
    CD_ASSIGN(auto im, install_row(r));
    out.push_back(std::move(im));
  }
  return out;
}

Result<InstalledMeter> current_meter(store::Connection& c, const UtilityAccount& account,
                                     const std::string& serial) {
  CD_ASSIGN(auto all, load_installs(c, account.id));
  std::vector<InstalledMeter> open;
  for (auto& im : all)
    if (!im.install.removed_on) open.push_back(im);
  if (open.empty())
    return fail(ErrorCode::kUnprocessable,
                "account " + std::to_string(account.number) + " has no meter installed",
                "meter_serial");
  if (serial.empty()) {
    if (open.size() > 1)
      return fail(Error::invalid("meter_serial", "the account has " + std::to_string(open.size()) +
                                                     " meters; name the meter"));
    return open[0];
  }
  for (auto& im : open)
    if (im.meter.serial == serial) return im;
  return fail(Error::invalid("meter_serial", "meter " + serial + " is not installed for account " +
                                                 std::to_string(account.number)));
}

Result<InstalledMeter> installed_by_serial(store::Connection& c, const std::string& serial) {
  CD_ASSIGN(auto rows,
            c.query(std::string(kInstallSelect) + "WHERE m.serial = ? AND i.removed_on IS NULL",
                    {serial}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no meter " + serial + " is installed", "meter_serial");
  return install_row(rows[0]);
}

Result<std::optional<PriorRead>> prior_read(store::Connection& c, std::int64_t meter_id) {
  CD_ASSIGN(auto rows, c.query("SELECT value, read_on, kind FROM reads WHERE meter_id = ? AND "
                               "status = 'accepted' ORDER BY read_on DESC, id DESC LIMIT 1",
                               {meter_id}));
  if (rows.empty()) return std::optional<PriorRead>{};
  CD_ASSIGN(const CivilDate on, parse_date(rows[0].text(1), "read_on"));
  PriorRead p = actual_prior(rows[0].integer(0), on);
  if (rows[0].text(2) != "estimated") return std::optional<PriorRead>{p};
  p.estimated = true;
  CD_ASSIGN(auto actual, c.query("SELECT value, read_on FROM reads WHERE meter_id = ? AND "
                                 "status = 'accepted' AND kind <> 'estimated' "
                                 "ORDER BY read_on DESC, id DESC LIMIT 1",
                                 {meter_id}));
  if (!actual.empty()) {
    p.last_actual_value = actual[0].integer(0);
    CD_ASSIGN(p.last_actual_on, parse_date(actual[0].text(1), "read_on"));
  }
  return std::optional<PriorRead>{p};
}

Result<std::vector<PeriodUsage>> load_history(store::Connection& c, std::int64_t account_id) {
  CD_ASSIGN(auto rows, c.query("SELECT read_on, days, usage_mccf, kind FROM reads "
                               "WHERE account_id = ? AND status = 'accepted' AND days > 0 "
                               "ORDER BY read_on DESC, id DESC LIMIT ?",
                               {account_id, std::int64_t{kHistoryPeriods}}));
  std::vector<PeriodUsage> out;
  for (const auto& r : rows) {
    CD_ASSIGN(const CivilDate to, parse_date(r.text(0), "read_on"));
    out.push_back({to.plus_days(-r.integer(1)), to, r.integer(2), r.text(3) == "estimated"});
  }
  return out;
}

const char* const kReadSelect =
    "SELECT r.id, r.meter_id, m.serial, r.read_on, r.value, r.kind, r.source, r.status, "
    "r.register_units, r.usage_mccf, r.days, r.rollover, r.true_up, r.check_code, r.reader, "
    "r.note, r.replaces_read_id, r.created_by_name FROM reads r JOIN meters m ON m.id = "
    "r.meter_id ";

Result<ReadRecord> read_record(const store::Row& r) {
  ReadRecord x;
  x.id = r.integer(0);
  x.meter_id = r.integer(1);
  x.meter_serial = r.text(2);
  CD_ASSIGN(x.read_on, parse_date(r.text(3), "read_on"));
  x.value = r.integer(4);
  x.kind = r.text(5);
  x.source = r.text(6);
  x.status = r.text(7);
  x.register_units = r.integer(8);
  x.usage_mccf = r.integer(9);
  x.days = r.integer(10);
  x.rollover = r.integer(11) != 0;
  x.true_up = r.integer(12) != 0;
  x.check_code = r.text(13);
  x.reader = r.text(14);
  x.note = r.text(15);
  x.replaces_read_id = r.opt_integer(16);
  x.created_by = r.text(17);
  return x;
}

Result<std::int64_t> insert_read(store::Connection& c, const Actor& actor, Timestamp now_us,
                                 const NewRead& r) {
  const ReadDecision& d = r.decision;
  CD_ASSIGN(auto row,
            c.query_one(
                "INSERT INTO reads (meter_id, install_id, account_id, read_on, value, "
                "kind, source, status, register_units, usage_mccf, days, rollover, "
                "true_up, check_code, reader, note, replaces_read_id, created_by_name, "
                "created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?) RETURNING id",
                {r.meter_id, r.install_id, r.account_id, r.read_on.iso(), r.value, r.kind, r.source,
                 r.status, d.register_units, d.usage_mccf, d.days, std::int64_t{d.rollover},
                 std::int64_t{d.true_up}, std::string(to_string(d.check)), r.reader, r.note,
                 r.replaces_read_id ? store::Value{*r.replaces_read_id} : store::null(),
                 actor.username, now_us}));
  return row.integer(0);
}

Result<void> audit(store::Connection& c, const Actor& actor, Timestamp now_us,
                   const std::string& action, const std::string& entity, std::int64_t id,
                   const json::object& after) {
  return audit::append(c, actor, now_us,
                       {action, entity, std::to_string(id), std::nullopt, json::serialize(after)});
}

Result<std::vector<Service>> load_services(store::Connection& c, std::int64_t account_id) {
  CD_ASSIGN(auto rows, c.query("SELECT id, kind, rate_class, started_on, stopped_on FROM services "
                               "WHERE account_id = ? ORDER BY id",
                               {account_id}));
  std::vector<Service> out;
  for (const auto& r : rows) {
    Service s;
    s.id = r.integer(0);
    s.account_id = account_id;
    CD_ASSIGN(s.kind, parse_service_kind(r.text(1)));
    s.rate_class = r.text(2);
    CD_ASSIGN(s.started_on, parse_date(r.text(3), "started_on"));
    CD_ASSIGN(s.stopped_on, detail::read_opt_date(r, 4));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<RefuseCart>> load_carts(store::Connection& c, std::int64_t account_id) {
  CD_ASSIGN(auto rows, c.query("SELECT id, size_gallons, cart_count, pickups_per_week, "
                               "started_on, stopped_on FROM refuse_carts WHERE account_id = ? "
                               "ORDER BY id",
                               {account_id}));
  std::vector<RefuseCart> out;
  for (const auto& r : rows) {
    RefuseCart cart;
    cart.id = r.integer(0);
    cart.account_id = account_id;
    cart.size_gallons = static_cast<int>(r.integer(1));
    cart.count = static_cast<int>(r.integer(2));
    cart.pickups_per_week = static_cast<int>(r.integer(3));
    CD_ASSIGN(cart.started_on, parse_date(r.text(4), "started_on"));
    CD_ASSIGN(cart.stopped_on, read_opt_date(r, 5));
    out.push_back(cart);
  }
  return out;
}

}  // namespace detail

namespace {

// A prefix match by substr, not a range: PostgreSQL's collation would order a range by its own
// rules, and substr counts characters (not bytes) on both databases.
std::int64_t characters(const std::string& utf8) {
  std::int64_t n = 0;
  for (unsigned char ch : utf8) n += (ch & 0xC0) != 0x80;
  return n;
}

std::string premise_key(const Premise& p) {
  customers::Address a;
  a.line1 = p.line1 + (p.line2.empty() ? "" : " " + p.line2);
  a.postal_code = p.postal_code;
  return customers::address_key(a);
}

Result<Cycle> load_cycle(store::Connection& c, const std::string& where, const store::Value& key,
                         const std::string& field) {
  CD_ASSIGN(
      auto rows,
      c.query("SELECT id, code, name, read_day, period_months FROM cycles WHERE " + where, {key}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no such billing cycle", field);
  const auto& r = rows[0];
  return Cycle{r.integer(0), r.text(1), r.text(2), static_cast<int>(r.integer(3)),
               static_cast<int>(r.integer(4))};
}

Result<AccountView> load_view(store::Connection& c, std::int64_t number, int estimate_periods) {
  AccountView v;
  CD_ASSIGN(v.account, detail::load_account(c, number));
  // Account maintenance: the penalty holds (account_maintenance.cc sets them).
  CD_ASSIGN(auto holds, c.query_one("SELECT in_dispute, payment_arrangement FROM "
                                    "utility_accounts WHERE id = ?",
                                    {v.account.id}));
  v.holds = {holds.integer(0) != 0, holds.integer(1) != 0};
  CD_ASSIGN(v.premise, detail::load_premise(c, v.account.premise_id));
  CD_ASSIGN(auto party,
            c.query_one("SELECT display_name FROM parties WHERE id = ?", {v.account.party_id}));
  v.party_name = party.text(0);
  CD_ASSIGN(auto cycle, load_cycle(c, "id = ?", v.account.cycle_id, "cycle_code"));
  v.cycle_code = cycle.code;
  CD_ASSIGN(auto stop, c.query("SELECT r.code, s.sequence FROM route_stops s JOIN read_routes r "
                               "ON r.id = s.route_id WHERE s.premise_id = ?",
                               {v.premise.id}));
  if (!stop.empty()) {
    v.route_code = stop[0].text(0);
    v.route_sequence = static_cast<int>(stop[0].integer(1));
  }
  CD_ASSIGN(v.services, detail::load_services(c, v.account.id));
  CD_ASSIGN(v.meters, detail::load_installs(c, v.account.id));
  CD_ASSIGN(v.carts, detail::load_carts(c, v.account.id));
  CD_ASSIGN(auto rows, c.query(std::string(detail::kReadSelect) +
                                   "WHERE r.account_id = ? ORDER BY r.read_on DESC, r.id DESC "
                                   "LIMIT ?",
                               {v.account.id, std::int64_t{kMaxRecentReads}}));
  for (const auto& r : rows) {
    CD_ASSIGN(auto rec, detail::read_record(r));
    v.recent_reads.push_back(std::move(rec));
  }
  CD_ASSIGN(auto history, detail::load_history(c, v.account.id));
  v.average_daily_use = average_daily_use(history, estimate_periods);
  return v;
}

json::object premise_json(const Premise& p) {
  return json::object{{"address", one_line(p)},
                      {"parcel_number", p.parcel_number},
                      {"premise_type", std::string(to_string(p.type))}};
}

Result<void> require_active(const UtilityAccount& a) {
  if (a.status != AccountStatus::kActive)
    return fail(ErrorCode::kUnprocessable, "account " + std::to_string(a.number) + " is closed",
                "number");
  return {};
}

// A meter row for a new serial; kConflict naming "serial" when it exists.
Result<std::int64_t> insert_meter(store::Connection& c, const Meter& m, Timestamp now_us) {
  CD_TRY(check_meter(m));
  CD_ASSIGN(auto taken, c.query_int("SELECT COUNT(*) FROM meters WHERE serial = ?", {m.serial}));
  if (taken > 0)
    return fail(ErrorCode::kConflict, "meter " + m.serial + " is already registered", "serial");
  CD_ASSIGN(auto row, c.query_one("INSERT INTO meters (serial, size, make, dials, multiplier, "
                                  "unit, created_us) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                  {m.serial, m.size, m.make, std::int64_t{m.dials}, m.multiplier,
                                   std::string(to_string(m.unit)), now_us}));
  return row.integer(0);
}

// Installs meter `meter_id` for the account with its initial read (an accepted read of kind
// initial: the base of the next read).
Result<std::int64_t> insert_install(store::Connection& c, const Actor& actor, Timestamp now_us,
                                    const UtilityAccount& a, const Meter& m, CivilDate on,
                                    std::int64_t initial_read, const std::string& source) {
  CD_TRY(check_register_value(m, initial_read, "initial_read"));
  CD_ASSIGN(auto row, c.query_one("INSERT INTO meter_installs (meter_id, premise_id, account_id, "
                                  "installed_on, initial_read, created_us) VALUES (?, ?, ?, ?, "
                                  "?, ?) RETURNING id",
                                  {m.id, a.premise_id, a.id, on.iso(), initial_read, now_us}));
  const std::int64_t install_id = row.integer(0);
  detail::NewRead r{m.id,   install_id, a.id,           on, initial_read, "initial",
                    source, "accepted", ReadDecision{}, "", "",           std::nullopt};
  CD_TRY(detail::insert_read(c, actor, now_us, r));
  return install_id;
}

}  // namespace

UtilityBook::UtilityBook(store::Database& db, const CityConfig& city, const Clock& clock,
                         const TimeZone& tz)
    : db_(db), city_(city), clock_(clock), tz_(tz) {}

CivilDate UtilityBook::today() const {
  return tz_.local_date(clock_.now_us() / kMicrosPerSecond);
}

Result<CivilDate> UtilityBook::date_or_today(const std::string& text,
                                             const std::string& field) const {
  if (text.empty()) return today();
  return parse_date(text, field);
}

Result<Premise> UtilityBook::create_premise(const Actor& actor, Premise p) {
  CD_TRY(check_premise(p));
  const Timestamp now = clock_.now_us();
  return db_.write<Premise>([&](store::Connection& c) -> Result<Premise> {
    const std::string key = premise_key(p);
    CD_ASSIGN(auto taken,
              c.query_int("SELECT COUNT(*) FROM premises WHERE address_key = ?", {key}));
    if (taken > 0)
      return fail(ErrorCode::kConflict, "a premise at " + one_line(p) + " already exists", "line1");
    CD_ASSIGN(auto row,
              c.query_one("INSERT INTO premises (line1, line2, city, state, postal_code, "
                          "address_key, parcel_number, premise_type, dwelling_units, created_us) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          {p.line1, p.line2, p.city, p.state, p.postal_code, key, p.parcel_number,
                           std::string(to_string(p.type)), std::int64_t{p.dwelling_units}, now}));
    p.id = row.integer(0);
    CD_TRY(audit(c, actor, now, "premise.create", "premise", p.id, premise_json(p)));
    return p;
  });
}

Result<Premise> UtilityBook::premise(std::int64_t id) {
  return db_.read<Premise>([&](store::Connection& c) { return detail::load_premise(c, id); });
}

Result<std::vector<Premise>> UtilityBook::find_premises(const std::string& address_start) {
  if (address_start.size() > kMaxSearchQueryLength)
    return fail(ErrorCode::kTooLarge, "the search text is too long", "q");
  const std::string prefix = search::normalize(address_start);
  return db_.read<std::vector<Premise>>([&](store::Connection& c) -> Result<std::vector<Premise>> {
    CD_ASSIGN(auto rows,
              c.query("SELECT id FROM premises WHERE substr(address_key, 1, ?) = ? "
                      "ORDER BY address_key LIMIT ?",
                      {characters(prefix), prefix, std::int64_t{kMaxAccountsPerLookup}}));
    std::vector<Premise> out;
    for (const auto& r : rows) {
      CD_ASSIGN(auto p, detail::load_premise(c, r.integer(0)));
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<Cycle> UtilityBook::create_cycle(const Actor& actor, Cycle cycle) {
  CD_TRY(check_cycle(cycle));
  const Timestamp now = clock_.now_us();
  return db_.write<Cycle>([&](store::Connection& c) -> Result<Cycle> {
    CD_ASSIGN(auto taken, c.query_int("SELECT COUNT(*) FROM cycles WHERE code = ?", {cycle.code}));
    if (taken > 0) return fail(ErrorCode::kConflict, "cycle " + cycle.code + " exists", "code");
    CD_ASSIGN(auto row, c.query_one("INSERT INTO cycles (code, name, read_day, period_months, "
                                    "created_us) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                    {cycle.code, cycle.name, std::int64_t{cycle.read_day},
                                     std::int64_t{cycle.period_months}, now}));
    cycle.id = row.integer(0);
    CD_TRY(audit(c, actor, now, "cycle.create", "cycle", cycle.id,
                 {{"code", cycle.code},
                  {"read_day", cycle.read_day},
                  {"period_months", cycle.period_months}}));
    return cycle;
  });
}

Result<std::vector<Cycle>> UtilityBook::cycles() {
  return db_.read<std::vector<Cycle>>([&](store::Connection& c) -> Result<std::vector<Cycle>> {
    CD_ASSIGN(auto rows, c.query("SELECT id, code, name, read_day, period_months FROM cycles "
                                 "ORDER BY code"));
    std::vector<Cycle> out;
    for (const auto& r : rows)
      out.push_back({r.integer(0), r.text(1), r.text(2), static_cast<int>(r.integer(3)),
                     static_cast<int>(r.integer(4))});
    return out;
  });
}

Result<ReadRoute> UtilityBook::create_route(const Actor& actor, const std::string& code,
                                            const std::string& name,
                                            const std::string& cycle_code) {
  CD_TRY(check_code(code));
  if (name.empty()) return fail(Error::invalid("name", "is required"));
  const Timestamp now = clock_.now_us();
  return db_.write<ReadRoute>([&](store::Connection& c) -> Result<ReadRoute> {
    CD_ASSIGN(auto cycle, load_cycle(c, "code = ?", cycle_code, "cycle_code"));
    CD_ASSIGN(auto taken, c.query_int("SELECT COUNT(*) FROM read_routes WHERE code = ?", {code}));
    if (taken > 0) return fail(ErrorCode::kConflict, "route " + code + " exists", "code");
    CD_ASSIGN(auto row, c.query_one("INSERT INTO read_routes (code, name, cycle_id, created_us) "
                                    "VALUES (?, ?, ?, ?) RETURNING id",
                                    {code, name, cycle.id, now}));
    ReadRoute r{row.integer(0), code, name, cycle.id};
    CD_TRY(audit(c, actor, now, "route.create", "read_route", r.id,
                 {{"code", code}, {"cycle", cycle.code}}));
    return r;
  });
}

Result<RouteStop> UtilityBook::add_route_stop(const Actor& actor, const std::string& route_code,
                                              std::int64_t premise_id, int sequence) {
  if (sequence < 1) return fail(Error::invalid("sequence", "must be 1 or more"));
  const Timestamp now = clock_.now_us();
  return db_.write<RouteStop>([&](store::Connection& c) -> Result<RouteStop> {
    CD_ASSIGN(auto route, c.query("SELECT id FROM read_routes WHERE code = ?", {route_code}));
    if (route.empty()) return fail(ErrorCode::kNotFound, "no route " + route_code, "route");
    CD_TRY(detail::load_premise(c, premise_id));
    CD_ASSIGN(auto on_route,
              c.query_int("SELECT COUNT(*) FROM route_stops WHERE premise_id = ?", {premise_id}));
    if (on_route > 0)
      return fail(ErrorCode::kConflict, "the premise is already on a route", "premise_id");
    const std::int64_t route_id = route[0].integer(0);
    CD_ASSIGN(auto seq_taken,
              c.query_int("SELECT COUNT(*) FROM route_stops WHERE route_id = ? AND sequence = ?",
                          {route_id, std::int64_t{sequence}}));
    if (seq_taken > 0)
      return fail(ErrorCode::kConflict, "stop " + std::to_string(sequence) + " is taken",
                  "sequence");
    CD_TRY(c.exec("INSERT INTO route_stops (route_id, premise_id, sequence) VALUES (?, ?, ?)",
                  {route_id, premise_id, std::int64_t{sequence}}));
    CD_TRY(audit(c, actor, now, "route.add_stop", "read_route", route_id,
                 {{"premise_id", premise_id}, {"sequence", sequence}}));
    return RouteStop{route_id, premise_id, sequence};
  });
}

Result<std::vector<ReadRoute>> UtilityBook::routes() {
  return db_.read<std::vector<ReadRoute>>(
      [&](store::Connection& c) -> Result<std::vector<ReadRoute>> {
        CD_ASSIGN(auto rows, c.query("SELECT id, code, name, cycle_id FROM read_routes "
                                     "ORDER BY code"));
        std::vector<ReadRoute> out;
        for (const auto& r : rows)
          out.push_back({r.integer(0), r.text(1), r.text(2), r.integer(3)});
        return out;
      });
}

Result<AccountView> UtilityBook::open_account(const Actor& actor, const OpenAccountInput& in) {
  CD_ASSIGN(const CivilDate opened_on, date_or_today(in.opened_on, "opened_on"));
  const Timestamp now = clock_.now_us();
  std::int64_t number = 0;
  CD_TRY(db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
    CD_ASSIGN(auto party, c.query_int("SELECT COUNT(*) FROM parties WHERE id = ?", {in.party_id}));
    if (party == 0)
      return fail(ErrorCode::kNotFound, "no party " + std::to_string(in.party_id), "party_id");
    CD_TRY(detail::load_premise(c, in.premise_id));
    CD_ASSIGN(auto cycle, load_cycle(c, "code = ?", in.cycle_code, "cycle_code"));
    UtilityAccount a;
    a.party_id = in.party_id;
    a.premise_id = in.premise_id;
    a.cycle_id = cycle.id;
    a.opened_on = opened_on;
    a.mailing = in.mailing;
    a.deposit = in.deposit;
    a.flags = in.flags;
    if (in.number) {
      a.number = *in.number;
    } else {
      a.number = kAccountNumberBase + in.party_id;
      CD_ASSIGN(auto taken,
                c.query_int("SELECT COUNT(*) FROM utility_accounts WHERE number = ?", {a.number}));
      if (taken > 0) {
        CD_ASSIGN(a.number, c.query_int("SELECT MAX(number) + 1 FROM utility_accounts"));
      }
    }
    CD_TRY(check_account(a));
    CD_ASSIGN(auto taken,
              c.query_int("SELECT COUNT(*) FROM utility_accounts WHERE number = ?", {a.number}));
    if (taken > 0)
      return fail(ErrorCode::kConflict, "account " + std::to_string(a.number) + " exists",
                  "number");
    const MailingAddress& m = a.mailing;
    CD_ASSIGN(auto row,
              c.query_one("INSERT INTO utility_accounts (number, party_id, premise_id, cycle_id, "
                          "status, opened_on, mail_line1, mail_line2, mail_city, mail_state, "
                          "mail_postal_code, deposit_cents, cash_only, no_shutoff, landlord, "
                          "created_us, updated_us) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, "
                          "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          {a.number, a.party_id, a.premise_id, a.cycle_id, opened_on.iso(), m.line1,
                           m.line2, m.city, m.state, m.postal_code, a.deposit.cents(),
                           std::int64_t{a.flags.cash_only}, std::int64_t{a.flags.no_shutoff},
                           std::int64_t{a.flags.landlord}, now, now}));
    CD_TRY(audit(c, actor, now, "utility_account.open", "utility_account", row.integer(0),
                 {{"number", a.number},
                  {"party_id", a.party_id},
                  {"premise_id", a.premise_id},
                  {"cycle", cycle.code},
                  {"opened_on", opened_on.iso()},
                  {"deposit", format_plain(a.deposit)},
                  {"cash_only", a.flags.cash_only},
                  {"no_shutoff", a.flags.no_shutoff},
                  {"landlord", a.flags.landlord}}));
    std::vector<Service> added;
    for (const auto& [kind_text, rate_class] : in.services) {
      CD_ASSIGN(const ServiceKind kind, parse_service_kind(kind_text, "services"));
      CD_TRY(check_new_service(added, kind, rate_class, opened_on, opened_on));
      CD_ASSIGN(auto s, c.query_one("INSERT INTO services (account_id, kind, rate_class, "
                                    "started_on, created_us) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                    {row.integer(0), kind_text, rate_class, opened_on.iso(), now}));
      added.push_back({s.integer(0), row.integer(0), kind, rate_class, opened_on, std::nullopt});
      CD_TRY(audit(c, actor, now, "service.add", "utility_account", row.integer(0),
                   {{"number", a.number},
                    {"service_id", s.integer(0)},
                    {"kind", kind_text},
                    {"rate_class", rate_class},
                    {"started_on", opened_on.iso()}}));
    }
    number = a.number;
    return a.number;
  }));
  return account(number);
}

Result<AccountView> UtilityBook::account(std::int64_t number) {
  return db_.read<AccountView>([&](store::Connection& c) {
    return load_view(c, number, city_.billing.reads.estimate_periods);
  });
}

Result<std::vector<AccountSummary>> UtilityBook::find_accounts(const AccountQuery& q) {
  if (q.address.size() > kMaxSearchQueryLength)
    return fail(ErrorCode::kTooLarge, "the search text is too long", "address");
  std::string where;
  store::Params params;
  if (q.number) {
    where = "a.number = ?";
    params.push_back(*q.number);
  } else if (q.party_id) {
    where = "a.party_id = ?";
    params.push_back(*q.party_id);
  } else if (!q.address.empty()) {
    const std::string prefix = search::normalize(q.address);
    where = "substr(p.address_key, 1, ?) = ?";
    params.push_back(characters(prefix));
    params.push_back(prefix);
  } else if (!q.name.empty()) {
    return find_accounts_by_name(q);  // account_search.cc
  } else {
    return fail(
        Error::invalid("number", "give an account number, a party_id, an address or a name"));
  }
  if (q.limit < 1 || q.limit > kMaxAccountsPerLookup)
    return fail(
        Error::invalid("limit", "must be between 1 and " + std::to_string(kMaxAccountsPerLookup)));
  params.push_back(std::int64_t{q.limit});
  return db_.read<std::vector<AccountSummary>>(
      [&](store::Connection& c) -> Result<std::vector<AccountSummary>> {
        CD_ASSIGN(auto rows,
                  c.query("SELECT a.number, a.party_id, pa.display_name, a.premise_id, a.status, "
                          "cy.code FROM utility_accounts a JOIN premises p ON p.id = "
                          "a.premise_id JOIN parties pa ON pa.id = a.party_id JOIN cycles cy ON "
                          "cy.id = a.cycle_id WHERE " +
                              where + " ORDER BY a.number LIMIT ?",
                          params));
        std::vector<AccountSummary> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto p, detail::load_premise(c, r.integer(3)));
          out.push_back({r.integer(0), r.integer(1), r.text(2), one_line(p), r.text(4), r.text(5)});
        }
        return out;
      });
}

Result<Service> UtilityBook::add_service(const Actor& actor, std::int64_t number,
                                         const std::string& kind_text,
                                         const std::string& rate_class,
                                         const std::string& started_on) {
  CD_ASSIGN(const ServiceKind kind, parse_service_kind(kind_text));
  CD_ASSIGN(const CivilDate start, date_or_today(started_on, "started_on"));
  const Timestamp now = clock_.now_us();
  return db_.write<Service>([&](store::Connection& c) -> Result<Service> {
    CD_ASSIGN(auto a, detail::load_account(c, number));
    CD_TRY(require_active(a));
    CD_ASSIGN(auto existing, detail::load_services(c, a.id));
    CD_TRY(check_new_service(existing, kind, rate_class, start, a.opened_on));
    CD_ASSIGN(auto row,
              c.query_one("INSERT INTO services (account_id, kind, rate_class, "
                          "started_on, created_us) VALUES (?, ?, ?, ?, ?) RETURNING id",
                          {a.id, std::string(to_string(kind)), rate_class, start.iso(), now}));
    Service s{row.integer(0), a.id, kind, rate_class, start, std::nullopt};
    CD_TRY(audit(c, actor, now, "service.add", "utility_account", a.id,
                 {{"number", number},
                  {"service_id", s.id},
                  {"kind", kind_text},
                  {"rate_class", rate_class},
                  {"started_on", start.iso()}}));
    return s;
  });
}

Result<Service> UtilityBook::stop_service(const Actor& actor, std::int64_t number,
                                          std::int64_t service_id, const std::string& stopped_on) {
  CD_ASSIGN(const CivilDate stop, date_or_today(stopped_on, "stopped_on"));
  const Timestamp now = clock_.now_us();
  return db_.write<Service>([&](store::Connection& c) -> Result<Service> {
    CD_ASSIGN(auto a, detail::load_account(c, number));
    CD_ASSIGN(auto services, detail::load_services(c, a.id));
    for (Service& s : services) {
      if (s.id != service_id) continue;
      CD_TRY(check_stop(s, stop));
      CD_TRY(c.exec("UPDATE services SET stopped_on = ? WHERE id = ?", {stop.iso(), s.id}));
      s.stopped_on = stop;
      CD_TRY(audit(c, actor, now, "service.stop", "utility_account", a.id,
                   {{"number", number},
                    {"service_id", s.id},
                    {"kind", std::string(to_string(s.kind))},
                    {"stopped_on", stop.iso()}}));
      return s;
    }
    return fail(
        ErrorCode::kNotFound,
        "account " + std::to_string(number) + " has no service " + std::to_string(service_id),
        "service_id");
  });
}

Result<RefuseCart> UtilityBook::add_refuse_cart(const Actor& actor, std::int64_t number,
                                                RefuseCart cart, const std::string& started_on) {
  CD_TRY(check_refuse_cart(cart));
  CD_ASSIGN(cart.started_on, date_or_today(started_on, "started_on"));
  const Timestamp now = clock_.now_us();
  return db_.write<RefuseCart>([&](store::Connection& c) -> Result<RefuseCart> {
    CD_ASSIGN(auto a, detail::load_account(c, number));
    CD_TRY(require_active(a));
    CD_ASSIGN(auto row,
              c.query_one("INSERT INTO refuse_carts (account_id, size_gallons, "
                          "cart_count, pickups_per_week, started_on, created_us) "
                          "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                          {a.id, std::int64_t{cart.size_gallons}, std::int64_t{cart.count},
                           std::int64_t{cart.pickups_per_week}, cart.started_on.iso(), now}));
    cart.id = row.integer(0);
    cart.account_id = a.id;
    CD_TRY(audit(c, actor, now, "refuse_cart.add", "utility_account", a.id,
                 {{"number", number},
                  {"size_gallons", cart.size_gallons},
                  {"count", cart.count},
                  {"pickups_per_week", cart.pickups_per_week}}));
    return cart;
  });
}

Result<InstalledMeter> UtilityBook::install_meter(const Actor& actor, std::int64_t number,
                                                  const Meter& meter,
                                                  const std::string& installed_on,
                                                  std::int64_t initial_read) {
  CD_ASSIGN(const CivilDate on, date_or_today(installed_on, "installed_on"));
  const Timestamp now = clock_.now_us();
  return db_.write<InstalledMeter>([&](store::Connection& c) -> Result<InstalledMeter> {
    CD_ASSIGN(auto a, detail::load_account(c, number));
    CD_TRY(require_active(a));
    Meter m = meter;
    CD_ASSIGN(m.id, insert_meter(c, m, now));
    CD_ASSIGN(auto install_id, insert_install(c, actor, now, a, m, on, initial_read, "install"));
    CD_TRY(audit(c, actor, now, "meter.install", "utility_account", a.id,
                 {{"number", number},
                  {"serial", m.serial},
                  {"installed_on", on.iso()},
                  {"initial_read", initial_read},
                  {"install_id", install_id}}));
    return InstalledMeter{
        m, {install_id, m.id, a.premise_id, a.id, on, initial_read, std::nullopt, std::nullopt}};
  });
}

Result<InstalledMeter> UtilityBook::exchange_meter(const Actor& actor, std::int64_t number,
                                                   const std::string& old_serial,
                                                   const std::string& exchanged_on,
                                                   std::int64_t final_read, const Meter& new_meter,
                                                   std::int64_t initial_read) {
  CD_ASSIGN(const CivilDate on, date_or_today(exchanged_on, "exchanged_on"));
  const Timestamp now = clock_.now_us();
  return db_.write<InstalledMeter>([&](store::Connection& c) -> Result<InstalledMeter> {
    CD_ASSIGN(auto a, detail::load_account(c, number));
    CD_TRY(require_active(a));
    CD_ASSIGN(auto old, detail::current_meter(c, a, old_serial));
    // The final read closes the old meter's last period; it is judged like any read, but an
    // exchange is done in the field with the meter in hand, so it is stored accepted and its
    // check kept for the record.
    CD_ASSIGN(auto prior, detail::prior_read(c, old.meter.id));
    if (!prior) return fail(ErrorCode::kUnprocessable, "the old meter has no reads", "final_read");
    CD_ASSIGN(auto history, detail::load_history(c, a.id));
    const DailyUse use = average_daily_use(history, city_.billing.reads.estimate_periods);
    ReadDecision d;
    if (on > prior->read_on) {
      CD_ASSIGN(d, validate_read(old.meter, *prior, final_read, on, use, city_.billing.reads));
      if (d.check == ReadCheck::kNegative) return fail(Error::invalid("final_read", d.message));
    } else if (on < prior->read_on) {
      return fail(Error::invalid("exchanged_on",
                                 "must be on or after the last read on " + prior->read_on.iso()));
    } else {
      CD_TRY(check_register_value(old.meter, final_read, "final_read"));
      if (final_read != prior->value)
        return fail(Error::invalid("final_read",
                                   "a read was taken today; the final read must "
                                   "match it (" +
                                       std::to_string(prior->value) + ")"));
    }
    detail::NewRead fr{old.meter.id, old.install.id, a.id, on, final_read,       "final",
                       "exchange",   "accepted",     d,    "", "meter exchange", std::nullopt};
    if (on > prior->read_on) CD_TRY(detail::insert_read(c, actor, now, fr));
    CD_TRY(
        c.exec("UPDATE meter_installs SET removed_on = ?, final_read = ?, removal_reason = "
               "'exchange' WHERE id = ?",
               {on.iso(), final_read, old.install.id}));
    Meter m = new_meter;
    CD_ASSIGN(m.id, insert_meter(c, m, now));
    CD_ASSIGN(auto install_id, insert_install(c, actor, now, a, m, on, initial_read, "exchange"));
    CD_TRY(audit(c, actor, now, "meter.exchange", "utility_account", a.id,
                 {{"number", number},
                  {"old_serial", old.meter.serial},
                  {"final_read", final_read},
                  {"new_serial", m.serial},
                  {"initial_read", initial_read},
                  {"exchanged_on", on.iso()}}));
    return InstalledMeter{
        m, {install_id, m.id, a.premise_id, a.id, on, initial_read, std::nullopt, std::nullopt}};
  });
}

}  // namespace civicdesk::billing
