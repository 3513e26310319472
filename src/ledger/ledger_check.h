// `civicdesk ledger check`: recompute every balance from the journal and compare it with the
// stored O(1) balances and the control accounts. Any disagreement is listed; an empty list
// means the books agree to the cent.
//
// Checks: every entry balances per fund; account_balances = sums of journal lines per account;
// each charge line's and obligation's balance = its receivable lines; each party's receivable =
// its receivable lines, and credit = its unapplied-credit lines; each payment's unapplied = its
// unapplied-credit lines; per fund, the receivable control account (1200-F) = the sum of the
// charge-line balances in that fund, and the unapplied-credit account (2100-F) = the sum of
// payments' unapplied amounts held in that fund.
#pragma once

#include <string>
#include <vector>

#include "store/db.h"

namespace civicdesk::ledger {

struct CheckReport {
  std::int64_t entries = 0;
  std::int64_t lines = 0;
  std::vector<std::string> problems;  // each names what disagrees and both figures
  bool ok() const { return problems.empty(); }
};

[[nodiscard]] Result<CheckReport> check(store::Database& db);

}  // namespace civicdesk::ledger
