// Reports on both databases: statement balances over a range, the statement PDF, aging at every
// bucket boundary, the trial balance, the journal CSV, and the report routes.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/ledger_check.h"
#include "reports/aging.h"
#include "reports/journal_export.h"
#include "reports/statement.h"
#include "reports/statement_pdf.h"
#include "reports/trial_balance.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

using ledger::ChargeRequest;
using ledger::PaymentRequest;
using reports::AgingBucket;

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}

constexpr CivilDate kToday{2026, 11, 26};  // kTestStartUs in Riverton

// The text of a PDF by pdftotext (poppler-utils), or nullopt when it is not installed.
std::optional<std::string> pdf_text(const std::string& pdf) {
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) return std::nullopt;
  auto dir = std::filesystem::temp_directory_path() / ("cd_pdf_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "s.pdf", std::ios::binary) << pdf;
  std::string cmd =
      "pdftotext -layout " + (dir / "s.pdf").string() + " " + (dir / "s.txt").string();
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::stringstream ss;
  ss << std::ifstream(dir / "s.txt").rdbuf();
  std::filesystem::remove_all(dir);
  return ss.str();
}

class ReportsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    clerk_ = make_user("csr2");
    party_ = new_party("Rita", "Report");
  }
  std::int64_t new_party(const std::string& first, const std::string& last) {
    customers::PartyInput p;
    p.first_name = first;
    p.last_name = last;
    p.addresses.push_back({"mailing", "12 Main St", "Apt 4", "Riverton", "CA", "95501"});
    std::vector<customers::DuplicateCandidate> dups;
    auto party = app_->parties().create(Actor::system(), p, true, dups);
    EXPECT_TRUE(party) << party.error().message;
    return party ? party->id.value : 0;
  }
  Actor clerk() { return Actor{clerk_.id, clerk_.username, clerk_.role, "req", "127.0.0.1"}; }
  ledger::Obligation charge(std::int64_t cents, CivilDate due, const std::string& kind,
                            const std::string& account, const std::string& what = "Service") {
    ChargeRequest r{party_, "", kind, what, due, {{"Service", account, usd(cents), false}}, "", ""};
    auto o = app_->ledger().charge(clerk(), r);
    EXPECT_TRUE(o) << o.error().message;
    return o ? *o : ledger::Obligation{};
  }
  ledger::Obligation bill(std::int64_t cents, CivilDate due) {
    return charge(cents, due, "utility_bill", "4000-WATER");
  }
  void pay(std::int64_t cents) {
    PaymentRequest r{
        party_, usd(cents), "cash", "counter", "Rita", "", "", {}, "k" + std::to_string(++keys_)};
    auto p = app_->ledger().pay(clerk(), r);
    EXPECT_TRUE(p) << p.error().message;
  }
  void advance_days(int days) { clock_->advance_us(days * 86'400LL * kMicrosPerSecond); }
  // Replayed from the journal, and (when the period reaches today) also from the stored
  // balances, which must say the same.
  reports::Statement statement(CivilDate from, CivilDate to) {
    auto s = reports::statement(app_->db(), app_->city(), party_, from, to);
    EXPECT_TRUE(s) << s.error().message;
    if (!s) return {};
    auto fast =
        reports::statement(app_->db(), app_->city(), party_, from, to, app_->ledger().today());
    EXPECT_TRUE(fast) << fast.error().message;
    if (fast) expect_same(*s, *fast);
    return *s;
  }
  static void expect_same(const reports::Statement& a, const reports::Statement& b) {
    EXPECT_EQ(a.opening_balance, b.opening_balance);
    EXPECT_EQ(a.closing_balance, b.closing_balance);
    EXPECT_EQ(a.closing_credit, b.closing_credit);
    EXPECT_EQ(a.aging.total, b.aging.total);
    for (auto bucket : reports::kAgingBuckets) EXPECT_EQ(a.aging.at(bucket), b.aging.at(bucket));
    ASSERT_EQ(a.lines.size(), b.lines.size());
    for (std::size_t i = 0; i < a.lines.size(); ++i)
      EXPECT_EQ(a.lines[i].balance, b.lines[i].balance) << i;
  }
  // A GET straight through the Api, for what ApiResult leaves out (the content type).
  http::Response raw_get(const std::string& target, const Client& client) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    EXPECT_TRUE(http::parse_target(target, req.path, req.query));
    req.request_id = "test";
    req.headers["Cookie"] = client.cookie;
    return api_->handle(req);
  }
  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }

  security::User clerk_;
  std::int64_t party_ = 0;
  int keys_ = 0;
};

