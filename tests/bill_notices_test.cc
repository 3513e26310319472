// Late and shut-off notices on both databases (billing/notice_book.h): a late notice once per
// bill, a shut-off notice at 53 days with its SB 998 date, the holds counted by reason, one open
// shut-off notice per delinquency and a new one only after the account was brought current; the
// batch of a date found again on a rerun, a run stopped after a committed transaction resumed;
// the batch PDF; the shut-off list (JSON and CSV); the API with its permissions.
//
// Bills here come from a fixed test tariff (as in bill_run_test.cc): each bill is $59.33
// (water 31/30 × $10 + 10 CCF × $2, sewer $10, refuse $20 − $1), billed on the test clock's day
// 2026-11-26 and due 21 days later (demo config), 2026-12-17.
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include "billing/bill_notice_rules.h"
#include "billing/bill_run.h"
#include "billing/billing_cli.h"
#include "billing/notice_book.h"
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
    if (s.kind == billing::ServiceKind::kWater) {
      out.push_back({"water", "fixed_charge", "Water service charge",
                     Money::from_cents((1000 * days + 15) / 30), "days/30 x $10.00"});
      out.push_back({"water", "tier_1", "Water usage", Money::from_cents(r.usage_mccf * 200 / 1000),
                     "CCF x $2.00"});
    } else if (s.kind == billing::ServiceKind::kSewer) {
      out.push_back(
          {"sewer", "sewer_volume", "Sewer", Money::from_cents(r.usage_mccf / 10), "CCF x $1.00"});
    } else if (s.kind == billing::ServiceKind::kRefuse) {
      out.push_back({"refuse", "refuse", "Refuse", Money::from_cents(2000), "flat"});
      out.push_back({"refuse", "discount", "Refuse discount", Money::from_cents(-100), ""});
    }
  }
  return out;
}

constexpr std::int64_t kBillCents = 1033 + 2000 + 1000 + 2000 - 100;
const CivilDate kDue{2026, 12, 17};

class BillNoticesTest : public AppTest {
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
    notices_ =
        std::make_unique<billing::NoticeBook>(app_->db(), city_, app_->clock(), app_->time_zone());
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  billing::UtilityBook& book() { return app_->billing(); }
  billing::NoticeBook& notices() { return *notices_; }

