// Bill runs on both databases (billing/bill_run.h): a cycle billed once and a rerun that bills
// nothing, a run stopped after a committed batch and resumed, every account billed or on the
// exception list with its reason; first bills from move-in and final bills at the last stop;
// cancel and rebill (several periods); late penalties once, not on an account in dispute; the
// API with its permission.
//
// The calculation here is a fixed test tariff (the City's tariff has its own tests in
// bill_calculation's): water $10.00 a 30-day month prorated by days + $2.00 per CCF, sewer
// $1.00 per CCF, refuse $20.00 flat, and a $1.00 refuse discount — so every amount below is
// hand-computed.
#include <map>
#include <stdexcept>

#include "billing/bill_run.h"
#include "billing/utility_book.h"
#include "customers/party_book.h"
#include "tests/app_fixture.h"
#include "tests/billing_test_support.h"

namespace civicdesk::testing {
namespace {

namespace json = boost::json;

Result<std::vector<billing::ComputedLine>> test_tariff(const billing::BillRequest& r) {
  std::vector<billing::ComputedLine> out;
  for (const auto& s : r.services) {
    const std::int64_t days = s.to.days_since_epoch() - s.from.days_since_epoch();
    if (s.rate_class == "BROKEN")
      return fail(ErrorCode::kUnprocessable, "version T, class BROKEN is not in the tariff",
                  "rate_class");
    switch (s.kind) {
      case billing::ServiceKind::kWater:
        // $10.00 × days / 30, rounded half-up; $2.00 per CCF (usage in mccf: 2 cents per 10).
        out.push_back({"water", "fixed_charge", "Water service charge",
                       Money::from_cents((1000 * days + 15) / 30),
                       std::to_string(days) + "/30 days x $10.00"});
        out.push_back({"water", "tier_1", "Water usage",
                       Money::from_cents(r.usage_mccf * 200 / 1000), "CCF x $2.00"});
        break;
      case billing::ServiceKind::kSewer:
        out.push_back({"sewer", "sewer_volume", "Sewer", Money::from_cents(r.usage_mccf / 10),
                       "CCF x $1.00"});
        break;
      case billing::ServiceKind::kRefuse:
        out.push_back({"refuse", "refuse", "Refuse", Money::from_cents(2000), "flat"});
        out.push_back({"refuse", "discount", "Refuse discount", Money::from_cents(-100), ""});
        break;
      default:
        break;
    }
  }
  return out;
}

class BillRunTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3", "field", "supervisor"})
      users_[role] = make_user(role);
    ASSERT_TRUE(book().create_cycle(as("csr3"), billing::Cycle{0, "C1", "Cycle 1", 5, 1}));
    ASSERT_TRUE(book().create_route(as("csr3"), "R01", "North route", "C1"));
    city_ = app_->city();
    runs_ = std::make_unique<billing::BillRun>(app_->db(), city_, app_->clock(), app_->time_zone(),
                                               app_->ledger(), test_tariff);
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  billing::UtilityBook& book() { return app_->billing(); }
  billing::BillRun& runs() { return *runs_; }

