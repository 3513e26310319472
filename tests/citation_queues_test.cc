// The citation queues (CitationBook::list, GET /api/v1/citations without a plate) on both
// databases: the contest-review queue oldest request first with its request day, paging without
// overlap, a decided citation leaving the queue; the hearing calendar by day; an owner's
// citations; refused queries naming the parameter. The test clock stands at 2026-11-26.
#include <map>

#include "citations/citation_book.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

using citations::Citation;
using citations::CitationQuery;
using citations::CitationStatus;

// A citation number of the demo City (mod7): `digits` followed by its check digit.
std::string numbered(const std::string& digits) {
  return digits +
         std::to_string(citations::compute_check_digit(citations::CheckDigit::kMod7, digits));
}

class CitationQueuesTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3"}) users_[role] = make_user(role);
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  citations::CitationBook& book() { return app_->citations(); }
  std::string enter(const std::string& digits, const std::string& plate) {
    citations::CitationInput in;
    in.number = numbered(digits);
    in.issued_at = "2026-11-10 10:00";
    in.location = "1 MAIN ST";
    in.violation_code = "TRC7.2.22";
    in.plate = plate;
    in.plate_state = "CA";
    in.officer_id = "PCO 1";
    auto ct = book().create(as("csr2"), in);
    EXPECT_TRUE(ct) << ct.error().field << ": " << ct.error().message;
    return in.number;
  }
  void contest(const std::string& number, const std::string& on) {
    auto r = book().request_review(as("csr2"), number, "sign covered", on);
    ASSERT_TRUE(r) << r.error().message;
  }
  // Reviewed (upheld), hearing requested, and scheduled on `hearing_on` unless empty.
  void to_hearing(const std::string& number, const std::string& hearing_on) {
    contest(number, "2026-11-20");
    auto upheld = book().decide(as("csr3"), number, {"upheld", "photo", std::nullopt, ""});
    ASSERT_TRUE(upheld) << upheld.error().message;
    ASSERT_TRUE(book().request_hearing(as("csr2"), number, "", ""));
    if (hearing_on.empty()) return;
    auto s = book().schedule_hearing(as("csr2"), number, hearing_on);
    ASSERT_TRUE(s) << s.error().message;
  }
  std::vector<std::string> numbers(const CitationQuery& q, bool* more = nullptr) {
    auto page = book().list(q);
    EXPECT_TRUE(page) << page.error().field << ": " << page.error().message;
    std::vector<std::string> out;
    if (!page) return out;
    for (const auto& ct : page->items) out.push_back(ct.record.citation_number);
    if (more) *more = page->more;
    return out;
  }
  std::map<std::string, security::User> users_;
};

CitationQuery review_queue() {
  CitationQuery q;
  q.statuses = {CitationStatus::kReviewRequested};
  return q;
}

TEST_P(CitationQueuesTest, TheReviewQueueIsOldestRequestFirstAndADecisionLeavesIt) {
  const auto a = enter("95457600", "Q1");
  const auto b = enter("95457601", "Q2");
  const auto c = enter("95457602", "Q3");
  enter("95457603", "Q4");  // not contested
  contest(a, "2026-11-20");
  contest(b, "2026-11-18");
  contest(c, "2026-11-24");
  EXPECT_EQ(numbers(review_queue()), (std::vector<std::string>{b, a, c}));
  auto page = book().list(review_queue());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 3u);
  ASSERT_TRUE(page->items[0].contest_requested_on);
  EXPECT_EQ(page->items[0].contest_requested_on->iso(), "2026-11-18");
  EXPECT_EQ(page->items[0].amount_due.cents(), 87'00);  // TRC7.2.22 since 2022-07-01
  EXPECT_FALSE(page->more);

  // Pages of two: no overlap, the last says nothing follows.
  CitationQuery q = review_queue();
  q.limit = 2;
  bool more = false;
  EXPECT_EQ(numbers(q, &more), (std::vector<std::string>{b, a}));
  EXPECT_TRUE(more);
  q.offset = 2;
  EXPECT_EQ(numbers(q, &more), (std::vector<std::string>{c}));
  EXPECT_FALSE(more);

  auto decided = book().decide(as("csr3"), b, {"dismissed", "photo", std::nullopt, ""});
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(numbers(review_queue()), (std::vector<std::string>{a, c}));
}

TEST_P(CitationQueuesTest, TheHearingCalendarListsAWeekByDayAndRequestsWaitOldestFirst) {
  const auto later = enter("95457610", "H1");
  const auto first = enter("95457611", "H2");
  const auto next_week = enter("95457612", "H3");
  const auto waiting = enter("95457613", "H4");
  to_hearing(later, "2026-12-02");
  to_hearing(first, "2026-11-30");
  to_hearing(next_week, "2026-12-08");
  to_hearing(waiting, "");
  CitationQuery week;
  week.hearing_from = CivilDate{2026, 11, 30};
  week.hearing_to = CivilDate{2026, 12, 4};
  EXPECT_EQ(numbers(week), (std::vector<std::string>{first, later}));
  auto page = book().list(week);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].hearing_on->iso(), "2026-11-30");
  EXPECT_EQ(page->items[0].state.status, CitationStatus::kHearingScheduled);

  CitationQuery requested;
  requested.statuses = {CitationStatus::kHearingRequested};
  page = book().list(requested);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].record.citation_number, waiting);
  ASSERT_TRUE(page->items[0].contest_requested_on);
  EXPECT_EQ(page->items[0].contest_requested_on->iso(), "2026-11-26");
  // A decided hearing stays on its day.
  auto decided =
      book().decide(as("csr3"), first, {"dismissed", "officer absent", std::nullopt, ""});
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(numbers(week), (std::vector<std::string>{first, later}));
  week.statuses = {CitationStatus::kHearingScheduled};
  EXPECT_EQ(numbers(week), (std::vector<std::string>{later}));
}