  // An account with water, sewer and refuse since 2026-10-26, read on 2026-11-26 (10 CCF).
  std::int64_t account(int i) {
    const std::int64_t n =
        open_test_account(*app_, as("csr2"),
                          {.last_name = "Notice" + std::to_string(i),
                           .line1 = std::to_string(100 + i) + " MAIN ST",
                           .opened_on = "2026-10-26",
                           .services = {{"water", "RES"}, {"sewer", "RES"}, {"refuse", "RES"}},
                           .meter_serial = "N-" + std::to_string(i)})
            .number;
    billing::ReadEntry e;
    e.value = 1010;
    e.read_on = "2026-11-26";
    auto r = book().enter_read(as("field"), n, e);
    EXPECT_TRUE(r) << r.error().message;
    return n;
  }
  void bill_cycle() {
    auto run = runs_->start_run(as("supervisor"), "C1", "2026-11-26");
    ASSERT_TRUE(run) << run.error().message;
    ASSERT_EQ(run->exceptions, 0);
  }
  std::int64_t count(const std::string& sql) {
    auto n = app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  void exec(const std::string& sql) {
    auto r = app_->db().write<std::int64_t>([&](store::Connection& c) { return c.exec(sql); });
    ASSERT_TRUE(r) << r.error().message;
  }
  billing::NoticeBatchView run_on(CivilDate day) {
    auto v = notices().run(as("supervisor"), day.iso());
    EXPECT_TRUE(v) << day.iso() << ": " << v.error().field << ": " << v.error().message;
    return v ? *v : billing::NoticeBatchView{};
  }

  CityConfig city_;
  std::unique_ptr<billing::BillRun> runs_;
  std::unique_ptr<billing::NoticeBook> notices_;
  std::map<std::string, security::User> users_;
};

TEST_P(BillNoticesTest, LateOncePerBillShutOffAt53DaysHoldsCountedAndTheBatchFoundAgain) {
  const std::int64_t plain = account(1), medical = account(2), disputed = account(3),
                     arranged = account(4), service_only = account(5), moved_out = account(6);
  bill_cycle();
  exec("UPDATE utility_accounts SET status = 'closed', closed_on = '2026-11-27' WHERE number = " +
       std::to_string(moved_out));
  exec(
      "UPDATE utility_accounts SET mail_line1 = 'PO Box 12', mail_city = 'Riverton', mail_state "
      "= 'CA', mail_postal_code = '95001' WHERE number = " +
      std::to_string(plain));
  exec("UPDATE utility_accounts SET no_shutoff = 1 WHERE number = " + std::to_string(medical));
  ASSERT_TRUE(book().set_holds(as("csr3"), disputed, {true, false}, "bill disputed"));
  ASSERT_TRUE(book().set_holds(as("csr3"), arranged, {false, true}, "on an arrangement"));

  // Not late yet: due + 5 days (billing.notices.late_notice_days) has not passed.
  EXPECT_EQ(run_on(kDue.plus_days(5)).notices(), 0);
  const auto late = run_on(kDue.plus_days(6));
  EXPECT_EQ(late.status, "finished");
  EXPECT_EQ(late.late, 6);  // holds and a closed account stop shut-offs, not late notices
  EXPECT_EQ(late.shutoff, 0);
  // The same date again: the same batch, nothing new.
  const auto again = run_on(kDue.plus_days(6));
  EXPECT_EQ(again.id, late.id);
  EXPECT_TRUE(again.already_run);
  EXPECT_EQ(again.late, 6);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_notices"), 6);

  // Day 53: a shut-off notice for the plain accounts, each hold counted, no late notice twice.
  EXPECT_EQ(run_on(kDue.plus_days(52)).shutoff, 0);
  const CivilDate day53 = kDue.plus_days(53);
  const auto shut = run_on(day53);
  EXPECT_EQ(shut.late, 0);
  EXPECT_EQ(shut.shutoff, 2);  // plain and service_only
  EXPECT_EQ(shut.held_no_shutoff, 1);
  EXPECT_EQ(shut.held_in_dispute, 1);
  EXPECT_EQ(shut.held_payment_arrangement, 1);
  EXPECT_EQ(shut.held_account_closed, 1);
  EXPECT_EQ(shut.held_below_minimum, 0);
  auto history = notices().notices_of(plain);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 2u);
  const billing::BillNotice& notice = history->front();  // newest first
  EXPECT_EQ(notice.kind, "shutoff");
  EXPECT_EQ(notice.status, "open");
  EXPECT_EQ(notice.past_due, Money::from_cents(kBillCents));
  EXPECT_EQ(notice.delinquent_since, kDue);
  ASSERT_TRUE(notice.shutoff_on);
  // Mailed 2027-02-08: both SB 998 floors hold on the City's calendar, and the date is the
  // rule's (the rule's own dates are hand-checked in bill_notice_rules_test.cc).
  const BusinessCalendar calendar = [&] {
    std::vector<CivilDate> days;
    for (const auto& h : city_.holidays) days.push_back(h.date);
    return BusinessCalendar(days);
  }();
  // By hand: mailed Monday 2027-02-08; 60 days after 2026-12-17 is 2027-02-15; the 7th business
  // day after the mailing is Friday 02-19 (02-12 Lincoln's Birthday and 02-15 Presidents' Day
  // are City holidays in the demo config).
  EXPECT_EQ(*notice.shutoff_on, (CivilDate{2027, 2, 19}));
  EXPECT_GE(*notice.shutoff_on, kDue.plus_days(60));
  EXPECT_GE(calendar.business_days_between(day53, *notice.shutoff_on), 7);
  EXPECT_TRUE(calendar.is_business_day(*notice.shutoff_on));
  EXPECT_EQ(*notice.shutoff_on,
            billing::shutoff_date(billing::notice_rules(city_.billing), calendar, kDue, day53));
  ASSERT_EQ(notice.items.size(), 1u);
  EXPECT_EQ(notice.address_lines.front(), "PO Box 12");
  auto without_mailing = notices().notices_of(service_only);
  ASSERT_TRUE(without_mailing);
  EXPECT_EQ(without_mailing->front().address_lines.front(), "105 MAIN ST");  // the premise