  // An account opened on `opened`, water/sewer/refuse (rate class `water_class` for water), a
  // CCF meter installed with 1000.
  std::int64_t account(int i, const std::string& opened = "2026-01-05",
                       const std::string& water_class = "RES") {
    return open_test_account(
               *app_, as("csr2"),
               {.last_name = "Billing" + std::to_string(i),
                .line1 = std::to_string(100 + i) + " MAIN ST",
                .opened_on = opened,
                .services = {{"water", water_class}, {"sewer", "RES"}, {"refuse", "RES"}},
                .meter_serial = "M-" + std::to_string(i)})
        .number;
  }
  billing::ReadOutcome read(std::int64_t number, std::int64_t value, const std::string& on) {
    billing::ReadEntry e;
    e.value = value;
    e.read_on = on;
    auto r = book().enter_read(as("field"), number, e);
    EXPECT_TRUE(r) << on << ": " << r.error().field << ": " << r.error().message;
    return r ? *r : billing::ReadOutcome{};
  }
  std::int64_t count(const std::string& sql) {
    auto n = app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  const billing::RunAccount* on_list(const billing::BillRunView& v, std::int64_t number) {
    for (const auto& e : v.exception_list)
      if (e.account_number == number) return &e;
    return nullptr;
  }

  CityConfig city_;
  std::unique_ptr<billing::BillRun> runs_;
  std::map<std::string, security::User> users_;
};

// Water fixed 31/30 × $10 = $10.33, 10 CCF × $2 = $20.00, sewer $10.00, refuse $20 − $1.
constexpr std::int64_t kFirstBillCents = 1033 + 2000 + 1000 + 2000 - 100;

TEST_P(BillRunTest, BillsTheCycleOnceAndListsEveryOtherAccountWithItsReason) {
  const std::int64_t good = account(1);
  const std::int64_t unread = account(2);
  const std::int64_t queued = account(3);
  const std::int64_t broken = account(4, "2026-01-05", "BROKEN");
  EXPECT_EQ(read(good, 1010, "2026-02-05").read.status, "accepted");
  EXPECT_EQ(read(queued, 900, "2026-02-05").read.status, "exception");  // negative
  EXPECT_EQ(read(broken, 1010, "2026-02-05").read.status, "accepted");

  int progress_calls = 0;
  auto run = runs().start_run(as("supervisor"), "C1", "2026-02-05",
                              [&](const billing::BillRunView&) { ++progress_calls; });
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->status, "finished");
  EXPECT_EQ(run->accounts, 4);
  EXPECT_EQ(run->billed, 1);
  EXPECT_EQ(run->exceptions, 3);
  EXPECT_EQ(run->done(), run->accounts);  // every account billed or on the list
  EXPECT_GE(progress_calls, 1);
  EXPECT_EQ(run->total, Money::from_cents(kFirstBillCents));
  ASSERT_NE(on_list(*run, unread), nullptr);
  EXPECT_EQ(on_list(*run, unread)->reason_code, "no_read");
  ASSERT_NE(on_list(*run, queued), nullptr);
  EXPECT_EQ(on_list(*run, queued)->reason_code, "read_exception");
  ASSERT_NE(on_list(*run, broken), nullptr);
  EXPECT_EQ(on_list(*run, broken)->reason_code, "rate_class");
  EXPECT_NE(on_list(*run, broken)->reason.find("BROKEN"), std::string::npos);

  auto bills = runs().bills_of(good);
  ASSERT_TRUE(bills) << bills.error().message;
  ASSERT_EQ(bills->size(), 1u);
  const auto& b = bills->front();
  EXPECT_EQ(b.kind, "first");  // from move-in
  EXPECT_EQ(b.period_from, (CivilDate{2026, 1, 5}));
  EXPECT_EQ(b.period_to, (CivilDate{2026, 2, 5}));
  EXPECT_EQ(b.days, 31);
  EXPECT_EQ(b.usage_mccf, 10'000);
  EXPECT_EQ(b.total, Money::from_cents(kFirstBillCents));
  EXPECT_EQ(b.due_date, b.bill_date.plus_days(city_.billing.runs.due_days));
  ASSERT_EQ(b.lines.size(), 5u);
  EXPECT_EQ(b.lines[0].explanation, "31/30 days x $10.00");
  EXPECT_EQ(b.lines[0].revenue_account, "4000-WATER");
  EXPECT_FALSE(b.lines[1].read_ids.empty());
  // The ledger: one obligation, the refuse discount netted into the refuse line.
  ASSERT_TRUE(b.obligation_id);
  auto o = app_->ledger().obligation(*b.obligation_id);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->kind, "utility_bill");
  EXPECT_EQ(o->account_ref, "utility:" + std::to_string(good));
  EXPECT_EQ(o->original, Money::from_cents(kFirstBillCents));
  ASSERT_EQ(o->lines.size(), 4u);
  EXPECT_EQ(o->lines[3].amount, Money::from_cents(1900));
  EXPECT_EQ(o->lines[3].revenue_account, "4000-REFUSE");

  // Run again: nothing billed twice; the exceptions are listed again with their reasons.
  auto again = runs().start_run(as("supervisor"), "C1", "2026-02-05");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_NE(again->id, run->id);
  EXPECT_EQ(again->billed, 0);
  EXPECT_EQ(again->skipped, 1);
  EXPECT_EQ(again->exceptions, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bills"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE kind = 'utility_bill'"), 1);

