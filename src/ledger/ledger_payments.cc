// Money in and its corrections: payments with allocation, transfers of misapplied payments,
// returned payments (NSF/chargeback) with the returned-payment fee and the cash-only flag.
#include <algorithm>
#include <boost/json.hpp>

#include "core/limits.h"
#include "ledger/ledger.h"
#include "ledger/posting.h"
#include "audit/audit_log.h"
#include "core/crash_point.h"

namespace civicdesk::ledger {
using namespace detail;
namespace json = boost::json;

namespace {

constexpr std::string_view kTenders[] = {"cash", "check", "money_order", "card", "ach", "split"};
constexpr std::string_view kChannels[] = {"counter", "mail", "online", "lockbox"};
constexpr const char* kCashOnlyFlag = "cash-only";

template <std::size_t N>
bool one_of(const std::string& v, const std::string_view (&options)[N]) {
  return std::find(std::begin(options), std::end(options), v) != std::end(options);
}

// Counter cash sits in the drawers until the drawer closes; everything else arrives as
// undeposited funds awaiting the bank deposit.
std::string_view cash_prefix_for(const std::string& channel) {
  return channel == "counter" ? kCashInDrawers : kUndeposited;
}

Result<void> validate_payment(const PaymentRequest& r) {
  CD_TRY(check_amount(r.amount, "amount"));
  if (!one_of(r.tender, kTenders))
    return fail(Error::invalid("tender", "tender must be cash, check, money_order, card, ach or split"));
  if (!one_of(r.channel, kChannels))
    return fail(Error::invalid("channel", "channel must be counter, mail, online or lockbox"));
  CD_TRY(check_length(r.payer, kMaxNameLength, "payer"));
  CD_TRY(check_length(r.reference, kMaxReferenceLength, "reference"));
  CD_TRY(check_length(r.account_ref, kMaxReferenceLength, "account_ref"));
  if (r.directed_obligations.size() > kMaxDirectedObligations)
    return fail(Error::invalid("obligations", "too many obligations named"));
  return require_key(r.idempotency_key);
}

Result<bool> is_cash_only(store::Connection& c, std::int64_t party_id) {
  CD_ASSIGN(auto row, c.query_one("SELECT flags FROM parties WHERE id = ?", {party_id}));
  return ("," + row.text(0) + ",").find(std::string(",") + kCashOnlyFlag + ",") !=
         std::string::npos;
}

Result<void> check_directed(store::Connection& c, std::int64_t party_id,
                            const std::vector<std::int64_t>& directed) {
  for (std::size_t i = 0; i < directed.size(); ++i) {
    auto o = load_obligation(c, directed[i]);
    std::string field = "obligations[" + std::to_string(i) + "]";
    if (!o || o->party_id != party_id)
      return fail(Error::invalid(field, "obligation " + std::to_string(directed[i]) +
                                            " is not one of this customer's"));
    if (o->status != "open")
      return fail(Error::invalid(field, "obligation " + std::to_string(directed[i]) + " is " +
                                            o->status + ", not open"));
  }
  return {};
}

Result<std::vector<Allocation>> allocations_of_entry(store::Connection& c, std::int64_t entry_id) {
  CD_ASSIGN(auto rows, c.query("SELECT obligation_id, charge_line_id, fund, credit_cents FROM "
                               "journal_lines WHERE entry_id = ? AND account LIKE '1200-%' AND "
                               "credit_cents > 0 ORDER BY id",
                               {entry_id}));
  std::vector<Allocation> out;
  for (const auto& r : rows) out.push_back({r.integer(0), r.integer(1), r.text(2), r.integer(3)});
  return out;
}

struct NewPayment {
  std::int64_t party_id;
  Money amount;
  std::string tender, channel, cash_prefix, payer, reference;
  std::int64_t transferred_from = 0;
};

// Inserts the payment, allocates it over the party's open lines and writes the entry.
Result<PaymentResult> post_payment(Posting& p, const NewPayment& np, const std::string& account_ref,
                                   const std::vector<std::int64_t>& directed, EntryKind kind,
                                   const std::string& memo, const std::string& key) {
  CD_ASSIGN(auto pid, p.c.query_int(
                          "INSERT INTO payments (party_id, tender, channel, cash_account_prefix, "
                          "amount_cents, unapplied_cents, payer, reference, received_us, status, "
                          "transferred_from_payment_id) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, "
                          "'posted', ?) RETURNING id",
                          {np.party_id, np.tender, np.channel, np.cash_prefix, np.amount.cents(),
                           np.payer, np.reference, p.now_us,
                           np.transferred_from ? store::Value{np.transferred_from} : store::null()}));
  CD_ASSIGN(auto lines, open_lines(p.c, p.city, np.party_id, account_ref, 0));
  auto alloc = allocate(std::move(lines), np.amount.cents(), {p.city.ledger.penalties_first},
                        directed);
  JournalEntry e;
  e.kind = kind;
  e.party_id = np.party_id;
  e.memo = memo;
  for (const auto& a : alloc.applied)
    add_pair(e, a.fund, fund_account(np.cash_prefix, a.fund), fund_account(kReceivable, a.fund),
             Money::from_cents(a.amount_cents),
             {.party_id = np.party_id, .obligation_id = a.obligation_id,
              .charge_line_id = a.line_id, .payment_id = pid});
  const std::string& cf = p.city.ledger.credit_fund;
  add_pair(e, cf, fund_account(np.cash_prefix, cf), fund_account(kUnapplied, cf),
           Money::from_cents(alloc.remainder_cents), {.party_id = np.party_id, .payment_id = pid});
  CD_ASSIGN(auto entry_id, write_entry(p, e, key));
  CRASH_POINT("ledger.payment.after_entry");
  CD_TRY(p.c.exec("UPDATE payments SET entry_id = ? WHERE id = ?", {entry_id, pid}));
  for (const auto& a : alloc.applied) CD_TRY(refresh_status(p.c, a.obligation_id));
  CD_ASSIGN(auto payment, load_payment(p.c, pid));
  return PaymentResult{payment, alloc.applied, false};
}

std::string payment_memo(const PaymentRequest& r) {
  std::string m = "Payment of " + format_money(r.amount) + " by " + r.tender + " (" + r.channel;
  if (!r.reference.empty()) m += ", ref " + r.reference;
  return m + ")";
}

json::object payment_json(const PaymentResult& r) {
  return json::object{{"payment_id", r.payment.id},
                      {"amount", format_plain(r.payment.amount)},
                      {"unapplied", format_plain(r.payment.unapplied)},
                      {"allocations", static_cast<std::int64_t>(r.allocations.size())}};
}

Result<PaymentResult> replay_payment(store::Connection& c, std::int64_t entry_id) {
  CD_ASSIGN(auto row, c.query_one("SELECT id FROM payments WHERE entry_id = ?", {entry_id}));
  CD_ASSIGN(auto payment, load_payment(c, row.integer(0)));
  CD_ASSIGN(auto allocations, allocations_of_entry(c, entry_id));
  return PaymentResult{payment, allocations, true};
}

}  // namespace

Result<PaymentResult> Ledger::pay(const Actor& actor, const PaymentRequest& r) {
  return db_.write<PaymentResult>(
      [&](store::Connection& c) -> Result<PaymentResult> { return pay_within(c, actor, r); });
}

Result<PaymentResult> Ledger::pay_within(store::Connection& c, const Actor& actor,
                                         const PaymentRequest& r) {
  CD_TRY(validate_payment(r));
  std::string key = scoped_key(actor, r.idempotency_key);
  CD_ASSIGN(auto existing, entry_for_key(c, key));
  if (existing) return replay_payment(c, *existing);
  CD_TRY(party_exists(c, r.party_id));
  CD_ASSIGN(bool cash_only, is_cash_only(c, r.party_id));
  if (cash_only && r.tender != "cash")
    return fail(ErrorCode::kUnprocessable,
                "this customer is cash only after returned payments; take cash", "tender");
  CD_TRY(check_directed(c, r.party_id, r.directed_obligations));
  Posting p{c, city_, actor, clock_.now_us(), today()};
  NewPayment np{r.party_id, r.amount, r.tender, r.channel,
                std::string(cash_prefix_for(r.channel)), r.payer, r.reference};
  CD_ASSIGN(auto result, post_payment(p, np, r.account_ref, r.directed_obligations,
                                      EntryKind::kPayment, payment_memo(r), key));
  CD_TRY(audit_entry(p, "ledger.payment", "payment", result.payment.id,
                     json::serialize(payment_json(result))));
  if (!settlement_hooks_.empty()) {
    std::vector<std::int64_t> settled;
    for (const auto& a : result.allocations) {
      if (std::find(settled.begin(), settled.end(), a.obligation_id) != settled.end()) continue;
      CD_ASSIGN(auto o, load_obligation(c, a.obligation_id));
      if (o.balance.cents() == 0) settled.push_back(o.id);
    }
    if (!settled.empty())
      for (const auto& hook : settlement_hooks_) CD_TRY(hook(c, actor, settled));
  }
  return result;
}

Result<std::int64_t> Ledger::void_payment_within(store::Connection& c, const Actor& actor,
                                                 std::int64_t payment_id,
                                                 const std::string& reason) {
  CD_ASSIGN(auto pay, load_payment(c, payment_id));
  if (pay.status != "posted")
    return fail(ErrorCode::kUnprocessable, "payment " + std::to_string(pay.id) + " is " +
                                               pay.status + "; it cannot be voided");
  CD_ASSIGN(auto applied, applied_by_payment(c, pay.id));
  Posting p{c, city_, actor, clock_.now_us(), today()};
  JournalEntry e;
  e.kind = EntryKind::kVoid;
  e.party_id = pay.party_id;
  e.reverses_entry_id = pay.entry_id;
  e.memo = "Voided payment #" + std::to_string(pay.id) + " (" + format_money(pay.amount) +
           "): " + reason;
  CD_TRY(add_unwind(c, city_, pay, e));
  CD_ASSIGN(auto id, write_entry(p, e, ""));
  CD_TRY(c.exec("UPDATE payments SET status = 'returned', closing_entry_id = ? WHERE id = ?",
                {id, pay.id}));
  for (const auto& a : applied) CD_TRY(refresh_status(c, a.obligation_id));
  CD_TRY(audit_entry(p, "ledger.void", "payment", pay.id,
                     json::serialize(json::object{{"entry_id", id}, {"reason", reason}})));
  return id;
}

Result<std::int64_t> Ledger::post_internal_within(store::Connection& c, const Actor& actor,
                                                  JournalEntry entry, const std::string& key) {
  for (const auto& l : entry.lines)
    if (is_account(l.account, kReceivable) || is_account(l.account, kUnapplied))
      return fail(ErrorCode::kInternal, "internal entries never touch customer balances");
  std::string scoped = scoped_key(actor, key);
  CD_ASSIGN(auto existing, entry_for_key(c, scoped));
  if (existing) return *existing;
  Posting p{c, city_, actor, clock_.now_us(), today()};
  CD_ASSIGN(auto id, write_entry(p, entry, scoped));
  CD_TRY(audit_entry(p, "ledger." + std::string(to_string(entry.kind)), "journal_entry", id,
                     json::serialize(json::object{{"memo", entry.memo}})));
  return id;
}

Result<PaymentResult> Ledger::transfer(const Actor& actor, const TransferRequest& r) {
  CD_TRY(require_key(r.idempotency_key));
  if (r.reason.empty()) return fail(Error::invalid("reason", "a transfer needs a reason"));
  CD_TRY(check_length(r.reason, kMaxNoteLength, "reason"));
  std::string key = scoped_key(actor, r.idempotency_key);
  return db_.write<PaymentResult>([&](store::Connection& c) -> Result<PaymentResult> {
    CD_ASSIGN(auto existing, entry_for_key(c, key));
    if (existing) return replay_payment(c, *existing);
    CD_ASSIGN(auto old, load_payment(c, r.payment_id));
    if (old.status != "posted")
      return fail(ErrorCode::kUnprocessable, "payment " + std::to_string(old.id) + " is " +
                                                 old.status + "; it cannot be transferred");
    CD_TRY(party_exists(c, r.to_party_id));
    CD_TRY(check_directed(c, r.to_party_id, r.to_obligations));
    // A payment whose credit was partly refunded no longer has its whole amount to move.
    CD_ASSIGN(auto applied_now, applied_by_payment(c, old.id));
    std::int64_t movable = old.unapplied.cents();
    for (const auto& a : applied_now) movable += a.cents;
    if (movable != old.amount.cents())
      return fail(ErrorCode::kUnprocessable,
                  "part of this payment was refunded; only what is still applied or unapplied "
                  "could move — adjust instead");
    CD_ASSIGN(auto prefix, c.query_one("SELECT cash_account_prefix FROM payments WHERE id = ?",
                                       {old.id}));
    Posting p{c, city_, actor, clock_.now_us(), today()};
    // Out: take back everything the payment pays, with its own entry so the target's open
    // lines (which may include what this reopens) are read after it.
    JournalEntry out;
    out.kind = EntryKind::kTransfer;
    out.party_id = old.party_id;
    out.reverses_entry_id = old.entry_id;
    out.memo = "Payment #" + std::to_string(old.id) + " (" + format_money(old.amount) +
               ") transferred to customer " + std::to_string(r.to_party_id) + ": " + r.reason;
    CD_TRY(add_unwind(c, city_, old, out));
    if (!out.lines.empty()) {
      CD_ASSIGN(auto out_id, write_entry(p, out, ""));
      CD_TRY(c.exec("UPDATE payments SET status = 'transferred', closing_entry_id = ? WHERE id = ?",
                    {out_id, old.id}));
    } else {
      CD_TRY(c.exec("UPDATE payments SET status = 'transferred' WHERE id = ?", {old.id}));
    }
    CD_ASSIGN(auto reopened, c.query("SELECT DISTINCT obligation_id FROM journal_lines WHERE "
                                     "payment_id = ? AND obligation_id IS NOT NULL",
                                     {old.id}));
    for (const auto& o : reopened) CD_TRY(refresh_status(c, o.integer(0)));
    NewPayment np{r.to_party_id, old.amount, old.tender, old.channel, prefix.text(0),
                  old.payer,     "transfer of payment #" + std::to_string(old.id), old.id};
    std::string memo = "Payment #" + std::to_string(old.id) + " (" + format_money(old.amount) +
                       ") transferred in from customer " + std::to_string(old.party_id) + ": " +
                       r.reason;
    CD_ASSIGN(auto result, post_payment(p, np, "", r.to_obligations, EntryKind::kTransfer, memo,
                                        key));
    CD_TRY(audit_entry(p, "ledger.transfer", "payment", old.id,
                       json::serialize(json::object{{"to_payment_id", result.payment.id},
                                                    {"to_party_id", r.to_party_id},
                                                    {"reason", r.reason}})));
    return result;
  });
}

namespace {

// After a return: count it, and flag the party cash-only at the configured number.
Result<std::pair<int, bool>> count_return(Posting& p, std::int64_t party_id) {
  CD_TRY(p.c.exec("INSERT INTO party_balances (party_id, returned_payments) VALUES (?, 1) "
                  "ON CONFLICT (party_id) DO UPDATE SET returned_payments = "
                  "party_balances.returned_payments + 1",
                  {party_id}));
  CD_ASSIGN(auto n, p.c.query_int("SELECT returned_payments FROM party_balances WHERE party_id = ?",
                                  {party_id}));
  CD_ASSIGN(bool already, is_cash_only(p.c, party_id));
  if (n < p.city.ledger.cash_only_after_returns || already)
    return std::pair<int, bool>{static_cast<int>(n), false};
  CD_ASSIGN(auto row, p.c.query_one("SELECT flags FROM parties WHERE id = ?", {party_id}));
  std::string flags = row.text(0).empty() ? kCashOnlyFlag : row.text(0) + "," + kCashOnlyFlag;
  CD_TRY(p.c.exec("UPDATE parties SET flags = ?, version = version + 1 WHERE id = ?",
                  {flags, party_id}));
  CD_TRY(audit::append(p.c, p.actor, p.now_us,
                       {"party.flag", "party", std::to_string(party_id),
                        "{\"flags\":\"" + row.text(0) + "\"}", "{\"flags\":\"" + flags + "\"}"}));
  return std::pair<int, bool>{static_cast<int>(n), true};
}

}  // namespace

Result<ReturnResult> Ledger::return_payment(const Actor& actor, const ReturnRequest& r) {
  CD_TRY(require_key(r.idempotency_key));
  static constexpr std::string_view kReasons[] = {"nsf", "chargeback", "stop_payment",
                                                  "closed_account"};
  if (!one_of(r.reason, kReasons))
    return fail(Error::invalid("reason", "reason must be nsf, chargeback, stop_payment or "
                                         "closed_account"));
  std::string key = scoped_key(actor, r.idempotency_key);
  return db_.write<ReturnResult>([&](store::Connection& c) -> Result<ReturnResult> {
    CD_ASSIGN(auto existing, entry_for_key(c, key));
    if (existing) {
      ReturnResult replay;
      replay.entry_id = *existing;
      replay.replayed = true;
      return replay;
    }
    CD_ASSIGN(auto pay, load_payment(c, r.payment_id));
    if (pay.status != "posted")
      return fail(ErrorCode::kUnprocessable, "payment " + std::to_string(pay.id) + " is " +
                                                 pay.status + "; it cannot be returned");
    CD_ASSIGN(auto applied, applied_by_payment(c, pay.id));
    std::int64_t covered = pay.unapplied.cents();
    for (const auto& a : applied) covered += a.cents;
    if (covered != pay.amount.cents())
      return fail(ErrorCode::kUnprocessable,
                  "part of this payment was refunded; record the return with an adjustment");
    Posting p{c, city_, actor, clock_.now_us(), today()};
    JournalEntry e;
    e.kind = EntryKind::kReturn;
    e.party_id = pay.party_id;
    e.reverses_entry_id = pay.entry_id;
    e.memo = "Returned payment #" + std::to_string(pay.id) + " (" + format_money(pay.amount) +
             ", " + r.reason + ")";
    CD_TRY(add_unwind(c, city_, pay, e));
    ReturnResult out;
    CD_ASSIGN(out.entry_id, write_entry(p, e, key));
    CD_TRY(c.exec("UPDATE payments SET status = 'returned', closing_entry_id = ? WHERE id = ?",
                  {out.entry_id, pay.id}));
    for (const auto& a : applied) CD_TRY(refresh_status(c, a.obligation_id));
    if (city_.ledger.returned_payment_fee_cents > 0) {
      ChargeRequest fee{pay.party_id, "", "fee",
                        "Returned payment fee (payment #" + std::to_string(pay.id) + ")",
                        p.today,
                        {{"Returned payment fee", city_.ledger.returned_payment_fee_account,
                          Money::from_cents(city_.ledger.returned_payment_fee_cents), false}},
                        "return:" + std::to_string(pay.id), ""};
      CD_ASSIGN(auto o, insert_charge(p, fee, ""));
      out.fee_obligation_id = o.id;
    }
    CD_ASSIGN(auto counted, count_return(p, pay.party_id));
    out.returns_on_party = counted.first;
    out.now_cash_only = counted.second;
    CD_TRY(audit_entry(p, "ledger.return", "payment", pay.id,
                       json::serialize(json::object{{"entry_id", out.entry_id},
                                                    {"reason", r.reason},
                                                    {"fee_obligation_id", out.fee_obligation_id}})));
    return out;
  });
}

Result<Payment> Ledger::payment(std::int64_t id) {
  return db_.read<Payment>([&](store::Connection& c) { return load_payment(c, id); });
}

}  // namespace civicdesk::ledger