  // One open shut-off notice per delinquency; the database refuses a second late notice.
  EXPECT_EQ(run_on(day53.plus_days(1)).shutoff, 0);
  auto dup = app_->db().write<std::int64_t>([&](store::Connection& c) {
    return c.exec(
        "INSERT INTO bill_notices (batch_id, kind, account_id, account_number, bill_id, "
        "addressee, address, service_address, past_due_cents, delinquent_since, mailed_on, "
        "status, created_by_name, created_us) SELECT batch_id, kind, account_id, "
        "account_number, bill_id, addressee, address, service_address, past_due_cents, "
        "delinquent_since, mailed_on, status, 'x', 0 FROM bill_notices WHERE kind = 'late' AND "
        "account_number = " +
        std::to_string(plain));
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);

  // The shut-off list: from the shut-off date, not flagged, still past due.
  auto before = notices().shutoff_list(notice.shutoff_on->plus_days(-1).iso());
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_TRUE(before->empty());
  auto list = notices().shutoff_list(notice.shutoff_on->iso());
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->front().account_number, plain);
  EXPECT_EQ(list->front().meters, "N-1");
  EXPECT_EQ(list->front().past_due, Money::from_cents(kBillCents));
  const std::string csv = billing::shutoff_list_csv(*list);
  EXPECT_TRUE(csv.starts_with("account_number,customer_name,service_address,meters,past_due,"));
  EXPECT_NE(csv.find(std::to_string(plain) + ",\"Ada Notice1\",\"101 MAIN ST, RIVERTON, CA "
                                             "95000\",\"N-1\",59.33,"),
            std::string::npos)
      << csv;
  ASSERT_TRUE(book().set_holds(as("csr3"), plain, {true, false},
                               "bill disputed"));  // a dispute: off the list
  auto disputed_list = notices().shutoff_list(notice.shutoff_on->iso());
  ASSERT_TRUE(disputed_list);
  EXPECT_EQ(disputed_list->size(), 1u);
  ASSERT_TRUE(book().set_holds(as("csr3"), plain, {false, false}, "dispute settled"));

  // Brought current (the bill cancelled: nothing past due): the notice closes, the list drops
  // it, and the next delinquency may be noticed again.
  auto bills = runs_->bills_of(plain);
  ASSERT_TRUE(bills);
  ASSERT_TRUE(runs_->cancel_bill(as("csr3"), bills->front().id, "meter misread"));
  const auto current = run_on(day53.plus_days(2));
  EXPECT_EQ(current.brought_current, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_notices WHERE kind = 'shutoff' AND status = "
                  "'closed' AND account_number = " +
                  std::to_string(plain)),
            1);
  auto after = notices().shutoff_list(notice.shutoff_on->iso());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 1u);
  // Every batch is audited.
  EXPECT_GE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'bill_notice_batch.finish'"), 5);
  EXPECT_GE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'bill_notice.issue'"), 2);
}

TEST_P(BillNoticesTest, BelowTheMinimumIsCountedNotNoticed) {
  city_.billing.notices.shutoff_min_balance_cents = kBillCents + 1;
  account(1);
  bill_cycle();
  const auto v = run_on(kDue.plus_days(53));
  EXPECT_EQ(v.late, 1);
  EXPECT_EQ(v.shutoff, 0);
  EXPECT_EQ(v.held_below_minimum, 1);
}

TEST_P(BillNoticesTest, ARunStoppedAfterATransactionResumesWithoutNoticingTwice) {
  city_.billing.notices.batch_size = 1;
  for (int i = 1; i <= 3; ++i) account(i);
  bill_cycle();
  const CivilDate day = kDue.plus_days(53);
  struct Killed {};
  try {
    (void)notices().run(as("supervisor"), day.iso(),
                        [](const billing::NoticeBatchView&) { throw Killed{}; });
    FAIL() << "the progress callback should have stopped the run";
  } catch (const Killed&) {
  }
  auto batches = notices().batches();
  ASSERT_TRUE(batches);
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ(batches->front().status, "running");
  EXPECT_EQ(batches->front().accounts, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_notices"), 2);  // the first account's two
  const auto resumed = run_on(day);
  EXPECT_EQ(resumed.id, batches->front().id);
  EXPECT_FALSE(resumed.already_run);
  EXPECT_EQ(resumed.status, "finished");
  EXPECT_EQ(resumed.accounts, 3);
  EXPECT_EQ(resumed.late, 3);
  EXPECT_EQ(resumed.shutoff, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_notices"), 6);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT bill_id) FROM bill_notices WHERE kind = 'late'"), 3);

  // The batch PDF: one page per notice, the same bytes each time.
  auto pdf = notices().batch_pdf(resumed.id, {.compress = false});
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  std::size_t pages = 0;
  for (auto at = pdf->find("/Type /Page"); at != std::string::npos;
       at = pdf->find("/Type /Page", at + 1))
    if (pdf->compare(at, 12, "/Type /Pages") != 0) ++pages;
  EXPECT_EQ(pages, 6u);
  EXPECT_NE(pdf->find("(Ada Notice2) Tj"), std::string::npos);
  EXPECT_NE(pdf->find("(TOTAL PAST DUE) Tj"), std::string::npos);
  auto again = notices().batch_pdf(resumed.id);
  auto twice = notices().batch_pdf(resumed.id);
  ASSERT_TRUE(again && twice);
  EXPECT_EQ(*again, *twice);
  // A date too far ahead is refused, naming the field.
  auto far = notices().run(as("supervisor"), "2099-01-01");
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().field, "date");
}