TEST_P(CitationQueuesTest, AnOwnersCitationsAndRefusedQueries) {
  const auto mine = enter("95457620", "O1");
  enter("95457621", "O2");
  auto owner = app_->db().write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
    CD_ASSIGN(auto id, c.query_int("SELECT party_id FROM citation_holder WHERE id = 1"));
    CD_TRY(c.exec("UPDATE citations SET owner_party_id = ? WHERE number = ?", {id, mine}));
    return id;
  });
  ASSERT_TRUE(owner) << owner.error().message;
  CitationQuery q;
  q.owner_party_id = *owner;
  EXPECT_EQ(numbers(q), (std::vector<std::string>{mine}));

  auto refused = [&](CitationQuery bad) {
    auto r = book().list(bad);
    EXPECT_FALSE(r);
    return r ? std::string("accepted") : r.error().field;
  };
  EXPECT_EQ(refused(CitationQuery{}), "plate");  // no filter at all
  q.limit = 0;
  EXPECT_EQ(refused(q), "limit");
  q.limit = static_cast<std::int64_t>(kMaxPageSize) + 1;
  EXPECT_EQ(refused(q), "limit");
  q.limit = static_cast<std::int64_t>(kMaxPageSize);
  EXPECT_EQ(numbers(q).size(), 1u);
  q.offset = -1;
  EXPECT_EQ(refused(q), "offset");
  CitationQuery backwards;
  backwards.hearing_from = CivilDate{2026, 12, 4};
  backwards.hearing_to = CivilDate{2026, 11, 30};
  EXPECT_EQ(refused(backwards), "hearing_to");
}

TEST_P(CitationQueuesTest, TheApiFiltersPagesAndNamesABadParameter) {
  const auto a = enter("95457630", "A1");
  const auto b = enter("95457631", "A2");
  contest(a, "2026-11-19");
  contest(b, "2026-11-17");
  Client csr1 = sign_in("csr1");
  auto first =
      call("GET", "/api/v1/citations?status=review_requested,hearing_requested&limit=1", "", &csr1);
  ASSERT_EQ(first.status, 200) << first.raw;
  ASSERT_EQ(first.body.at("items").as_array().size(), 1u);
  const auto& item = first.body.at("items").as_array()[0];
  EXPECT_EQ(item.at("number").as_string(), b);
  EXPECT_EQ(item.at("contest_requested_on").as_string(), "2026-11-17");
  EXPECT_EQ(item.at("status").as_string(), "review_requested");
  EXPECT_EQ(first.body.at("next_offset").as_int64(), 1);
  auto second =
      call("GET", "/api/v1/citations?status=review_requested&limit=1&offset=1", "", &csr1);
  ASSERT_EQ(second.status, 200) << second.raw;
  EXPECT_EQ(second.body.at("items").as_array()[0].at("number").as_string(), a);
  EXPECT_TRUE(second.body.at("next_offset").is_null());

  auto week =
      call("GET", "/api/v1/citations?hearing_from=2026-11-30&hearing_to=2026-12-04", "", &csr1);
  ASSERT_EQ(week.status, 200) << week.raw;
  EXPECT_TRUE(week.body.at("items").as_array().empty());
  // The plate lookup is unchanged: every citation of the plate with the total due.
  auto plate = call("GET", "/api/v1/citations?plate=A1&state=CA", "", &csr1);
  ASSERT_EQ(plate.status, 200) << plate.raw;
  EXPECT_EQ(plate.body.at("total_due").as_string(), "87.00");

  auto bad = [&](const std::string& query) {
    auto r = call("GET", "/api/v1/citations?" + query, "", &csr1);
    EXPECT_EQ(r.status, 400) << query << ": " << r.raw;
    return r.error_field();
  };
  EXPECT_EQ(bad("status=contested"), "status");
  EXPECT_EQ(bad("hearing_from=2026-13-01"), "hearing_from");
  EXPECT_EQ(bad("status=review_requested&limit=x"), "limit");
  EXPECT_EQ(bad("status=review_requested&limit=201"), "limit");
  EXPECT_EQ(bad("owner=abc"), "owner");
  EXPECT_EQ(bad(""), "plate");
  EXPECT_EQ(call("GET", "/api/v1/citations?status=review_requested").status, 401);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CitationQueuesTest);

}  // namespace
}  // namespace civicdesk::testing
