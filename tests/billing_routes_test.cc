// Route administration and refuse-cart stops on both databases (route_book.cc): a cycle's read
// schedule changed with its audit record, a route's walk built by account number, reordered
// (every stop once, the bad entry named) and shortened — and the handheld export follows the
// walk at once; a cart stopped with every refusal named; and the API with its permissions
// (billing.routes for cycles and routes, billing.write for carts).
#include <map>

#include "billing/utility_book.h"
#include "customers/party_book.h"
#include "demo/demo_city.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

namespace json = boost::json;

class BillingRoutesTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    for (auto role : {"csr2", "csr3", "supervisor"}) users_[role] = make_user(role);
    ASSERT_TRUE(book().create_cycle(as("supervisor"), billing::Cycle{0, "C1", "Cycle 1", 5, 1}));
    ASSERT_TRUE(book().create_cycle(as("supervisor"), billing::Cycle{0, "C2", "Cycle 2", 20, 1}));
    ASSERT_TRUE(book().create_route(as("supervisor"), "R01", "North walk", "C1"));
    ASSERT_TRUE(book().create_route(as("supervisor"), "R02", "South walk", "C2"));  // the demo's
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  billing::UtilityBook& book() { return app_->billing(); }
  // An account in `cycle` at a new premise `line1` with a 4-dial meter `serial` (initial 1000)
  // and a read on 2026-02-05, so the export has a line for it.
  std::int64_t account(const std::string& line1, const std::string& serial,
                       const std::string& cycle = "C1") {
    customers::PartyInput p;
    p.first_name = "Ada";
    p.last_name = "Walker " + serial;
    p.addresses.push_back({"mailing", "PO Box 12", "", "Riverton", "CA", "95001"});
    std::vector<customers::DuplicateCandidate> dups;
    auto party = app_->parties().create(as("csr2"), p, true, dups);
    EXPECT_TRUE(party) << party.error().message;
    billing::Premise pr;
    pr.line1 = line1;
    pr.city = "RIVERTON";
    pr.state = "CA";
    pr.postal_code = "95000";
    pr.parcel_number = "001-002-03";
    auto premise = book().create_premise(as("csr2"), pr);
    EXPECT_TRUE(premise) << premise.error().message;
    if (!party || !premise) return 0;
    billing::OpenAccountInput in;
    in.party_id = party->id.value;
    in.premise_id = premise->id;
    in.cycle_code = cycle;
    in.opened_on = "2026-01-05";
    in.services = {{"water", "RES"}, {"refuse", "RES"}};
    auto a = book().open_account(as("csr2"), in);
    EXPECT_TRUE(a) << a.error().message;
    if (!a) return 0;
    billing::Meter m;
    m.serial = serial;
    m.size = "5/8\"";
    m.make = "Badger";
    m.dials = 4;
    m.unit = billing::MeterUnit::kCcf;
    EXPECT_TRUE(book().install_meter(as("csr2"), a->account.number, m, "2026-01-05", 1000));
    return a->account.number;
  }
  std::int64_t premise_of(std::int64_t number) {
    auto v = book().account(number);
    EXPECT_TRUE(v);
    return v ? v->premise.id : 0;
  }
  // The meter serials of the route's export, in file order.
  std::vector<std::string> exported(const std::string& route) {
    auto csv = book().export_route(route);
    EXPECT_TRUE(csv) << csv.error().message;
    std::vector<std::string> out;
    if (!csv) return out;
    std::size_t at = csv->find('\n') + 1;
    while (at < csv->size()) {
      const std::size_t end = csv->find('\n', at);
      // The address is quoted (it has commas); this test's serials all start "M-".
      std::string line = csv->substr(at, end - at);
      line = line.substr(line.find(",M-") + 1);
      out.push_back(line.substr(0, line.find(',')));
      at = end + 1;
    }
    return out;
  }
  std::vector<std::int64_t> walk(const billing::RouteView& v) {
    std::vector<std::int64_t> out;
    for (const auto& s : v.stops) out.push_back(*s.account_number);
    return out;
  }
  std::int64_t count(const std::string& sql) {
    auto n = app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  std::string audit_json(const std::string& action, const char* column) {
    auto s = app_->db().read<std::string>([&](store::Connection& c) -> Result<std::string> {
      CD_ASSIGN(auto row, c.query_one(std::string("SELECT ") + column +
                                          " FROM audit_log WHERE action = ? ORDER BY seq DESC "
                                          "LIMIT 1",
                                      {action}));
      return row.text(0);
    });
    EXPECT_TRUE(s) << action;
    return s ? *s : "";
  }
  std::map<std::string, security::User> users_;
};

