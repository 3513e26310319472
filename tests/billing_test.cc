// Utility billing part 1 on both databases: accounts at premises with services and meters, reads
// accepted or queued, each resolution of the read exception queue (accept, correct, re-read,
// estimate and its true-up), a meter exchange, the route export in walk order and the handheld
// import (per-line errors, idempotent re-import), and the API with its permissions.
#include <fstream>
#include <iterator>
#include <map>

#include "billing/utility_book.h"
#include "customers/party_book.h"
#include "demo/demo_city.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

namespace json = boost::json;
using billing::ReadOutcome;

class BillingTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;  // no App (e.g. the City config did not load)
    for (auto role : {"csr1", "csr2", "csr3", "field"}) users_[role] = make_user(role);
    ASSERT_TRUE(book().create_cycle(as("csr3"), billing::Cycle{0, "C1", "Cycle 1", 5, 1}));
    ASSERT_TRUE(book().create_route(as("csr3"), "R01", "North route", "C1"));
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  billing::UtilityBook& book() { return app_->billing(); }
  std::int64_t party(const std::string& first, const std::string& last) {
    customers::PartyInput p;
    p.first_name = first;
    p.last_name = last;
    p.addresses.push_back({"mailing", "PO Box 12", "", "Riverton", "CA", "95001"});
    std::vector<customers::DuplicateCandidate> dups;
    auto made = app_->parties().create(as("csr2"), p, true, dups);
    EXPECT_TRUE(made) << made.error().message;
    return made ? made->id.value : 0;
  }
  std::int64_t premise(const std::string& line1, int stop) {
    billing::Premise p;
    p.line1 = line1;
    p.city = "RIVERTON";
    p.state = "CA";
    p.postal_code = "95000";
    p.parcel_number = "001-002-03";
    auto made = book().create_premise(as("csr2"), p);
    EXPECT_TRUE(made) << made.error().message;
    if (!made) return 0;
    EXPECT_TRUE(book().add_route_stop(as("csr3"), "R01", made->id, stop));
    return made->id;
  }
  // An account at a new premise, water/sewer/refuse from 2026-01-05, a 4-dial CCF meter
  // `serial` installed with 1000.
  std::int64_t account(const std::string& serial = "M-1001",
                       const std::string& line1 = "101 MAIN ST", int stop = 10) {
    billing::OpenAccountInput in;
    in.party_id = party("Ada", "Lovelace" + serial);
    in.premise_id = premise(line1, stop);
    in.cycle_code = "C1";
    in.opened_on = "2026-01-05";
    in.deposit = Money::from_cents(5000);
    in.flags.no_shutoff = true;
    auto a = book().open_account(as("csr2"), in);
    EXPECT_TRUE(a) << a.error().field << ": " << a.error().message;
    if (!a) return 0;
    const std::int64_t n = a->account.number;
    for (auto kind : {"water", "sewer", "refuse"})
      EXPECT_TRUE(book().add_service(as("csr2"), n, kind, "RES", "2026-01-05"));
    billing::Meter m;
    m.serial = serial;
    m.size = "5/8\"";
    m.make = "Badger";
    m.dials = 4;
    m.unit = billing::MeterUnit::kCcf;
    auto im = book().install_meter(as("csr2"), n, m, "2026-01-05", 1000);
    EXPECT_TRUE(im) << im.error().message;
    return n;
  }
  ReadOutcome read(std::int64_t number, std::int64_t value, const std::string& on) {
    billing::ReadEntry e;
    e.value = value;
    e.read_on = on;
    auto r = book().enter_read(as("field"), number, e);
    EXPECT_TRUE(r) << on << ": " << r.error().field << ": " << r.error().message;
    return r ? *r : ReadOutcome{};
  }
  // Three accepted months of 10 CCF a day, then a high read on 2026-05-05 (1,000 CCF in 30
  // days against 300 expected). Returns the exception's id.
  std::int64_t history_then_high_read(std::int64_t n) {
    EXPECT_EQ(read(n, 1310, "2026-02-05").read.status, "accepted");  // 310 in 31 days
    EXPECT_EQ(read(n, 1590, "2026-03-05").read.status, "accepted");  // 280 in 28
    EXPECT_EQ(read(n, 1900, "2026-04-05").read.status, "accepted");  // 310 in 31
    auto high = read(n, 2900, "2026-05-05");
    EXPECT_EQ(high.read.status, "exception");
    EXPECT_TRUE(high.exception);
    if (!high.exception) return 0;
    EXPECT_EQ(high.exception->code, "high_usage");
    EXPECT_EQ(high.exception->previous_value, 1900);
    return high.exception->id;
  }
  std::int64_t count(const std::string& sql) {
    auto n = app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  std::map<std::string, security::User> users_;
};

