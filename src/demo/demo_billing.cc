// Utility billing records for the demo City: the parties that get a demo utility bill
// (seed_receivables) also get a premise at their address, a utility account with the SAME number
// as the bill (1000 + party id, so the stub's scanline finds both), water, sewer and refuse with
// refuse carts, and a meter with twelve months of reads, on two cycles (read on the 5th and the
// 20th) and two routes. Every thirtieth account's last read is high, so the read exception queue
// has work. One transaction per account step (premise, account with its services, meter, the year
// of reads), so the demo stays fast.
#include <algorithm>

#include "billing/utility_book.h"
#include "demo/demo_city.h"

namespace civicdesk::demo {
namespace {

struct DemoRoute {
  const char* cycle;
  const char* cycle_name;
  int read_day;
  const char* route;
  const char* route_name;
};
constexpr DemoRoute kRoutes[] = {
    {"C1", "Cycle 1: north side, read on the 5th", 5, "R01", "North side walk"},
    {"C2", "Cycle 2: south side, read on the 20th", 20, "R02", "South side walk"},
};

Result<void> ensure_routes(billing::UtilityBook& book, const Actor& actor) {
  CD_ASSIGN(auto cycles, book.cycles());
  for (const DemoRoute& r : kRoutes) {
    const bool have = std::any_of(cycles.begin(), cycles.end(),
                                  [&](const billing::Cycle& c) { return c.code == r.cycle; });
    if (have) continue;
    CD_TRY(book.create_cycle(actor, billing::Cycle{0, r.cycle, r.cycle_name, r.read_day, 1}));
    CD_TRY(book.create_route(actor, r.route, r.route_name, r.cycle));
  }
  return {};
}

struct DemoParty {
  std::int64_t id = 0;
  bool business = false;
  billing::Premise premise;
};

Result<std::vector<DemoParty>> parties_after(App& app, std::int64_t after, std::int64_t n) {
  return app.db().read<std::vector<DemoParty>>(
      [&](store::Connection& c) -> Result<std::vector<DemoParty>> {
        CD_ASSIGN(auto rows, c.query("SELECT p.id, p.kind, a.line1, a.line2, a.city, a.state, "
                                     "a.postal_code FROM parties p LEFT JOIN party_addresses a ON "
                                     "a.party_id = p.id AND a.position = 0 WHERE p.id > ? "
                                     "ORDER BY p.id LIMIT ?",
                                     {after, n}));
        std::vector<DemoParty> out;
        for (const auto& r : rows) {
          DemoParty d;
          d.id = r.integer(0);
          d.business = r.text(1) == "business";
          auto& p = d.premise;
          p.line1 = r.text(2);
          p.line2 = r.text(3);
          p.city = r.text(4);
          p.state = r.text(5);
          p.postal_code = r.text(6);
          if (p.line1.empty()) {
            p.line1 = std::to_string(100 + d.id) + " CIVIC CENTER DR";
            p.city = "RIVERTON";
            p.state = "CA";
            p.postal_code = "95000";
          }
          p.type =
              d.business ? billing::PremiseType::kCommercial : billing::PremiseType::kSingleFamily;
          p.parcel_number = std::to_string(100 + d.id % 900) + "-" +
                            std::to_string(100 + d.id % 97) + "-" + std::to_string(10 + d.id % 89);
          out.push_back(std::move(d));
        }
        return out;
      });
}

Result<billing::Premise> premise_for(billing::UtilityBook& book, const Actor& actor, DemoParty& d) {
  auto made = book.create_premise(actor, d.premise);
  if (made || made.error().code != ErrorCode::kConflict) return made;
  // Two demo parties at one address: the second is a unit of it.
  d.premise.line2 = "UNIT " + std::to_string(d.id);
  return book.create_premise(actor, d.premise);
}

// A year of monthly reads: daily use `daily_mccf` (summer × 1.5, ±10% noise), the last one
// three times the usual when `high_last`.
std::vector<billing::ReadEntry> year_of_reads(const billing::Meter& m, std::int64_t initial,
                                              const std::vector<CivilDate>& dates,
                                              std::int64_t daily_mccf, bool high_last,
                                              Random& rng) {
  std::vector<billing::ReadEntry> out;
  const std::int64_t capacity = billing::register_capacity(m.dials);
  std::int64_t value = initial;
  for (std::size_t i = 1; i < dates.size(); ++i) {
    const std::int64_t days = dates[i].days_since_epoch() - dates[i - 1].days_since_epoch();
    const bool summer = dates[i].month >= 6 && dates[i].month <= 9;
    std::int64_t mccf = daily_mccf * days * (summer ? 15 : 10) / 10;
    mccf = mccf * (90 + static_cast<std::int64_t>(rng.below(21))) / 100;
    if (high_last && i + 1 == dates.size()) mccf *= 3;
    value = (value + billing::register_units_for(m, mccf)) % capacity;
    billing::ReadEntry e;
    e.value = value;
    e.read_on = dates[i].iso();
    e.reader = i % 2 ? "J. Ramos" : "K. Lee";
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::int64_t> seed_utility_accounts(App& app, const Actor& actor,
                                           std::int64_t after_party_id, std::int64_t accounts,
                                           std::uint64_t seed) {
  if (accounts <= 0) return 0;
  billing::UtilityBook& book = app.billing();
  CD_TRY(ensure_routes(book, actor));
  CD_ASSIGN(auto list, parties_after(app, after_party_id, accounts));
  Random rng(seed ^ 0xb111'0a7eULL);
  const CivilDate today = book.today();
  std::int64_t made = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    DemoParty& d = list[i];
    const DemoRoute& route = kRoutes[i % 2];
    // The last scheduled read on or before today and the twelve before it (the first is the
    // meter's install).
    billing::Cycle cycle{0, route.cycle, route.cycle_name, route.read_day, 1};
    auto dates = billing::scheduled_reads(cycle, today.plus_days(-400), today);
    dates.erase(dates.begin(), dates.end() - 13);
    CD_ASSIGN(auto premise, premise_for(book, actor, d));
    // Walk order by party id: later demo runs append to the routes.
    CD_TRY(book.add_route_stop(actor, route.route, premise.id, static_cast<int>(d.id) * 10));
    billing::OpenAccountInput in;
    in.party_id = d.id;
    in.premise_id = premise.id;
    in.cycle_code = route.cycle;
    in.number = billing::kAccountNumberBase + d.id;
    in.opened_on = dates.front().iso();
    in.deposit = Money::from_cents(d.business ? 20000 : 7500);
    in.flags.no_shutoff = d.id % 40 == 0;
    in.flags.landlord = d.id % 17 == 0;
    const std::string rate_class = d.business ? "COM" : "RES";
    in.services = {{"water", rate_class}, {"sewer", rate_class}, {"refuse", rate_class}};
    CD_TRY(book.open_account(actor, in));
    // Refuse carts from the opening day, so the demo's bills carry refuse lines: a household
    // has a 64-gallon cart (every third a 96), collected weekly; a business has a 96-gallon
    // cart, every fourth two of them collected twice a week. No random draws here: the reads
    // below stay what they were.
    billing::RefuseCart cart;
    cart.size_gallons = d.business || i % 3 == 2 ? 96 : 64;
    if (d.business && d.id % 4 == 0) {
      cart.count = 2;
      cart.pickups_per_week = 2;
    }
    CD_TRY(book.add_refuse_cart(actor, *in.number, cart, in.opened_on));
    billing::Meter m;
    m.serial = "RV" + std::to_string(100000 + d.id);
    m.make = i % 3 == 0 ? "Neptune" : "Badger";
    const bool gallons = i % 10 == 9;
    m.size = d.business ? "1\"" : "5/8\"";
    m.dials = gallons ? 7 : 5;
    m.unit = gallons ? billing::MeterUnit::kGallons : billing::MeterUnit::kCcf;
    const std::int64_t initial = static_cast<std::int64_t>(
        rng.below(static_cast<std::uint64_t>(billing::register_capacity(m.dials) / 4)));
    CD_TRY(book.install_meter(actor, *in.number, m, dates.front().iso(), initial));
    // 0.20 to 0.60 CCF a day (a household), a business three times that.
    std::int64_t daily = 200 + static_cast<std::int64_t>(rng.below(401));
    if (d.business) daily *= 3;
    auto reads = year_of_reads(m, initial, dates, daily, d.id % 30 == 0, rng);
    CD_TRY(book.enter_reads(actor, *in.number, reads));
    ++made;
  }
  return made;
}

}  // namespace civicdesk::demo
