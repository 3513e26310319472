#include "cashiering/counter_rules.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

namespace civicdesk::cashiering {
namespace {

std::string item_field(std::size_t i, const char* name) {
  return "items[" + std::to_string(i) + "]." + name;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<Money> cart_total(const std::vector<CartItem>& items) {
  if (items.empty()) return fail(Error::invalid("items", "the cart is empty"));
  if (items.size() > kMaxCartItems)
    return fail(Error::invalid("items",
                               "a cart holds at most " + std::to_string(kMaxCartItems) + " items"));
  Money total;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].amount.is_positive() || items[i].amount.cents() > kMaxPaymentCents)
      return fail(Error::invalid(item_field(i, "amount"), "amount must be more than $0.00"));
    CD_ASSIGN(total, total.add(items[i].amount));
  }
  if (total.cents() > kMaxPaymentCents)
    return fail(Error::invalid("items", "the cart total is over the largest payment"));
  return total;
}

Result<std::vector<PlannedPayment>> plan_payments(
    const std::vector<CartItem>& items,
    const std::map<std::int64_t, ObligationState>& obligations) {
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const CartItem& it = items[i];
    if (it.obligation_id == 0) continue;
    auto o = obligations.find(it.obligation_id);
    std::string f = item_field(i, "obligation_id");
    std::string name = "obligation " + std::to_string(it.obligation_id);
    if (o == obligations.end()) return fail(Error::invalid(f, name + " does not exist"));
    if (o->second.party_id != it.party_id)
      return fail(Error::invalid(f, name + " is not one of this customer's"));
    if (o->second.status != "open")
      return fail(Error::invalid(f, name + " is " + o->second.status + ", not open"));
    if (!seen.insert(it.obligation_id).second)
      return fail(Error::invalid(f, name + " is in the cart twice"));
  }
  std::vector<std::int64_t> parties;
  for (const auto& it : items)
    if (std::find(parties.begin(), parties.end(), it.party_id) == parties.end())
      parties.push_back(it.party_id);
  std::vector<PlannedPayment> out;
  for (std::int64_t party : parties) {
    PlannedPayment undirected{party, Money::zero(), {}, {}};
    PlannedPayment run{party, Money::zero(), {}, {}};
    bool run_can_grow = false;  // the last item of `run` paid its obligation in full
    for (std::size_t i = 0; i < items.size(); ++i) {
      const CartItem& it = items[i];
      if (it.party_id != party) continue;
      if (it.obligation_id == 0) {
        undirected.amount = Money::from_cents(undirected.amount.cents() + it.amount.cents());
        undirected.items.push_back(i);
        continue;
      }
      if (!run.items.empty() && !run_can_grow) {
        out.push_back(run);
        run = PlannedPayment{party, Money::zero(), {}, {}};
      }
      run.amount = Money::from_cents(run.amount.cents() + it.amount.cents());
      run.directed.push_back(it.obligation_id);
      run.items.push_back(i);
      run_can_grow = it.amount == obligations.at(it.obligation_id).balance;
    }
    if (!run.items.empty()) out.push_back(run);
    if (!undirected.items.empty()) out.push_back(undirected);
  }
  return out;
}

std::string tender_label(const std::vector<Tender>& tenders) {
  if (tenders.empty()) return "cash";
  for (const auto& t : tenders)
    if (t.kind != tenders.front().kind) return "split";
  return tenders.front().kind;
}

std::string receipt_label(std::string_view drawer_code, std::int64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(number));
  return std::string(drawer_code) + "-" + digits;
}

Result<ReceiptRef> parse_receipt_ref(std::string_view text, std::string_view drawer_param) {
  ReceiptRef ref;
  std::string_view number = text;
  if (!drawer_param.empty()) {
    ref.drawer_code = std::string(drawer_param);
    std::string prefix = ref.drawer_code + "-";
    if (number.starts_with(prefix)) number.remove_prefix(prefix.size());
  } else {
    auto dash = text.rfind('-');
    if (dash == std::string_view::npos || dash == 0)
      return fail(Error::invalid("drawer",
                                 "give the receipt as DRAWER-NUMBER (e.g. CH-1-000042) "
                                 "or add ?drawer=CODE"));
    ref.drawer_code = std::string(text.substr(0, dash));
    number = text.substr(dash + 1);
  }
  if (!parse_int(number, ref.number) || ref.number < 1)
    return fail(Error::invalid("number", "a receipt number is a positive whole number"));
  if (ref.drawer_code.size() > kMaxDrawerCodeLength)
    return fail(Error::invalid("drawer", "no drawer has a code that long"));
  return ref;
}

DepositCash cash_to_deposit(const CashCount& counted, const CashCount& float_count) {
  std::int64_t currency = currency_total(counted).cents() - currency_total(float_count).cents();
  std::int64_t coin = coin_total(counted).cents() - coin_total(float_count).cents();
  if (coin < 0) {
    currency += coin;
    coin = 0;
  }
  if (currency < 0 && coin > 0) {
    std::int64_t take = std::min(coin, -currency);
    coin -= take;
    currency += take;
  }
  std::int64_t float_short = 0;
  if (currency < 0) {
    float_short = -currency;
    currency = 0;
  }
  return {Money::from_cents(currency), Money::from_cents(coin), Money::from_cents(float_short)};
}

FundReconciliation reconcile_fund(Money authorized, Money cash, Money receipts) {
  return {authorized, cash, receipts,
          Money::from_cents(cash.cents() + receipts.cents() - authorized.cents())};
}

Result<void> validate_printer(std::string_view address) {
  if (address.empty()) return {};
  CD_TRY(check_length(address, kMaxPrinterAddressLength, "printer"));
  auto colon = address.rfind(':');
  std::int64_t port = 0;
  if (colon == std::string_view::npos || colon == 0 ||
      !parse_int(address.substr(colon + 1), port) || port < 1 || port > 65535)
    return fail(Error::invalid("printer", "printer must be host:port, e.g. 10.0.4.21:9100"));
  for (char c : address.substr(0, colon))
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'))
      return fail(Error::invalid("printer", "printer host may hold letters, digits, '.' and '-'"));
  return {};
}

}  // namespace civicdesk::cashiering
