// Account maintenance and the penalties list through the HTTP pipeline on both databases
// (src/http/routes_billing_accounts.cc): dispute / arrangement holds shown on the account,
// audited with the reason and skipped by the penalty job; flags, mailing address and deposit
// changed and audited before/after; the close at move-out (services stopped, account closed, the
// final bill priced by the demo City's tariff), idempotent on repeat; and the permission each
// route asks for.
#include <string>

#include "billing/bill_run.h"
#include "billing/utility_book.h"
#include "customers/party_book.h"
#include "tests/app_fixture.h"
#include "tests/billing_test_support.h"

namespace civicdesk::testing {
namespace {

namespace json = boost::json;

class BillingAccountsApiTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3", "field", "supervisor"})
      users_[role] = make_user(role);
    ASSERT_TRUE(book().create_cycle(as("csr3"), billing::Cycle{0, "C1", "Cycle 1", 5, 1}));
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  billing::UtilityBook& book() { return app_->billing(); }
  // The App's own bill runs: the demo City's tariff.
  billing::BillRun runs() {
    return billing::BillRun(app_->db(), app_->city(), app_->clock(), app_->time_zone(),
                            app_->ledger());
  }

  // Water and sewer RES from 2026-10-05 with a 5/8" CCF meter installed at 1000.
  std::int64_t account(int i) {
    return open_test_account(*app_, as("csr2"),
                             {.last_name = "Upkeep" + std::to_string(i),
                              .line1 = std::to_string(200 + i) + " OAK ST",
                              .opened_on = "2026-10-05",
                              .services = {{"water", "RES"}, {"sewer", "RES"}},
                              .meter_serial = "UP-" + std::to_string(i)})
        .number;
  }
  void read(std::int64_t n, std::int64_t value, const std::string& on) {
    billing::ReadEntry e;
    e.value = value;
    e.read_on = on;
    auto r = book().enter_read(as("field"), n, e);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->read.status, "accepted");
  }
  std::string path(std::int64_t n, const std::string& rest = "") {
    return "/api/v1/billing/accounts/" + std::to_string(n) + rest;
  }
  // The newest audit record of `action`: before_json, after_json.
  std::pair<std::string, std::string> last_audit(const std::string& action) {
    auto r = app_->db().read<std::pair<std::string, std::string>>(
        [&](store::Connection& c) -> Result<std::pair<std::string, std::string>> {
          CD_ASSIGN(auto row, c.query_one("SELECT before_json, after_json FROM audit_log WHERE "
                                          "action = ? ORDER BY seq DESC LIMIT 1",
                                          {action}));
          return std::pair{row.text(0), row.text(1)};
        });
    EXPECT_TRUE(r) << action;
    return r ? *r : std::pair<std::string, std::string>{};
  }

  std::map<std::string, security::User> users_;
};

