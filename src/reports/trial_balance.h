// Trial balance by fund for any date: every account's debits and credits posted on or before the
// date, grouped by fund. Each fund is its own set of books, so each fund's debits equal its
// credits (every journal entry balances per fund); `balanced()` says whether they do.
//
// For today or later the stored account totals are read (O(accounts)); for an earlier date the
// journal is summed up to that date. Names and types come from the City config. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "city/city_config.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"
#include "store/db.h"

namespace civicdesk::reports {

// Raw totals of one account, as read from the store.
struct AccountActivity {
  std::string account;
  std::string fund;
  Money debits;
  Money credits;
};

struct TrialBalanceAccount {
  std::string account;  // "1200-WATER"
  std::string name;     // "" when the account is not in the City config
  std::string type;     // asset | liability | equity | revenue | expense | ""
  Money debits;
  Money credits;
  Money net;  // debits - credits: positive is a debit balance, negative a credit balance
};

struct FundTrialBalance {
  std::string fund;
  std::string name;
  std::vector<TrialBalanceAccount> accounts;  // by account code
  Money debits;
  Money credits;
  bool balanced() const { return debits == credits; }
};

struct TrialBalance {
  CivilDate as_of;
  std::vector<FundTrialBalance> funds;  // by fund code
  Money debits;
  Money credits;
};

// Pure: groups activity by fund, names accounts and funds from `city`, sums (checked).
[[nodiscard]] Result<TrialBalance> build_trial_balance(const std::vector<AccountActivity>& rows,
                                                       const CityConfig& city, CivilDate as_of);

// Account totals from the stored balances (today's books).
[[nodiscard]] Result<std::vector<AccountActivity>> stored_activity(store::Connection& c);
// Account totals summed from journal lines posted on or before `as_of`.
[[nodiscard]] Result<std::vector<AccountActivity>> journal_activity(store::Connection& c,
                                                                    CivilDate as_of);

// `today` is the City's local date. Errors: kStorage; kInvalidInput on an overflowing sum.
[[nodiscard]] Result<TrialBalance> trial_balance(store::Database& db, const CityConfig& city,
                                                 CivilDate as_of, CivilDate today);

}  // namespace civicdesk::reports
