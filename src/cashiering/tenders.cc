#include "cashiering/tenders.h"

#include "cashiering/card_numbers.h"
#include "core/limits.h"

#include <algorithm>

namespace civicdesk::cashiering {
namespace {

bool digits(const std::string& s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Result<void> check_tender(const Tender& t, const std::string& f, bool cash_only) {
  static const char* kKinds[] = {"cash", "check", "money_order", "card", "ach"};
  if (std::none_of(std::begin(kKinds), std::end(kKinds), [&](const char* k) { return t.kind == k; }))
    return fail(Error::invalid(f + ".kind", "tender must be cash, check, money_order, card or ach"));
  if (!t.amount.is_positive() || t.amount.cents() > kMaxPaymentCents)
    return fail(Error::invalid(f + ".amount", "tender amount must be more than $0.00"));
  if (cash_only && t.kind != "cash")
    return fail(Error::make(ErrorCode::kUnprocessable,
                            "this customer is cash only after returned payments", f + ".kind"));
  for (const auto* s : {&t.check_number, &t.bank, &t.payer, &t.micr, &t.card_brand})
    CD_TRY(check_length(*s, kMaxReferenceLength, f));
  for (const auto* s : {&t.check_number, &t.bank, &t.payer, &t.micr, &t.card_token})
    if (contains_card_number(*s))
      return fail(Error::invalid(f, "a card number must never be typed here"));
  if (t.kind == "check" && t.check_number.empty())
    return fail(Error::invalid(f + ".check_number", "a check needs its number"));
  if (t.kind == "card" && (t.card_token.empty() || !digits(t.card_last4, 4)))
    return fail(Error::invalid(f + ".card_token", "a card tender needs the gateway's token and "
                                                  "the last 4 digits"));
  if (t.kind == "ach" && !t.ach_last4.empty() && !digits(t.ach_last4, 4))
    return fail(Error::invalid(f + ".ach_last4", "the last 4 digits of the account"));
  return {};
}

}  // namespace

Result<TenderOutcome> settle(const std::vector<Tender>& tenders, Money cart_total,
                             bool cash_only) {
  if (tenders.empty()) return fail(Error::invalid("tenders", "add at least one tender"));
  TenderOutcome out;
  std::int64_t left = cart_total.cents();
  std::int64_t cash_in = 0;
  // Non-cash tenders first: none may exceed what is left; cash covers the rest and makes change.
  out.applied.resize(tenders.size());
  for (std::size_t i = 0; i < tenders.size(); ++i) {
    const Tender& t = tenders[i];
    CD_TRY(check_tender(t, "tenders[" + std::to_string(i) + "]", cash_only));
    if (t.kind == "cash") continue;
    if (t.amount.cents() > left)
      return fail(Error::invalid("tenders[" + std::to_string(i) + "].amount",
                                 "a " + t.kind + " cannot be for more than what is left to pay (" +
                                     format_money(Money::from_cents(left)) + ")"));
    out.applied[i] = t.amount;
    left -= t.amount.cents();
  }
  for (std::size_t i = 0; i < tenders.size(); ++i) {
    if (tenders[i].kind != "cash") continue;
    cash_in += tenders[i].amount.cents();
    std::int64_t take = std::min(left, tenders[i].amount.cents());
    out.applied[i] = Money::from_cents(take);
    left -= take;
  }
  if (left > 0)
    return fail(Error::invalid("tenders", "the tenders are " + format_money(Money::from_cents(left)) +
                                              " short of the total"));
  std::int64_t cash_applied = 0;
  for (std::size_t i = 0; i < tenders.size(); ++i)
    if (tenders[i].kind == "cash") cash_applied += out.applied[i].cents();
  out.change_due = Money::from_cents(cash_in - cash_applied);
  out.applied_total = cart_total;
  return out;
}

}  // namespace civicdesk::cashiering
