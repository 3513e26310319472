#include "ledger/posting.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "audit/audit_log.h"
#include "core/limits.h"

namespace civicdesk::ledger::detail {
namespace {

store::Value id_or_null(std::int64_t id) {
  return id ? store::Value{id} : store::null();
}

Result<void> add_party_balance(store::Connection& c, std::int64_t party_id,
                               std::int64_t receivable_delta, std::int64_t credit_delta) {
  CD_TRY(
      c.exec("INSERT INTO party_balances (party_id, receivable_cents, credit_cents) "
             "VALUES (?, ?, ?) ON CONFLICT (party_id) DO UPDATE SET "
             "receivable_cents = party_balances.receivable_cents + excluded.receivable_cents, "
             "credit_cents = party_balances.credit_cents + excluded.credit_cents",
             {party_id, receivable_delta, credit_delta}));
  return {};
}

// What one entry's lines move, summed per row: an entry's receivable lines often share their
// obligation, party and accounts (a bill's charge has a pair per line), and one UPDATE per row
// instead of one per line keeps a bill run's statements per account down. The rows come in the
// order the lines first touch them; the sums are what applying line by line would leave.
struct Effects {
  struct AccountTotal {
    std::string account, fund;
    std::int64_t debit = 0, credit = 0;
  };
  struct PartyTotal {
    std::int64_t party_id = 0, receivable = 0, credit = 0;
  };
  // Rows in first-touched order, with an index by key (an entry may have many lines).
  template <class K, class T>
  struct Ordered {
    std::vector<T> rows;
    std::unordered_map<K, std::size_t> at;
    T& operator[](const K& key) {
      auto [it, fresh] = at.try_emplace(key, rows.size());
      if (fresh) rows.emplace_back();
      return rows[it->second];
    }
  };
  Ordered<std::string, AccountTotal> accounts;
  Ordered<std::int64_t, std::pair<std::int64_t, std::int64_t>> charge_lines, obligations, payments;
  Ordered<std::int64_t, PartyTotal> parties;

