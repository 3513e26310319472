// The DMV exchange end to end on both databases: a request file for the plates without a known
// owner → the sandbox DMV's response → owners created or matched, citations named, their fines
// and penalties moved to the owner in the ledger (ledger check agrees), the same response twice
// changes nothing, a later citation of the plate is charged to the owner; the registration-hold
// file places a hold after the escalation and releases it after payment, each once, and a rerun
// for a date returns the same file; and the API's routes and permission.
#include <map>

#include "citations/citation_book.h"
#include "citations/citations_test_support.h"
#include "citations/dmv_book.h"
#include "customers/party_book.h"
#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

using citations::Citation;
using citations::DmvMatch;

std::string numbered(const std::string& digits) {
  return digits +
         std::to_string(citations::compute_check_digit(citations::CheckDigit::kMod7, digits));
}

// The sandbox DMV answers from the plate alone: the n-th California plate it finds an owner for.
std::string plate_with(DmvMatch want, int n = 0) {
  for (int i = 0; i < 10'000; ++i) {
    std::string plate = "8DV" + std::to_string(1000 + i);
    if (citations::sandbox_answer({1, plate, "CA", "1", {2026, 1, 1}}, "CA").status == want &&
        n-- == 0)
      return plate;
  }
  ADD_FAILURE() << "no sandbox plate answers " << citations::to_string(want);
  return "";
}

class CitationsDmvTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr2", "supervisor", "finance"}) users_[role] = make_user(role);
    dmv_ = std::make_unique<citations::DmvExchange>(app_->db(), app_->ledger(), app_->parties(),
                                                    app_->city(), app_->clock());
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  citations::CitationBook& book() { return app_->citations(); }
  citations::DmvExchange& dmv() { return *dmv_; }
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
  Citation enter(const std::string& number, const std::string& issued_at, const std::string& plate,
                 const std::string& state = "CA") {
    return citations::testing::enter_citation(book(), as("csr2"), number, issued_at, plate,
                                              "TRC7.2.22", state);  // $87.00 on these dates
  }
  Citation load(const std::string& number) {
    return citations::testing::load_citation(book(), number);
  }
  Money receivable(std::int64_t party) {
    auto b = app_->ledger().balance_of(party);
    EXPECT_TRUE(b) << b.error().message;
    return b ? b->receivable : Money();
  }
  std::map<std::string, security::User> users_;
  std::unique_ptr<citations::DmvExchange> dmv_;
};