// 11-26 bill $100; 12-01 pay $30; 12-06 citation $45.50; 12-11 pay $200 (credit $84.50);
// 12-16 bill $20, paid at once from the credit (credit $64.50).
TEST_P(ReportsTest, StatementOpeningAndClosingBalancesOverARange) {
  bill(10000, {2026, 12, 10});
  advance_days(5);
  pay(3000);
  advance_days(5);
  charge(4550, {2026, 12, 20}, "citation", "4000-PARKING");
  advance_days(5);
  pay(20000);
  advance_days(5);
  bill(2000, {2026, 12, 31});

  auto s = statement({2026, 12, 1}, {2026, 12, 11});
  EXPECT_EQ(s.party_name, "Rita Report");
  EXPECT_EQ(s.address_lines,
            (std::vector<std::string>{"12 Main St", "Apt 4", "Riverton, CA 95501"}));
  EXPECT_EQ(s.opening_balance, usd(10000));
  ASSERT_EQ(s.lines.size(), 3u);
  EXPECT_EQ(s.lines[0].description, "Payment");
  EXPECT_EQ(s.lines[0].payments, usd(3000));
  EXPECT_EQ(s.lines[0].balance, usd(7000));
  EXPECT_EQ(s.lines[1].posting_date, (CivilDate{2026, 12, 6}));
  EXPECT_EQ(s.lines[1].charges, usd(4550));
  EXPECT_EQ(s.lines[1].balance, usd(11550));
  EXPECT_EQ(s.lines[2].payments, usd(20000));
  EXPECT_EQ(s.total_charges, usd(4550));
  EXPECT_EQ(s.total_payments, usd(23000));
  EXPECT_EQ(s.closing_balance, usd(-8450));
  EXPECT_EQ(s.closing_credit, usd(8450));
  EXPECT_EQ(s.aging.total, usd(0));

  auto later = statement({2026, 12, 12}, {2026, 12, 16});
  EXPECT_EQ(later.opening_balance, usd(-8450));
  ASSERT_EQ(later.lines.size(), 2u);
  EXPECT_EQ(later.lines[0].charges, usd(2000));
  EXPECT_EQ(later.lines[1].description, "Credit applied");
  EXPECT_EQ(later.lines[1].charges, usd(0));
  EXPECT_EQ(later.lines[1].payments, usd(0));
  EXPECT_EQ(later.closing_balance, usd(-6450));

  auto all = statement({2026, 1, 1}, {2026, 12, 31});
  EXPECT_EQ(all.opening_balance, usd(0));
  EXPECT_EQ(all.lines.size(), 6u);
  auto now = app_->ledger().balance_of(party_);
  EXPECT_EQ(all.closing_balance.cents(), now->receivable.cents() - now->credit.cents());
  expect_books_agree();
}

TEST_P(ReportsTest, StatementAgesOpenChargesAsOfItsEnd) {
  bill(1000, kToday);                                               // due today
  charge(2500, kToday.plus_days(-40), "citation", "4000-PARKING");  // 40 days late already
  auto s = statement(kToday, kToday.plus_days(31));
  EXPECT_EQ(s.aging.at(AgingBucket::kDays1To30), usd(0));
  EXPECT_EQ(s.aging.at(AgingBucket::kDays31To60), usd(1000));  // 31 days past due on `to`
  EXPECT_EQ(s.aging.at(AgingBucket::kDays61To90), usd(2500));  // 71 days
  EXPECT_EQ(s.aging.total.cents(), s.closing_balance.cents() + s.closing_credit.cents());
}

