#include "reports/statement.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/limits.h"

namespace civicdesk::reports {
namespace {

// The lines that move a party's balance: receivable and unapplied credit.
constexpr const char* kBalanceAccounts = "(l.account LIKE '1200-%' OR l.account LIKE '2100-%')";
constexpr std::string_view kReceivablePrefix = "1200-";
// Journal lines read for one statement: an entry has one line per charge line it touches, so
// ten per entry on average over kMaxLedgerRows entries is generous; it bounds memory.
constexpr std::int64_t kMaxStatementJournalLines = 10 * std::int64_t{kMaxLedgerRows};
constexpr const char* kReceivableChange =
    "SUM(CASE WHEN l.account LIKE '1200-%' THEN l.debit_cents - l.credit_cents ELSE 0 END)";
constexpr const char* kCreditChange =
    "SUM(CASE WHEN l.account LIKE '2100-%' THEN l.credit_cents - l.debit_cents ELSE 0 END)";

Result<void> load_party(store::Connection& c, Statement& s) {
  CD_ASSIGN(auto party, c.query("SELECT display_name FROM parties WHERE id = ?", {s.party_id}));
  if (party.empty())
    return fail(ErrorCode::kNotFound, "no customer with id " + std::to_string(s.party_id), "id");
  s.party_name = party[0].text(0);
  CD_ASSIGN(auto address,
            c.query("SELECT line1, line2, city, state, postal_code FROM party_addresses "
                    "WHERE party_id = ? ORDER BY CASE WHEN kind = 'mailing' THEN 0 ELSE 1 END, "
                    "position LIMIT 1",
                    {s.party_id}));
  if (address.empty()) return {};
  const auto& a = address[0];
  s.address_lines.push_back(a.text(0));
  if (!a.text(1).empty()) s.address_lines.push_back(a.text(1));
  s.address_lines.push_back(a.text(2) + ", " + a.text(3) + " " + a.text(4));
  return {};
}

// What the party owed (receivable) and held (credit) at one point.
struct Position {
  Money receivable;
  Money credit;
};

// The position before `from`, from the journal.
Result<Position> journal_opening(store::Connection& c, const Statement& s) {
  CD_ASSIGN(auto row, c.query_one(std::string("SELECT COALESCE(") + kReceivableChange +
                                      ", 0), COALESCE(" + kCreditChange + ", 0) " +
                                      "FROM journal_lines l JOIN journal_entries e ON "
                                      "e.id = l.entry_id WHERE l.party_id = ? AND " +
                                      kBalanceAccounts + " AND e.posting_date < ?",
                                  {s.party_id, s.from.iso()}));
  return Position{Money::from_cents(row.integer(0)), Money::from_cents(row.integer(1))};
}

// The position now, from the stored balances.
Result<Position> stored_position(store::Connection& c, std::int64_t party_id) {
  CD_ASSIGN(auto rows, c.query("SELECT receivable_cents, credit_cents FROM party_balances "
                               "WHERE party_id = ?",
                               {party_id}));
  if (rows.empty()) return Position{};
  return Position{Money::from_cents(rows[0].integer(0)), Money::from_cents(rows[0].integer(1))};
}

// One entry of the period, with what it did to the party's position.
struct Change {
  StatementLine line;
  Position delta;
};

Error too_many_entries() {
  return Error::make(ErrorCode::kTooLarge,
                     "more than " + std::to_string(kMaxLedgerRows) +
                         " entries in this period; choose a shorter one",
                     "from");
}

Result<Change> new_change(const store::Row& r) {
  Change ch;
  ch.line.entry_id = r.integer(0);
  ch.line.kind = r.text(1);
  ch.line.description = entry_kind_words(ch.line.kind);
  CD_ASSIGN(ch.line.posting_date, parse_date(r.text(2), "posting_date"));
  ch.line.memo = r.text(3);
  return ch;
}

// Adds one journal line (account, debit, credit in columns 4..6) to the entry's effect.
Result<void> add_line(Position& delta, const store::Row& r) {
  const std::string account = r.text(4);
  // Both are >= 0 (a CHECK constraint), so the difference cannot overflow.
  const Money debit_minus_credit = Money::from_cents(r.integer(5) - r.integer(6));
  if (account.starts_with(kReceivablePrefix)) {
    CD_ASSIGN(delta.receivable, delta.receivable.add(debit_minus_credit));
  } else {
    CD_ASSIGN(Money credit_change, debit_minus_credit.negate());
    CD_ASSIGN(delta.credit, delta.credit.add(credit_change));
  }
  return {};
}

// Per line, in index order, summed per entry here: measured about three times faster on SQLite
// than GROUP BY and ORDER BY in SQL, which sort twice.
Result<std::vector<Change>> load_changes(store::Connection& c, const Statement& s) {
  CD_ASSIGN(auto rows,
            c.query(std::string("SELECT e.id, e.kind, e.posting_date, e.memo, l.account, "
                                "l.debit_cents, l.credit_cents FROM journal_lines l "
                                "JOIN journal_entries e ON e.id = l.entry_id "
                                "WHERE l.party_id = ? AND ") +
                        kBalanceAccounts +
                        " AND e.posting_date >= ? AND e.posting_date <= ? "
                        "ORDER BY l.entry_id LIMIT ?",
                    {s.party_id, s.from.iso(), s.to.iso(), kMaxStatementJournalLines + 1}));
  if (rows.size() > static_cast<std::size_t>(kMaxStatementJournalLines))
    return std::unexpected(too_many_entries());
  std::vector<Change> out;
  for (const auto& r : rows) {
    if (out.empty() || out.back().line.entry_id != r.integer(0)) {
      if (out.size() == static_cast<std::size_t>(kMaxLedgerRows))
        return std::unexpected(too_many_entries());
      CD_ASSIGN(auto ch, new_change(r));
      out.push_back(std::move(ch));
    }
    CD_TRY(add_line(out.back().delta, r));
  }
  // In entry order already; by posting date, then entry, for the statement.
  std::stable_sort(out.begin(), out.end(), [](const Change& a, const Change& b) {
    return a.line.posting_date < b.line.posting_date;
  });
  return out;
}

// The position before the period, given the position after it (nothing posted since).
Result<Position> before(Position after, const std::vector<Change>& changes) {
  for (const auto& ch : changes) {
    CD_ASSIGN(after.receivable, after.receivable.sub(ch.delta.receivable));
    CD_ASSIGN(after.credit, after.credit.sub(ch.delta.credit));
  }
  return after;
}

// Fills lines, running balances, totals and the closing figures from the opening position.
Result<void> settle(Statement& s, Position opening, std::vector<Change>& changes) {
  CD_ASSIGN(s.opening_balance, opening.receivable.sub(opening.credit));
  Money running = s.opening_balance;
  Money credit = opening.credit;
  s.lines.reserve(changes.size());
  for (auto& ch : changes) {
    CD_ASSIGN(Money change, ch.delta.receivable.sub(ch.delta.credit));
    if (change.is_negative()) {
      CD_ASSIGN(ch.line.payments, change.negate());
    } else {
      ch.line.charges = change;
    }
    CD_ASSIGN(running, running.add(change));
    CD_ASSIGN(credit, credit.add(ch.delta.credit));
    ch.line.balance = running;
    CD_ASSIGN(s.total_charges, s.total_charges.add(ch.line.charges));
    CD_ASSIGN(s.total_payments, s.total_payments.add(ch.line.payments));
    s.lines.push_back(std::move(ch.line));
  }
  s.closing_balance = running;
  s.closing_credit = credit;
  return {};
}

}  // namespace

std::string entry_kind_words(std::string_view kind) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kWords = {{
      {"charge", "Charge"},
      {"payment", "Payment"},
      {"credit_application", "Credit applied"},
      {"adjustment", "Adjustment"},
      {"refund_approval", "Refund"},
      {"refund_issue", "Refund issued"},
      {"transfer", "Payment transfer"},
      {"return", "Returned payment"},
      {"write_off", "Write-off"},
      {"recovery", "Write-off reversed"},
      {"cancellation", "Cancellation"},
  }};
  for (const auto& [code, words] : kWords)
    if (code == kind) return std::string(words);
  return std::string(kind);
}

Result<Statement> statement(store::Database& db, const CityConfig& city, std::int64_t party_id,
                            CivilDate from, CivilDate to, std::optional<CivilDate> today) {
  if (from > to)
    return fail(Error::invalid("from", "the statement period must start on or before its end"));
  const bool current = today && to >= *today;
  return db.read<Statement>([&](store::Connection& c) -> Result<Statement> {
    Statement s;
    s.city_name = city.name;
    s.party_id = party_id;
    s.from = from;
    s.to = to;
    CD_TRY(load_party(c, s));
    CD_ASSIGN(auto changes, load_changes(c, s));
    Position opening;
    if (current) {
      CD_ASSIGN(Position now, stored_position(c, party_id));
      CD_ASSIGN(opening, before(now, changes));
    } else {
      CD_ASSIGN(opening, journal_opening(c, s));
    }
    CD_TRY(settle(s, opening, changes));
    auto source = current ? BalanceSource::kStored : BalanceSource::kJournal;
    CD_ASSIGN(s.aging, party_aging(c, party_id, to, source));
    return s;
  });
}

}  // namespace civicdesk::reports
