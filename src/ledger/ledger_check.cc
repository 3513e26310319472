#include "ledger/ledger_check.h"

#include <map>

#include "core/money.h"

namespace civicdesk::ledger {
namespace {

constexpr std::size_t kMaxProblems = 100;

void note(CheckReport& r, std::string problem) {
  if (r.problems.size() < kMaxProblems) r.problems.push_back(std::move(problem));
}

std::string cents(std::int64_t c) { return format_money(Money::from_cents(c)); }

// Compares "stored" and "computed" query results keyed by their first column.
Result<void> compare(store::Connection& c, CheckReport& r, const std::string& what,
                     const std::string& stored_sql, const std::string& computed_sql) {
  std::map<std::string, std::int64_t> stored, computed;
  CD_ASSIGN(auto a, c.query(stored_sql));
  for (const auto& row : a) stored[row.text(0)] = row.integer(1);
  CD_ASSIGN(auto b, c.query(computed_sql));
  for (const auto& row : b) computed[row.text(0)] = row.integer(1);
  for (const auto& [k, v] : stored) {
    std::int64_t want = computed.contains(k) ? computed[k] : 0;
    if (v != want)
      note(r, what + " " + k + ": stored " + cents(v) + ", journal says " + cents(want));
  }
  for (const auto& [k, v] : computed)
    if (!stored.contains(k) && v != 0)
      note(r, what + " " + k + ": nothing stored, journal says " + cents(v));
  return {};
}

}  // namespace

Result<CheckReport> check(store::Database& db) {
  return db.read<CheckReport>([&](store::Connection& c) -> Result<CheckReport> {
    CheckReport r;
    CD_ASSIGN(r.entries, c.query_int("SELECT COUNT(*) FROM journal_entries"));
    CD_ASSIGN(r.lines, c.query_int("SELECT COUNT(*) FROM journal_lines"));
    CD_ASSIGN(auto unbalanced,
              c.query("SELECT entry_id, fund, SUM(debit_cents) - SUM(credit_cents) FROM "
                      "journal_lines GROUP BY entry_id, fund "
                      "HAVING SUM(debit_cents) <> SUM(credit_cents) LIMIT 100"));
    for (const auto& u : unbalanced)
      note(r, "entry " + u.text(0) + " does not balance in fund " + u.text(1) + " (off by " +
                  cents(u.integer(2)) + ")");
    // Net debit per account.
    CD_TRY(compare(c, r, "account", "SELECT account, debit_cents - credit_cents FROM account_balances",
                   "SELECT account, SUM(debit_cents) - SUM(credit_cents) FROM journal_lines "
                   "GROUP BY account"));
    const std::string receivable_lines =
        " FROM journal_lines WHERE account LIKE '1200-%' ";
    CD_TRY(compare(c, r, "charge line", "SELECT id, balance_cents FROM charge_lines",
                   "SELECT charge_line_id, SUM(debit_cents) - SUM(credit_cents)" +
                       receivable_lines + "GROUP BY charge_line_id"));
    CD_TRY(compare(c, r, "obligation", "SELECT id, balance_cents FROM obligations",
                   "SELECT obligation_id, SUM(debit_cents) - SUM(credit_cents)" +
                       receivable_lines + "GROUP BY obligation_id"));
    CD_TRY(compare(c, r, "party receivable", "SELECT party_id, receivable_cents FROM party_balances",
                   "SELECT party_id, SUM(debit_cents) - SUM(credit_cents)" + receivable_lines +
                       "GROUP BY party_id"));
    const std::string unapplied_lines = " FROM journal_lines WHERE account LIKE '2100-%' ";
    CD_TRY(compare(c, r, "party credit", "SELECT party_id, credit_cents FROM party_balances",
                   "SELECT party_id, SUM(credit_cents) - SUM(debit_cents)" + unapplied_lines +
                       "GROUP BY party_id"));
    CD_TRY(compare(c, r, "payment unapplied", "SELECT id, unapplied_cents FROM payments",
                   "SELECT payment_id, SUM(credit_cents) - SUM(debit_cents)" + unapplied_lines +
                       "GROUP BY payment_id"));
    // Control accounts: receivable per fund = open charge-line balances in that fund.
    CD_TRY(compare(c, r, "receivable control, fund",
                   "SELECT fund, SUM(debit_cents - credit_cents) FROM account_balances WHERE "
                   "account LIKE '1200-%' GROUP BY fund",
                   "SELECT fund, SUM(balance_cents) FROM charge_lines GROUP BY fund"));
    CD_TRY(compare(c, r, "obligation vs its lines",
                   "SELECT id, balance_cents FROM obligations",
                   "SELECT obligation_id, SUM(balance_cents) FROM charge_lines GROUP BY "
                   "obligation_id"));
    CD_ASSIGN(auto negative, c.query("SELECT id FROM charge_lines WHERE balance_cents < 0 LIMIT 10"));
    for (const auto& n : negative) note(r, "charge line " + n.text(0) + " is over-applied (negative)");
    CD_ASSIGN(auto neg_pay, c.query("SELECT id FROM payments WHERE unapplied_cents < 0 LIMIT 10"));
    for (const auto& n : neg_pay) note(r, "payment " + n.text(0) + " has negative unapplied credit");
    return r;
  });
}

}  // namespace civicdesk::ledger