  // The unread account is read; the next run bills it and only it.
  EXPECT_EQ(read(unread, 1005, "2026-02-04").read.status, "accepted");
  auto third = runs().start_run(as("supervisor"), "C1", "2026-02-05");
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(third->billed, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bills"), 2);
  // The database itself refuses a second standing bill for a period.
  auto dup = app_->db().write<std::int64_t>([&](store::Connection& c) {
    return c.exec(
        "INSERT INTO bills (account_id, account_number, party_id, kind, period_from, "
        "period_to, days, bill_date, due_date, total_cents, status, created_by_name, "
        "created_us) SELECT account_id, account_number, party_id, kind, period_from, "
        "period_to, days, bill_date, due_date, total_cents, status, 'x', 0 FROM bills "
        "WHERE id = " +
        std::to_string(b.id));
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

TEST_P(BillRunTest, ARunStoppedAfterABatchResumesWithoutBillingAnyoneTwice) {
  city_.billing.runs.batch_size = 2;
  std::vector<std::int64_t> numbers;
  for (int i = 1; i <= 5; ++i) {
    numbers.push_back(account(i));
    EXPECT_EQ(read(numbers.back(), 1010, "2026-02-05").read.status, "accepted");
  }
  auto opened = runs().open_run(as("supervisor"), "C1", "2026-02-05");
  ASSERT_TRUE(opened) << opened.error().message;
  // The process "dies" right after its first batch commits.
  struct Killed {};
  try {
    (void)runs().resume_run(as("supervisor"), opened->id,
                            [](const billing::BillRunView&) { throw Killed{}; });
    FAIL() << "the progress callback should have stopped the run";
  } catch (const Killed&) {
  }
  auto midway = runs().run(opened->id, false);
  ASSERT_TRUE(midway);
  EXPECT_EQ(midway->status, "running");
  EXPECT_EQ(midway->billed, 2);
  // Starting the cycle again finds the running run and finishes it.
  auto resumed = runs().start_run(as("supervisor"), "C1", "2026-02-05");
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->id, opened->id);
  EXPECT_EQ(resumed->status, "finished");
  EXPECT_EQ(resumed->billed, 5);
  EXPECT_EQ(resumed->exceptions, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bills"), 5);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT account_id) FROM bills"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_run_accounts"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE kind = 'utility_bill'"), 5);
}

TEST_P(BillRunTest, FirstBillFromMoveInAndFinalBillAtTheLastStop) {
  const std::int64_t n = account(1, "2026-01-20");
  EXPECT_EQ(read(n, 1006, "2026-02-05").read.status, "accepted");
  auto run = runs().start_run(as("supervisor"), "C1", "2026-02-05");
  ASSERT_TRUE(run) << run.error().message;
  auto first = runs().bills_of(n);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front().kind, "first");
  EXPECT_EQ(first->front().days, 16);                                 // 01-20 .. 02-05
  EXPECT_EQ(first->front().lines[0].amount, Money::from_cents(533));  // 16/30 × $10 = 5.333

  // Move-out on 2026-02-20: every service stops, the final read, the final bill.
  auto view = book().account(n);
  ASSERT_TRUE(view);
  for (const auto& s : view->services)
    ASSERT_TRUE(book().stop_service(as("csr2"), n, s.id, "2026-02-20"));
  EXPECT_EQ(read(n, 1009, "2026-02-20").read.status, "accepted");
  auto final_bill = runs().bill_account(as("csr2"), n, "2026-03-05");
  ASSERT_TRUE(final_bill) << final_bill.error().message;
  EXPECT_EQ(final_bill->kind, "final");
  EXPECT_EQ(final_bill->period_from, (CivilDate{2026, 2, 5}));
  EXPECT_EQ(final_bill->period_to, (CivilDate{2026, 2, 20}));
  EXPECT_EQ(final_bill->days, 15);
  EXPECT_EQ(final_bill->lines[0].amount, Money::from_cents(500));  // 15/30 × $10
  EXPECT_EQ(final_bill->usage_mccf, 3000);
  // The cycle's next run has nothing to bill for it.
  auto later = runs().start_run(as("supervisor"), "C1", "2026-03-05");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->billed, 0);
  EXPECT_EQ(later->skipped, 1);
}

