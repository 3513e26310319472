// Indigent payment plans (VC 40220) in the store, with their money in the ledger. The thin
// service around indigent_plan.h (make_plan, check_plan).
//
// Enrolment (one write transaction): the owed citations of a plate (or the numbers given) are
// enrolled together — each must allow `enrol_plan` (lifecycle.h) and none may be on another
// plan. The plan's fines are the fine obligations' balances; make_plan checks the tier cap,
// the months and the proof (attested or documented, naming who attested). Then:
//   - the processing fee is a ledger charge (plan_fee_account, source_ref
//     "citation-plan:ID:fee") beside the citations (the plate's account_ref);
//   - every late penalty still owed is waived by a credit adjustment (reason PENALTY_WAIVER) on
//     its obligation, one waiver row each, the total kept on the plan for reinstatement;
//   - each citation moves to on_plan with a 'plan' suspension: escalation stops.
// Payments against the plan are ordinary ledger payments on the citations and the fee (the
// plate's account_ref); what is paid is the plan total less those obligations' balances.
//
// The nightly check (check_plans, called by `civicdesk citations escalate` after the
// escalation) asks check_plan about every active plan: a completed plan is kept and its
// citations complete (→ paid); a broken one is defaulted: the waived late fees are reinstated
// by debit adjustments on the same penalty obligations (the citation's amount due shows them
// again), the citations move to plan_defaulted and their suspension ends, so escalation
// resumes where it stopped.
//
// Result codes: kInvalidInput (field named), kNotFound, kUnprocessable (a citation that cannot
// join a plan, fines above the last tier, months over the cap), kStorage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "citations/indigent_plan.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "ledger/ledger.h"
#include "store/db.h"

namespace civicdesk::citations {

inline constexpr int kMaxCitationsPerPlan = 100;
inline constexpr int kMaxPlansListed = 200;

struct PlanEnrolment {
  std::string plate_state, plate;             // the plate's owed citations, or
  std::vector<std::string> citation_numbers;  // exactly these
  int months = 0;
  std::string proof = "attested";  // attested | documented
  std::string attested_by;         // the person who signed, or whose documents were seen
  std::string proof_note;          // e.g. "CalFresh card seen"
  std::string enrolled_on;         // "" = today
};

struct PlanView {
  std::int64_t id = 0;
  std::string status;  // active | kept | defaulted
  std::int64_t ledger_party_id = 0;
  std::int64_t owner_party_id = 0;
  std::string plate_state, plate;
  std::string proof, attested_by, proof_note;
  CivilDate enrolled_on;
  int months = 0;
  Money fines, processing_fee, total, max_monthly, late_fees_waived;
  std::int64_t fee_obligation_id = 0;
  std::optional<CivilDate> closed_on;
  std::optional<int> missed_installment;
  std::vector<std::string> citation_numbers;
  std::vector<Installment> installments;
  // As of today:
  Money paid, due_so_far, balance;
  std::optional<int> next_installment;
  std::optional<CivilDate> next_due_on;
};

struct PlanCheckResult {
  std::int64_t examined = 0, kept = 0, defaulted = 0;
  Money reinstated;
};

class PlanBook {
 public:
  PlanBook(store::Database& db, ledger::Ledger& ledger, const CityConfig& city, const Clock& clock,
           const BusinessCalendar& calendar);

  [[nodiscard]] Result<PlanView> enrol(const Actor& actor, const PlanEnrolment& request);
  [[nodiscard]] Result<PlanView> plan(std::int64_t id);
  // Newest first, at most kMaxPlansListed; status "" = any, else active | kept | defaulted.
  [[nodiscard]] Result<std::vector<PlanView>> plans(const std::string& status);
  // The nightly check of every active plan on `as_of`.
  [[nodiscard]] Result<PlanCheckResult> check_plans(const Actor& actor, CivilDate as_of);

 private:
  store::Database& db_;
  ledger::Ledger& ledger_;
  const CityConfig& city_;
  const Clock& clock_;
  const BusinessCalendar& calendar_;
};

}  // namespace civicdesk::citations
