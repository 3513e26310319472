#include "citations/citation_rules.h"

#include <algorithm>
#include <span>

#include "core/assert.h"

namespace civicdesk::citations {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

// The digit run of a letters-digits-letters number; empty when the shape is wrong.
std::string_view digit_run(std::string_view number) {
  std::size_t begin = 0;
  while (begin < number.size() && is_upper(number[begin])) ++begin;
  std::size_t end = begin;
  while (end < number.size() && is_digit(number[end])) ++end;
  for (std::size_t i = end; i < number.size(); ++i)
    if (!is_upper(number[i])) return {};
  return number.substr(begin, end - begin);
}

int luhn_digit(std::string_view digits) {
  // Double every second digit from the right of the body (the check digit will sit to its right).
  int sum = 0;
  bool twice = true;
  for (std::size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return (10 - sum % 10) % 10;
}

int mod7_digit(std::string_view digits) {
  // Digit by digit, so a body of any length never overflows.
  int remainder = 0;
  for (char c : digits) remainder = (remainder * 10 + (c - '0')) % 7;
  return remainder;
}

// Calendar days between two dates (b - a).
std::int64_t days_between(CivilDate a, CivilDate b) {
  return b.days_since_epoch() - a.days_since_epoch();
}

// The escalation clock's start: the issue date, or under restart_escalation_after_decision the
// day the last decided contest ended.
CivilDate clock_start(const CitationRules& rules, const EscalationHistory& history) {
  CivilDate start = history.issued_on;
  if (!rules.contest.restart_escalation_after_decision) return start;
  for (const Suspension& s : history.suspensions)
    if (s.reason == SuspensionReason::kContest && s.until && start < *s.until) start = *s.until;
  return start;
}

// The `days`-th day of unsuspended time after `start`, before rolling; nullopt when an open
// suspension stops the clock first. `sorted` is ordered by `from`. A suspension that starts on
// or before that day pushes it by its length (a contest filed on the last day keeps the whole
// period for after the decision).
std::optional<CivilDate> counted_day(CivilDate start, int days,
                                     std::span<const Suspension> sorted) {
  CivilDate day = start.plus_days(days);
  CivilDate covered = start;  // suspended time before this is already counted
  for (const Suspension& s : sorted) {
    if (s.until && *s.until <= covered) continue;
    const CivilDate from = std::max(s.from, covered);
    if (day < from) break;
    if (!s.until) return std::nullopt;
    day = day.plus_days(days_between(from, *s.until));
    covered = *s.until;
  }
  return day;
}

std::vector<Suspension> sorted_suspensions(const EscalationHistory& history) {
  std::vector<Suspension> sorted = history.suspensions;
  std::sort(sorted.begin(), sorted.end(),
            [](const Suspension& a, const Suspension& b) { return a.from < b.from; });
  return sorted;
}

std::optional<CivilDate> due_on(const BusinessCalendar& calendar, CivilDate start,
                                std::span<const Suspension> sorted, const EscalationStep& step) {
  const auto day = counted_day(start, step.days, sorted);
  if (!day) return std::nullopt;
  return calendar.next_business_day_on_or_after(*day).plus_days(1);
}

bool is_done(const EscalationHistory& history, int number) {
  return std::find(history.steps_done.begin(), history.steps_done.end(), number) !=
         history.steps_done.end();
}

std::optional<CitationEvent> event_of(StepKind kind) {
  switch (kind) {
    case StepKind::kPenalty:
      return std::nullopt;
    case StepKind::kNotice:
      return CitationEvent::kSendNotice;
    case StepKind::kDelinquent:
      return CitationEvent::kMarkDelinquent;
    case StepKind::kDmvHold:
      return CitationEvent::kPlaceHold;
    case StepKind::kCollections:
      return CitationEvent::kSendToCollections;
  }
  return std::nullopt;
}

bool has_open_suspension(const EscalationHistory& history) {
  return std::any_of(history.suspensions.begin(), history.suspensions.end(),
                     [](const Suspension& s) { return !s.until; });
}

// Fills in the effect of a due step on the running state `state`.
void apply_step(const EscalationStep& step, Money fine, CitationState* state, DueStep* due) {
  if (step.kind == StepKind::kPenalty) {
    auto amount = penalty_amount(step, fine);
    if (!is_owed(state->status)) {
      due->without_effect = true;
      due->note = "no penalty: the citation is " + std::string(to_string(state->status));
    } else if (!amount || amount->is_zero()) {
      due->without_effect = true;
      due->note = amount ? "the penalty comes to $0.00" : amount.error().message;
    } else {
      due->amount = *amount;
    }
  } else {
    due->event = event_of(step.kind);
    auto next = transition(*state, *due->event);
    if (next) {
      *state = *next;
    } else {
      due->without_effect = true;
      due->note = next.error().message;
    }
  }
  due->state_after = *state;
}

constexpr std::string_view kStepKindNames[] = {"penalty", "notice", "delinquent", "dmv_hold",
                                               "collections"};

}  // namespace

std::string_view to_string(CheckDigit scheme) {
  switch (scheme) {
    case CheckDigit::kNone:
      return "none";
    case CheckDigit::kMod7:
      return "mod7";
    case CheckDigit::kLuhn:
      return "luhn";
  }
  return "?";
}

Result<CheckDigit> parse_check_digit(std::string_view text, std::string_view field) {
  for (CheckDigit c : {CheckDigit::kNone, CheckDigit::kMod7, CheckDigit::kLuhn})
    if (to_string(c) == text) return c;
  return fail(ErrorCode::kInvalidInput,
              "\"" + std::string(text) + "\" is not a check digit scheme (none, mod7, luhn)",
              std::string(field));
}

int compute_check_digit(CheckDigit scheme, std::string_view digits) {
  CD_ASSERT(!digits.empty());
  for (char c : digits) CD_ASSERT(is_digit(c));
  switch (scheme) {
    case CheckDigit::kNone:
      return -1;
    case CheckDigit::kMod7:
      return mod7_digit(digits);
    case CheckDigit::kLuhn:
      return luhn_digit(digits);
  }
  return -1;
}

bool check_digit_ok(CheckDigit scheme, std::string_view number) {
  if (scheme == CheckDigit::kNone) return true;
  const std::string_view digits = digit_run(number);
  if (digits.size() < 2) return false;
  const std::string_view body = digits.substr(0, digits.size() - 1);
  return compute_check_digit(scheme, body) == digits.back() - '0';
}

std::string_view to_string(StepKind kind) {
  return kStepKindNames[static_cast<std::size_t>(kind)];
}

Result<StepKind> parse_step_kind(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < std::size(kStepKindNames); ++i)
    if (kStepKindNames[i] == text) return static_cast<StepKind>(i);
  return fail(ErrorCode::kInvalidInput,
              "\"" + std::string(text) +
                  "\" is not a step kind (penalty, notice, delinquent, dmv_hold, collections)",
              std::string(field));
}

