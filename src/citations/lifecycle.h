// The lifecycle of a parking citation, as a table: (state, event) → next state, or a refusal
// with a reason a person reads. `transition` is the one function that enforces it; the citation
// service calls it before every change and a test tries every pair. Pure and thread-safe.
//
// A state is a status plus whether a DMV registration hold is on the vehicle. The hold is a
// separate flag because it outlives the debt: a held citation that is paid, dismissed, voided or
// written off keeps its hold until the next DMV file releases it ("paid → hold released").
//
//   issued ──send_notice──▶ notice_sent ──mark_delinquent──▶ delinquent ──place_hold──▶ (+hold)
//     │                         │                               │ └─send_to_collections──▶
//     collections └──request_review─────────┴───────────────────────────────┘
//            ▼
//   review_requested ──uphold/reduce──▶ review_decided ──request_hearing──▶ hearing_requested
//            └──dismiss_on_review──▶ dismissed            ──schedule_hearing──▶ hearing_scheduled
//   hearing_scheduled ──uphold/reduce──▶ hearing_decided ──note_court_appeal──▶ court_appeal
//   court_appeal ──uphold_in_court──▶ court_decided;  ──dismiss_in_court──▶ dismissed
//   owed ──enrol_plan──▶ on_plan ──complete_plan──▶ paid;  ──default_plan──▶ plan_defaulted
//   owed | on_plan | collections ──pay──▶ paid;  ──dismiss──▶ dismissed (administrative)
//   written_off ──pay──▶ paid (a recovery: the ledger reverses the write-off first)
//   issued | notice_sent | delinquent ──void──▶ void (issued in error: check_void first)
//
// "Owed" states are those in which the fine is due and penalties accrue: issued, notice_sent,
// delinquent, the three *_decided states (upheld or reduced) and plan_defaulted. A decided
// citation rejoins the escalation chain (send_notice, mark_delinquent, place_hold, collections).
//
// The table says what can follow what; it is necessary, not sufficient. Timing is checked by
// deadlines.h (a review requested after its deadline is refused there), who may act by the
// permissions in the City config, and a void's reason and supervisor by check_void. Payment in
// full is refused while a contest is pending: the payment (for a hearing, the deposit) stays on
// the citation's account and the citation becomes paid once the contest is decided.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::citations {

enum class CitationStatus {
  kIssued,
  kNoticeSent,        // the delinquency notice was mailed to the registered owner
  kDelinquent,        // the notice's period lapsed unpaid
  kReviewRequested,   // contested: initial review pending (VC 40215(a))
  kReviewDecided,     // review upheld or reduced the fine: owed
  kHearingRequested,  // administrative hearing requested (VC 40215(b))
  kHearingScheduled,  // on a hearing officer's calendar
  kHearingDecided,    // hearing upheld or reduced: owed
  kCourtAppeal,       // appeal to the superior court noted (VC 40230)
  kCourtDecided,      // the court upheld: owed, final
  kOnPlan,            // indigent payment plan (VC 40220): penalties suspended
  kPlanDefaulted,     // the plan broke: waived late fees reinstated, owed
  kCollections,       // referred to the collection agency
  kPaid,
  kDismissed,
  kWrittenOff,
  kVoid,  // issued in error
};

enum class CitationEvent {
  kPay,  // paid in full
  kSendNotice,
  kMarkDelinquent,
  kPlaceHold,
  kReleaseHold,
  kRequestReview,
  kUpholdReview,
  kReduceReview,
  kDismissOnReview,
  kRequestHearing,
  kScheduleHearing,  // also reschedules
  kUpholdAtHearing,
  kReduceAtHearing,
  kDismissAtHearing,
  kNoteCourtAppeal,
  kUpholdInCourt,
  kDismissInCourt,
  kEnrolPlan,
  kCompletePlan,  // the last installment was paid
  kDefaultPlan,
  kWriteOff,
  kSendToCollections,
  kDismiss,  // administrative dismissal (stolen vehicle, court order)
  kVoid,
};

