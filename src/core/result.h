// Result and Error: expected failures are values, not exceptions (Abseil, TigerBeetle).
//
// Every function that can fail for a reason a person can fix returns `Result<T>`, which is a
// `std::expected<T, Error>`. An Error carries a stable code (mapped to one HTTP status by http/),
// a message written for the person at the counter, and the offending field when there is one.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace civicdesk {

// Stable codes; their names (see to_string) are part of the public API. Never renumber.
enum class ErrorCode {
  kInvalidInput,      // 400: a field is malformed or out of range
  kUnauthenticated,   // 401: no session, or it expired
  kForbidden,         // 403: signed in, but the role lacks the permission
  kNotFound,          // 404
  kConflict,          // 409: a stale version, a duplicate, or a request still in flight
  kUnprocessable,     // 422: well-formed but refused by a business rule (e.g. key reused)
  kLocked,            // 423: account locked after failed sign-ins
  kTooLarge,          // 413: over a limit in core/limits.h
  kRateLimited,       // 429
  kStorage,           // 500/503: the database failed; the operation had no effect
  kInternal,          // 500: a bug; logged with the request id
  kUnavailable,       // 503: shutting down, or a dependency is down
};

std::string_view to_string(ErrorCode code);
int http_status(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // for people: says what is wrong and, where possible, what to do
  std::string field;    // the offending field, line or key; empty when none applies

  static Error invalid(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidInput, std::move(message), std::move(field)};
  }
  static Error make(ErrorCode code, std::string message, std::string field = {}) {
    return Error{code, std::move(message), std::move(field)};
  }
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string field = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(field)});
}
inline std::unexpected<Error> fail(Error e) { return std::unexpected(std::move(e)); }

}  // namespace civicdesk

// Propagate an error from an expression returning Result<...>; evaluates to nothing.
#define CD_TRY(expr)                                          \
  do {                                                        \
    auto&& cd_try_result_ = (expr);                           \
    if (!cd_try_result_) return std::unexpected(cd_try_result_.error()); \
  } while (0)

// Bind the value of a Result<...> expression to `var`, or return its error.
#define CD_CONCAT_INNER(a, b) a##b
#define CD_CONCAT(a, b) CD_CONCAT_INNER(a, b)
#define CD_ASSIGN(var, expr)                                             \
  auto CD_CONCAT(cd_assign_, __LINE__) = (expr);                         \
  if (!CD_CONCAT(cd_assign_, __LINE__))                                  \
    return std::unexpected(CD_CONCAT(cd_assign_, __LINE__).error());     \
  var = std::move(*CD_CONCAT(cd_assign_, __LINE__))
