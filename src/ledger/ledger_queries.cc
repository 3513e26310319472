// Reads: a party's obligations, balance, payments and ledger entries in plain words.
#include <algorithm>
#include "core/limits.h"
#include "ledger/ledger.h"
#include "ledger/posting.h"

namespace civicdesk::ledger {
using namespace detail;

Result<std::vector<Obligation>> Ledger::obligations_of(std::int64_t party_id, bool open_only) {
  return db_.read<std::vector<Obligation>>(
      [&](store::Connection& c) -> Result<std::vector<Obligation>> {
        CD_ASSIGN(auto rows, c.query(std::string("SELECT id FROM obligations WHERE party_id = ?") +
                                         (open_only ? " AND status = 'open'" : "") +
                                         " ORDER BY due_date, id LIMIT ?",
                                     {party_id, std::int64_t{kMaxLedgerRows}}));
        std::vector<Obligation> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto o, load_obligation(c, r.integer(0)));
          out.push_back(std::move(o));
        }
        return out;
      });
}

Result<PartyBalance> Ledger::balance_of(std::int64_t party_id) {
  return db_.read<PartyBalance>([&](store::Connection& c) -> Result<PartyBalance> {
    CD_ASSIGN(auto rows, c.query("SELECT receivable_cents, credit_cents, returned_payments FROM "
                                 "party_balances WHERE party_id = ?",
                                 {party_id}));
    PartyBalance b;
    if (!rows.empty()) {
      b.receivable = Money::from_cents(rows[0].integer(0));
      b.credit = Money::from_cents(rows[0].integer(1));
      b.returned_payments = static_cast<int>(rows[0].integer(2));
    }
    return b;
  });
}

Result<std::vector<Payment>> Ledger::payments_of(std::int64_t party_id) {
  return db_.read<std::vector<Payment>>([&](store::Connection& c) -> Result<std::vector<Payment>> {
    CD_ASSIGN(auto rows, c.query("SELECT id FROM payments WHERE party_id = ? ORDER BY id DESC "
                                 "LIMIT ?",
                                 {party_id, std::int64_t{kMaxLedgerRows}}));
    std::vector<Payment> out;
    for (const auto& r : rows) {
      CD_ASSIGN(auto p, load_payment(c, r.integer(0)));
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<std::vector<EntrySummary>> Ledger::entries_of(std::int64_t party_id, int limit) {
  limit = std::clamp(limit, 1, kMaxLedgerRows);
  return db_.read<std::vector<EntrySummary>>(
      [&](store::Connection& c) -> Result<std::vector<EntrySummary>> {
        // What each entry did to this party's receivable and credit, summed over its lines.
        CD_ASSIGN(auto rows,
                  c.query("SELECT e.id, e.kind, e.posting_date, e.at_us, e.memo, e.username, "
                          "COALESCE(e.reverses_entry_id, 0), "
                          "COALESCE(SUM(CASE WHEN l.account LIKE '1200-%' AND l.party_id = ? "
                          "THEN l.debit_cents - l.credit_cents ELSE 0 END), 0), "
                          "COALESCE(SUM(CASE WHEN l.account LIKE '2100-%' AND l.party_id = ? "
                          "THEN l.credit_cents - l.debit_cents ELSE 0 END), 0) "
                          "FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id "
                          "WHERE e.id IN (SELECT DISTINCT entry_id FROM journal_lines WHERE "
                          "party_id = ?) GROUP BY e.id, e.kind, e.posting_date, e.at_us, e.memo, "
                          "e.username, e.reverses_entry_id ORDER BY e.id DESC LIMIT ?",
                          {party_id, party_id, party_id, std::int64_t{limit}}));
        std::vector<EntrySummary> out;
        for (const auto& r : rows) {
          EntrySummary s;
          s.id = r.integer(0);
          s.kind = r.text(1);
          CD_ASSIGN(s.posting_date, parse_date(r.text(2), "posting_date"));
          s.at_us = r.integer(3);
          s.memo = r.text(4);
          s.username = r.text(5);
          s.reverses_entry_id = r.integer(6);
          s.receivable_change = Money::from_cents(r.integer(7));
          s.credit_change = Money::from_cents(r.integer(8));
          out.push_back(std::move(s));
        }
        return out;
      });
}

Result<JournalEntry> Ledger::entry(std::int64_t id) {
  return db_.read<JournalEntry>([&](store::Connection& c) -> Result<JournalEntry> {
    CD_ASSIGN(auto rows, c.query("SELECT id, kind, posting_date, memo, COALESCE(party_id, 0), "
                                 "COALESCE(reverses_entry_id, 0) FROM journal_entries WHERE id = ?",
                                 {id}));
    if (rows.empty()) return fail(ErrorCode::kNotFound, "no journal entry " + std::to_string(id));
    JournalEntry e;
    e.id = rows[0].integer(0);
    if (!parse_entry_kind(rows[0].text(1), e.kind))
      return fail(ErrorCode::kInternal, "unknown entry kind " + rows[0].text(1));
    CD_ASSIGN(e.posting_date, parse_date(rows[0].text(2), "posting_date"));
    e.memo = rows[0].text(3);
    e.party_id = rows[0].integer(4);
    e.reverses_entry_id = rows[0].integer(5);
    CD_ASSIGN(auto lines, c.query("SELECT account, fund, debit_cents, credit_cents, "
                                  "COALESCE(party_id, 0), COALESCE(obligation_id, 0), "
                                  "COALESCE(charge_line_id, 0), COALESCE(payment_id, 0) "
                                  "FROM journal_lines WHERE entry_id = ? ORDER BY id",
                                  {id}));
    for (const auto& l : lines)
      e.lines.push_back({l.text(0), l.text(1), Money::from_cents(l.integer(2)),
                         Money::from_cents(l.integer(3)), l.integer(4), l.integer(5), l.integer(6),
                         l.integer(7)});
    return e;
  });
}

}  // namespace civicdesk::ledger
