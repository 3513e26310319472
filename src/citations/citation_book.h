// The citation book: parking citations in the store, with their money in the ledger. The thin
// service around the pure domain core (lifecycle.h, citation_rules.h, deadlines.h, scofflaw.h,
// issuance_import.h): it loads a citation, asks the core what may happen, and writes the
// decision — the citation row, its history event, the steps posted, the ledger entries, the
// audit record — in one write transaction.
//
// Money. A citation is an obligation of kind citations.obligation_kind with one charge line (the
// fine, on fine_account), account_ref "plate:STATE:PLATE" (a plate's citations are paid together
// through the ledger's account_ref), source_ref "citation:NUMBER". The ledger cannot add a line
// to an existing obligation, so each late penalty is an obligation of its own: same kind and
// account_ref, source_ref "citation:NUMBER:step:N", one line on penalty_account with
// is_penalty = true; the step row points at it. A citation's amount due is the sum of those
// obligations' balances. Until the DMV names the registered owner (dmv_book.h), a citation's
// obligations sit on one holding party ("Parking citations: registered owner not yet known"),
// created once; the DMV response moves them to the owner (Ledger::reassign_within), and a
// citation of a plate whose owner is already known is charged to the owner (owner_of_record).
//
// Inside the transaction, obligations are written with Ledger::charge_within, so a citation and
// its obligation, or a step row and its penalty, commit together. They ask for no credit
// application (apply_credit = false): the holding party's credit is many plates' money.
//
// Imports. The file is parsed (civicdesk layout, or the SFMTA / NYC adapters), checked once by
// check_issuance, then the accepted records are written kCitationsPerTransaction per
// transaction. A number already stored with the same content is skipped (compare_with_existing),
// with other content refused. The same file again (by BLAKE2b hash) posts nothing.
//
// Corrections that the ledger owns run through its public functions with idempotency keys
// derived from the citation ("citation:NUMBER:void", ":dismiss", ":reduce"), before the
// citation's own change: a retry after a failure in between replays the ledger and finishes.
//
// Escalation. escalate(as_of) reads only citations with next_step_due_on <= as_of (indexed),
// asks due_steps, and posts each step with its UNIQUE (citation, step) row in the same
// transaction as the penalty; then recomputes next_step_due_on. A payment in full marks the
// citation paid in the payment's own commit (settle_within, the ledger's settlement hook,
// docs/decisions/008-settlement-hook.md); the run marks paid only what no payment settled (a
// credit application, a transfer). A notice step also records its notice (notice_book.h).
//
// Result codes: kInvalidInput (field named; "line N: FIELD" in imports), kNotFound,
// kUnprocessable (the lifecycle or a deadline refused it), kForbidden (a void's approver),
// kConflict (number taken), kTooLarge, kStorage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citations/citation_rules.h"
#include "citations/deadlines.h"
#include "citations/dmv_book.h"
#include "citations/issuance_import.h"
#include "citations/lifecycle.h"
#include "citations/notice_book.h"
#include "citations/scofflaw.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/money.h"
#include "customers/party_book.h"
#include "ledger/ledger.h"
#include "store/db.h"

