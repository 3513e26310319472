// Cash by denomination: what a cashier counts at open and (blind) at close, and what a deposit
// slip lists as currency and coin. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "core/money.h"
#include "core/result.h"

namespace civicdesk::cashiering {

struct Denomination {
  std::int64_t cents;
  const char* name;  // as the count sheet names it, and the API key
  bool coin;
};

// US currency, largest first.
inline constexpr std::array<Denomination, 12> kDenominations = {{
    {10000, "100", false}, {5000, "50", false}, {2000, "20", false}, {1000, "10", false},
    {500, "5", false},     {200, "2", false},   {100, "1", false},   {100, "1c", true},
    {25, "0.25", true},    {10, "0.10", true},  {5, "0.05", true},   {1, "0.01", true},
}};

// Count per denomination name ("20" → 7 twenty-dollar bills; "1c" = dollar coins).
using CashCount = std::map<std::string, std::int64_t>;

// Refuses unknown denominations and negative or absurd counts; the error names the field.
[[nodiscard]] Result<void> validate(const CashCount& count, const std::string& field);
Money total(const CashCount& count);
Money currency_total(const CashCount& count);  // bills
Money coin_total(const CashCount& count);

}  // namespace civicdesk::cashiering
