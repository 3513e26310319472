// Lifecycles of a cashier session and of a deposit, as tables: (state, operation) → next state
// or a refusal with the reason a person reads. One function enforces each table; the services
// call it before every change, and a test tries every pair. Pure.
//
// Session: open ──count──▶ counted ──close──▶ closed
//   open:    transact, void (same session only) and count (the blind count) are allowed;
//            close needs the count first.
//   counted: the count is final (no recount: a blind count shown its difference cannot be
//            redone); only close (with a reason when over or short) is allowed.
//   closed:  immutable; a correction goes through the ledger's refund or adjustment workflows.
// Deposit: prepared ──close (a second person, with the bank's reference)──▶ closed.
#pragma once

#include <string_view>

#include "core/result.h"

namespace civicdesk::cashiering {

enum class SessionState { kOpen, kCounted, kClosed };
enum class SessionOp { kTransact, kVoid, kCount, kClose };
inline constexpr SessionState kSessionStates[] = {SessionState::kOpen, SessionState::kCounted,
                                                  SessionState::kClosed};
inline constexpr SessionOp kSessionOps[] = {SessionOp::kTransact, SessionOp::kVoid,
                                            SessionOp::kCount, SessionOp::kClose};

std::string_view to_string(SessionState s);
std::string_view to_string(SessionOp op);
[[nodiscard]] Result<SessionState> parse_session_state(std::string_view text);

// The next state, or kUnprocessable with a message naming the state and what to do instead.
[[nodiscard]] Result<SessionState> next_state(SessionState state, SessionOp op);

enum class DepositState { kPrepared, kClosed };
enum class DepositOp { kClose };
inline constexpr DepositState kDepositStates[] = {DepositState::kPrepared, DepositState::kClosed};
inline constexpr DepositOp kDepositOps[] = {DepositOp::kClose};

std::string_view to_string(DepositState s);
[[nodiscard]] Result<DepositState> parse_deposit_state(std::string_view text);
[[nodiscard]] Result<DepositState> next_state(DepositState state, DepositOp op);

}  // namespace civicdesk::cashiering