TEST_P(BillingTest, OpensAnAccountWithServicesAMeterAndAnInitialRead) {
  const std::int64_t n = account();
  auto v = book().account(n);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->account.number, 1000 + v->account.party_id);  // the demo bills' numbering
  EXPECT_EQ(v->cycle_code, "C1");
  EXPECT_EQ(v->route_code, "R01");
  EXPECT_EQ(v->account.deposit, Money::from_cents(5000));
  EXPECT_TRUE(v->account.flags.no_shutoff);
  ASSERT_EQ(v->services.size(), 3u);
  ASSERT_EQ(v->meters.size(), 1u);
  EXPECT_EQ(v->meters[0].meter.serial, "M-1001");
  ASSERT_EQ(v->recent_reads.size(), 1u);
  EXPECT_EQ(v->recent_reads[0].kind, "initial");
  EXPECT_EQ(v->recent_reads[0].value, 1000);
  // Refuse stops; water and the account go on.
  const std::int64_t refuse = v->services[2].id;
  auto stopped = book().stop_service(as("csr2"), n, refuse, "2026-06-01");
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_FALSE(stopped->active_on(CivilDate{2026, 6, 1}));
  auto again = book().stop_service(as("csr2"), n, refuse, "2026-07-01");
  EXPECT_EQ(again.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(book().add_service(as("csr2"), n, "water", "RES", "2026-06-01").error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(book().add_service(as("csr2"), n, "refuse", "RES96", "2026-06-01"));
  // Lookups: by number, by party, by the start of the address.
  auto by_address = book().find_accounts({std::nullopt, std::nullopt, "101 main"});
  ASSERT_TRUE(by_address);
  ASSERT_EQ(by_address->size(), 1u);
  EXPECT_EQ((*by_address)[0].number, n);
  EXPECT_EQ(book().find_accounts({std::nullopt, v->account.party_id, ""})->size(), 1u);
  // Three services, one stop, one more refuse: the refused changes wrote nothing.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'service.%'"), 5);
  // Number taken, unknown cycle.
  billing::OpenAccountInput dup;
  dup.party_id = v->account.party_id;
  dup.premise_id = v->premise.id;
  dup.cycle_code = "C1";
  dup.number = n;
  EXPECT_EQ(book().open_account(as("csr2"), dup).error().code, ErrorCode::kConflict);
  dup.number.reset();
  dup.cycle_code = "C9";
  EXPECT_EQ(book().open_account(as("csr2"), dup).error().field, "cycle_code");
}

TEST_P(BillingTest, AHighReadWaitsInTheQueueAndIsAccepted) {
  const std::int64_t n = account();
  const std::int64_t id = history_then_high_read(n);
  auto queue = book().exceptions("open");
  ASSERT_TRUE(queue);
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].account_number, n);
  EXPECT_EQ((*queue)[0].read.usage_mccf, 1'000'000);
  auto accepted = book().accept_exception(as("csr3"), id, "pool filled; customer confirmed");
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->status, "accepted");
  EXPECT_EQ(accepted->read.status, "accepted");
  EXPECT_EQ(book().accept_exception(as("csr3"), id, "").error().code, ErrorCode::kUnprocessable);
  EXPECT_TRUE(book().exceptions("open")->empty());
  // The accepted read is the base of the next: 3,200 is 300 more.
  auto next = read(n, 3200, "2026-06-05");
  EXPECT_EQ(next.read.register_units, 300);
}

TEST_P(BillingTest, ACorrectedReadReplacesTheExceptionRead) {
  const std::int64_t n = account();
  const std::int64_t id = history_then_high_read(n);
  auto negative = book().correct_exception(as("csr3"), id, 1800, "");
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().field, "value");
  auto fixed = book().correct_exception(as("csr3"), id, 2200, "digit transposed");
  ASSERT_TRUE(fixed) << fixed.error().message;
  EXPECT_EQ(fixed->status, "corrected");
  EXPECT_EQ(fixed->read.status, "superseded");
  auto reads = book().reads(n, 10);
  ASSERT_TRUE(reads);
  EXPECT_EQ((*reads)[0].source, "correction");
  EXPECT_EQ((*reads)[0].value, 2200);
  EXPECT_EQ((*reads)[0].usage_mccf, 300'000);
  EXPECT_EQ((*reads)[0].replaces_read_id, fixed->read.id);
}

