// Boots and tows of scofflaw plates (citations/boot_book.h) on both databases: a boot placed
// on a plate with delinquent citations is not released while they are owed — the refusal
// names the count and the amount — and is released once they are paid, or once they are on a
// payment plan; the API records and releases with citation.write.
#include <map>

#include "citations/boot_book.h"
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

class CitationBootsTest : public AppTest {
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
  citations::BootBook boots() {
    return citations::BootBook(app_->db(), app_->citations(), app_->clock(),
                               app_->ledger().today());
  }
  Citation enter(const std::string& number, const std::string& issued_at, const std::string& plate,
                 const std::string& code) {
    return citations::testing::enter_citation(book(), as("csr2"), number, issued_at, plate, code);
  }
  Citation load(const std::string& number) {
    return citations::testing::load_citation(book(), number);
  }
  // Two delinquent citations of `plate` by 2026-09-20, each with one $25.00 late penalty:
  // $112.00 + $146.00 = $258.00 owed.
  std::pair<std::string, std::string> two_delinquent(const std::string& first_digits,
                                                     const std::string& plate) {
    const std::string a = numbered(first_digits);
    const std::string b = numbered(std::to_string(std::stoll(first_digits) + 1));
    enter(a, "2026-08-03 09:00", plate, "TRC7.2.22");
    enter(b, "2026-08-04 09:00", plate, "V5204A");
    EXPECT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 8, 26}));
    EXPECT_TRUE(book().escalate(as("supervisor"), CivilDate{2026, 9, 20}));
    EXPECT_EQ(load(a).state.status, CitationStatus::kDelinquent);
    EXPECT_EQ(load(a).amount_due.cents() + load(b).amount_due.cents(), 258'00);
    return {a, b};
  }
  citations::BootRecord place(const std::string& plate) {
    citations::BootPlacement in;
    in.plate_state = "ca";
    in.plate = plate;
    in.kind = "boot";
    in.note = "rear left wheel";
    auto b = boots().place(as("supervisor"), in);
    EXPECT_TRUE(b) << b.error().field << ": " << b.error().message;
    return b ? *b : citations::BootRecord{};
  }
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
  std::map<std::string, security::User> users_;
};

