// The ledger: one ledger for every City receivable. Other contexts (billing, citations,
// licensing, collections, cashiering) create obligations and post money only through this class.
//
// Every operation runs in one write transaction that writes a balanced, immutable journal entry,
// updates the O(1) balances (obligation, charge line, party, account), and appends the audit
// record. Money-moving operations take an idempotency key: a second call with the same key
// returns the first result (replayed = true) and posts nothing. Nothing is edited or deleted:
// corrections are new entries that point at what they correct.
//
// Result codes: kInvalidInput (field named), kNotFound, kUnprocessable (a business rule refused
// it: cash-only party, over-credit, obligation closed, approver is the requester...),
// kForbidden (over the role's authority). A key reused by the same user replays the first result
// whatever the new request says; the HTTP layer refuses a different body under a key (422).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "city/city_config.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "ledger/allocation.h"
#include "ledger/journal.h"
#include "store/db.h"

namespace civicdesk::ledger {

struct ChargeLineInput {
  std::string description;
  std::string revenue_account;  // a revenue GL account; its fund is the line's fund
  Money amount;                 // > 0
  bool is_penalty = false;
};

struct ChargeRequest {
  std::int64_t party_id = 0;
  std::string account_ref;  // "utility:1001", "plate:CA:7ABC123", "license:BL-2026-0042"; may be ""
  std::string kind;         // a configured obligation kind
  std::string description;
  CivilDate due_date;
  std::vector<ChargeLineInput> lines;
  std::string source_ref;       // what created it, e.g. "bill:2026-10:1001"
  std::string idempotency_key;  // optional for charges
  // false: the party's unapplied credit is left alone even when the City applies credit to new
  // charges. For a party that holds many owners' money (the citations' holding party), where
  // one plate's overpayment must not pay another plate's citation.
  bool apply_credit = true;
};

struct ChargeLine {
  std::int64_t id = 0;
  int line_no = 0;
  std::string description;
  std::string revenue_account;
  std::string fund;
  Money amount;
  Money balance;
  bool is_penalty = false;
};

struct Obligation {
  std::int64_t id = 0;
  std::int64_t party_id = 0;
  std::string account_ref;
  std::string kind;
  std::string description;
  CivilDate due_date;
  std::string status;  // open | paid | written_off | cancelled
  Money original;      // sum of charge lines
  Money balance;
  Money written_off;
  std::string source_ref;
  Timestamp created_us = 0;
  std::vector<ChargeLine> lines;
};

struct PaymentRequest {
  std::int64_t party_id = 0;
  Money amount;                // > 0
  std::string tender;          // cash | check | money_order | card | ach | split
  std::string channel;         // counter | mail | online | lockbox
  std::string payer;           // who paid (name on the check...)
  std::string reference;       // check number, card auth, lockbox item...
  std::string account_ref;     // optional: apply only to obligations of this account
  std::vector<std::int64_t> directed_obligations;  // optional: customer-directed, in order
  std::string idempotency_key;                     // required
};

struct Payment {
  std::int64_t id = 0;
  std::int64_t party_id = 0;
  std::int64_t entry_id = 0;
  std::string tender, channel, payer, reference, status;
  Money amount;
  Money unapplied;
  Timestamp received_us = 0;
  std::int64_t transferred_from_payment_id = 0;
};

struct PaymentResult {
  Payment payment;
  std::vector<Allocation> allocations;
  bool replayed = false;
};

struct AdjustmentRequest {
  std::int64_t obligation_id = 0;
  std::int64_t line_id = 0;  // 0: the first line with a balance (credit) / the first line (debit)
  std::string direction;     // credit (lowers what is owed) | debit (raises it)
  Money amount;              // > 0
  std::string reason_code;   // a configured adjustment reason
  std::string note;
  std::string idempotency_key;  // required
};

struct Approval {
  std::int64_t id = 0;
  std::string kind;    // adjustment | refund
  std::string status;  // pending | approved | denied
  std::int64_t party_id = 0;
  std::int64_t obligation_id = 0;
  Money amount;
  std::string reason, note;
  std::int64_t requested_by = 0;
  std::string requested_by_name;
  Timestamp requested_us = 0;
  std::string decided_by_name, decision_note;
  Timestamp decided_us = 0;
  std::int64_t result_entry_id = 0;
};

struct AdjustmentResult {
  bool posted = false;           // false: waiting for approval (see approval)
  std::int64_t entry_id = 0;
  std::optional<Approval> approval;
  bool replayed = false;
};

struct RefundRequest {
  std::int64_t party_id = 0;
  Money amount;
  std::string method = "check";  // check | original_tender
  std::string note;
  std::string idempotency_key;
};

struct Refund {
  std::int64_t id = 0;
  std::int64_t party_id = 0;
  std::int64_t approval_id = 0;
  Money amount;
  std::string method, status, check_number;
};

struct TransferRequest {
  std::int64_t payment_id = 0;
  std::int64_t to_party_id = 0;                    // may equal the payment's party
  std::vector<std::int64_t> to_obligations;        // optional: directed on the target party
  std::string reason;
  std::string idempotency_key;
};

struct ReturnRequest {
  std::int64_t payment_id = 0;
  std::string reason;  // nsf | chargeback | stop_payment | closed_account
  std::string idempotency_key;
};

struct ReturnResult {
  std::int64_t entry_id = 0;
  std::int64_t fee_obligation_id = 0;
  int returns_on_party = 0;
  bool now_cash_only = false;
  bool replayed = false;
};

// One journal entry in plain words, for the ledger tab and statements.
struct EntrySummary {
  std::int64_t id = 0;
  std::string kind;
  CivilDate posting_date;
  Timestamp at_us = 0;
  std::string memo;
  std::string username;
  Money receivable_change;  // + raises what the party owes, - lowers it
  Money credit_change;      // + raises the party's unapplied credit
  std::int64_t reverses_entry_id = 0;
};

struct PartyBalance {
  Money receivable;  // sum of open obligation balances
  Money credit;      // unapplied credit
  int returned_payments = 0;
};

// Called inside the payment's transaction with the obligations the payment just paid in full
// (their balance reached zero), so the context that owns them can follow in the same commit —
// a parking citation becomes paid at the counter, not at the next nightly run. The ledger does
// not know what an obligation stands for; App registers one hook per context that cares. An
// error rolls the payment back. Not called on a replay. (docs/decisions/008-settlement-hook.md)
using SettlementHook = std::function<Result<void>(
    store::Connection& c, const Actor& actor, const std::vector<std::int64_t>& settled)>;

class Ledger {
 public:
  Ledger(store::Database& db, const CityConfig& city, const TimeZone& tz, const Clock& clock)
      : db_(db), city_(city), tz_(tz), clock_(clock) {}