TEST_P(BillingTest, AReReadIsFieldWorkAndTheNewerReadSupersedesTheException) {
  const std::int64_t n = account();
  const std::int64_t id = history_then_high_read(n);
  auto rr = book().request_reread(as("csr3"), id, "check the register");
  ASSERT_TRUE(rr) << rr.error().message;
  EXPECT_EQ(rr->status, "reread");
  ASSERT_TRUE(rr->field_work_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM field_work WHERE kind = 're_read' AND status = 'open'"), 1);
  EXPECT_EQ(book().exceptions("reread")->size(), 1u);
  // The field reads 2,010 a week later: 110 over 37 days from the April read is low? 110 /
  // 370 expected = 29.7%: above 25%, accepted.
  auto again = read(n, 2010, "2026-05-12");
  EXPECT_EQ(again.read.status, "accepted");
  auto closed = book().read_exception(id);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->status, "superseded");
  EXPECT_EQ(closed->read.status, "superseded");
  EXPECT_EQ(count("SELECT COUNT(*) FROM field_work WHERE status = 'done'"), 1);
}

TEST_P(BillingTest, AnEstimateIsTruedUpByTheNextActualRead) {
  const std::int64_t n = account();
  const std::int64_t id = history_then_high_read(n);
  // Average of the three periods: 900 CCF over 90 days; 30 days -> 300 -> 1,900 + 300.
  auto est = book().estimate_exception(as("csr3"), id, "average", "meter buried");
  ASSERT_TRUE(est) << est.error().message;
  EXPECT_EQ(est->status, "estimated");
  auto reads = book().reads(n, 10);
  ASSERT_TRUE(reads);
  EXPECT_EQ((*reads)[0].kind, "estimated");
  EXPECT_EQ((*reads)[0].value, 2200);
  EXPECT_EQ((*reads)[0].usage_mccf, 300'000);
  // The next actual read, 2,450 on 2026-06-05: usage 2,450 − 2,200 = 250, a true-up.
  auto next = read(n, 2450, "2026-06-05");
  EXPECT_EQ(next.read.status, "accepted");
  EXPECT_TRUE(next.read.true_up);
  EXPECT_EQ(next.read.register_units, 250);
  // Over-estimated: the next read below the estimate is a credit, not a negative read.
  const std::int64_t m = account("M-2002", "9 ELM ST", 20);
  const std::int64_t id2 = history_then_high_read(m);
  ASSERT_TRUE(book().estimate_exception(as("csr3"), id2, "", ""));
  auto credit = read(m, 2150, "2026-06-05");
  EXPECT_EQ(credit.read.status, "accepted");
  EXPECT_EQ(credit.read.usage_mccf, -50'000);
  // Nothing to estimate from a year ago.
  const std::int64_t k = account("M-3003", "11 ELM ST", 30);
  const std::int64_t id3 = history_then_high_read(k);
  EXPECT_EQ(book().estimate_exception(as("csr3"), id3, "last_year", "").error().code,
            ErrorCode::kUnprocessable);
}

TEST_P(BillingTest, AMeterExchangeClosesTheOldMetersPeriod) {
  const std::int64_t n = account();
  read(n, 1310, "2026-02-05");
  billing::Meter fresh;
  fresh.serial = "M-9001";
  fresh.dials = 6;
  fresh.unit = billing::MeterUnit::kGallons;
  auto ex = book().exchange_meter(as("csr2"), n, "", "2026-02-20", 1460, fresh, 0);
  ASSERT_TRUE(ex) << ex.error().message;
  auto v = book().account(n);
  ASSERT_TRUE(v);
  ASSERT_EQ(v->meters.size(), 2u);
  EXPECT_EQ(v->meters[0].meter.serial, "M-9001");  // current first
  EXPECT_EQ(v->meters[1].install.final_read, 1460);
  EXPECT_EQ(v->meters[1].install.removed_on, (CivilDate{2026, 2, 20}));
  // Final read: 150 CCF over 15 days; the new meter starts at 0 (initial).
  EXPECT_EQ(v->recent_reads[1].kind, "final");
  EXPECT_EQ(v->recent_reads[1].usage_mccf, 150'000);
  EXPECT_EQ(v->recent_reads[0].kind, "initial");
  // 74,800 gallons on the new meter = 74,800 × 385 / 288 = 99,993.06 -> 99,993 mccf.
  auto r = read(n, 74'800, "2026-03-05");
  EXPECT_EQ(r.read.usage_mccf, 99'993);
  EXPECT_EQ(r.read.meter_serial, "M-9001");
  // The old serial is no longer installed.
  billing::ReadEntry e;
  e.meter_serial = "M-1001";
  e.value = 1500;
  e.read_on = "2026-03-06";
  EXPECT_EQ(book().enter_read(as("field"), n, e).error().field, "meter_serial");
}

TEST_P(BillingTest, RouteExportInWalkOrderAndAnIdempotentImport) {
  const std::int64_t n1 = account("M-1001", "101 MAIN ST", 10);
  const std::int64_t n2 = account("M-2002", "205 OAK AVE", 5);
  auto csv = book().export_route("R01");
  ASSERT_TRUE(csv) << csv.error().message;
  const auto first = csv->find("M-2002");
  const auto second = csv->find("M-1001");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second) << *csv;  // stop 5 before stop 10
  EXPECT_EQ(csv->substr(0, csv->find('\n')),
            "route,sequence,account_number,service_address,meter_serial,meter_size,dials,unit,"
            "previous_read,previous_read_on,low_read,high_read,read_value,read_on,read_by,note");
  const std::string file =
      "meter_serial,account_number,read_value,read_on,read_by\n"
      "M-1001," +
      std::to_string(n1) +
      ",1310,2026-02-05,JR\n"
      "M-2002," +
      std::to_string(n2) +
      ",1300,2026-02-31,JR\n"
      "M-7777,,5,2026-02-05,JR\n"
      "M-2002," +
      std::to_string(n1) +
      ",1300,2026-02-05,JR\n"
      "M-2002,,,,\n"
      "M-2002,,999,2026-02-05,JR\n";
  auto r = book().import_reads(as("field"), file);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows, 6);
  EXPECT_EQ(r->accepted, 1);
  EXPECT_EQ(r->exceptions, 1);  // 999 < 1000: negative
  EXPECT_EQ(r->unread, 1);
  ASSERT_EQ(r->refused.size(), 3u);
  EXPECT_EQ(r->refused[0].line, 3);
  EXPECT_EQ(r->refused[0].field, "read_on");
  EXPECT_EQ(r->refused[1].line, 4);
  EXPECT_EQ(r->refused[1].field, "meter_serial");
  EXPECT_EQ(r->refused[2].line, 5);
  EXPECT_EQ(r->refused[2].field, "account_number");
  // The same file again stores nothing new.
  auto again = book().import_reads(as("field"), file);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->exceptions, 0);
  EXPECT_EQ(again->skipped, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM reads WHERE source = 'handheld'"), 2);
  // Another value for the same meter and day is refused for its line.
  auto other =
      book().import_reads(as("field"), "meter_serial,read_value,read_on\nM-1001,1320,2026-02-05\n");
  ASSERT_TRUE(other);
  ASSERT_EQ(other->refused.size(), 1u);
  EXPECT_EQ(other->refused[0].field, "read_value");
  // A file without the required columns is refused as a whole.
  EXPECT_EQ(book().import_reads(as("field"), "serial,value\n").error().field, "file");
}

TEST_P(BillingTest, ApiOpensAnAccountTakesReadsAndGuardsTheQueue) {
  Client csr1 = sign_in("csr1"), csr2 = sign_in("csr2"), csr3 = sign_in("csr3"),
         field = sign_in("field");
  const std::string premise_body =
      R"({"line1":"300 RIVER RD","city":"RIVERTON","state":"CA","postal_code":"95000",)"
      R"("parcel_number":"010-020-30","premise_type":"single_family"})";
  EXPECT_EQ(call("POST", "/api/v1/billing/premises", premise_body, &csr1).status, 403);
  auto premise = call("POST", "/api/v1/billing/premises", premise_body, &csr2);
  ASSERT_EQ(premise.status, 201) << premise.raw;
  const std::int64_t premise_id = premise.body.at("id").as_int64();
  const std::int64_t party_id = party("Grace", "Hopper");
  auto opened = call("POST", "/api/v1/billing/accounts",
                     R"({"party_id":)" + std::to_string(party_id) + R"(,"premise_id":)" +
                         std::to_string(premise_id) +
                         R"(,"cycle":"C1","opened_on":"2026-01-05","deposit":"75.00",)"
                         R"("cash_only":true,"services":[{"kind":"sewer","rate_class":"RES"}]})",
                     &csr2);
  ASSERT_EQ(opened.status, 201) << opened.raw;
  const std::int64_t n = opened.body.at("number").as_int64();
  EXPECT_EQ(n, 1000 + party_id);
  EXPECT_EQ(opened.body.at("ledger_account_ref").as_string(), "utility:" + std::to_string(n));
  EXPECT_EQ(opened.body.at("deposit").as_string(), "75.00");
  EXPECT_TRUE(opened.body.at("flags").at("cash_only").as_bool());
  const std::string acct = "/api/v1/billing/accounts/" + std::to_string(n);
  EXPECT_EQ(call("POST", acct + "/services",
                 R"({"kind":"water","rate_class":"RES",)"
                 R"("started_on":"2026-01-05"})",
                 &csr2)
                .status,
            201);
  auto meter = call("POST", acct + "/meters",
                    R"({"serial":"API-1","size":"3/4\"","make":"Neptune","dials":5,)"
                    R"("unit":"cubic_feet","installed_on":"2026-01-05","initial_read":100})",
                    &csr2);
  ASSERT_EQ(meter.status, 201) << meter.raw;
  EXPECT_TRUE(meter.body.at("current").as_bool());
  // A read past the dials names the field; a good read comes back with its usage.
  auto bad = call("POST", acct + "/reads", R"({"value":100000,"read_on":"2026-02-05"})", &field);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "value");
  auto bad_date = call("POST", acct + "/reads", R"({"value":500,"read_on":"2026-02-30"})", &field);
  EXPECT_EQ(bad_date.error_field(), "read_on");
  auto good = call("POST", acct + "/reads", R"({"value":3200,"read_on":"2026-02-05"})", &field);
  ASSERT_EQ(good.status, 201) << good.raw;
  EXPECT_EQ(good.body.at("read").at("usage_ccf").as_string(), "31.000");  // 3,100 cubic feet
  EXPECT_TRUE(good.body.at("exception").is_null());
  // Zero usage goes to the queue; CSR II may not resolve it, CSR III may.
  auto zero = call("POST", acct + "/reads", R"({"value":3200,"read_on":"2026-03-05"})", &field);
  ASSERT_EQ(zero.status, 201) << zero.raw;
  ASSERT_TRUE(zero.body.at("exception").is_object());
  EXPECT_EQ(zero.body.at("exception").at("code").as_string(), "zero_usage");
  const std::string id = std::to_string(zero.body.at("exception").at("id").as_int64());
  auto queue = call("GET", "/api/v1/billing/read-exceptions", "", &csr1);
  ASSERT_EQ(queue.status, 200);
  EXPECT_EQ(queue.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(call("POST", "/api/v1/billing/read-exceptions/" + id + "/accept", "{}", &csr2).status,
            403);
  auto accepted = call("POST", "/api/v1/billing/read-exceptions/" + id + "/accept",
                       R"({"note":"vacant in March"})", &csr3);
  ASSERT_EQ(accepted.status, 200) << accepted.raw;
  EXPECT_EQ(accepted.body.at("status").as_string(), "accepted");
  // The account page: services, meters, reads, average daily use.
  auto page = call("GET", acct, "", &csr1);
  ASSERT_EQ(page.status, 200) << page.raw;
  EXPECT_EQ(page.body.at("services").as_array().size(), 2u);  // sewer at opening, then water
  EXPECT_EQ(page.body.at("meters").as_array().size(), 1u);
  EXPECT_EQ(page.body.at("recent_reads").as_array().size(), 3u);
  EXPECT_EQ(page.body.at("premise").at("address").as_string(), "300 RIVER RD, RIVERTON, CA 95000");
  // The route file round trip: export (CSV), import as text/plain.
  ASSERT_TRUE(book().add_route_stop(as("csr3"), "R01", premise_id, 1));
  auto csv = call("GET", "/api/v1/billing/routes/R01/export", "", &field);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.raw.find("API-1"), std::string::npos);
  auto imported =
      call("POST", "/api/v1/billing/reads/imports",
           "meter_serial,read_value,read_on\nAPI-1,6300,2026-04-05\nAPI-1,x,2026-04-05\n", &field,
           true, "text/plain");
  ASSERT_EQ(imported.status, 200) << imported.raw;
  EXPECT_EQ(imported.body.at("accepted").as_int64(), 1);
  ASSERT_EQ(imported.body.at("refused").as_array().size(), 1u);
  EXPECT_EQ(imported.body.at("refused").as_array()[0].at("line").as_int64(), 3);
  EXPECT_EQ(imported.body.at("refused").as_array()[0].at("field").as_string(), "read_value");
  EXPECT_EQ(
      call("POST", "/api/v1/billing/reads/imports", "meter_serial\n", &csr1, true, "text/plain")
          .status,
      403);
}

TEST_P(BillingTest, SeveralReadsAtOnceAreCheckedInOrderAndRefusedTogether) {
  const std::int64_t n = account();
  std::vector<billing::ReadEntry> reads(3);
  reads[0].value = 1310;
  reads[0].read_on = "2026-02-05";
  reads[1].value = 1590;
  reads[1].read_on = "2026-03-05";
  reads[2].value = 99'999;  // past the four dials
  reads[2].read_on = "2026-04-05";
  auto refused = book().enter_reads(as("field"), n, reads);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "reads[2].value");
  EXPECT_EQ(count("SELECT COUNT(*) FROM reads WHERE kind = 'actual'"), 0);  // none stored
  reads[2].value = 2900;  // 1,310 CCF in 31 days against 310 expected (10 a day): high
  auto stored = book().enter_reads(as("field"), n, reads);
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), 3u);
  EXPECT_EQ((*stored)[1].read.register_units, 280);
  ASSERT_TRUE((*stored)[2].exception);
  EXPECT_EQ((*stored)[2].exception->code, "high_usage");
  std::swap(reads[0], reads[1]);
  EXPECT_EQ(book().enter_reads(as("field"), n, reads).error().field, "reads[1].read_on");
}

