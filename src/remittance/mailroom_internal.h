// Inside the mail room service: helpers shared by mailroom.cc, batches.cc and lockbox_import.cc.
// Every function runs inside the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "remittance/mailroom.h"

namespace civicdesk::remittance::detail {

// "SELECT <kItemColumns> FROM remittance_items i ..." reads into item_from_row.
extern const char* const kItemColumns;
BatchItem item_from_row(const store::Row& r);

[[nodiscard]] Result<BatchItem> load_item(store::Connection& c, std::int64_t id);
[[nodiscard]] Result<Batch> load_batch(store::Connection& c, std::int64_t id, bool with_items);

// The party that owns account `account_number` (the newest open obligation with its
// account_ref, else the newest of any status); nullopt when no obligation has it.
[[nodiscard]] Result<std::optional<std::int64_t>> party_for_account(store::Connection& c,
                                                                    std::int64_t account_number);

struct PostOutcome {
  bool posted = false;  // false: the ledger refused it (see refusal); nothing written
  std::int64_t payment_id = 0;
  Error refusal;
};
// Posts one item through the ledger under its posting_key (channel "mail" or "lockbox") and
// marks it posted. A ledger refusal (a business rule, e.g. a cash-only customer) is undone to a
// savepoint and returned as posted = false; storage errors propagate.
// post_or_queue: the same, but a refusal queues the item as a "refused" exception.
[[nodiscard]] Result<PostOutcome> post_item(store::Connection& c, ledger::Ledger& ledger,
                                            const Actor& actor, const BatchItem& item,
                                            const std::string& channel, Timestamp now_us);
[[nodiscard]] Result<PostOutcome> post_or_queue(store::Connection& c, ledger::Ledger& ledger,
                                                const Actor& actor, const BatchItem& item,
                                                const std::string& channel, Timestamp now_us);

// Marks the item an exception and opens its queue entry; returns the exception id.
[[nodiscard]] Result<std::int64_t> queue_exception(store::Connection& c, std::int64_t item_id,
                                                   const std::string& reason,
                                                   const std::string& message, Timestamp now_us);

[[nodiscard]] Result<void> audit(store::Connection& c, const Actor& actor, Timestamp now_us,
                                 const std::string& action, const std::string& entity,
                                 std::int64_t id, const std::string& after_json);

store::Value id_or_null(std::int64_t id);

}  // namespace civicdesk::remittance::detail