TEST_P(CitationBootsTest, AReleaseIsRefusedWithTheAmountUntilThePlateIsPaid) {
  auto [a, b] = two_delinquent("95480001", "7BOOT01");
  auto boot = place("7boot-01");
  EXPECT_EQ(boot.plate, "7BOOT01");
  EXPECT_EQ(boot.plate_state, "CA");
  EXPECT_EQ(boot.placed_by, "supervisor");
  EXPECT_TRUE(boot.active());

  auto refused = boots().release(as("csr2"), boot.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.error().field, "citations");
  EXPECT_EQ(refused.error().message,
            "2 citations unpaid: $258.00 due; pay or enrol in a payment plan");
  EXPECT_TRUE(boots().boot(boot.id)->active());

  ledger::PaymentRequest pay;
  pay.party_id = load(a).ledger_party_id;
  pay.amount = Money::from_cents(258'00);
  pay.tender = "cash";
  pay.channel = "counter";
  pay.account_ref = "plate:CA:7BOOT01";
  pay.idempotency_key = "boot-pay";
  auto paid = app_->ledger().pay(as("csr2"), pay);
  ASSERT_TRUE(paid) << paid.error().message;
  EXPECT_EQ(load(a).state.status, CitationStatus::kPaid);
  EXPECT_EQ(load(b).state.status, CitationStatus::kPaid);

  auto released = boots().release(as("csr2"), boot.id);
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_FALSE(released->active());
  EXPECT_EQ(released->released_by, "csr2");
  EXPECT_EQ(released->release_reason, "paid");
  EXPECT_EQ(released->released_on, app_->ledger().today().iso());
  EXPECT_EQ(boots().release(as("csr2"), boot.id).error().code, ErrorCode::kConflict);
  EXPECT_EQ(boots().boots("active")->size(), 0u);
  EXPECT_EQ(boots().boots("released")->size(), 1u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'citation_boot.%'"), 2);
  expect_books_agree();
}

TEST_P(CitationBootsTest, APaymentPlanReleasesABoot) {
  two_delinquent("95480011", "7BOOT02");
  auto boot = place("7BOOT02");
  auto one_paid = boots().release(as("csr2"), boot.id);
  ASSERT_FALSE(one_paid);
  citations::PlanEnrolment in;
  in.plate = "7BOOT02";
  in.plate_state = "CA";
  in.months = 10;
  in.attested_by = "Ana Ruiz";
  auto plan = app_->citation_plans().enrol(as("csr2"), in);
  ASSERT_TRUE(plan) << plan.error().field << ": " << plan.error().message;
  auto released = boots().release(as("supervisor"), boot.id);
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_EQ(released->release_reason, "payment plan");
  EXPECT_EQ(released->released_by, "supervisor");
}

TEST_P(CitationBootsTest, PlacementChecksItsFields) {
  citations::BootPlacement in;
  in.plate_state = "CA";
  in.plate = "";
  EXPECT_EQ(boots().place(as("csr2"), in).error().field, "plate");
  in.plate = "7ABC123";
  in.kind = "clamp";
  EXPECT_EQ(boots().place(as("csr2"), in).error().field, "kind");
  in.kind = "tow";
  in.plate_state = "California";
  EXPECT_EQ(boots().place(as("csr2"), in).error().field, "plate_state");
  in.plate_state = "CA";
  in.placed_on = "2099-01-01";
  EXPECT_EQ(boots().place(as("csr2"), in).error().field, "placed_on");
  in.placed_on = "";
  EXPECT_EQ(boots().boots("lost").error().field, "status");
  EXPECT_EQ(boots().boot(999).error().code, ErrorCode::kNotFound);
  // A plate with no citations at all is released at once.
  auto towed = boots().place(as("csr2"), in);
  ASSERT_TRUE(towed) << towed.error().message;
  EXPECT_EQ(towed->kind, "tow");
  EXPECT_TRUE(boots().release(as("csr2"), towed->id));
}

TEST_P(CitationBootsTest, TheApiRecordsAndReleasesWithCitationWrite) {
  auto [a, b] = two_delinquent("95480021", "7BOOT03");
  Client csr1 = sign_in("csr1");
  Client csr2 = sign_in("csr2");
  const std::string body =
      R"({"plate_state":"CA","plate":"7BOOT03","kind":"boot","note":"front right"})";
  EXPECT_EQ(call("POST", "/api/v1/citations/scofflaws/boots", body, &csr1).status, 403);
  auto created = call("POST", "/api/v1/citations/scofflaws/boots", body, &csr2);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body.at("status").as_string(), "active");
  EXPECT_EQ(created.body.at("placed_by").as_string(), "csr2");
  EXPECT_TRUE(created.body.at("released_on").is_null());
  const std::string release = "/api/v1/citations/scofflaws/boots/" +
                              std::to_string(created.body.at("id").as_int64()) + "/release";
  EXPECT_EQ(call("POST", release, "", &csr1).status, 403);
  auto refused = call("POST", release, "", &csr2);
  ASSERT_EQ(refused.status, 422) << refused.raw;
  EXPECT_EQ(refused.error_field(), "citations");
  EXPECT_EQ(refused.body.at("error").at("message").as_string(),
            "2 citations unpaid: $258.00 due; pay or enrol in a payment plan");
  auto active = call("GET", "/api/v1/citations/scofflaws/boots?status=active", "", &csr1);
  ASSERT_EQ(active.status, 200) << active.raw;
  EXPECT_EQ(active.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/citations/scofflaws/boots?status=x", "", &csr1).error_field(),
            "status");
  EXPECT_EQ(call("POST", "/api/v1/citations/scofflaws/boots", R"({"plate":"X","color":1})", &csr2)
                .error_field(),
            "color");

  ledger::PaymentRequest pay;
  pay.party_id = load(a).ledger_party_id;
  pay.amount = Money::from_cents(258'00);
  pay.tender = "cash";
  pay.channel = "counter";
  pay.account_ref = "plate:CA:7BOOT03";
  pay.idempotency_key = "boot-api-pay";
  ASSERT_TRUE(app_->ledger().pay(as("csr2"), pay));
  auto ok = call("POST", release, "", &csr2);
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body.at("status").as_string(), "released");
  EXPECT_EQ(ok.body.at("released_by").as_string(), "csr2");
  EXPECT_EQ(ok.body.at("release_reason").as_string(), "paid");
  EXPECT_EQ(call("POST", release, "", &csr2).status, 409);
  auto released = call("GET", "/api/v1/citations/scofflaws/boots?status=released", "", &csr1);
  EXPECT_EQ(released.body.at("items").as_array().size(), 1u);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CitationBootsTest);

}  // namespace
}  // namespace civicdesk::testing