TEST_P(CitationsDmvTest, TheSandboxNamesOwnersAndTheirCitationsMoneyMovesToThem) {
  const std::string found = plate_with(DmvMatch::kFound);
  const std::string not_found = "NF7001", confidential = "CF7002";
  const std::string a = numbered("95460001"), b = numbered("95460002"), c = numbered("95460003");
  const std::string d = numbered("95460004"), e = numbered("95460005");
  Citation first = enter(a, "2026-08-03 09:15", found);
  enter(b, "2026-09-01 10:00", found);
  enter(c, "2026-10-01 10:00", not_found);
  enter(d, "2026-10-02 10:00", confidential);
  enter(e, "2026-10-03 10:00", "8OUT001", "NV");
  const std::int64_t holder = first.ledger_party_id;
  // The first citation is 115 days unpaid: its late penalties are on the holder too.
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 11, 26}));
  const Money a_due = load(a).amount_due;
  EXPECT_EQ(a_due.cents(), 87'00 + 25'00 + 35'00);
  // Part of the second is paid (by whoever paid at the counter): only the rest moves.
  ledger::PaymentRequest pay;
  pay.party_id = holder;
  pay.amount = Money::from_cents(20'00);
  pay.tender = "cash";
  pay.channel = "counter";
  pay.directed_obligations = {load(b).obligation_id};
  pay.idempotency_key = "part-b";
  ASSERT_TRUE(app_->ledger().pay(as("csr2"), pay));
  const Money b_due = load(b).amount_due;
  EXPECT_EQ(b_due.cents(), 87'00 + 25'00 + 35'00 - 20'00);
  const Money holder_before = receivable(holder);

  auto req = dmv().write_owner_requests(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_FALSE(req->already_written);
  EXPECT_EQ(req->summary.records, 4);  // one line per plate
  auto parsed = citations::parse_request_file(req->content);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->file.lines.size(), 4u);
  EXPECT_EQ(parsed->file.requester, "RIVERTON-PK");
  for (const auto& l : parsed->file.lines)
    if (l.plate == found) {
      EXPECT_EQ(l.citation_number, a);  // the plate's oldest citation
    }
  // The same date again: the same file, nothing asked twice; the next day nothing is due.
  auto again = dmv().write_owner_requests(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_written);
  EXPECT_EQ(again->content, req->content);
  auto next_day = dmv().write_owner_requests(as("supervisor"), CivilDate{2026, 11, 27});
  ASSERT_TRUE(next_day);
  EXPECT_EQ(next_day->summary.records, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dmv_requests"), 4);

  auto response = citations::sandbox_respond(req->content, CivilDate{2026, 11, 27});
  ASSERT_TRUE(response) << response.error().message;
  auto read = dmv().read_owner_responses(as("supervisor"), *response);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(read->already_read);
  EXPECT_TRUE(read->problems.empty()) << read->problems[0].message;
  EXPECT_EQ(read->summary.found, 1);
  EXPECT_EQ(read->summary.created, 1);
  EXPECT_EQ(read->summary.matched, 0);
  EXPECT_EQ(read->summary.not_found, 1);
  EXPECT_EQ(read->summary.confidential, 1);
  EXPECT_EQ(read->summary.out_of_state, 1);
  EXPECT_EQ(read->summary.citations, 2);
  EXPECT_EQ(read->obligations_moved, 6);  // each one's fine and two penalties

  const Citation named = load(a);
  ASSERT_NE(named.owner_party_id, 0);
  const std::int64_t owner = named.owner_party_id;
  EXPECT_EQ(named.ledger_party_id, owner);
  EXPECT_EQ(load(b).owner_party_id, owner);
  EXPECT_EQ(load(c).owner_party_id, 0);
  EXPECT_EQ(load(c).ledger_party_id, holder);
  auto party = app_->parties().get(PartyId{owner});
  ASSERT_TRUE(party);
  auto answer = citations::sandbox_answer({1, found, "CA", a, {2026, 8, 3}}, "CA");
  ASSERT_EQ(party->addresses.size(), 1u);
  EXPECT_EQ(party->addresses[0].line1, answer.address_line1);
  EXPECT_EQ(party->addresses[0].postal_code, answer.zip);
  // Every penalty obligation of the plate is the owner's now.
  EXPECT_EQ(count("SELECT COUNT(*) FROM obligations o JOIN citation_steps s ON s.obligation_id = "
                  "o.id WHERE o.party_id = " +
                  std::to_string(owner)),
            4);
  EXPECT_EQ(receivable(owner).cents(), a_due.cents() + b_due.cents());
  EXPECT_EQ(receivable(holder).cents(), holder_before.cents() - a_due.cents() - b_due.cents());
  EXPECT_EQ(load(a).amount_due, a_due);  // what is owed does not change, only who owes it
  expect_books_agree();

  // The same response file again changes nothing.
  const std::int64_t entries = count("SELECT COUNT(*) FROM journal_entries");
  const std::int64_t parties = count("SELECT COUNT(*) FROM parties");
  auto twice = dmv().read_owner_responses(as("supervisor"), *response);
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_TRUE(twice->already_read);
  EXPECT_EQ(twice->summary.id, read->summary.id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journal_entries"), entries);
  EXPECT_EQ(count("SELECT COUNT(*) FROM parties"), parties);

  // A citation the plate gets later is charged straight to the owner.
  Citation later = enter(numbered("95460006"), "2026-11-26 08:00", found);
  EXPECT_EQ(later.owner_party_id, owner);
  EXPECT_EQ(later.ledger_party_id, owner);
  // A plate of another state gets no owner from this state's answer.
  EXPECT_EQ(enter(numbered("95460007"), "2026-11-26 08:05", found, "NV").owner_party_id, 0);
  expect_books_agree();
}

TEST_P(CitationsDmvTest, AnOwnerAlreadyKnownByNameAndAddressIsMatchedNotCreated) {
  const std::string p1 = plate_with(DmvMatch::kFound, 0), p2 = plate_with(DmvMatch::kFound, 1);
  enter(numbered("95460101"), "2026-11-02 10:00", p1);
  auto req = dmv().write_owner_requests(as("supervisor"), CivilDate{2026, 11, 20});
  ASSERT_TRUE(req) << req.error().message;
  auto resp = citations::sandbox_respond(req->content, CivilDate{2026, 11, 21});
  ASSERT_TRUE(resp);
  auto first = dmv().read_owner_responses(as("supervisor"), *resp);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->summary.created, 1);
  const std::int64_t owner = load(numbered("95460101")).owner_party_id;
  ASSERT_NE(owner, 0);

  // The same person, registered on a second plate: the DMV writes the name and address as
  // before, and the party is matched.
  enter(numbered("95460102"), "2026-11-03 10:00", p2);
  auto req2 = dmv().write_owner_requests(as("supervisor"), CivilDate{2026, 11, 22});
  ASSERT_TRUE(req2);
  auto parsed = citations::parse_request_file(req2->content);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->file.lines.size(), 1u);
  citations::DmvResponseLine same =
      citations::sandbox_answer({1, p1, "CA", "x", {2026, 11, 2}}, "CA");
  same.request_id = parsed->file.lines[0].request_id;
  same.plate = p2;
  citations::DmvResponseFile f{"RIVERTON-PK", "CA", {2026, 11, 23}, req2->summary.id, {same}};
  auto second = dmv().read_owner_responses(as("supervisor"), citations::write_response_file(f));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->summary.matched, 1);
  EXPECT_EQ(second->summary.created, 0);
  EXPECT_EQ(load(numbered("95460102")).owner_party_id, owner);

  // An answer to a request civicdesk never made is refused on its line.
  same.request_id = 9999;
  citations::DmvResponseFile stray{"RIVERTON-PK", "CA", {2026, 11, 24}, 1, {same}};
  auto refused =
      dmv().read_owner_responses(as("supervisor"), citations::write_response_file(stray));
  ASSERT_TRUE(refused) << refused.error().message;
  ASSERT_EQ(refused->problems.size(), 1u);
  EXPECT_EQ(refused->problems[0].field, "request_id");
  EXPECT_EQ(refused->problems[0].line, 2);
  // A file whose trailer disagrees is refused whole and records nothing.
  std::string bad = citations::write_response_file(f);
  bad.replace(bad.rfind("T,1"), 3, "T,2");
  auto whole = dmv().read_owner_responses(as("supervisor"), bad);
  ASSERT_FALSE(whole);
  EXPECT_EQ(whole.error().field, "trailer");
  EXPECT_EQ(count("SELECT COUNT(*) FROM dmv_files WHERE kind = 'response'"), 3);
  expect_books_agree();
}

