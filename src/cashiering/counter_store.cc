#include "cashiering/counter_store.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"

namespace civicdesk::cashiering::detail {
namespace json = boost::json;

std::string count_to_json(const CashCount& count) {
  json::object o;
  for (const auto& [name, n] : count)
    if (n != 0) o[name] = n;
  return json::serialize(o);
}

Result<CashCount> count_from_json(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return fail(ErrorCode::kInternal, "a stored cash count is not JSON");
  CashCount out;
  for (const auto& kv : v.as_object()) {
    if (!kv.value().is_int64()) return fail(ErrorCode::kInternal, "a stored cash count is bad");
    out[std::string(kv.key())] = kv.value().as_int64();
  }
  return out;
}

Result<Drawer> load_drawer(store::Connection& c, const std::string& code) {
  CD_ASSIGN(auto rows, c.query("SELECT id, code, name, office, bank_account, printer, "
                               "next_receipt FROM drawers WHERE code = ?",
                               {code}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no drawer " + code, "drawer");
  const auto& r = rows[0];
  return Drawer{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.integer(6)};
}

Result<Session> load_session(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows,
            c.query("SELECT s.id, s.drawer_id, d.code, d.office, s.cashier_id, s.cashier_name, "
                    "s.status, s.business_date, s.opened_us, s.float_cents, s.float_count, "
                    "s.counted_us, s.counted_cents, s.counted_count, s.expected_cents, "
                    "s.over_short_cents, s.over_short_reason, s.closed_us, "
                    "s.over_short_entry_id, s.close_entry_id, ds.deposit_id "
                    "FROM cashier_sessions s JOIN drawers d ON d.id = s.drawer_id "
                    "LEFT JOIN deposit_sessions ds ON ds.session_id = s.id WHERE s.id = ?",
                    {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no cashier session " + std::to_string(id));
  const auto& r = rows[0];
  Session s;
  s.id = r.integer(0);
  s.drawer_id = r.integer(1);
  s.drawer_code = r.text(2);
  s.office = r.text(3);
  s.cashier_id = r.integer(4);
  s.cashier_name = r.text(5);
  s.status = r.text(6);
  s.business_date = r.text(7);
  s.opened_us = r.integer(8);
  s.float_amount = Money::from_cents(r.integer(9));
  CD_ASSIGN(s.float_count, count_from_json(r.text(10)));
  s.counted_us = r.opt_integer(11).value_or(0);
  if (auto v = r.opt_integer(12)) s.counted = Money::from_cents(*v);
  if (auto t = r.opt_text(13)) {
    CD_ASSIGN(s.counted_count, count_from_json(*t));
  }
  if (auto v = r.opt_integer(14)) s.expected = Money::from_cents(*v);
  if (auto v = r.opt_integer(15)) s.over_short = Money::from_cents(*v);
  s.over_short_reason = r.text(16);
  s.closed_us = r.opt_integer(17).value_or(0);
  s.over_short_entry_id = r.opt_integer(18).value_or(0);
  s.close_entry_id = r.opt_integer(19).value_or(0);
  s.deposit_id = r.opt_integer(20).value_or(0);
  return s;
}

Result<std::map<std::string, Money>> receipts_by_fund(store::Connection& c,
                                                      std::int64_t session_id) {
  // The session's payments, and payments a transfer made of them (one level), as they sit in
  // cash in drawers (1010): payments less voids and transfers out.
  CD_ASSIGN(auto rows,
            c.query("SELECT l.fund, COALESCE(SUM(l.debit_cents), 0) - "
                    "COALESCE(SUM(l.credit_cents), 0) FROM journal_lines l "
                    "WHERE l.account LIKE '1010-%' AND l.payment_id IN ("
                    "  SELECT cp.payment_id FROM counter_payments cp JOIN counter_transactions t "
                    "  ON t.id = cp.transaction_id WHERE t.session_id = ? "
                    "  UNION SELECT p.id FROM payments p JOIN counter_payments cp "
                    "  ON cp.payment_id = p.transferred_from_payment_id JOIN counter_transactions "
                    "  t ON t.id = cp.transaction_id WHERE t.session_id = ?) "
                    "GROUP BY l.fund ORDER BY l.fund",
                    {session_id, session_id}));
  std::map<std::string, Money> out;
  for (const auto& r : rows)
    if (r.integer(1) != 0) out[r.text(0)] = Money::from_cents(r.integer(1));
  return out;
}

Result<SessionTotals> load_totals(store::Connection& c, const Session& s) {
  SessionTotals t;
  CD_ASSIGN(auto rows, c.query("SELECT tn.kind, COALESCE(SUM(tn.applied_cents), 0) FROM "
                               "counter_tenders tn JOIN counter_transactions x ON x.id = "
                               "tn.transaction_id WHERE x.session_id = ? AND x.status = 'posted' "
                               "GROUP BY tn.kind ORDER BY tn.kind",
                               {s.id}));
  std::int64_t receipts = 0, cash = 0;
  for (const auto& r : rows) {
    t.by_tender[r.text(0)] = Money::from_cents(r.integer(1));
    receipts += r.integer(1);
    if (r.text(0) == "cash") cash = r.integer(1);
  }
  t.receipts = Money::from_cents(receipts);
  t.expected_cash = Money::from_cents(s.float_amount.cents() + cash);
  CD_ASSIGN(auto counts, c.query("SELECT status, COUNT(*) FROM counter_transactions WHERE "
                                 "session_id = ? GROUP BY status",
                                 {s.id}));
  for (const auto& r : counts) {
    int n = static_cast<int>(r.integer(1));
    if (r.text(0) == "posted") t.transactions = n;
    if (r.text(0) == "voided") t.voided = n;
    if (r.text(0) == "card_unknown" || r.text(0) == "pending") t.card_unknown += n;
  }
  CD_ASSIGN(t.by_fund, receipts_by_fund(c, s.id));
  return t;
}

std::string tender_text(const Tender& t) {
  auto upper = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  };
  if (t.kind == "cash") return "Cash";
  if (t.kind == "check")
    return "Check #" + t.check_number + (t.bank.empty() ? "" : " (" + t.bank + ")");
  if (t.kind == "money_order") return "Money order #" + t.check_number;
  if (t.kind == "card") return upper(t.card_brand) + " ****" + t.card_last4;
  if (t.kind == "ach") return t.ach_last4.empty() ? "ACH" : "ACH ****" + t.ach_last4;
  return t.kind;
}

Result<CounterTransaction> load_transaction(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows,
            c.query("SELECT t.id, t.session_id, d.code, t.cashier_id, t.status, "
                    "t.receipt_number, t.total_cents, t.cash_cents, t.change_cents, t.tender, "
                    "t.created_us, t.posted_us, t.void_reason, t.voided_by_name "
                    "FROM counter_transactions t JOIN drawers d ON d.id = t.drawer_id "
                    "WHERE t.id = ?",
                    {id}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no counter transaction " + std::to_string(id));
  const auto& r = rows[0];
  CounterTransaction t;
  t.id = r.integer(0);
  t.session_id = r.integer(1);
  t.drawer_code = r.text(2);
  t.cashier_id = r.integer(3);
  t.status = r.text(4);
  t.receipt_number = r.opt_integer(5).value_or(0);
  if (t.receipt_number) t.receipt = receipt_label(t.drawer_code, t.receipt_number);
  t.total = Money::from_cents(r.integer(6));
  t.cash = Money::from_cents(r.integer(7));
  t.change = Money::from_cents(r.integer(8));
  t.tender = r.text(9);
  t.created_us = r.integer(10);
  t.posted_us = r.opt_integer(11).value_or(0);
  t.void_reason = r.text(12);
  t.voided_by = r.text(13);
  CD_ASSIGN(auto items, c.query("SELECT i.line_no, i.party_id, p.display_name, i.obligation_id, "
                                "i.description, i.amount_cents, i.balance_after_cents FROM "
                                "counter_items i JOIN parties p ON p.id = i.party_id WHERE "
                                "i.transaction_id = ? ORDER BY i.line_no",
                                {id}));
  for (const auto& ir : items) {
    TransactionItem it{static_cast<int>(ir.integer(0)),
                       ir.integer(1),
                       ir.text(2),
                       ir.opt_integer(3).value_or(0),
                       ir.text(4),
                       Money::from_cents(ir.integer(5)),
                       std::nullopt};
    if (auto b = ir.opt_integer(6)) it.balance_left = Money::from_cents(*b);
    t.items.push_back(std::move(it));
  }
  CD_ASSIGN(auto tenders,
            c.query("SELECT kind, amount_cents, applied_cents, check_number, bank, "
                    "payer, micr, card_token, card_brand, card_last4, card_status, "
                    "card_authorization, ach_last4, card_reference FROM counter_tenders WHERE "
                    "transaction_id = ? ORDER BY line_no",
                    {id}));
  for (const auto& tr : tenders) {
    TransactionTender tt;
    tt.tender = Tender{tr.text(0), Money::from_cents(tr.integer(1)),
                       tr.text(3), tr.text(4),
                       tr.text(5), tr.text(6),
                       tr.text(7), tr.text(8),
                       tr.text(9), tr.text(12)};
    tt.applied = Money::from_cents(tr.integer(2));
    tt.card_status = tr.text(10);
    tt.card_authorization = tr.text(11);
    tt.card_reference = tr.text(13);
    t.tenders.push_back(std::move(tt));
  }
  CD_ASSIGN(auto pays, c.query("SELECT payment_id FROM counter_payments WHERE transaction_id = ? "
                               "ORDER BY payment_id",
                               {id}));
  for (const auto& pr : pays) t.payment_ids.push_back(pr.integer(0));
  return t;
}

Result<Actor> actor_of(store::Connection& c, std::int64_t user_id, const std::string& request_id) {
  CD_ASSIGN(auto row, c.query_one("SELECT username, role FROM users WHERE id = ?", {user_id}));
  return Actor{UserId{user_id}, row.text(0), row.text(1), request_id, "reconciler"};
}

Result<void> audit(store::Connection& c, const Actor& actor, Timestamp now,
                   const std::string& action, const std::string& entity, std::int64_t id,
                   const std::string& after_json) {
  return audit::append(c, actor, now,
                       {action, entity, std::to_string(id), std::nullopt, after_json});
}

}  // namespace civicdesk::cashiering::detail
