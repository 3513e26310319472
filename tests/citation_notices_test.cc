// Delinquency notices, citations paid at payment time, and payments during a contest, on both
// databases: the nightly run records one notice per notice step (held while the registered owner
// is unknown), a date's batch prints once and again the same, the letters are a PDF, a payment
// in full marks the citation paid in the same commit, a payment during a contest leaves it
// contested and a dismissal or reduction leaves the excess as credit. Every money test ends
// with `ledger check`.
#include <map>

#include "citations/citation_book.h"
#include "citations/citations_test_support.h"
#include "citations/notice_book.h"
#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

using citations::Citation;
using citations::CitationStatus;

std::string numbered(const std::string& digits) {
  return digits +
         std::to_string(citations::compute_check_digit(citations::CheckDigit::kMod7, digits));
}

class CitationNoticesTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3", "supervisor"}) users_[role] = make_user(role);
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  citations::CitationBook& book() { return app_->citations(); }
  citations::NoticeBook& notices() { return app_->citation_notices(); }
  std::int64_t count(const std::string& sql) {
    auto n = app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  void exec(const std::string& sql, store::Params params) {
    auto r = app_->db().write<bool>([&](store::Connection& c) -> Result<bool> {
      CD_TRY(c.exec(sql, params));
      return true;
    });
    ASSERT_TRUE(r) << r.error().message;
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
  // The registered owner, as the DMV lookup would set it.
  std::int64_t owner(const std::string& number, const std::string& first, const std::string& last) {
    customers::PartyInput p;
    p.first_name = first;
    p.last_name = last;
    p.addresses.push_back({"mailing", "12 Elm St", "Apt 4", "Riverton", "CA", "95001"});
    std::vector<customers::DuplicateCandidate> dups;
    auto party = app_->parties().create(as("csr2"), p, true, dups);
    EXPECT_TRUE(party) << party.error().message;
    if (!party) return 0;
    exec("UPDATE citations SET owner_party_id = ? WHERE number = ?", {party->id.value, number});
    return party->id.value;
  }
  Result<ledger::PaymentResult> pay(const Citation& ct, std::int64_t cents,
                                    const std::string& key) {
    ledger::PaymentRequest r;
    r.party_id = ct.ledger_party_id;
    r.amount = Money::from_cents(cents);
    r.tender = "cash";
    r.channel = "counter";
    r.account_ref = "plate:" + ct.record.plate_state + ":" + ct.record.plate;
    r.idempotency_key = key;
    return app_->ledger().pay(as("csr2"), r);
  }
  std::map<std::string, security::User> users_;
};

// Issued Monday 2026-08-03: the first late penalty ($25) and the notice are due the day after
// the 21st day (2026-08-24), so the run of 2026-08-26 posts both; the notice records $112.00.
TEST_P(CitationNoticesTest, ANoticeIsHeldUntilTheOwnerIsKnownAndEachDatePrintsOneBatch) {
  const std::string number = numbered("95460001");
  enter(number, "2026-08-03 09:15");
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 8, 26}));
  Citation ct = load(number);
  ASSERT_EQ(ct.notices.size(), 1u);
  EXPECT_EQ(ct.notices[0].status, "held");
  EXPECT_EQ(ct.notices[0].addressee_name, "Registered owner unknown");
  EXPECT_EQ(ct.notices[0].amount_due.cents(), 112'00);
  EXPECT_EQ(ct.notices[0].step_number, 2);
  EXPECT_EQ(ct.notices[0].notice_on, "2026-08-26");

  // Nobody to mail it to: the batch of that day prints nothing and counts it held.
  const CivilDate today = app_->ledger().today();
  auto first = notices().print_batch(as("supervisor"), CivilDate{2026, 8, 26}, today);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->already_printed);
  EXPECT_EQ(first->notice_count, 0);
  EXPECT_EQ(first->held_count, 1);
  EXPECT_FALSE(notices().batch_pdf(first->id));

  // The DMV lookup finds the owner; the next day's batch mails the notice to them.
  const std::int64_t party = owner(number, "Ana", "Ruiz");
  auto second = notices().print_batch(as("supervisor"), CivilDate{2026, 8, 27}, today);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->notice_count, 1);
  EXPECT_EQ(second->held_count, 0);
  EXPECT_EQ(second->total_due.cents(), 112'00);
  ASSERT_EQ(second->notices.size(), 1u);
  const auto& n = second->notices[0];
  EXPECT_EQ(n.status, "printed");
  EXPECT_EQ(n.addressee_party_id, party);
  EXPECT_EQ(n.addressee_name, "Ana Ruiz");
  EXPECT_EQ(n.address_lines,
            (std::vector<std::string>{"12 Elm St", "Apt 4", "Riverton, CA 95001"}));
  EXPECT_EQ(n.mailed_on, "2026-08-27");
  // 14 days after the mailing (Thursday 2026-09-10) is later than 21 after the issue.
  EXPECT_EQ(n.review_deadline, "2026-09-10");
  ct = load(number);
  ASSERT_TRUE(ct.notice_mailed_on);
  EXPECT_EQ(ct.notice_mailed_on->iso(), "2026-08-27");
  ASSERT_EQ(ct.deadlines.size(), 1u);
  EXPECT_EQ(ct.deadlines[0].last_day, "2026-09-10");

  // The same date again is the same batch; the nightly run again posts no second notice.
  auto again = notices().print_batch(as("supervisor"), CivilDate{2026, 8, 27}, today);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->already_printed);
  EXPECT_EQ(again->id, second->id);
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 8, 27}));
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 11, 26}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_notices"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_notice_batches"), 2);
  auto later = notices().print_batch(as("supervisor"), CivilDate{2026, 11, 26}, today);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->notice_count, 0);

  auto pdf = notices().batch_pdf(second->id, {.compress = false});
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_NE(pdf->find("(Ana Ruiz) Tj"), std::string::npos);
  EXPECT_NE(pdf->find("(Citation " + number + ") Tj"), std::string::npos);
  EXPECT_NE(pdf->find("(Pay or request a review by 2026-09-10) Tj"), std::string::npos);
  EXPECT_EQ(*pdf, *notices().batch_pdf(second->id, {.compress = false}));

  auto tomorrow = notices().print_batch(as("supervisor"), today.plus_days(1), today);
  ASSERT_FALSE(tomorrow);
  EXPECT_EQ(tomorrow.error().field, "date");
  expect_books_agree();
}

