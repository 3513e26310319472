// The contest decision letter: which event it describes (the latest decision, or the one named),
// and the text the owner must see (outcome, reason, who and when, amount due, and the next
// deadline: a hearing after a review, the court after a hearing, none after a dismissal), read
// from the uncompressed content stream.
#include "citations/decision_letter_pdf.h"

#include <gtest/gtest.h>

namespace civicdesk::citations {
namespace {

CitationEventRecord event(const std::string& name, const std::string& on,
                          const std::string& reason) {
  CitationEventRecord e;
  e.event = name;
  e.event_on = on;
  e.reason = reason;
  e.actor_name = "Carmen Diaz";
  return e;
}

Citation contested() {
  Citation ct;
  ct.record.citation_number = "954556436";
  ct.record.issued_on = CivilDate{2026, 10, 1};
  ct.record.violation_code = "TRC7.2.22";
  ct.record.plate_state = "CA";
  ct.record.plate = "7ABC123";
  ct.fine = Money::from_cents(50'00);
  ct.amount_due = Money::from_cents(50'00);
  ct.events = {event("request_review", "2026-10-10", "sign covered"),
               event("reduce_review", "2026-11-02", "first offence in five years"),
               event("request_hearing", "2026-11-05", ""),
               event("schedule_hearing", "2026-11-06", ""),
               event("uphold_at_hearing", "2026-11-03", "the photos show the sign")};
  return ct;
}

const BusinessCalendar kNoHolidays{{}};

std::string pdf_of(const DecisionLetter& l) {
  auto pdf = decision_letter_pdf(l, {.compress = false});
  EXPECT_TRUE(pdf) << pdf.error().message;
  return pdf ? *pdf : std::string();
}

TEST(DecisionLetter, TheLatestDecisionByDefaultAndAnEarlierOneByItsPosition) {
  const Citation ct = contested();
  auto latest = decision_letter(ct, 0, "City of Riverton", {}, kNoHolidays, "", {});
  ASSERT_TRUE(latest) << latest.error().message;
  EXPECT_EQ(latest->stage, "hearing");
  EXPECT_EQ(latest->outcome, "upheld");
  EXPECT_EQ(latest->addressee_name, "Registered owner of CA 7ABC123");
  // VC 40230: 20 days after Tuesday 2026-11-03 is Monday 2026-11-23.
  ASSERT_TRUE(latest->next_by);
  EXPECT_EQ(*latest->next_by, (CivilDate{2026, 11, 23}));
  const std::string court = pdf_of(*latest);
  for (const std::string text :
       {"(City of Riverton) Tj", "(NOTICE OF ADMINISTRATIVE HEARING DECISION) Tj",
        "(Registered owner of CA 7ABC123) Tj", "(Decision: UPHELD - the citation stands) Tj",
        "(the photos show the sign) Tj", "(Decided on 2026-11-03 by Carmen Diaz) Tj", "($50.00) Tj",
        "(To appeal to the court, do so by 2026-11-23) Tj"})
    EXPECT_NE(court.find(text), std::string::npos) << text;

  auto review = decision_letter(ct, 2, "City of Riverton", {}, kNoHolidays, "Ana Ruiz",
                                {"12 Elm St", "Riverton, CA 95001"});
  ASSERT_TRUE(review) << review.error().message;
  const std::string text = pdf_of(*review);
  // VC 40215(b): 21 days after Monday 2026-11-02 is Monday 2026-11-23.
  for (const std::string t :
       {"(NOTICE OF INITIAL REVIEW DECISION) Tj", "(Ana Ruiz) Tj", "(12 Elm St) Tj",
        "(Decision: REDUCED - the fine is now $50.00) Tj", "(first offence in five years) Tj",
        "(To request an administrative hearing, do so by 2026-11-23) Tj"})
    EXPECT_NE(text.find(t), std::string::npos) << t;
}

TEST(DecisionLetter, ADismissalHasNoNextDeadline) {
  Citation ct = contested();
  ct.events = {event("request_review", "2026-10-10", "sign covered"),
               event("dismiss_on_review", "2026-11-02", "photo shows the sign covered")};
  ct.amount_due = Money{};
  auto l = decision_letter(ct, 0, "City of Riverton", {}, kNoHolidays, "", {});
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_FALSE(l->next_by);
  EXPECT_EQ(l->fine.cents(), 0);
  const std::string text = pdf_of(*l);
  EXPECT_NE(text.find("(Decision: DISMISSED - the citation is cancelled) Tj"), std::string::npos);
  EXPECT_NE(text.find("(photo shows the sign covered) Tj"), std::string::npos);
  EXPECT_EQ(text.find("do so by"), std::string::npos);
}

TEST(DecisionLetter, NoDecisionOrAnEventThatIsNotOneIsNotFound) {
  Citation ct = contested();
  auto not_a_decision = decision_letter(ct, 1, "C", {}, kNoHolidays, "", {});
  ASSERT_FALSE(not_a_decision);
  EXPECT_EQ(not_a_decision.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(not_a_decision.error().field, "event");
  EXPECT_FALSE(decision_letter(ct, 99, "C", {}, kNoHolidays, "", {}));
  ct.events.resize(1);
  auto none = decision_letter(ct, 0, "C", {}, kNoHolidays, "", {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(is_decision_event("dismiss_in_court"));
  EXPECT_FALSE(is_decision_event("request_hearing"));
}

}  // namespace
}  // namespace civicdesk::citations