TEST_P(BillRunTest, CancelAndRebillSeveralPeriodsWithACorrectedRate) {
  const std::int64_t n = account(1);
  EXPECT_EQ(read(n, 1010, "2026-02-05").read.status, "accepted");
  ASSERT_TRUE(runs().start_run(as("supervisor"), "C1", "2026-02-05"));
  EXPECT_EQ(read(n, 1020, "2026-03-05").read.status, "accepted");
  ASSERT_TRUE(runs().start_run(as("supervisor"), "C1", "2026-03-05"));
  auto bills = runs().bills_of(n);
  ASSERT_TRUE(bills);
  ASSERT_EQ(bills->size(), 2u);
  const auto march = bills->at(0), february = bills->at(1);
  EXPECT_EQ(march.kind, "regular");
  // The March bill shows February's bill as the previous balance.
  EXPECT_EQ(march.previous_balance, february.total);

  // Cancel alone: a reversal in the ledger, history kept.
  EXPECT_EQ(runs().cancel_bill(as("csr3"), march.id, "").error().field, "reason");
  auto cancelled = runs().cancel_bill(as("csr3"), march.id, "meter misread");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(cancelled->cancelled_by, "csr3");
  auto o = app_->ledger().obligation(*march.obligation_id);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, "cancelled");
  EXPECT_TRUE(runs().cancel_bill(as("csr3"), march.id, "again"));  // idempotent
  // The period is open again: the next run bills it.
  auto rerun = runs().start_run(as("supervisor"), "C1", "2026-03-05");
  ASSERT_TRUE(rerun);
  EXPECT_EQ(rerun->billed, 1);

  // Rebill from February: both periods cancelled and billed again, each pointing at its old bill.
  auto now = runs().bills_of(n);
  ASSERT_TRUE(now);
  const auto feb = now->back();
  auto rebilled = runs().rebill(as("csr3"), feb.id, "rate class corrected");
  ASSERT_TRUE(rebilled) << rebilled.error().message;
  ASSERT_EQ(rebilled->size(), 2u);
  EXPECT_EQ(rebilled->at(0).rebill_of, feb.id);
  EXPECT_EQ(rebilled->at(0).period_from, feb.period_from);
  EXPECT_EQ(rebilled->at(0).kind, "rebill");
  EXPECT_EQ(rebilled->at(1).period_to, (CivilDate{2026, 3, 5}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM bills WHERE status = 'issued'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bills WHERE status = 'cancelled'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE kind = 'utility_bill' AND status = "
                  "'open'"),
            2);
  // The bill document carries the lines, the reads and the correction.
  auto doc = runs().document(rebilled->at(1).id);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->account_number, n);
  ASSERT_FALSE(doc->reads.empty());
  EXPECT_EQ(doc->reads[0].current_read, 1020);
  EXPECT_EQ(doc->reads[0].previous_read, 1010);
  EXPECT_EQ(doc->charges.size(), 3u);
  EXPECT_FALSE(doc->messages.empty());
  // The City's contact section: header, stub's remit-to and the pay page behind the QR code.
  EXPECT_EQ(doc->city.name, city_.name + " - " + city_.contact.office);
  EXPECT_EQ(doc->city.phone, city_.contact.phone);
  EXPECT_EQ(doc->city.pay_url, "https://pay.riverton.example.gov/utility");
  EXPECT_EQ(doc->city.remit_to,
            "City of Riverton Utility Payments\nPO Box 4100\nRiverton, CA 95001-4100");
  EXPECT_EQ(doc->city.address.substr(0, 20), "City Hall, Room 110\n");
}

TEST_P(BillRunTest, LatePenaltiesOnceAndNotOnAnAccountInDispute) {
  const std::int64_t late = account(1);
  const std::int64_t disputed = account(2);
  for (auto n : {late, disputed}) EXPECT_EQ(read(n, 1010, "2026-02-05").read.status, "accepted");
  auto run = runs().start_run(as("supervisor"), "C1", "2026-02-05");
  ASSERT_TRUE(run);
  ASSERT_EQ(run->billed, 2);
  ASSERT_TRUE(book().set_holds(as("csr3"), disputed, {true, false}, "bill disputed"));
  auto bill = runs().bills_of(late);
  ASSERT_TRUE(bill);
  const CivilDate due = bill->front().due_date;
  const int grace = city_.billing.runs.late_penalty.grace_days;
  // Within the grace days: nothing.
  auto early = runs().assess_penalties(as("supervisor"), due.plus_days(grace).iso());
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(early->assessed, 0);
  auto assessed = runs().assess_penalties(as("supervisor"), due.plus_days(grace + 1).iso());
  ASSERT_TRUE(assessed) << assessed.error().message;
  EXPECT_EQ(assessed->assessed, 1);
  EXPECT_EQ(assessed->skipped_dispute, 1);
  // 10% (demo config) of $59.33 = $5.933 → $5.93.
  EXPECT_EQ(assessed->total, Money::from_cents(593));
  auto again = runs().assess_penalties(as("supervisor"), due.plus_days(grace + 30).iso());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->assessed, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_penalties"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charge_lines WHERE is_penalty = 1"), 1);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(BillRunTest);

}  // namespace
}  // namespace civicdesk::testing

