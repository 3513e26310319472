#include "security/users.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "core/limits.h"
#include "security/crypto.h"

namespace civicdesk::security {
namespace {

constexpr const char* kUserColumns =
    "id, username, display_name, role, disabled, locked_until_us, last_login_us, version, "
    "department";

User from_row(const store::Row& r) {
  User u;
  u.id = UserId{r.integer(0)};
  u.username = r.text(1);
  u.display_name = r.text(2);
  u.role = r.text(3);
  u.disabled = r.integer(4) != 0;
  u.locked_until_us = r.integer(5);
  u.last_login_us = r.opt_integer(6);
  u.version = r.integer(7);
  u.department = r.text(8);
  return u;
}

Result<void> validate_username(const std::string& name) {
  if (name.empty()) return fail(Error::invalid("username", "username is required"));
  CD_TRY(check_length(name, kMaxUsernameLength, "username"));
  for (char ch : name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
              ch == '-';
    if (!ok)
      return fail(Error::invalid(
          "username", "username may use only lowercase letters, digits, '.', '_' and '-'"));
  }
  return {};
}

Result<User> load(store::Connection& c, UserId id) {
  auto row = c.query_one(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?",
                         {id.value});
  if (!row) {
    if (row.error().code == ErrorCode::kNotFound)
      return fail(ErrorCode::kNotFound, "no user with id " + std::to_string(id.value));
    return std::unexpected(row.error());
  }
  return from_row(*row);
}

}  // namespace

std::string user_json(const User& u) {
  boost::json::object o;
  o["id"] = u.id.value;
  o["username"] = u.username;
  o["display_name"] = u.display_name;
  o["role"] = u.role;
  o["disabled"] = u.disabled;
  o["version"] = u.version;
  o["department"] = u.department;
  return boost::json::serialize(o);
}

Result<void> UserDirectory::validate_role(const std::string& role) const {
  if (!city_.role(role))
    return fail(Error::invalid("role", "unknown role '" + role + "'"));
  return {};
}

Result<void> UserDirectory::validate_department(const std::string& department) const {
  if (department.empty()) return {};
  for (const auto& d : city_.departments)
    if (d.code == department) return {};
  return fail(Error::invalid("department", "unknown department '" + department + "'"));
}

Result<void> UserDirectory::validate_password(const std::string& password) const {
  auto min = static_cast<std::size_t>(city_.security.min_password_length);
  if (password.size() < min)
    return fail(Error::invalid("password",
                               "password must be at least " + std::to_string(min) + " characters"));
  return check_length(password, kMaxPasswordLength, "password");
}

Result<User> UserDirectory::create(const Actor& actor, const NewUser& nu) {
  CD_TRY(validate_username(nu.username));
  if (nu.display_name.empty())
    return fail(Error::invalid("display_name", "display name is required"));
  CD_TRY(check_length(nu.display_name, kMaxNameLength, "display_name"));
  CD_TRY(validate_role(nu.role));
  CD_TRY(validate_department(nu.department));
  CD_TRY(validate_password(nu.password));
  CD_ASSIGN(auto hash, hash_password(nu.password));  // slow: outside the transaction
  Timestamp now = clock_.now_us();
  return db_.write<User>([&](store::Connection& c) -> Result<User> {
    auto id = c.query_int(
        "INSERT INTO users (username, display_name, role, password_hash, created_us, department) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        {nu.username, nu.display_name, nu.role, hash, now, nu.department});
    if (!id) {
      if (id.error().code == ErrorCode::kConflict)
        return fail(ErrorCode::kConflict, "username '" + nu.username + "' is taken", "username");
      return std::unexpected(id.error());
    }
    CD_ASSIGN(auto user, load(c, UserId{*id}));
    CD_TRY(audit::append(c, actor, now,
                         {"user.create", "user", std::to_string(*id), std::nullopt, user_json(user)}));
    return user;
  });
}

Result<std::vector<User>> UserDirectory::list() {
  return db_.read<std::vector<User>>([&](store::Connection& c) -> Result<std::vector<User>> {
    CD_ASSIGN(auto rows,
              c.query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY username"));
    std::vector<User> out;
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
  });
}

Result<User> UserDirectory::get(UserId id) {
  return db_.read<User>([&](store::Connection& c) { return load(c, id); });
}

Result<User> UserDirectory::update(const Actor& actor, UserId id, const UserChange& ch) {
  if (ch.display_name) {
    if (ch.display_name->empty())
      return fail(Error::invalid("display_name", "display name is required"));
    CD_TRY(check_length(*ch.display_name, kMaxNameLength, "display_name"));
  }
  if (ch.role) CD_TRY(validate_role(*ch.role));
  if (ch.department) CD_TRY(validate_department(*ch.department));
  Timestamp now = clock_.now_us();
  return db_.write<User>([&](store::Connection& c) -> Result<User> {
    CD_ASSIGN(auto before, load(c, id));
    if (before.version != ch.version)
      return fail(ErrorCode::kConflict,
                  "this user was changed by someone else (version " +
                      std::to_string(before.version) + "); reload and try again",
                  "version");
    User after = before;
    if (ch.display_name) after.display_name = *ch.display_name;
    if (ch.role) after.role = *ch.role;
    if (ch.disabled) after.disabled = *ch.disabled;
    if (ch.department) after.department = *ch.department;
    after.version = before.version + 1;
    CD_ASSIGN(auto n, c.exec("UPDATE users SET display_name = ?, role = ?, disabled = ?, "
                             "department = ?, version = ? WHERE id = ? AND version = ?",
                             {after.display_name, after.role, std::int64_t{after.disabled},
                              after.department, after.version, id.value, before.version}));
    if (n != 1) return fail(ErrorCode::kConflict, "this user was changed by someone else", "version");
    // A disabled or re-roled user must sign in again: their old sessions end now.
    if (after.disabled || after.role != before.role)
      CD_TRY(c.exec("UPDATE sessions SET ended_us = ? WHERE user_id = ? AND ended_us IS NULL",
                    {now, id.value}));
    std::string action = after.role != before.role   ? "user.role_change"
                         : after.disabled != before.disabled
                             ? (after.disabled ? "user.disable" : "user.enable")
                             : "user.update";
    CD_TRY(audit::append(c, actor, now,
                         {action, "user", std::to_string(id.value), user_json(before),
                          user_json(after)}));
    return after;
  });
}

Result<void> UserDirectory::reset_password(const Actor& actor, UserId id,
                                           const std::string& password) {
  CD_TRY(validate_password(password));
  CD_ASSIGN(auto hash, hash_password(password));
  Timestamp now = clock_.now_us();
  return db_.write<void>([&](store::Connection& c) -> Result<void> {
    CD_ASSIGN(auto user, load(c, id));
    CD_TRY(c.exec("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until_us = 0, "
                  "version = version + 1 WHERE id = ?",
                  {hash, id.value}));
    CD_TRY(c.exec("UPDATE sessions SET ended_us = ? WHERE user_id = ? AND ended_us IS NULL",
                  {now, id.value}));
    return audit::append(c, actor, now,
                         {"user.password_reset", "user", std::to_string(id.value), std::nullopt,
                          user_json(user)});
  });
}

Result<User> UserDirectory::authenticate(const std::string& username, const std::string& password,
                                         const Actor& anonymous) {
  const Error refused =
      Error::make(ErrorCode::kUnauthenticated, "wrong username or password", "password");
  if (username.size() > kMaxUsernameLength || password.size() > kMaxPasswordLength)
    return fail(refused);
  auto found = db_.read<std::optional<std::pair<User, std::string>>>(
      [&](store::Connection& c) -> Result<std::optional<std::pair<User, std::string>>> {
        CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kUserColumns +
                                         ", password_hash FROM users WHERE username = ?",
                                     {username}));
        if (rows.empty()) return std::nullopt;
        return std::make_pair(from_row(rows[0]), rows[0].text(9));
      });
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    verify_dummy_password(password);
    return fail(refused);
  }
  User user = (*found)->first;
  Timestamp now = clock_.now_us();
  if (user.locked_until_us > now)
    return fail(ErrorCode::kLocked,
                "this user is locked after repeated failed sign-ins; try again later or ask an "
                "administrator to reset the password");
  bool ok = verify_password(password, (*found)->second) && !user.disabled;
  Actor actor = anonymous;
  actor.user_id = user.id;
  actor.username = user.username;
  actor.role = user.role;
  auto recorded = db_.write<void>([&](store::Connection& c) -> Result<void> {
    if (ok) {
      CD_TRY(c.exec("UPDATE users SET failed_logins = 0, last_login_us = ? WHERE id = ?",
                    {now, user.id.value}));
      return audit::append(c, actor, now, {"session.login", "user", std::to_string(user.id.value),
                                           std::nullopt, std::nullopt});
    }
    CD_ASSIGN(auto failures, c.query_int("UPDATE users SET failed_logins = failed_logins + 1 "
                                         "WHERE id = ? RETURNING failed_logins",
                                         {user.id.value}));
    if (failures >= city_.security.max_failed_logins) {
      Timestamp until = now + Timestamp{city_.security.lockout_minutes} * 60 * kMicrosPerSecond;
      CD_TRY(c.exec("UPDATE users SET locked_until_us = ?, failed_logins = 0 WHERE id = ?",
                    {until, user.id.value}));
      CD_TRY(audit::append(c, actor, now, {"user.locked", "user", std::to_string(user.id.value),
                                           std::nullopt, std::nullopt}));
    }
    return audit::append(c, actor, now,
                         {"session.login_failed", "user", std::to_string(user.id.value),
                          std::nullopt, std::nullopt});
  });
  if (!recorded) return std::unexpected(recorded.error());
  if (!ok) return fail(refused);
  user.last_login_us = now;
  return user;
}

}  // namespace civicdesk::security