TEST_P(BillingTest, TheDemoGivesEachBilledPartyAnAccountWithAYearOfReads) {
  auto summary = demo::generate(*app_, 12, 6, 7);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->utility_accounts_created, 6);
  // The same number as the demo bill, so the stub's scanline finds the account.
  auto v = book().account(summary->first_account);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->services.size(), 3u);
  ASSERT_EQ(v->meters.size(), 1u);
  EXPECT_EQ(v->recent_reads.size(), 13u);  // the install and twelve monthly reads
  EXPECT_GT(v->average_daily_use.days, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE account_ref = 'utility:" +
                  std::to_string(summary->first_account) + "'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT cycle_id) FROM utility_accounts"), 2);
  auto r01 = book().export_route("R01");
  auto r02 = book().export_route("R02");
  ASSERT_TRUE(r01);
  ASSERT_TRUE(r02);
  EXPECT_EQ(std::count(r01->begin(), r01->end(), '\n') + std::count(r02->begin(), r02->end(), '\n'),
            2 + 6);
}

TEST_P(BillingTest, ReadsAtOnceAreLimited) {
  const std::int64_t n = account();
  std::vector<billing::ReadEntry> reads(billing::kMaxReadsAtOnce + 1);
  EXPECT_EQ(book().enter_reads(as("field"), n, reads).error().code, ErrorCode::kTooLarge);
  // At the limit: sixty monthly reads fit (2021-11 .. 2026-10 would be before the meter, so
  // only the count is checked here: the first refusal is a date, not the size).
  reads.pop_back();
  EXPECT_EQ(book().enter_reads(as("field"), n, reads).error().code, ErrorCode::kInvalidInput);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(BillingTest);

TEST(BillingConfig, TheBillingSectionIsCheckedAndNamesTheKey) {
  std::ifstream in(source_dir() + "/config/demo-city.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto config = parse_city_config(text, "demo-city.yaml");
  ASSERT_TRUE(config) << config.error().field << ": " << config.error().message;
  EXPECT_EQ(config->billing.reads.high_percent, 200);
  EXPECT_EQ(config->billing.reads.estimate_periods, 3);
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return parse_city_config(t, "demo-city.yaml");
  };
  auto low_high = replace("high_percent: 200", "high_percent: 100");
  ASSERT_FALSE(low_high);
  EXPECT_NE(low_high.error().field.find("billing.high_percent"), std::string::npos)
      << low_high.error().field;
  auto typo = replace("low_percent: 25", "lo_percent: 25");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().field.find("billing"), std::string::npos) << typo.error().field;
  auto jump = replace("max_jump_percent: 1000", "max_jump_percent: 150");
  ASSERT_FALSE(jump);  // below high_percent
  EXPECT_NE(jump.error().field.find("billing.max_jump_percent"), std::string::npos);
}

}  // namespace
}  // namespace civicdesk::testing
