// The journal: balanced, immutable entries in the City's chart of accounts. Pure types and rules.
//
// Every money movement is one JournalEntry whose lines balance per fund (debits = credits within
// each fund, so every fund's books balance on their own). Lines may point at the obligation,
// charge line and payment they concern, which is how balances are recomputed from the journal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::ledger {

enum class EntryKind {
  kCharge,             // a new obligation: Dr receivable / Cr revenue
  kPayment,            // Dr cash / Cr receivable (and Cr unapplied credits for an overpayment)
  kCreditApplication,  // unapplied credit pays a charge
  kAdjustment,         // credit: Dr revenue / Cr receivable; debit: the reverse
  kRefundApproval,     // Dr unapplied credits / Cr refunds payable
  kRefundIssue,        // Dr refunds payable / Cr cash in bank
  kTransfer,           // a misapplied payment moved to another party or obligation
  kReturn,             // a returned payment (NSF/chargeback) reversed
  kWriteOff,           // Dr write-off expense / Cr receivable
  kRecovery,           // a write-off reinstated: Dr receivable / Cr write-off expense
  kCancellation,       // an obligation cancelled (reversal of its charge)
  kVoid,               // a counter payment voided in its own session (reversal, no fee)
  kCashMovement,       // cash moving between asset accounts: drawer → undeposited → bank
  kOverShort,          // a drawer's counted cash differs from the expected amount
};

std::string_view to_string(EntryKind k);
bool parse_entry_kind(std::string_view s, EntryKind& out);

struct JournalLine {
  std::string account;  // GL account code, e.g. "1200-WATER"
  std::string fund;
  Money debit;
  Money credit;
  std::int64_t party_id = 0;
  std::int64_t obligation_id = 0;
  std::int64_t charge_line_id = 0;
  std::int64_t payment_id = 0;
};

struct JournalEntry {
  std::int64_t id = 0;
  EntryKind kind = EntryKind::kCharge;
  CivilDate posting_date;
  std::string memo;
  std::int64_t party_id = 0;
  std::int64_t reverses_entry_id = 0;
  std::vector<JournalLine> lines;
};

// Adds "Dr debit_account / Cr credit_account" for `amount` in `fund` (amount > 0; zero adds
// nothing), with the same references on both lines.
void add_pair(JournalEntry& e, const std::string& fund, const std::string& debit_account,
              const std::string& credit_account, Money amount, const JournalLine& refs);

// Each line has exactly one positive side; debits equal credits within every fund; at least two
// lines. kInternal otherwise — an unbalanced entry is a bug, never written.
[[nodiscard]] Result<void> check_balanced(const JournalEntry& e);

}  // namespace civicdesk::ledger