TEST_P(ReportsTest, StatementRefusesABackwardPeriodAndAnUnknownParty) {
  auto backward = reports::statement(app_->db(), app_->city(), party_, kToday, {2026, 11, 1});
  EXPECT_EQ(backward.error().code, ErrorCode::kInvalidInput);
  auto nobody = reports::statement(app_->db(), app_->city(), 999999, kToday, kToday);
  EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
}

// Writes `n` one-cent receivable entries for the party straight into the journal (the statement
// reads only the journal on this path), fast enough to reach the limit on both databases.
Result<std::int64_t> bulk_entries(store::Database& db, std::int64_t party, std::int64_t n) {
  return db.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
    CD_TRY(
        c.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
               "INSERT INTO journal_entries (kind, posting_date, at_us, memo, party_id, "
               "username, request_id) SELECT 'charge', '2026-11-26', i, 'bulk', "
               "CAST(? AS BIGINT), 'test', 'bulk' FROM n",
               {n, party}));
    return c.exec(
        "INSERT INTO journal_lines (entry_id, account, fund, debit_cents, "
        "credit_cents, party_id) SELECT e.id, '1200-WATER', 'WATER', 1, 0, e.party_id "
        "FROM journal_entries e WHERE e.request_id = 'bulk' AND NOT EXISTS "
        "(SELECT 1 FROM journal_lines l WHERE l.entry_id = e.id)");
  });
}

TEST_P(ReportsTest, StatementTakesTheMostEntriesAndRefusesOneMore) {
  ASSERT_TRUE(bulk_entries(app_->db(), party_, kMaxLedgerRows));
  auto full = reports::statement(app_->db(), app_->city(), party_, kToday, kToday);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->lines.size(), static_cast<std::size_t>(kMaxLedgerRows));
  EXPECT_EQ(full->closing_balance, usd(kMaxLedgerRows));
  ASSERT_TRUE(bulk_entries(app_->db(), party_, 1));
  auto over = reports::statement(app_->db(), app_->city(), party_, kToday, kToday);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kTooLarge);
}

TEST_P(ReportsTest, StatementPdfShowsTheCustomerAndClosingBalance) {
  bill(123456, {2026, 12, 10});
  pay(2000);
  auto s = statement({2026, 11, 1}, kToday);
  auto pdf = reports::statement_pdf(s);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_GT(pdf->size(), 1000u);
  auto text = pdf_text(*pdf);
  if (!text) GTEST_SKIP() << "pdftotext not installed (apt package poppler-utils)";
  EXPECT_NE(text->find("Rita Report"), std::string::npos) << *text;
  EXPECT_NE(text->find("City of Riverton"), std::string::npos);
  EXPECT_NE(text->find("$1,214.56"), std::string::npos) << *text;  // closing balance
  EXPECT_NE(text->find("Page 1 of 1"), std::string::npos);
}