TEST_P(BillingAccountsApiTest, HoldsAreShownAuditedAndKeepPenaltiesOff) {
  const std::int64_t late = account(1), disputed = account(2), arranged = account(3);
  for (auto n : {late, disputed, arranged}) read(n, 1010, "2026-11-05");
  auto run = runs().start_run(as("supervisor"), "C1", "2026-11-05");
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_EQ(run->billed, 3) << (run->exception_list.empty() ? "" : run->exception_list[0].reason);

  Client csr1 = sign_in("csr1"), csr2 = sign_in("csr2");
  const std::string dispute =
      R"({"in_dispute": true, "payment_arrangement": false, "reason": "says the read is wrong"})";
  EXPECT_EQ(call("PUT", path(disputed, "/holds"), dispute, &csr1).status, 403);
  auto set = call("PUT", path(disputed, "/holds"), dispute, &csr2);
  ASSERT_EQ(set.status, 200) << set.raw;
  EXPECT_TRUE(set.body.at("in_dispute").as_bool());
  auto arrange = call("PUT", path(arranged, "/holds"),
                      R"({"in_dispute": false, "payment_arrangement": true,)"
                      R"( "reason": "3 monthly payments agreed"})",
                      &csr2);
  ASSERT_EQ(arrange.status, 200) << arrange.raw;
  // The account view shows both holds.
  auto view = call("GET", path(disputed), "", &csr1);
  ASSERT_EQ(view.status, 200) << view.raw;
  EXPECT_TRUE(view.body.at("holds").at("in_dispute").as_bool());
  EXPECT_FALSE(view.body.at("holds").at("payment_arrangement").as_bool());
  auto plain = call("GET", path(late), "", &csr1);
  EXPECT_FALSE(plain.body.at("holds").at("in_dispute").as_bool());
  // Audited: before, after and why.
  auto [before, after] = last_audit("utility_account.holds");
  EXPECT_NE(before.find(R"("payment_arrangement":false)"), std::string::npos) << before;
  EXPECT_NE(after.find(R"("payment_arrangement":true)"), std::string::npos) << after;
  EXPECT_NE(after.find("3 monthly payments agreed"), std::string::npos) << after;
  // Refused: no reason, a hold left unstated, an unknown account.
  EXPECT_EQ(call("PUT", path(late, "/holds"), R"({"in_dispute": true, "payment_arrangement":
                 false, "reason": ""})",
                 &csr2)
                .error_field(),
            "reason");
  EXPECT_EQ(call("PUT", path(late, "/holds"), R"({"in_dispute": true, "reason": "x"})", &csr2)
                .error_field(),
            "payment_arrangement");
  EXPECT_EQ(call("PUT", path(99999999, "/holds"), dispute, &csr2).status, 404);

  // The penalty job skips the held accounts; its list shows what it assessed.
  auto bills = runs().bills_of(late);
  ASSERT_TRUE(bills);
  const int grace = app_->city().billing.runs.late_penalty.grace_days;
  const std::string as_of = bills->front().due_date.plus_days(grace + 1).iso();
  Client boss = sign_in("supervisor");
  boss.idempotency_key = "penalties-1";
  auto assessed =
      call("POST", "/api/v1/billing/penalties", R"({"date": ")" + as_of + R"("})", &boss);
  ASSERT_EQ(assessed.status, 200) << assessed.raw;
  EXPECT_EQ(assessed.body.at("assessed").as_int64(), 1);
  EXPECT_EQ(assessed.body.at("skipped_dispute").as_int64(), 1);
  EXPECT_EQ(assessed.body.at("skipped_arrangement").as_int64(), 1);
  auto listed = call("GET", "/api/v1/billing/penalties?as_of=" + as_of, "", &csr1);
  ASSERT_EQ(listed.status, 200) << listed.raw;
  const auto& items = listed.body.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("account_number").as_int64(), late);
  EXPECT_EQ(items[0].at("bill_id").as_int64(), bills->front().id);
  EXPECT_EQ(items[0].at("assessed_by").as_string(), "supervisor");
  EXPECT_EQ(items[0].at("assessed_on").as_string(), as_of);
  EXPECT_EQ(items[0].at("amount").as_string(), assessed.body.at("total").as_string());
  EXPECT_EQ(listed.body.at("total").as_string(), assessed.body.at("total").as_string());
  auto by_account =
      call("GET", "/api/v1/billing/penalties?account=" + std::to_string(disputed), "", &csr1);
  ASSERT_EQ(by_account.status, 200) << by_account.raw;
  EXPECT_TRUE(by_account.body.at("items").as_array().empty());
  EXPECT_EQ(call("GET", "/api/v1/billing/penalties", "", &csr1).error_field(), "as_of");
  EXPECT_EQ(call("GET", "/api/v1/billing/penalties?as_of=yesterday", "", &csr1).error_field(),
            "as_of");
}

