// The counter: cash drawers, cashier sessions, counter transactions (a cart paid with one or
// more tenders), receipts, voids, end-of-day balancing, deposits and revolving funds.
//
// The Counter never posts money itself: every payment, void and cash movement goes through
// ledger::Ledger's *_within functions inside the Counter's own write transaction, so a counter
// transaction, its receipt number and its ledger postings commit together or not at all.
//
// Money flow (City chart of accounts, per fund F):
//   payment at the counter   Dr 1010-F cash in drawers / Cr 1200-F receivable   (ledger)
//   void (same session)      the payment's reversal                             (ledger)
//   drawer over/short        over:  Dr 1010-GENERAL / Cr 6200-GENERAL; short: the reverse
//   drawer close             Dr 1020-F undeposited / Cr 1010-F, the session's receipts per fund
//   deposit close            Dr 1030-F cash in bank / Cr 1020-F, with the bank's reference
//   float returned short     Dr 1020-GENERAL / Cr 1040-GENERAL, only when the counted cash is
//                            below the float (the deposit then carries no cash)
// The float is the change fund's cash (1040) lent to the drawer; it is counted at open and at
// close but not posted, except for the part a drawer fails to return.
//
// Rules enforced here (each an expected refusal with a named code, see the functions):
//   - a cashier has one open session, a drawer has one; every transaction belongs to the
//     cashier's open session (the lifecycle table in cashiering/lifecycle.h);
//   - the count at close is blind: nothing a cashier can call shows the expected cash or the
//     running total of an open session (supervisors with drawer.supervise see them);
//   - a void needs drawer.supervise and a user other than the cashier, in the same session;
//   - a deposit is closed by a user other than the one who prepared it;
//   - a card payment whose answer is lost stays `card_unknown` until reconcile_cards() asks the
//     gateway; it is never guessed. Only the gateway's token, brand and last 4 are stored.
//
// Thread safety: a Counter is shared by all request threads; its state is in the database (and
// the gateway, which is thread-safe).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cashiering/counter_rules.h"
#include "cashiering/denominations.h"
#include "cashiering/payment_gateway.h"
#include "cashiering/receipt.h"
#include "cashiering/tenders.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/time_zone.h"
#include "ledger/ledger.h"
#include "store/db.h"

