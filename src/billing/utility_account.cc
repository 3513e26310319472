#include "billing/utility_account.h"

#include "core/limits.h"

namespace civicdesk::billing {

std::string_view to_string(AccountStatus s) {
  return s == AccountStatus::kActive ? "active" : "closed";
}

std::string ledger_account_ref(std::int64_t number) {
  return "utility:" + std::to_string(number);
}

Result<void> check_account_number(std::int64_t number) {
  if (number < 1 || number > kMaxAccountNumber)
    return fail(Error::invalid("number", "an account number is 1 to 10 digits"));
  return {};
}

Result<void> check_account(const UtilityAccount& a) {
  CD_TRY(check_account_number(a.number));
  if (a.deposit.is_negative() || a.deposit.cents() > kMaxPaymentCents)
    return fail(Error::invalid("deposit", "must be between 0 and the largest payment"));
  const MailingAddress& m = a.mailing;
  const bool any = !m.line1.empty() || !m.line2.empty() || !m.city.empty() || !m.state.empty() ||
                   !m.postal_code.empty();
  if (any) {
    if (m.line1.empty()) return fail(Error::invalid("mailing.line1", "is required"));
    if (m.city.empty()) return fail(Error::invalid("mailing.city", "is required"));
    if (m.state.empty()) return fail(Error::invalid("mailing.state", "is required"));
    if (m.postal_code.empty()) return fail(Error::invalid("mailing.postal_code", "is required"));
  }
  for (const std::string* s : {&m.line1, &m.line2, &m.city, &m.state, &m.postal_code})
    if (s->size() > kMaxAddressLineLength)
      return fail(Error::invalid(
          "mailing", "an address line is longer than " + std::to_string(kMaxAddressLineLength)));
  return {};
}

}  // namespace civicdesk::billing
