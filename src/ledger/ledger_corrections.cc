// Corrections: adjustments (with approval above the role's limit), write-off and recovery,
// cancellation. Each is a new journal entry pointing at what it corrects.
#include <boost/json.hpp>
#include <map>

#include "core/limits.h"
#include "ledger/ledger.h"
#include "ledger/posting.h"

namespace civicdesk::ledger {
using namespace detail;
namespace json = boost::json;

namespace {

// The role's own adjustment authority: nullopt = unlimited; 0 = may only request.
std::optional<std::int64_t> limit_of(const CityConfig& city, const std::string& role) {
  auto it = city.ledger.adjustment_limits_cents.find(role);
  if (it == city.ledger.adjustment_limits_cents.end()) return 0;
  return it->second;
}

bool covers(const std::optional<std::int64_t>& limit, std::int64_t amount) {
  return !limit || *limit >= amount;
}

// Posts an adjustment on one obligation; for a credit without a line, spreads it over the lines
// that still have a balance, in line order.
Result<std::int64_t> post_adjustment(Posting& p, const Obligation& o, std::int64_t line_id,
                                     const std::string& direction, Money amount,
                                     const std::string& memo, const std::string& key) {
  JournalEntry e;
  e.kind = EntryKind::kAdjustment;
  e.party_id = o.party_id;
  e.memo = memo;
  bool credit = direction == "credit";
  std::int64_t left = amount.cents();
  for (const auto& l : o.lines) {
    if (left == 0) break;
    if (line_id && l.id != line_id) continue;
    std::int64_t take = credit ? std::min(left, l.balance.cents()) : left;
    if (take <= 0) continue;
    JournalLine refs{.party_id = o.party_id, .obligation_id = o.id, .charge_line_id = l.id};
    std::string receivable = fund_account(kReceivable, l.fund);
    if (credit)
      add_pair(e, l.fund, l.revenue_account, receivable, Money::from_cents(take), refs);
    else
      add_pair(e, l.fund, receivable, l.revenue_account, Money::from_cents(take), refs);
    left -= take;
  }
  if (left != 0)
    return fail(ErrorCode::kUnprocessable,
                "a credit adjustment cannot be more than what is owed (" +
                    format_money(o.balance) + ")",
                "amount");
  CD_ASSIGN(auto id, write_entry(p, e, key));
  CD_TRY(refresh_status(p.c, o.id));
  return id;
}

Approval approval_from_row(const store::Row& r) {
  Approval a;
  a.id = r.integer(0);
  a.kind = r.text(1);
  a.status = r.text(2);
  a.party_id = r.integer(3);
  a.obligation_id = r.opt_integer(4).value_or(0);
  a.amount = Money::from_cents(r.integer(5));
  a.reason = r.text(6);
  a.note = r.text(7);
  a.requested_by = r.integer(8);
  a.requested_by_name = r.text(9);
  a.requested_us = r.integer(10);
  a.decided_by_name = r.text(11);
  a.decided_us = r.opt_integer(12).value_or(0);
  a.decision_note = r.text(13);
  a.result_entry_id = r.opt_integer(14).value_or(0);
  return a;
}

constexpr const char* kApprovalColumns =
    "id, kind, status, party_id, obligation_id, amount_cents, reason, note, requested_by, "
    "requested_by_name, requested_us, decided_by_name, decided_us, decision_note, "
    "result_entry_id";

Result<Approval> load_approval(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows,
            c.query(std::string("SELECT ") + kApprovalColumns + " FROM approvals WHERE id = ?",
                    {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no approval with id " + std::to_string(id));
  return approval_from_row(rows[0]);
}

Result<void> validate_adjustment(const CityConfig& city, const AdjustmentRequest& r) {
  if (r.direction != "credit" && r.direction != "debit")
    return fail(Error::invalid("direction", "direction must be credit or debit"));
  if (!r.amount.is_positive() || r.amount.cents() > kMaxPaymentCents)
    return fail(Error::invalid("amount", "amount must be more than $0.00"));
  if (!city.ledger.has_reason(r.reason_code))
    return fail(Error::invalid("reason_code", "'" + r.reason_code + "' is not an adjustment reason"));
  CD_TRY(check_length(r.note, kMaxNoteLength, "note"));
  return require_key(r.idempotency_key);
}

std::string adjustment_memo(const CityConfig& city, const AdjustmentRequest& r,
                            const Obligation& o) {
  std::string reason = r.reason_code;
  for (const auto& x : city.ledger.adjustment_reasons)
    if (x.code == r.reason_code) reason = x.name;
  return (r.direction == "credit" ? "Credit adjustment " : "Debit adjustment ") +
         format_money(r.amount) + " on " + o.description + " — " + reason +
         (r.note.empty() ? "" : ": " + r.note);
}

}  // namespace

Result<AdjustmentResult> Ledger::adjust(const Actor& actor, const AdjustmentRequest& r) {
  CD_TRY(validate_adjustment(city_, r));
  std::string key = scoped_key(actor, r.idempotency_key);
  return db_.write<AdjustmentResult>([&](store::Connection& c) -> Result<AdjustmentResult> {
    CD_ASSIGN(auto existing, entry_for_key(c, key));
    if (existing) return AdjustmentResult{true, *existing, std::nullopt, true};
    CD_ASSIGN(auto pending, c.query("SELECT id FROM approvals WHERE idempotency_key = ?", {key}));
    if (!pending.empty()) {
      CD_ASSIGN(auto a, load_approval(c, pending[0].integer(0)));
      return AdjustmentResult{false, 0, a, true};
    }
    CD_ASSIGN(auto o, load_obligation(c, r.obligation_id));
    if (o.status != "open" && o.status != "paid")
      return fail(ErrorCode::kUnprocessable, "this obligation is " + o.status +
                                                 "; it cannot be adjusted", "obligation_id");
    if (r.line_id && std::none_of(o.lines.begin(), o.lines.end(),
                                  [&](const ChargeLine& l) { return l.id == r.line_id; }))
      return fail(Error::invalid("line_id", "that line is not on this obligation"));
    if (r.direction == "credit" && r.amount > o.balance)
      return fail(ErrorCode::kUnprocessable,
                  "a credit adjustment cannot be more than what is owed (" +
                      format_money(o.balance) + ")", "amount");
    Posting p{c, city_, actor, clock_.now_us(), today()};
    std::string memo = adjustment_memo(city_, r, o);
    if (covers(limit_of(city_, actor.role), r.amount.cents())) {
      CD_ASSIGN(auto id, post_adjustment(p, o, r.line_id, r.direction, r.amount, memo, key));
      CD_TRY(audit_entry(p, "ledger.adjustment", "obligation", o.id,
                         json::serialize(json::object{{"entry_id", id},
                                                      {"direction", r.direction},
                                                      {"amount", format_plain(r.amount)},
                                                      {"reason", r.reason_code}})));
      return AdjustmentResult{true, id, std::nullopt, false};
    }
    json::object payload{{"line_id", r.line_id}, {"direction", r.direction}, {"memo", memo}};
    CD_ASSIGN(auto aid, c.query_int(
                            "INSERT INTO approvals (kind, status, party_id, obligation_id, "
                            "amount_cents, reason, note, payload, requested_by, "
                            "requested_by_name, requested_us, idempotency_key) VALUES "
                            "('adjustment', 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {o.party_id, o.id, r.amount.cents(), r.reason_code, r.note,
                             json::serialize(payload), actor.user_id.value, actor.username,
                             p.now_us, key}));
    CD_ASSIGN(auto a, load_approval(c, aid));
    CD_TRY(audit_entry(p, "ledger.adjustment_requested", "approval", aid,
                       json::serialize(json::object{{"obligation_id", o.id},
                                                    {"amount", format_plain(r.amount)},
                                                    {"direction", r.direction}})));
    return AdjustmentResult{false, 0, a, false};
  });
}

Result<std::vector<Approval>> Ledger::approvals(const std::string& status) {
  return db_.read<std::vector<Approval>>([&](store::Connection& c) -> Result<std::vector<Approval>> {
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kApprovalColumns +
                                     " FROM approvals WHERE status = ? ORDER BY id LIMIT 500",
                                 {status}));
    std::vector<Approval> out;
    for (const auto& r : rows) out.push_back(approval_from_row(r));
    return out;
  });
}