namespace civicdesk::citations {

inline constexpr int kCitationsPerTransaction = 1'000;
inline constexpr int kMaxCitationsPerLookup = 500;

enum class IssuanceFormat { kCivicdesk, kSf, kNyc };
[[nodiscard]] Result<IssuanceFormat> parse_issuance_format(std::string_view text);

// Manual entry: the fields of the issuance file (docs/formats/citation-issuance.md).
struct CitationInput {
  std::string number;
  std::string issued_at;  // "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"
  std::string location;
  std::string violation_code;
  std::optional<Money> fine;  // as written; the schedule decides what is charged
  std::string plate, plate_state, make, color, vin, officer_id, device_id, notes;
};

struct CitationEventRecord {
  std::string event, from_status, to_status;
  bool dmv_hold = false;
  std::string event_on, reason, actor_name, approved_by_name;
  Timestamp at_us = 0;
};

struct CitationStepRecord {
  int number = 0;
  std::string kind, name, due_on, posted_on;
  Money amount;
  std::int64_t obligation_id = 0;
  bool without_effect = false;
  std::string note;
};

struct DeadlineView {
  std::string name;  // review_request | hearing_request | court_appeal
  std::string last_day;
  std::string description;
};

struct Citation {
  std::int64_t id = 0;
  IssuanceRecord record;  // number, dates, place, vehicle, officer (line unused)
  CitationState state;
  Money fine;  // charged (the schedule on the issue date), after a reduction the fine owed
  std::int64_t owner_party_id = 0;
  std::int64_t obligation_id = 0;
  std::int64_t ledger_party_id = 0;  // the party the obligations are on (the holder, for now)
  std::optional<CivilDate> next_step_due_on;
  std::optional<CivilDate> notice_mailed_on, decision_on, hearing_on;
  std::string source;  // import | manual
  Money amount_due;    // the balances of the fine's and the penalties' obligations
  Money penalties;     // penalties posted
  // Filled by `list`: the day the pending review, hearing or court appeal was requested.
  std::optional<CivilDate> contest_requested_on;
  // Filled by `citation(number)`:
  std::vector<CitationEventRecord> events;
  std::vector<CitationStepRecord> steps;
  std::vector<DeadlineView> deadlines;
  CitationDmvView dmv;  // the registered owner and the DMV hold files (dmv_book.h)
  std::vector<NoticeRecord> notices;  // delinquency notices (notice_book.h), oldest first
};

struct ImportResult {
  std::int64_t id = 0;
  std::int64_t rows = 0;
  std::int64_t accepted = 0;  // passed the checks (created + skipped)
  std::int64_t created = 0;   // new citations (by this run)
  std::int64_t skipped = 0;   // already stored, same content
  Money created_total;        // fines charged by this run
  std::vector<LineProblem> refused;
  std::vector<LineProblem> warnings;
  bool already_imported = false;  // the same file was imported before: nothing posted
};

struct EscalationResult {
  CivilDate as_of;
  std::int64_t citations_examined = 0;
  std::int64_t steps_posted = 0;
  std::int64_t penalties_posted = 0;
  Money penalty_total;
  std::int64_t marked_paid = 0;
};

// The queues' lookup: the contest-review queue (status review_requested), the hearing calendar
// (hearing_from/hearing_to), an owner's citations. Every filter given must hold; at least one
// is required. Order: by hearing day when hearing dates are given; oldest request first when
// every status asked for is a pending contest (review_requested, hearing_requested,
// court_appeal); else newest issue first. Ties by id, so pages do not overlap.
struct CitationQuery {
  std::vector<CitationStatus> statuses;               // any of these; empty: any status
  std::optional<CivilDate> hearing_from, hearing_to;  // hearing_on within [from, to]
  std::int64_t owner_party_id = 0;                    // 0: any owner
  std::int64_t limit = 50;                            // 1..kMaxPageSize
  std::int64_t offset = 0;
};

struct CitationPage {
  std::vector<Citation> items;  // without events, steps and deadlines
  bool more = false;            // rows follow this page
};

enum class DecisionOutcome { kUpheld, kDismissed, kReduced };
[[nodiscard]] Result<DecisionOutcome> parse_decision_outcome(std::string_view text);

struct DecisionInput {
  std::string outcome;                // upheld | dismissed | reduced
  std::string reason;                 // required
  std::optional<Money> reduced_fine;  // reduced: the fine owed after the decision (< fine)
  std::string decided_on;             // "" = today
};

class CitationBook {
 public:
  CitationBook(store::Database& db, ledger::Ledger& ledger, customers::PartyBook& parties,
               const CityConfig& city, const Clock& clock);

