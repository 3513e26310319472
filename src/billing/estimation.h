// Estimation: a read for a meter that could not be read (or whose read a CSR rejected).
//
// Two methods, chosen by the caller:
//   average — the average daily use of the last N periods (ReadTolerances::estimate_periods),
//     estimated and actual alike: an estimate followed by its true-up adds up to what was really
//     used, so the pair averages correctly;
//   last_year — the period a year earlier: the history period that overlaps
//     [previous read − 365 days, read date − 365 days] most, its daily use times this period's
//     days.
// Estimated usage = usage × days / history days, rounded half-up to a whole mccf; then to whole
// register units (half-up) — the estimated READ is the previous read plus those units (rolling
// over the dials), and the usage billed is those units converted back exactly like an actual
// read, so the next actual read trues it up to the unit: next usage = actual − estimate
// (read_validation.h).
//
// Errors: kUnprocessable naming "method" when there is no history to estimate from (a new
// account, or nothing a year ago); kInvalidInput naming "read_on" when it is not after the
// previous read, or "method" for an unknown method. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "billing/billing_settings.h"
#include "billing/meter.h"
#include "billing/read_validation.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

enum class EstimateMethod { kAverage, kLastYear };
std::string_view to_string(EstimateMethod m);
[[nodiscard]] Result<EstimateMethod> parse_estimate_method(std::string_view text);

// One accepted period of an account: usage between two reads.
struct PeriodUsage {
  CivilDate from, to;  // the previous read's date and this read's date
  std::int64_t usage_mccf = 0;
  bool estimated = false;
};

struct Estimate {
  EstimateMethod method = EstimateMethod::kAverage;
  std::int64_t read_value = 0;      // the estimated register reading
  std::int64_t register_units = 0;  // since the previous read
  std::int64_t usage_mccf = 0;      // what will be billed (register_units converted)
  std::int64_t days = 0;
  std::string basis;  // for people: "average of 3 periods: 45.000 CCF over 90 days"
};

// `history` in any order; `prior.value`/`prior.read_on` is the read the estimate follows.
[[nodiscard]] Result<Estimate> estimate_read(const Meter& meter, const PriorRead& prior,
                                             CivilDate read_on,
                                             const std::vector<PeriodUsage>& history,
                                             EstimateMethod method, int periods);

// The average daily use of the last `periods` periods (those with days > 0), as sums.
DailyUse average_daily_use(const std::vector<PeriodUsage>& history, int periods);

}  // namespace civicdesk::billing