Result<Approval> Ledger::approval(std::int64_t id) {
  return db_.read<Approval>([&](store::Connection& c) { return load_approval(c, id); });
}

Result<Approval> Ledger::decide(const Actor& actor, std::int64_t approval_id, bool approve,
                                const std::string& note) {
  CD_TRY(check_length(note, kMaxNoteLength, "note"));
  return db_.write<Approval>([&](store::Connection& c) -> Result<Approval> {
    CD_ASSIGN(auto a, load_approval(c, approval_id));
    if (a.status != "pending")
      return fail(ErrorCode::kUnprocessable, "this request was already " + a.status);
    if (a.requested_by == actor.user_id.value)
      return fail(ErrorCode::kUnprocessable,
                  "a different user must decide this request — you made it");
    if (a.kind == "adjustment" && approve && !covers(limit_of(city_, actor.role), a.amount.cents()))
      return fail(ErrorCode::kForbidden, "approving " + format_money(a.amount) +
                                             " is above your adjustment authority");
    Posting p{c, city_, actor, clock_.now_us(), today()};
    std::int64_t entry_id = 0;
    if (a.kind == "adjustment" && approve) {
      CD_ASSIGN(auto row, c.query_one("SELECT payload FROM approvals WHERE id = ?", {a.id}));
      json::object payload = json::parse(row.text(0)).as_object();
      CD_ASSIGN(auto o, load_obligation(c, a.obligation_id));
      if (o.status != "open" && o.status != "paid")
        return fail(ErrorCode::kUnprocessable, "the obligation is now " + o.status +
                                                   "; deny this request and make a new one");
      CD_ASSIGN(entry_id, post_adjustment(p, o, payload["line_id"].as_int64(),
                                          std::string(payload["direction"].as_string()), a.amount,
                                          std::string(payload["memo"].as_string()) +
                                              " (approved by " + actor.username + ")",
                                          ""));
    } else if (a.kind == "refund") {
      CD_ASSIGN(entry_id, decide_refund(p, a, approve));
    }
    CD_TRY(c.exec("UPDATE approvals SET status = ?, decided_by = ?, decided_by_name = ?, "
                  "decided_us = ?, decision_note = ?, result_entry_id = ? WHERE id = ?",
                  {std::string(approve ? "approved" : "denied"), actor.user_id.value,
                   actor.username, p.now_us, note,
                   entry_id ? store::Value{entry_id} : store::null(), a.id}));
    CD_ASSIGN(auto after, load_approval(c, a.id));
    CD_TRY(audit_entry(p, approve ? "ledger.approve" : "ledger.deny", "approval", a.id,
                       json::serialize(json::object{{"kind", a.kind},
                                                    {"amount", format_plain(a.amount)},
                                                    {"entry_id", entry_id}})));
    return after;
  });
}

