#include "billing/refuse_cart.h"

#include <algorithm>
#include <array>

namespace civicdesk::billing {

Result<void> check_refuse_cart(const RefuseCart& cart) {
  constexpr std::array kSizes = {20, 32, 35, 64, 95, 96};
  if (std::find(kSizes.begin(), kSizes.end(), cart.size_gallons) == kSizes.end())
    return fail(Error::invalid("size_gallons", "a cart is 20, 32, 35, 64, 95 or 96 gallons"));
  if (cart.count < 1 || cart.count > 10)
    return fail(Error::invalid("count", "must be between 1 and 10"));
  if (cart.pickups_per_week < 1 || cart.pickups_per_week > 7)
    return fail(Error::invalid("pickups_per_week", "must be between 1 and 7"));
  return {};
}

}  // namespace civicdesk::billing
