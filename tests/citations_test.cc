// Parking citations end to end on both databases: the SFMTA sample imported through the SF
// adapter (counts and ledger totals, re-import posts nothing), the nightly escalation over a
// range of dates (each step once), contests (escalation paused, dismissal zeroes the balance,
// a reduction adjusts it), the void's supervisor, and the API's permissions. Every money test
// ends with `ledger check`.
#include <map>
#include <thread>

#include "citations/citation_book.h"
#include "citations/citations_test_support.h"
#include "customers/party_book.h"
#include "ledger/ledger_check.h"
#include "store/faulty_database.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

namespace json = boost::json;
using citations::Citation;
using citations::CitationStatus;

// A citation number of the demo City (mod7): `digits` followed by its check digit.
std::string numbered(const std::string& digits) {
  return digits +
         std::to_string(citations::compute_check_digit(citations::CheckDigit::kMod7, digits));
}

class CitationsTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3", "supervisor"}) users_[role] = make_user(role);
    users_["supervisor2"] = make_user("supervisor", "supervisor2");
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  citations::CitationBook& book() { return app_->citations(); }
  std::int64_t count(const std::string& sql) {
    auto n = app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }
  Citation enter(const std::string& number, const std::string& issued_at,
                 const std::string& plate = "7ABC123", const std::string& code = "TRC7.2.22") {
    return citations::testing::enter_citation(book(), as("csr2"), number, issued_at, plate, code);
  }
  Citation load(const std::string& number) {
    return citations::testing::load_citation(book(), number);
  }
  std::map<std::string, security::User> users_;
};

constexpr std::string_view kHeader =
    "citation_number,issued_at,location,violation_code,fine,plate,plate_state,make,color,vin,"
    "officer_id,device_id,notes\n";

// `n` street-cleaning citations issued on `issued_at`, numbered from `first` (mod7), one plate
// each.
std::string issuance_file(std::int64_t first, int n, const std::string& issued_at) {
  std::string out(kHeader);
  for (int i = 0; i < n; ++i)
    out += numbered(std::to_string(first + i)) + "," + issued_at + ",1 MAIN ST,TRC7.2.22,,P" +
           std::to_string(first + i).substr(3) + ",CA,,,,PCO 1,HH-1,\n";
  return out;
}

