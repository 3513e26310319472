#include "billing/proration.h"

#include "billing/meter.h"

namespace civicdesk::billing {

using rates::Decimal;

int days_between(CivilDate from, CivilDate to) {
  return static_cast<int>(to.days_since_epoch() - from.days_since_epoch());
}

Result<std::vector<PeriodPiece>> split_at_versions(const Tariff& tariff, CivilDate from,
                                                   CivilDate to,
                                                   const std::optional<std::string>& what_if) {
  std::vector<PeriodPiece> out;
  if (what_if) {
    const RateVersion* v = tariff.find(*what_if);
    if (!v) {
      return fail(ErrorCode::kNotFound, "no rate version \"" + *what_if + "\"", "rate_version");
    }
    out.push_back({from, to, v});
    return out;
  }
  CivilDate day = from;
  while (day < to) {
    const RateVersion* v = tariff.in_force_on(day);
    if (!v) {
      return fail(ErrorCode::kUnprocessable,
                  "no rate version is in force on " + day.iso() +
                      " (the first takes effect later); add one to billing.rate_versions",
                  "from");
    }
    // The piece ends where the next non-proposed version comes into force, or at `to`.
    CivilDate end = to;
    for (const RateVersion& next : tariff.versions) {
      if (!next.proposed && day < next.effective_from && next.effective_from < end) {
        end = next.effective_from;
      }
    }
    out.push_back({day, end, v});
    day = end;
  }
  return out;
}

std::vector<PeriodPiece> clip(const std::vector<PeriodPiece>& pieces, CivilDate from,
                              CivilDate to) {
  std::vector<PeriodPiece> out;
  for (const PeriodPiece& p : pieces) {
    const CivilDate a = p.from < from ? from : p.from;
    const CivilDate b = p.to < to ? p.to : to;
    if (a < b) out.push_back({a, b, p.version});
  }
  return out;
}

std::vector<PeriodPiece> split_at_seasons(const PeriodPiece& piece, const RateClass& cls) {
  std::vector<PeriodPiece> out;
  if (cls.seasons.empty()) return {piece};
  CivilDate start = piece.from;
  CivilDate first = piece.from;
  first.day = 1;
  for (;;) {
    // The first of the next month.
    CivilDate next{first.month == 12 ? first.year + 1 : first.year,
                   first.month == 12 ? 1 : first.month + 1, 1};
    if (!(next < piece.to)) break;
    if (&cls.tiers_on(first) != &cls.tiers_on(next)) {
      out.push_back({start, next, piece.version});
      start = next;
    }
    first = next;
  }
  out.push_back({start, piece.to, piece.version});
  return out;
}

Result<Decimal> prorate(Decimal monthly, int days) {
  CD_ASSIGN(const Decimal factor, Decimal::from_fraction(days, kStandardMonthDays));
  return monthly.mul(factor);
}

Result<std::int64_t> prorated_bound_mccf(Decimal monthly_ccf, int days) {
  CD_ASSIGN(const Decimal ccf, prorate(monthly_ccf, days));
  CD_ASSIGN(const Decimal mccf, ccf.mul(Decimal::from_integer(1000)));
  return mccf.round_to_integer(RoundingMode::kHalfUp).numerator();
}

namespace {
__int128 floor_div(__int128 a, __int128 b) {  // b > 0
  __int128 q = a / b;
  if (a % b != 0 && a < 0) --q;
  return q;
}
}  // namespace

std::vector<std::int64_t> split_usage(std::int64_t usage, const std::vector<int>& days) {
  std::vector<std::int64_t> out;
  __int128 total = 0;
  for (int d : days) total += d;
  if (days.empty()) return out;
  if (total <= 0) {
    out.assign(days.size(), 0);
    out.back() = usage;
    return out;
  }
  __int128 running = 0;
  __int128 before = 0;
  for (int d : days) {
    running += d;
    const __int128 upto = floor_div(static_cast<__int128>(usage) * running, total);
    out.push_back(static_cast<std::int64_t>(upto - before));
    before = upto;
  }
  return out;
}

}  // namespace civicdesk::billing
