// A whole civicdesk (App + Api) on a fresh database of one backend, with a manual clock, for
// service-level and API-level tests. Parameterize by backend with
// CIVICDESK_INSTANTIATE_FOR_BACKENDS(YourFixture) where YourFixture derives from AppTest.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "app/app.h"
#include "http/api.h"
#include "tests/test_db.h"

namespace civicdesk::testing {

// 2026-11-26 16:00:00 UTC (08:00 in Riverton).
inline constexpr Timestamp kTestStartUs = 1'795'708'800LL * kMicrosPerSecond;

std::string source_dir();

struct ApiResult {
  int status = 0;
  boost::json::value body;  // null when the body is empty or not JSON
  std::string raw;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string error_code() const;   // body.error.code or ""
  std::string error_field() const;  // body.error.field or ""
  std::string header(const std::string& name) const;
};

// A signed-in API client (cookie + CSRF token), talking to Api::handle in-process.
struct Client {
  std::string cookie;  // "civicdesk_session=..."
  std::string csrf;
  std::string idempotency_key;  // sent as Idempotency-Key when set
};

class AppTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Closes and reopens the App on the same database (the script tests' `restart`).
  void restart();

  // Creates a user with the role (username = role unless given) and password kPassword.
  security::User make_user(const std::string& role, std::string username = "");
  // Creates a person (duplicates allowed); 0 and a test failure when refused.
  std::int64_t new_party(const std::string& first, const std::string& last);
  // Signs in through the API; fails the test if refused.
  Client sign_in(const std::string& username, const std::string& password = kPassword);
  ApiResult call(const std::string& method, const std::string& target, const std::string& body = "",
                 const Client* client = nullptr, bool send_csrf = true,
                 const std::string& content_type = "application/json");

  static constexpr const char* kPassword = "correct-horse-battery";
  std::string url_;
  ManualClock* clock_ = nullptr;
  std::unique_ptr<App> app_;
  std::unique_ptr<http::Api> api_;
};

}  // namespace civicdesk::testing