TEST_P(CitationsTest, SfSampleImportsWithTheScheduledFinesAndReimportPostsNothing) {
  const std::string text = citations::testing::read_text(citations::testing::shared_testdata() /
                                                         "sf-parking-citations-sample/test.csv");
  book().set_citations_per_transaction(250);  // several transactions
  auto first = book().import_issuance(as("csr2"), text, citations::IssuanceFormat::kSf);
  ASSERT_TRUE(first) << first.error().field << ": " << first.error().message;
  EXPECT_EQ(first->rows, 1112);
  EXPECT_EQ(first->accepted, 1110);
  EXPECT_EQ(first->created, 1110);
  EXPECT_FALSE(first->already_imported);
  ASSERT_EQ(first->refused.size(), 2u);
  EXPECT_EQ(first->refused[0].line, 683);
  EXPECT_EQ(first->refused[0].field, "location");
  EXPECT_EQ(first->refused[1].line, 728);
  // The schedule's fines on the issue dates (the domain test found $107,602.00).
  EXPECT_EQ(first->created_total.cents(), 107'602'00);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citations"), 1110);
  EXPECT_EQ(count("SELECT COALESCE(SUM(original_cents), 0) FROM obligations WHERE kind = "
                  "'citation'"),
            107'602'00);
  EXPECT_EQ(count("SELECT COALESCE(SUM(balance_cents), 0) FROM obligations"), 107'602'00);
  const std::int64_t entries = count("SELECT COUNT(*) FROM journal_entries");

  auto again = book().import_issuance(as("csr2"), text, citations::IssuanceFormat::kSf);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->already_imported);
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->skipped, 1110);
  EXPECT_EQ(again->refused.size(), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journal_entries"), entries);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citations"), 1110);
  expect_books_agree();

  // Every sample citation is long overdue: one run posts all six steps of each, once.
  auto run = book().escalate(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->steps_posted, 6 * 1110);
  EXPECT_EQ(run->penalties_posted, 2 * 1110);
  EXPECT_EQ(run->penalty_total.cents(), 1110 * 60'00);
  auto rerun = book().escalate(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(rerun) << rerun.error().message;
  EXPECT_EQ(rerun->steps_posted, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_steps"), 6 * 1110);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citations WHERE status = 'collections' AND dmv_hold = 1"),
            1110);
  EXPECT_EQ(count("SELECT COALESCE(SUM(balance_cents), 0) FROM obligations"),
            107'602'00 + 1110 * 60'00);
  expect_books_agree();
}

TEST_P(CitationsTest, EscalationOverARangeOfDatesPostsEachStepOnceOnItsDay) {
  const std::string number = numbered("95455643");
  enter(number, "2026-08-03 09:15");
  Citation before = load(number);
  ASSERT_TRUE(before.next_step_due_on);
  EXPECT_EQ(before.amount_due.cents(), 87'00);  // TRC7.2.22 from 2022-07-01
  for (CivilDate d{2026, 8, 3}; d <= CivilDate{2026, 11, 26}; d = d.plus_days(1)) {
    auto run = book().escalate(as("supervisor"), d);
    ASSERT_TRUE(run) << d.iso() << ": " << run.error().message;
  }
  Citation after = load(number);
  ASSERT_EQ(after.steps.size(), 6u);
  for (const auto& s : after.steps) EXPECT_EQ(s.due_on, s.posted_on) << s.name;
  EXPECT_EQ(after.penalties.cents(), 60'00);
  EXPECT_EQ(after.amount_due.cents(), 147'00);
  EXPECT_EQ(after.state.status, CitationStatus::kCollections);
  EXPECT_TRUE(after.state.dmv_hold);
  EXPECT_FALSE(after.next_step_due_on);
  EXPECT_TRUE(after.notice_mailed_on);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE source_ref LIKE 'citation:" + number +
                  ":step:%'"),
            2);
  expect_books_agree();
}

TEST_P(CitationsTest, AContestPausesEscalationAndADismissalZeroesTheBalance) {
  const std::string number = numbered("95455644");
  enter(number, "2026-11-10 10:00");
  auto contested = book().request_review(as("csr2"), number, "the sign was covered", "");
  ASSERT_TRUE(contested) << contested.error().message;
  EXPECT_EQ(contested->state.status, CitationStatus::kReviewRequested);
  EXPECT_FALSE(contested->next_step_due_on);
  auto run = book().escalate(as("supervisor"), CivilDate{2027, 3, 1});
  ASSERT_TRUE(run);
  EXPECT_EQ(run->steps_posted, 0);

  // Only a CSR III or above decides (the route's permission); the service needs a reason.
  citations::DecisionInput no_reason{"dismissed", "", std::nullopt, ""};
  EXPECT_FALSE(book().decide(as("csr3"), number, no_reason));
  auto decided = book().decide(as("csr3"), number,
                               {"dismissed", "photo shows the sign covered", std::nullopt, ""});
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->state.status, CitationStatus::kDismissed);
  EXPECT_EQ(decided->amount_due.cents(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE status = 'cancelled'"), 1);
  expect_books_agree();
}

TEST_P(CitationsTest, AReductionAdjustsTheFineThenAHearingAndACourtAppealFollow) {
  const std::string number = numbered("95455645");
  enter(number, "2026-11-10 10:00");
  ASSERT_TRUE(book().request_review(as("csr2"), number, "", "2026-11-20"));
  auto decided =
      book().decide(as("csr3"), number, {"reduced", "first offence", Money::from_cents(50'00), ""});
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->state.status, CitationStatus::kReviewDecided);
  EXPECT_EQ(decided->amount_due.cents(), 50'00);
  EXPECT_EQ(decided->fine.cents(), 50'00);
  EXPECT_TRUE(decided->next_step_due_on);
  ASSERT_EQ(decided->deadlines.size(), 1u);
  EXPECT_EQ(decided->deadlines[0].name, "hearing_request");
  // A hearing request pauses it again; the hearing is scheduled and decided.
  ASSERT_TRUE(book().request_hearing(as("csr2"), number, "", ""));
  auto scheduled = book().schedule_hearing(as("csr2"), number, "2026-12-02");
  ASSERT_TRUE(scheduled) << scheduled.error().message;
  EXPECT_EQ(scheduled->state.status, CitationStatus::kHearingScheduled);
  auto upheld = book().decide(as("csr3"), number, {"upheld", "as reviewed", std::nullopt, ""});
  ASSERT_TRUE(upheld) << upheld.error().message;
  EXPECT_EQ(upheld->state.status, CitationStatus::kHearingDecided);
  EXPECT_EQ(upheld->amount_due.cents(), 50'00);
  ASSERT_EQ(upheld->deadlines.size(), 1u);
  EXPECT_EQ(upheld->deadlines[0].name, "court_appeal");
  // The court appeal pauses it once more; the court dismisses: nothing is owed.
  auto appealed = book().note_court_appeal(as("csr2"), number, "filed with the court", "");
  ASSERT_TRUE(appealed) << appealed.error().message;
  EXPECT_EQ(appealed->state.status, CitationStatus::kCourtAppeal);
  EXPECT_FALSE(appealed->next_step_due_on);
  citations::DecisionInput reduce_in_court{"reduced", "no", Money::from_cents(10'00), ""};
  EXPECT_FALSE(book().decide(as("csr3"), number, reduce_in_court));
  auto dismissed =
      book().decide(as("csr3"), number, {"dismissed", "court order", std::nullopt, ""});
  ASSERT_TRUE(dismissed) << dismissed.error().message;
  EXPECT_EQ(dismissed->state.status, CitationStatus::kDismissed);
  EXPECT_EQ(dismissed->amount_due.cents(), 0);
  expect_books_agree();
}

TEST_P(CitationsTest, AReviewRequestedAfterItsDeadlineIsRefused) {
  const std::string number = numbered("95455646");
  enter(number, "2026-09-01 10:00");
  auto late = book().request_review(as("csr2"), number, "", "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(late.error().field, "requested_on");
  EXPECT_EQ(load(number).state.status, CitationStatus::kIssued);
}

TEST_P(CitationsTest, AVoidNeedsASupervisorWhoIsNotTheRequester) {
  const std::string number = numbered("95455647");
  enter(number, "2026-11-20 10:00");
  auto own = book().void_citation(as("supervisor"), number, "wrong plate", "supervisor");
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kForbidden);
  auto not_supervisor = book().void_citation(as("csr3"), number, "wrong plate", "csr2");
  ASSERT_FALSE(not_supervisor);
  EXPECT_EQ(not_supervisor.error().code, ErrorCode::kForbidden);
  auto no_reason = book().void_citation(as("supervisor"), number, "", "csr2");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "reason");
  auto voided = book().void_citation(as("supervisor2"), number, "wrong plate keyed", "csr2");
  ASSERT_TRUE(voided) << voided.error().message;
  EXPECT_EQ(voided->state.status, CitationStatus::kVoid);
  EXPECT_EQ(voided->amount_due.cents(), 0);
  EXPECT_EQ(voided->events.back().approved_by_name, "supervisor2 (requested by csr2)");
  expect_books_agree();
}

TEST_P(CitationsTest, ManualEntryRefusesDuplicatesAndBadInput) {
  const std::string number = numbered("95455648");
  enter(number, "2026-11-20 10:00");
  citations::CitationInput in;
  in.number = number;
  in.issued_at = "2026-11-20";
  in.location = "1 MAIN ST";
  in.violation_code = "TRC7.2.22";
  in.officer_id = "PCO 1";
  auto dup = book().create(as("csr2"), in);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  in.number = numbered("95455649");
  in.violation_code = "NOPE";
  auto bad = book().create(as("csr2"), in);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "violation_code");
  in.violation_code = "TRC7.2.22";
  in.number = "954556490";  // wrong check digit
  if (numbered("95455649") != in.number) {
    auto wrong = book().create(as("csr2"), in);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().field, "number");
  }
}

TEST_P(CitationsTest, TheApiChecksPermissionsAndFindsCitationsByPlate) {
  Client csr1 = sign_in("csr1");
  Client csr2 = sign_in("csr2");
  Client csr3 = sign_in("csr3");
  const std::string number = numbered("95455650");
  const std::string body = R"({"number":")" + number +
                           R"(","issued_at":"2026-11-20 10:00","location":"1 MAIN ST",)"
                           R"("violation_code":"TRC7.2.22","plate":"7abc 123","plate_state":"ca",)"
                           R"("officer_id":"PCO 1"})";
  Client csr1_key = csr1;
  csr1_key.idempotency_key = "c-1";
  EXPECT_EQ(call("POST", "/api/v1/citations", body, &csr1_key).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/citations", body, &csr2).status, 400);  // no Idempotency-Key
  Client csr2_key = csr2;
  csr2_key.idempotency_key = "c-1";
  auto created = call("POST", "/api/v1/citations", body, &csr2_key);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body.at("amount_due").as_string(), "87.00");
  auto replay = call("POST", "/api/v1/citations", body, &csr2_key);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citations"), 1);

  auto found = call("GET", "/api/v1/citations?plate=7ABC-123&state=CA", "", &csr1);
  ASSERT_EQ(found.status, 200) << found.raw;
  ASSERT_EQ(found.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(found.body.at("total_due").as_string(), "87.00");
  auto one = call("GET", "/api/v1/citations/" + number, "", &csr1);
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_EQ(one.body.at("deadlines").as_array().size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/citations/123", "", &csr1).status, 404);
  // The global search finds it by plate and by number.
  for (const std::string& q : std::vector<std::string>{"7ABC123", number}) {
    auto hits = call("GET", "/api/v1/search?q=" + q, "", &csr1);
    ASSERT_EQ(hits.status, 200) << hits.raw;
    bool found_it = false;
    for (const auto& h : hits.body.at("results").as_array())
      found_it = found_it || (h.at("kind").as_string() == "citation" &&
                              h.at("title").as_string() == "Citation " + number);
    EXPECT_TRUE(found_it) << q << ": " << hits.raw;
  }

  auto contest = call("POST", "/api/v1/citations/" + number + "/contest",
                      R"({"reason":"sign covered"})", &csr2);
  ASSERT_EQ(contest.status, 200) << contest.raw;
  EXPECT_EQ(contest.body.at("status").as_string(), "review_requested");
  Client csr2_decide = csr2;
  csr2_decide.idempotency_key = "d-1";
  const std::string decision = R"({"outcome":"dismissed","reason":"photo"})";
  EXPECT_EQ(
      call("POST", "/api/v1/citations/" + number + "/decision", decision, &csr2_decide).status,
      403);
  Client csr3_decide = csr3;
  csr3_decide.idempotency_key = "d-1";
  auto decided = call("POST", "/api/v1/citations/" + number + "/decision", decision, &csr3_decide);
  ASSERT_EQ(decided.status, 200) << decided.raw;
  EXPECT_EQ(decided.body.at("amount_due").as_string(), "0.00");

  Client csr2_run = csr2;
  csr2_run.idempotency_key = "e-1";
  EXPECT_EQ(
      call("POST", "/api/v1/citations/escalations", R"({"as_of":"2026-11-26"})", &csr2_run).status,
      403);
  Client csr3_run = csr3;
  csr3_run.idempotency_key = "e-1";
  EXPECT_EQ(
      call("POST", "/api/v1/citations/escalations", R"({"as_of":"2026-11-26"})", &csr3_run).status,
      403);  // CSR III decides contests; the nightly run is a supervisor's
  Client boss_run = sign_in("supervisor");
  boss_run.idempotency_key = "e-1";
  auto run = call("POST", "/api/v1/citations/escalations", R"({"as_of":"2026-11-26"})", &boss_run);
  ASSERT_EQ(run.status, 200) << run.raw;
  boss_run.idempotency_key = "e-2";
  EXPECT_EQ(
      call("POST", "/api/v1/citations/escalations", R"({"as_of":"2027-01-01"})", &boss_run).status,
      400);  // not in the future

  // An issuance file as text/plain: one good line, one refused with its line and field.
  const std::string file =
      "citation_number,issued_at,location,violation_code,fine,plate,plate_state,make,color,vin,"
      "officer_id,device_id,notes\n" +
      numbered("95455651") + ",2026-11-20T10:00,2 MAIN ST,TRC7.2.22,,8XYZ999,CA,,,,PCO 2,,\n" +
      numbered("95455652") + ",2026-11-20T10:05,3 MAIN ST,NOPE,,8XYZ999,CA,,,,PCO 2,,\n";
  Client csr2_import = csr2;
  csr2_import.idempotency_key = "i-1";
  auto imported = call("POST", "/api/v1/citations/imports", file, &csr2_import, true, "text/plain");
  ASSERT_EQ(imported.status, 201) << imported.raw;
  EXPECT_EQ(imported.body.at("created").as_int64(), 1);
  ASSERT_EQ(imported.body.at("refused").as_array().size(), 1u);
  EXPECT_EQ(imported.body.at("refused").as_array()[0].at("line").as_int64(), 3);
  EXPECT_EQ(imported.body.at("refused").as_array()[0].at("field").as_string(), "violation_code");
  csr2_import.idempotency_key = "i-2";
  auto again = call("POST", "/api/v1/citations/imports", file, &csr2_import, true, "text/plain");
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body.at("created").as_int64(), 0);
  EXPECT_EQ(call("GET", "/api/v1/citations/scofflaws", "", &csr1).status, 200);
  expect_books_agree();
}

// A store that fails the n-th call: every failed import is resumed by importing the same file
// again, and in the end each citation exists once with its one obligation, whether the fault hit
// before a call or lost the answer of a commit that happened.
TEST_P(CitationsTest, AnImportResumesAfterAFailureWithoutChargingTwice) {
  auto faulty = std::make_shared<store::FaultyDatabase>(
      std::shared_ptr<store::Database>(&app_->db(), [](store::Database*) {}));
  ledger::Ledger ledger(*faulty, app_->city(), app_->time_zone(), app_->clock());
  customers::PartyBook parties(*faulty, app_->clock());
  citations::CitationBook book(*faulty, ledger, parties, app_->city(), app_->clock());
  book.set_citations_per_transaction(4);
  int failures = 0, files = 0;
  for (std::int64_t n = 1; n <= 300; n += 23) {
    SCOPED_TRACE("store call " + std::to_string(n) + " fails");
    const std::string file = issuance_file(10'000'000 + n * 100, 10, "2026-11-20T10:00");
    faulty->fail_call(n, n % 2 ? store::FaultTiming::kBeforeCall : store::FaultTiming::kAfterCall);
    auto crashed = book.import_issuance(as("csr2"), file, citations::IssuanceFormat::kCivicdesk);
    faulty->clear_fault();
    if (!crashed) ++failures;
    auto resumed = book.import_issuance(as("csr2"), file, citations::IssuanceFormat::kCivicdesk);
    ASSERT_TRUE(resumed) << resumed.error().message;
    EXPECT_EQ(resumed->accepted, 10);
    EXPECT_TRUE(resumed->refused.empty());
    ++files;
  }
  EXPECT_GT(failures, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citations"), 10 * files);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE kind = 'citation'"), 10 * files);
  EXPECT_EQ(count("SELECT COALESCE(SUM(original_cents), 0) FROM obligations"), 87'00 * 10 * files);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_imports WHERE status = 'complete'"), files);
  expect_books_agree();
}

// The nightly run over every day from issue to today with a fault on some call each night, run
// again after each failure: every step is posted exactly once.
TEST_P(CitationsTest, EscalationResumesAfterAFailureWithoutPostingAStepTwice) {
  auto imported =
      book().import_issuance(as("csr2"), issuance_file(20'000'000, 10, "2026-08-03T09:00"),
                             citations::IssuanceFormat::kCivicdesk);
  ASSERT_TRUE(imported) << imported.error().message;
  ASSERT_EQ(imported->created, 10);
  auto faulty = std::make_shared<store::FaultyDatabase>(
      std::shared_ptr<store::Database>(&app_->db(), [](store::Database*) {}));
  ledger::Ledger ledger(*faulty, app_->city(), app_->time_zone(), app_->clock());
  customers::PartyBook parties(*faulty, app_->clock());
  citations::CitationBook book(*faulty, ledger, parties, app_->city(), app_->clock());
  book.set_citations_per_transaction(3);
  int failures = 0, day = 0;
  for (CivilDate d{2026, 8, 3}; d <= CivilDate{2026, 11, 26}; d = d.plus_days(1), ++day) {
    SCOPED_TRACE(d.iso());
    const std::int64_t n = 1 + (day * 7) % 40;
    faulty->fail_call(n,
                      day % 2 ? store::FaultTiming::kBeforeCall : store::FaultTiming::kAfterCall);
    auto crashed = book.escalate(as("supervisor"), d);
    faulty->clear_fault();
    if (!crashed) ++failures;
    auto again = book.escalate(as("supervisor"), d);
    ASSERT_TRUE(again) << again.error().message;
  }
  EXPECT_GT(failures, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_steps"), 6 * 10);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE source_ref LIKE '%:step:%'"), 2 * 10);
  EXPECT_EQ(count("SELECT COALESCE(SUM(balance_cents), 0) FROM obligations"), 10 * (87'00 + 60'00));
  EXPECT_EQ(count("SELECT COUNT(*) FROM citations WHERE status = 'collections'"), 10);
  expect_books_agree();
}

// One payment pays a plate's citations through the plate's account_ref; they are paid in the
// same commit (the ledger's settlement hook, decision 008), so the nightly run has nothing left
// to mark and nothing more escalates.
TEST_P(CitationsTest, OnePaymentPaysAPlatesCitationsAndTheNightlyRunMarksThemPaid) {
  const std::string a = numbered("95455670"), b = numbered("95455671");
  Citation first = enter(a, "2026-11-02 10:00", "8PAY001");
  enter(b, "2026-11-03 10:00", "8PAY001", "V5204A");
  auto plate = book().by_plate("CA", "8pay001");
  ASSERT_TRUE(plate);
  ASSERT_EQ(plate->size(), 2u);
  ledger::PaymentRequest pay;
  pay.party_id = first.ledger_party_id;
  pay.amount = Money::from_cents(87'00 + 121'00);
  pay.tender = "cash";
  pay.channel = "counter";
  pay.account_ref = "plate:CA:8PAY001";
  pay.idempotency_key = "pay-plate";
  auto paid = app_->ledger().pay(as("csr2"), pay);
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(paid->payment.unapplied.cents(), 0);
  EXPECT_EQ(load(a).amount_due.cents(), 0);
  EXPECT_EQ(load(b).amount_due.cents(), 0);
  EXPECT_EQ(load(b).state.status, CitationStatus::kPaid);
  auto run = book().escalate(as("supervisor"), CivilDate{2026, 12, 31});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->marked_paid, 0);
  EXPECT_EQ(run->steps_posted, 0);
  EXPECT_EQ(load(a).state.status, CitationStatus::kPaid);
  EXPECT_FALSE(load(b).next_step_due_on);
  expect_books_agree();
}

// The NYC extract under the demo City's rules (SF's codes, mod7 numbers): every line is refused
// with its line and field, and nothing is charged.
TEST_P(CitationsTest, TheNycExtractIsRefusedLineByLineUnderTheDemoCitysRules) {
  const std::string text =
      citations::testing::read_text(citations::testing::shared_testdata() /
                                    "nyc-parking-tickets-extract/nyc_parking_tickets_extract.csv");
  auto r = book().import_issuance(as("csr2"), text, citations::IssuanceFormat::kNyc);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  EXPECT_EQ(r->rows, 1000);
  EXPECT_EQ(r->accepted, 0);
  ASSERT_EQ(r->refused.size(), 1000u);
  EXPECT_EQ(r->refused[0].line, 2);
  EXPECT_EQ(r->refused[0].field, "citation_number");
  EXPECT_EQ(count("SELECT COUNT(*) FROM citations"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations"), 0);
}

// Five citations of one plate run to collections with a DMV hold: the plate is a scofflaw
// (threshold 5); a sixth plate with four is not.
TEST_P(CitationsTest, APlateWithFiveDelinquentCitationsIsOnTheScofflawList) {
  ASSERT_TRUE(book().import_issuance(as("csr2"), issuance_file(30'000'000, 4, "2026-08-03T09:00"),
                                     citations::IssuanceFormat::kCivicdesk));
  for (int i = 0; i < 5; ++i)
    enter(numbered(std::to_string(95455680 + i)), "2026-08-0" + std::to_string(3 + i) + " 10:00",
          "5COFF01");
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 11, 26}));
  auto list = book().scofflaws();
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].plate, "5COFF01");
  EXPECT_EQ((*list)[0].plate_state, "CA");
  EXPECT_EQ((*list)[0].delinquent_citations, 5);
  EXPECT_EQ((*list)[0].total_due.cents(), 5 * (87'00 + 60'00));
}

// Two nightly runs at once (two cron hosts, a rerun while the first is still going): each step
// is posted once, and both runs finish.
TEST_P(CitationsTest, TwoEscalationsAtOnceStillPostEachStepOnce) {
  ASSERT_TRUE(book().import_issuance(as("csr2"), issuance_file(40'000'000, 30, "2026-08-03T09:00"),
                                     citations::IssuanceFormat::kCivicdesk));
  book().set_citations_per_transaction(7);
  Result<citations::EscalationResult> one, two;
  std::thread a([&] { one = book().escalate(as("supervisor"), CivilDate{2026, 11, 26}); });
  std::thread b([&] { two = book().escalate(as("supervisor2"), CivilDate{2026, 11, 26}); });
  a.join();
  b.join();
  ASSERT_TRUE(one) << one.error().message;
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_EQ(one->steps_posted + two->steps_posted, 6 * 30);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_steps"), 6 * 30);
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations WHERE source_ref LIKE '%:step:%'"), 2 * 30);
  expect_books_agree();
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CitationsTest);

}  // namespace
}  // namespace civicdesk::testing