TEST_P(ReportsTest, AgingBucketsAtEachBoundary) {
  // Days past due on the as-of date, and a distinct amount for each.
  const std::vector<std::pair<int, std::int64_t>> cases = {
      {-5, 1}, {0, 2}, {1, 4}, {30, 8}, {31, 16}, {60, 32}, {61, 64}, {90, 128}, {91, 256}};
  for (const auto& [days, cents] : cases) bill(cents, kToday.plus_days(-days));
  charge(512, kToday.plus_days(-1), "citation", "4000-PARKING");
  auto report = reports::aging(app_->db(), app_->city(), kToday, kToday);
  ASSERT_TRUE(report) << report.error().message;
  const auto& t = report->total;
  EXPECT_EQ(t.at(AgingBucket::kCurrent), usd(1 + 2));
  EXPECT_EQ(t.at(AgingBucket::kDays1To30), usd(4 + 8 + 512));
  EXPECT_EQ(t.at(AgingBucket::kDays31To60), usd(16 + 32));
  EXPECT_EQ(t.at(AgingBucket::kDays61To90), usd(64 + 128));
  EXPECT_EQ(t.at(AgingBucket::kOver90), usd(256));
  EXPECT_EQ(t.total, usd(1023));
  ASSERT_EQ(report->rows.size(), 2u);  // by fund, then kind
  EXPECT_EQ(report->rows[0].fund, "PARKING");
  EXPECT_EQ(report->rows[0].kind_name, "Parking citation");
  EXPECT_EQ(report->rows[1].fund, "WATER");
  EXPECT_EQ(report->rows[1].buckets.total, usd(511));
  ASSERT_EQ(report->fund_totals.size(), 2u);
  EXPECT_EQ(report->fund_totals[0].buckets.total, usd(512));
}

TEST_P(ReportsTest, AgingForAPastDateReplaysTheJournal) {
  bill(5000, kToday.plus_days(-10));
  advance_days(30);
  pay(2000);
  CivilDate now = kToday.plus_days(30);
  auto today = reports::aging(app_->db(), app_->city(), now, now);
  auto then = reports::aging(app_->db(), app_->city(), kToday, now);
  auto before = reports::aging(app_->db(), app_->city(), kToday.plus_days(-1), now);
  ASSERT_TRUE(today && then && before);
  EXPECT_EQ(today->total.at(AgingBucket::kDays31To60), usd(3000));
  EXPECT_EQ(then->total.at(AgingBucket::kDays1To30), usd(5000));
  EXPECT_EQ(before->total.total, usd(0));
  // The stored balances and the journal agree about today.
  auto replayed = app_->db().read<std::vector<reports::OpenBalance>>(
      [&](store::Connection& c) { return reports::journal_open_balances(c, now, 0); });
  ASSERT_TRUE(replayed);
  auto from_journal = reports::age(*replayed, now, app_->city());
  EXPECT_EQ(from_journal->total.total, today->total.total);
}

TEST(AgingBucketTest, Boundaries) {
  EXPECT_EQ(reports::bucket_for(-1), AgingBucket::kCurrent);
  EXPECT_EQ(reports::bucket_for(0), AgingBucket::kCurrent);
  EXPECT_EQ(reports::bucket_for(1), AgingBucket::kDays1To30);
  EXPECT_EQ(reports::bucket_for(30), AgingBucket::kDays1To30);
  EXPECT_EQ(reports::bucket_for(31), AgingBucket::kDays31To60);
  EXPECT_EQ(reports::bucket_for(60), AgingBucket::kDays31To60);
  EXPECT_EQ(reports::bucket_for(61), AgingBucket::kDays61To90);
  EXPECT_EQ(reports::bucket_for(90), AgingBucket::kDays61To90);
  EXPECT_EQ(reports::bucket_for(91), AgingBucket::kOver90);
}

