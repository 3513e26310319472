// Inside the ledger: writing journal entries and keeping the O(1) balances in step with them.
// Every function here runs inside the caller's write transaction.
//
// The balances a line moves are derived from the line alone (add_line_effects; write_entry sums
// them per row over the entry and writes each row once), which is also
// what `ledger check` replays from the journal to prove the stored balances right:
//   receivable lines (1200-*) with a charge line move that line's and its obligation's balance
//   and the party's receivable; unapplied-credit lines (2100-*) with a payment move that
//   payment's unapplied amount and the party's credit; every line moves its account's totals.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace civicdesk::ledger::detail {

inline constexpr std::string_view kReceivable = "1200";
inline constexpr std::string_view kUnapplied = "2100";
inline constexpr std::string_view kRefundsPayable = "2200";
inline constexpr std::string_view kCashInDrawers = "1010";
inline constexpr std::string_view kUndeposited = "1020";
inline constexpr std::string_view kCashInBank = "1030";
inline constexpr std::string_view kWriteOff = "6100";

bool is_account(std::string_view account, std::string_view prefix);

struct Posting {
  store::Connection& c;
  const CityConfig& city;
  const Actor& actor;
  Timestamp now_us;
  CivilDate today;
};

// Checks balance, writes the entry and its lines, applies their effects; returns the entry id.
[[nodiscard]] Result<std::int64_t> write_entry(Posting& p, JournalEntry& e,
                                               const std::string& idempotency_key);
// The entry id already written under this key, if any.
[[nodiscard]] Result<std::optional<std::int64_t>> entry_for_key(store::Connection& c,
                                                                const std::string& key);

[[nodiscard]] Result<Obligation> load_obligation(store::Connection& c, std::int64_t id);
[[nodiscard]] Result<Payment> load_payment(store::Connection& c, std::int64_t id);
// Open lines of a party's open obligations (optionally one account, or one obligation).
[[nodiscard]] Result<std::vector<OpenLine>> open_lines(store::Connection& c,
                                                       const CityConfig& city,
                                                       std::int64_t party_id,
                                                       const std::string& account_ref,
                                                       std::int64_t only_obligation);
// Sets the status from the balance: open while anything is owed (a written-off obligation whose
// write-off a returned payment undid reopens too), paid when an open one reaches zero;
// cancelled is final.
[[nodiscard]] Result<void> refresh_status(store::Connection& c, std::int64_t obligation_id);
[[nodiscard]] Result<void> set_status(store::Connection& c, std::int64_t obligation_id,
                                      const std::string& status);

// Consumes the party's unapplied credit (oldest payment first) against its open lines (or one
// obligation's); writes one credit-application entry when anything applies.
[[nodiscard]] Result<void> apply_credit(Posting& p, std::int64_t party_id,
                                        std::int64_t only_obligation);

// What a payment currently pays, per charge line (net of earlier reversals).
struct Applied {
  std::int64_t obligation_id = 0;
  std::int64_t line_id = 0;
  std::string fund;
  std::int64_t cents = 0;
};
[[nodiscard]] Result<std::vector<Applied>> applied_by_payment(store::Connection& c,
                                                              std::int64_t payment_id);
// Adds lines to `e` that take back everything the payment pays (reopening those charge lines)
// and its unapplied credit, crediting the cash accounts it came in through.
[[nodiscard]] Result<void> add_unwind(store::Connection& c, const CityConfig& city,
                                      const Payment& payment, JournalEntry& e);

// Inserts an obligation with its lines and writes its charge entry (validated by the caller).
[[nodiscard]] Result<Obligation> insert_charge(Posting& p, const ChargeRequest& r,
                                               const std::string& key);

// kInvalidInput naming `field` unless 0 < m <= kMaxPaymentCents.
[[nodiscard]] Result<void> check_amount(Money m, const std::string& field);
[[nodiscard]] Result<void> party_exists(store::Connection& c, std::int64_t party_id);

// "<user id>:<key>": keys are scoped per user, as the HTTP layer scopes them.
std::string scoped_key(const Actor& a, const std::string& key);
[[nodiscard]] Result<void> require_key(const std::string& key);

// The refund half of Ledger::decide (ledger_refunds.cc); returns the entry id, 0 when denied.
[[nodiscard]] Result<std::int64_t> decide_refund(Posting& p, const Approval& a, bool approve);

[[nodiscard]] Result<void> audit_entry(Posting& p, const std::string& action,
                                       const std::string& entity, std::int64_t entity_id,
                                       const std::string& after_json);

// A description of money for memos: "$40.00".
std::string money_text(std::int64_t cents);

}  // namespace civicdesk::ledger::detail
