#include "citations/lifecycle.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "core/limits.h"

namespace civicdesk::citations {
namespace {

using S = CitationStatus;
using E = CitationEvent;

constexpr std::uint32_t bit(S s) {
  return 1u << static_cast<int>(s);
}
template <class... Ss>
constexpr std::uint32_t set_of(Ss... s) {
  return (bit(s) | ...);
}

constexpr std::uint32_t kDecided = set_of(S::kReviewDecided, S::kHearingDecided, S::kCourtDecided);
constexpr std::uint32_t kOwed =
    set_of(S::kIssued, S::kNoticeSent, S::kDelinquent, S::kPlanDefaulted) | kDecided;
constexpr std::uint32_t kContestPending =
    set_of(S::kReviewRequested, S::kHearingRequested, S::kHearingScheduled, S::kCourtAppeal);
constexpr std::uint32_t kClosed = set_of(S::kPaid, S::kDismissed, S::kWrittenOff, S::kVoid);
constexpr std::uint32_t kBeforeDelinquencyEnds = set_of(S::kIssued, S::kNoticeSent, S::kDelinquent);

// One row per event: the statuses it may follow and the status it leads to (nullopt: the status
// is kept, for the hold events).
struct Rule {
  E event;
  std::uint32_t from;
  std::optional<S> to;
};

constexpr Rule kTable[] = {
    {E::kPay, kOwed | set_of(S::kOnPlan, S::kCollections, S::kWrittenOff), S::kPaid},
    {E::kSendNotice, set_of(S::kIssued, S::kPlanDefaulted) | kDecided, S::kNoticeSent},
    {E::kMarkDelinquent, set_of(S::kNoticeSent, S::kPlanDefaulted) | kDecided, S::kDelinquent},
    {E::kPlaceHold, set_of(S::kDelinquent, S::kPlanDefaulted) | kDecided, std::nullopt},
    {E::kReleaseHold, kClosed | set_of(S::kOnPlan), std::nullopt},
    {E::kRequestReview, kBeforeDelinquencyEnds, S::kReviewRequested},
    {E::kUpholdReview, set_of(S::kReviewRequested), S::kReviewDecided},
    {E::kReduceReview, set_of(S::kReviewRequested), S::kReviewDecided},
    {E::kDismissOnReview, set_of(S::kReviewRequested), S::kDismissed},
    {E::kRequestHearing, set_of(S::kReviewDecided), S::kHearingRequested},
    {E::kScheduleHearing, set_of(S::kHearingRequested, S::kHearingScheduled), S::kHearingScheduled},
    {E::kUpholdAtHearing, set_of(S::kHearingScheduled), S::kHearingDecided},
    {E::kReduceAtHearing, set_of(S::kHearingScheduled), S::kHearingDecided},
    {E::kDismissAtHearing, set_of(S::kHearingScheduled), S::kDismissed},
    {E::kNoteCourtAppeal, set_of(S::kHearingDecided), S::kCourtAppeal},
    {E::kUpholdInCourt, set_of(S::kCourtAppeal), S::kCourtDecided},
    {E::kDismissInCourt, set_of(S::kCourtAppeal), S::kDismissed},
    {E::kEnrolPlan, kBeforeDelinquencyEnds | kDecided, S::kOnPlan},
    {E::kCompletePlan, set_of(S::kOnPlan), S::kPaid},
    {E::kDefaultPlan, set_of(S::kOnPlan), S::kPlanDefaulted},
    {E::kWriteOff, set_of(S::kDelinquent, S::kPlanDefaulted, S::kCollections) | kDecided,
     S::kWrittenOff},
    {E::kSendToCollections, set_of(S::kDelinquent, S::kPlanDefaulted) | kDecided, S::kCollections},
    {E::kDismiss, kOwed | set_of(S::kOnPlan, S::kCollections), S::kDismissed},
    {E::kVoid, kBeforeDelinquencyEnds, S::kVoid},
};

const Rule& rule_for(E event) {
  for (const Rule& r : kTable)
    if (r.event == event) return r;
  // Every event has a row (the exhaustive test walks them all).
  static const Rule kNone{event, 0, std::nullopt};
  return kNone;
}

// What to do instead, for the refusals a CSR meets most; empty when nothing useful applies.
std::string hint(CitationState state, E event) {
  const std::uint32_t s = bit(state.status);
  if (s & kClosed) return "the citation is closed; nothing more can happen to it";
  if (event == E::kPay && (s & kContestPending))
    return "a contest is pending: the payment stays on the citation's account, and the "
           "citation becomes paid when the contest is decided";
  if (event == E::kPay || event == E::kDismiss) return "";
  if (event == E::kRequestReview)
    return "an initial review can only be requested before a decision, a plan or collections";
  if (event == E::kRequestHearing)
    return "a hearing follows an initial review decision (upheld or reduced)";
  if (event == E::kVoid)
    return "a void is for a citation issued in error, before any contest or plan; dismiss it "
           "instead";
  if (event == E::kEnrolPlan && state.status == S::kPlanDefaulted)
    return "a defaulted plan cannot be entered again";
  if (event == E::kEnrolPlan && (s & kContestPending)) return "decide the pending contest first";
  return "";
}

std::string refusal(CitationState state, E event) {
  if (event == E::kPlaceHold && state.dmv_hold) return "a DMV hold is already placed";
  if (event == E::kReleaseHold && !state.dmv_hold) return "there is no DMV hold to release";
  if (event == E::kReleaseHold)
    return "the hold stays while the citation is " + std::string(to_string(state.status)) +
           ": release it after payment, dismissal, a void, a write-off or a plan enrolment";
  std::string message = "cannot " + std::string(to_string(event)) + " a citation that is " +
                        std::string(to_string(state.status));
  if (const std::string h = hint(state, event); !h.empty()) message += ": " + h;
  return message;
}

constexpr std::string_view kStatusNames[] = {
    "issued",
    "notice_sent",
    "delinquent",
    "review_requested",
    "review_decided",
    "hearing_requested",
    "hearing_scheduled",
    "hearing_decided",
    "court_appeal",
    "court_decided",
    "on_plan",
    "plan_defaulted",
    "collections",
    "paid",
    "dismissed",
    "written_off",
    "void",
};
constexpr std::string_view kEventNames[] = {
    "pay",
    "send_notice",
    "mark_delinquent",
    "place_hold",
    "release_hold",
    "request_review",
    "uphold_review",
    "reduce_review",
    "dismiss_on_review",
    "request_hearing",
    "schedule_hearing",
    "uphold_at_hearing",
    "reduce_at_hearing",
    "dismiss_at_hearing",
    "note_court_appeal",
    "uphold_in_court",
    "dismiss_in_court",
    "enrol_plan",
    "complete_plan",
    "default_plan",
    "write_off",
    "send_to_collections",
    "dismiss",
    "void",
};
static_assert(std::size(kStatusNames) == std::size(kCitationStatuses));
static_assert(std::size(kEventNames) == std::size(kCitationEvents));
static_assert(std::size(kTable) == std::size(kCitationEvents));

}  // namespace

std::string_view to_string(CitationStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}
std::string_view to_string(CitationEvent event) {
  return kEventNames[static_cast<std::size_t>(event)];
}

Result<CitationStatus> parse_citation_status(std::string_view text, std::string_view field) {
  for (CitationStatus s : kCitationStatuses)
    if (to_string(s) == text) return s;
  return fail(ErrorCode::kInvalidInput, "\"" + std::string(text) + "\" is not a citation status",
              std::string(field));
}

Result<CitationEvent> parse_citation_event(std::string_view text, std::string_view field) {
  for (CitationEvent e : kCitationEvents)
    if (to_string(e) == text) return e;
  return fail(ErrorCode::kInvalidInput, "\"" + std::string(text) + "\" is not a citation event",
              std::string(field));
}

Result<CitationState> transition(CitationState state, CitationEvent event) {
  const Rule& rule = rule_for(event);
  const bool allowed = (rule.from & bit(state.status)) != 0 &&
                       (event != E::kPlaceHold || !state.dmv_hold) &&
                       (event != E::kReleaseHold || state.dmv_hold);
  if (!allowed) return fail(ErrorCode::kUnprocessable, refusal(state, event), "status");
  CitationState next = state;
  if (rule.to) next.status = *rule.to;
  if (event == E::kPlaceHold) next.dmv_hold = true;
  if (event == E::kReleaseHold) next.dmv_hold = false;
  return next;
}

bool is_owed(CitationStatus status) {
  return (kOwed & bit(status)) != 0;
}
bool is_contest_pending(CitationStatus status) {
  return (kContestPending & bit(status)) != 0;
}
bool is_closed(CitationStatus status) {
  return (kClosed & bit(status)) != 0;
}

Result<void> check_void(const VoidRequest& request, std::span<const std::string> approver_roles) {
  if (request.reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(ErrorCode::kInvalidInput,
                "a void needs the reason the citation was issued in error", "reason");
  CD_TRY(check_length(request.reason, kMaxNoteLength, "reason"));
  if (request.approved_by.empty())
    return fail(ErrorCode::kForbidden, "a void needs a supervisor's approval", "approved_by");
  if (request.approved_by == request.requested_by)
    return fail(ErrorCode::kForbidden,
                "a void must be approved by someone other than the person "
                "asking for it",
                "approved_by");
  if (std::find(approver_roles.begin(), approver_roles.end(), request.approver_role) ==
      approver_roles.end())
    return fail(ErrorCode::kForbidden,
                "the role " + request.approver_role + " may not approve a void", "approved_by");
  return {};
}

}  // namespace civicdesk::citations
