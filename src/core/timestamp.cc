#include "core/timestamp.h"

#include <fmt/format.h>

namespace civicdesk {

std::string iso_utc(Timestamp us) {
  std::int64_t secs = us >= 0 ? us / kMicrosPerSecond : (us - kMicrosPerSecond + 1) / kMicrosPerSecond;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  CivilDate d = CivilDate::from_days(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", d.year, d.month, d.day, rem / 3600,
                     (rem / 60) % 60, rem % 60);
}

Timestamp utc_midnight_us(const CivilDate& d) {
  return d.days_since_epoch() * 86400 * kMicrosPerSecond;
}

}  // namespace civicdesk
