// The law of parking citations as data: violation codes with an effective-dated fine schedule,
// the escalation steps (late penalties, the delinquency notice, DMV hold, collections), contest
// deadlines, the indigent payment plan, the scofflaw threshold and the citation number's check
// digit. The City config's `citations:` section fills a CitationRules (city/city_config.cc
// validates it and names file:line:key); everything here depends only on core/, so the City
// config can hold it and tests can build rules by hand.
//
// The functions are pure and thread-safe. They assume rules that passed the City config's
// validation (fines ascending by date, steps ascending by number with days not decreasing);
// each function says what it returns for input a person typed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citations/lifecycle.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::citations {

// --- Violation codes and the fine schedule --------------------------------------------------

// From `effective_on` (inclusive) until the next change, citations issued for the code cost
// `fine`.
struct FineChange {
  CivilDate effective_on;
  Money fine;
};

struct Violation {
  std::string code;  // as printed on the citation, e.g. "TRC7.2.22" or "V22500E"
  std::string description;
  std::vector<FineChange> fines;  // ascending by effective_on, dates distinct, fines positive
};

// --- Citation numbers -----------------------------------------------------------------------

// How the last digit of a citation number checks the others (docs/formats/citation-issuance.md).
// A number is letters, digits, letters: the letters are a series prefix or suffix ("PD", "T")
// and take no part in the check; the last digit of the digit run is the check digit, computed
// over the digits before it.
enum class CheckDigit {
  kNone,
  kMod7,  // check = (the preceding digits as a number) mod 7 (SFMTA's numbering)
  kLuhn,  // check = the Luhn (mod 10) digit of the preceding digits
};
std::string_view to_string(CheckDigit scheme);
// "none", "mod7", "luhn"; kInvalidInput naming `field` otherwise.
[[nodiscard]] Result<CheckDigit> parse_check_digit(std::string_view text, std::string_view field);
// The check digit for `digits` (all '0'..'9', at least one; asserted). kNone returns -1.
int compute_check_digit(CheckDigit scheme, std::string_view digits);
// Whether `number` has the letters-digits-letters shape with at least two digits and its check
// digit is right. kNone accepts every number.
bool check_digit_ok(CheckDigit scheme, std::string_view number);

// --- Escalation --------------------------------------------------------------------------------

enum class StepKind {
  kPenalty,      // a late penalty charge line
  kNotice,       // the delinquency notice to the registered owner (→ notice_sent)
  kDelinquent,   // the notice's period lapsed (→ delinquent)
  kDmvHold,      // a registration hold goes into the next DMV file (place_hold)
  kCollections,  // referral to the collection agency (→ collections)
};
std::string_view to_string(StepKind kind);
[[nodiscard]] Result<StepKind> parse_step_kind(std::string_view text, std::string_view field);

// One step of the schedule. A step of `days` days is due the day after the `days`-th calendar
// day of unpaid, unsuspended time after the clock starts (the issue date), and when that day is
// a weekend or holiday, the day after the next business day: the person always has the full
// period, counted as deadlines.h counts statutory periods.
struct EscalationStep {
  int number = 0;  // stable id (1, 2, ...): a posted step is remembered by its number
  int days = 0;
  StepKind kind = StepKind::kPenalty;
  std::string name;         // "First late penalty", shown on the citation and the notice
  Money amount;             // kPenalty: a fixed amount, or
  int percent_of_fine = 0;  // kPenalty: this percent of the fine owed (half up to the cent)
};

// --- Contests, plans, and the whole rule set -----------------------------------------------------

struct ContestRules {
  int review_days_after_issue = 21;    // VC 40215(a)
  int review_days_after_notice = 14;   // VC 40215(a): of the mailing of the delinquency notice
  int hearing_days_after_review = 21;  // VC 40215(b): of the mailing of the review decision
  int court_days_after_hearing = 20;   // VC 40230: of the service of the hearing decision
  // false: the escalation clock stops while a contest is pending and resumes where it stood;
  // true: it starts over on the day the contest is decided (steps already posted stay posted).
  bool restart_escalation_after_decision = false;
};

// The largest monthly installment for a plan whose total (before the processing fee) is at most
// `total_up_to`.
struct PlanTier {
  Money total_up_to;
  Money max_monthly;
};

