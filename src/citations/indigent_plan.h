// The indigent payment plan of California VC 40220, with its numbers from the City config
// (PlanRules in citation_rules.h):
//   - a person who attests (or, where the City requires it, documents) indigency may pay the
//     fines of their citations in monthly installments: at most $25 a month for totals up to
//     $500 (the tiers), paid within 24 months (max_months);
//   - a processing fee of at most $5 is added to the plan;
//   - late fees (penalties already posted) are waived on enrolment and reinstated on default;
//   - penalties do not accrue while the plan is kept (a Suspension of kind kPlan).
//
// Rounding: the plan total (fines + fee) is split into `months` installments of total / months
// cents, rounded down, and the remainder cents (fewer than `months`) go one each on the LAST
// installments (split_installments). Every installment is then within one cent of the others and
// none exceeds ceil(total / months), which is the amount checked against the monthly cap. (The
// core's split_evenly puts the whole remainder on the last installment, which could push it over
// the cap: $499.99 over 20 months would end with $25.18.)
//
// Due dates: installment k is due k months after enrolment on the same day of the month (the
// 31st becomes the month's last day), moved to the next business day when that is a weekend or
// City holiday. A plan breaks when an installment is still unpaid `grace_days` days after its
// due date; payments are applied to installments in order.
//
// Pure and thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "citations/citation_rules.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::citations {

enum class IndigencyProof {
  kAttested,    // signed under penalty of perjury
  kDocumented,  // public benefits or income at most 125% of the federal poverty guidelines
};

struct PlanRequest {
  Money fines;      // the unpaid fines of the citations in the plan (late fees excluded)
  Money late_fees;  // the late penalties posted on them so far: waived on enrolment
  int months = 0;   // chosen by the person, 1..max_months
  IndigencyProof proof = IndigencyProof::kAttested;
  CivilDate enrolled_on;
};

struct Installment {
  int number = 0;  // 1-based
  CivilDate due_on;
  Money amount;
};

struct PaymentPlan {
  CivilDate enrolled_on;
  Money fines;
  Money processing_fee;
  Money total;        // fines + processing_fee = the sum of the installments
  Money max_monthly;  // the cap of the tier the fines fall in
  Money late_fees_waived;
  std::vector<Installment> installments;
};

// The monthly cap for plans of `fines`. kUnprocessable (field "fines") when the fines are above
// the last tier (no plan is offered) or not positive.
[[nodiscard]] Result<Money> max_monthly_installment(const PlanRules& rules, Money fines);

// The fewest months in which `fines` plus the fee can be paid within the cap; kUnprocessable
// when even max_months is not enough or no tier applies.
[[nodiscard]] Result<int> fewest_months(const PlanRules& rules, Money fines);

// `total` in `n` parts as described above (remainder cents one each on the last parts).
// kInvalidInput unless 1 <= n <= kMaxInstallments and total >= 0.
[[nodiscard]] Result<std::vector<Money>> split_installments(Money total, int n);

// `date` plus `months` calendar months, the day clamped to the month's length.
CivilDate add_months(CivilDate date, int months);

// Validates the request against the rules and builds the schedule. kInvalidInput for
// months outside 1..max_months (field "months") or negative amounts; kUnprocessable when the
// largest installment would exceed the tier's cap (field "months", naming the fewest months that
// fit), or documentation is required but only an attestation was given (field "proof").
[[nodiscard]] Result<PaymentPlan> make_plan(const PlanRules& rules,
                                            const BusinessCalendar& calendar,
                                            const PlanRequest& request);

enum class PlanStanding { kCurrent, kCompleted, kBroken };

struct PlanCheck {
  PlanStanding standing = PlanStanding::kCurrent;
  Money paid;                             // as given
  Money due_so_far;                       // installments whose due date has come
  std::optional<int> next_installment;    // the first not fully paid
  std::optional<int> missed_installment;  // kBroken: the first installment past its grace
  Money late_fees_to_reinstate;           // kBroken: the late fees waived on enrolment
};

// Where the plan stands on `as_of` with `paid` paid towards it so far.
PlanCheck check_plan(const PlanRules& rules, const PaymentPlan& plan, Money paid, CivilDate as_of);

}  // namespace civicdesk::citations