  static void add_delta(Ordered<std::int64_t, std::pair<std::int64_t, std::int64_t>>& v,
                        std::int64_t id, std::int64_t delta) {
    auto& x = v[id];
    x.first = id;
    x.second += delta;
  }
  PartyTotal& party(std::int64_t id) {
    auto& x = parties[id];
    x.party_id = id;
    return x;
  }
};

// The single place where a journal line moves the stored balances (see posting.h).
Result<void> add_line_effects(Effects& fx, const JournalLine& l) {
  auto& a = fx.accounts[l.account];
  if (a.account.empty()) {
    a.account = l.account;
    a.fund = l.fund;
  }
  a.debit += l.debit.cents();
  a.credit += l.credit.cents();
  std::int64_t delta = l.debit.cents() - l.credit.cents();
  if (is_account(l.account, kReceivable)) {
    if (!l.charge_line_id || !l.obligation_id || !l.party_id)
      return fail(ErrorCode::kInternal, "receivable line without obligation, line or party");
    Effects::add_delta(fx.charge_lines, l.charge_line_id, delta);
    Effects::add_delta(fx.obligations, l.obligation_id, delta);
    fx.party(l.party_id).receivable += delta;
  } else if (is_account(l.account, kUnapplied)) {
    if (!l.payment_id || !l.party_id)
      return fail(ErrorCode::kInternal, "unapplied-credit line without payment or party");
    Effects::add_delta(fx.payments, l.payment_id, delta);
    fx.party(l.party_id).credit -= delta;
  }
  return {};
}

// Rows per multi-row statement: fewer statements, and few distinct statement texts for the
// connection's statement cache (1..16 rows).
constexpr std::size_t kRowsPerStatement = 16;

// `table.column = column op delta` for each (id, delta), up to kRowsPerStatement rows per UPDATE
// (a CASE on the id; the CAST lets PostgreSQL type the parameters).
Result<void> add_to_rows(store::Connection& c, std::string_view table, std::string_view column,
                         std::string_view op,
                         const std::vector<std::pair<std::int64_t, std::int64_t>>& rows) {
  for (std::size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
    const std::size_t n = std::min(kRowsPerStatement, rows.size() - at);
    std::string sql = "UPDATE " + std::string(table) + " SET " + std::string(column) + " = " +
                      std::string(column) + " " + std::string(op);
    store::Params params;
    if (n == 1) {
      sql += " ? WHERE id = ?";
      params = {rows[at].second, rows[at].first};
    } else {
      sql += " CASE id";
      std::string in;
      for (std::size_t i = 0; i < n; ++i) {
        sql += " WHEN ? THEN CAST(? AS BIGINT)";
        in += i ? ", ?" : "?";
        params.push_back(rows[at + i].first);
        params.push_back(rows[at + i].second);
      }
      sql += " END WHERE id IN (" + in + ")";
      for (std::size_t i = 0; i < n; ++i) params.push_back(rows[at + i].first);
    }
    CD_TRY(c.exec(sql, params));
  }
  return {};
}

Result<void> apply_effects(store::Connection& c, const Effects& fx) {
  // GL account totals: one multi-row upsert (the accounts are distinct, as PostgreSQL requires of
  // one INSERT ... ON CONFLICT DO UPDATE).
  const auto& accounts = fx.accounts.rows;
  for (std::size_t at = 0; at < accounts.size(); at += kRowsPerStatement) {
    const std::size_t n = std::min(kRowsPerStatement, accounts.size() - at);
    std::string sql =
        "INSERT INTO account_balances (account, fund, debit_cents, credit_cents) VALUES ";
    store::Params params;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& a = accounts[at + i];
      sql += i ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)";
      params.insert(params.end(), {a.account, a.fund, a.debit, a.credit});
    }
    sql +=
        " ON CONFLICT (account) DO UPDATE SET "
        "debit_cents = account_balances.debit_cents + excluded.debit_cents, "
        "credit_cents = account_balances.credit_cents + excluded.credit_cents";
    CD_TRY(c.exec(sql, params));
  }
  CD_TRY(add_to_rows(c, "charge_lines", "balance_cents", "+", fx.charge_lines.rows));
  CD_TRY(add_to_rows(c, "obligations", "balance_cents", "+", fx.obligations.rows));
  CD_TRY(add_to_rows(c, "payments", "unapplied_cents", "-", fx.payments.rows));
  for (const auto& party : fx.parties.rows)
    CD_TRY(add_party_balance(c, party.party_id, party.receivable, party.credit));
  return {};
}

// Journal lines go in as multi-row INSERTs of up to kRowsPerStatement rows.
Result<void> insert_lines(store::Connection& c, std::int64_t entry_id,
                          const std::vector<JournalLine>& lines) {
  for (std::size_t at = 0; at < lines.size(); at += kRowsPerStatement) {
    const std::size_t n = std::min(kRowsPerStatement, lines.size() - at);
    std::string sql =
        "INSERT INTO journal_lines (entry_id, account, fund, debit_cents, credit_cents, "
        "party_id, obligation_id, charge_line_id, payment_id) VALUES ";
    store::Params params;
    params.reserve(n * 9);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& l = lines[at + i];
      sql += i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
      params.insert(params.end(), {entry_id, l.account, l.fund, l.debit.cents(), l.credit.cents(),
                                   id_or_null(l.party_id), id_or_null(l.obligation_id),
                                   id_or_null(l.charge_line_id), id_or_null(l.payment_id)});
    }
    CD_TRY(c.exec(sql, params));
  }
  return {};
}

ChargeLine line_from_row(const store::Row& r) {
  ChargeLine l;
  l.id = r.integer(0);
  l.line_no = static_cast<int>(r.integer(1));
  l.description = r.text(2);
  l.revenue_account = r.text(3);
  l.fund = r.text(4);
  l.amount = Money::from_cents(r.integer(5));
  l.balance = Money::from_cents(r.integer(6));
  l.is_penalty = r.integer(7) != 0;
  return l;
}

}  // namespace

bool is_account(std::string_view account, std::string_view prefix) {
  return account.size() > prefix.size() && account.starts_with(prefix) &&
         account[prefix.size()] == '-';
}

