// A service on an account — water, sewer, refuse or stormwater — with its own rate class and its
// own start and stop dates, so one service can stop (a vacant lot's refuse) without closing the
// account or final-billing the others (Harris NorthStar's "inactivate a service"). A service is
// active on the days [started_on, stopped_on): the stop date is the first day not served.
// Pure type and rules; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

enum class ServiceKind { kWater, kSewer, kRefuse, kStormwater };
std::string_view to_string(ServiceKind k);
// "water", "sewer", "refuse", "stormwater"; kInvalidInput naming `field` otherwise.
[[nodiscard]] Result<ServiceKind> parse_service_kind(std::string_view text,
                                                     std::string_view field = "kind");

// A rate class names a customer class of the tariff (OWRS), e.g. "RESIDENTIAL_SINGLE".
inline constexpr std::size_t kMaxRateClassLength = 64;

struct Service {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  ServiceKind kind = ServiceKind::kWater;
  std::string rate_class;
  CivilDate started_on;
  std::optional<CivilDate> stopped_on;  // first day without service

  bool active_on(CivilDate day) const {
    return started_on <= day && (!stopped_on || day < *stopped_on);
  }
};

// A new service of `kind` from `started_on`: the rate class is required; no service of the same
// kind on the account may still be running on or after that day (kConflict naming "kind");
// the start may not precede the account's opening (kUnprocessable naming "started_on").
[[nodiscard]] Result<void> check_new_service(const std::vector<Service>& existing, ServiceKind kind,
                                             const std::string& rate_class, CivilDate started_on,
                                             CivilDate account_opened_on);
// Stopping `s` on `stop_on`: kUnprocessable when it is already stopped, or the stop is before
// the start (naming "stopped_on").
[[nodiscard]] Result<void> check_stop(const Service& s, CivilDate stop_on);

}  // namespace civicdesk::billing
