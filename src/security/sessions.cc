#include "security/sessions.h"

#include "audit/audit_log.h"
#include "security/crypto.h"

namespace civicdesk::security {
namespace {
constexpr std::size_t kTokenBytes = 16;  // 128 bits
// Touching last_seen on every request would make every read a write; a minute's precision is
// plenty for a 15-minute idle timeout.
constexpr Timestamp kTouchIntervalUs = 60 * kMicrosPerSecond;
}  // namespace

Result<Session> SessionStore::sign_in(const std::string& username, const std::string& password,
                                      const Actor& anonymous) {
  CD_ASSIGN(auto user, users_.authenticate(username, password, anonymous));
  Session s;
  s.token = random_hex(kTokenBytes);
  s.csrf_token = random_hex(kTokenBytes);
  s.user = user;
  s.created_us = s.last_seen_us = clock_.now_us();
  CD_TRY(db_.write<void>([&](store::Connection& c) -> Result<void> {
    CD_TRY(c.exec("INSERT INTO sessions (token_hash, user_id, csrf_token, created_us, "
                  "last_seen_us, client) VALUES (?, ?, ?, ?, ?, ?)",
                  {blake2b_hex(s.token), user.id.value, s.csrf_token, s.created_us,
                   s.last_seen_us, anonymous.client}));
    return {};
  }));
  return s;
}

Result<Session> SessionStore::resume(const std::string& token) {
  const Error expired =
      Error::make(ErrorCode::kUnauthenticated, "your session has ended; please sign in again");
  if (token.size() != kTokenBytes * 2) return fail(expired);
  std::string hash = blake2b_hex(token);
  Timestamp now = clock_.now_us();
  auto row = db_.read<std::optional<store::Row>>(
      [&](store::Connection& c) -> Result<std::optional<store::Row>> {
        CD_ASSIGN(auto rows, c.query("SELECT s.user_id, s.csrf_token, s.created_us, "
                                     "s.last_seen_us, s.ended_us FROM sessions s "
                                     "WHERE s.token_hash = ?",
                                     {hash}));
        if (rows.empty()) return std::nullopt;
        return rows[0];
      });
  if (!row) return std::unexpected(row.error());
  if (!*row || !(*row)->is_null(4)) return fail(expired);
  const store::Row& r = **row;
  Session s;
  s.csrf_token = r.text(1);
  s.created_us = r.integer(2);
  s.last_seen_us = r.integer(3);
  Timestamp idle = Timestamp{city_.security.idle_timeout_minutes} * 60 * kMicrosPerSecond;
  Timestamp absolute = Timestamp{city_.security.absolute_timeout_minutes} * 60 * kMicrosPerSecond;
  if (now - s.last_seen_us > idle || now - s.created_us > absolute) return fail(expired);
  CD_ASSIGN(s.user, users_.get(UserId{r.integer(0)}));
  if (s.user.disabled) return fail(expired);
  if (now - s.last_seen_us > kTouchIntervalUs) {
    CD_TRY(db_.write<void>([&](store::Connection& c) -> Result<void> {
      CD_TRY(c.exec("UPDATE sessions SET last_seen_us = ? WHERE token_hash = ?", {now, hash}));
      return {};
    }));
    s.last_seen_us = now;
  }
  return s;
}

Result<void> SessionStore::sign_out(const std::string& token, const Actor& actor) {
  Timestamp now = clock_.now_us();
  return db_.write<void>([&](store::Connection& c) -> Result<void> {
    CD_ASSIGN(auto n, c.exec("UPDATE sessions SET ended_us = ? WHERE token_hash = ? AND "
                             "ended_us IS NULL",
                             {now, blake2b_hex(token)}));
    if (n == 0) return {};
    return audit::append(c, actor, now,
                         {"session.logout", "user", std::to_string(actor.user_id.value),
                          std::nullopt, std::nullopt});
  });
}

}  // namespace civicdesk::security
