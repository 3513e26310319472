// A utility account: one party receiving service at one premise, billed on one cycle. The
// account number is what the customer quotes and what the bill's remittance stub carries in its
// scanline (remittance/scanline.h: 10 digits), and the ledger's account_ref is
// "utility:NUMBER" (remittance::account_ref_for), so a payment on the stub finds the bill.
// Pure type and rules; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::billing {

// The largest number a 10-digit scanline field holds.
inline constexpr std::int64_t kMaxAccountNumber = 9'999'999'999;
// Default numbering: a party's first account is 1000 + party id (the demo's bills use the same
// rule, so their stubs match the account).
inline constexpr std::int64_t kAccountNumberBase = 1000;

enum class AccountStatus { kActive, kClosed };
std::string_view to_string(AccountStatus s);

// Where bills go when not to the service address (a landlord's office, a PO box). All empty:
// mail to the service address.
struct MailingAddress {
  std::string line1, line2, city, state, postal_code;
  bool empty() const { return line1.empty(); }
};

struct AccountFlags {
  bool cash_only = false;   // returned payments: checks are refused at the counter
  bool no_shutoff = false;  // medical certificate on file: never disconnected for non-payment
  bool landlord = false;    // the owner holds the account for a tenant-occupied premise
};

struct UtilityAccount {
  std::int64_t id = 0;
  std::int64_t number = 0;
  std::int64_t party_id = 0;
  std::int64_t premise_id = 0;
  std::int64_t cycle_id = 0;
  AccountStatus status = AccountStatus::kActive;
  CivilDate opened_on;
  std::optional<CivilDate> closed_on;
  MailingAddress mailing;
  Money deposit;  // held (a record here; the deposit's posting belongs to the ledger)
  AccountFlags flags;
};

// "utility:1001": the ledger account_ref of the account's bills.
std::string ledger_account_ref(std::int64_t number);

// kInvalidInput naming "number" unless 1..kMaxAccountNumber.
[[nodiscard]] Result<void> check_account_number(std::int64_t number);
// Number, deposit (0..kMaxPaymentCents), mailing address lengths (line1, city, state and postal
// code together when any is given).
[[nodiscard]] Result<void> check_account(const UtilityAccount& a);

}  // namespace civicdesk::billing
