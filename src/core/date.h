// Civil (calendar) dates, with no time zone attached. Day arithmetic uses days since 1970-01-01.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;

  std::int64_t days_since_epoch() const;
  static CivilDate from_days(std::int64_t days);
  CivilDate plus_days(std::int64_t n) const { return from_days(days_since_epoch() + n); }
  int weekday() const;  // 0 = Sunday .. 6 = Saturday
  std::string iso() const;  // YYYY-MM-DD
};

// Parses YYYY-MM-DD; the error names `field`.
[[nodiscard]] Result<CivilDate> parse_date(std::string_view text, std::string_view field = "date");
bool is_valid_date(int year, int month, int day);

}  // namespace civicdesk