struct PlanRules {
  std::vector<PlanTier> tiers;  // ascending by total_up_to; above the last, no plan
  int max_months = 24;          // VC 40220: paid within 24 months
  Money processing_fee;         // VC 40220: at most $5
  int grace_days = 10;          // an installment unpaid this many days after its due date breaks
                                // the plan
  bool require_documentation = false;  // false: a signed attestation of indigency is enough
};

// The state DMV exchange (section `citations.dmv:`; dmv_files.h, dmv_book.h).
struct DmvRules {
  std::string requester_code = "CITY";  // the City's code with the DMV, in every file's header
  std::string dmv_state = "CA";         // the state whose DMV is asked; other plates: out of state
  int rerequest_after_days = 30;        // a plate asked and not answered is asked again after this
  int owner_known_days = 365;           // a found owner this recent names new citations' owner
  int max_requests_per_file = 100'000;
};

struct CitationRules {
  std::vector<Violation> violations;
  std::vector<EscalationStep> escalation;  // ascending by number; days not decreasing
  ContestRules contest;
  PlanRules plan;
  CheckDigit check_digit = CheckDigit::kNone;
  int scofflaw_threshold = 5;  // plates with this many unpaid delinquent citations
  std::vector<std::string> void_approver_roles = {"supervisor"};
  DmvRules dmv;
  // Where the ledger posts: the obligation kind and the revenue accounts.
  std::string obligation_kind = "citation";
  std::string fine_account;
  std::string penalty_account;
  std::string plan_fee_account;

  const Violation* violation(std::string_view code) const;
  const EscalationStep* step(int number) const;
};

// The fine for `code` under the schedule in force on `issued_on` (the issue date, never the
// date the citation was entered or imported). kInvalidInput (field "violation_code") for an
// unknown code or a date before the code's first fine.
[[nodiscard]] Result<Money> scheduled_fine(const CitationRules& rules, std::string_view code,
                                           CivilDate issued_on);

// The penalty a kPenalty step adds on a citation whose fine owed is `fine`. kInvalidInput only
// on overflow.
[[nodiscard]] Result<Money> penalty_amount(const EscalationStep& step, Money fine);

// A period during which penalties do not accrue: [from, until), until absent while it lasts.
enum class SuspensionReason { kContest, kPlan };
struct Suspension {
  CivilDate from;
  std::optional<CivilDate> until;
  SuspensionReason reason = SuspensionReason::kContest;
};

// What the nightly run needs to know about one citation.
struct EscalationHistory {
  CivilDate issued_on;
  CitationState state;
  Money fine;                           // owed now (after a reduction): base of percent penalties
  std::vector<Suspension> suspensions;  // any order; overlaps are counted once
  std::vector<int> steps_done;          // numbers of the steps already posted
};

struct DueStep {
  int number = 0;
  StepKind kind = StepKind::kPenalty;
  std::string name;
  CivilDate due_on;                    // the first day the step could post
  Money amount;                        // kPenalty
  std::optional<CitationEvent> event;  // the lifecycle event of a non-penalty step
  CitationState state_after;           // after this step (and the ones before it in the list)
  // The step is due but has nothing to do (a zero penalty, or a lifecycle event the state no
  // longer allows, explained in `note`): record it as done so it is never tried again.
  bool without_effect = false;
  std::string note;
};

// The steps due on `as_of` that are not in history.steps_done, in step order, each once. The
// caller posts them (penalties through the ledger, events through transition) and records their
// numbers in the same transaction, so running again on the same day, or on any later day,
// never posts a step twice; a missed night is caught up the next. Nothing is due unless the
// citation is owed (lifecycle.h) and no suspension is open.
std::vector<DueStep> due_steps(const CitationRules& rules, const BusinessCalendar& calendar,
                               const EscalationHistory& history, CivilDate as_of);

// The first day `step` could post given the history so far (for the citation page: "a late
// penalty of $25.00 is added on 2026-02-03"); nullopt while a suspension is open.
std::optional<CivilDate> step_due_on(const CitationRules& rules, const BusinessCalendar& calendar,
                                     const EscalationHistory& history, const EscalationStep& step);

// The earliest step_due_on of the steps not yet done; nullopt when none remain, the citation is
// not owed, or a suspension is open. Stored beside each citation and indexed, it lets the
// nightly run read only the citations with something due (`WHERE next_step_due_on <= D`)
// instead of all open ones; recompute it whenever the history changes.
std::optional<CivilDate> next_step_due_on(const CitationRules& rules,
                                          const BusinessCalendar& calendar,
                                          const EscalationHistory& history);

}  // namespace civicdesk::citations