namespace civicdesk::cashiering {

struct DrawerInput {
  std::string code;  // "CH-1": letters, digits and '-', at most kMaxDrawerCodeLength
  std::string name;
  std::string office;        // balancing reports add up per office
  std::string bank_account;  // where its receipts are deposited (one deposit slip per account)
  std::string printer;       // "host:port" of its receipt printer, or ""
};

struct Drawer {
  std::int64_t id = 0;
  std::string code, name, office, bank_account, printer;
  std::int64_t next_receipt = 1;
};

// What an open session has taken so far. Shown to drawer.supervise only while the session is
// open; to its cashier only after the blind count.
struct SessionTotals {
  Money expected_cash;                     // float + cash taken net of change
  std::map<std::string, Money> by_tender;  // applied per tender kind, posted and not voided
  std::map<std::string, Money> by_fund;    // net receipts per fund (payments less voids)
  Money receipts;                          // sum of by_tender
  int transactions = 0;                    // posted
  int voided = 0;
  int card_unknown = 0;  // waiting for the reconciler
};

struct Session {
  std::int64_t id = 0;
  std::int64_t drawer_id = 0;
  std::string drawer_code, office;
  std::int64_t cashier_id = 0;
  std::string cashier_name;
  std::string status;  // open | counted | closed
  std::string business_date;
  Timestamp opened_us = 0;
  Money float_amount;
  CashCount float_count;
  // After the count:
  std::optional<Money> counted, expected, over_short;
  CashCount counted_count;
  std::string over_short_reason;
  Timestamp counted_us = 0, closed_us = 0;
  std::int64_t over_short_entry_id = 0, close_entry_id = 0;
  std::int64_t deposit_id = 0;
};

struct DrawerStatus {
  Drawer drawer;
  std::optional<Session> session;       // the session that is not closed, if any
  std::optional<SessionTotals> totals;  // only for drawer.supervise
};

struct CountResult {
  Session session;
  bool closed = false;        // balanced, or over/short with a reason: closed at once
  bool needs_reason = false;  // over/short and no reason: close with one
};

struct CounterRequest {
  std::vector<CartItem> items;
  std::vector<Tender>
      tenders;  // card tenders carry only card_token (brand/last4 come from the gateway)
  std::string note;
  std::string idempotency_key;  // required
};

struct TransactionItem {
  int line_no = 0;
  std::int64_t party_id = 0;
  std::string party_name;
  std::int64_t obligation_id = 0;
  std::string description;
  Money amount;
  std::optional<Money> balance_left;  // after posting
};

struct TransactionTender {
  Tender tender;
  Money applied;
  std::string card_status;  // "" | pending | approved | declined | unknown | voided
  std::string card_authorization;
  std::string card_reference;  // ours, sent to the gateway with the charge (internal)
};

struct CounterTransaction {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::string drawer_code;
  std::int64_t cashier_id = 0;
  // pending | card_unknown | posted | declined | failed | voided
  std::string status;
  std::int64_t receipt_number = 0;
  std::string receipt;  // "CH-1-000042", empty until posted
  Money total, cash, change;
  std::string tender;  // the ledger tender: a kind, or split
  std::vector<TransactionItem> items;
  std::vector<TransactionTender> tenders;
  std::vector<std::int64_t> payment_ids;
  Timestamp created_us = 0, posted_us = 0;
  std::string void_reason, voided_by;
  bool replayed = false;
};

struct ReconcileReport {
  int approved = 0, declined = 0, still_unknown = 0;
  std::vector<std::int64_t> transactions;  // those looked at
};

struct FundTotals {
  std::map<std::string, Money> by_tender;
  std::map<std::string, Money> by_fund;
  Money receipts, float_amount, expected_cash, counted, over_short;
};

struct SessionBalance {
  Session session;
  FundTotals totals;
};

struct OfficeBalance {
  std::string office;
  int sessions = 0;
  FundTotals totals;
};

struct BalancingReport {
  std::string date;
  std::vector<SessionBalance> sessions;
  std::vector<OfficeBalance> offices;
};

struct FundReceipts {
  std::string fund, fund_name;
  std::map<std::string, Money> by_channel;  // counter | mail | online | lockbox
  Money received, voided, net;
};

struct DailyReceipts {
  std::string date;
  std::vector<FundReceipts> funds;
  Money received, voided, net;
};

struct SlipCheck {
  std::string kind;  // check | money_order
  std::string number, bank, payer, receipt;
  Money amount;
};

struct DepositSlip {
  std::int64_t id = 0;  // 0: not prepared yet (what is ready)
  std::string bank_account;
  std::string status;  // ready | prepared | closed
  Money currency, coin, checks_total, electronic, total;
  std::vector<SlipCheck> checks;
  std::map<std::string, Money> by_fund;
  std::vector<std::int64_t> sessions;
  std::string prepared_by, closed_by, bank_reference;
  Timestamp prepared_us = 0, closed_us = 0;
  std::int64_t entry_id = 0;
};

struct RevolvingFundInput {
  std::string code, name, kind;  // kind: change_fund | petty_cash
  std::string custodian;         // a username
  Money authorized;
};

struct ExpenseReceipt {
  std::string description;
  Money amount;
};

struct FundCount {
  std::int64_t id = 0;
  std::string count_date;
  std::string counted_by;
  CashCount cash_count;
  std::vector<ExpenseReceipt> receipts;
  FundReconciliation reconciliation;
  std::string note;
};

struct Replenishment {
  std::int64_t id = 0;
  std::string status, requested_by, note;
  Money amount;
  std::int64_t count_id = 0;
  Timestamp requested_us = 0;
};

struct RevolvingFund {
  std::int64_t id = 0;
  std::string code, name, kind, custodian;
  std::int64_t custodian_id = 0;
  Money authorized;
  std::optional<FundCount> last_count;
  std::vector<Replenishment> replenishments;
};

class Counter {
 public:
  // The gateway defaults to the sandbox (no real gateway is configured yet).
  Counter(store::Database& db, const CityConfig& city, const TimeZone& tz, const Clock& clock,
          ledger::Ledger& ledger, std::unique_ptr<PaymentGateway> gateway = nullptr);