std::string scoped_key(const Actor& a, const std::string& key) {
  return key.empty() ? key : std::to_string(a.user_id.value) + ":" + key;
}

Result<void> require_key(const std::string& key) {
  if (key.empty())
    return fail(Error::invalid("Idempotency-Key", "an Idempotency-Key is required for this"));
  return check_length(key, kMaxIdempotencyKeyLength, "Idempotency-Key");
}

Result<void> check_amount(Money m, const std::string& field) {
  if (!m.is_positive()) return fail(Error::invalid(field, field + " must be more than $0.00"));
  if (m.cents() > kMaxPaymentCents)
    return fail(Error::invalid(field, field + " is over the largest amount civicdesk accepts (" +
                                          money_text(kMaxPaymentCents) + ")"));
  return {};
}

Result<void> party_exists(store::Connection& c, std::int64_t party_id) {
  CD_ASSIGN(auto n, c.query_int("SELECT COUNT(*) FROM parties WHERE id = ?", {party_id}));
  if (n == 0)
    return fail(ErrorCode::kNotFound, "no customer with id " + std::to_string(party_id),
                "party_id");
  return {};
}

std::string money_text(std::int64_t cents) {
  return format_money(Money::from_cents(cents));
}

Result<std::int64_t> write_entry(Posting& p, JournalEntry& e, const std::string& key) {
  CD_TRY(check_balanced(e));
  CD_ASSIGN(auto id,
            p.c.query_int("INSERT INTO journal_entries (kind, posting_date, at_us, memo, party_id, "
                          "reverses_entry_id, user_id, username, request_id, idempotency_key) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          {std::string(to_string(e.kind)), p.today.iso(), p.now_us, e.memo,
                           id_or_null(e.party_id), id_or_null(e.reverses_entry_id),
                           id_or_null(p.actor.user_id.value), p.actor.username, p.actor.request_id,
                           key.empty() ? store::null() : store::Value{key}}));
  e.id = id;
  e.posting_date = p.today;
  Effects fx;
  for (const auto& l : e.lines) CD_TRY(add_line_effects(fx, l));
  CD_TRY(insert_lines(p.c, id, e.lines));
  CD_TRY(apply_effects(p.c, fx));
  return id;
}

Result<std::optional<std::int64_t>> entry_for_key(store::Connection& c, const std::string& key) {
  if (key.empty()) return std::optional<std::int64_t>{};
  CD_ASSIGN(auto rows, c.query("SELECT id FROM journal_entries WHERE idempotency_key = ?", {key}));
  if (rows.empty()) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rows[0].integer(0)};
}