TEST_P(CitationsDmvTest, AHoldIsPlacedAfterEscalationAndReleasedAfterPaymentEachOnce) {
  const std::string number = numbered("95460201");
  Citation ct = enter(number, "2026-08-03 09:15", "8HLD001");
  enter(numbered("95460202"), "2026-11-20 09:15", "8HLD002");  // not yet held
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 11, 26}));
  Citation held = load(number);
  ASSERT_TRUE(held.state.dmv_hold);

  auto f1 = dmv().write_hold_file(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(f1) << f1.error().message;
  EXPECT_EQ(f1->summary.placed, 1);
  EXPECT_EQ(f1->summary.released, 0);
  auto lines = citations::parse_hold_file(f1->content);
  ASSERT_TRUE(lines) << lines.error().message;
  ASSERT_EQ(lines->file.lines.size(), 1u);
  EXPECT_EQ(lines->file.lines[0].action, citations::HoldAction::kPlace);
  EXPECT_EQ(lines->file.lines[0].citation_number, number);
  EXPECT_EQ(lines->file.lines[0].amount_due, held.amount_due);
  // A rerun for the date returns the same file; the next night has nothing new.
  auto rerun = dmv().write_hold_file(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(rerun);
  EXPECT_TRUE(rerun->already_written);
  EXPECT_EQ(rerun->content, f1->content);
  auto f2 = dmv().write_hold_file(as("supervisor"), CivilDate{2026, 11, 27});
  ASSERT_TRUE(f2);
  EXPECT_EQ(f2->summary.records, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dmv_holds"), 1);

  ledger::PaymentRequest pay;
  pay.party_id = held.ledger_party_id;
  pay.amount = held.amount_due;
  pay.tender = "cash";
  pay.channel = "counter";
  pay.directed_obligations = {held.obligation_id};
  for (const auto& s : held.steps)
    if (s.obligation_id) pay.directed_obligations.push_back(s.obligation_id);
  pay.idempotency_key = "pay-held";
  auto paid = app_->ledger().pay(as("csr2"), pay);
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(load(number).amount_due.cents(), 0);

  // The next file releases it, and the citation's hold flag clears.
  auto f3 = dmv().write_hold_file(as("supervisor"), CivilDate{2026, 11, 28});
  ASSERT_TRUE(f3) << f3.error().message;
  EXPECT_EQ(f3->summary.released, 1);
  EXPECT_EQ(f3->summary.placed, 0);
  auto released = citations::parse_hold_file(f3->content);
  ASSERT_TRUE(released);
  ASSERT_EQ(released->file.lines.size(), 1u);
  EXPECT_EQ(released->file.lines[0].action, citations::HoldAction::kRelease);
  Citation after = load(number);
  EXPECT_FALSE(after.state.dmv_hold);
  EXPECT_EQ(after.state.status, citations::CitationStatus::kPaid);
  auto f4 = dmv().write_hold_file(as("supervisor"), CivilDate{2026, 11, 29});
  ASSERT_TRUE(f4);
  EXPECT_EQ(f4->summary.records, 0);

  auto view = dmv().citation_view(after.id);
  ASSERT_TRUE(view);
  ASSERT_EQ(view->hold_files.size(), 2u);
  EXPECT_EQ(view->hold_files[0].action, "place");
  EXPECT_EQ(view->hold_files[0].file_id, f1->summary.id);
  EXPECT_EQ(view->hold_files[1].action, "release");
  EXPECT_EQ(view->hold_files[1].file_id, f3->summary.id);
  auto files = dmv().files();
  ASSERT_TRUE(files);
  EXPECT_EQ(files->size(), 4u);
  EXPECT_EQ(files->front().id, f4->summary.id);  // newest first
  expect_books_agree();
  (void)ct;
}

TEST_P(CitationsDmvTest, TheApiWritesAndReadsTheFilesForPermittedRolesOnly) {
  const std::string plate = plate_with(DmvMatch::kFound);
  const std::string number = numbered("95460301");
  enter(number, "2026-08-03 09:15", plate);
  Client csr2 = sign_in("csr2");
  Client boss = sign_in("supervisor");
  Client finance = sign_in("finance");
  EXPECT_EQ(
      call("POST", "/api/v1/citations/dmv/requests", R"({"as_of":"2026-11-26"})", &csr2).status,
      403);
  EXPECT_EQ(call("GET", "/api/v1/citations/dmv/files", "", &csr2).status, 403);
  auto req = call("POST", "/api/v1/citations/dmv/requests", R"({"as_of":"2026-11-26"})", &boss);
  ASSERT_EQ(req.status, 200) << req.raw;
  EXPECT_EQ(req.body.at("records").as_int64(), 1);
  EXPECT_FALSE(req.body.at("already_written").as_bool());
  const std::string content(req.body.at("content").as_string());
  EXPECT_EQ(
      call("POST", "/api/v1/citations/dmv/requests", R"({"as_of":"2027-01-01"})", &boss).status,
      400);  // not in the future

  auto response = citations::sandbox_respond(content, CivilDate{2026, 11, 26});
  ASSERT_TRUE(response);
  Client fin_key = finance;
  fin_key.idempotency_key = "dmv-r-1";
  auto read =
      call("POST", "/api/v1/citations/dmv/responses", *response, &fin_key, true, "text/plain");
  ASSERT_EQ(read.status, 201) << read.raw;
  EXPECT_EQ(read.body.at("found").as_int64(), 1);
  EXPECT_EQ(read.body.at("created").as_int64(), 1);
  EXPECT_EQ(read.body.at("citations").as_int64(), 1);
  EXPECT_EQ(read.body.at("problems").as_array().size(), 0u);
  fin_key.idempotency_key = "dmv-r-2";
  auto again =
      call("POST", "/api/v1/citations/dmv/responses", *response, &fin_key, true, "text/plain");
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_TRUE(again.body.at("already_read").as_bool());
  fin_key.idempotency_key = "dmv-r-3";
  auto bad = call("POST", "/api/v1/citations/dmv/responses", "H,DMVRS,X,CA,2026-11-26,1\n",
                  &fin_key, true, "text/plain");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "trailer");

  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 11, 26}));
  auto holds = call("POST", "/api/v1/citations/dmv/holds", R"({"as_of":"2026-11-26"})", &boss);
  ASSERT_EQ(holds.status, 200) << holds.raw;
  EXPECT_EQ(holds.body.at("placed").as_int64(), 1);
  auto files = call("GET", "/api/v1/citations/dmv/files", "", &finance);
  ASSERT_EQ(files.status, 200) << files.raw;
  EXPECT_EQ(files.body.at("items").as_array().size(), 3u);
  const auto& newest = files.body.at("items").as_array()[0];
  EXPECT_EQ(newest.at("kind").as_string(), "holds");
  EXPECT_FALSE(newest.as_object().contains("content"));

  // The citation page shows the owner and the hold file that carried the hold.
  auto page = call("GET", "/api/v1/citations/" + number, "", &csr2);
  ASSERT_EQ(page.status, 200) << page.raw;
  ASSERT_TRUE(page.body.at("owner").is_object()) << page.raw;
  EXPECT_EQ(page.body.at("owner").at("id").as_int64(), page.body.at("owner_party_id").as_int64());
  EXPECT_FALSE(page.body.at("owner").at("name").as_string().empty());
  ASSERT_EQ(page.body.at("dmv_hold_files").as_array().size(), 1u);
  EXPECT_EQ(page.body.at("dmv_hold_files").as_array()[0].at("action").as_string(), "place");
  expect_books_agree();
}

