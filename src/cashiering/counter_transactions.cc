// Counter transactions: a cart paid with tenders, posted as ledger payments with a receipt
// number in one commit; card payments through the gateway; voids; the card reconciler.
#include <boost/json.hpp>

#include "cashiering/card_numbers.h"
#include "cashiering/counter.h"
#include "cashiering/counter_store.h"
#include "cashiering/lifecycle.h"
#include "core/limits.h"

namespace civicdesk::cashiering {
using namespace detail;
namespace json = boost::json;

namespace {

constexpr const char* kCashOnlyFlag = "cash-only";

std::string tender_field(std::size_t i, const std::string& name) {
  return "tenders[" + std::to_string(i) + "]." + name;
}

// Card tenders name only the gateway's token; brand and last 4 come from the gateway.
Result<std::size_t> describe_cards(PaymentGateway& gateway, std::vector<Tender>& tenders) {
  std::size_t cards = 0;
  for (std::size_t i = 0; i < tenders.size(); ++i) {
    Tender& t = tenders[i];
    if (t.kind != "card") continue;
    ++cards;
    if (t.card_token.empty())
      return fail(Error::invalid(tender_field(i, "card_token"),
                                 "a card tender needs the "
                                 "gateway's card token"));
    if (contains_card_number(t.card_token) || t.card_token.size() > kMaxReferenceLength)
      return fail(Error::invalid(tender_field(i, "card_token"),
                                 "send the gateway's token, never the card number"));
    auto info = gateway.describe(t.card_token);
    if (!info) return fail(Error::invalid(tender_field(i, "card_token"), info.error().message));
    t.card_brand = info->brand;
    t.card_last4 = info->last4;
  }
  return cards;
}

struct PartyFacts {
  std::string name;
  bool cash_only = false;
};

Result<std::map<std::int64_t, PartyFacts>> load_parties(store::Connection& c,
                                                        const std::vector<CartItem>& items) {
  std::map<std::int64_t, PartyFacts> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (out.contains(items[i].party_id)) continue;
    CD_ASSIGN(auto rows,
              c.query("SELECT display_name, flags FROM parties WHERE id = ?", {items[i].party_id}));
    if (rows.empty())
      return fail(Error::invalid("items[" + std::to_string(i) + "].party_id",
                                 "no customer " + std::to_string(items[i].party_id)));
    bool cash_only = ("," + rows[0].text(1) + ",").find(std::string(",") + kCashOnlyFlag + ",") !=
                     std::string::npos;
    out[items[i].party_id] = {rows[0].text(0), cash_only};
  }
  return out;
}

struct ObligationFacts {
  std::map<std::int64_t, ObligationState> state;
  std::map<std::int64_t, std::string> description;
};

Result<ObligationFacts> load_obligations(store::Connection& c, const CityConfig& city,
                                         const std::vector<CartItem>& items) {
  ObligationFacts out;
  for (const auto& it : items) {
    if (it.obligation_id == 0 || out.state.contains(it.obligation_id)) continue;
    CD_ASSIGN(auto rows, c.query("SELECT party_id, balance_cents, status, kind, account_ref, "
                                 "description FROM obligations WHERE id = ?",
                                 {it.obligation_id}));
    if (rows.empty()) continue;  // plan_payments names the item
    const auto& r = rows[0];
    out.state[it.obligation_id] = {r.integer(0), Money::from_cents(r.integer(1)), r.text(2)};
    const ObligationKind* kind = city.ledger.kind(r.text(3));
    // The receipt names what was paid as the customer knows it (the bill's own description),
    // with the obligation number staff can look up.
    std::string d = r.text(5).empty() ? (kind ? kind->name : r.text(3)) : r.text(5);
    d += " #" + std::to_string(it.obligation_id);
    if (!r.text(4).empty() && d.find(r.text(4)) == std::string::npos) d += " (" + r.text(4) + ")";
    out.description[it.obligation_id] = d;
  }
  return out;
}

Result<std::vector<CartItem>> load_items(store::Connection& c, std::int64_t txn_id) {
  CD_ASSIGN(auto rows, c.query("SELECT party_id, obligation_id, amount_cents FROM counter_items "
                               "WHERE transaction_id = ? ORDER BY line_no",
                               {txn_id}));
  std::vector<CartItem> out;
  for (const auto& r : rows)
    out.push_back({r.integer(0), r.opt_integer(1).value_or(0), Money::from_cents(r.integer(2))});
  return out;
}

CardCharge card_charge(const TransactionTender& t) {
  return CardCharge{t.tender.card_token, t.applied, t.card_reference};
}

std::string card_reference(const std::string& key) {
  return "civicdesk:counter:" + key + ":card";
}

Result<std::string> key_of(store::Connection& c, std::int64_t txn_id) {
  CD_ASSIGN(auto row,
            c.query_one("SELECT idempotency_key FROM counter_transactions WHERE id = ?", {txn_id}));
  return row.text(0);
}

}  // namespace

