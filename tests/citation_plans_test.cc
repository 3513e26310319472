// Indigent payment plans (VC 40220) on both databases, with amounts worked by hand: enrolment
// charges the $5.00 processing fee, waives the late fees posted so far and stops escalation; a
// missed installment defaults the plan, reinstates the fees and resumes escalation; a plan paid
// in full is kept and its citations paid; the API enrols (citation.write) and reads. Every test
// ends with `ledger check`.
#include <map>

#include "citations/citation_book.h"
#include "citations/citations_test_support.h"
#include "citations/plan_book.h"
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

class CitationPlansTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "supervisor"}) users_[role] = make_user(role);
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  citations::CitationBook& book() { return app_->citations(); }
  citations::PlanBook& plans() { return app_->citation_plans(); }
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
                 const std::string& code) {
    return citations::testing::enter_citation(book(), as("csr2"), number, issued_at, plate, code);
  }
  Citation load(const std::string& number) {
    return citations::testing::load_citation(book(), number);
  }
  // Two citations of `plate`, each with its first late penalty ($25.00) posted on 2026-08-26:
  // fines $87.00 + $121.00 = $208.00, late fees $50.00.
  std::pair<std::string, std::string> two_late_citations(const std::string& first_digits,
                                                         const std::string& plate) {
    const std::string a = numbered(first_digits);
    const std::string b = numbered(std::to_string(std::stoll(first_digits) + 1));
    enter(a, "2026-08-03 09:00", plate, "TRC7.2.22");
    enter(b, "2026-08-04 09:00", plate, "V5204A");
    auto run = book().escalate(as("supervisor"), CivilDate{2026, 8, 26});
    EXPECT_TRUE(run) << run.error().message;
    EXPECT_EQ(load(a).amount_due.cents(), 112'00);
    EXPECT_EQ(load(b).amount_due.cents(), 146'00);
    return {a, b};
  }
  citations::PlanEnrolment by_plate(const std::string& plate, int months) {
    citations::PlanEnrolment in;
    in.plate = plate;
    in.plate_state = "CA";
    in.months = months;
    in.attested_by = "Ana Ruiz";
    in.proof_note = "signed attestation of indigency";
    return in;
  }
  std::map<std::string, security::User> users_;
};

// Enrolled on Thursday 2026-11-26 (a City holiday): $208.00 + $5.00 = $213.00 in 10
// installments of $21.30 (under the $25.00 cap of the $500 tier); the first is due on Saturday
// 2026-12-26, moved to Monday 2026-12-28. Nothing paid: on 2027-01-08 (past the 10 grace days)
// the plan defaults and the $50.00 comes back.
TEST_P(CitationPlansTest, EnrolWaivesLateFeesThenADefaultReinstatesThemAndEscalationResumes) {
  auto [a, b] = two_late_citations("95470001", "7PLAN01");
  // Delinquent by 2026-09-20 (40 days), still with one late penalty each (58 days for the next):
  // a boot would stay on until they are paid or on a plan.
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 9, 20}));
  EXPECT_EQ(load(a).state.status, CitationStatus::kDelinquent);
  auto plate_citations = [&] {
    std::vector<citations::PlateCitation> out;
    auto list = book().by_plate("CA", "7PLAN01");
    EXPECT_TRUE(list);
    for (const auto& ct : *list)
      out.push_back({"CA", "7PLAN01", ct.record.citation_number, ct.state, ct.amount_due});
    return out;
  };
  EXPECT_FALSE(citations::check_boot_release(plate_citations()));
  auto too_fast = plans().enrol(as("csr2"), by_plate("7plan01", 8));  // $26.63 a month
  ASSERT_FALSE(too_fast);
  EXPECT_EQ(too_fast.error().field, "months");
  EXPECT_NE(too_fast.error().message.find("at least 9 months"), std::string::npos);
  auto unsigned_plan = by_plate("7PLAN01", 10);
  unsigned_plan.attested_by = "";
  EXPECT_EQ(plans().enrol(as("csr2"), unsigned_plan).error().field, "attested_by");

  auto plan = plans().enrol(as("csr2"), by_plate("7PLAN01", 10));
  ASSERT_TRUE(plan) << plan.error().field << ": " << plan.error().message;
  EXPECT_EQ(plan->status, "active");
  EXPECT_EQ(plan->fines.cents(), 208'00);
  EXPECT_EQ(plan->processing_fee.cents(), 5'00);
  EXPECT_EQ(plan->total.cents(), 213'00);
  EXPECT_EQ(plan->max_monthly.cents(), 25'00);
  EXPECT_EQ(plan->late_fees_waived.cents(), 50'00);
  EXPECT_EQ(plan->citation_numbers, (std::vector<std::string>{a, b}));
  ASSERT_EQ(plan->installments.size(), 10u);
  for (const auto& i : plan->installments) EXPECT_EQ(i.amount.cents(), 21'30);
  EXPECT_EQ(plan->installments[0].due_on.iso(), "2026-12-28");
  EXPECT_EQ(plan->installments[1].due_on.iso(), "2027-01-26");
  EXPECT_EQ(plan->paid.cents(), 0);
  EXPECT_EQ(plan->balance.cents(), 213'00);
  ASSERT_TRUE(plan->next_due_on);
  EXPECT_EQ(plan->next_due_on->iso(), "2026-12-28");
  EXPECT_EQ(plan->proof, "attested");
  EXPECT_EQ(plan->attested_by, "Ana Ruiz");
  ASSERT_NE(plan->fee_obligation_id, 0);
  auto fee = app_->ledger().obligation(plan->fee_obligation_id);
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->balance.cents(), 5'00);
  EXPECT_EQ(fee->account_ref, "plate:CA:7PLAN01");
  for (const auto& [number, due] : {std::pair{a, 87'00}, std::pair{b, 121'00}}) {
    Citation ct = load(number);
    EXPECT_EQ(ct.state.status, CitationStatus::kOnPlan);
    EXPECT_EQ(ct.amount_due.cents(), due) << "late fee waived";
    EXPECT_FALSE(ct.next_step_due_on);
  }
  EXPECT_TRUE(citations::check_boot_release(plate_citations()));  // a plan releases the boot
  // A second plan for the same citations is refused; escalation posts nothing while it lasts.
  auto twice = plans().enrol(as("csr2"), by_plate("7PLAN01", 10));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kUnprocessable);
  ASSERT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 11, 26}));
  EXPECT_EQ(load(a).steps.size(), 3u);  // penalty, notice, delinquent: nothing since

  // Still current on the last day of grace; broken the day after.
  auto current = plans().check_plans(as("supervisor"), CivilDate{2027, 1, 7});
  ASSERT_TRUE(current) << current.error().message;
  EXPECT_EQ(current->examined, 1);
  EXPECT_EQ(current->defaulted, 0);
  auto broken = plans().check_plans(as("supervisor"), CivilDate{2027, 1, 8});
  ASSERT_TRUE(broken) << broken.error().message;
  EXPECT_EQ(broken->defaulted, 1);
  EXPECT_EQ(broken->reinstated.cents(), 50'00);
  auto after = plans().plan(plan->id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, "defaulted");
  ASSERT_TRUE(after->missed_installment);
  EXPECT_EQ(*after->missed_installment, 1);
  for (const auto& [number, due] : {std::pair{a, 112'00}, std::pair{b, 146'00}}) {
    Citation ct = load(number);
    EXPECT_EQ(ct.state.status, CitationStatus::kPlanDefaulted);
    EXPECT_EQ(ct.amount_due.cents(), due) << "late fee reinstated";
    EXPECT_TRUE(ct.next_step_due_on) << "escalation resumes";
    EXPECT_EQ(ct.events.back().event, "default_plan");
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_suspensions WHERE reason = 'plan' AND until_on "
                  "= '2027-01-08'"),
            2);
  // A second check changes nothing.
  auto again = plans().check_plans(as("supervisor"), CivilDate{2027, 1, 9});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->examined, 0);
  expect_books_agree();
}

// Paid in full through the plate's account: the plan is kept, its citations paid (not by the
// payment hook: a plan's citations complete together with the plan).
TEST_P(CitationPlansTest, APlanPaidInFullIsKeptAndItsCitationsPaid) {
  auto [a, b] = two_late_citations("95470011", "7PLAN02");
  citations::PlanEnrolment in;
  in.citation_numbers = {a, b};
  in.months = 12;
  in.proof = "documented";
  in.attested_by = "Bo Chen";
  in.proof_note = "CalFresh card seen";
  auto plan = plans().enrol(as("csr2"), in);
  ASSERT_TRUE(plan) << plan.error().field << ": " << plan.error().message;
  EXPECT_EQ(plan->proof, "documented");
  // $213.00 in 12: 21300 / 12 = 1775 exactly.
  EXPECT_EQ(plan->installments.back().amount.cents(), 17'75);

  ledger::PaymentRequest pay;
  pay.party_id = plan->ledger_party_id;
  pay.amount = Money::from_cents(213'00);
  pay.tender = "cash";
  pay.channel = "counter";
  pay.account_ref = "plate:CA:7PLAN02";
  pay.idempotency_key = "plan-all";
  auto paid = app_->ledger().pay(as("csr2"), pay);
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(paid->payment.unapplied.cents(), 0);
  EXPECT_EQ(load(a).state.status, CitationStatus::kOnPlan);
  auto v = plans().plan(plan->id);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->paid.cents(), 213'00);
  EXPECT_FALSE(v->next_installment);

  auto kept = plans().check_plans(as("supervisor"), CivilDate{2026, 11, 26});
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->kept, 1);
  auto after = plans().plan(plan->id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, "kept");
  for (const auto& number : {a, b}) {
    EXPECT_EQ(load(number).state.status, CitationStatus::kPaid);
    EXPECT_EQ(load(number).events.back().event, "complete_plan");
  }
  auto listed = plans().plans("kept");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_FALSE(plans().plans("lost"));
  expect_books_agree();
}

TEST_P(CitationPlansTest, TheApiEnrolsWithCitationWriteAndReadsPlans) {
  two_late_citations("95470021", "7PLAN03");
  Client csr1 = sign_in("csr1");
  Client csr2 = sign_in("csr2");
  const std::string body =
      R"({"plate":"7PLAN03","plate_state":"ca","months":10,"attested_by":"Ana Ruiz"})";
  Client csr1_key = csr1;
  csr1_key.idempotency_key = "p-1";
  EXPECT_EQ(call("POST", "/api/v1/citations/plans", body, &csr1_key).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/citations/plans", body, &csr2).status, 400);  // no key
  Client csr2_key = csr2;
  csr2_key.idempotency_key = "p-1";
  auto created = call("POST", "/api/v1/citations/plans", body, &csr2_key);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body.at("total").as_string(), "213.00");
  EXPECT_EQ(created.body.at("late_fees_waived").as_string(), "50.00");
  EXPECT_EQ(created.body.at("status").as_string(), "active");
  EXPECT_EQ(created.body.at("installments").as_array().size(), 10u);
  EXPECT_EQ(created.body.at("next_due_on").as_string(), "2026-12-28");
  const std::int64_t id = created.body.at("id").as_int64();
  auto replay = call("POST", "/api/v1/citations/plans", body, &csr2_key);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(count("SELECT COUNT(*) FROM citation_plans"), 1);

  auto one = call("GET", "/api/v1/citations/plans/" + std::to_string(id), "", &csr1);
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_EQ(one.body.at("paid").as_string(), "0.00");
  auto active = call("GET", "/api/v1/citations/plans?status=active", "", &csr1);
  ASSERT_EQ(active.status, 200) << active.raw;
  EXPECT_EQ(active.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/citations/plans?status=nope", "", &csr1).error_field(), "status");
  EXPECT_EQ(call("GET", "/api/v1/citations/plans/999", "", &csr1).status, 404);
  Client csr2_bad = csr2;
  csr2_bad.idempotency_key = "p-2";
  EXPECT_EQ(call("POST", "/api/v1/citations/plans", R"({"months":10,"attested_by":"x","color":1})",
                 &csr2_bad)
                .error_field(),
            "color");
  expect_books_agree();
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CitationPlansTest);

}  // namespace
}  // namespace civicdesk::testing
