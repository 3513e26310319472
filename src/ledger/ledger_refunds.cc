// Refunds of a credit balance: requested by one user, approved by a different one (the credit
// moves to refunds payable), then issued (a check register entry: refunds payable → bank).
#include <boost/json.hpp>

#include "core/limits.h"
#include "ledger/ledger.h"
#include "ledger/posting.h"

namespace civicdesk::ledger {
using namespace detail;
namespace json = boost::json;

namespace {

Refund refund_from_row(const store::Row& r) {
  Refund f;
  f.id = r.integer(0);
  f.party_id = r.integer(1);
  f.approval_id = r.integer(2);
  f.amount = Money::from_cents(r.integer(3));
  f.method = r.text(4);
  f.status = r.text(5);
  f.check_number = r.text(6);
  return f;
}

constexpr const char* kRefundColumns =
    "id, party_id, approval_id, amount_cents, method, status, check_number";

Result<Refund> load_refund(store::Connection& c, const std::string& where, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kRefundColumns + " FROM refunds WHERE " +
                                   where + " = ?",
                               {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no refund " + std::to_string(id));
  return refund_from_row(rows[0]);
}

Result<std::int64_t> party_credit(store::Connection& c, std::int64_t party_id) {
  CD_ASSIGN(auto rows, c.query("SELECT credit_cents FROM party_balances WHERE party_id = ?",
                               {party_id}));
  return rows.empty() ? 0 : rows[0].integer(0);
}

}  // namespace

Result<Refund> Ledger::request_refund(const Actor& actor, const RefundRequest& r) {
  CD_TRY(check_amount(r.amount, "amount"));
  if (r.method != "check" && r.method != "original_tender")
    return fail(Error::invalid("method", "method must be check or original_tender"));
  CD_TRY(check_length(r.note, kMaxNoteLength, "note"));
  CD_TRY(require_key(r.idempotency_key));
  std::string key = scoped_key(actor, r.idempotency_key);
  return db_.write<Refund>([&](store::Connection& c) -> Result<Refund> {
    CD_ASSIGN(auto prior, c.query("SELECT id FROM approvals WHERE idempotency_key = ?", {key}));
    if (!prior.empty()) return load_refund(c, "approval_id", prior[0].integer(0));
    CD_TRY(party_exists(c, r.party_id));
    CD_ASSIGN(auto credit, party_credit(c, r.party_id));
    if (r.amount.cents() > credit)
      return fail(ErrorCode::kUnprocessable,
                  "the refund is more than the customer's credit (" + money_text(credit) + ")",
                  "amount");
    Timestamp now = clock_.now_us();
    CD_ASSIGN(auto aid, c.query_int(
                            "INSERT INTO approvals (kind, status, party_id, amount_cents, reason, "
                            "note, payload, requested_by, requested_by_name, requested_us, "
                            "idempotency_key) VALUES ('refund', 'pending', ?, ?, 'REFUND', ?, "
                            "'{}', ?, ?, ?, ?) RETURNING id",
                            {r.party_id, r.amount.cents(), r.note, actor.user_id.value,
                             actor.username, now, key}));
    CD_ASSIGN(auto fid, c.query_int("INSERT INTO refunds (party_id, approval_id, amount_cents, "
                                    "method, status, requested_us) VALUES (?, ?, ?, ?, "
                                    "'requested', ?) RETURNING id",
                                    {r.party_id, aid, r.amount.cents(), r.method, now}));
    Posting p{c, city_, actor, now, today()};
    CD_TRY(audit_entry(p, "ledger.refund_requested", "refund", fid,
                       json::serialize(json::object{{"amount", format_plain(r.amount)},
                                                    {"approval_id", aid}})));
    return load_refund(c, "id", fid);
  });
}

// The refund half of Ledger::decide: on approval, the credit (oldest payments first) moves to
// refunds payable.
Result<std::int64_t> detail::decide_refund(Posting& p, const Approval& a, bool approve) {
  CD_ASSIGN(auto refund, load_refund(p.c, "approval_id", a.id));
  if (!approve) {
    CD_TRY(p.c.exec("UPDATE refunds SET status = 'denied' WHERE id = ?", {refund.id}));
    return 0;
  }
  CD_ASSIGN(auto credit, party_credit(p.c, a.party_id));
  if (a.amount.cents() > credit)
    return fail(ErrorCode::kUnprocessable, "the customer's credit is now only " +
                                               money_text(credit) + "; deny and request again");
  CD_ASSIGN(auto payments, p.c.query("SELECT id, unapplied_cents FROM payments WHERE party_id = ? "
                                     "AND unapplied_cents > 0 ORDER BY id",
                                     {a.party_id}));
  JournalEntry e;
  e.kind = EntryKind::kRefundApproval;
  e.party_id = a.party_id;
  e.memo = "Refund #" + std::to_string(refund.id) + " of " + format_money(a.amount) +
           " approved by " + p.actor.username;
  const std::string& cf = p.city.ledger.credit_fund;
  std::int64_t left = a.amount.cents();
  for (const auto& row : payments) {
    if (left == 0) break;
    std::int64_t take = std::min(left, row.integer(1));
    add_pair(e, cf, fund_account(kUnapplied, cf), fund_account(kRefundsPayable, cf),
             Money::from_cents(take), {.party_id = a.party_id, .payment_id = row.integer(0)});
    left -= take;
  }
  CD_ASSIGN(auto id, write_entry(p, e, ""));
  CD_TRY(p.c.exec("UPDATE refunds SET status = 'approved', payable_entry_id = ? WHERE id = ?",
                  {id, refund.id}));
  return id;
}

Result<Refund> Ledger::issue_refund(const Actor& actor, std::int64_t refund_id,
                                    const std::string& check_number) {
  if (check_number.empty())
    return fail(Error::invalid("check_number", "the check number is required"));
  CD_TRY(check_length(check_number, kMaxReferenceLength, "check_number"));
  return db_.write<Refund>([&](store::Connection& c) -> Result<Refund> {
    CD_ASSIGN(auto refund, load_refund(c, "id", refund_id));
    if (refund.status == "issued" && refund.check_number == check_number) return refund;
    if (refund.status != "approved")
      return fail(ErrorCode::kUnprocessable, "refund " + std::to_string(refund_id) + " is " +
                                                 refund.status + "; only approved refunds are issued");
    const std::string& cf = city_.ledger.credit_fund;
    JournalEntry e;
    e.kind = EntryKind::kRefundIssue;
    e.party_id = refund.party_id;
    e.memo = "Refund #" + std::to_string(refund.id) + " issued, check " + check_number;
    add_pair(e, cf, fund_account(kRefundsPayable, cf), fund_account(kCashInBank, cf), refund.amount,
             {.party_id = refund.party_id});
    Posting p{c, city_, actor, clock_.now_us(), today()};
    CD_ASSIGN(auto id, write_entry(p, e, ""));
    CD_TRY(c.exec("UPDATE refunds SET status = 'issued', issued_entry_id = ?, check_number = ?, "
                  "issued_us = ? WHERE id = ?",
                  {id, check_number, p.now_us, refund.id}));
    CD_TRY(audit_entry(p, "ledger.refund_issued", "refund", refund.id,
                       json::serialize(json::object{{"check_number", check_number}})));
    return load_refund(c, "id", refund.id);
  });
}

Result<std::vector<Refund>> Ledger::refunds_of(std::int64_t party_id) {
  return db_.read<std::vector<Refund>>([&](store::Connection& c) -> Result<std::vector<Refund>> {
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kRefundColumns +
                                     " FROM refunds WHERE party_id = ? ORDER BY id",
                                 {party_id}));
    std::vector<Refund> out;
    for (const auto& r : rows) out.push_back(refund_from_row(r));
    return out;
  });
}

}  // namespace civicdesk::ledger