  [[nodiscard]] Result<Obligation> charge(const Actor& actor, const ChargeRequest& request);
  [[nodiscard]] Result<PaymentResult> pay(const Actor& actor, const PaymentRequest& request);
  [[nodiscard]] Result<AdjustmentResult> adjust(const Actor& actor, const AdjustmentRequest& r);
  [[nodiscard]] Result<Refund> request_refund(const Actor& actor, const RefundRequest& r);
  // Approve or deny a pending adjustment or refund: the approver must differ from the requester
  // and, for adjustments, have a limit that covers the amount.
  [[nodiscard]] Result<Approval> decide(const Actor& actor, std::int64_t approval_id,
                                        bool approve, const std::string& note);
  [[nodiscard]] Result<Refund> issue_refund(const Actor& actor, std::int64_t refund_id,
                                            const std::string& check_number);
  [[nodiscard]] Result<PaymentResult> transfer(const Actor& actor, const TransferRequest& r);
  [[nodiscard]] Result<ReturnResult> return_payment(const Actor& actor, const ReturnRequest& r);
  [[nodiscard]] Result<Obligation> write_off(const Actor& actor, std::int64_t obligation_id,
                                             const std::string& reason, const std::string& key);
  [[nodiscard]] Result<Obligation> recover(const Actor& actor, std::int64_t obligation_id,
                                           const std::string& reason, const std::string& key);
  // Cancels an obligation: payments applied to it become unapplied credit, then its charge is
  // reversed. Used by cancel/rebill and void of a citation issued in error.
  [[nodiscard]] Result<Obligation> cancel(const Actor& actor, std::int64_t obligation_id,
                                          const std::string& reason, const std::string& key);

