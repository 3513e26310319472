// Read validation: the usage a new read implies and whether it is believable.
//
// Usage. The register units since the previous accepted read on the same meter:
//   current − previous, when current >= previous;
//   a rollover, when current < previous and the register can have turned over: the implied
//     usage (10^dials − previous + current) is at most half the register's capacity. A read
//     lower than that (e.g. 5,200 then 5,100 on four dials: 9,900 units) is NEGATIVE — a misread
//     or a meter running backwards — and goes to the exception queue.
//   after an ESTIMATED previous read, the units since the estimate may be negative: the estimate
//     was too high and the next actual read trues it up (usage = actual − estimate, a credit).
//     The checks then look at the usage since the last ACTUAL read over the days since then, so
//     a true-up is judged on what the customer really used.
// Units × multiplier are converted to mccf exactly, rounded half-up once (meter.h).
//
// Checks, in order; the first that fails is the read's exception (reason code in brackets):
//   negative [negative]; zero usage [zero_usage] unless the account's average is itself zero
//   (a vacant premise); and, only when the average daily use rests on at least min_days days:
//   above max_jump_percent of the expected usage [implausible_jump], above high_percent
//   [high_usage], below low_percent [low_usage]. Expected usage = average daily use × the days
//   of the period; the comparisons are cross-multiplied in 128-bit integers, never divided, so a
//   boundary (exactly 200%) is decided exactly: exactly at the tolerance passes.
// When the average is zero and usage is not, the read is high (there is no percentage of zero).
//
// Errors (the read is not a read; nothing is queued): kInvalidInput naming "value" (outside the
// dials) or "read_on" (not after the previous read). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "billing/billing_settings.h"
#include "billing/meter.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

enum class ReadCheck { kOk, kNegative, kZeroUsage, kImplausibleJump, kHighUsage, kLowUsage };
// "ok", "negative", "zero_usage", "implausible_jump", "high_usage", "low_usage": the stable
// reason codes of the exception queue.
std::string_view to_string(ReadCheck c);
[[nodiscard]] Result<ReadCheck> parse_read_check(std::string_view text);

// An account's average daily use: usage over days of its recent accepted periods, kept as the
// two sums so nothing is rounded.
struct DailyUse {
  std::int64_t usage_mccf = 0;
  std::int64_t days = 0;
};

// The read a new one is measured from: the last accepted read on the meter, and (when that one
// is an estimate) the last accepted actual read before it.
struct PriorRead {
  std::int64_t value = 0;
  CivilDate read_on;
  bool estimated = false;
  std::int64_t last_actual_value = 0;  // == value when not estimated
  CivilDate last_actual_on;            // == read_on when not estimated
};

// A prior read that is itself actual.
PriorRead actual_prior(std::int64_t value, CivilDate read_on);

struct ReadDecision {
  ReadCheck check = ReadCheck::kOk;
  std::string message;              // for people: what is wrong, with the numbers
  std::int64_t register_units = 0;  // since the previous read (negative: a true-up credit)
  std::int64_t usage_mccf = 0;      // register_units × multiplier in mccf
  std::int64_t days = 0;            // since the previous read
  bool rollover = false;
  bool true_up = false;                       // the previous read was an estimate
  std::optional<std::int64_t> expected_mccf;  // when history allowed high/low checks (rounded)
  // What the high/low checks allowed, kept so the exception queue can say what was expected:
  // expected × low_percent and × high_percent (rounded half-up; set with expected_mccf), the
  // average daily use they rest on, and the days checked (since the last ACTUAL read).
  std::optional<std::int64_t> low_mccf, high_mccf;
  DailyUse average;
  std::int64_t checked_days = 0;
};

[[nodiscard]] Result<ReadDecision> validate_read(const Meter& meter, const PriorRead& prior,
                                                 std::int64_t value, CivilDate read_on,
                                                 const DailyUse& history,
                                                 const ReadTolerances& tolerances);

}  // namespace civicdesk::billing
