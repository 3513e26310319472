// Script tests: API scenarios written as data, in the spirit of DuckDB's sqllogictest and
// ledger's regression files. A script is a sequence of records (a command, then optionally `----`
// and its expected output); the format is documented in tests/scripts/README.md.
//
// The runner knows nothing about gtest or backends: it drives a ScriptHost (tests/script_test.cc
// implements one over AppTest, so every script runs unchanged on SQLite and PostgreSQL) and
// returns every mismatch with its file and line. It never throws on a bad script; a malformed
// record is reported as a failure at its line.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {

// The password of every user a script creates with `user NAME ROLE`.
inline constexpr const char* kScriptPassword = "correct-horse-battery";

// What a script drives. Implementations forward to a whole App; all calls are synchronous.
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // One request through Api::handle. `client` carries the cookie and CSRF token (empty: none).
  virtual ApiResult request(const std::string& method, const std::string& target,
                            const std::string& body, const Client& client, bool send_csrf) = 0;
  // Closes and reopens the App on the same database; the clock keeps its time.
  [[nodiscard]] virtual Result<void> restart() = 0;
  virtual void advance_clock_us(Timestamp delta_us) = 0;
  // A staff user with password kScriptPassword, created by the system (not through the API).
  [[nodiscard]] virtual Result<void> create_user(const std::string& username,
                                                 const std::string& role) = 0;
  [[nodiscard]] virtual Result<audit::VerifyReport> verify_audit() = 0;
};

struct ScriptFailure {
  int line = 0;         // 1-based line of the record's command
  std::string message;  // "path:line: command", then expected and actual
};

struct ScriptRun {
  std::vector<ScriptFailure> failures;
  // With record = true: the script with every mismatching (or missing) expected block replaced
  // by the actual output. Blocks that matched are kept as written (so `${var}` in them stays).
  std::string recorded;
};

// Runs `text` (the contents of the script at `path`, used only in messages) against `host`.
ScriptRun run_script(ScriptHost& host, const std::string& path, const std::string& text,
                     bool record);

// The response as a script's expected output shows it: the status, then the body as 2-space
// pretty JSON in the server's key order with volatile values (see kVolatileKeys) shown as "*".
std::string render_response(const ApiResult& response);
std::string pretty_json(const boost::json::value& value);

}  // namespace civicdesk::testing
