#include "billing/meter.h"

#include <cstdlib>

#include "core/assert.h"

namespace civicdesk::billing {
namespace {

constexpr std::string_view kUnitNames[] = {"gallons", "cubic_feet", "ccf"};

// mccf per register unit as an exact fraction (see the header).
struct Ratio {
  std::int64_t numerator, denominator;
};
Ratio mccf_per_unit(MeterUnit u) {
  switch (u) {
    case MeterUnit::kGallons:
      return {385, 288};
    case MeterUnit::kCubicFeet:
      return {10, 1};
    case MeterUnit::kCcf:
      return {1000, 1};
  }
  return {1000, 1};
}

}  // namespace

std::string_view to_string(MeterUnit u) {
  return kUnitNames[static_cast<int>(u)];
}

Result<MeterUnit> parse_meter_unit(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < std::size(kUnitNames); ++i)
    if (text == kUnitNames[i]) return static_cast<MeterUnit>(i);
  return fail(Error::invalid(std::string(field), "unit is gallons, cubic_feet or ccf"));
}

Result<void> check_meter(const Meter& m) {
  if (m.serial.empty()) return fail(Error::invalid("serial", "is required"));
  if (m.serial.size() > kMaxSerialLength)
    return fail(Error::invalid("serial", "is longer than " + std::to_string(kMaxSerialLength)));
  if (m.size.size() > kMaxSerialLength || m.make.size() > kMaxSerialLength)
    return fail(Error::invalid(m.size.size() > kMaxSerialLength ? "size" : "make",
                               "is longer than " + std::to_string(kMaxSerialLength)));
  if (m.dials < kMinDials || m.dials > kMaxDials)
    return fail(Error::invalid("dials", "a register has " + std::to_string(kMinDials) + " to " +
                                            std::to_string(kMaxDials) + " dials"));
  if (m.multiplier < 1 || m.multiplier > kMaxMultiplier)
    return fail(
        Error::invalid("multiplier", "must be between 1 and " + std::to_string(kMaxMultiplier)));
  return {};
}

std::int64_t register_capacity(int dials) {
  CD_ASSERT(dials >= kMinDials && dials <= kMaxDials);
  std::int64_t c = 1;
  for (int i = 0; i < dials; ++i) c *= 10;
  return c;
}

Result<void> check_register_value(const Meter& m, std::int64_t value, std::string_view field) {
  const std::int64_t cap = register_capacity(m.dials);
  if (value < 0 || value >= cap)
    return fail(Error::invalid(
        std::string(field),
        "a " + std::to_string(m.dials) + "-dial register reads 0 to " + std::to_string(cap - 1)));
  return {};
}

__int128 divide_half_up(__int128 numerator, __int128 denominator) {
  CD_ASSERT(denominator > 0);
  const bool negative = numerator < 0;
  const __int128 n = negative ? -numerator : numerator;
  const __int128 q = (2 * n + denominator) / (2 * denominator);
  return negative ? -q : q;
}

Result<std::int64_t> usage_mccf(const Meter& m, std::int64_t register_units) {
  const Ratio r = mccf_per_unit(m.unit);
  const __int128 v = divide_half_up(
      static_cast<__int128>(register_units) * m.multiplier * r.numerator, r.denominator);
  if (v > INT64_MAX / 2 || v < -(INT64_MAX / 2))
    return fail(Error::invalid("value", "usage is too large"));
  return static_cast<std::int64_t>(v);
}

std::int64_t register_units_for(const Meter& m, std::int64_t mccf) {
  const Ratio r = mccf_per_unit(m.unit);
  return static_cast<std::int64_t>(
      divide_half_up(static_cast<__int128>(mccf) * r.denominator,
                     static_cast<__int128>(r.numerator) * m.multiplier));
}

std::string format_ccf(std::int64_t mccf) {
  const bool negative = mccf < 0;
  const std::uint64_t a =
      negative ? 0 - static_cast<std::uint64_t>(mccf) : static_cast<std::uint64_t>(mccf);
  std::string frac = std::to_string(a % 1000);
  while (frac.size() < 3) frac.insert(frac.begin(), '0');
  return (negative ? "-" : "") + std::to_string(a / 1000) + "." + frac;
}

}  // namespace civicdesk::billing
