#include "citations/lifecycle.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace civicdesk::citations {
namespace {

// The expected table, written independently of lifecycle.cc: one row per status (in
// kCitationStatuses order), one column per event (in kCitationEvents order), for a citation
// without a DMV hold. A cell is the next status's abbreviation, "==" for "allowed, status kept"
// (place_hold), or ".." for a refusal.
//
// Columns: pay, send_notice, mark_delinquent, place_hold, release_hold, request_review,
// uphold_review, reduce_review, dismiss_on_review, request_hearing, schedule_hearing,
// uphold_at_hearing, reduce_at_hearing, dismiss_at_hearing, note_court_appeal, uphold_in_court,
// dismiss_in_court, enrol_plan, complete_plan, default_plan, write_off, send_to_collections,
// dismiss, void.
const std::map<std::string, CitationStatus> kAbbreviations = {
    {"IS", CitationStatus::kIssued},
    {"NS", CitationStatus::kNoticeSent},
    {"DQ", CitationStatus::kDelinquent},
    {"RR", CitationStatus::kReviewRequested},
    {"RD", CitationStatus::kReviewDecided},
    {"HR", CitationStatus::kHearingRequested},
    {"HS", CitationStatus::kHearingScheduled},
    {"HD", CitationStatus::kHearingDecided},
    {"CA", CitationStatus::kCourtAppeal},
    {"CD", CitationStatus::kCourtDecided},
    {"OP", CitationStatus::kOnPlan},
    {"PD", CitationStatus::kPlanDefaulted},
    {"CO", CitationStatus::kCollections},
    {"PA", CitationStatus::kPaid},
    {"DI", CitationStatus::kDismissed},
    {"WO", CitationStatus::kWrittenOff},
    {"VO", CitationStatus::kVoid},
};

const char* const kExpected[] = {
    //   pay no dq ph rh rr ur rd dr rh sh uh rh dh ca uc dc ep cp dp wo co di vo
    "IS  PA NS .. .. .. RR .. .. .. .. .. .. .. .. .. .. .. OP .. .. .. .. DI VO",
    "NS  PA .. DQ .. .. RR .. .. .. .. .. .. .. .. .. .. .. OP .. .. .. .. DI VO",
    "DQ  PA .. .. == .. RR .. .. .. .. .. .. .. .. .. .. .. OP .. .. WO CO DI VO",
    "RR  .. .. .. .. .. .. RD RD DI .. .. .. .. .. .. .. .. .. .. .. .. .. .. ..",
    "RD  PA NS DQ == .. .. .. .. .. HR .. .. .. .. .. .. .. OP .. .. WO CO DI ..",
    "HR  .. .. .. .. .. .. .. .. .. .. HS .. .. .. .. .. .. .. .. .. .. .. .. ..",
    "HS  .. .. .. .. .. .. .. .. .. .. HS HD HD DI .. .. .. .. .. .. .. .. .. ..",
    "HD  PA NS DQ == .. .. .. .. .. .. .. .. .. .. CA .. .. OP .. .. WO CO DI ..",
    "CA  .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. CD DI .. .. .. .. .. .. ..",
    "CD  PA NS DQ == .. .. .. .. .. .. .. .. .. .. .. .. .. OP .. .. WO CO DI ..",
    "OP  PA .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. PA PD .. .. DI ..",
    "PD  PA NS DQ == .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. WO CO DI ..",
    "CO  PA .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. WO .. DI ..",
    "PA  .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. ..",
    "DI  .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. ..",
    "WO  PA .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. ..",
    "VO  .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. ..",
};

// With a hold, every cell is the same except the hold events: place_hold is refused, and
// release_hold is allowed once nothing more is owed or the citation is on a plan.
const std::set<CitationStatus> kReleasable = {CitationStatus::kPaid, CitationStatus::kDismissed,
                                              CitationStatus::kWrittenOff, CitationStatus::kVoid,
                                              CitationStatus::kOnPlan};

std::vector<std::string> cells(const char* row) {
  std::istringstream in(row);
  std::vector<std::string> out;
  for (std::string cell; in >> cell;) out.push_back(cell);
  return out;
}

TEST(LifecycleTable, EveryStatusEventAndHoldTriple) {
  ASSERT_EQ(std::size(kExpected), std::size(kCitationStatuses));
  int tried = 0, allowed = 0;
  for (std::size_t s = 0; s < std::size(kCitationStatuses); ++s) {
    const std::vector<std::string> row = cells(kExpected[s]);
    ASSERT_EQ(row.size(), 1 + std::size(kCitationEvents)) << kExpected[s];
    const CitationStatus status = kCitationStatuses[s];
    ASSERT_EQ(kAbbreviations.at(row[0]), status) << kExpected[s];
    for (std::size_t e = 0; e < std::size(kCitationEvents); ++e) {
      const CitationEvent event = kCitationEvents[e];
      for (bool hold : {false, true}) {
        SCOPED_TRACE(std::string(to_string(status)) + " + " + std::string(to_string(event)) +
                     (hold ? " (hold)" : ""));
        std::optional<CitationState> expected;
        const std::string& cell = row[1 + e];
        if (event == CitationEvent::kReleaseHold) {
          ASSERT_EQ(cell, "..");  // without a hold there is nothing to release
          if (hold && kReleasable.contains(status)) expected = CitationState{status, false};
        } else if (event == CitationEvent::kPlaceHold) {
          if (cell == "==" && !hold) expected = CitationState{status, true};
        } else if (cell != "..") {
          expected = CitationState{kAbbreviations.at(cell), hold};
        }
        const auto next = transition(CitationState{status, hold}, event);
        ++tried;
        if (expected) {
          ++allowed;
          ASSERT_TRUE(next.has_value()) << next.error().message;
          EXPECT_EQ(*next, *expected);
        } else {
          ASSERT_FALSE(next.has_value());
          EXPECT_EQ(next.error().code, ErrorCode::kUnprocessable);
          EXPECT_EQ(next.error().field, "status");
          EXPECT_FALSE(next.error().message.empty());
        }
      }
    }
  }
  EXPECT_EQ(tried, 17 * 24 * 2);
  // 71 cells allowed without a hold; with one, the 5 place_hold cells are refused and the 5
  // releases allowed.
  EXPECT_EQ(allowed, 71 + 71 - 5 + 5);
}

TEST(LifecycleTable, RefusalsSayWhatToDoInstead) {
  auto pay = transition({CitationStatus::kHearingScheduled, false}, CitationEvent::kPay);
  EXPECT_NE(pay.error().message.find("contest is pending"), std::string::npos);
  auto again = transition({CitationStatus::kDelinquent, true}, CitationEvent::kPlaceHold);
  EXPECT_EQ(again.error().message, "a DMV hold is already placed");
  auto early = transition({CitationStatus::kDelinquent, true}, CitationEvent::kReleaseHold);
  EXPECT_NE(early.error().message.find("hold stays while the citation is delinquent"),
            std::string::npos);
  auto none = transition({CitationStatus::kPaid, false}, CitationEvent::kReleaseHold);
  EXPECT_EQ(none.error().message, "there is no DMV hold to release");
  auto reenrol = transition({CitationStatus::kPlanDefaulted, false}, CitationEvent::kEnrolPlan);
  EXPECT_NE(reenrol.error().message.find("cannot be entered again"), std::string::npos);
  auto void_late = transition({CitationStatus::kReviewDecided, false}, CitationEvent::kVoid);
  EXPECT_NE(void_late.error().message.find("dismiss it instead"), std::string::npos);
}

TEST(LifecycleTable, AContestFromIssueToCourt) {
  CitationState s;
  for (CitationEvent e :
       {CitationEvent::kRequestReview, CitationEvent::kUpholdReview, CitationEvent::kRequestHearing,
        CitationEvent::kScheduleHearing, CitationEvent::kScheduleHearing,
        CitationEvent::kReduceAtHearing, CitationEvent::kNoteCourtAppeal,
        CitationEvent::kUpholdInCourt, CitationEvent::kPay}) {
    auto next = transition(s, e);
    ASSERT_TRUE(next) << to_string(e) << ": " << next.error().message;
    s = *next;
  }
  EXPECT_EQ(s, (CitationState{CitationStatus::kPaid, false}));
}

TEST(LifecycleTable, AHeldCitationKeepsItsHoldUntilReleased) {
  CitationState s{CitationStatus::kIssued, false};
  for (CitationEvent e :
       {CitationEvent::kSendNotice, CitationEvent::kMarkDelinquent, CitationEvent::kPlaceHold,
        CitationEvent::kSendToCollections, CitationEvent::kPay}) {
    s = transition(s, e).value();
  }
  EXPECT_EQ(s, (CitationState{CitationStatus::kPaid, true}));
  s = transition(s, CitationEvent::kReleaseHold).value();
  EXPECT_EQ(s, (CitationState{CitationStatus::kPaid, false}));
}

TEST(LifecycleNames, RoundTripAndRefuseUnknown) {
  for (CitationStatus s : kCitationStatuses) EXPECT_EQ(parse_citation_status(to_string(s)), s);
  for (CitationEvent e : kCitationEvents) EXPECT_EQ(parse_citation_event(to_string(e)), e);
  EXPECT_EQ(parse_citation_status("open").error().field, "status");
  EXPECT_EQ(parse_citation_event("cancel", "events[2]").error().field, "events[2]");
  EXPECT_EQ(to_string(CitationStatus::kNoticeSent), "notice_sent");
  EXPECT_EQ(to_string(CitationEvent::kSendToCollections), "send_to_collections");
}

TEST(LifecyclePredicates, OwedPendingClosedPartitionTheOpenStatuses) {
  int owed = 0, pending = 0, closed = 0;
  for (CitationStatus s : kCitationStatuses) {
    const int groups = is_owed(s) + is_contest_pending(s) + is_closed(s);
    EXPECT_LE(groups, 1) << to_string(s);
    owed += is_owed(s);
    pending += is_contest_pending(s);
    closed += is_closed(s);
  }
  EXPECT_EQ(owed, 7);     // issued, notice_sent, delinquent, 3 decided, plan_defaulted
  EXPECT_EQ(pending, 4);  // review_requested, hearing_requested, hearing_scheduled, court_appeal
  EXPECT_EQ(closed, 4);   // paid, dismissed, written_off, void (on_plan, collections: neither)
}

TEST(LifecycleVoid, NeedsAReasonAndASupervisorWhoIsSomeoneElse) {
  const std::vector<std::string> roles = {"supervisor"};
  const VoidRequest ok{"wrong plate keyed: 7ABC123 is 7ABC128", "csr2.ann", "sup.bob",
                       "supervisor"};
  EXPECT_TRUE(check_void(ok, roles));
  struct Case {
    VoidRequest request;
    ErrorCode code;
    const char* field;
  };
  const Case cases[] = {
      {{"", "csr2.ann", "sup.bob", "supervisor"}, ErrorCode::kInvalidInput, "reason"},
      {{"  \n", "csr2.ann", "sup.bob", "supervisor"}, ErrorCode::kInvalidInput, "reason"},
      {{std::string(4001, 'x'), "csr2.ann", "sup.bob", "supervisor"},
       ErrorCode::kInvalidInput,
       "reason"},
      {{"typo", "csr2.ann", "", ""}, ErrorCode::kForbidden, "approved_by"},
      {{"typo", "sup.bob", "sup.bob", "supervisor"}, ErrorCode::kForbidden, "approved_by"},
      {{"typo", "csr2.ann", "csr3.cy", "csr3"}, ErrorCode::kForbidden, "approved_by"},
  };
  for (const Case& c : cases) {
    auto r = check_void(c.request, roles);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_EQ(r.error().field, c.field);
  }
  EXPECT_TRUE(check_void({std::string(4000, 'x'), "a", "b", "supervisor"}, roles));
}

}  // namespace
}  // namespace civicdesk::citations