TEST_P(BillingRoutesTest, ACyclesScheduleIsChangedWithItsAuditRecord) {
  auto c = book().update_cycle(as("supervisor"), "C1", "", 12, 2);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->name, "Cycle 1");  // "" keeps the name
  EXPECT_EQ(c->read_day, 12);
  EXPECT_EQ(c->period_months, 2);
  // Bi-monthly from January: after 2026-11-26 the next read is 2027-01-12.
  EXPECT_EQ(billing::next_scheduled_read(*c, *parse_date("2026-11-26")).iso(), "2027-01-12");
  EXPECT_EQ(audit_json("cycle.update", "before_json"),
            R"({"name":"Cycle 1","read_day":5,"period_months":1})");
  EXPECT_EQ(audit_json("cycle.update", "after_json"),
            R"({"name":"Cycle 1","read_day":12,"period_months":2})");
  EXPECT_EQ(book().update_cycle(as("supervisor"), "C1", "", 29, 1).error().field, "read_day");
  EXPECT_EQ(book().update_cycle(as("supervisor"), "C1", "", 1, 4).error().field, "period_months");
  EXPECT_EQ(book().update_cycle(as("supervisor"), "C9", "", 1, 1).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.update'"), 1);
}

TEST_P(BillingRoutesTest, TheWalkIsBuiltReorderedAndShortenedAndTheExportFollowsIt) {
  const std::int64_t a = account("101 MAIN ST", "M-A");
  const std::int64_t b = account("205 OAK AVE", "M-B");
  const std::int64_t c = account("17 ELM ST", "M-C");
  const std::int64_t other = account("9 SOUTH RD", "M-X", "C2");
  ASSERT_TRUE(book().add_stop_for_account(as("supervisor"), "R01", a, std::nullopt));
  ASSERT_TRUE(book().add_stop_for_account(as("supervisor"), "R01", b, std::nullopt));
  // Position 1 puts c first; the walk is renumbered 10, 20, 30.
  auto v = book().add_stop_for_account(as("supervisor"), "R01", c, 1);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(walk(*v), (std::vector<std::int64_t>{c, a, b}));
  EXPECT_EQ(v->stops[2].sequence, 30);
  EXPECT_EQ(v->stops[0].service_address, "17 ELM ST, RIVERTON, CA 95000");
  EXPECT_EQ(v->stops[0].party_name, "Ada Walker M-C");
  EXPECT_EQ(exported("R01"), (std::vector<std::string>{"M-C", "M-A", "M-B"}));
  // Refusals name the field: another cycle's account, a premise already on the route.
  auto wrong_cycle = book().add_stop_for_account(as("supervisor"), "R01", other, std::nullopt);
  ASSERT_FALSE(wrong_cycle);
  EXPECT_EQ(wrong_cycle.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(wrong_cycle.error().field, "account_number");
  auto twice = book().add_stop_for_account(as("supervisor"), "R01", a, std::nullopt);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(book().add_stop_for_account(as("supervisor"), "R99", a, 1).error().field, "route");

  // The new walk: b, c, a — and the export follows at once.
  const std::int64_t pa = premise_of(a), pb = premise_of(b), pc = premise_of(c);
  auto re = book().reorder_stops(as("supervisor"), "R01", {pb, pc, pa});
  ASSERT_TRUE(re) << re.error().message;
  EXPECT_EQ(walk(*re), (std::vector<std::int64_t>{b, c, a}));
  EXPECT_EQ(exported("R01"), (std::vector<std::string>{"M-B", "M-C", "M-A"}));
  EXPECT_EQ(audit_json("route.reorder", "before_json"),
            R"({"route":"R01","premise_ids":[)" + std::to_string(pc) + "," + std::to_string(pa) +
                "," + std::to_string(pb) + "]}");
  // Every stop once, the bad entry named; a refused order changes nothing.
  EXPECT_EQ(book().reorder_stops(as("supervisor"), "R01", {pb, pc, pc}).error().field,
            "premise_ids[2]");
  EXPECT_EQ(
      book().reorder_stops(as("supervisor"), "R01", {pb, premise_of(other), pa}).error().field,
      "premise_ids[1]");
  EXPECT_EQ(book().reorder_stops(as("supervisor"), "R01", {pb, pc}).error().field, "premise_ids");
  EXPECT_EQ(exported("R01"), (std::vector<std::string>{"M-B", "M-C", "M-A"}));

  // Removing c: off the route (and off the export); the account page says no route.
  auto removed = book().remove_stop(as("supervisor"), "R01", pc);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(walk(*removed), (std::vector<std::int64_t>{b, a}));
  EXPECT_EQ(exported("R01"), (std::vector<std::string>{"M-B", "M-A"}));
  EXPECT_EQ(book().account(c)->route_code, "");
  EXPECT_EQ(book().remove_stop(as("supervisor"), "R01", pc).error().code, ErrorCode::kNotFound);
  // … and can be added back at the end.
  auto back = book().add_stop_for_account(as("supervisor"), "R01", c, 99);
  ASSERT_TRUE(back);
  EXPECT_EQ(walk(*back), (std::vector<std::int64_t>{b, a, c}));
  // Two route.create (the fixture), four route.add_stop, one reorder, one remove_stop.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'route.%'"), 2 + 4 + 1 + 1);
}

TEST_P(BillingRoutesTest, ACartIsStoppedOnceAndNotBeforeItStarted) {
  const std::int64_t n = account("101 MAIN ST", "M-A");
  billing::RefuseCart cart;
  cart.size_gallons = 96;
  auto added = book().add_refuse_cart(as("csr2"), n, cart, "2026-02-01");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(book().stop_refuse_cart(as("csr2"), n, added->id, "2026-01-31").error().field,
            "stopped_on");
  EXPECT_EQ(book().stop_refuse_cart(as("csr2"), n, added->id, "2026-02-30").error().field,
            "stopped_on");
  auto stopped = book().stop_refuse_cart(as("csr2"), n, added->id, "2026-03-16");
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(stopped->stopped_on->iso(), "2026-03-16");
  EXPECT_EQ(book().account(n)->carts[0].stopped_on->iso(), "2026-03-16");
  auto again = book().stop_refuse_cart(as("csr2"), n, added->id, "2026-04-01");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(again.error().field, "stopped_on");
  // Another account's cart is not this account's.
  const std::int64_t other = account("205 OAK AVE", "M-B");
  auto theirs = book().stop_refuse_cart(as("csr2"), other, added->id, "2026-04-01");
  ASSERT_FALSE(theirs);
  EXPECT_EQ(theirs.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(theirs.error().field, "cart_id");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'refuse_cart.stop'"), 1);
  EXPECT_NE(audit_json("refuse_cart.stop", "after_json").find(R"("stopped_on":"2026-03-16")"),
            std::string::npos);
}

TEST_P(BillingRoutesTest, ApiAdministersCyclesRoutesAndCartsWithPermissions) {
  Client csr2 = sign_in("csr2"), csr3 = sign_in("csr3"), sup = sign_in("supervisor");
  const std::string cycle = R"({"code":"C7","name":"Cycle 7: west","read_day":9})";
  EXPECT_EQ(call("POST", "/api/v1/billing/cycles", cycle, &csr3).status, 403);
  auto made = call("POST", "/api/v1/billing/cycles", cycle, &sup);
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body.at("period_months").as_int64(), 1);
  EXPECT_EQ(made.body.at("next_read_on").as_string(), "2026-12-09");
  EXPECT_EQ(call("POST", "/api/v1/billing/cycles", cycle, &sup).status, 409);
  auto bad_day =
      call("POST", "/api/v1/billing/cycles", R"({"code":"C8","name":"x","read_day":31})", &sup);
  EXPECT_EQ(bad_day.status, 400);
  EXPECT_EQ(bad_day.error_field(), "read_day");
  auto changed =
      call("PUT", "/api/v1/billing/cycles/C7", R"({"read_day":3,"period_months":3})", &sup);
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body.at("next_read_on").as_string(), "2027-01-03");
  auto cycles = call("GET", "/api/v1/billing/cycles", "", &csr2);
  ASSERT_EQ(cycles.status, 200);
  EXPECT_EQ(cycles.body.at("items").as_array().size(), 3u);

  EXPECT_EQ(
      call("POST", "/api/v1/billing/routes", R"({"code":"R07","name":"West","cycle":"C7"})", &csr3)
          .status,
      403);
  auto no_cycle =
      call("POST", "/api/v1/billing/routes", R"({"code":"R07","name":"West","cycle":"C99"})", &sup);
  EXPECT_EQ(no_cycle.status, 404);
  EXPECT_EQ(no_cycle.error_field(), "cycle");
  auto route =
      call("POST", "/api/v1/billing/routes", R"({"code":"R07","name":"West","cycle":"C7"})", &sup);
  ASSERT_EQ(route.status, 201) << route.raw;
  EXPECT_EQ(route.body.at("stops").as_array().size(), 0u);

  const std::int64_t a = account("101 MAIN ST", "M-A", "C7");
  const std::int64_t b = account("205 OAK AVE", "M-B", "C7");
  auto add = [&](std::int64_t n, const std::string& extra, const Client* who) {
    return call("POST", "/api/v1/billing/routes/R07/stops",
                R"({"account_number":)" + std::to_string(n) + extra + "}", who);
  };
  EXPECT_EQ(add(a, "", &csr2).status, 403);
  ASSERT_EQ(add(a, "", &sup).status, 201);
  auto two = add(b, R"(,"position":1)", &sup);
  ASSERT_EQ(two.status, 201) << two.raw;
  const auto& stops = two.body.at("stops").as_array();
  ASSERT_EQ(stops.size(), 2u);
  EXPECT_EQ(stops[0].at("account_number").as_int64(), b);
  EXPECT_EQ(stops[0].at("position").as_int64(), 1);
  const std::int64_t pa = stops[1].at("premise_id").as_int64();
  const std::int64_t pb = stops[0].at("premise_id").as_int64();
  auto csv = call("GET", "/api/v1/billing/routes/R07/export", "", &csr2);
  ASSERT_EQ(csv.status, 200);
  EXPECT_LT(csv.raw.find("M-B"), csv.raw.find("M-A"));
  // Reorder: the bad entry is named; then a, b — and the export follows.
  auto dup =
      call("PUT", "/api/v1/billing/routes/R07/stops",
           R"({"premise_ids":[)" + std::to_string(pa) + "," + std::to_string(pa) + "]}", &sup);
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.error_field(), "premise_ids[1]");
  auto not_number =
      call("PUT", "/api/v1/billing/routes/R07/stops", R"({"premise_ids":["x"]})", &sup);
  EXPECT_EQ(not_number.error_field(), "premise_ids[0]");
  auto order =
      call("PUT", "/api/v1/billing/routes/R07/stops",
           R"({"premise_ids":[)" + std::to_string(pa) + "," + std::to_string(pb) + "]}", &sup);
  ASSERT_EQ(order.status, 200) << order.raw;
  csv = call("GET", "/api/v1/billing/routes/R07/export", "", &csr2);
  EXPECT_LT(csv.raw.find("M-A"), csv.raw.find("M-B")) << csv.raw;
  auto got = call("GET", "/api/v1/billing/routes/R07", "", &csr2);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.at("stops").as_array()[0].at("account_number").as_int64(), a);
  EXPECT_EQ(
      call("DELETE", "/api/v1/billing/routes/R07/stops/" + std::to_string(pa), "", &csr3).status,
      403);
  auto removed = call("DELETE", "/api/v1/billing/routes/R07/stops/" + std::to_string(pa), "", &sup);
  ASSERT_EQ(removed.status, 200) << removed.raw;
  EXPECT_EQ(removed.body.at("stops").as_array().size(), 1u);

  // Carts: CSR II adds and stops one; the date and the cart are checked.
  const std::string acct = "/api/v1/billing/accounts/" + std::to_string(a);
  auto cart = call("POST", acct + "/refuse-carts",
                   R"({"size_gallons":64,"started_on":"2026-02-01"})", &csr2);
  ASSERT_EQ(cart.status, 201) << cart.raw;
  const std::string stop =
      acct + "/refuse-carts/" + std::to_string(cart.body.at("id").as_int64()) + "/stop";
  auto early = call("POST", stop, R"({"stopped_on":"2026-01-01"})", &csr2);
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(early.error_field(), "stopped_on");
  EXPECT_EQ(call("POST", stop, R"({"stoped_on":"2026-03-01"})", &csr2).error_field(), "stoped_on");
  auto stopped = call("POST", stop, R"({"stopped_on":"2026-03-01"})", &csr2);
  ASSERT_EQ(stopped.status, 200) << stopped.raw;
  EXPECT_EQ(stopped.body.at("stopped_on").as_string(), "2026-03-01");
  EXPECT_EQ(call("POST", acct + "/refuse-carts/999999/stop", "{}", &csr2).status, 404);
}

