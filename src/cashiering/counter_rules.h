// The counter's pure rules: how a cart becomes ledger payments, the tender label, receipt
// numbers, what part of a counted drawer is deposited, and a revolving fund's reconciliation.
// No I/O; the Counter service (cashiering/counter.h) loads state, calls these and saves.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cashiering/denominations.h"
#include "cashiering/tenders.h"
#include "core/limits.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::cashiering {

// Limits of the counter (candidates for core/limits.h, which the core owners keep).
// A cart holds as many items as one payment may be directed to.
inline constexpr std::size_t kMaxCartItems = kMaxDirectedObligations;
// Nobody pays one cart with more than a handful of tenders; ten bounds the request.
inline constexpr std::size_t kMaxTenders = 10;
// One card per transaction: a second card's decline would need the first one voided.
inline constexpr std::size_t kMaxCardTenders = 1;
// Drawer codes print on every receipt number ("CH-1-000042").
inline constexpr std::size_t kMaxDrawerCodeLength = 16;
// Expense receipts listed in one revolving-fund count.
inline constexpr std::size_t kMaxFundReceipts = 200;
// "host:port" of a receipt printer.
inline constexpr std::size_t kMaxPrinterAddressLength = 255;

struct CartItem {
  std::int64_t party_id = 0;
  std::int64_t obligation_id = 0;  // 0: no obligation named; the ledger's rules allocate
  Money amount;
};

// What the cart needs to know about a named obligation.
struct ObligationState {
  std::int64_t party_id = 0;
  Money balance;
  std::string status;  // only "open" may be paid
};

// One ledger payment: a party, an amount, the obligations it is directed to (in order; empty:
// allocate by the City's rules) and the cart items it covers.
struct PlannedPayment {
  std::int64_t party_id = 0;
  Money amount;
  std::vector<std::int64_t> directed;
  std::vector<std::size_t> items;
};

// Sum of the items' amounts; kInvalidInput for an empty cart, too many items, an amount that
// is not positive, or a total over the largest payment.
[[nodiscard]] Result<Money> cart_total(const std::vector<CartItem>& items);

// One payment per party where the ledger's directed allocation gives each item exactly its
// amount; otherwise as few as needed. Per party (in order of first appearance): items naming an
// obligation are taken in order into one directed payment for as long as every earlier item
// pays its obligation's whole balance (a directed payment fills the first obligation before the
// next); items naming none make one undirected payment. Errors (kInvalidInput naming
// "items[i].obligation_id"): an unknown obligation, another party's, one not open, or one named
// twice.
[[nodiscard]] Result<std::vector<PlannedPayment>> plan_payments(
    const std::vector<CartItem>& items, const std::map<std::int64_t, ObligationState>& obligations);

// The ledger tender of a transaction: the one kind used, or "split" when kinds are mixed.
std::string tender_label(const std::vector<Tender>& tenders);

// "CH-1-000042": drawer code, '-', the number zero-padded to six digits.
std::string receipt_label(std::string_view drawer_code, std::int64_t number);
struct ReceiptRef {
  std::string drawer_code;
  std::int64_t number = 0;
};
// Accepts "CH-1-000042" (or "CH-1-42"), or a bare "42" with `drawer_param` = "CH-1".
// kInvalidInput naming "number" or "drawer".
[[nodiscard]] Result<ReceiptRef> parse_receipt_ref(std::string_view text,
                                                   std::string_view drawer_param);

// What a closed drawer sends to the bank as cash: the counted cash less the float, which goes
// back to the change fund in the denominations it was issued in. The split between currency
// and coin follows the counts (counted bills less float bills, counted coin less float coin);
// when one side would be negative the other absorbs it, so currency + coin is always the cash
// deposited. Counted cash below the float deposits no cash at all (a deposit slip never carries
// a negative amount): `float_short` is what the change fund does not get back.
struct DepositCash {
  Money currency;
  Money coin;
  Money float_short;  // zero unless the counted cash is less than the float
};
DepositCash cash_to_deposit(const CashCount& counted, const CashCount& float_count);

// A revolving fund's reconciliation: cash on hand + receipts for expenses = authorized amount;
// difference = cash + receipts - authorized (negative: money missing).
struct FundReconciliation {
  Money authorized, cash, receipts, difference;
  bool balanced() const { return difference.is_zero(); }
};
FundReconciliation reconcile_fund(Money authorized, Money cash, Money receipts);

// "host:port" with a port 1..65535; kInvalidInput naming "printer". Empty is allowed (none).
[[nodiscard]] Result<void> validate_printer(std::string_view address);

}  // namespace civicdesk::cashiering