TEST_P(ReportsTest, TrialBalanceBalancesPerFundAndMatchesAccountBalances) {
  bill(10000, kToday);
  charge(4550, kToday, "citation", "4000-PARKING");
  pay(20000);  // pays both and leaves $54.50 of credit
  auto tb = reports::trial_balance(app_->db(), app_->city(), kToday, kToday);
  ASSERT_TRUE(tb) << tb.error().message;
  ASSERT_FALSE(tb->funds.empty());
  EXPECT_EQ(tb->debits, tb->credits);
  std::map<std::string, std::int64_t> net;
  for (const auto& f : tb->funds) {
    EXPECT_TRUE(f.balanced()) << f.fund;
    for (const auto& a : f.accounts) net[a.account] = a.net.cents();
  }
  auto stored = app_->db().read<store::Rows>([](store::Connection& c) {
    return c.query("SELECT account, debit_cents - credit_cents FROM account_balances");
  });
  ASSERT_TRUE(stored);
  for (const auto& r : *stored) EXPECT_EQ(net[r.text(0)], r.integer(1)) << r.text(0);
  EXPECT_EQ(net["1200-WATER"], 0);
  EXPECT_EQ(net["4000-WATER"], -10000);
  EXPECT_EQ(net["2100-GENERAL"], -5450);
  auto water = std::find_if(tb->funds.begin(), tb->funds.end(),
                            [](const auto& f) { return f.fund == "WATER"; });
  ASSERT_NE(water, tb->funds.end());
  EXPECT_EQ(water->name, "Water Utility Fund");
  EXPECT_EQ(water->accounts.front().type, "asset");
  // The journal summed to today says the same; before any posting it is empty.
  advance_days(1);
  auto replayed = reports::trial_balance(app_->db(), app_->city(), kToday, kToday.plus_days(1));
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->debits, tb->debits);
  EXPECT_EQ(replayed->funds.size(), tb->funds.size());
  auto before = reports::trial_balance(app_->db(), app_->city(), kToday.plus_days(-1), kToday);
  EXPECT_TRUE(before->funds.empty());
}

