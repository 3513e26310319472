#include "billing/read_route.h"

#include <cctype>

namespace civicdesk::billing {

Result<void> check_code(const std::string& code, std::string_view field) {
  if (code.empty()) return fail(Error::invalid(std::string(field), "is required"));
  if (code.size() > kMaxCodeLength)
    return fail(
        Error::invalid(std::string(field), "is longer than " + std::to_string(kMaxCodeLength)));
  for (unsigned char ch : code)
    if (!std::isalnum(ch) && ch != '-' && ch != '_')
      return fail(Error::invalid(std::string(field), "letters, digits, '-' and '_' only"));
  return {};
}

Result<void> check_cycle(const Cycle& c) {
  CD_TRY(check_code(c.code));
  if (c.name.empty()) return fail(Error::invalid("name", "is required"));
  if (c.read_day < 1 || c.read_day > 28)
    return fail(Error::invalid("read_day", "must be between 1 and 28 (every month has it)"));
  if (c.period_months < 1 || c.period_months > 3)
    return fail(Error::invalid("period_months", "is 1 (monthly), 2 or 3"));
  return {};
}

std::vector<CivilDate> scheduled_reads(const Cycle& cycle, CivilDate from, CivilDate to) {
  std::vector<CivilDate> out;
  for (int year = from.year; year <= to.year; ++year) {
    for (int month = 1; month <= 12; month += cycle.period_months) {
      const CivilDate d{year, month, cycle.read_day};
      if (from <= d && d <= to) out.push_back(d);
    }
  }
  return out;
}

CivilDate next_scheduled_read(const Cycle& cycle, CivilDate after) {
  // Within the next 13 months there is always one (period at most 3 months).
  auto list = scheduled_reads(cycle, after.plus_days(1), after.plus_days(400));
  return list.front();
}

}  // namespace civicdesk::billing
