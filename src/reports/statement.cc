#include "reports/statement.h"

#include <array>
#include <utility>

#include "core/limits.h"

namespace civicdesk::reports {
namespace {

// The party's lines that move its balance: receivable and unapplied credit.
constexpr const char* kPartyBalanceLines =
    "FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id "
    "WHERE l.party_id = ? AND (l.account LIKE '1200-%' OR l.account LIKE '2100-%') ";
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

// Sets the opening balance; returns the unapplied credit before `from`.
Result<Money> load_opening(store::Connection& c, Statement& s) {
  CD_ASSIGN(auto row, c.query_one(std::string("SELECT COALESCE(") + kReceivableChange +
                                      ", 0), COALESCE(" + kCreditChange + ", 0) " +
                                      kPartyBalanceLines + "AND e.posting_date < ?",
                                  {s.party_id, s.from.iso()}));
  Money receivable = Money::from_cents(row.integer(0));
  Money credit = Money::from_cents(row.integer(1));
  CD_ASSIGN(s.opening_balance, receivable.sub(credit));
  return credit;
}

Result<StatementLine> to_line(const store::Row& r, Money& running, Money& credit) {
  StatementLine line;
  line.entry_id = r.integer(0);
  line.kind = r.text(1);
  line.description = entry_kind_words(line.kind);
  CD_ASSIGN(line.posting_date, parse_date(r.text(2), "posting_date"));
  line.memo = r.text(3);
  Money receivable_change = Money::from_cents(r.integer(4));
  Money credit_change = Money::from_cents(r.integer(5));
  CD_ASSIGN(credit, credit.add(credit_change));
  CD_ASSIGN(Money change, receivable_change.sub(credit_change));
  if (change.is_negative()) {
    CD_ASSIGN(line.payments, change.negate());
  } else {
    line.charges = change;
  }
  CD_ASSIGN(running, running.add(change));
  line.balance = running;
  return line;
}

Result<void> load_lines(store::Connection& c, Statement& s, Money credit) {
  CD_ASSIGN(auto rows,
            c.query(std::string("SELECT e.id, e.kind, e.posting_date, e.memo, ") +
                        kReceivableChange + ", " + kCreditChange + " " + kPartyBalanceLines +
                        "AND e.posting_date >= ? AND e.posting_date <= ? "
                        "GROUP BY e.id, e.kind, e.posting_date, e.memo "
                        "ORDER BY e.posting_date, e.id LIMIT ?",
                    {s.party_id, s.from.iso(), s.to.iso(), std::int64_t{kMaxLedgerRows + 1}}));
  if (rows.size() > static_cast<std::size_t>(kMaxLedgerRows))
    return fail(ErrorCode::kTooLarge, "more than " + std::to_string(kMaxLedgerRows) +
                                          " entries in this period; choose a shorter one",
                "from");
  Money running = s.opening_balance;
  s.lines.reserve(rows.size());
  for (const auto& r : rows) {
    CD_ASSIGN(auto line, to_line(r, running, credit));
    CD_ASSIGN(s.total_charges, s.total_charges.add(line.charges));
    CD_ASSIGN(s.total_payments, s.total_payments.add(line.payments));
    s.lines.push_back(std::move(line));
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
                            CivilDate from, CivilDate to) {
  if (from > to)
    return fail(Error::invalid("from", "the statement period must start on or before its end"));
  return db.read<Statement>([&](store::Connection& c) -> Result<Statement> {
    Statement s;
    s.city_name = city.name;
    s.party_id = party_id;
    s.from = from;
    s.to = to;
    CD_TRY(load_party(c, s));
    CD_ASSIGN(Money credit, load_opening(c, s));
    CD_TRY(load_lines(c, s, credit));
    CD_ASSIGN(s.aging, party_aging(c, party_id, to));
    return s;
  });
}

}  // namespace civicdesk::reports