Result<std::int64_t> Counter::record_within(store::Connection& c, const Actor& actor,
                                            const CounterRequest& r, const std::string& key) {
  CD_ASSIGN(auto open, c.query("SELECT id FROM cashier_sessions WHERE cashier_id = ? AND "
                               "status <> 'closed'",
                               {actor.user_id.value}));
  if (open.empty())
    return fail(ErrorCode::kUnprocessable, "open a drawer session before taking payments");
  CD_ASSIGN(auto session, load_session(c, open[0].integer(0)));
  CD_ASSIGN(auto state, parse_session_state(session.status));
  CD_TRY(next_state(state, SessionOp::kTransact));
  CD_ASSIGN(auto parties, load_parties(c, r.items));
  CD_ASSIGN(auto obligations, load_obligations(c, city_, r.items));
  CD_TRY(plan_payments(r.items, obligations.state));  // refuses before any card is charged
  CD_ASSIGN(Money total, cart_total(r.items));
  bool cash_only = false;
  for (const auto& [id, p] : parties) cash_only = cash_only || p.cash_only;
  CD_ASSIGN(auto outcome, settle(r.tenders, total, cash_only));
  std::int64_t cash = 0;
  for (std::size_t i = 0; i < r.tenders.size(); ++i)
    if (r.tenders[i].kind == "cash") cash += outcome.applied[i].cents();
  CD_ASSIGN(auto id,
            c.query_int("INSERT INTO counter_transactions (session_id, drawer_id, cashier_id, "
                        "status, total_cents, cash_cents, change_cents, tender, created_us, note, "
                        "idempotency_key) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?) "
                        "RETURNING id",
                        {session.id, session.drawer_id, actor.user_id.value, total.cents(), cash,
                         outcome.change_due.cents(), tender_label(r.tenders), clock_.now_us(),
                         r.note, key}));
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    const CartItem& it = r.items[i];
    std::string d = it.obligation_id ? obligations.description[it.obligation_id] : "On account";
    CD_TRY(c.exec(
        "INSERT INTO counter_items (transaction_id, line_no, party_id, obligation_id, "
        "amount_cents, description) VALUES (?, ?, ?, ?, ?, ?)",
        {id, static_cast<std::int64_t>(i + 1), it.party_id,
         it.obligation_id ? store::Value{it.obligation_id} : store::null(), it.amount.cents(), d}));
  }
  for (std::size_t i = 0; i < r.tenders.size(); ++i) {
    const Tender& t = r.tenders[i];
    bool card = t.kind == "card";
    CD_TRY(
        c.exec("INSERT INTO counter_tenders (transaction_id, line_no, kind, amount_cents, "
               "applied_cents, check_number, bank, payer, micr, card_token, card_brand, "
               "card_last4, card_status, card_reference, ach_last4) VALUES "
               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {id, static_cast<std::int64_t>(i + 1), t.kind, t.amount.cents(),
                outcome.applied[i].cents(), t.check_number, t.bank, t.payer, t.micr, t.card_token,
                t.card_brand, t.card_last4, std::string(card ? "pending" : ""),
                card ? card_reference(key) : std::string(), t.ach_last4}));
  }
  return id;
}