TEST_P(BillingAccountsApiTest, FlagsMailingAddressAndDepositAreChangedAndAudited) {
  const std::int64_t n = account(1);
  Client csr1 = sign_in("csr1"), csr2 = sign_in("csr2");
  const std::string body =
      R"({"cash_only": true, "no_shutoff": true, "deposit": "150.00", "mailing": {"line1":)"
      R"( "PO Box 9", "city": "Riverton", "state": "CA", "postal_code": "95001"}})";
  EXPECT_EQ(call("PATCH", path(n), body, &csr1).status, 403);
  auto changed = call("PATCH", path(n), body, &csr2);
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_TRUE(changed.body.at("flags").at("cash_only").as_bool());
  EXPECT_FALSE(changed.body.at("flags").at("landlord").as_bool());
  EXPECT_EQ(changed.body.at("deposit").as_string(), "150.00");
  auto view = call("GET", path(n), "", &csr1);
  ASSERT_EQ(view.status, 200);
  EXPECT_TRUE(view.body.at("flags").at("no_shutoff").as_bool());
  EXPECT_EQ(view.body.at("mailing").at("line1").as_string(), "PO Box 9");
  EXPECT_EQ(view.body.at("deposit").as_string(), "150.00");
  auto [before, after] = last_audit("utility_account.update");
  EXPECT_NE(before.find(R"("cash_only":false)"), std::string::npos) << before;
  EXPECT_NE(after.find(R"("cash_only":true)"), std::string::npos) << after;
  EXPECT_NE(after.find("PO Box 9"), std::string::npos) << after;

  // Only what is sent changes; null mailing: bills go to the service address again.
  auto landlord = call("PATCH", path(n), R"({"landlord": true, "mailing": null})", &csr2);
  ASSERT_EQ(landlord.status, 200) << landlord.raw;
  EXPECT_TRUE(landlord.body.at("flags").at("cash_only").as_bool());
  EXPECT_TRUE(landlord.body.at("flags").at("landlord").as_bool());
  EXPECT_TRUE(landlord.body.at("mailing").is_null());

  // Field errors name the field.
  EXPECT_EQ(call("PATCH", path(n), R"({"mailing": {"line1": "PO Box 9"}})", &csr2).error_field(),
            "mailing.city");
  EXPECT_EQ(call("PATCH", path(n), R"({"mailing": {"line1": 7}})", &csr2).error_field(),
            "mailing.line1");
  EXPECT_EQ(call("PATCH", path(n), R"({"deposit": "-5.00"})", &csr2).error_field(), "deposit");
  EXPECT_EQ(call("PATCH", path(n), R"({"cash_only": "yes"})", &csr2).error_field(), "cash_only");
  EXPECT_EQ(call("PATCH", path(n), R"({"colour": "red"})", &csr2).error_field(), "colour");
}

TEST_P(BillingAccountsApiTest, CloseStopsServicesClosesAndIssuesTheFinalBill) {
  const std::int64_t n = account(1), unread = account(2);
  read(n, 1012, "2026-11-20");
  ASSERT_TRUE(book().add_service(as("csr2"), n, "refuse", "RES", "2026-10-05"));
  billing::RefuseCart cart;
  cart.size_gallons = 64;
  ASSERT_TRUE(book().add_refuse_cart(as("csr2"), n, cart, "2026-10-05"));
  Client csr1 = sign_in("csr1"), csr2 = sign_in("csr2");
  const std::string body = R"({"closed_on": "2026-11-20", "final_bill": true})";
  csr1.idempotency_key = "close-0";
  EXPECT_EQ(call("POST", path(n, "/close"), body, &csr1).status, 403);
  // Money moves (the final bill): no key, no close.
  EXPECT_EQ(call("POST", path(n, "/close"), body, &csr2).status, 400);
  csr2.idempotency_key = "close-1";
  auto closed = call("POST", path(n, "/close"), body, &csr2);
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(closed.body.at("account").at("status").as_string(), "closed");
  EXPECT_EQ(closed.body.at("account").at("closed_on").as_string(), "2026-11-20");
  EXPECT_FALSE(closed.body.at("already_closed").as_bool());
  EXPECT_EQ(closed.body.at("services_stopped").as_array().size(), 3u);
  ASSERT_TRUE(closed.body.at("final_bill_error").is_null()) << closed.raw;
  const auto& bill = closed.body.at("final_bill");
  EXPECT_EQ(bill.at("kind").as_string(), "final");
  EXPECT_EQ(bill.at("period_from").as_string(), "2026-10-05");
  EXPECT_EQ(bill.at("period_to").as_string(), "2026-11-20");
  EXPECT_NE(bill.at("total").as_string(), "0.00");

  // Stored: every service and cart stopped on the day, the account closed, one final bill.
  auto view = book().account(n);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->account.status, billing::AccountStatus::kClosed);
  EXPECT_EQ(view->account.closed_on, (CivilDate{2026, 11, 20}));
  for (const auto& s : view->services) EXPECT_EQ(s.stopped_on, (CivilDate{2026, 11, 20}));
  ASSERT_EQ(view->carts.size(), 1u);
  EXPECT_EQ(view->carts[0].stopped_on, (CivilDate{2026, 11, 20}));
  auto bills = runs().bills_of(n);
  ASSERT_TRUE(bills);
  ASSERT_EQ(bills->size(), 1u);
  EXPECT_EQ(bills->front().kind, "final");
  EXPECT_TRUE(bills->front().obligation_id.has_value());
  auto [before, after] = last_audit("utility_account.close");
  EXPECT_NE(before.find(R"("status":"active")"), std::string::npos) << before;
  EXPECT_NE(after.find("services_stopped"), std::string::npos) << after;

  // A repeat under a new key changes nothing and returns the same final bill; another date is
  // a conflict; a closed account's details are not edited.
  csr2.idempotency_key = "close-2";
  auto again = call("POST", path(n, "/close"), body, &csr2);
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_TRUE(again.body.at("already_closed").as_bool());
  EXPECT_EQ(again.body.at("final_bill").at("id").as_int64(), bill.at("id").as_int64());
  auto bills_after = runs().bills_of(n);
  ASSERT_TRUE(bills_after);
  EXPECT_EQ(bills_after->size(), 1u);
  csr2.idempotency_key = "close-3";
  EXPECT_EQ(call("POST", path(n, "/close"), R"({"closed_on": "2026-11-21"})", &csr2).status, 409);
  EXPECT_EQ(call("PATCH", path(n), R"({"landlord": true})", &csr2).status, 422);

  // No read in the final period: the account closes anyway, the bill's refusal says why.
  csr2.idempotency_key = "close-4";
  auto no_read = call("POST", path(unread, "/close"), body, &csr2);
  ASSERT_EQ(no_read.status, 200) << no_read.raw;
  EXPECT_EQ(no_read.body.at("account").at("status").as_string(), "closed");
  EXPECT_TRUE(no_read.body.at("final_bill").is_null());
  EXPECT_EQ(no_read.body.at("final_bill_error").at("code").as_string(), "unprocessable");
  EXPECT_EQ(no_read.body.at("final_bill_error").at("field").as_string(), "no_read");
  // The read entered, the close repeated: the final bill is issued.
  read(unread, 1005, "2026-11-20");
  csr2.idempotency_key = "close-5";
  auto billed = call("POST", path(unread, "/close"), body, &csr2);
  ASSERT_EQ(billed.status, 200) << billed.raw;
  EXPECT_EQ(billed.body.at("final_bill").at("kind").as_string(), "final");

  // Before the opening day: refused, naming the date.
  const std::int64_t early = account(3);
  csr2.idempotency_key = "close-6";
  EXPECT_EQ(
      call("POST", path(early, "/close"), R"({"closed_on": "2026-10-01"})", &csr2).error_field(),
      "closed_on");
}