TEST_P(ReportsTest, JournalCsvHasOneRowPerLineAndQuotesMemos) {
  charge(1234, kToday, "utility_bill", "4000-WATER", "Meter \"A\", rear");
  advance_days(1);
  pay(500);
  auto csv = reports::journal_csv(app_->db(), kToday);
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(
      *csv,
      "posting_date,entry_id,entry_kind,account,fund,debit,credit,memo\r\n"
      "2026-11-26,1,charge,1200-WATER,WATER,12.34,0.00,\"Meter \"\"A\"\", rear ($12.34)\"\r\n"
      "2026-11-26,1,charge,4000-WATER,WATER,0.00,12.34,\"Meter \"\"A\"\", rear ($12.34)\"\r\n");
  auto next_day = reports::journal_csv(app_->db(), kToday.plus_days(1));
  ASSERT_TRUE(next_day);
  EXPECT_NE(next_day->find(",payment,"), std::string::npos);
  EXPECT_EQ(next_day->find(",charge,"), std::string::npos);
}

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(reports::csv_field("plain text"), "plain text");
  EXPECT_EQ(reports::csv_field(""), "");
  EXPECT_EQ(reports::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(reports::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(reports::csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(reports::csv_field("cr\r"), "\"cr\r\"");
}

TEST(WinAnsiTest, KeepsLatinMapsTypographyAndReplacesTheRest) {
  EXPECT_EQ(reports::to_win_ansi("Zo\xC3\xAB"), "Zo\xEB");                      // ë
  EXPECT_EQ(reports::to_win_ansi("\xE2\x80\x9CHi\xE2\x80\x9D"), "\x93Hi\x94");  // “Hi”
  EXPECT_EQ(reports::to_win_ansi("\xE2\x82\xAC"
                                 "5"),
            "\x80"
            "5");                                        // €5
  EXPECT_EQ(reports::to_win_ansi("\xE6\x97\xA5"), "?");  // 日
  EXPECT_EQ(reports::to_win_ansi("a\tb\x01"), "a b ");
  EXPECT_EQ(reports::to_win_ansi("\xC3"), "?");      // truncated sequence
  EXPECT_EQ(reports::to_win_ansi("\xC0\xAF"), "?");  // overlong '/'
}

TEST(StatementPdfTest, LongStatementsContinueOnMorePages) {
  reports::Statement s;
  s.city_name = "City of Riverton";
  s.party_name = "Zo\xC3\xAB \xE6\x97\xA5 Example";
  s.from = {2026, 1, 1};
  s.to = {2026, 12, 31};
  for (int i = 0; i < 150; ++i) {
    reports::StatementLine l;
    l.posting_date = s.from.plus_days(i);
    l.entry_id = 1000 + i;
    l.description = "Charge";
    l.memo = std::string(200, 'x');  // cut to fit its column
    l.charges = usd(100);
    l.balance = usd(100 * (i + 1));
    s.lines.push_back(l);
  }
  s.closing_balance = usd(15000);
  auto pdf = reports::statement_pdf(s);
  ASSERT_TRUE(pdf) << pdf.error().message;
  auto text = pdf_text(*pdf);
  if (!text) GTEST_SKIP() << "pdftotext not installed (apt package poppler-utils)";
  EXPECT_NE(text->find("Page 4 of 4"), std::string::npos) << *text;  // ~50 rows a page
  EXPECT_NE(text->find("(continued)"), std::string::npos);
  EXPECT_NE(text->find("$150.00"), std::string::npos);
  EXPECT_NE(text->find("1149"), std::string::npos);                  // the last entry
  EXPECT_NE(text->find("Zo\xC3\xAB ? Example"), std::string::npos);  // pdftotext writes UTF-8
}

TEST_P(ReportsTest, RoutesServeJsonPdfAndCsvToTheRightRoles) {
  make_user("finance");
  bill(1000, kToday);
  Client csr = sign_in("csr2");
  Client finance = sign_in("finance");
  std::string base = "/api/v1/parties/" + std::to_string(party_);
  auto json = call("GET", base + "/statement?from=2026-11-01&to=2026-11-30", "", &csr);
  ASSERT_EQ(json.status, 200) << json.raw;
  EXPECT_EQ(json.body.at("closing_balance").as_string(), "10.00");
  EXPECT_EQ(json.body.at("entries").as_array().size(), 1u);
  auto pdf = call("GET", base + "/statement?format=pdf", "", &csr);
  ASSERT_EQ(pdf.status, 200) << pdf.raw;
  EXPECT_TRUE(pdf.raw.starts_with("%PDF-"));
  EXPECT_NE(pdf.header("Content-Disposition").find("inline; filename="), std::string::npos);
  EXPECT_EQ(call("GET", base + "/statement?format=doc", "", &csr).status, 400);
  EXPECT_EQ(call("GET", base + "/statement?from=2026-13-01", "", &csr).status, 400);

  EXPECT_EQ(call("GET", "/api/v1/reports/aging", "", &csr).status, 403);
  auto aging = call("GET", "/api/v1/reports/aging", "", &finance);
  ASSERT_EQ(aging.status, 200) << aging.raw;
  EXPECT_EQ(aging.body.at("total").at("current").as_string(), "10.00");
  auto tb = call("GET", "/api/v1/reports/trial-balance?date=2026-11-26", "", &finance);
  ASSERT_EQ(tb.status, 200) << tb.raw;
  EXPECT_EQ(tb.body.at("debits").as_string(), tb.body.at("credits").as_string());
  auto csv = raw_get("/api/v1/reports/journal?date=2026-11-26", finance);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(csv.body.starts_with("posting_date,"));
  EXPECT_EQ(call("GET", "/api/v1/reports/journal?date=2026-11-26", "", &finance)
                .header("Content-Disposition"),
            "attachment; filename=\"journal-2026-11-26.csv\"");
  EXPECT_EQ(raw_get(base + "/statement?format=pdf", csr).content_type, "application/pdf");
}

TEST_P(ReportsTest, LedgerExportCommandWritesTheFile) {
  bill(1000, kToday);
  auto path = std::filesystem::temp_directory_path() / ("cd_export_" + std::to_string(::getpid()));
  std::ostringstream out, err;
  EXPECT_EQ(reports::cmd_ledger_export(url_, "2026-11-26", path.string(), out, err), 0)
      << err.str();
  std::stringstream written;
  written << std::ifstream(path).rdbuf();
  EXPECT_TRUE(written.str().starts_with("posting_date,"));
  EXPECT_NE(written.str().find("1200-WATER"), std::string::npos);
  std::filesystem::remove(path);
  EXPECT_EQ(reports::cmd_ledger_export(url_, "2026-02-30", "", out, err), 2);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(ReportsTest);

}  // namespace
}  // namespace civicdesk::testing