Result<void> Counter::post_within(store::Connection& c, const Actor& actor, std::int64_t txn_id) {
  CD_ASSIGN(auto txn, load_transaction(c, txn_id));
  if (txn.status != "pending" && txn.status != "card_unknown")
    return fail(ErrorCode::kInternal, "transaction " + std::to_string(txn_id) + " is " +
                                          txn.status + "; it cannot be posted");
  CD_ASSIGN(auto session, load_session(c, txn.session_id));
  CD_ASSIGN(auto state, parse_session_state(session.status));
  CD_TRY(next_state(state, SessionOp::kTransact));
  CD_ASSIGN(auto items, load_items(c, txn_id));
  CD_ASSIGN(auto obligations, load_obligations(c, city_, items));
  CD_ASSIGN(auto plan, plan_payments(items, obligations.state));
  std::string payer;
  for (const auto& t : txn.tenders)
    if (payer.empty()) payer = t.tender.payer;
  CD_ASSIGN(auto number, c.query_int("UPDATE drawers SET next_receipt = next_receipt + 1 WHERE "
                                     "id = ? RETURNING next_receipt - 1",
                                     {session.drawer_id}));
  CRASH_POINT("counter.receipt.after_number");
  std::string receipt = receipt_label(session.drawer_code, number);
  CD_ASSIGN(auto key, key_of(c, txn_id));
  std::string client_key = key.substr(key.find(':') + 1);  // the ledger scopes it per user again
  for (std::size_t j = 0; j < plan.size(); ++j) {
    ledger::PaymentRequest req{plan[j].party_id,
                               plan[j].amount,
                               txn.tender,
                               "counter",
                               payer,
                               "receipt " + receipt,
                               "",
                               plan[j].directed,
                               client_key + ":counter:" + std::to_string(j)};
    CD_ASSIGN(auto paid, ledger_.pay_within(c, actor, req));
    CD_TRY(
        c.exec("INSERT INTO counter_payments (transaction_id, payment_id, party_id, "
               "amount_cents) VALUES (?, ?, ?, ?)",
               {txn_id, paid.payment.id, plan[j].party_id, plan[j].amount.cents()}));
  }
  CRASH_POINT("counter.payment.after_post");
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto left = items[i].obligation_id
                    ? c.query_int("SELECT balance_cents FROM obligations WHERE id = ?",
                                  {items[i].obligation_id})
                    : c.query_int(
                          "SELECT COALESCE(MAX(receivable_cents), 0) FROM party_balances "
                          "WHERE party_id = ?",
                          {items[i].party_id});
    if (!left) return std::unexpected(left.error());
    CD_TRY(
        c.exec("UPDATE counter_items SET balance_after_cents = ? WHERE transaction_id = ? AND "
               "line_no = ?",
               {*left, txn_id, static_cast<std::int64_t>(i + 1)}));
  }
  CD_TRY(
      c.exec("UPDATE counter_transactions SET status = 'posted', receipt_number = ?, "
             "posted_us = ? WHERE id = ?",
             {number, clock_.now_us(), txn_id}));
  return audit(c, actor, clock_.now_us(), "counter.transaction", "counter_transaction", txn_id,
               json::serialize(json::object{{"receipt", receipt},
                                            {"total", format_plain(txn.total)},
                                            {"change", format_plain(txn.change)},
                                            {"tender", txn.tender},
                                            {"payments", static_cast<std::int64_t>(plan.size())}}));
}