// The storage side without HTTP: a close is all or nothing, a service set to stop later is
// brought forward to the close date, and the holds and changes refuse what they must.
TEST_P(BillingAccountsApiTest, CloseIsOneTransactionAndMaintenanceRefusesWhatItMust) {
  const std::int64_t n = account(1);
  // Sewer set to stop after the close date; refuse starting after it.
  auto view = book().account(n);
  ASSERT_TRUE(view);
  std::int64_t sewer = 0;
  for (const auto& s : view->services)
    if (s.kind == billing::ServiceKind::kSewer) sewer = s.id;
  ASSERT_TRUE(book().stop_service(as("csr2"), n, sewer, "2026-12-31"));
  ASSERT_TRUE(book().add_service(as("csr2"), n, "refuse", "RES", "2026-11-25"));
  auto refused = book().close_account(as("csr2"), n, "2026-11-20");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.error().field, "closed_on");
  // Nothing half done: still open, water still running.
  view = book().account(n);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->account.status, billing::AccountStatus::kActive);
  for (const auto& s : view->services) {
    if (s.kind == billing::ServiceKind::kWater) {
      EXPECT_FALSE(s.stopped_on.has_value());
    }
  }

  auto closed = book().close_account(as("csr2"), n, "2026-11-26");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_FALSE(closed->already_closed);
  EXPECT_EQ(closed->stopped.size(), 3u);  // water, sewer (brought forward), refuse
  view = book().account(n);
  ASSERT_TRUE(view);
  for (const auto& s : view->services) EXPECT_EQ(s.stopped_on, (CivilDate{2026, 11, 26}));
  auto again = book().close_account(as("csr2"), n, "2026-11-26");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_closed);
  EXPECT_TRUE(again->stopped.empty());
  EXPECT_EQ(book().close_account(as("csr2"), n, "2026-11-27").error().code, ErrorCode::kConflict);
  billing::AccountChanges ch;
  ch.landlord = true;
  EXPECT_EQ(book().update_account(as("csr2"), n, ch).error().code, ErrorCode::kUnprocessable);

  const std::int64_t other = account(2);
  EXPECT_EQ(book().set_holds(as("csr2"), other, {true, false}, "").error().field, "reason");
  EXPECT_EQ(book().set_holds(as("csr2"), other, {true, false}, std::string(501, 'x')).error().field,
            "reason");
  EXPECT_EQ(book().close_account(as("csr2"), 99999999, "").error().code, ErrorCode::kNotFound);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(BillingAccountsApiTest);

}  // namespace
}  // namespace civicdesk::testing