TEST_P(BillingRoutesTest, TheDemosAccountsHaveCartsSoTheirBillsCarryRefuse) {
  auto summary = demo::generate(*app_, 12, 8, 7);
  ASSERT_TRUE(summary) << summary.error().message;
  // One cart per demo account, from the opening day: households 64 or 96 gallons weekly.
  EXPECT_EQ(count("SELECT COUNT(*) FROM refuse_carts"), 8);
  EXPECT_EQ(count("SELECT COUNT(*) FROM refuse_carts c JOIN utility_accounts a ON a.id = "
                  "c.account_id WHERE c.started_on <> a.opened_on OR c.stopped_on IS NOT NULL"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM refuse_carts WHERE size_gallons NOT IN (64, 96)"), 0);
  // The first account's latest period priced by the City's tariff has a refuse line and no
  // "without carts" warning.
  Client csr2 = sign_in("csr2");
  auto bill = call("POST", "/api/v1/billing/what-if",
                   R"({"account_number":)" + std::to_string(summary->first_account) + "}", &csr2);
  ASSERT_EQ(bill.status, 200) << bill.raw;
  bool refuse = false;
  for (const json::value& l : bill.body.at("lines").as_array())
    refuse = refuse || l.at("component").as_string() == "refuse";
  EXPECT_TRUE(refuse) << bill.raw;
  EXPECT_EQ(bill.raw.find("without carts"), std::string::npos) << bill.raw;
}

TEST_P(BillingRoutesTest, AnAccountsWhatIfPricesEachCartForItsDaysAsTheBillDoes) {
  // The account's latest period is 2026-01-05 .. 2026-02-05 (31 days). A 64-gallon cart from
  // January 20 (16 days) and one stopped on January 5 (none): FY2026 RES $29.60 × 16/30 =
  // $15.786… → $15.79; UUT 5.5% of it = $0.868… → $0.87.
  const std::int64_t n = account("101 MAIN ST", "M-A");
  billing::ReadEntry e;
  e.value = 1031;
  e.read_on = "2026-02-05";
  ASSERT_TRUE(book().enter_read(as("csr2"), n, e));
  billing::RefuseCart cart;
  auto gone = book().add_refuse_cart(as("csr2"), n, cart, "2026-01-05");
  ASSERT_TRUE(gone);
  ASSERT_TRUE(book().stop_refuse_cart(as("csr2"), n, gone->id, "2026-01-05"));
  ASSERT_TRUE(book().add_refuse_cart(as("csr2"), n, cart, "2026-01-20"));
  Client csr2 = sign_in("csr2");
  auto w =
      call("POST", "/api/v1/billing/what-if",
           R"({"account_number":)" + std::to_string(n) + R"(,"rate_version":"FY2026"})", &csr2);
  ASSERT_EQ(w.status, 200) << w.raw;
  EXPECT_EQ(w.body.at("days").as_int64(), 31);
  std::vector<std::string> refuse;
  for (const json::value& l : w.body.at("lines").as_array())
    if (l.at("service").as_string() == "refuse")
      refuse.push_back(std::string(l.at("component").as_string()) + "=" +
                       std::string(l.at("amount").as_string()));
  EXPECT_EQ(refuse, (std::vector<std::string>{"refuse=15.79", "tax=0.87"})) << w.raw;
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(BillingRoutesTest);

}  // namespace
}  // namespace civicdesk::testing