// An owner the DMV named without an address: the notice is not printed, it waits with a note.
TEST_P(CitationNoticesTest, ANoticeToAnOwnerWithoutAnAddressStaysHeld) {
  const std::string number = numbered("95460007");
  enter(number, "2026-08-03 09:15");
  customers::PartyInput p;
  p.first_name = "Cy";
  p.last_name = "Park";
  std::vector<customers::DuplicateCandidate> dups;
  auto party = app_->parties().create(as("csr2"), p, true, dups);
  ASSERT_TRUE(party) << party.error().message;
  exec("UPDATE citations SET owner_party_id = ? WHERE number = ?", {party->id.value, number});
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 8, 26}));
  ASSERT_EQ(load(number).notices.size(), 1u);
  EXPECT_EQ(load(number).notices[0].status, "ready");
  EXPECT_EQ(load(number).notices[0].addressee_name, "Cy Park");
  auto batch =
      notices().print_batch(as("supervisor"), CivilDate{2026, 8, 26}, app_->ledger().today());
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->notice_count, 0);
  EXPECT_EQ(batch->held_count, 1);
  EXPECT_EQ(load(number).notices[0].note, "the registered owner Cy Park has no mailing address");
  EXPECT_FALSE(load(number).notices[0].batch_id);
}

// A citation paid at the counter before its notice is mailed: paid at once (no nightly run),
// and the waiting notice is withdrawn, not mailed.
TEST_P(CitationNoticesTest, APaymentInFullMarksTheCitationPaidInTheSameCommit) {
  const std::string a = numbered("95460002"), b = numbered("95460003");
  Citation first = enter(a, "2026-08-03 09:15", "8PAY002");
  enter(b, "2026-11-20 10:00", "8PAY002", "V5204A");
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 8, 26}));
  ASSERT_EQ(load(a).notices.size(), 1u);

  // Part of it: nothing changes but the balance.
  auto part = pay(first, 50'00, "pay-part");
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(load(a).state.status, CitationStatus::kNoticeSent);
  EXPECT_EQ(load(a).amount_due.cents(), 62'00);  // $50.00 on the fine, oldest first

  // The rest of both: both paid now, each with its `pay` event, nothing left to escalate.
  auto rest = pay(first, 62'00 + 121'00, "pay-rest");
  ASSERT_TRUE(rest) << rest.error().message;
  EXPECT_EQ(rest->payment.unapplied.cents(), 0);
  for (const auto& number : {a, b}) {
    Citation ct = load(number);
    EXPECT_EQ(ct.state.status, CitationStatus::kPaid) << number;
    EXPECT_EQ(ct.amount_due.cents(), 0);
    EXPECT_EQ(ct.events.back().event, "pay");
    EXPECT_FALSE(ct.next_step_due_on);
  }
  // A replay of the same payment posts nothing and changes nothing.
  auto replay = pay(first, 62'00 + 121'00, "pay-rest");
  ASSERT_TRUE(replay);
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_events WHERE event = 'pay'"), 2);
  auto run = book().escalate(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(run);
  EXPECT_EQ(run->marked_paid, 0);

  owner(a, "Bo", "Chen");
  auto batch =
      notices().print_batch(as("supervisor"), CivilDate{2026, 11, 26}, app_->ledger().today());
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->notice_count, 0);
  ASSERT_EQ(load(a).notices.size(), 1u);
  EXPECT_EQ(load(a).notices[0].status, "withdrawn");
  expect_books_agree();
}

// VC 40215(b): a hearing may require the amount deposited. A payment while the contest is
// pending is taken and leaves the citation contested; a dismissal then leaves it all as credit,
// a reduction the excess over the reduced fine.
TEST_P(CitationNoticesTest, APaymentDuringAContestKeepsItContestedAndTheDecisionLeavesCredit) {
  const std::string a = numbered("95460004"), b = numbered("95460005");
  Citation dismissed = enter(a, "2026-11-20 10:00", "9CON001");
  Citation reduced = enter(b, "2026-11-20 10:00", "9CON002");
  ASSERT_TRUE(book().request_review(as("csr2"), a, "sign covered", ""));
  ASSERT_TRUE(book().request_review(as("csr2"), b, "meter broken", ""));
  ASSERT_TRUE(pay(dismissed, 87'00, "deposit-a"));
  ASSERT_TRUE(pay(reduced, 87'00, "deposit-b"));
  EXPECT_EQ(load(a).state.status, CitationStatus::kReviewRequested);
  EXPECT_EQ(load(a).amount_due.cents(), 0);
  EXPECT_EQ(load(b).state.status, CitationStatus::kReviewRequested);

  const std::int64_t party = dismissed.ledger_party_id;
  auto credit_before = app_->ledger().balance_of(party);
  ASSERT_TRUE(credit_before);
  auto d = book().decide(as("csr3"), a, {"dismissed", "photo shows the sign covered", {}, ""});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->state.status, CitationStatus::kDismissed);
  EXPECT_EQ(d->amount_due.cents(), 0);
  auto credit_after = app_->ledger().balance_of(party);
  ASSERT_TRUE(credit_after);
  EXPECT_EQ(credit_after->credit.cents() - credit_before->credit.cents(), 87'00);

  auto r = book().decide(as("csr3"), b, {"reduced", "first offence", Money::from_cents(50'00), ""});
  ASSERT_TRUE(r) << r.error().message;
  // The deposit covers the reduced fine: the decision leaves nothing owed, so it is paid.
  EXPECT_EQ(r->state.status, CitationStatus::kPaid);
  EXPECT_EQ(r->fine.cents(), 50'00);
  EXPECT_EQ(r->amount_due.cents(), 0);
  auto credit_end = app_->ledger().balance_of(party);
  ASSERT_TRUE(credit_end);
  EXPECT_EQ(credit_end->credit.cents() - credit_after->credit.cents(), 37'00);
  ASSERT_GE(r->events.size(), 2u);
  EXPECT_EQ(r->events[r->events.size() - 2].event, "reduce_review");
  EXPECT_EQ(r->events.back().event, "pay");
  expect_books_agree();
}

TEST_P(CitationNoticesTest, TheBatchRoutesPrintListAndServeThePdf) {
  const std::string number = numbered("95460006");
  enter(number, "2026-08-03 09:15");
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 8, 26}));
  owner(number, "Ana", "Ruiz");
  Client csr2 = sign_in("csr2");
  Client boss = sign_in("supervisor");
  const std::string body = R"({"date":"2026-08-27"})";
  EXPECT_EQ(call("POST", "/api/v1/citations/notices/batches", body, &csr2).status, 403);
  auto printed = call("POST", "/api/v1/citations/notices/batches", body, &boss);
  ASSERT_EQ(printed.status, 201) << printed.raw;
  EXPECT_EQ(printed.body.at("notice_count").as_int64(), 1);
  EXPECT_EQ(printed.body.at("total_due").as_string(), "112.00");
  ASSERT_EQ(printed.body.at("notices").as_array().size(), 1u);
  EXPECT_EQ(printed.body.at("notices").as_array()[0].at("addressee_name").as_string(), "Ana Ruiz");
  const std::int64_t id = printed.body.at("id").as_int64();
  auto again = call("POST", "/api/v1/citations/notices/batches", body, &boss);
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body.at("id").as_int64(), id);
  EXPECT_EQ(call("POST", "/api/v1/citations/notices/batches", R"({"date":"someday"})", &boss)
                .error_field(),
            "date");

  auto list = call("GET", "/api/v1/citations/notices/batches", "", &csr2);
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body.at("items").as_array().size(), 1u);
  auto one = call("GET", "/api/v1/citations/notices/batches/" + std::to_string(id), "", &csr2);
  ASSERT_EQ(one.status, 200) << one.raw;
  auto pdf =
      call("GET", "/api/v1/citations/notices/batches/" + std::to_string(id) + "/pdf", "", &csr2);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_NE(pdf.header("Content-Disposition").find("notices-2026-08-27.pdf"), std::string::npos);
  EXPECT_EQ(pdf.raw.substr(0, 5), "%PDF-");
  EXPECT_EQ(call("GET", "/api/v1/citations/notices/batches/999/pdf", "", &csr2).status, 404);

  // The citation shows its notice history.
  auto ct = call("GET", "/api/v1/citations/" + number, "", &csr2);
  ASSERT_EQ(ct.status, 200) << ct.raw;
  ASSERT_EQ(ct.body.at("notices").as_array().size(), 1u);
  const auto& n = ct.body.at("notices").as_array()[0];
  EXPECT_EQ(n.at("status").as_string(), "printed");
  EXPECT_EQ(n.at("mailed_on").as_string(), "2026-08-27");
  EXPECT_EQ(n.at("batch_id").as_int64(), id);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CitationNoticesTest);

}  // namespace
}  // namespace civicdesk::testing