Result<Obligation> Ledger::write_off(const Actor& actor, std::int64_t obligation_id,
                                     const std::string& reason, const std::string& key_in) {
  CD_TRY(require_key(key_in));
  CD_TRY(check_length(reason, kMaxNoteLength, "reason"));
  if (reason.empty()) return fail(Error::invalid("reason", "a write-off needs a reason"));
  std::string key = scoped_key(actor, key_in);
  return db_.write<Obligation>([&](store::Connection& c) -> Result<Obligation> {
    CD_ASSIGN(auto existing, entry_for_key(c, key));
    if (existing) return load_obligation(c, obligation_id);
    CD_ASSIGN(auto o, load_obligation(c, obligation_id));
    if (o.status != "open" || !o.balance.is_positive())
      return fail(ErrorCode::kUnprocessable, "only an open obligation with a balance can be "
                                             "written off (this one is " + o.status + ")");
    JournalEntry e;
    e.kind = EntryKind::kWriteOff;
    e.party_id = o.party_id;
    e.memo = "Write-off of " + format_money(o.balance) + " on " + o.description + ": " + reason;
    for (const auto& l : o.lines)
      add_pair(e, l.fund, fund_account(kWriteOff, l.fund), fund_account(kReceivable, l.fund),
               l.balance, {.party_id = o.party_id, .obligation_id = o.id, .charge_line_id = l.id});
    Posting p{c, city_, actor, clock_.now_us(), today()};
    CD_ASSIGN(auto id, write_entry(p, e, key));
    CD_TRY(c.exec("UPDATE obligations SET status = 'written_off', written_off_cents = "
                  "written_off_cents + ? WHERE id = ?",
                  {o.balance.cents(), o.id}));
    CD_TRY(audit_entry(p, "ledger.write_off", "obligation", o.id,
                       "{\"entry_id\":" + std::to_string(id) + "}"));
    return load_obligation(c, o.id);
  });
}

