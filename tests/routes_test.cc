// Deny by default, checked over the whole route table: every route that is not on the reviewed
// public list answers 401 without a session, 403 to a role without its permission, and 403 to a
// state-changing request without the CSRF token.
#include <set>

#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

class RoutesTest : public AppTest {};

// Replace {param} segments with a plausible value so the path matches its route.
std::string concrete(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += "1";
      i = pattern.find('}', i);
    } else {
      out += pattern[i];
    }
  }
  return out;
}

bool changes_state(const std::string& m) { return m != "GET" && m != "HEAD"; }

TEST_P(RoutesTest, PublicRoutesAreExactlyTheReviewedList) {
  std::set<std::string> public_routes;
  for (const auto& r : api_->router().routes())
    if (r.access == http::Access::kPublic) public_routes.insert(r.method + " " + r.pattern);
  EXPECT_EQ(public_routes, (std::set<std::string>{"GET /api/v1/health", "GET /api/v1/city",
                                                  "POST /api/v1/session"}));
}

TEST_P(RoutesTest, EveryProtectedRouteRefusesWithoutSession) {
  for (const auto& r : api_->router().routes()) {
    if (r.access == http::Access::kPublic) continue;
    auto res = call(r.method, concrete(r.pattern), changes_state(r.method) ? "{}" : "");
    EXPECT_EQ(res.status, 401) << r.method << " " << r.pattern;
    EXPECT_EQ(res.error_code(), "unauthenticated") << r.method << " " << r.pattern;
  }
}

TEST_P(RoutesTest, EveryPermissionRouteRefusesRolesWithoutIt) {
  std::map<std::string, Client> clients;
  for (const auto& role : app_->city().roles) {
    make_user(role.name);
    clients[role.name] = sign_in(role.name);
  }
  int checked = 0;
  for (const auto& r : api_->router().routes()) {
    if (r.access != http::Access::kPermission) continue;
    for (const auto& role : app_->city().roles) {
      if (http::permits(role.permissions, r.permission)) continue;
      auto res = call(r.method, concrete(r.pattern), changes_state(r.method) ? "{}" : "",
                      &clients[role.name]);
      EXPECT_EQ(res.status, 403) << role.name << " " << r.method << " " << r.pattern;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_P(RoutesTest, StateChangingRoutesNeedTheCsrfToken) {
  make_user("admin");
  Client admin = sign_in("admin");
  for (const auto& r : api_->router().routes()) {
    if (r.access == http::Access::kPublic || !changes_state(r.method)) continue;
    if (r.access == http::Access::kPermission &&
        !http::permits(app_->city().role("admin")->permissions, r.permission))
      continue;
    auto res = call(r.method, concrete(r.pattern), "{}", &admin, /*send_csrf=*/false);
    EXPECT_EQ(res.status, 403) << r.method << " " << r.pattern;
    EXPECT_EQ(res.error_field(), "X-CSRF-Token") << r.method << " " << r.pattern;
  }
}

TEST_P(RoutesTest, UnknownRouteIs404AndWrongMethodIs405) {
  EXPECT_EQ(call("GET", "/api/v1/nothing-here").status, 404);
  EXPECT_EQ(call("PUT", "/api/v1/health").status, 405);
}

TEST_P(RoutesTest, ErrorsHaveTheStableShapeAndARequestId) {
  auto res = call("GET", "/api/v1/parties");
  ASSERT_TRUE(res.body.is_object());
  const auto& err = res.body.at("error").as_object();
  EXPECT_TRUE(err.contains("code"));
  EXPECT_TRUE(err.contains("message"));
  EXPECT_TRUE(err.contains("field"));
  EXPECT_EQ(res.header("X-Request-Id"), "test");
  EXPECT_EQ(res.header("Cache-Control"), "no-store");
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(RoutesTest);

}  // namespace
}  // namespace civicdesk::testing
