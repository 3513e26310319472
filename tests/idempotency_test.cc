// Idempotency-Key on money-moving routes: required; a retry replays the first answer byte for
// byte and posts nothing; another body under the same key is refused; a key left in flight by a
// dead process is taken over without posting twice.
#include <thread>

#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

class IdempotencyTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    make_user("csr2");
    csr2_ = sign_in("csr2");
    auto party = call("POST", "/api/v1/parties",
                      R"({"first_name":"Ida","last_name":"Empotent","confirm_duplicates":true})",
                      &csr2_);
    ASSERT_EQ(party.status, 201) << party.raw;
    party_ = party.body.at("id").as_int64();
    auto charge = post("/api/v1/obligations",
                       R"({"party_id":)" + std::to_string(party_) +
                           R"(,"kind":"utility_bill","description":"Bill","due_date":"2026-12-01",)"
                           R"("lines":[{"description":"Water","revenue_account":"4000-WATER","amount":"50.00"}]})",
                       "charge-1");
    ASSERT_EQ(charge.status, 201) << charge.raw;
  }
  ApiResult post(const std::string& path, const std::string& body, const std::string& key) {
    http::Request req;
    req.method = "POST";
    req.target = path;
    http::parse_target(path, req.path, req.query);
    req.body = body;
    req.client = "127.0.0.1";
    req.request_id = "t";
    req.headers["Content-Type"] = "application/json";
    req.headers["Cookie"] = csr2_.cookie;
    req.headers["X-CSRF-Token"] = csr2_.csrf;
    if (!key.empty()) req.headers["Idempotency-Key"] = key;
    http::Response resp = api_->handle(req);
    ApiResult out;
    out.status = resp.status;
    out.raw = resp.body;
    out.headers = resp.headers;
    boost::system::error_code ec;
    out.body = boost::json::parse(resp.body, ec);
    return out;
  }
  std::string payment(const std::string& amount) {
    return R"({"party_id":)" + std::to_string(party_) + R"(,"amount":")" + amount +
           R"(","tender":"cash","channel":"counter"})";
  }
  std::int64_t payments() {
    return app_->db()
        .read<std::int64_t>([](store::Connection& c) {
          return c.query_int("SELECT COUNT(*) FROM payments");
        })
        .value();
  }
  Client csr2_;
  std::int64_t party_ = 0;
};

TEST_P(IdempotencyTest, KeyIsRequired) {
  auto r = post("/api/v1/payments", payment("10.00"), "");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_field(), "Idempotency-Key");
  EXPECT_EQ(post("/api/v1/payments", payment("10.00"), std::string(256, 'k')).status, 400);
  EXPECT_EQ(post("/api/v1/payments", payment("10.00"), std::string(255, 'k')).status, 201);
}

TEST_P(IdempotencyTest, RetryReplaysTheFirstAnswerByteForByte) {
  auto first = post("/api/v1/payments", payment("10.00"), "pay-1");
  ASSERT_EQ(first.status, 201) << first.raw;
  clock_->advance_us(5 * kMicrosPerSecond);
  auto again = post("/api/v1/payments", payment("10.00"), "pay-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.raw, first.raw);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(payments(), 1);
}

TEST_P(IdempotencyTest, SameKeyDifferentBodyIsRefused) {
  ASSERT_EQ(post("/api/v1/payments", payment("10.00"), "pay-2").status, 201);
  auto other = post("/api/v1/payments", payment("11.00"), "pay-2");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.error_field(), "Idempotency-Key");
  EXPECT_EQ(payments(), 1);
}

TEST_P(IdempotencyTest, KeyInFlightOfADeadProcessIsTakenOverWithoutPostingTwice) {
  ASSERT_EQ(post("/api/v1/payments", payment("10.00"), "pay-3").status, 201);
  // Simulate a crash after the payment committed but before the answer was stored.
  auto c = app_->db().acquire();
  ASSERT_TRUE(c);
  ASSERT_TRUE((*c)->exec("UPDATE idempotency_keys SET status = 'in_flight', instance = 'dead', "
                         "response_body = NULL WHERE idem_key = 'pay-3'"));
  auto retry = post("/api/v1/payments", payment("10.00"), "pay-3");
  EXPECT_EQ(retry.status, 201) << retry.raw;
  EXPECT_EQ(payments(), 1);
}

TEST_P(IdempotencyTest, KeysAreScopedPerUser) {
  ASSERT_EQ(post("/api/v1/payments", payment("10.00"), "shared").status, 201);
  make_user("csr2", "csr2b");
  csr2_ = sign_in("csr2b");
  EXPECT_EQ(post("/api/v1/payments", payment("10.00"), "shared").status, 201);
  EXPECT_EQ(payments(), 2);
}

TEST_P(IdempotencyTest, ConcurrentRetriesPostOnce) {
  std::vector<int> statuses(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] { statuses[i] = post("/api/v1/payments", payment("5.00"), "race").status; });
  for (auto& t : threads) t.join();
  EXPECT_EQ(payments(), 1);
  for (int s : statuses) EXPECT_TRUE(s == 201 || s == 409) << s;
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(IdempotencyTest);

}  // namespace
}  // namespace civicdesk::testing
