// A water meter: its register (dials, multiplier, unit) and where it is installed. Usage is
// measured in thousandths of a CCF ("milli-CCF", mccf) everywhere in billing: an integer, so
// usage is summed and compared exactly, and the rate engine receives it as the exact decimal
// mccf/1000 (rates::Decimal).
//
// Conversion to CCF (one hundred cubic feet). A US gallon is exactly 231 cubic inches and a CCF
// is 172,800 cubic inches, so 1 gallon = 231/172,800 CCF = 385/288 mccf exactly; 1 cubic foot =
// 10 mccf; 1 CCF = 1,000 mccf. Register units × multiplier are converted in ONE step and rounded
// half-up (ties away from zero, so a true-up credit and its charge round alike) to a whole mccf:
// 1,000 gallons = 1,336.805… → 1,337 mccf; 748 gallons = 999.93… → 1,000 mccf. Cubic feet and
// CCF never need rounding.
//
// Dials: a register with D dials shows 0 … 10^D − 1 and rolls over to 0.
//
// Install history: a meter is installed at a premise for an account with an initial read and
// removed with a final read. A meter exchange removes the old meter (its final read closes its
// last period) and installs the new one (its initial read starts the next) on the same day.
// Pure types and rules; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

enum class MeterUnit { kGallons, kCubicFeet, kCcf };
std::string_view to_string(MeterUnit u);
// "gallons", "cubic_feet", "ccf"; kInvalidInput naming `field` otherwise.
[[nodiscard]] Result<MeterUnit> parse_meter_unit(std::string_view text,
                                                 std::string_view field = "unit");

inline constexpr int kMinDials = 3;
inline constexpr int kMaxDials = 10;
// Compound and large meters read ×10, ×100 or ×1,000; 10,000 is far beyond any in service.
inline constexpr std::int64_t kMaxMultiplier = 10'000;
inline constexpr std::size_t kMaxSerialLength = 40;

struct Meter {
  std::int64_t id = 0;
  std::string serial;  // the number stamped on the register; unique in the City
  std::string size;    // e.g. 5/8", 3/4", 1", 2"
  std::string make;    // e.g. Badger, Neptune, Sensus
  int dials = 6;
  std::int64_t multiplier = 1;
  MeterUnit unit = MeterUnit::kCcf;
};

struct MeterInstall {
  std::int64_t id = 0;
  std::int64_t meter_id = 0;
  std::int64_t premise_id = 0;
  std::int64_t account_id = 0;
  CivilDate installed_on;
  std::int64_t initial_read = 0;
  std::optional<CivilDate> removed_on;
  std::optional<std::int64_t> final_read;
};

// Serial, size, make, dials (kMinDials..kMaxDials), multiplier (1..kMaxMultiplier). kInvalidInput
// naming the field.
[[nodiscard]] Result<void> check_meter(const Meter& m);

// 10^dials: the number of distinct register values.
std::int64_t register_capacity(int dials);
// kInvalidInput naming `field` unless 0 <= value < register_capacity(m.dials).
[[nodiscard]] Result<void> check_register_value(const Meter& m, std::int64_t value,
                                                std::string_view field = "value");

// Register units (may be negative: a true-up credit) × multiplier in mccf, rounded half-up
// once. kInvalidInput when the result does not fit.
[[nodiscard]] Result<std::int64_t> usage_mccf(const Meter& m, std::int64_t register_units);
// The inverse for estimates: the whole register units closest (half-up) to `mccf`.
std::int64_t register_units_for(const Meter& m, std::int64_t mccf);

// "12.345" (CCF with three places) from mccf; "-0.500" for negatives.
std::string format_ccf(std::int64_t mccf);

// Rounds numerator/denominator (denominator > 0) to the nearest integer, ties away from zero.
__int128 divide_half_up(__int128 numerator, __int128 denominator);

}  // namespace civicdesk::billing