  // For other contexts that must post inside their own write transaction (the counter writes
  // its transaction, receipt number and the ledger payments in one commit). Same rules and
  // results as the functions above; the caller owns the transaction.
  [[nodiscard]] Result<PaymentResult> pay_within(store::Connection& c, const Actor& actor,
                                                 const PaymentRequest& request);
  // A charge inside the caller's transaction (a citation row and its obligation, a step row and
  // its penalty commit together): the same checks, replay, audit record and credit application
  // as charge().
  [[nodiscard]] Result<Obligation> charge_within(store::Connection& c, const Actor& actor,
                                                 const ChargeRequest& request);
  // Reverses a payment with no fee (a counter void): what it paid reopens, its credit goes.
  [[nodiscard]] Result<std::int64_t> void_payment_within(store::Connection& c, const Actor& actor,
                                                         std::int64_t payment_id,
                                                         const std::string& reason);
  // Posts an entry that moves money between the City's own accounts (no party): drawer close,
  // deposits, over/short. Must balance per fund.
  [[nodiscard]] Result<std::int64_t> post_internal_within(store::Connection& c,
                                                          const Actor& actor, JournalEntry entry,
                                                          const std::string& idempotency_key);
  // Moves what is still owed on an obligation to another party (a parking citation's registered
  // owner, named by the DMV after the citation was charged to a holding party). One balanced
  // entry (kind transfer) per call, per open charge line: Dr receivable on the new party / Cr
  // receivable on the old, same obligation, line and fund, so the obligation's and lines'
  // balances do not change and `ledger check` recomputes both parties' receivables from the
  // journal; then the obligation's party becomes the new one. What was paid stays on the payer.
  // Returns the entry id; 0 when the obligation is already the new party's (a rerun posts
  // nothing). kNotFound (obligation or party), kUnprocessable when the obligation is not open
  // (paid, written off, cancelled: nothing is owed to move), kInvalidInput without a reason.
  // (ledger_reassign.cc)
  [[nodiscard]] Result<std::int64_t> reassign_within(store::Connection& c, const Actor& actor,
                                                     std::int64_t obligation_id,
                                                     std::int64_t new_party_id,
                                                     const std::string& reason);

  // Reads.
  [[nodiscard]] Result<Obligation> obligation(std::int64_t id);
  [[nodiscard]] Result<std::vector<Obligation>> obligations_of(std::int64_t party_id,
                                                               bool open_only);
  [[nodiscard]] Result<PartyBalance> balance_of(std::int64_t party_id);
  [[nodiscard]] Result<std::vector<Payment>> payments_of(std::int64_t party_id);
  [[nodiscard]] Result<Payment> payment(std::int64_t id);
  [[nodiscard]] Result<std::vector<EntrySummary>> entries_of(std::int64_t party_id, int limit);
  [[nodiscard]] Result<std::vector<Approval>> approvals(const std::string& status);
  [[nodiscard]] Result<Approval> approval(std::int64_t id);
  [[nodiscard]] Result<std::vector<Refund>> refunds_of(std::int64_t party_id);
  [[nodiscard]] Result<JournalEntry> entry(std::int64_t id);

  // Today in the City's time zone (posting dates are local dates).
  CivilDate today() const;
  const CityConfig& city() const { return city_; }
  store::Database& db() { return db_; }
  // Registered once at start (App::open), before any payment; not thread-safe to call later.
  void on_settlement(SettlementHook hook) { settlement_hooks_.push_back(std::move(hook)); }

 private:
  store::Database& db_;
  const CityConfig& city_;
  const TimeZone& tz_;
  const Clock& clock_;
  std::vector<SettlementHook> settlement_hooks_;
};

}  // namespace civicdesk::ledger
