// The read exception queue's paging and filters, the expected range stored with each exception,
// account search by name, the what-if's meter size and the in-request bill run limit — on both
// databases, through UtilityBook and through the HTTP pipeline.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

#include "billing/billing_cli.h"
#include "billing/utility_book.h"
#include "customers/party_book.h"
#include "tests/app_fixture.h"
#include "tests/billing_test_support.h"

namespace civicdesk::testing {
namespace {

namespace json = boost::json;
using billing::ReadOutcome;

// --- pure: the expected range in words, and what validate_read keeps for it ---

TEST(ExpectedRange, DescribesTheRangeTheCheckAllowed) {
  billing::ExpectedRange r;
  r.expected_mccf = 18'000;
  r.low_mccf = 9'000;
  r.high_mccf = 36'000;
  r.average = {18'000, 30};  // 0.6 CCF a day
  r.days = 30;
  EXPECT_EQ(billing::describe(r), "expected 9–36 CCF (avg 0.6/day × 30 days)");
  r.low_mccf = 2'250;
  r.high_mccf = 36'125;
  r.average = {1'000, 3};  // 0.333… → 0.33
  EXPECT_EQ(billing::describe(r), "expected 2.25–36.125 CCF (avg 0.33/day × 30 days)");
  r.average = {1'000, 200};  // 0.005 → 0.01 (half-up)
  EXPECT_EQ(billing::describe(r), "expected 2.25–36.125 CCF (avg 0.01/day × 30 days)");
}

TEST(ExpectedRange, ValidateReadKeepsTheBoundsAndTheAverage) {
  billing::Meter m;
  m.serial = "V-1";
  m.dials = 4;
  m.unit = billing::MeterUnit::kCcf;
  const billing::ReadTolerances t;           // low 25%, high 200%, min 28 days
  const billing::DailyUse use{900'000, 90};  // 10 CCF a day
  auto d = billing::validate_read(m, billing::actual_prior(1000, CivilDate{2026, 4, 5}), 2000,
                                  CivilDate{2026, 5, 5}, use, t);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->check, billing::ReadCheck::kHighUsage);
  EXPECT_EQ(d->expected_mccf, 300'000);
  EXPECT_EQ(d->low_mccf, 75'000);
  EXPECT_EQ(d->high_mccf, 600'000);
  EXPECT_EQ(d->average.usage_mccf, 900'000);
  EXPECT_EQ(d->checked_days, 30);
  // Without enough history there is no range.
  auto young = billing::validate_read(m, billing::actual_prior(1000, CivilDate{2026, 4, 5}), 1000,
                                      CivilDate{2026, 5, 5}, billing::DailyUse{100, 5}, t);
  ASSERT_TRUE(young);
  EXPECT_FALSE(young->expected_mccf);
  EXPECT_FALSE(young->low_mccf);
}

// --- storage and API, both databases ---

class BillingQueueTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    for (auto role : {"csr1", "csr2", "csr3", "field", "supervisor"})
      users_[role] = make_user(role);
    ASSERT_TRUE(book().create_cycle(as("csr3"), billing::Cycle{0, "C1", "Cycle 1", 5, 1}));
    ASSERT_TRUE(book().create_cycle(as("csr3"), billing::Cycle{0, "C2", "Cycle 2", 20, 1}));
    ASSERT_TRUE(book().create_route(as("csr3"), "R01", "North route", "C1"));
    ASSERT_TRUE(book().create_route(as("csr3"), "R02", "South route", "C2"));
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  billing::UtilityBook& book() { return app_->billing(); }
  // An account of `first last` at a new premise on `route` (cycle C1 for R01, C2 for R02),
  // water from 2026-01-05, a 4-dial CCF meter installed with 1000.
  std::int64_t account(const std::string& first, const std::string& last, int i,
                       const std::string& route = "R01") {
    const TestAccount a = open_test_account(*app_, as("csr2"),
                                            {.first_name = first,
                                             .last_name = last,
                                             .line1 = std::to_string(100 + i) + " MAIN ST",
                                             .cycle = route == "R01" ? "C1" : "C2",
                                             .opened_on = "2026-01-05",
                                             .services = {{"water", "RES"}},
                                             .meter_serial = "Q-" + std::to_string(i)});
    if (a.number == 0) return 0;
    EXPECT_TRUE(book().add_route_stop(as("csr3"), route, a.premise_id, i));
    return a.number;
  }
  ReadOutcome read(std::int64_t number, std::int64_t value, const std::string& on) {
    billing::ReadEntry e;
    e.value = value;
    e.read_on = on;
    auto r = book().enter_read(as("field"), number, e);
    EXPECT_TRUE(r) << on << ": " << r.error().field << ": " << r.error().message;
    return r ? *r : ReadOutcome{};
  }
  // Three months of 10 CCF a day, then 1,000 CCF in 30 days: high_usage against 300 expected.
  std::int64_t high_read(std::int64_t n) {
    EXPECT_EQ(read(n, 1310, "2026-02-05").read.status, "accepted");
    EXPECT_EQ(read(n, 1590, "2026-03-05").read.status, "accepted");
    EXPECT_EQ(read(n, 1900, "2026-04-05").read.status, "accepted");
    auto high = read(n, 2900, "2026-05-05");
    EXPECT_TRUE(high.exception);
    return high.exception ? high.exception->id : 0;
  }
  // No history: the same value again is zero usage, with no range.
  std::int64_t zero_read(std::int64_t n) {
    auto zero = read(n, 1000, "2026-02-05");
    EXPECT_TRUE(zero.exception);
    EXPECT_EQ(zero.exception ? zero.exception->code : "", "zero_usage");
    return zero.exception ? zero.exception->id : 0;
  }
  std::map<std::string, security::User> users_;
};

TEST_P(BillingQueueTest, TheExpectedRangeIsStoredWithTheException) {
  const std::int64_t n = account("Ada", "Range", 1);
  const std::int64_t id = high_read(n);
  auto v = book().read_exception(id);
  ASSERT_TRUE(v) << v.error().message;
  ASSERT_TRUE(v->expected);
  EXPECT_EQ(v->expected->expected_mccf, 300'000);
  EXPECT_EQ(v->expected->low_mccf, 75'000);
  EXPECT_EQ(v->expected->high_mccf, 600'000);
  EXPECT_EQ(v->expected->average.usage_mccf, 900'000);
  EXPECT_EQ(v->expected->average.days, 90);
  EXPECT_EQ(v->expected->days, 30);
  EXPECT_EQ(billing::describe(*v->expected), "expected 75–600 CCF (avg 10/day × 30 days)");
  // What the check saw stays: a later accepted read moves the average, not the stored range.
  ASSERT_TRUE(book().accept_exception(as("csr3"), id, "pool"));
  EXPECT_EQ(read(n, 3200, "2026-06-05").read.status, "accepted");
  EXPECT_EQ(book().read_exception(id)->expected->high_mccf, 600'000);
  // No history, no range.
  const std::int64_t zero = zero_read(account("Bob", "Norange", 2));
  EXPECT_FALSE(book().read_exception(zero)->expected);

  // Through the API, in the list and alone.
  Client csr1 = sign_in("csr1");
  auto one = call("GET", "/api/v1/billing/read-exceptions/" + std::to_string(id), "", &csr1);
  ASSERT_EQ(one.status, 200) << one.raw;
  const auto& e = one.body.at("expected");
  EXPECT_EQ(e.at("expected_ccf").as_string(), "300.000");
  EXPECT_EQ(e.at("low_ccf").as_string(), "75.000");
  EXPECT_EQ(e.at("high_ccf").as_string(), "600.000");
  EXPECT_EQ(e.at("days").as_int64(), 30);
  EXPECT_EQ(e.at("text").as_string(), "expected 75–600 CCF (avg 10/day × 30 days)");
  auto list = call("GET", "/api/v1/billing/read-exceptions", "", &csr1);
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body.at("items").as_array().size(), 1u);
  EXPECT_TRUE(list.body.at("items").at(0).at("expected").is_null());  // the zero read
}

TEST_P(BillingQueueTest, TheQueuePagesOldestFirstWithATotalAndFilters) {
  std::vector<std::int64_t> ids;
  // Three high reads on R01/C1, two zero reads on R02/C2: ids in creation order.
  for (int i = 1; i <= 3; ++i) ids.push_back(high_read(account("Ann", "High", i)));
  for (int i = 4; i <= 5; ++i) ids.push_back(zero_read(account("Zed", "Zero", i, "R02")));
  billing::ExceptionQuery q;
  q.limit = 2;
  auto first = book().exception_page(q);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->total, 5);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].id, ids[0]);
  EXPECT_EQ(first->items[1].id, ids[1]);
  q.offset = 4;
  auto last = book().exception_page(q);
  ASSERT_EQ(last->items.size(), 1u);
  EXPECT_EQ(last->items[0].id, ids[4]);
  EXPECT_EQ(last->total, 5);
  q.offset = 10;
  EXPECT_TRUE(book().exception_page(q)->items.empty());
  // Filters: reason, route, cycle; the total follows them.
  billing::ExceptionQuery by_code;
  by_code.code = "zero_usage";
  auto zeros = book().exception_page(by_code);
  EXPECT_EQ(zeros->total, 2);
  EXPECT_EQ(zeros->items[0].id, ids[3]);
  billing::ExceptionQuery by_route;
  by_route.route = "R01";
  EXPECT_EQ(book().exception_page(by_route)->total, 3);
  billing::ExceptionQuery by_cycle;
  by_cycle.cycle = "C2";
  by_cycle.code = "high_usage";
  EXPECT_EQ(book().exception_page(by_cycle)->total, 0);
  billing::ExceptionQuery by_account;
  by_account.account_number = first->items[1].account_number;
  auto mine = book().exception_page(by_account);
  ASSERT_EQ(mine->total, 1);
  EXPECT_EQ(mine->items[0].id, ids[1]);
  // A resolved one leaves "open" and stays in "all".
  ASSERT_TRUE(book().accept_exception(as("csr3"), ids[0], ""));
  EXPECT_EQ(book().exception_page({})->total, 4);
  billing::ExceptionQuery all;
  all.status = "all";
  EXPECT_EQ(book().exception_page(all)->total, 5);
  // Refusals name the field.
  billing::ExceptionQuery bad;
  bad.code = "wild";
  EXPECT_EQ(book().exception_page(bad).error().field, "code");
  bad = {};
  bad.limit = 501;
  EXPECT_EQ(book().exception_page(bad).error().field, "limit");
  bad.limit = 0;
  EXPECT_EQ(book().exception_page(bad).error().field, "limit");
  bad = {};
  bad.offset = -1;
  EXPECT_EQ(book().exception_page(bad).error().field, "offset");
  // The unpaged list the account page uses still works.
  EXPECT_EQ(book().exceptions("open")->size(), 4u);

  // The API: items (as before), total, limit, offset; errors as 400 naming the parameter.
  Client csr1 = sign_in("csr1");
  auto page = call("GET", "/api/v1/billing/read-exceptions?limit=2&offset=2", "", &csr1);
  ASSERT_EQ(page.status, 200) << page.raw;
  EXPECT_EQ(page.body.at("total").as_int64(), 4);
  EXPECT_EQ(page.body.at("limit").as_int64(), 2);
  EXPECT_EQ(page.body.at("offset").as_int64(), 2);
  ASSERT_EQ(page.body.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.body.at("items").at(0).at("id").as_int64(), ids[3]);
  auto defaults = call("GET", "/api/v1/billing/read-exceptions", "", &csr1);
  EXPECT_EQ(defaults.body.at("limit").as_int64(), 50);
  auto filtered =
      call("GET", "/api/v1/billing/read-exceptions?code=high_usage&route=R01&cycle=C1", "", &csr1);
  ASSERT_EQ(filtered.status, 200) << filtered.raw;
  EXPECT_EQ(filtered.body.at("total").as_int64(), 2);
  for (const auto& [target, field] :
       std::vector<std::pair<std::string, std::string>>{{"?limit=0", "limit"},
                                                        {"?limit=501", "limit"},
                                                        {"?limit=x", "limit"},
                                                        {"?offset=-3", "offset"},
                                                        {"?code=wild", "code"},
                                                        {"?status=closed", "status"}}) {
    auto r = call("GET", "/api/v1/billing/read-exceptions" + target, "", &csr1);
    EXPECT_EQ(r.status, 400) << target << " " << r.raw;
    EXPECT_EQ(r.error_field(), field) << target;
  }
}

TEST_P(BillingQueueTest, AccountsAreFoundByTheCustomersName) {
  const std::int64_t maria = account("María", "Gutiérrez", 1);
  const std::int64_t marcus = account("Marcus", "Gutman", 2);
  const std::int64_t other = account("Ada", "Lovelace", 3);
  auto find = [&](const std::string& name, int limit = billing::kMaxAccountsPerLookup) {
    billing::AccountQuery q;
    q.name = name;
    q.limit = limit;
    auto r = book().find_accounts(q);
    EXPECT_TRUE(r) << name << ": " << r.error().message;
    std::vector<std::int64_t> numbers;
    if (r)
      for (const auto& a : *r) numbers.push_back(a.number);
    return numbers;
  };
  using N = std::vector<std::int64_t>;
  // A prefix of any word of the name, case and accents ignored; every word must match.
  EXPECT_EQ(find("gutierrez"), N{maria});
  EXPECT_EQ(find("GUT"), (N{marcus, maria}));  // by name: Marcus Gutman, María Gutiérrez
  EXPECT_EQ(find("mar gut"), (N{marcus, maria}));
  EXPECT_EQ(find("maria"), N{maria});
  EXPECT_EQ(find("love ada"), N{other});
  EXPECT_EQ(find("GUT", 1).size(), 1u);
  // The party index also holds addresses; a name search does not return them.
  EXPECT_TRUE(find("riverton").empty());
  EXPECT_TRUE(find("nobody").empty());
  billing::AccountQuery blank;
  blank.name = "---";
  EXPECT_EQ(book().find_accounts(blank).error().field, "name");

  Client csr1 = sign_in("csr1");
  auto r = call("GET", "/api/v1/billing/accounts?name=gut&limit=5", "", &csr1);
  ASSERT_EQ(r.status, 200) << r.raw;
  const auto& items = r.body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("party_name").as_string(), "Marcus Gutman");
  EXPECT_EQ(items[1].at("number").as_int64(), maria);
  EXPECT_EQ(items[1].at("service_address").as_string(), "101 MAIN ST, RIVERTON, CA 95000");
  EXPECT_EQ(items[1].at("status").as_string(), "active");
  EXPECT_EQ(call("GET", "/api/v1/billing/accounts?name=gut&limit=0", "", &csr1).error_field(),
            "limit");
  EXPECT_EQ(call("GET", "/api/v1/billing/accounts?name=gut&limit=51", "", &csr1).error_field(),
            "limit");
  EXPECT_EQ(call("GET", "/api/v1/billing/accounts", "", &csr1).status, 400);
}

TEST_P(BillingQueueTest, AWhatIfPricesTheMeterSizeGiven) {
  Client csr1 = sign_in("csr1");
  auto options = call("GET", "/api/v1/billing/what-if/options", "", &csr1);
  ASSERT_EQ(options.status, 200) << options.raw;
  std::vector<std::string> sizes;
  for (const auto& s : options.body.at("meter_sizes").as_array()) sizes.emplace_back(s.as_string());
  EXPECT_EQ(sizes, (std::vector<std::string>{"5/8\"", "3/4\"", "1\"", "1.5\"", "2\""}));
  EXPECT_FALSE(options.body.at("rate_versions").as_array().empty());
  EXPECT_FALSE(options.body.at("rate_classes").as_array().empty());

  // September 2026 (FY2027): the fixed charge is $18.40 for 5/8", $98.50 for 2"; usage the same.
  auto fixed = [&](const std::string& extra) -> std::string {
    auto r =
        call("POST", "/api/v1/billing/what-if",
             R"({"rate_class":"RES","usage_ccf":"14","from":"2026-09-01")" + extra + "}", &csr1);
    EXPECT_EQ(r.status, 200) << r.raw;
    if (r.status != 200) return "";
    for (const auto& l : r.body.at("lines").as_array())
      if (l.at("component").as_string() == "fixed_charge")
        return std::string(l.at("amount").as_string());
    return "none";
  };
  EXPECT_EQ(fixed(R"(,"meter_size":"5/8\"")"), "18.40");
  EXPECT_EQ(fixed(R"(,"meter_size":"2\"")"), "98.50");
  // An account's own meter (5/8"), or another size priced for it.
  const std::int64_t n = account("Wen", "Whatif", 1);
  ASSERT_TRUE(book().add_service(as("csr2"), n, "sewer", "RES", "2026-01-05"));
  const std::string acct = R"(,"account_number":)" + std::to_string(n);
  EXPECT_EQ(fixed(acct), "18.40");
  EXPECT_EQ(fixed(acct + R"(,"meter_size":"2\"")"), "98.50");
  auto r = call("POST", "/api/v1/billing/what-if",
                R"({"rate_class":"RES","usage_ccf":"1","meter_size":"2\""})", &csr1);
  EXPECT_EQ(r.body.at("meter_size").as_string(), "2\"");
}

// --- the in-request run limit ---

TEST(BillingRunLimit, TheLimitIsAConfigKeyWithADefaultPerDatabase) {
  std::ifstream in(source_dir() + "/config/demo-city.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto config = parse_city_config(text, "demo-city.yaml");
  ASSERT_TRUE(config) << config.error().field << ": " << config.error().message;
  EXPECT_FALSE(config->billing.runs.inline_run_accounts);
  EXPECT_EQ(billing::inline_run_limit(config->billing.runs, false), 5'000);
  EXPECT_EQ(billing::inline_run_limit(config->billing.runs, true), 500);
  auto with = [&](const std::string& line) {
    std::string t = text;
    const std::string key = "  run_batch_size:";
    t.insert(t.find(key), line + "\n");
    return parse_city_config(t, "demo-city.yaml");
  };
  auto set = with("  inline_run_accounts: 800");
  ASSERT_TRUE(set) << set.error().field << ": " << set.error().message;
  EXPECT_EQ(billing::inline_run_limit(set->billing.runs, false), 800);
  EXPECT_EQ(billing::inline_run_limit(set->billing.runs, true), 800);
  auto zero = with("  inline_run_accounts: 0");  // every run goes to the scheduler
  ASSERT_TRUE(zero);
  EXPECT_EQ(billing::inline_run_limit(zero->billing.runs, true), 0);
  auto bad = with("  inline_run_accounts: -1");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().field.find("billing.inline_run_accounts"), std::string::npos)
      << bad.error().field;
  auto words = with("  inline_run_accounts: many");
  ASSERT_FALSE(words);
  EXPECT_NE(words.error().field.find("billing.inline_run_accounts"), std::string::npos);
}

TEST_P(BillingQueueTest, ARunAboveTheLimitIsOpenedAndFinishedByTheScheduler) {
  // The App again, on the same database, with billing.inline_run_accounts: 1.
  std::ifstream in(source_dir() + "/config/demo-city.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text.insert(text.find("  run_batch_size:"), "  inline_run_accounts: 1\n");
  const std::string path = ::testing::TempDir() + "billing-queue-inline-" +
                           std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".yaml";
  std::ofstream(path) << text;
  api_.reset();
  app_.reset();
  AppOptions o;
  o.db_url = url_;
  o.config_path = path;
  o.web_root = source_dir() + "/web/dist";
  auto clock = std::make_unique<ManualClock>(kTestStartUs);
  clock_ = clock.get();
  auto app = App::open(o, std::move(clock));
  std::remove(path.c_str());
  ASSERT_TRUE(app) << app.error().field << ": " << app.error().message;
  app_ = std::move(*app);
  api_ = std::make_unique<http::Api>(*app_);
  ASSERT_EQ(app_->city().billing.runs.inline_run_accounts, 1);

  const std::int64_t a = account("Run", "One", 1), b = account("Run", "Two", 2);
  EXPECT_EQ(read(a, 1010, "2026-02-05").read.status, "accepted");
  EXPECT_EQ(read(b, 1020, "2026-02-05").read.status, "accepted");
  Client boss = sign_in("supervisor");
  boss.idempotency_key = "queue-run-1";
  auto started =
      call("POST", "/api/v1/billing/runs", R"({"cycle": "C1", "period_end": "2026-02-05"})", &boss);
  ASSERT_EQ(started.status, 202) << started.raw;  // two accounts > 1: not billed in the request
  EXPECT_EQ(started.body.at("status").as_string(), "running");
  EXPECT_EQ(started.body.at("accounts").as_int64(), 2);
  EXPECT_EQ(started.body.at("done").as_int64(), 0);
  const std::string run =
      "/api/v1/billing/runs/" + std::to_string(started.body.at("id").as_int64());
  EXPECT_EQ(call("GET", run, "", &boss).body.at("status").as_string(), "running");
  // The scheduler's `civicdesk billing run C1 2026-02-05` finishes that very run.
  EXPECT_EQ(billing::cmd_billing_run(*app_, "C1", "2026-02-05"), 0);
  auto finished = call("GET", run, "", &boss);
  ASSERT_EQ(finished.status, 200) << finished.raw;
  EXPECT_EQ(finished.body.at("status").as_string(), "finished");
  EXPECT_EQ(finished.body.at("done").as_int64(), 2);
  // The retry with the same key gets the first answer.
  auto again =
      call("POST", "/api/v1/billing/runs", R"({"cycle": "C1", "period_end": "2026-02-05"})", &boss);
  EXPECT_EQ(again.status, 202);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(BillingQueueTest);

}  // namespace
}  // namespace civicdesk::testing