  PaymentGateway& gateway() { return *gateway_; }

  // --- drawers and sessions (counter_sessions.cc) ---
  // kInvalidInput (field named), kConflict (code taken).
  [[nodiscard]] Result<Drawer> create_drawer(const Actor& actor, const DrawerInput& in);
  // Changes name, office, bank account and printer (empty fields are left as they are; the
  // printer "none" clears it). kNotFound.
  [[nodiscard]] Result<Drawer> update_drawer(const Actor& actor, const std::string& code,
                                             const DrawerInput& in);
  // Every drawer with its session that is not closed; totals only when `supervisor`.
  [[nodiscard]] Result<std::vector<DrawerStatus>> drawers(bool supervisor);
  // Opens a session on `drawer_code` for the actor with the counted float. kConflict when the
  // drawer or the cashier already has a session that is not closed; kNotFound.
  [[nodiscard]] Result<Session> open_session(const Actor& actor, const std::string& drawer_code,
                                             const CashCount& float_count);
  [[nodiscard]] Result<Session> session(std::int64_t id);
  // The actor's session that is not closed; kNotFound when none.
  [[nodiscard]] Result<Session> session_of(const Actor& actor);
  [[nodiscard]] Result<SessionTotals> totals(std::int64_t session_id);
  // The blind count. Only the session's cashier or a drawer.supervise user (kForbidden).
  // kUnprocessable while a card payment of the session is unknown or by the lifecycle table.
  // With the count balanced, or over/short with `reason`, the session closes in the same
  // transaction; otherwise it waits in `counted` for close().
  [[nodiscard]] Result<CountResult> count(const Actor& actor, std::int64_t session_id,
                                          const CashCount& count, const std::string& reason);
  // Closes a counted session: posts the over/short (reason required when not zero) and moves
  // the receipts from 1010 to 1020 per fund. kUnprocessable by the lifecycle table.
  [[nodiscard]] Result<Session> close(const Actor& actor, std::int64_t session_id,
                                      const std::string& reason);

  // --- counter transactions (counter_transactions.cc) ---
  // Takes a cart with tenders in the actor's open session. Returns the transaction: posted
  // (with its receipt), or card_unknown when the gateway's answer was lost. Errors:
  // kInvalidInput (field named: items[i].…, tenders[i].…), kUnprocessable (no open session,
  // cash-only customer and a check, card declined, lifecycle), kNotFound (party).
  // The same idempotency key returns the first result (replayed = true) and posts nothing.
  [[nodiscard]] Result<CounterTransaction> transact(const Actor& actor, const CounterRequest& r);
  [[nodiscard]] Result<CounterTransaction> transaction(std::int64_t id);
  // Every transaction of a session, oldest first, whatever its status (declined and unknown
  // cards too: a supervisor sees all the session did).
  [[nodiscard]] Result<std::vector<CounterTransaction>> session_transactions(
      std::int64_t session_id);
  // Voids a posted transaction of an open session: each of its payments is reversed by the
  // ledger and an approved card is voided at the gateway. Needs drawer.supervise and a user who
  // is not the session's cashier (kForbidden); kUnprocessable after the count or close.
  [[nodiscard]] Result<CounterTransaction> void_transaction(const Actor& actor, std::int64_t id,
                                                            const std::string& reason);
  // Asks the gateway about every card payment left unknown (or pending for longer than
  // kStalePendingUs) and posts or declines each; what the gateway still cannot say stays.
  [[nodiscard]] Result<ReconcileReport> reconcile_cards(const Actor& actor);

  // --- receipts (counter_receipts.cc) ---
  [[nodiscard]] Result<ReceiptView> receipt(const ReceiptRef& ref);
  // Sends the receipt's ESC/POS bytes (with the drawer kick) to the drawer's printer and logs
  // the print. kUnavailable when the printer cannot be reached.
  [[nodiscard]] Result<void> print_receipt(const Actor& actor, const ReceiptRef& ref);

