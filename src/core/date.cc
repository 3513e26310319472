#include "core/date.h"

#include <cstdio>

namespace civicdesk {
namespace {

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Floor division, so eras before year 0 land correctly (Hinnant's algorithm needs it).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::unexpected<Error> bad_date(std::string_view field, std::string_view why) {
  return fail(ErrorCode::kInvalidInput, std::string(field) + " " + std::string(why),
              std::string(field));
}

}  // namespace

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html): counts
// in 400-year eras of 146097 days starting on March 1, so the leap day is last in each year.
std::int64_t CivilDate::days_since_epoch() const {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t year_of_era = y - era * 400;                            // [0, 399]
  const std::int64_t shifted_month = month > 2 ? month - 3 : month + 9;      // March = 0
  const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;  // [0, 365]
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

// Hinnant's civil_from_days, the inverse of the above.
CivilDate CivilDate::from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March = 0
  const int d = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const int m = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const std::int64_t y = year_of_era + era * 400 + (m <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(y), m, d};
}

int CivilDate::weekday() const {
  // 1970-01-01 was a Thursday (4).
  const std::int64_t days = days_since_epoch();
  return static_cast<int>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

std::string CivilDate::iso() const {
  char buffer[32];
  const char* format = year >= 0 && year <= 9999 ? "%04d-%02d-%02d" : "%+05d-%02d-%02d";
  std::snprintf(buffer, sizeof buffer, format, year, month, day);
  return buffer;
}

bool is_valid_date(int year, int month, int day) {
  if (year < 1 || year > 9999) return false;  // what YYYY can say
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= days_in_month(year, month);
}

Result<CivilDate> parse_date(std::string_view text, std::string_view field) {
  if (text.empty()) return bad_date(field, "is required");
  const bool shape_ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; shape_ok && p < 3; ++p) {
    for (int i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      const char c = text[static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return bad_date(field, "must be a date written YYYY-MM-DD");
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  if (!shape_ok) return bad_date(field, "must be a date written YYYY-MM-DD");
  if (!is_valid_date(parts[0], parts[1], parts[2])) {
    return bad_date(field, "is not a calendar date (" + std::string(text) + ")");
  }
  return CivilDate{parts[0], parts[1], parts[2]};
}

}  // namespace civicdesk
