// Server-side sessions: a random 128-bit token in an HttpOnly, SameSite=Strict cookie; only its
// BLAKE2b hash is stored. Each session has a CSRF token the client echoes in X-CSRF-Token on every
// state-changing request. Idle and absolute timeouts come from the City configuration; a session
// ends at sign-out, when its user is disabled or re-roled, or when a password is reset.
#pragma once

#include <string>

#include "security/users.h"

namespace civicdesk::security {

struct Session {
  std::string token;  // only filled at sign-in (never stored)
  std::string csrf_token;
  User user;
  Timestamp created_us = 0;
  Timestamp last_seen_us = 0;
};

class SessionStore {
 public:
  SessionStore(store::Database& db, UserDirectory& users, const CityConfig& city,
               const Clock& clock)
      : db_(db), users_(users), city_(city), clock_(clock) {}

  // A new session (fresh token: sessions rotate at every sign-in). Errors as authenticate().
  [[nodiscard]] Result<Session> sign_in(const std::string& username, const std::string& password,
                                        const Actor& anonymous);
  // The live session for a cookie token: kUnauthenticated when unknown, ended, idle too long,
  // past the absolute limit, or its user is disabled.
  [[nodiscard]] Result<Session> resume(const std::string& token);
  [[nodiscard]] Result<void> sign_out(const std::string& token, const Actor& actor);

 private:
  store::Database& db_;
  UserDirectory& users_;
  const CityConfig& city_;
  const Clock& clock_;
};

}  // namespace civicdesk::security
