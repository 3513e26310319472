// Idempotency keys for money-moving requests (IETF Idempotency-Key draft, as Stripe does it):
// the key is required (400); the same key with the same body replays the first answer byte for
// byte; with a different body it is refused (422); while the first request is still running it
// is refused (409). Keys are kept for good. A key left in flight by a process that died is taken
// over: the services themselves refuse to post twice under one key (the journal's unique
// idempotency_key), so re-running the handler returns the original outcome.
#include "core/limits.h"
#include "http/api.h"
#include "http/json_util.h"
#include "security/crypto.h"

namespace civicdesk::http {
namespace {

enum class KeyState { kNew, kReplay, kMismatch, kInFlight };

struct KeyLookup {
  KeyState state = KeyState::kNew;
  int status = 0;
  std::string body;
};

Result<KeyLookup> claim(store::Database& db, std::int64_t user_id, const std::string& key,
                        const std::string& hash, const std::string& instance, Timestamp now) {
  return db.write<KeyLookup>([&](store::Connection& c) -> Result<KeyLookup> {
    CD_ASSIGN(auto rows, c.query("SELECT request_hash, status, instance, response_status, "
                                 "response_body FROM idempotency_keys WHERE user_id = ? AND "
                                 "idem_key = ?",
                                 {user_id, key}));
    if (rows.empty()) {
      CD_TRY(c.exec("INSERT INTO idempotency_keys (user_id, idem_key, request_hash, instance, "
                    "status, created_us) VALUES (?, ?, ?, ?, 'in_flight', ?)",
                    {user_id, key, hash, instance, now}));
      return KeyLookup{};
    }
    const auto& r = rows[0];
    if (r.text(0) != hash) return KeyLookup{KeyState::kMismatch};
    if (r.text(1) == "done")
      return KeyLookup{KeyState::kReplay, static_cast<int>(r.integer(3)), r.text(4)};
    if (r.text(2) == instance) return KeyLookup{KeyState::kInFlight};
    // In flight under a process that is gone: this process takes the key over.
    CD_TRY(c.exec("UPDATE idempotency_keys SET instance = ? WHERE user_id = ? AND idem_key = ?",
                  {instance, user_id, key}));
    return KeyLookup{};
  });
}

Result<void> finish(store::Database& db, std::int64_t user_id, const std::string& key,
                    const Response& resp) {
  return db.write<void>([&](store::Connection& c) -> Result<void> {
    if (resp.status >= 500) {
      // Nothing was posted (services fail closed); let a retry run again.
      CD_TRY(c.exec("DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?",
                    {user_id, key}));
      return {};
    }
    CD_TRY(c.exec("UPDATE idempotency_keys SET status = 'done', response_status = ?, "
                  "response_body = ? WHERE user_id = ? AND idem_key = ?",
                  {std::int64_t{resp.status}, resp.body, user_id, key}));
    return {};
  });
}

}  // namespace

Response Api::run_idempotent(const Route& route, RequestContext& ctx) {
  std::string key = ctx.request.header("Idempotency-Key");
  if (key.empty())
    return error_response(Error::invalid(
        "Idempotency-Key", "this request moves money: send an Idempotency-Key header (a new "
                           "random value per intended action, the same value on a retry)"));
  if (key.size() > kMaxIdempotencyKeyLength)
    return error_response(Error::invalid("Idempotency-Key",
                                         "Idempotency-Key is longer than " +
                                             std::to_string(kMaxIdempotencyKeyLength)));
  std::string hash = security::blake2b_hex(ctx.request.method + " " + ctx.request.path + "\n" +
                                           ctx.request.body);
  std::int64_t user = ctx.actor.user_id.value;
  auto lookup = claim(app_.db(), user, key, hash, instance_, app_.clock().now_us());
  if (!lookup) return error_response(lookup.error());
  switch (lookup->state) {
    case KeyState::kMismatch:
      return error_response(Error::make(ErrorCode::kUnprocessable,
                                        "this Idempotency-Key was already used for a different "
                                        "request; use a new key for a new action",
                                        "Idempotency-Key"));
    case KeyState::kInFlight:
      return error_response(Error::make(ErrorCode::kConflict,
                                        "the first request with this Idempotency-Key is still "
                                        "being processed; retry in a moment",
                                        "Idempotency-Key"));
    case KeyState::kReplay: {
      Response r;
      r.status = lookup->status;
      r.body = lookup->body;
      r.headers.emplace_back("Idempotent-Replayed", "true");
      return r;
    }
    case KeyState::kNew:
      break;
  }
  ctx.idempotency_key = key;
  Response resp = route.handler(ctx);
  if (auto done = finish(app_.db(), user, key, resp); !done) return error_response(done.error());
  return resp;
}

}  // namespace civicdesk::http
