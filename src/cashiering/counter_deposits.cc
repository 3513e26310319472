// End of day: the balancing report per session and per office, the daily receipts by fund for
// finance, and deposits (prepared by one person, closed by another with the bank's reference).
#include <boost/json.hpp>
#include <functional>

#include "cashiering/counter.h"
#include "cashiering/counter_store.h"
#include "cashiering/lifecycle.h"
#include "core/limits.h"

namespace civicdesk::cashiering {
using namespace detail;
namespace json = boost::json;

namespace {

void add_to(std::map<std::string, Money>& into, const std::string& key, Money m) {
  into[key] = Money::from_cents(into[key].cents() + m.cents());
}

FundTotals totals_of(const Session& s, const SessionTotals& t) {
  FundTotals f;
  f.by_tender = t.by_tender;
  f.by_fund = t.by_fund;
  f.receipts = t.receipts;
  f.float_amount = s.float_amount;
  f.expected_cash = s.expected.value_or(t.expected_cash);
  f.counted = s.counted.value_or(Money::zero());
  f.over_short = s.over_short.value_or(Money::zero());
  return f;
}

void accumulate(FundTotals& into, const FundTotals& f) {
  for (const auto& [k, v] : f.by_tender) add_to(into.by_tender, k, v);
  for (const auto& [k, v] : f.by_fund) add_to(into.by_fund, k, v);
  into.receipts = Money::from_cents(into.receipts.cents() + f.receipts.cents());
  into.float_amount = Money::from_cents(into.float_amount.cents() + f.float_amount.cents());
  into.expected_cash = Money::from_cents(into.expected_cash.cents() + f.expected_cash.cents());
  into.counted = Money::from_cents(into.counted.cents() + f.counted.cents());
  into.over_short = Money::from_cents(into.over_short.cents() + f.over_short.cents());
}

// Closed sessions not in any deposit, by bank account.
Result<std::map<std::string, std::vector<std::int64_t>>> undeposited(store::Connection& c) {
  CD_ASSIGN(auto rows, c.query("SELECT d.bank_account, s.id FROM cashier_sessions s JOIN drawers d "
                               "ON d.id = s.drawer_id WHERE s.status = 'closed' AND NOT EXISTS "
                               "(SELECT 1 FROM deposit_sessions ds WHERE ds.session_id = s.id) "
                               "ORDER BY d.bank_account, s.id"));
  std::map<std::string, std::vector<std::int64_t>> out;
  for (const auto& r : rows) out[r.text(0)].push_back(r.integer(1));
  return out;
}

}  // namespace

Result<BalancingReport> Counter::balancing(const CivilDate& date) {
  return db_.read<BalancingReport>([&](store::Connection& c) -> Result<BalancingReport> {
    BalancingReport out;
    out.date = date.iso();
    CD_ASSIGN(auto rows, c.query("SELECT id FROM cashier_sessions WHERE business_date = ? "
                                 "ORDER BY id",
                                 {date.iso()}));
    std::map<std::string, OfficeBalance> offices;
    for (const auto& r : rows) {
      CD_ASSIGN(auto s, load_session(c, r.integer(0)));
      CD_ASSIGN(auto t, load_totals(c, s));
      SessionBalance b{s, totals_of(s, t)};
      OfficeBalance& o = offices[s.office];
      o.office = s.office;
      ++o.sessions;
      accumulate(o.totals, b.totals);
      out.sessions.push_back(std::move(b));
    }
    for (auto& [name, o] : offices) out.offices.push_back(std::move(o));
    return out;
  });
}

Result<DailyReceipts> Counter::daily_receipts(const CivilDate& date) {
  return db_.read<DailyReceipts>([&](store::Connection& c) -> Result<DailyReceipts> {
    CD_ASSIGN(auto rows,
              c.query("SELECT l.fund, p.channel, e.kind, COALESCE(SUM(l.debit_cents), 0), "
                      "COALESCE(SUM(l.credit_cents), 0) FROM journal_lines l JOIN "
                      "journal_entries e ON e.id = l.entry_id JOIN payments p ON p.id = "
                      "l.payment_id WHERE e.posting_date = ? AND e.kind IN ('payment', 'void') "
                      "AND (l.account LIKE '1010-%' OR l.account LIKE '1020-%') "
                      "GROUP BY l.fund, p.channel, e.kind ORDER BY l.fund, p.channel, e.kind",
                      {date.iso()}));
    std::map<std::string, FundReceipts> funds;
    for (const auto& r : rows) {
      FundReceipts& f = funds[r.text(0)];
      f.fund = r.text(0);
      bool is_void = r.text(2) == "void";
      Money received = Money::from_cents(is_void ? 0 : r.integer(3));
      Money voided = Money::from_cents(is_void ? r.integer(4) : 0);
      f.received = Money::from_cents(f.received.cents() + received.cents());
      f.voided = Money::from_cents(f.voided.cents() + voided.cents());
      add_to(f.by_channel, r.text(1), Money::from_cents(received.cents() - voided.cents()));
    }
    DailyReceipts out;
    out.date = date.iso();
    for (auto& [code, f] : funds) {
      for (const auto& fund : city_.funds)
        if (fund.code == code) f.fund_name = fund.name;
      f.net = Money::from_cents(f.received.cents() - f.voided.cents());
      out.received = Money::from_cents(out.received.cents() + f.received.cents());
      out.voided = Money::from_cents(out.voided.cents() + f.voided.cents());
      out.funds.push_back(std::move(f));
    }
    out.net = Money::from_cents(out.received.cents() - out.voided.cents());
    return out;
  });
}

Result<DepositSlip> Counter::compose_slip(store::Connection& c, const std::string& bank_account,
                                          const std::vector<std::int64_t>& sessions) {
  DepositSlip slip;
  slip.bank_account = bank_account;
  slip.status = "ready";
  slip.sessions = sessions;
  std::int64_t currency = 0, coin = 0, checks = 0, electronic = 0;
  for (std::int64_t sid : sessions) {
    CD_ASSIGN(auto s, load_session(c, sid));
    DepositCash cash = cash_to_deposit(s.counted_count, s.float_count);
    currency += cash.currency.cents();
    coin += cash.coin.cents();
    CD_ASSIGN(auto rows, c.query("SELECT tn.kind, tn.check_number, tn.bank, tn.payer, "
                                 "tn.applied_cents, t.receipt_number FROM counter_tenders tn "
                                 "JOIN counter_transactions t ON t.id = tn.transaction_id WHERE "
                                 "t.session_id = ? AND t.status = 'posted' ORDER BY t.id, "
                                 "tn.line_no",
                                 {sid}));
    for (const auto& r : rows) {
      std::string kind = r.text(0);
      if (kind == "card" || kind == "ach") electronic += r.integer(4);
      if (kind != "check" && kind != "money_order") continue;
      checks += r.integer(4);
      slip.checks.push_back({kind, r.text(1), r.text(2), r.text(3),
                             receipt_label(s.drawer_code, r.integer(5)),
                             Money::from_cents(r.integer(4))});
    }
    CD_ASSIGN(auto funds, c.query("SELECT fund, amount_cents FROM session_funds WHERE "
                                  "session_id = ? ORDER BY fund",
                                  {sid}));
    for (const auto& f : funds) add_to(slip.by_fund, f.text(0), Money::from_cents(f.integer(1)));
  }
  slip.currency = Money::from_cents(currency);
  slip.coin = Money::from_cents(coin);
  slip.checks_total = Money::from_cents(checks);
  slip.electronic = Money::from_cents(electronic);
  slip.total = Money::from_cents(currency + coin + checks + electronic);
  std::int64_t books = 0;
  for (const auto& [fund, m] : slip.by_fund) books += m.cents();
  if (books != slip.total.cents())
    return fail(ErrorCode::kInternal,
                "the sessions' counts (" + format_money(slip.total) + ") and their books (" +
                    format_money(Money::from_cents(books)) + ") disagree; ask finance to review");
  return slip;
}

namespace {

Result<DepositSlip> stored_deposit(
    store::Connection& c, std::int64_t id,
    const std::function<Result<DepositSlip>(const std::string&, const std::vector<std::int64_t>&)>&
        compose) {
  CD_ASSIGN(auto rows, c.query("SELECT bank_account, status, prepared_by_name, prepared_us, "
                               "closed_by_name, closed_us, bank_reference, entry_id FROM deposits "
                               "WHERE id = ?",
                               {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no deposit " + std::to_string(id));
  const auto& r = rows[0];
  CD_ASSIGN(auto sess, c.query("SELECT session_id FROM deposit_sessions WHERE deposit_id = ? "
                               "ORDER BY session_id",
                               {id}));
  std::vector<std::int64_t> sessions;
  for (const auto& s : sess) sessions.push_back(s.integer(0));
  CD_ASSIGN(auto slip, compose(r.text(0), sessions));
  slip.id = id;
  slip.status = r.text(1);
  slip.prepared_by = r.text(2);
  slip.prepared_us = r.integer(3);
  slip.closed_by = r.text(4);
  slip.closed_us = r.opt_integer(5).value_or(0);
  slip.bank_reference = r.text(6);
  slip.entry_id = r.opt_integer(7).value_or(0);
  return slip;
}

}  // namespace

Result<std::vector<DepositSlip>> Counter::ready_deposits() {
  return db_.read<std::vector<DepositSlip>>(
      [&](store::Connection& c) -> Result<std::vector<DepositSlip>> {
        CD_ASSIGN(auto pending, undeposited(c));
        std::vector<DepositSlip> out;
        for (const auto& [bank, sessions] : pending) {
          CD_ASSIGN(auto slip, compose_slip(c, bank, sessions));
          out.push_back(std::move(slip));
        }
        return out;
      });
}

Result<std::vector<DepositSlip>> Counter::deposits(const std::string& status) {
  if (!status.empty() && status != "prepared" && status != "closed")
    return fail(Error::invalid("status", "status must be prepared or closed"));
  return db_.read<std::vector<DepositSlip>>(
      [&](store::Connection& c) -> Result<std::vector<DepositSlip>> {
        CD_ASSIGN(auto rows, c.query("SELECT id FROM deposits WHERE ? = '' OR status = ? "
                                     "ORDER BY id DESC LIMIT 200",
                                     {status, status}));
        std::vector<DepositSlip> out;
        auto compose = [&](const std::string& b, const std::vector<std::int64_t>& s) {
          return compose_slip(c, b, s);
        };
        for (const auto& r : rows) {
          CD_ASSIGN(auto slip, stored_deposit(c, r.integer(0), compose));
          out.push_back(std::move(slip));
        }
        return out;
      });
}

Result<DepositSlip> Counter::deposit(std::int64_t id) {
  return db_.read<DepositSlip>([&](store::Connection& c) -> Result<DepositSlip> {
    return stored_deposit(c, id, [&](const std::string& b, const std::vector<std::int64_t>& s) {
      return compose_slip(c, b, s);
    });
  });
}

Result<DepositSlip> Counter::prepare_deposit(const Actor& actor, const std::string& bank_account) {
  if (bank_account.empty()) return fail(Error::invalid("bank_account", "bank_account is required"));
  CD_TRY(check_length(bank_account, kMaxReferenceLength, "bank_account"));
  return db_.write<DepositSlip>([&](store::Connection& c) -> Result<DepositSlip> {
    CD_ASSIGN(auto pending, undeposited(c));
    auto it = pending.find(bank_account);
    if (it == pending.end())
      return fail(ErrorCode::kUnprocessable,
                  "no closed drawer session is waiting to be deposited to " + bank_account,
                  "bank_account");
    CD_ASSIGN(auto slip, compose_slip(c, bank_account, it->second));
    CD_ASSIGN(auto name,
              c.query_one("SELECT display_name FROM users WHERE id = ?", {actor.user_id.value}));
    CD_ASSIGN(auto id,
              c.query_int("INSERT INTO deposits (bank_account, status, currency_cents, "
                          "coin_cents, checks_cents, electronic_cents, total_cents, prepared_by, "
                          "prepared_by_name, prepared_us) VALUES (?, 'prepared', ?, ?, ?, ?, ?, "
                          "?, ?, ?) RETURNING id",
                          {bank_account, slip.currency.cents(), slip.coin.cents(),
                           slip.checks_total.cents(), slip.electronic.cents(), slip.total.cents(),
                           actor.user_id.value, name.text(0), clock_.now_us()}));
    for (std::int64_t sid : it->second)
      CD_TRY(
          c.exec("INSERT INTO deposit_sessions (deposit_id, session_id) VALUES (?, ?)", {id, sid}));
    CD_TRY(audit(c, actor, clock_.now_us(), "deposit.prepare", "deposit", id,
                 json::serialize(json::object{{"bank_account", bank_account},
                                              {"total", format_plain(slip.total)}})));
    return stored_deposit(c, id, [&](const std::string& b, const std::vector<std::int64_t>& s) {
      return compose_slip(c, b, s);
    });
  });
}

Result<DepositSlip> Counter::close_deposit(const Actor& actor, std::int64_t id,
                                           const std::string& bank_reference) {
  if (bank_reference.empty())
    return fail(Error::invalid("bank_reference", "record the bank's reference for the deposit"));
  CD_TRY(check_length(bank_reference, kMaxReferenceLength, "bank_reference"));
  return db_.write<DepositSlip>([&](store::Connection& c) -> Result<DepositSlip> {
    auto compose = [&](const std::string& b, const std::vector<std::int64_t>& s) {
      return compose_slip(c, b, s);
    };
    CD_ASSIGN(auto slip, stored_deposit(c, id, compose));
    CD_ASSIGN(auto row,
              c.query_one("SELECT prepared_by, closed_by FROM deposits WHERE id = ?", {id}));
    if (slip.status == "closed" && row.opt_integer(1) == actor.user_id.value) return slip;
    CD_ASSIGN(auto state, parse_deposit_state(slip.status));
    CD_TRY(next_state(state, DepositOp::kClose));
    if (row.integer(0) == actor.user_id.value)
      return fail(ErrorCode::kForbidden, "a deposit is closed by a second person; " +
                                             slip.prepared_by + " prepared this one");
    ledger::JournalEntry e;
    e.kind = ledger::EntryKind::kCashMovement;
    e.memo = "Deposit #" + std::to_string(id) + " to " + slip.bank_account + ", bank reference " +
             bank_reference;
    for (const auto& [fund, amount] : slip.by_fund) {
      std::string bank = fund_account("1030", fund), undeposited = fund_account("1020", fund);
      if (amount.is_positive())
        ledger::add_pair(e, fund, bank, undeposited, amount, {});
      else if (amount.is_negative())
        ledger::add_pair(e, fund, undeposited, bank, Money::from_cents(-amount.cents()), {});
    }
    std::int64_t entry = 0;
    if (!e.lines.empty()) {
      CD_ASSIGN(entry, ledger_.post_internal_within(c, actor, e,
                                                    "deposit:" + std::to_string(id) + ":close"));
    }
    CRASH_POINT("deposit.close.after_post");
    CD_ASSIGN(auto name,
              c.query_one("SELECT display_name FROM users WHERE id = ?", {actor.user_id.value}));
    CD_TRY(
        c.exec("UPDATE deposits SET status = 'closed', closed_by = ?, closed_by_name = ?, "
               "closed_us = ?, bank_reference = ?, entry_id = ? WHERE id = ?",
               {actor.user_id.value, name.text(0), clock_.now_us(), bank_reference,
                entry ? store::Value{entry} : store::null(), id}));
    CD_TRY(audit(
        c, actor, clock_.now_us(), "deposit.close", "deposit", id,
        json::serialize(json::object{{"bank_reference", bank_reference}, {"entry_id", entry}})));
    return stored_deposit(c, id, compose);
  });
}

}  // namespace civicdesk::cashiering
