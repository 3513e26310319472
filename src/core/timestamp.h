// Formatting and parsing of UTC timestamps (microseconds since the epoch) for the API and logs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"

namespace civicdesk {

// "2026-11-26T08:01:02Z" (seconds precision).
std::string iso_utc(Timestamp us);
// Midnight UTC of a civil date, in microseconds.
Timestamp utc_midnight_us(const CivilDate& d);

}  // namespace civicdesk