TEST_P(BillNoticesTest, ApiRunsListsPrintsAndRefusesWithoutThePermission) {
  const std::int64_t n = account(1);
  bill_cycle();
  Client csr1 = sign_in("csr1"), boss = sign_in("supervisor");
  const std::string body = R"({"date": ")" + kDue.plus_days(53).iso() + R"("})";
  EXPECT_EQ(call("POST", "/api/v1/billing/notices/runs", body, &boss).status, 400);  // no key
  csr1.idempotency_key = "notices-1";
  EXPECT_EQ(call("POST", "/api/v1/billing/notices/runs", body, &csr1).status, 403);
  boss.idempotency_key = "notices-1";
  auto bad = call("POST", "/api/v1/billing/notices/runs", R"({"date": "soon"})", &boss);
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(bad.error_field(), "date");
  boss.idempotency_key = "notices-2";
  auto ran = call("POST", "/api/v1/billing/notices/runs", body, &boss);
  ASSERT_EQ(ran.status, 201) << ran.raw;
  EXPECT_EQ(ran.body.at("late").as_int64(), 1);
  EXPECT_EQ(ran.body.at("shutoff").as_int64(), 1);
  EXPECT_EQ(ran.body.at("skipped").at("in_dispute").as_int64(), 0);
  EXPECT_EQ(ran.body.at("skipped").at("account_closed").as_int64(), 0);
  const std::string id = std::to_string(ran.body.at("id").as_int64());
  boss.idempotency_key = "notices-3";  // a new request for the same date: the same batch
  auto rerun = call("POST", "/api/v1/billing/notices/runs", body, &boss);
  ASSERT_EQ(rerun.status, 200) << rerun.raw;
  EXPECT_EQ(std::to_string(rerun.body.at("id").as_int64()), id);
  EXPECT_TRUE(rerun.body.at("already_run").as_bool());

  auto list = call("GET", "/api/v1/billing/notices/runs", "", &csr1);
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body.at("runs").as_array().size(), 1u);
  auto one = call("GET", "/api/v1/billing/notices/runs/" + id, "", &csr1);
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_EQ(one.body.at("notices").as_int64(), 2);
  EXPECT_EQ(call("GET", "/api/v1/billing/notices/runs/999999", "", &csr1).status, 404);
  auto pdf = call("GET", "/api/v1/billing/notices/runs/" + id + "/pdf", "", &csr1);
  ASSERT_EQ(pdf.status, 200) << pdf.raw.substr(0, 200);
  EXPECT_EQ(pdf.raw.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.header("Content-Disposition").find("notices-" + id + ".pdf"), std::string::npos);

  auto history =
      call("GET", "/api/v1/billing/accounts/" + std::to_string(n) + "/notices", "", &csr1);
  ASSERT_EQ(history.status, 200) << history.raw;
  const auto& items = history.body.at("notices").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("kind").as_string(), "shutoff");
  EXPECT_EQ(items[0].at("past_due").as_string(), "59.33");
  EXPECT_EQ(call("GET", "/api/v1/billing/accounts/99999999/notices", "", &csr1).status, 404);

  const std::string shutoff_on = std::string(items[0].at("shutoff_on").as_string());
  auto crews = call("GET", "/api/v1/billing/shutoff-list?date=" + shutoff_on, "", &csr1);
  ASSERT_EQ(crews.status, 200) << crews.raw;
  ASSERT_EQ(crews.body.at("accounts").as_array().size(), 1u);
  EXPECT_EQ(crews.body.at("accounts").as_array()[0].at("account_number").as_int64(), n);
  auto csv = call("GET", "/api/v1/billing/shutoff-list?format=csv&date=" + shutoff_on, "", &csr1);
  ASSERT_EQ(csv.status, 200) << csv.raw;
  EXPECT_NE(csv.header("Content-Disposition").find("shutoff-list-" + shutoff_on + ".csv"),
            std::string::npos);
  EXPECT_NE(csv.raw.find(std::to_string(n) + ",\"Ada Notice1\""), std::string::npos) << csv.raw;
  auto xml = call("GET", "/api/v1/billing/shutoff-list?format=xml", "", &csr1);
  EXPECT_EQ(xml.status, 400);
  EXPECT_EQ(xml.error_field(), "format");
}

