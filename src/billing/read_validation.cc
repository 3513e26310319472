#include "billing/read_validation.h"

namespace civicdesk::billing {
namespace {

constexpr std::string_view kCheckNames[] = {
    "ok", "negative", "zero_usage", "implausible_jump", "high_usage", "low_usage"};

// Register units from `from` to `to`, rolling over when plausible; nullopt when `to` is lower
// and a rollover is not plausible.
std::optional<std::int64_t> units_between(std::int64_t from, std::int64_t to, std::int64_t capacity,
                                          bool* rollover) {
  *rollover = false;
  if (to >= from) return to - from;
  const std::int64_t implied = capacity - from + to;
  if (implied * 2 > capacity) return std::nullopt;
  *rollover = true;
  return implied;
}

// usage × history.days × 100 compared with history.usage × days × percent: > 0 above, < 0 below.
int compare_percent(std::int64_t usage, std::int64_t days, const DailyUse& h, int percent) {
  const __int128 lhs = static_cast<__int128>(usage) * h.days * 100;
  const __int128 rhs = static_cast<__int128>(h.usage_mccf) * days * percent;
  return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
}

void flag(ReadDecision& d, ReadCheck check, std::string message) {
  d.check = check;
  d.message = std::move(message);
}

// The history checks on `usage` over `days` (the usage since the last actual read).
void check_against_history(ReadDecision& d, std::int64_t usage, std::int64_t days,
                           const DailyUse& h, const ReadTolerances& t) {
  const bool known = h.days >= t.min_days && h.days > 0;
  if (known) {
    d.expected_mccf = static_cast<std::int64_t>(
        divide_half_up(static_cast<__int128>(h.usage_mccf) * days, h.days));
    d.low_mccf = static_cast<std::int64_t>(
        divide_half_up(static_cast<__int128>(h.usage_mccf) * days * t.low_percent, h.days * 100));
    d.high_mccf = static_cast<std::int64_t>(
        divide_half_up(static_cast<__int128>(h.usage_mccf) * days * t.high_percent, h.days * 100));
  }
  d.average = h;
  d.checked_days = days;
  const std::string over = format_ccf(usage) + " CCF over " + std::to_string(days) + " days";
  if (usage == 0) {
    if (known && h.usage_mccf == 0) return;  // vacant, and still vacant
    flag(d, ReadCheck::kZeroUsage, "no usage: " + over + " (stopped meter or vacant premise?)");
    return;
  }
  if (!known) return;
  const std::string expected = format_ccf(*d.expected_mccf) + " CCF expected";
  if (h.usage_mccf == 0) {
    flag(d, ReadCheck::kHighUsage, over + " where the account's recent use is zero");
    return;
  }
  if (compare_percent(usage, days, h, t.max_jump_percent) > 0) {
    flag(d, ReadCheck::kImplausibleJump,
         over + " is more than " + std::to_string(t.max_jump_percent) + "% of the " + expected +
             " (misread or wrong meter?)");
  } else if (compare_percent(usage, days, h, t.high_percent) > 0) {
    flag(d, ReadCheck::kHighUsage,
         over + " is more than " + std::to_string(t.high_percent) + "% of the " + expected);
  } else if (compare_percent(usage, days, h, t.low_percent) < 0) {
    flag(d, ReadCheck::kLowUsage,
         over + " is less than " + std::to_string(t.low_percent) + "% of the " + expected);
  }
}

}  // namespace

std::string_view to_string(ReadCheck c) {
  return kCheckNames[static_cast<int>(c)];
}

Result<ReadCheck> parse_read_check(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kCheckNames); ++i)
    if (text == kCheckNames[i]) return static_cast<ReadCheck>(i);
  return fail(Error::invalid("code", "unknown read check " + std::string(text)));
}

PriorRead actual_prior(std::int64_t value, CivilDate read_on) {
  return PriorRead{value, read_on, false, value, read_on};
}

Result<ReadDecision> validate_read(const Meter& meter, const PriorRead& prior, std::int64_t value,
                                   CivilDate read_on, const DailyUse& history,
                                   const ReadTolerances& tolerances) {
  CD_TRY(check_register_value(meter, value, "value"));
  if (read_on <= prior.read_on)
    return fail(
        Error::invalid("read_on", "must be after the previous read on " + prior.read_on.iso()));
  const std::int64_t capacity = register_capacity(meter.dials);
  ReadDecision d;
  d.days = read_on.days_since_epoch() - prior.read_on.days_since_epoch();
  d.true_up = prior.estimated;
  // Usage since the last actual read: the base of the checks (and of a true-up).
  bool rollover = false;
  const auto since_actual = units_between(prior.last_actual_value, value, capacity, &rollover);
  if (!since_actual) {
    d.register_units = value - prior.value;
    CD_ASSIGN(d.usage_mccf, usage_mccf(meter, d.register_units));
    flag(d, ReadCheck::kNegative,
         "read " + std::to_string(value) + " is lower than the previous " +
             std::to_string(prior.last_actual_value) + " and too far for the " +
             std::to_string(meter.dials) + " dials to have rolled over");
    return d;
  }
  d.rollover = rollover;
  std::int64_t estimated_units = 0;
  if (prior.estimated) {
    bool ignored = false;
    estimated_units =
        units_between(prior.last_actual_value, prior.value, capacity, &ignored).value_or(0);
  }
  d.register_units = *since_actual - estimated_units;
  CD_ASSIGN(d.usage_mccf, usage_mccf(meter, d.register_units));
  CD_ASSIGN(const std::int64_t checked_mccf, usage_mccf(meter, *since_actual));
  const std::int64_t checked_days =
      read_on.days_since_epoch() - prior.last_actual_on.days_since_epoch();
  check_against_history(d, checked_mccf, checked_days, history, tolerances);
  return d;
}

}  // namespace civicdesk::billing