Result<Obligation> Ledger::recover(const Actor& actor, std::int64_t obligation_id,
                                   const std::string& reason, const std::string& key_in) {
  CD_TRY(require_key(key_in));
  CD_TRY(check_length(reason, kMaxNoteLength, "reason"));
  std::string key = scoped_key(actor, key_in);
  return db_.write<Obligation>([&](store::Connection& c) -> Result<Obligation> {
    CD_ASSIGN(auto existing, entry_for_key(c, key));
    if (existing) return load_obligation(c, obligation_id);
    CD_ASSIGN(auto o, load_obligation(c, obligation_id));
    if (o.status != "written_off")
      return fail(ErrorCode::kUnprocessable, "only a written-off obligation can be recovered");
    CD_ASSIGN(auto rows, c.query("SELECT l.charge_line_id, l.fund, SUM(l.credit_cents) - "
                                 "SUM(l.debit_cents) FROM journal_lines l JOIN journal_entries e "
                                 "ON e.id = l.entry_id WHERE l.obligation_id = ? AND e.kind IN "
                                 "('write_off', 'recovery') AND l.account LIKE '1200-%' "
                                 "GROUP BY l.charge_line_id, l.fund",
                                 {o.id}));
    JournalEntry e;
    e.kind = EntryKind::kRecovery;
    e.party_id = o.party_id;
    e.memo = "Recovery of written-off " + o.description + (reason.empty() ? "" : ": " + reason);
    for (const auto& r : rows)
      add_pair(e, r.text(1), fund_account(kReceivable, r.text(1)), fund_account(kWriteOff, r.text(1)),
               Money::from_cents(r.integer(2)),
               {.party_id = o.party_id, .obligation_id = o.id, .charge_line_id = r.integer(0)});
    Posting p{c, city_, actor, clock_.now_us(), today()};
    CD_ASSIGN(auto id, write_entry(p, e, key));
    CD_TRY(c.exec("UPDATE obligations SET status = 'open', written_off_cents = 0 WHERE id = ?",
                  {o.id}));
    CD_TRY(refresh_status(c, o.id));
    CD_TRY(audit_entry(p, "ledger.recovery", "obligation", o.id,
                       "{\"entry_id\":" + std::to_string(id) + "}"));
    return load_obligation(c, o.id);
  });
}

Result<Obligation> Ledger::cancel(const Actor& actor, std::int64_t obligation_id,
                                  const std::string& reason, const std::string& key_in) {
  CD_TRY(require_key(key_in));
  CD_TRY(check_length(reason, kMaxNoteLength, "reason"));
  if (reason.empty()) return fail(Error::invalid("reason", "a cancellation needs a reason"));
  std::string key = scoped_key(actor, key_in);
  return db_.write<Obligation>([&](store::Connection& c) -> Result<Obligation> {
    CD_ASSIGN(auto existing, entry_for_key(c, key));
    if (existing) return load_obligation(c, obligation_id);
    CD_ASSIGN(auto o, load_obligation(c, obligation_id));
    if (o.status != "open" && o.status != "paid")
      return fail(ErrorCode::kUnprocessable, "this obligation is " + o.status +
                                                 "; only open or paid ones can be cancelled");
    // Payments applied to it become unapplied credit on their payments.
    CD_ASSIGN(auto paid, c.query("SELECT l.payment_id, l.charge_line_id, l.fund, "
                                 "SUM(l.credit_cents) - SUM(l.debit_cents), p.cash_account_prefix "
                                 "FROM journal_lines l JOIN payments p ON p.id = l.payment_id "
                                 "WHERE l.obligation_id = ? AND l.account LIKE '1200-%' "
                                 "GROUP BY l.payment_id, l.charge_line_id, l.fund, "
                                 "p.cash_account_prefix",
                                 {o.id}));
    JournalEntry e;
    e.kind = EntryKind::kCancellation;
    e.party_id = o.party_id;
    e.reverses_entry_id = 0;
    e.memo = "Cancelled " + o.description + ": " + reason;
    const std::string& cf = city_.ledger.credit_fund;
    std::map<std::int64_t, std::int64_t> line_balance;
    for (const auto& l : o.lines) line_balance[l.id] = l.balance.cents();
    for (const auto& r : paid) {
      std::int64_t cents = r.integer(3);
      if (cents == 0) continue;
      std::string fund = r.text(2), cash = r.text(4);
      Money m = Money::from_cents(cents);
      JournalLine reopen{.party_id = o.party_id, .obligation_id = o.id,
                         .charge_line_id = r.integer(1), .payment_id = r.integer(0)};
      add_pair(e, fund, fund_account(kReceivable, fund), fund_account(cash, fund), m, reopen);
      add_pair(e, cf, fund_account(cash, cf), fund_account(kUnapplied, cf), m,
               {.party_id = o.party_id, .payment_id = r.integer(0)});
      line_balance[r.integer(1)] += cents;
    }
    for (const auto& l : o.lines)
      add_pair(e, l.fund, l.revenue_account, fund_account(kReceivable, l.fund),
               Money::from_cents(line_balance[l.id]),
               {.party_id = o.party_id, .obligation_id = o.id, .charge_line_id = l.id});
    if (e.lines.empty()) return fail(ErrorCode::kUnprocessable, "nothing to cancel");
    Posting p{c, city_, actor, clock_.now_us(), today()};
    CD_ASSIGN(auto id, write_entry(p, e, key));
    CD_TRY(set_status(c, o.id, "cancelled"));
    CD_TRY(audit_entry(p, "ledger.cancel", "obligation", o.id,
                       "{\"entry_id\":" + std::to_string(id) + "}"));
    return load_obligation(c, o.id);
  });
}

}  // namespace civicdesk::ledger