  // --- end of day and deposits (counter_deposits.cc) ---
  // Every session of the business date, and the offices' sums, by tender and fund.
  [[nodiscard]] Result<BalancingReport> balancing(const CivilDate& date);
  // Payments received on the posting date by fund and channel (all channels), less voids.
  [[nodiscard]] Result<DailyReceipts> daily_receipts(const CivilDate& date);
  // What closed sessions are waiting to be deposited, one slip per bank account.
  [[nodiscard]] Result<std::vector<DepositSlip>> ready_deposits();
  // Prepared and closed deposits (status "" = all), newest first.
  [[nodiscard]] Result<std::vector<DepositSlip>> deposits(const std::string& status);
  [[nodiscard]] Result<DepositSlip> deposit(std::int64_t id);
  // Prepares the deposit of every closed, undeposited session of `bank_account`.
  // kUnprocessable when there is nothing to deposit.
  [[nodiscard]] Result<DepositSlip> prepare_deposit(const Actor& actor,
                                                    const std::string& bank_account);
  // Closes a prepared deposit with the bank's reference: Dr 1030 / Cr 1020 per fund. The closer
  // must differ from the preparer (kForbidden).
  [[nodiscard]] Result<DepositSlip> close_deposit(const Actor& actor, std::int64_t id,
                                                  const std::string& bank_reference);

  // --- revolving funds (revolving_funds.cc) ---
  [[nodiscard]] Result<std::vector<RevolvingFund>> revolving_funds();
  [[nodiscard]] Result<RevolvingFund> revolving_fund(std::int64_t id);
  [[nodiscard]] Result<RevolvingFund> create_revolving_fund(const Actor& actor,
                                                            const RevolvingFundInput& in);
  // The daily count by the custodian (or drawer.supervise / deposit.close): cash by
  // denomination plus the receipts for expenses, reconciled to the authorized amount.
  [[nodiscard]] Result<FundCount> count_revolving_fund(const Actor& actor, std::int64_t fund_id,
                                                       const CashCount& cash,
                                                       const std::vector<ExpenseReceipt>& receipts,
                                                       const std::string& note);
  // A replenishment request; without an amount, the last count's receipts total.
  [[nodiscard]] Result<Replenishment> request_replenishment(const Actor& actor,
                                                            std::int64_t fund_id,
                                                            std::optional<Money> amount,
                                                            const std::string& note);

  // The demo City's two drawers at City Hall and its change fund and petty cash (custodian:
  // the demo supervisor, when that user exists). Does nothing for what exists already.
  [[nodiscard]] Result<void> seed_demo(const Actor& actor);

  // A card payment still `pending` after this long was left by a crashed request; the
  // reconciler resolves it.
  static constexpr Timestamp kStalePendingUs = 5 * 60 * kMicrosPerSecond;

 private:
  bool can(const Actor& actor, std::string_view permission) const {
    return city_.role_has(actor.role, permission);
  }
  // Inside the caller's write transaction (counter_transactions.cc).
  Result<std::int64_t> record_within(store::Connection& c, const Actor& actor,
                                     const CounterRequest& r, const std::string& key);
  Result<void> post_within(store::Connection& c, const Actor& actor, std::int64_t txn_id);
  Result<CounterTransaction> settle_card(const Actor& actor, std::int64_t txn_id,
                                         const CardResult& answer);
  Result<void> close_within(store::Connection& c, const Actor& actor, std::int64_t session_id,
                            const std::string& reason);
  Result<DepositSlip> compose_slip(store::Connection& c, const std::string& bank_account,
                                   const std::vector<std::int64_t>& sessions);

  store::Database& db_;
  const CityConfig& city_;
  const TimeZone& tz_;
  const Clock& clock_;
  ledger::Ledger& ledger_;
  std::unique_ptr<PaymentGateway> gateway_;
};

}  // namespace civicdesk::cashiering