TEST_P(BillNoticesTest, TheCliWritesTheBatchAndTheSameFileOnARerun) {
  account(1);
  bill_cycle();
  const std::string date = kDue.plus_days(53).iso();
  const std::string dir = ::testing::TempDir();
  const std::string first = dir + "/notices-" + GetParam() + "-1.pdf";
  const std::string second = dir + "/notices-" + GetParam() + "-2.pdf";
  EXPECT_EQ(billing::cmd_billing_notices(*app_, date, first), 0);
  EXPECT_EQ(billing::cmd_billing_notices(*app_, date, second), 0);  // the same batch again
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const std::string a = read(first), b = read(second);
  EXPECT_TRUE(a.starts_with("%PDF-"));
  EXPECT_EQ(a, b);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_notice_batches"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bill_notices"), 2);
  EXPECT_EQ(billing::cmd_billing_notices(*app_, "someday", dir + "/x.pdf"), 2);  // names the date
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(BillNoticesTest);

// billing.notices in the City config: the demo's values, the defaults when absent, and each
// error naming file:line: key — a shut-off before 60 days (SB 998) is refused.
TEST(BillNoticesConfig, TheNoticesMapIsCheckedAndNamesTheKey) {
  std::ifstream in(source_dir() + "/config/demo-city.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto config = parse_city_config(text, "demo-city.yaml");
  ASSERT_TRUE(config) << config.error().field << ": " << config.error().message;
  const billing::NoticeSettings& n = config->billing.notices;
  EXPECT_EQ(n.late_notice_days, 5);
  EXPECT_EQ(n.shutoff_notice_days_delinquent, 53);
  EXPECT_EQ(n.shutoff_min_balance_cents, 50'00);
  EXPECT_EQ(n.shutoff_after_days_delinquent, 60);
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    return parse_city_config(t, "demo-city.yaml");
  };
  auto early = replace("shutoff_after_days_delinquent: 60", "shutoff_after_days_delinquent: 30");
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().field.find("demo-city.yaml:"), std::string::npos) << early.error().field;
  EXPECT_NE(early.error().field.find("billing.notices.shutoff_after_days_delinquent"),
            std::string::npos)
      << early.error().field;
  auto money = replace(R"(shutoff_min_balance: "50.00")", R"(shutoff_min_balance: "fifty")");
  ASSERT_FALSE(money);
  EXPECT_NE(money.error().field.find("billing.notices.shutoff_min_balance"), std::string::npos)
      << money.error().field;
  auto typo = replace("late_notice_days: 5", "late_notice_day: 5");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().field.find("billing.notices.late_notice_day"), std::string::npos)
      << typo.error().field;
  auto after = replace("shutoff_notice_days_delinquent: 53", "shutoff_notice_days_delinquent: 61");
  ASSERT_FALSE(after);  // noticed after the shut-off date could come
  EXPECT_NE(after.error().field.find("billing.notices.shutoff_notice_days_delinquent"),
            std::string::npos);
  // Absent: the defaults, the late notice with the penalty's grace days.
  const auto start = text.find("  notices:\n");
  const auto end = text.find("  # The tariff");
  ASSERT_NE(start, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  std::string without = text;
  without.erase(start, end - start);
  auto defaults = parse_city_config(without, "demo-city.yaml");
  ASSERT_TRUE(defaults) << defaults.error().field << ": " << defaults.error().message;
  EXPECT_FALSE(defaults->billing.notices.late_notice_days);
  EXPECT_EQ(billing::notice_rules(defaults->billing).late_notice_days,
            defaults->billing.runs.late_penalty.grace_days);
}

}  // namespace
}  // namespace civicdesk::testing