Result<Obligation> load_obligation(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query("SELECT id, party_id, account_ref, kind, description, due_date, "
                               "status, original_cents, balance_cents, written_off_cents, "
                               "source_ref, created_us FROM obligations WHERE id = ?",
                               {id}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no obligation with id " + std::to_string(id));
  const auto& r = rows[0];
  Obligation o;
  o.id = r.integer(0);
  o.party_id = r.integer(1);
  o.account_ref = r.text(2);
  o.kind = r.text(3);
  o.description = r.text(4);
  CD_ASSIGN(o.due_date, parse_date(r.text(5), "due_date"));
  o.status = r.text(6);
  o.original = Money::from_cents(r.integer(7));
  o.balance = Money::from_cents(r.integer(8));
  o.written_off = Money::from_cents(r.integer(9));
  o.source_ref = r.text(10);
  o.created_us = r.integer(11);
  CD_ASSIGN(auto lines, c.query("SELECT id, line_no, description, revenue_account, fund, "
                                "amount_cents, balance_cents, is_penalty FROM charge_lines "
                                "WHERE obligation_id = ? ORDER BY line_no",
                                {id}));
  for (const auto& l : lines) o.lines.push_back(line_from_row(l));
  return o;
}

Result<Payment> load_payment(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query("SELECT id, party_id, entry_id, tender, channel, payer, reference, "
                               "status, amount_cents, unapplied_cents, received_us, "
                               "transferred_from_payment_id FROM payments WHERE id = ?",
                               {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no payment with id " + std::to_string(id));
  const auto& r = rows[0];
  Payment p;
  p.id = r.integer(0);
  p.party_id = r.integer(1);
  p.entry_id = r.integer(2);
  p.tender = r.text(3);
  p.channel = r.text(4);
  p.payer = r.text(5);
  p.reference = r.text(6);
  p.status = r.text(7);
  p.amount = Money::from_cents(r.integer(8));
  p.unapplied = Money::from_cents(r.integer(9));
  p.received_us = r.integer(10);
  p.transferred_from_payment_id = r.opt_integer(11).value_or(0);
  return p;
}

Result<std::vector<OpenLine>> open_lines(store::Connection& c, const CityConfig& city,
                                         std::int64_t party_id, const std::string& account_ref,
                                         std::int64_t only_obligation) {
  std::string sql =
      "SELECT o.id, l.id, l.line_no, o.kind, o.due_date, l.is_penalty, l.fund, l.balance_cents "
      "FROM obligations o JOIN charge_lines l ON l.obligation_id = o.id "
      "WHERE o.party_id = ? AND o.status = 'open' AND l.balance_cents > 0";
  store::Params params{party_id};
  if (!account_ref.empty()) {
    sql += " AND o.account_ref = ?";
    params.push_back(account_ref);
  }
  if (only_obligation) {
    sql += " AND o.id = ?";
    params.push_back(only_obligation);
  }
  CD_ASSIGN(auto rows, c.query(sql, params));
  std::vector<OpenLine> out;
  for (const auto& r : rows) {
    OpenLine l;
    l.obligation_id = r.integer(0);
    l.line_id = r.integer(1);
    l.line_no = static_cast<int>(r.integer(2));
    const ObligationKind* k = city.ledger.kind(r.text(3));
    l.kind_priority = k ? k->priority : 1000;
    CD_ASSIGN(l.due_date, parse_date(r.text(4), "due_date"));
    l.is_penalty = r.integer(5) != 0;
    l.fund = r.text(6);
    l.balance_cents = r.integer(7);
    out.push_back(std::move(l));
  }
  return out;
}

Result<void> refresh_status(store::Connection& c, std::int64_t obligation_id) {
  CD_TRY(
      c.exec("UPDATE obligations SET status = CASE "
             "WHEN status = 'cancelled' THEN status "
             "WHEN balance_cents > 0 THEN 'open' "
             "WHEN status = 'open' THEN 'paid' ELSE status END WHERE id = ?",
             {obligation_id}));
  return {};
}

Result<void> set_status(store::Connection& c, std::int64_t obligation_id,
                        const std::string& status) {
  CD_TRY(c.exec("UPDATE obligations SET status = ? WHERE id = ?", {status, obligation_id}));
  return {};
}

Result<void> apply_credit(Posting& p, std::int64_t party_id, std::int64_t only_obligation) {
  CD_ASSIGN(auto payments, p.c.query("SELECT id, unapplied_cents, cash_account_prefix FROM "
                                     "payments WHERE party_id = ? AND unapplied_cents > 0 "
                                     "ORDER BY id",
                                     {party_id}));
  std::int64_t credit = 0;
  for (const auto& r : payments) credit += r.integer(1);
  if (credit <= 0) return {};
  CD_ASSIGN(auto lines, open_lines(p.c, p.city, party_id, "", only_obligation));
  auto alloc = allocate(std::move(lines), credit, {p.city.ledger.penalties_first});
  if (alloc.applied.empty()) return {};
  JournalEntry e;
  e.kind = EntryKind::kCreditApplication;
  e.party_id = party_id;
  const std::string& cf = p.city.ledger.credit_fund;
  std::size_t next_payment = 0;
  std::int64_t left_in_payment = payments[0].integer(1);
  std::set<std::int64_t> touched;
  for (const auto& a : alloc.applied) {
    for (std::int64_t left = a.amount_cents; left > 0;) {
      while (left_in_payment == 0) left_in_payment = payments[++next_payment].integer(1);
      const auto& pay = payments[next_payment];
      std::int64_t take = std::min(left, left_in_payment);
      JournalLine refs{.party_id = party_id, .payment_id = pay.integer(0)};
      std::string cash = pay.text(2);
      JournalLine applied = refs;
      applied.obligation_id = a.obligation_id;
      applied.charge_line_id = a.line_id;
      Money m = Money::from_cents(take);
      if (a.fund == cf) {
        // Same fund: the credit pays the receivable directly.
        e.lines.push_back(
            {fund_account(kUnapplied, cf), cf, m, Money(), party_id, 0, 0, pay.integer(0)});
        e.lines.push_back({fund_account(kReceivable, cf), cf, Money(), m, party_id, a.obligation_id,
                           a.line_id, pay.integer(0)});
      } else {
        // Across funds: the credit fund's share of pooled cash moves to the charge's fund.
        add_pair(e, cf, fund_account(kUnapplied, cf), fund_account(cash, cf), m, refs);
        add_pair(e, a.fund, fund_account(cash, a.fund), fund_account(kReceivable, a.fund), m,
                 applied);
      }
      touched.insert(a.obligation_id);
      left -= take;
      left_in_payment -= take;
    }
  }
  std::int64_t total = credit - alloc.remainder_cents;
  e.memo = "Credit of " + money_text(total) + " applied to " + std::to_string(touched.size()) +
           " obligation(s)";
  CD_ASSIGN(auto id, write_entry(p, e, ""));
  for (auto o : touched) CD_TRY(refresh_status(p.c, o));
  return audit_entry(p, "ledger.credit_applied", "journal_entry", id,
                     "{\"amount_cents\":" + std::to_string(total) + "}");
}

Result<std::vector<Applied>> applied_by_payment(store::Connection& c, std::int64_t payment_id) {
  CD_ASSIGN(auto rows, c.query("SELECT obligation_id, charge_line_id, fund, "
                               "SUM(credit_cents) - SUM(debit_cents) FROM journal_lines "
                               "WHERE payment_id = ? AND account LIKE '1200-%' "
                               "GROUP BY obligation_id, charge_line_id, fund "
                               "ORDER BY obligation_id, charge_line_id",
                               {payment_id}));
  std::vector<Applied> out;
  for (const auto& r : rows) {
    std::int64_t cents = r.integer(3);
    if (cents != 0) out.push_back({r.integer(0), r.integer(1), r.text(2), cents});
  }
  return out;
}

Result<void> add_unwind(store::Connection& c, const CityConfig& city, const Payment& payment,
                        JournalEntry& e) {
  CD_ASSIGN(auto prefix,
            c.query_one("SELECT cash_account_prefix FROM payments WHERE id = ?", {payment.id}));
  std::string cash = prefix.text(0);
  CD_ASSIGN(auto applied, applied_by_payment(c, payment.id));
  for (const auto& a : applied) {
    JournalLine refs{.party_id = payment.party_id,
                     .obligation_id = a.obligation_id,
                     .charge_line_id = a.line_id,
                     .payment_id = payment.id};
    Money m = Money::from_cents(a.cents);
    e.lines.push_back({fund_account(kReceivable, a.fund), a.fund, m, Money(), refs.party_id,
                       refs.obligation_id, refs.charge_line_id, refs.payment_id});
    e.lines.push_back(
        {fund_account(cash, a.fund), a.fund, Money(), m, refs.party_id, 0, 0, refs.payment_id});
  }
  if (payment.unapplied.is_positive()) {
    const std::string& cf = city.ledger.credit_fund;
    add_pair(e, cf, fund_account(kUnapplied, cf), fund_account(cash, cf), payment.unapplied,
             JournalLine{.party_id = payment.party_id, .payment_id = payment.id});
  }
  return {};
}

Result<void> audit_entry(Posting& p, const std::string& action, const std::string& entity,
                         std::int64_t entity_id, const std::string& after_json) {
  return audit::append(p.c, p.actor, p.now_us,
                       {action, entity, std::to_string(entity_id), std::nullopt, after_json});
}

}  // namespace civicdesk::ledger::detail
