#include "billing/estimation.h"

#include <algorithm>

namespace civicdesk::billing {
namespace {

std::int64_t days_of(const PeriodUsage& p) {
  return p.to.days_since_epoch() - p.from.days_since_epoch();
}

std::vector<PeriodUsage> newest_first(std::vector<PeriodUsage> h) {
  std::sort(h.begin(), h.end(),
            [](const PeriodUsage& a, const PeriodUsage& b) { return a.to > b.to; });
  return h;
}

}  // namespace

std::string_view to_string(EstimateMethod m) {
  return m == EstimateMethod::kAverage ? "average" : "last_year";
}

Result<EstimateMethod> parse_estimate_method(std::string_view text) {
  if (text.empty() || text == "average") return EstimateMethod::kAverage;
  if (text == "last_year") return EstimateMethod::kLastYear;
  return fail(Error::invalid("method", "method is average or last_year"));
}

DailyUse average_daily_use(const std::vector<PeriodUsage>& history, int periods) {
  DailyUse u;
  int taken = 0;
  for (const PeriodUsage& p : newest_first(history)) {
    if (taken >= periods) break;
    if (days_of(p) <= 0) continue;
    u.usage_mccf += p.usage_mccf;
    u.days += days_of(p);
    ++taken;
  }
  return u;
}

Result<Estimate> estimate_read(const Meter& meter, const PriorRead& prior, CivilDate read_on,
                               const std::vector<PeriodUsage>& history, EstimateMethod method,
                               int periods) {
  if (read_on <= prior.read_on)
    return fail(
        Error::invalid("read_on", "must be after the previous read on " + prior.read_on.iso()));
  Estimate e;
  e.method = method;
  e.days = read_on.days_since_epoch() - prior.read_on.days_since_epoch();
  DailyUse basis;
  if (method == EstimateMethod::kAverage) {
    basis = average_daily_use(history, periods);
    if (basis.days == 0)
      return fail(ErrorCode::kUnprocessable, "no accepted reads to estimate from", "method");
    e.basis = "average daily use of the last periods: " + format_ccf(basis.usage_mccf) +
              " CCF over " + std::to_string(basis.days) + " days";
  } else {
    const std::int64_t from = prior.read_on.days_since_epoch() - 365;
    const std::int64_t to = read_on.days_since_epoch() - 365;
    std::int64_t best_overlap = 0;
    for (const PeriodUsage& p : history) {
      const std::int64_t overlap =
          std::min(to, p.to.days_since_epoch()) - std::max(from, p.from.days_since_epoch());
      if (overlap > best_overlap && days_of(p) > 0) {
        best_overlap = overlap;
        basis = DailyUse{p.usage_mccf, days_of(p)};
        e.basis = "the same period last year: " + format_ccf(p.usage_mccf) + " CCF from " +
                  p.from.iso() + " to " + p.to.iso();
      }
    }
    if (best_overlap == 0)
      return fail(ErrorCode::kUnprocessable, "no read a year ago to estimate from", "method");
  }
  const auto target_mccf = static_cast<std::int64_t>(
      divide_half_up(static_cast<__int128>(basis.usage_mccf) * e.days, basis.days));
  e.register_units = std::max<std::int64_t>(0, register_units_for(meter, target_mccf));
  const std::int64_t capacity = register_capacity(meter.dials);
  // An estimate never laps the register; a period that would is not estimated, it is read.
  if (e.register_units * 2 > capacity)
    return fail(ErrorCode::kUnprocessable, "the estimate is larger than the register can show",
                "method");
  e.read_value = (prior.value + e.register_units) % capacity;
  CD_ASSIGN(e.usage_mccf, usage_mccf(meter, e.register_units));
  return e;
}

}  // namespace civicdesk::billing