// Ledger::reassign_within on its own: the open balance moves between the two parties'
// receivables line by line, the obligation's balance stays, a second call posts nothing, and an
// obligation with nothing owed (paid, cancelled) or no reason is refused.
TEST_P(CitationsDmvTest, ReassignMovesTheOpenBalanceAndRefusesWhatIsNotOwed) {
  auto party = [&](const std::string& last) {
    customers::PartyInput p;
    p.first_name = "Pat";
    p.last_name = last;
    std::vector<customers::DuplicateCandidate> dups;
    auto made = app_->parties().create(Actor::system(), p, true, dups);
    EXPECT_TRUE(made) << made.error().message;
    return made ? made->id.value : 0;
  };
  const std::int64_t from = party("From"), to = party("To");
  auto charge = [&](std::int64_t cents) {
    ledger::ChargeRequest r{from,
                            "plate:CA:8RSN001",
                            "citation",
                            "Citation",
                            {2026, 11, 1},
                            {{"Fine", "4000-PARKING", Money::from_cents(cents), false},
                             {"Penalty", "4000-PARKING", Money::from_cents(2500), true}},
                            "",
                            ""};
    auto o = app_->ledger().charge(as("csr2"), r);
    EXPECT_TRUE(o) << o.error().message;
    return o ? *o : ledger::Obligation{};
  };
  auto reassign = [&](std::int64_t obligation, const std::string& reason) {
    return app_->db().write<std::int64_t>([&](store::Connection& c) {
      return app_->ledger().reassign_within(c, as("supervisor"), obligation, to, reason);
    });
  };
  ledger::Obligation open = charge(8700);
  ledger::PaymentRequest part{
      from, Money::from_cents(1000), "cash", "counter", "", "", "", {open.id}, "part"};
  ASSERT_TRUE(app_->ledger().pay(as("csr2"), part));  // penalties first: $10.00 off the penalty
  auto moved = reassign(open.id, "registered owner");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_GT(*moved, 0);
  auto after = app_->ledger().obligation(open.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->party_id, to);
  EXPECT_EQ(after->balance.cents(), 8700 + 2500 - 1000);
  EXPECT_EQ(receivable(to).cents(), 8700 + 2500 - 1000);
  EXPECT_EQ(receivable(from).cents(), 0);
  auto entry = app_->ledger().entry(*moved);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->lines.size(), 4u);  // two open lines, Dr new / Cr old each
  auto again = reassign(open.id, "registered owner");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);

  ledger::Obligation paid = charge(1000);
  ledger::PaymentRequest all{
      from, Money::from_cents(3500), "cash", "counter", "", "", "", {paid.id}, "all"};
  ASSERT_TRUE(app_->ledger().pay(as("csr2"), all));
  auto refused = reassign(paid.id, "registered owner");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  ledger::Obligation cancelled = charge(1000);
  ASSERT_TRUE(app_->ledger().cancel(as("supervisor"), cancelled.id, "issued in error", "cx"));
  auto refused2 = reassign(cancelled.id, "registered owner");
  ASSERT_FALSE(refused2);
  EXPECT_EQ(refused2.error().code, ErrorCode::kUnprocessable);
  auto no_reason = reassign(charge(1000).id, "");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "reason");
  expect_books_agree();
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CitationsDmvTest);