Result<CounterTransaction> Counter::transact(const Actor& actor, const CounterRequest& request) {
  if (request.idempotency_key.empty())
    return fail(
        Error::invalid("Idempotency-Key", "a counter transaction needs an idempotency key"));
  CD_TRY(check_length(request.idempotency_key, kMaxIdempotencyKeyLength, "Idempotency-Key"));
  CD_TRY(check_length(request.note, kMaxNoteLength, "note"));
  CD_TRY(cart_total(request.items));
  if (request.tenders.size() > kMaxTenders)
    return fail(Error::invalid("tenders", "at most " + std::to_string(kMaxTenders) + " tenders"));
  CounterRequest r = request;
  CD_ASSIGN(auto cards, describe_cards(*gateway_, r.tenders));
  if (cards > kMaxCardTenders)
    return fail(Error::invalid("tenders",
                               "one card per transaction; take a second card as its "
                               "own transaction"));
  std::string key = std::to_string(actor.user_id.value) + ":" + r.idempotency_key;
  auto find = [&](store::Connection& c) -> Result<std::optional<std::int64_t>> {
    CD_ASSIGN(auto rows,
              c.query("SELECT id FROM counter_transactions WHERE idempotency_key = ?", {key}));
    if (rows.empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{rows[0].integer(0)};
  };
  if (cards == 0) {
    return db_.write<CounterTransaction>([&](store::Connection& c) -> Result<CounterTransaction> {
      CD_ASSIGN(auto existing, find(c));
      if (existing) {
        CD_ASSIGN(auto t, load_transaction(c, *existing));
        t.replayed = true;
        return t;
      }
      CD_ASSIGN(auto id, record_within(c, actor, r, key));
      CD_TRY(post_within(c, actor, id));
      return load_transaction(c, id);
    });
  }
  // A card: record the transaction first, so a lost answer or a crash leaves a trace that the
  // retry (same key → same gateway reference) or the reconciler resolves.
  using Recorded = std::pair<std::int64_t, bool>;
  CD_ASSIGN(auto recorded, db_.write<Recorded>([&](store::Connection& c) -> Result<Recorded> {
    CD_ASSIGN(auto existing, find(c));
    if (existing) return std::pair{*existing, true};
    CD_ASSIGN(auto id, record_within(c, actor, r, key));
    return std::pair{id, false};
  }));
  CD_ASSIGN(auto txn, transaction(recorded.first));
  if (txn.status != "pending") {
    txn.replayed = true;
    return txn;
  }
  for (const auto& t : txn.tenders)
    if (t.tender.kind == "card")
      return settle_card(actor, txn.id, gateway_->charge(card_charge(t)));
  return fail(ErrorCode::kInternal, "a card transaction without its card tender");
}

Result<CounterTransaction> Counter::settle_card(const Actor& actor, std::int64_t txn_id,
                                                const CardResult& answer) {
  auto set_card = [&](const std::string& card_status, const std::string& txn_status) {
    return db_.write<CounterTransaction>([&](store::Connection& c) -> Result<CounterTransaction> {
      CD_TRY(
          c.exec("UPDATE counter_tenders SET card_status = ? WHERE transaction_id = ? AND "
                 "kind = 'card'",
                 {card_status, txn_id}));
      CD_TRY(
          c.exec("UPDATE counter_transactions SET status = ?, note = ? WHERE id = ? AND "
                 "status IN ('pending', 'card_unknown')",
                 {txn_status, answer.message, txn_id}));
      return load_transaction(c, txn_id);
    });
  };
  if (answer.status == CardStatus::kDeclined) return set_card("declined", "declined");
  if (answer.status == CardStatus::kUnknown) return set_card("unknown", "card_unknown");
  auto posted =
      db_.write<CounterTransaction>([&](store::Connection& c) -> Result<CounterTransaction> {
        CD_ASSIGN(auto txn, load_transaction(c, txn_id));
        if (txn.status != "pending" && txn.status != "card_unknown") return txn;
        CD_TRY(
            c.exec("UPDATE counter_tenders SET card_status = 'approved', card_authorization = ? "
                   "WHERE transaction_id = ? AND kind = 'card'",
                   {answer.authorization, txn_id}));
        CD_TRY(post_within(c, actor, txn_id));
        return load_transaction(c, txn_id);
      });
  if (posted || posted.error().code == ErrorCode::kStorage ||
      posted.error().code == ErrorCode::kInternal || posted.error().code == ErrorCode::kUnavailable)
    return posted;
  // The card was charged but the ledger refused the cart (it changed since it was recorded):
  // give the money back at the gateway and mark the transaction failed.
  CD_ASSIGN(auto txn, transaction(txn_id));
  std::string voided = "approved";
  for (const auto& t : txn.tenders)
    if (t.tender.kind == "card" &&
        gateway_->void_charge(card_charge(t)).status == CardStatus::kApproved)
      voided = "voided";
  (void)set_card(voided, "failed");
  return std::unexpected(posted.error());
}

Result<CounterTransaction> Counter::transaction(std::int64_t id) {
  return db_.read<CounterTransaction>(
      [&](store::Connection& c) { return load_transaction(c, id); });
}

Result<std::vector<CounterTransaction>> Counter::session_transactions(std::int64_t session_id) {
  return db_.read<std::vector<CounterTransaction>>(
      [&](store::Connection& c) -> Result<std::vector<CounterTransaction>> {
        CD_ASSIGN(auto rows, c.query("SELECT id FROM counter_transactions WHERE session_id = ? "
                                     "ORDER BY id LIMIT ?",
                                     {session_id, kMaxSessionTransactionsListed}));
        std::vector<CounterTransaction> out;
        out.reserve(rows.size());
        for (const auto& r : rows) {
          CD_ASSIGN(auto t, load_transaction(c, r.integer(0)));
          out.push_back(std::move(t));
        }
        return out;
      });
}

namespace {

// Whether `actor` may void `txn` now: a posted transaction of a session still open, voided by
// a supervisor who is not its cashier.
Result<void> check_void(const CounterTransaction& txn, const Session& session, const Actor& actor) {
  if (txn.status != "posted")
    return fail(ErrorCode::kUnprocessable, "transaction " + std::to_string(txn.id) + " is " +
                                               txn.status +
                                               "; only a posted "
                                               "transaction can be voided");
  CD_ASSIGN(auto state, parse_session_state(session.status));
  CD_TRY(next_state(state, SessionOp::kVoid));
  if (session.cashier_id == actor.user_id.value)
    return fail(ErrorCode::kForbidden,
                "a void needs a supervisor who is not the cashier of the transaction");
  return {};
}

}  // namespace

Result<CounterTransaction> Counter::void_transaction(const Actor& actor, std::int64_t id,
                                                     const std::string& reason) {
  if (reason.empty()) return fail(Error::invalid("reason", "a void needs a reason"));
  CD_TRY(check_length(reason, kMaxNoteLength, "reason"));
  if (!can(actor, "drawer.supervise"))
    return fail(ErrorCode::kForbidden, "a void needs a supervisor (drawer.supervise)");
  CD_ASSIGN(auto txn, transaction(id));
  if (txn.status == "voided" && txn.voided_by == actor.username) {
    txn.replayed = true;  // a retry of this supervisor's void
    return txn;
  }
  CD_ASSIGN(auto sess, session(txn.session_id));
  CD_TRY(check_void(txn, sess, actor));
  // The card first: if the gateway does not confirm, nothing changes here.
  for (const auto& t : txn.tenders) {
    if (t.tender.kind != "card" || t.card_status != "approved") continue;
    auto answer = gateway_->void_charge(card_charge(t));
    if (answer.status != CardStatus::kApproved)
      return fail(ErrorCode::kUnavailable, "the card gateway did not confirm the void of the " +
                                               tender_text(t.tender) +
                                               " payment; nothing was "
                                               "changed — try again");
  }
  return db_.write<CounterTransaction>([&](store::Connection& c) -> Result<CounterTransaction> {
    CD_ASSIGN(auto now_txn, load_transaction(c, id));
    CD_ASSIGN(auto now_session, load_session(c, now_txn.session_id));
    CD_TRY(check_void(now_txn, now_session, actor));
    for (std::int64_t payment_id : now_txn.payment_ids) {
      CD_ASSIGN(auto entry, ledger_.void_payment_within(
                                c, actor, payment_id,
                                "counter void of receipt " + now_txn.receipt + ": " + reason));
      CD_TRY(c.exec("UPDATE counter_payments SET void_entry_id = ? WHERE payment_id = ?",
                    {entry, payment_id}));
    }
    CD_TRY(
        c.exec("UPDATE counter_tenders SET card_status = 'voided' WHERE transaction_id = ? "
               "AND kind = 'card'",
               {id}));
    CD_TRY(
        c.exec("UPDATE counter_transactions SET status = 'voided', voided_us = ?, voided_by = "
               "?, voided_by_name = ?, void_reason = ? WHERE id = ?",
               {clock_.now_us(), actor.user_id.value, actor.username, reason, id}));
    CD_TRY(audit(c, actor, clock_.now_us(), "counter.void", "counter_transaction", id,
                 json::serialize(json::object{{"receipt", now_txn.receipt}, {"reason", reason}})));
    return load_transaction(c, id);
  });
}

Result<ReconcileReport> Counter::reconcile_cards(const Actor& actor) {
  Timestamp stale_before = clock_.now_us() - kStalePendingUs;
  using Waiting = std::vector<std::pair<std::int64_t, Actor>>;
  CD_ASSIGN(auto open, db_.read<Waiting>([&](store::Connection& c) -> Result<Waiting> {
    CD_ASSIGN(auto rows, c.query("SELECT id, cashier_id FROM counter_transactions WHERE status = "
                                 "'card_unknown' OR (status = 'pending' AND created_us < ?) "
                                 "ORDER BY id LIMIT 1000",
                                 {stale_before}));
    Waiting out;
    for (const auto& r : rows) {
      CD_ASSIGN(auto cashier, actor_of(c, r.integer(1), actor.request_id));
      out.emplace_back(r.integer(0), cashier);
    }
    return out;
  }));
  ReconcileReport report;
  for (const auto& [id, cashier] : open) {
    CD_ASSIGN(auto txn, transaction(id));
    report.transactions.push_back(id);
    for (const auto& t : txn.tenders) {
      if (t.tender.kind != "card") continue;
      // Posted under the cashier's name and idempotency scope, as the first attempt would have.
      CD_ASSIGN(auto settled, settle_card(cashier, id, gateway_->lookup(card_charge(t))));
      if (settled.status == "posted")
        ++report.approved;
      else if (settled.status == "declined")
        ++report.declined;
      else
        ++report.still_unknown;
    }
  }
  return report;
}

}  // namespace civicdesk::cashiering