  [[nodiscard]] Result<ImportResult> import_issuance(const Actor& actor, std::string_view content,
                                                     IssuanceFormat format);
  [[nodiscard]] Result<Citation> create(const Actor& actor, const CitationInput& input);

  // A void of a citation issued in error: `actor` approves the request of `requested_by` (a
  // username); check_void decides (reason, approver ≠ requester, approver's role).
  [[nodiscard]] Result<Citation> void_citation(const Actor& actor, const std::string& number,
                                               const std::string& reason,
                                               const std::string& requested_by);
  // Initial review requested (VC 40215(a)) on `requested_on` ("" = today), within its deadline.
  [[nodiscard]] Result<Citation> request_review(const Actor& actor, const std::string& number,
                                                const std::string& reason,
                                                const std::string& requested_on);
  // The decision of a pending review or a scheduled hearing.
  [[nodiscard]] Result<Citation> decide(const Actor& actor, const std::string& number,
                                        const DecisionInput& input);
  [[nodiscard]] Result<Citation> request_hearing(const Actor& actor, const std::string& number,
                                                 const std::string& reason,
                                                 const std::string& requested_on);
  // A court appeal (VC 40230) noted within its period of the hearing decision; decide() then
  // takes the court's decision (upheld or dismissed).
  [[nodiscard]] Result<Citation> note_court_appeal(const Actor& actor, const std::string& number,
                                                   const std::string& reason,
                                                   const std::string& filed_on);
  [[nodiscard]] Result<Citation> schedule_hearing(const Actor& actor, const std::string& number,
                                                  const std::string& hearing_on);

  [[nodiscard]] Result<EscalationResult> escalate(const Actor& actor, CivilDate as_of);
  // The ledger's settlement hook (ledger.h SettlementHook), inside the payment's transaction:
  // each owed citation (or one in collections) whose fine and penalties the payment brought to
  // zero gets its `pay` transition now. A citation in a pending contest stays contested (the
  // payment is a deposit, VC 40215(b)); one on a plan is completed by its plan.
  [[nodiscard]] Result<void> settle_within(store::Connection& c, const Actor& actor,
                                           const std::vector<std::int64_t>& settled_obligations);

  [[nodiscard]] Result<Citation> citation(const std::string& number);
  // A plate's citations (any owner), newest issue first, at most kMaxCitationsPerLookup.
  [[nodiscard]] Result<std::vector<Citation>> by_plate(const std::string& plate_state,
                                                       const std::string& plate);
  // kInvalidInput naming the parameter: no filter, a bad limit or offset, from after to.
  [[nodiscard]] Result<CitationPage> list(const CitationQuery& query);
  [[nodiscard]] Result<std::vector<ScofflawEntry>> scofflaws();

  const BusinessCalendar& calendar() const { return calendar_; }
  void set_citations_per_transaction(int n) { per_tx_ = n; }

 private:
  [[nodiscard]] Result<std::int64_t> holder_party(const Actor& actor);
  // A reduction of a fine paid (in part) during the contest; see decide().
  [[nodiscard]] Result<void> replace_paid_fine(const Actor& actor, const Citation& ct,
                                               Money new_fine, CitationEvent event,
                                               const std::string& reason);
  [[nodiscard]] Result<Citation> appeal(const Actor& actor, const std::string& number,
                                        CitationEvent event, const std::string& reason,
                                        const std::string& acted_on);
  [[nodiscard]] Result<Citation> transition_on(const Actor& actor, const std::string& number,
                                               CitationEvent event, const std::string& reason,
                                               CivilDate on, const std::string& approved_by);

  store::Database& db_;
  ledger::Ledger& ledger_;
  customers::PartyBook& parties_;
  const CityConfig& city_;
  const Clock& clock_;
  BusinessCalendar calendar_;
  int per_tx_ = kCitationsPerTransaction;
};

}  // namespace civicdesk::citations
