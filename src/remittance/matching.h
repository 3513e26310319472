// Reading a remittance stub and deciding whether its item can post as is (pure; no I/O).
//
// A stub is read from a scanline (scanned, or typed by a clerk), from a keyed account number
// (with the amount due when the clerk has it), or is missing. The item then posts only when the
// stub was read, its account is known, and the check pays exactly the amount due; otherwise it
// goes to the exception queue with one of the reasons below.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::remittance {

// Exception reasons (stable: stored, and shown by the API).
inline constexpr std::string_view kReasonUnknownAccount = "unknown_account";
inline constexpr std::string_view kReasonNoStub = "no_stub";
inline constexpr std::string_view kReasonAmountMismatch = "amount_mismatch";
inline constexpr std::string_view kReasonBadCheckDigit = "bad_check_digit";
inline constexpr std::string_view kReasonUnreadable = "unreadable_scanline";
inline constexpr std::string_view kReasonRefused = "refused";  // the ledger refused the payment

struct StubReading {
  std::string entry_method;         // scanned | keyed | none | lockbox
  std::string scanline;             // the 21 digits when read; as received when not
  std::int64_t account_number = 0;  // 0: none read
  std::optional<std::int64_t> amount_due_cents;
  std::string problem;  // "" or kReasonNoStub / kReasonBadCheckDigit / kReasonUnreadable
  std::string message;  // why, for the exception queue
};

// A mail batch item. A malformed scan (a stray character, too few digits) is refused with
// kInvalidInput naming "scanline" so the clerk scans again at once; a scan whose check digit
// does not match is read with problem kReasonBadCheckDigit (it goes to the exception queue).
// A keyed account number that is not 1..10 digits: kInvalidInput naming "account_number".
// Giving both a scanline and an account number: kInvalidInput naming "account_number".
[[nodiscard]] Result<StubReading> read_mail_stub(std::string_view scanline,
                                                 std::string_view account_number,
                                                 std::optional<std::int64_t> amount_due_cents);

// A lockbox detail's scanline column (trimmed): blank is "no stub"; anything that does not
// parse is unreadable or has a wrong check digit. Never fails.
StubReading read_lockbox_stub(std::string_view scanline);

struct Decision {
  std::string reason;  // "" = post it; else the exception reason
  std::string message;
};

// account_found: the reading's account number names a known account.
Decision decide(const StubReading& reading, bool account_found, std::int64_t check_amount_cents);

}  // namespace civicdesk::remittance
