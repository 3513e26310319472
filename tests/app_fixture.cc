#include "tests/app_fixture.h"

#include <cstdlib>

namespace civicdesk::testing {
namespace json = boost::json;

std::string source_dir() {
  const char* dir = std::getenv("CIVICDESK_SOURCE_DIR");
  return dir ? dir : ".";
}

std::string ApiResult::error_code() const {
  if (!body.is_object() || !body.as_object().contains("error")) return {};
  return std::string(body.at("error").at("code").as_string());
}

std::string ApiResult::error_field() const {
  if (!body.is_object() || !body.as_object().contains("error")) return {};
  return std::string(body.at("error").at("field").as_string());
}

std::string ApiResult::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

void AppTest::SetUp() {
  url_ = fresh_migrated_database_url(GetParam());
  ASSERT_FALSE(url_.empty());
  restart();
}

void AppTest::TearDown() {
  api_.reset();
  app_.reset();
}

void AppTest::restart() {
  // Read the time before the App (which owns the clock) goes away.
  Timestamp now = clock_ ? clock_->now_us() : kTestStartUs;
  api_.reset();
  app_.reset();
  auto clock = std::make_unique<ManualClock>(now);
  clock_ = clock.get();
  AppOptions o;
  o.db_url = url_;
  o.config_path = source_dir() + "/config/demo-city.yaml";
  o.web_root = source_dir() + "/web/dist";
  auto app = App::open(o, std::move(clock));
  ASSERT_TRUE(app) << app.error().message << " " << app.error().field;
  app_ = std::move(*app);
  api_ = std::make_unique<http::Api>(*app_);
}

std::int64_t AppTest::new_party(const std::string& first, const std::string& last) {
  customers::PartyInput p;
  p.first_name = first;
  p.last_name = last;
  std::vector<customers::DuplicateCandidate> dups;
  auto party = app_->parties().create(Actor::system(), p, true, dups);
  EXPECT_TRUE(party) << party.error().message;
  return party ? party->id.value : 0;
}

security::User AppTest::make_user(const std::string& role, std::string username) {
  if (username.empty()) username = role;
  auto u =
      app_->users().create(Actor::system("test"), {username, "Test " + username, role, kPassword});
  EXPECT_TRUE(u) << u.error().message;
  return u ? *u : security::User();
}

Client AppTest::sign_in(const std::string& username, const std::string& password) {
  json::object body{{"username", username}, {"password", password}};
  ApiResult r = call("POST", "/api/v1/session", json::serialize(body));
  EXPECT_EQ(r.status, 200) << r.raw;
  Client c;
  std::string set_cookie = r.header("Set-Cookie");
  c.cookie = set_cookie.substr(0, set_cookie.find(';'));
  if (r.body.is_object() && r.body.as_object().contains("csrf_token"))
    c.csrf = std::string(r.body.at("csrf_token").as_string());
  return c;
}

ApiResult AppTest::call(const std::string& method, const std::string& target,
                        const std::string& body, const Client* client, bool send_csrf,
                        const std::string& content_type) {
  http::Request req;
  req.method = method;
  req.target = target;
  EXPECT_TRUE(http::parse_target(target, req.path, req.query)) << target;
  req.body = body;
  req.client = "127.0.0.1";
  req.request_id = "test";
  if (!body.empty()) req.headers["Content-Type"] = content_type;
  if (client) {
    req.headers["Cookie"] = client->cookie;
    if (send_csrf) req.headers["X-CSRF-Token"] = client->csrf;
    if (!client->idempotency_key.empty()) req.headers["Idempotency-Key"] = client->idempotency_key;
  }
  http::Response resp = api_->handle(req);
  ApiResult out;
  out.status = resp.status;
  out.raw = resp.body;
  out.headers = resp.headers;
  boost::system::error_code ec;
  if (!resp.body.empty() && resp.content_type.starts_with("application/json"))
    out.body = json::parse(resp.body, ec);
  return out;
}

}  // namespace civicdesk::testing
