// Staff users and their sign-in. A user has exactly one role (a grade: csr1..field), and the
// role's permissions come from the City configuration. Passwords are argon2id hashes; repeated
// failures lock the user for the configured time. Disabling a user ends their sessions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "city/city_config.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "store/db.h"

namespace civicdesk::security {

struct User {
  UserId id;
  std::string username;
  std::string display_name;
  std::string role;
  bool disabled = false;
  Timestamp locked_until_us = 0;
  std::optional<Timestamp> last_login_us;
  std::int64_t version = 1;
  std::string department;  // a City department code, or "" (sees no department work queue)
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  std::string password;
  std::string department;  // optional
};

struct UserChange {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<bool> disabled;
  std::optional<std::string> department;
  std::int64_t version = 0;  // must equal the stored version (optimistic check)
};

class UserDirectory {
 public:
  UserDirectory(store::Database& db, const CityConfig& city, const Clock& clock)
      : db_(db), city_(city), clock_(clock) {}

  // kInvalidInput (field named), kConflict (username taken).
  [[nodiscard]] Result<User> create(const Actor& actor, const NewUser& user);
  [[nodiscard]] Result<std::vector<User>> list();
  [[nodiscard]] Result<User> get(UserId id);
  // kNotFound, kInvalidInput, kConflict (stale version).
  [[nodiscard]] Result<User> update(const Actor& actor, UserId id, const UserChange& change);
  // Sets a new password and clears any lockout.
  [[nodiscard]] Result<void> reset_password(const Actor& actor, UserId id,
                                            const std::string& password);
  // Checks a password: kUnauthenticated (wrong name/password or disabled — one message for all,
  // so names cannot be probed), kLocked (too many failures). Records success/failure.
  [[nodiscard]] Result<User> authenticate(const std::string& username, const std::string& password,
                                          const Actor& anonymous);

  Result<void> validate_password(const std::string& password) const;

 private:
  Result<void> validate_role(const std::string& role) const;
  Result<void> validate_department(const std::string& department) const;

  store::Database& db_;
  const CityConfig& city_;
  const Clock& clock_;
};

// JSON for the audit trail (never includes the password hash).
std::string user_json(const User& u);

}  // namespace civicdesk::security
