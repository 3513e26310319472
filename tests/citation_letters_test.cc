// GET /api/v1/citations/{number}/decision-letter on both databases: 404 before a decision, the
// latest decision's letter (PDF, with the reason and the next deadline), an earlier one by
// ?event=N, the registered owner's name and address when known, and citation.read required.
#include <map>

#include "citations/citation_book.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

std::string numbered(const std::string& digits) {
  return digits +
         std::to_string(citations::compute_check_digit(citations::CheckDigit::kMod7, digits));
}

class CitationLettersTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3", "admin"}) users_[role] = make_user(role);
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  citations::CitationBook& book() { return app_->citations(); }
  void enter(const std::string& number, const std::string& plate) {
    citations::CitationInput in;
    in.number = number;
    in.issued_at = "2026-11-20 10:00";
    in.location = "706 CHESTNUT ST";
    in.violation_code = "TRC7.2.22";
    in.plate = plate;
    in.plate_state = "CA";
    in.officer_id = "PCO 123";
    auto ct = book().create(as("csr2"), in);
    ASSERT_TRUE(ct) << ct.error().field << ": " << ct.error().message;
  }
  // The response as served (ApiResult keeps no content type).
  http::Response raw_get(const std::string& target, const Client& client) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    EXPECT_TRUE(http::parse_target(target, req.path, req.query));
    req.request_id = "test";
    req.headers["Cookie"] = client.cookie;
    return api_->handle(req);
  }
  std::map<std::string, security::User> users_;
};

TEST_P(CitationLettersTest, ADecisionHasALetterAndAnUndecidedCitationNone) {
  const std::string number = numbered("95470001");
  enter(number, "9LET001");
  const std::string url = "/api/v1/citations/" + number + "/decision-letter";
  Client csr1 = sign_in("csr1");
  ASSERT_TRUE(book().request_review(as("csr2"), number, "meter broken", ""));
  auto undecided = call("GET", url, "", &csr1);
  EXPECT_EQ(undecided.status, 404) << undecided.raw;
  EXPECT_EQ(undecided.error_field(), "event");
  EXPECT_EQ(call("GET", "/api/v1/citations/99999999/decision-letter", "", &csr1).status, 404);

  auto decided = book().decide(
      as("csr3"), number, {"reduced", "meter log shows a fault", Money::from_cents(40'00), ""});
  ASSERT_TRUE(decided) << decided.error().message;
  auto letter = call("GET", url, "", &csr1);
  ASSERT_EQ(letter.status, 200) << letter.raw;
  EXPECT_EQ(raw_get(url, csr1).content_type, "application/pdf");
  EXPECT_NE(letter.header("Content-Disposition").find("decision-" + number), std::string::npos);
  EXPECT_EQ(letter.raw.substr(0, 5), "%PDF-");
  // The reason as recorded, with the reduction the service notes on it.
  EXPECT_NE(letter.raw.find("(meter log shows a fault"), std::string::npos);
  EXPECT_NE(letter.raw.find("to $40.00"), std::string::npos);
  EXPECT_NE(letter.raw.find("(Decision: REDUCED - the fine is now $40.00) Tj"), std::string::npos);
  EXPECT_NE(letter.raw.find("(Registered owner of CA 9LET001) Tj"), std::string::npos);
  ASSERT_EQ(decided->deadlines.size(), 1u);
  EXPECT_NE(letter.raw.find("(To request an administrative hearing, do so by " +
                            decided->deadlines[0].last_day + ") Tj"),
            std::string::npos);

  // A hearing upholds it: the latest letter is the hearing's, the review's stays by ?event=N.
  ASSERT_TRUE(book().request_hearing(as("csr2"), number, "", ""));
  ASSERT_TRUE(book().schedule_hearing(as("csr2"), number, "2026-12-02"));
  auto upheld = book().decide(as("csr3"), number, {"upheld", "as reviewed", std::nullopt, ""});
  ASSERT_TRUE(upheld) << upheld.error().message;
  auto hearing = call("GET", url, "", &csr1);
  ASSERT_EQ(hearing.status, 200) << hearing.raw;
  EXPECT_NE(hearing.raw.find("(NOTICE OF ADMINISTRATIVE HEARING DECISION) Tj"), std::string::npos);
  EXPECT_NE(hearing.raw.find("(To appeal to the court, do so by"), std::string::npos);
  std::size_t review_at = 0;
  for (std::size_t i = 0; i < upheld->events.size(); ++i)
    if (upheld->events[i].event == "reduce_review") review_at = i + 1;
  ASSERT_NE(review_at, 0u);
  auto earlier = call("GET", url + "?event=" + std::to_string(review_at), "", &csr1);
  ASSERT_EQ(earlier.status, 200) << earlier.raw;
  EXPECT_NE(earlier.raw.find("(meter log shows a fault"), std::string::npos);
  EXPECT_EQ(call("GET", url + "?event=1", "", &csr1).status, 404);
  EXPECT_EQ(call("GET", url + "?event=x", "", &csr1).error_field(), "event");

  // citation.read is required: the administrator has none.
  Client admin = sign_in("admin");
  EXPECT_EQ(call("GET", url, "", &admin).status, 403);
}

TEST_P(CitationLettersTest, TheLetterGoesToTheRegisteredOwnerWhenKnown) {
  const std::string number = numbered("95470002");
  enter(number, "9LET002");
  customers::PartyInput p;
  p.first_name = "Ana";
  p.last_name = "Ruiz";
  p.addresses.push_back({"mailing", "12 Elm St", "Apt 4", "Riverton", "CA", "95001"});
  std::vector<customers::DuplicateCandidate> dups;
  auto party = app_->parties().create(as("csr2"), p, true, dups);
  ASSERT_TRUE(party) << party.error().message;
  auto set = app_->db().write<bool>([&](store::Connection& c) -> Result<bool> {
    CD_TRY(c.exec("UPDATE citations SET owner_party_id = ? WHERE number = ?",
                  {party->id.value, number}));
    return true;
  });
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_TRUE(book().request_review(as("csr2"), number, "sign covered", ""));
  ASSERT_TRUE(book().decide(as("csr3"), number, {"dismissed", "sign was covered", {}, ""}));
  Client csr1 = sign_in("csr1");
  auto letter = call("GET", "/api/v1/citations/" + number + "/decision-letter", "", &csr1);
  ASSERT_EQ(letter.status, 200) << letter.raw;
  for (const std::string t :
       {"(Ana Ruiz) Tj", "(12 Elm St) Tj", "(Apt 4) Tj", "(Riverton, CA 95001) Tj",
        "(sign was covered) Tj", "(Decision: DISMISSED - the citation is cancelled) Tj"})
    EXPECT_NE(letter.raw.find(t), std::string::npos) << t;
  EXPECT_EQ(letter.raw.find("do so by"), std::string::npos);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CitationLettersTest);

}  // namespace
}  // namespace civicdesk::testing
