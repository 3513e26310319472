#include "citations/scofflaw.h"

#include <gtest/gtest.h>

namespace civicdesk::citations {
namespace {

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}

PlateCitation cite(const char* state, const char* plate, const char* number, CitationStatus status,
                   std::int64_t balance, bool hold = false) {
  return {state, normalize_plate(plate), number, {status, hold}, usd(balance)};
}

TEST(ScofflawRule, WhichCitationsCount) {
  struct Case {
    CitationState state;
    std::int64_t balance;
    bool counts;
  };
  const Case cases[] = {
      {{CitationStatus::kDelinquent, false}, 8700, true},
      {{CitationStatus::kDelinquent, true}, 8700, true},
      {{CitationStatus::kPlanDefaulted, false}, 100, true},
      {{CitationStatus::kCollections, false}, 100, true},
      {{CitationStatus::kReviewDecided, true}, 100, true},  // held: delinquent before the contest
      {{CitationStatus::kReviewDecided, false}, 100, false},
      {{CitationStatus::kIssued, false}, 8700, false},
      {{CitationStatus::kNoticeSent, false}, 8700, false},
      {{CitationStatus::kOnPlan, true}, 8700, false},  // a kept plan releases the vehicle
      {{CitationStatus::kHearingScheduled, true}, 8700, false},
      {{CitationStatus::kDelinquent, false}, 0, false},  // paid down but not yet closed
      {{CitationStatus::kPaid, true}, 0, false},         // hold awaiting release
      {{CitationStatus::kWrittenOff, true}, 8700, false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(counts_toward_scofflaw(c.state, usd(c.balance)), c.counts)
        << to_string(c.state.status) << (c.state.dmv_hold ? " held" : "") << " " << c.balance;
}

TEST(ScofflawList, PlatesAtOrAboveTheThreshold) {
  const auto dq = CitationStatus::kDelinquent;
  const std::vector<PlateCitation> citations = {
      cite("CA", "7abc 123", "1", dq, 8700),
      cite("CA", "7ABC123", "2", dq, 9900),
      cite("CA", "7ABC-123", "3", CitationStatus::kCollections, 12100),
      cite("CA", "7ABC123", "4", CitationStatus::kIssued, 8700),  // not delinquent
      cite("OR", "7ABC123", "5", dq, 8700),                       // another state's plate
      cite("CA", "8XYZ999", "6", dq, 8700),
      cite("CA", "8XYZ999", "7", dq, 8700),
      cite("CA", "", "8", dq, 8700),  // no plate: never listed
  };
  auto at3 = scofflaw_list(citations, 3);
  ASSERT_TRUE(at3);
  ASSERT_EQ(at3->size(), 1u);
  EXPECT_EQ((*at3)[0].plate_state, "CA");
  EXPECT_EQ((*at3)[0].plate, "7ABC123");
  EXPECT_EQ((*at3)[0].delinquent_citations, 3);
  EXPECT_EQ((*at3)[0].total_due.cents(), 8700 + 9900 + 12100);
  EXPECT_EQ((*at3)[0].citation_numbers, (std::vector<std::string>{"1", "2", "3"}));
  // At 2 the second CA plate joins; ordered by state then plate. At 4, nobody.
  auto at2 = scofflaw_list(citations, 2);
  ASSERT_EQ(at2->size(), 2u);
  EXPECT_EQ((*at2)[1].plate, "8XYZ999");
  EXPECT_TRUE(scofflaw_list(citations, 4)->empty());
  EXPECT_EQ(scofflaw_list(citations, 1)->size(), 3u);
  EXPECT_EQ(scofflaw_list(citations, 0).error().field, "threshold");
}

TEST(ScofflawRelease, NeedsPaymentOrAPlanForEveryDelinquentCitation) {
  const auto dq = CitationStatus::kDelinquent;
  std::vector<PlateCitation> plate = {cite("CA", "7ABC123", "A1", dq, 8700, true),
                                      cite("CA", "7ABC123", "A2", dq, 9900),
                                      cite("CA", "7ABC123", "A3", CitationStatus::kIssued, 8700)};
  auto refused = check_boot_release(plate);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_NE(refused.error().message.find("A1, A2"), std::string::npos);
  plate[0].state = {CitationStatus::kPaid, true};
  plate[0].balance = usd(0);
  plate[1].state = {CitationStatus::kOnPlan, false};
  EXPECT_TRUE(check_boot_release(plate));  // A3 is not yet delinquent
  EXPECT_TRUE(check_boot_release({}));
}

TEST(ScofflawPlates, Normalized) {
  EXPECT_EQ(normalize_plate("7abc 123"), "7ABC123");
  EXPECT_EQ(normalize_plate(" 7-ABC-123 "), "7ABC123");
  EXPECT_EQ(normalize_plate(""), "");
}

}  // namespace
}  // namespace civicdesk::citations
