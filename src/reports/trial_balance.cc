#include "reports/trial_balance.h"

#include <map>

namespace civicdesk::reports {
namespace {

std::vector<AccountActivity> to_activity(const store::Rows& rows) {
  std::vector<AccountActivity> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back(
        {r.text(0), r.text(1), Money::from_cents(r.integer(2)), Money::from_cents(r.integer(3))});
  return out;
}

std::string fund_name(const CityConfig& city, const std::string& code) {
  for (const auto& f : city.funds)
    if (f.code == code) return f.name;
  return {};
}

Result<TrialBalanceAccount> named_account(const AccountActivity& a, const CityConfig& city) {
  TrialBalanceAccount out;
  out.account = a.account;
  if (const GlAccount* gl = city.gl_account(a.account)) {
    out.name = gl->name;
    out.type = gl->type;
  }
  out.debits = a.debits;
  out.credits = a.credits;
  CD_ASSIGN(out.net, a.debits.sub(a.credits));
  return out;
}

}  // namespace

Result<TrialBalance> build_trial_balance(const std::vector<AccountActivity>& rows,
                                         const CityConfig& city, CivilDate as_of) {
  std::map<std::string, std::map<std::string, const AccountActivity*>> by_fund;
  for (const auto& a : rows)
    if (!a.debits.is_zero() || !a.credits.is_zero()) by_fund[a.fund][a.account] = &a;
  TrialBalance tb;
  tb.as_of = as_of;
  for (const auto& [fund, accounts] : by_fund) {
    FundTrialBalance f;
    f.fund = fund;
    f.name = fund_name(city, fund);
    for (const auto& [code, activity] : accounts) {
      CD_ASSIGN(auto account, named_account(*activity, city));
      CD_ASSIGN(f.debits, f.debits.add(account.debits));
      CD_ASSIGN(f.credits, f.credits.add(account.credits));
      f.accounts.push_back(std::move(account));
    }
    CD_ASSIGN(tb.debits, tb.debits.add(f.debits));
    CD_ASSIGN(tb.credits, tb.credits.add(f.credits));
    tb.funds.push_back(std::move(f));
  }
  return tb;
}

Result<std::vector<AccountActivity>> stored_activity(store::Connection& c) {
  CD_ASSIGN(auto rows, c.query("SELECT account, fund, debit_cents, credit_cents "
                               "FROM account_balances"));
  return to_activity(rows);
}

Result<std::vector<AccountActivity>> journal_activity(store::Connection& c, CivilDate as_of) {
  CD_ASSIGN(auto rows, c.query("SELECT l.account, l.fund, SUM(l.debit_cents), SUM(l.credit_cents) "
                               "FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id "
                               "WHERE e.posting_date <= ? GROUP BY l.account, l.fund",
                               {as_of.iso()}));
  return to_activity(rows);
}

Result<TrialBalance> trial_balance(store::Database& db, const CityConfig& city, CivilDate as_of,
                                   CivilDate today) {
  return db.read<TrialBalance>([&](store::Connection& c) -> Result<TrialBalance> {
    std::vector<AccountActivity> activity;
    if (as_of >= today) {
      CD_ASSIGN(activity, stored_activity(c));
    } else {
      CD_ASSIGN(activity, journal_activity(c, as_of));
    }
    return build_trial_balance(activity, city, as_of);
  });
}

}  // namespace civicdesk::reports
