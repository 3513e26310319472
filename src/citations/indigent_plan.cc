#include "citations/indigent_plan.h"

#include <algorithm>

#include "core/date.h"
#include "core/limits.h"

namespace civicdesk::citations {
namespace {

int days_in_month(int year, int month) {
  for (int day = 31; day > 28; --day)
    if (is_valid_date(year, month, day)) return day;
  return 28;
}

// The largest part of split_installments(total, n): ceil(total / n).
std::int64_t largest_part(std::int64_t total_cents, int n) {
  return (total_cents + n - 1) / n;
}

}  // namespace

CivilDate add_months(CivilDate date, int months) {
  const int index = date.year * 12 + (date.month - 1) + months;
  const int year = index / 12;
  const int month = index % 12 + 1;
  return CivilDate{year, month, std::min(date.day, days_in_month(year, month))};
}

Result<Money> max_monthly_installment(const PlanRules& rules, Money fines) {
  if (!fines.is_positive())
    return fail(ErrorCode::kUnprocessable, "a plan needs fines to pay", "fines");
  for (const PlanTier& tier : rules.tiers)
    if (fines <= tier.total_up_to) return tier.max_monthly;
  return fail(ErrorCode::kUnprocessable,
              "fines of " + format_money(fines) + " are above the largest payment plan (" +
                  (rules.tiers.empty() ? std::string("none is offered")
                                       : format_money(rules.tiers.back().total_up_to)) +
                  ")",
              "fines");
}

Result<int> fewest_months(const PlanRules& rules, Money fines) {
  CD_ASSIGN(const Money cap, max_monthly_installment(rules, fines));
  CD_ASSIGN(const Money total, fines.add(rules.processing_fee));
  for (int n = 1; n <= rules.max_months; ++n)
    if (largest_part(total.cents(), n) <= cap.cents()) return n;
  return fail(ErrorCode::kUnprocessable,
              format_money(total) + " cannot be paid in " + std::to_string(rules.max_months) +
                  " months at " + format_money(cap) + " a month",
              "fines");
}

Result<std::vector<Money>> split_installments(Money total, int n) {
  CD_TRY(check_range(n, 1, kMaxInstallments, "months"));
  if (total.is_negative())
    return fail(ErrorCode::kInvalidInput, "a plan total cannot be negative", "total");
  const std::int64_t base = total.cents() / n;
  const std::int64_t remainder = total.cents() % n;  // 0 <= remainder < n
  std::vector<Money> parts(static_cast<std::size_t>(n), Money::from_cents(base));
  for (std::int64_t i = 0; i < remainder; ++i)
    parts[static_cast<std::size_t>(n - 1 - i)] = Money::from_cents(base + 1);
  return parts;
}

Result<PaymentPlan> make_plan(const PlanRules& rules, const BusinessCalendar& calendar,
                              const PlanRequest& request) {
  CD_TRY(check_range(request.months, 1, std::min(rules.max_months, kMaxInstallments), "months"));
  if (request.late_fees.is_negative())
    return fail(ErrorCode::kInvalidInput, "late fees cannot be negative", "late_fees");
  if (rules.require_documentation && request.proof != IndigencyProof::kDocumented)
    return fail(ErrorCode::kUnprocessable,
                "the City requires documents showing indigency (public benefits or income)",
                "proof");
  CD_ASSIGN(const Money cap, max_monthly_installment(rules, request.fines));
  CD_ASSIGN(const Money total, request.fines.add(rules.processing_fee));
  if (largest_part(total.cents(), request.months) > cap.cents()) {
    auto fewest = fewest_months(rules, request.fines);
    return fail(ErrorCode::kUnprocessable,
                format_money(total) + " in " + std::to_string(request.months) +
                    " months is more than " + format_money(cap) + " a month" +
                    (fewest ? "; choose at least " + std::to_string(*fewest) + " months"
                            : "; " + fewest.error().message),
                "months");
  }
  CD_ASSIGN(const std::vector<Money> parts, split_installments(total, request.months));
  PaymentPlan plan{.enrolled_on = request.enrolled_on,
                   .fines = request.fines,
                   .processing_fee = rules.processing_fee,
                   .total = total,
                   .max_monthly = cap,
                   .late_fees_waived = request.late_fees};
  for (int k = 1; k <= request.months; ++k) {
    const CivilDate due =
        calendar.next_business_day_on_or_after(add_months(request.enrolled_on, k));
    plan.installments.push_back({k, due, parts[static_cast<std::size_t>(k - 1)]});
  }
  return plan;
}

PlanCheck check_plan(const PlanRules& rules, const PaymentPlan& plan, Money paid, CivilDate as_of) {
  PlanCheck check{.paid = paid};
  std::int64_t cumulative = 0;
  for (const Installment& installment : plan.installments) {
    cumulative += installment.amount.cents();
    const bool fully_paid = paid.cents() >= cumulative;
    if (as_of >= installment.due_on) check.due_so_far = Money::from_cents(cumulative);
    if (!fully_paid && !check.next_installment) check.next_installment = installment.number;
    if (!fully_paid && !check.missed_installment &&
        as_of > installment.due_on.plus_days(rules.grace_days)) {
      check.missed_installment = installment.number;
    }
  }
  if (paid >= plan.total) {
    check.standing = PlanStanding::kCompleted;
  } else if (check.missed_installment) {
    check.standing = PlanStanding::kBroken;
    check.late_fees_to_reinstate = plan.late_fees_waived;
  }
  return check;
}

}  // namespace civicdesk::citations
