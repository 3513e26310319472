// Statement of account: what a party owed at the start of a period, every entry that changed it
// during the period in plain words, what it owed at the end, and how old the open charges are.
//
// "Balance" is what the party owes minus its unapplied credit: receivable journal lines (1200-*)
// raise it by their net debit, unapplied-credit lines (2100-*) lower it by their net credit.
// Entries are those with such a line for the party, by posting date (the City's local date);
// an entry that only moves money between the two (a credit applied to a charge) is listed with
// no effect. Reads run in one read transaction: a handful of indexed queries, no per-entry query.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "city/city_config.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"
#include "reports/aging.h"
#include "store/db.h"

namespace civicdesk::reports {

struct StatementLine {
  CivilDate posting_date;
  std::int64_t entry_id = 0;
  std::string kind;         // the entry kind's code, e.g. "credit_application"
  std::string description;  // the kind in plain words, e.g. "Credit applied"
  std::string memo;
  Money charges;   // what the entry added to the balance (>= 0)
  Money payments;  // what it took off (>= 0): payments, credits, adjustments down
  Money balance;   // the running balance after the entry
};

struct Statement {
  std::string city_name;
  std::int64_t party_id = 0;
  std::string party_name;
  std::vector<std::string> address_lines;  // the mailing address (else the first), ready to print
  CivilDate from;
  CivilDate to;
  Money opening_balance;  // before `from`
  std::vector<StatementLine> lines;
  Money total_charges;
  Money total_payments;
  Money closing_balance;  // opening + charges - payments: the balance at the end of `to`
  Money closing_credit;   // unapplied credit at the end of `to` (part of the closing balance)
  AgingBuckets aging;     // open obligations as of `to`; total = what is owed before credit
};

// The kind code in plain words ("payment" -> "Payment"); unknown codes come back unchanged.
std::string entry_kind_words(std::string_view kind);

// `today` (the City's local date), when the caller knows it: a statement ending on or after
// today has nothing posted after its end, so its closing balance and aging are the stored
// balances, and its opening balance is the closing balance less the period's entries — one
// query over the period instead of replaying the party's whole history. Same figures either way.
//
// Errors: kInvalidInput ("from") when from > to; kNotFound when there is no such party;
// kTooLarge when more than kMaxLedgerRows entries fall in the period (narrow it);
// kInvalidInput on an overflowing sum; kStorage when the database fails.
[[nodiscard]] Result<Statement> statement(store::Database& db, const CityConfig& city,
                                          std::int64_t party_id, CivilDate from, CivilDate to,
                                          std::optional<CivilDate> today = std::nullopt);

}  // namespace civicdesk::reports