// citations.dmv in the City config: the demo's values, and each bad value named by its key.
TEST(CityConfigDmv, TheDemoCityAndEachBadValue) {
  const std::string path = citations::testing::demo_city_path();
  auto demo = load_city_config(path);
  ASSERT_TRUE(demo) << demo.error().message;
  const citations::DmvRules& d = demo->citations.dmv;
  EXPECT_EQ(d.requester_code, "RIVERTON-PK");
  EXPECT_EQ(d.dmv_state, "CA");
  EXPECT_EQ(d.rerequest_after_days, 30);
  EXPECT_EQ(d.owner_known_days, 365);
  EXPECT_TRUE(demo->role_has("supervisor", "citation.dmv"));
  EXPECT_TRUE(demo->role_has("finance", "citation.dmv"));
  EXPECT_FALSE(demo->role_has("csr3", "citation.dmv"));
  const std::string text = citations::testing::read_text(path);
  struct Case {
    std::string from, to, field;
  };
  const Case cases[] = {
      {"requester_code: RIVERTON-PK", "requester_code: riverton pk",
       "citations.dmv.requester_code"},
      {"dmv_state: CA ", "dmv_state: California ", "citations.dmv.dmv_state"},
      {"rerequest_after_days: 30", "rerequest_after_days: 0", "citations.dmv.rerequest_after_days"},
      {"owner_known_days: 365", "owner_known_days: lots", "citations.dmv.owner_known_days"},
      {"max_requests_per_file: 100000", "max_request_per_file: 100000",
       "citations.dmv.max_request_per_file"},
  };
  for (const auto& c : cases) {
    std::string bad = text;
    auto at = bad.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    bad.replace(at, c.from.size(), c.to);
    auto config = parse_city_config(bad, "demo.yaml");
    ASSERT_FALSE(config) << c.to;
    EXPECT_NE(config.error().field.find(c.field), std::string::npos)
        << c.to << " -> " << config.error().field << ": " << config.error().message;
  }
}

}  // namespace
}  // namespace civicdesk::testing
