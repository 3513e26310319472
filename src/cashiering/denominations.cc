#include "cashiering/denominations.h"

namespace civicdesk::cashiering {
namespace {

// No drawer holds a million of anything: a count this large is a typo.
constexpr std::int64_t kMaxPieces = 1'000'000;

const Denomination* find(const std::string& name) {
  for (const auto& d : kDenominations)
    if (name == d.name) return &d;
  return nullptr;
}

Money sum_if(const CashCount& count, int coin) {  // coin: 0 bills, 1 coins, -1 all
  std::int64_t cents = 0;
  for (const auto& [name, n] : count) {
    const Denomination* d = find(name);
    if (d && (coin < 0 || d->coin == (coin == 1))) cents += d->cents * n;
  }
  return Money::from_cents(cents);
}

}  // namespace

Result<void> validate(const CashCount& count, const std::string& field) {
  for (const auto& [name, n] : count) {
    if (!find(name))
      return fail(Error::invalid(field + "." + name,
                                 "'" + name + "' is not a denomination (100, 50, 20, 10, 5, 2, 1, "
                                              "1c, 0.25, 0.10, 0.05, 0.01)"));
    if (n < 0 || n > kMaxPieces)
      return fail(Error::invalid(field + "." + name, "count must be between 0 and 1000000"));
  }
  return {};
}

Money total(const CashCount& count) { return sum_if(count, -1); }
Money currency_total(const CashCount& count) { return sum_if(count, 0); }
Money coin_total(const CashCount& count) { return sum_if(count, 1); }

}  // namespace civicdesk::cashiering