namespace civicdesk::testing {
namespace {

TEST_P(BillRunTest, ApiRunsBillsCancelsAndRefusesWithoutThePermission) {
  const std::int64_t n = account(1);
  EXPECT_EQ(read(n, 1010, "2026-02-05").read.status, "accepted");
  Client csr1 = sign_in("csr1"), boss = sign_in("supervisor");
  const std::string run_body = R"({"cycle": "C1", "period_end": "2026-02-05"})";
  csr1.idempotency_key = "run-1";
  EXPECT_EQ(call("POST", "/api/v1/billing/runs", run_body, &csr1).status, 403);
  boss.idempotency_key = "run-1";
  auto started = call("POST", "/api/v1/billing/runs", run_body, &boss);
  ASSERT_EQ(started.status, 201) << started.raw;
  // The App's own run prices with the City's tariff; what it cannot price is listed, not lost.
  const auto& run = started.body.as_object();
  EXPECT_EQ(run.at("status").as_string(), "finished");
  EXPECT_EQ(run.at("accounts").as_int64(), 1);
  EXPECT_EQ(run.at("done").as_int64(), 1);
  auto listed =
      call("GET", "/api/v1/billing/runs/" + std::to_string(run.at("id").as_int64()), "", &csr1);
  ASSERT_EQ(listed.status, 200) << listed.raw;

  // The bill (the City's tariff's, or the test tariff's when the City's listed the account),
  // read, printed and cancelled through the API.
  ASSERT_TRUE(runs().start_run(as("supervisor"), "C1", "2026-02-05"));
  auto bills = call("GET", "/api/v1/billing/accounts/" + std::to_string(n) + "/bills", "", &csr1);
  ASSERT_EQ(bills.status, 200) << bills.raw;
  const auto& list = bills.body.at("bills").as_array();
  ASSERT_EQ(list.size(), 1u);
  const std::string id = std::to_string(list[0].at("id").as_int64());
  auto one = call("GET", "/api/v1/billing/bills/" + id, "", &csr1);
  ASSERT_EQ(one.status, 200) << one.raw;
  std::int64_t sum = 0;
  for (const auto& l : one.body.at("lines").as_array()) {
    EXPECT_FALSE(l.at("explanation").as_string().empty()) << l;
    auto cents = parse_money(l.at("amount").as_string(), "amount");
    ASSERT_TRUE(cents);
    sum += cents->cents();
  }
  EXPECT_GT(sum, 0);
  EXPECT_EQ(format_plain(Money::from_cents(sum)), one.body.at("total").as_string());
  auto pdf = call("GET", "/api/v1/billing/bills/" + id + "/pdf", "", &csr1);
  if (pdf.status == 200) {
    EXPECT_EQ(pdf.raw.substr(0, 5), "%PDF-");
  } else {
    ADD_FAILURE() << "bill PDF: " << pdf.status << " " << pdf.raw.substr(0, 200);
  }
  csr1.idempotency_key = "cancel-1";
  EXPECT_EQ(
      call("POST", "/api/v1/billing/bills/" + id + "/cancel", R"({"reason": "x"})", &csr1).status,
      403);
  boss.idempotency_key = "cancel-1";
  auto cancelled =
      call("POST", "/api/v1/billing/bills/" + id + "/cancel", R"({"reason": "misread"})", &boss);
  ASSERT_EQ(cancelled.status, 200) << cancelled.raw;
  EXPECT_EQ(cancelled.body.at("status").as_string(), "cancelled");
  boss.idempotency_key = "";
  EXPECT_EQ(call("POST", "/api/v1/billing/penalties", R"({"date": "2027-01-31"})", &boss).status,
            400);  // no Idempotency-Key
  boss.idempotency_key = "pen-1";
  auto pen = call("POST", "/api/v1/billing/penalties", R"({"date": "2027-01-31"})", &boss);
  ASSERT_EQ(pen.status, 200) << pen.raw;
  EXPECT_EQ(pen.body.at("assessed").as_int64(), 0);  // the only bill is cancelled
}

}  // namespace
}  // namespace civicdesk::testing
