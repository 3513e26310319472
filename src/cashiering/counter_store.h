// Inside the Counter: reading and writing its rows. Every function runs in the caller's
// transaction. Not part of the cashiering context's public interface.
#pragma once

#include <string>
#include <vector>

#include "cashiering/counter.h"

namespace civicdesk::cashiering::detail {

std::string count_to_json(const CashCount& count);
[[nodiscard]] Result<CashCount> count_from_json(const std::string& text);

[[nodiscard]] Result<Drawer> load_drawer(store::Connection& c, const std::string& code);
[[nodiscard]] Result<Session> load_session(store::Connection& c, std::int64_t id);
[[nodiscard]] Result<SessionTotals> load_totals(store::Connection& c, const Session& s);
// Net cash-in-drawer receipts (1010) per fund of a session's payments, less their voids.
[[nodiscard]] Result<std::map<std::string, Money>> receipts_by_fund(store::Connection& c,
                                                                    std::int64_t session_id);
[[nodiscard]] Result<CounterTransaction> load_transaction(store::Connection& c, std::int64_t id);

// The acting user as the ledger and the audit trail know them, rebuilt from the user row (the
// reconciler posts a cashier's card payment under the cashier's name and idempotency scope).
[[nodiscard]] Result<Actor> actor_of(store::Connection& c, std::int64_t user_id,
                                     const std::string& request_id);

[[nodiscard]] Result<void> audit(store::Connection& c, const Actor& actor, Timestamp now,
                                 const std::string& action, const std::string& entity,
                                 std::int64_t id, const std::string& after_json);

std::string tender_text(const Tender& t);

}  // namespace civicdesk::cashiering::detail