inline constexpr CitationStatus kCitationStatuses[] = {
    CitationStatus::kIssued,
    CitationStatus::kNoticeSent,
    CitationStatus::kDelinquent,
    CitationStatus::kReviewRequested,
    CitationStatus::kReviewDecided,
    CitationStatus::kHearingRequested,
    CitationStatus::kHearingScheduled,
    CitationStatus::kHearingDecided,
    CitationStatus::kCourtAppeal,
    CitationStatus::kCourtDecided,
    CitationStatus::kOnPlan,
    CitationStatus::kPlanDefaulted,
    CitationStatus::kCollections,
    CitationStatus::kPaid,
    CitationStatus::kDismissed,
    CitationStatus::kWrittenOff,
    CitationStatus::kVoid,
};

inline constexpr CitationEvent kCitationEvents[] = {
    CitationEvent::kPay,
    CitationEvent::kSendNotice,
    CitationEvent::kMarkDelinquent,
    CitationEvent::kPlaceHold,
    CitationEvent::kReleaseHold,
    CitationEvent::kRequestReview,
    CitationEvent::kUpholdReview,
    CitationEvent::kReduceReview,
    CitationEvent::kDismissOnReview,
    CitationEvent::kRequestHearing,
    CitationEvent::kScheduleHearing,
    CitationEvent::kUpholdAtHearing,
    CitationEvent::kReduceAtHearing,
    CitationEvent::kDismissAtHearing,
    CitationEvent::kNoteCourtAppeal,
    CitationEvent::kUpholdInCourt,
    CitationEvent::kDismissInCourt,
    CitationEvent::kEnrolPlan,
    CitationEvent::kCompletePlan,
    CitationEvent::kDefaultPlan,
    CitationEvent::kWriteOff,
    CitationEvent::kSendToCollections,
    CitationEvent::kDismiss,
    CitationEvent::kVoid,
};

struct CitationState {
  CitationStatus status = CitationStatus::kIssued;
  bool dmv_hold = false;  // a registration hold is placed (and not yet released)
  bool operator==(const CitationState&) const = default;
};

// Stable names (snake_case, as stored and as the API spells them).
std::string_view to_string(CitationStatus status);
std::string_view to_string(CitationEvent event);
// kInvalidInput naming `field` for an unknown name.
[[nodiscard]] Result<CitationStatus> parse_citation_status(std::string_view text,
                                                           std::string_view field = "status");
[[nodiscard]] Result<CitationEvent> parse_citation_event(std::string_view text,
                                                         std::string_view field = "event");

// The next state, or kUnprocessable (field "status") with a message naming the state and, where
// there is one, what to do instead.
[[nodiscard]] Result<CitationState> transition(CitationState state, CitationEvent event);

// Penalties and escalation steps accrue only in owed states (see above).
bool is_owed(CitationStatus status);
// A contest (review, hearing or court appeal) is waiting for a decision: penalties suspended.
bool is_contest_pending(CitationStatus status);
// Nothing more is owed or decided: paid, dismissed, written off, void.
bool is_closed(CitationStatus status);

// A void of a citation issued in error names a reason and is approved by a supervisor who is not
// the person asking. `approver_roles` come from the City config (citations.void_approver_roles).
struct VoidRequest {
  std::string reason;         // free text, e.g. "wrong plate keyed: 7ABC123 is 7ABC128"
  std::string requested_by;   // username
  std::string approved_by;    // username of the approving supervisor
  std::string approver_role;  // that user's role
};
// kInvalidInput (field "reason") when the reason is empty or longer than kMaxNoteLength;
// kForbidden (field "approved_by") when there is no approver, the approver is the requester, or
// the approver's role is not one of `approver_roles`.
[[nodiscard]] Result<void> check_void(const VoidRequest& request,
                                      std::span<const std::string> approver_roles);

}  // namespace civicdesk::citations