const Violation* CitationRules::violation(std::string_view code) const {
  for (const Violation& v : violations)
    if (v.code == code) return &v;
  return nullptr;
}

const EscalationStep* CitationRules::step(int number) const {
  for (const EscalationStep& s : escalation)
    if (s.number == number) return &s;
  return nullptr;
}

Result<Money> scheduled_fine(const CitationRules& rules, std::string_view code,
                             CivilDate issued_on) {
  const Violation* v = rules.violation(code);
  if (v == nullptr)
    return fail(ErrorCode::kInvalidInput,
                "violation code " + std::string(code) + " is not in the City's fine schedule",
                "violation_code");
  // The last change on or before the issue date.
  const auto after =
      std::upper_bound(v->fines.begin(), v->fines.end(), issued_on,
                       [](CivilDate d, const FineChange& f) { return d < f.effective_on; });
  if (after == v->fines.begin())
    return fail(ErrorCode::kInvalidInput,
                "no fine for " + v->code + " is in force on " + issued_on.iso() +
                    (v->fines.empty()
                         ? ""
                         : " (the schedule starts " + v->fines.front().effective_on.iso() + ")"),
                "violation_code");
  return std::prev(after)->fine;
}

Result<Money> penalty_amount(const EscalationStep& step, Money fine) {
  if (step.kind != StepKind::kPenalty) return Money::zero();
  if (step.percent_of_fine == 0) return step.amount;
  return Money::percent_of(fine, std::int64_t{step.percent_of_fine} * 100, RoundingMode::kHalfUp);
}

std::optional<CivilDate> step_due_on(const CitationRules& rules, const BusinessCalendar& calendar,
                                     const EscalationHistory& history, const EscalationStep& step) {
  return due_on(calendar, clock_start(rules, history), sorted_suspensions(history), step);
}

std::optional<CivilDate> next_step_due_on(const CitationRules& rules,
                                          const BusinessCalendar& calendar,
                                          const EscalationHistory& history) {
  if (!is_owed(history.state.status) || has_open_suspension(history)) return std::nullopt;
  const std::vector<Suspension> sorted = sorted_suspensions(history);
  const CivilDate start = clock_start(rules, history);
  std::optional<CivilDate> next;
  for (const EscalationStep& step : rules.escalation) {
    if (is_done(history, step.number)) continue;
    const auto on = due_on(calendar, start, sorted, step);
    if (on && (!next || *on < *next)) next = on;
  }
  return next;
}

std::vector<DueStep> due_steps(const CitationRules& rules, const BusinessCalendar& calendar,
                               const EscalationHistory& history, CivilDate as_of) {
  std::vector<DueStep> due;
  if (!is_owed(history.state.status) || has_open_suspension(history)) return due;
  const std::vector<Suspension> sorted = sorted_suspensions(history);
  const CivilDate start = clock_start(rules, history);
  CitationState state = history.state;
  for (const EscalationStep& step : rules.escalation) {
    if (is_done(history, step.number)) continue;
    const auto on = due_on(calendar, start, sorted, step);
    if (!on || as_of < *on) continue;
    DueStep d{.number = step.number, .kind = step.kind, .name = step.name, .due_on = *on};
    apply_step(step, history.fine, &state, &d);
    due.push_back(std::move(d));
  }
  return due;
}

}  // namespace civicdesk::citations
