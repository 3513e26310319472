#include "cashiering/lifecycle.h"

#include <optional>
#include <string>

namespace civicdesk::cashiering {
namespace {

struct SessionRule {
  SessionState from;
  SessionOp op;
  std::optional<SessionState> to;  // nullopt: refused with `why`
  const char* why;
};

// Every (state, operation) pair, written out.
constexpr SessionRule kSessionTable[] = {
    {SessionState::kOpen, SessionOp::kTransact, SessionState::kOpen, ""},
    {SessionState::kOpen, SessionOp::kVoid, SessionState::kOpen, ""},
    {SessionState::kOpen, SessionOp::kCount, SessionState::kCounted, ""},
    {SessionState::kOpen, SessionOp::kClose, std::nullopt,
     "count the drawer first (a blind count by denomination)"},
    {SessionState::kCounted, SessionOp::kTransact, std::nullopt,
     "the drawer has been counted; open a new session to take payments"},
    {SessionState::kCounted, SessionOp::kVoid, std::nullopt,
     "the drawer has been counted; a void is no longer possible — use the ledger's refund or "
     "adjustment workflows"},
    {SessionState::kCounted, SessionOp::kCount, std::nullopt,
     "the drawer was already counted; a blind count cannot be redone"},
    {SessionState::kCounted, SessionOp::kClose, SessionState::kClosed, ""},
    {SessionState::kClosed, SessionOp::kTransact, std::nullopt,
     "the session is closed; open a new session to take payments"},
    {SessionState::kClosed, SessionOp::kVoid, std::nullopt,
     "the session is closed; a void is only possible in the same session — use the ledger's "
     "refund or adjustment workflows"},
    {SessionState::kClosed, SessionOp::kCount, std::nullopt,
     "the session is closed and cannot be counted again"},
    {SessionState::kClosed, SessionOp::kClose, std::nullopt, "the session is already closed"},
};

struct DepositRule {
  DepositState from;
  DepositOp op;
  std::optional<DepositState> to;
  const char* why;
};

constexpr DepositRule kDepositTable[] = {
    {DepositState::kPrepared, DepositOp::kClose, DepositState::kClosed, ""},
    {DepositState::kClosed, DepositOp::kClose, std::nullopt, "the deposit is already closed"},
};

}  // namespace

std::string_view to_string(SessionState s) {
  switch (s) {
    case SessionState::kOpen:
      return "open";
    case SessionState::kCounted:
      return "counted";
    case SessionState::kClosed:
      return "closed";
  }
  return "?";
}

std::string_view to_string(SessionOp op) {
  switch (op) {
    case SessionOp::kTransact:
      return "transact";
    case SessionOp::kVoid:
      return "void";
    case SessionOp::kCount:
      return "count";
    case SessionOp::kClose:
      return "close";
  }
  return "?";
}

Result<SessionState> parse_session_state(std::string_view text) {
  for (auto s : kSessionStates)
    if (to_string(s) == text) return s;
  return fail(ErrorCode::kInternal, "unknown session state '" + std::string(text) + "'");
}

Result<SessionState> next_state(SessionState state, SessionOp op) {
  for (const auto& r : kSessionTable) {
    if (r.from != state || r.op != op) continue;
    if (r.to) return *r.to;
    return fail(ErrorCode::kUnprocessable, r.why);
  }
  return fail(ErrorCode::kInternal, "no lifecycle rule for this session operation");
}

std::string_view to_string(DepositState s) {
  return s == DepositState::kPrepared ? "prepared" : "closed";
}

Result<DepositState> parse_deposit_state(std::string_view text) {
  for (auto s : kDepositStates)
    if (to_string(s) == text) return s;
  return fail(ErrorCode::kInternal, "unknown deposit state '" + std::string(text) + "'");
}

Result<DepositState> next_state(DepositState state, DepositOp op) {
  for (const auto& r : kDepositTable) {
    if (r.from != state || r.op != op) continue;
    if (r.to) return *r.to;
    return fail(ErrorCode::kUnprocessable, r.why);
  }
  return fail(ErrorCode::kInternal, "no lifecycle rule for this deposit operation");
}

}  // namespace civicdesk::cashiering
