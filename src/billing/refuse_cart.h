// Refuse carts on an account: size, how many, how often collected. Refuse is billed by cart
// size and frequency (the rate engine's refuse tables), so these are the billing quantities.
// Pure type and rules; no I/O.
#pragma once

#include <cstdint>
#include <optional>

#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

struct RefuseCart {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  int size_gallons = 64;     // 20, 32, 35, 64, 95 or 96 (the sizes haulers supply)
  int count = 1;             // 1..10
  int pickups_per_week = 1;  // 1..7
  CivilDate started_on;
  std::optional<CivilDate> stopped_on;
};

// kInvalidInput naming size_gallons, count or pickups_per_week.
[[nodiscard]] Result<void> check_refuse_cart(const RefuseCart& cart);

}  // namespace civicdesk::billing
