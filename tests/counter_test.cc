// The counter end to end through the API, on SQLite and PostgreSQL: a whole day (open a drawer,
// cash with change, a split tender, a check, cards approved / declined / lost and reconciled, a
// void by a supervisor, the blind close with a shortage, the deposit prepared and closed by two
// people, a revolving-fund count), idempotent retries, receipts (JSON, PDF, ESC/POS, printed to
// a local TCP listener), the database refusing edits of a closed session, and a scan showing
// no card number in any table. Every scenario ends with `ledger check` and `audit verify`.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "audit/audit_log.h"
#include "cashiering/card_numbers.h"
#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {
namespace json = boost::json;

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}

class CounterTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto [name, role] : {std::pair{"csr2", "csr2"},
                              {"csr2b", "csr2"},
                              {"supervisor", "supervisor"},
                              {"finance", "finance"},
                              {"csr1", "csr1"}})
      users_[name] = make_user(role, name);
    ASSERT_TRUE(app_->counter().seed_demo(Actor::system("test")));
    ann_ = new_party("Ann", "Lee");
    bo_ = new_party("Bo", "Kim");
    water_ = charge(ann_, "utility_bill", 4237, "4000-WATER", "utility:1001");
    citation_ = charge(ann_, "citation", 2500, "4000-PARKING", "plate:CA:7ABC123");
    license_ = charge(bo_, "license", 1500, "4000-GENERAL", "license:DOG-77");
    water2_ = charge(ann_, "utility_bill", 9000, "4000-WATER", "utility:1001");
    for (auto name : {"csr2", "csr2b", "supervisor", "finance", "csr1"})
      clients_[name] = sign_in(name);
  }
  void TearDown() override {
    if (app_) {
      expect_books_agree();
      auto v = audit::verify(app_->db());
      ASSERT_TRUE(v);
      EXPECT_TRUE(v->ok) << v->problem;
      expect_no_card_number_stored();
    }
    AppTest::TearDown();
  }

  Actor as(const std::string& name) {
    const auto& u = users_.at(name);
    return Actor{u.id, u.username, u.role, "req", "127.0.0.1"};
  }
  std::int64_t charge(std::int64_t party, const std::string& kind, std::int64_t cents,
                      const std::string& account, const std::string& ref) {
    ledger::ChargeRequest r{party,
                            ref,
                            kind,
                            kind + " charge",
                            CivilDate{2026, 11, 1},
                            {{"Service", account, usd(cents), false}},
                            "",
                            ""};
    auto o = app_->ledger().charge(as("csr2"), r);
    EXPECT_TRUE(o) << o.error().message;
    return o ? o->id : 0;
  }
  std::int64_t balance(std::int64_t obligation) {
    return app_->ledger().obligation(obligation)->balance.cents();
  }
  std::int64_t account(const std::string& code) {
    return app_->db()
        .read<std::int64_t>([&](store::Connection& c) {
          return c.query_int(
              "SELECT COALESCE(SUM(debit_cents - credit_cents), 0) FROM "
              "account_balances WHERE account = ?",
              {code});
        })
        .value();
  }
  std::int64_t accounts_like(const std::string& prefix) {
    return app_->db()
        .read<std::int64_t>([&](store::Connection& c) {
          return c.query_int(
              "SELECT COALESCE(SUM(debit_cents - credit_cents), 0) FROM "
              "account_balances WHERE account LIKE ?",
              {prefix + "-%"});
        })
        .value();
  }
  std::int64_t count_rows(const std::string& sql) {
    return app_->db()
        .read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); })
        .value();
  }

  // A request as `who`, with an Idempotency-Key when `key` is not empty.
  ApiResult send(const std::string& method, const std::string& target, const std::string& body,
                 const std::string& who, const std::string& key = "") {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(target, req.path, req.query));
    req.body = body;
    req.client = "127.0.0.1";
    req.request_id = "t";
    if (!body.empty()) req.headers["Content-Type"] = "application/json";
    req.headers["Cookie"] = clients_.at(who).cookie;
    req.headers["X-CSRF-Token"] = clients_.at(who).csrf;
    if (!key.empty()) req.headers["Idempotency-Key"] = key;
    http::Response resp = api_->handle(req);
    ApiResult out;
    out.status = resp.status;
    out.raw = resp.body;
    out.headers = resp.headers;
    out.headers.emplace_back("Content-Type", resp.content_type);
    boost::system::error_code ec;
    if (resp.content_type.starts_with("application/json")) out.body = json::parse(resp.body, ec);
    return out;
  }
  std::string str(const ApiResult& r, const char* key) {
    return std::string(r.body.at(key).as_string());
  }

  // csr2 opens CH-1 with a $150.00 float.
  std::int64_t open_drawer(const std::string& who = "csr2", const std::string& drawer = "CH-1") {
    auto r = send("POST", "/api/v1/sessions",
                  R"({"drawer":")" + drawer + R"(","float":{"20":5,"5":4,"1":20,"0.25":40}})", who);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.status == 201 ? r.body.at("id").as_int64() : 0;
  }
  std::string item(std::int64_t party, std::int64_t obligation, const std::string& amount) {
    return R"({"party_id":)" + std::to_string(party) +
           (obligation ? R"(,"obligation_id":)" + std::to_string(obligation) : std::string()) +
           R"(,"amount":")" + amount + R"("})";
  }
  std::string cart(const std::vector<std::string>& items, const std::string& tenders) {
    std::string s = R"({"items":[)";
    for (std::size_t i = 0; i < items.size(); ++i) s += (i ? "," : "") + items[i];
    return s + "],\"tenders\":" + tenders + "}";
  }
  std::string card(const char* pan, const std::string& amount) {
    auto token = cashiering::SandboxGateway::tokenize(pan);
    EXPECT_TRUE(token);
    return R"({"kind":"card","amount":")" + amount + R"(","card_token":")" + *token + R"("})";
  }
  cashiering::SandboxGateway& sandbox() {
    return dynamic_cast<cashiering::SandboxGateway&>(app_->counter().gateway());
  }

  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }

  // No Luhn-valid 13–19 digit number in any text value of any table (digests, which are long
  // hex strings, are skipped: they are not card numbers and random hex can look like one).
  void expect_no_card_number_stored() {
    bool sqlite = app_->db().dialect() == store::Dialect::kSqlite;
    auto tables = app_->db().read<std::vector<std::string>>(
        [&](store::Connection& c) -> Result<std::vector<std::string>> {
          CD_ASSIGN(auto rows,
                    c.query(sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                     "name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%'"
                                   : "SELECT table_name FROM information_schema.tables WHERE "
                                     "table_schema = current_schema() AND table_type = 'BASE "
                                     "TABLE'"));
          std::vector<std::string> out;
          for (const auto& r : rows) out.push_back(r.text(0));
          return out;
        });
    ASSERT_TRUE(tables);
    int scanned = 0;
    for (const auto& t : *tables) {
      auto rows = app_->db().read<store::Rows>(
          [&](store::Connection& c) { return c.query("SELECT * FROM " + t); });
      ASSERT_TRUE(rows) << t << ": " << rows.error().message;
      for (const auto& row : *rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
          auto* s = std::get_if<std::string>(&row.value(i));
          if (!s || is_digest(*s)) continue;
          ++scanned;
          EXPECT_FALSE(cashiering::contains_card_number(*s)) << t << ": " << *s;
        }
    }
    EXPECT_GT(scanned, 100);
  }
  static bool is_digest(const std::string& s) {
    if (s.size() < 32) return false;
    for (char ch : s)
      if (!std::isxdigit(static_cast<unsigned char>(ch)) ||
          std::isupper(static_cast<unsigned char>(ch)))
        return false;
    return true;
  }

  std::map<std::string, security::User> users_;
  std::map<std::string, Client> clients_;
  std::int64_t ann_ = 0, bo_ = 0, water_ = 0, citation_ = 0, license_ = 0, water2_ = 0;
};

// A TCP listener on 127.0.0.1 standing in for the receipt printer on port 9100.
class FakePrinter {
 public:
  FakePrinter() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 1);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      char buf[4096];
      for (ssize_t n; (n = ::read(conn, buf, sizeof buf)) > 0;) received_.append(buf, n);
      ::close(conn);
    });
  }
  ~FakePrinter() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string wait_for_bytes() {
    thread_.join();
    return received_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string received_;
};

TEST_P(CounterTest, WholeDayAtTheCounter) {
  std::int64_t session = open_drawer();
  ASSERT_GT(session, 0);

  // Cash with change: a water bill and a citation for Ann, a dog license for Bo.
  auto first = send("POST", "/api/v1/counter/transactions",
                    cart({item(ann_, water_, "42.37"), item(ann_, citation_, "25.00"),
                          item(bo_, license_, "15.00")},
                         R"([{"kind":"cash","amount":"100.00"}])"),
                    "csr2", "day-1");
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_EQ(str(first, "receipt"), "CH-1-000001");
  EXPECT_EQ(str(first, "change_due"), "17.63");
  EXPECT_EQ(str(first, "tender"), "cash");
  EXPECT_EQ(first.body.at("payment_ids").as_array().size(), 2u);  // one per party
  for (const auto& it : first.body.at("items").as_array())
    EXPECT_EQ(it.at("balance_left").as_string(), "0.00");
  EXPECT_EQ(balance(water_), 0);
  EXPECT_EQ(balance(license_), 0);

  // A split tender (check + cash) paying part of the second bill; the check carries a MICR line.
  auto split =
      send("POST", "/api/v1/counter/transactions",
           cart({item(ann_, water2_, "80.00")},
                R"([{"kind":"check","amount":"50.00","check_number":"1042",)"
                R"("bank":"First Riverton Bank","payer":"Ann Lee",)"
                R"("micr":"C1042C A121000358A 0123456789C"},{"kind":"cash","amount":"40.00"}])"),
           "csr2", "day-2");
  ASSERT_EQ(split.status, 201) << split.raw;
  EXPECT_EQ(str(split, "receipt"), "CH-1-000002");
  EXPECT_EQ(str(split, "tender"), "split");
  EXPECT_EQ(str(split, "change_due"), "10.00");
  EXPECT_EQ(split.body.at("items").at(0).at("balance_left").as_string(), "10.00");

  // A card, approved; only brand and last 4 come back.
  auto paid_by_card =
      send("POST", "/api/v1/counter/transactions",
           cart({item(ann_, water2_, "10.00")}, "[" + card("4111111111111111", "10.00") + "]"),
           "csr2", "day-3");
  ASSERT_EQ(paid_by_card.status, 201) << paid_by_card.raw;
  const auto& t = paid_by_card.body.at("tenders").at(0);
  EXPECT_EQ(t.at("card_brand").as_string(), "visa");
  EXPECT_EQ(t.at("card_last4").as_string(), "1111");
  EXPECT_EQ(t.at("card_status").as_string(), "approved");
  EXPECT_EQ(balance(water2_), 0);

  // The cashier sees no running total; the supervisor does.
  auto mine = send("GET", "/api/v1/drawers", "", "csr2");
  ASSERT_EQ(mine.status, 200);
  for (const auto& d : mine.body.at("items").as_array())
    EXPECT_FALSE(d.as_object().contains("totals"));
  EXPECT_FALSE(
      send("GET", "/api/v1/counter/session", "", "csr2").body.as_object().contains("expected"));
  auto sup = send("GET", "/api/v1/drawers", "", "supervisor");
  const auto& ch1 = sup.body.at("items").at(0);
  EXPECT_EQ(ch1.at("code").as_string(), "CH-1");
  EXPECT_EQ(ch1.at("totals").at("expected_cash").as_string(), "262.37");  // 150 + 82.37 + 30

  // Void: refused for the cashier, done by the supervisor; what it paid reopens.
  EXPECT_EQ(send("POST",
                 "/api/v1/counter/transactions/" + std::to_string(first.body.at("id").as_int64()) +
                     "/void",
                 R"({"reason":"wrong account"})", "csr2", "v-1")
                .status,
            403);
  auto voided = send(
      "POST",
      "/api/v1/counter/transactions/" + std::to_string(first.body.at("id").as_int64()) + "/void",
      R"({"reason":"customer paid the wrong bill"})", "supervisor", "v-2");
  ASSERT_EQ(voided.status, 200) << voided.raw;
  EXPECT_EQ(str(voided, "status"), "voided");
  EXPECT_EQ(balance(water_), 4237);
  EXPECT_EQ(balance(license_), 1500);
  auto reprint = send("GET", "/api/v1/receipts/CH-1-000001", "", "csr2");
  ASSERT_EQ(reprint.status, 200);
  EXPECT_EQ(str(reprint, "status"), "voided");
  // Each line names the bill as the customer knows it, with its number.
  EXPECT_NE(reprint.raw.find("utility_bill charge #" + std::to_string(water_) + " (utility:1001)"),
            std::string::npos)
      << reprint.raw;

  // Blind close: the voided cash is still in the drawer, so it is $64.00 over. The count shows
  // the difference only after it is recorded, and cannot then be redone.
  auto counted = send("POST", "/api/v1/sessions/" + std::to_string(session) + "/count",
                      R"({"count":{"20":9,"10":1,"5":4,"1":24,"0.25":40}})", "csr2", "count-1");
  ASSERT_EQ(counted.status, 200) << counted.raw;  // 180 + 10 + 20 + 24 + 10 = 244
  EXPECT_FALSE(counted.body.at("closed").as_bool());
  EXPECT_TRUE(counted.body.at("needs_reason").as_bool());
  EXPECT_EQ(counted.body.at("session").at("expected").as_string(), "180.00");  // 150 + 30
  EXPECT_EQ(counted.body.at("session").at("over_short").as_string(), "64.00");
  EXPECT_EQ(send("POST", "/api/v1/sessions/" + std::to_string(session) + "/count",
                 R"({"count":{"20":9}})", "csr2", "count-2")
                .status,
            422);
  EXPECT_EQ(send("POST", "/api/v1/counter/transactions",
                 cart({item(ann_, water_, "1.00")}, R"([{"kind":"cash","amount":"1.00"}])"), "csr2",
                 "after-count")
                .status,
            422);
  auto no_reason = send("POST", "/api/v1/sessions/" + std::to_string(session) + "/close", "{}",
                        "csr2", "close-1");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.error_field(), "reason");
  auto closed = send("POST", "/api/v1/sessions/" + std::to_string(session) + "/close",
                     R"({"reason":"voided cash not returned to customer yet"})", "csr2", "close-2");
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(str(closed, "status"), "closed");

  // After close, a void is refused and the cashier is sent to the ledger's workflows.
  auto late = send(
      "POST",
      "/api/v1/counter/transactions/" + std::to_string(split.body.at("id").as_int64()) + "/void",
      R"({"reason":"late"})", "supervisor", "v-3");
  EXPECT_EQ(late.status, 422);
  EXPECT_NE(late.raw.find("refund"), std::string::npos);

  // Cash in drawers is empty again; the receipts and the overage wait in undeposited funds.
  EXPECT_EQ(accounts_like("1010"), 0);
  EXPECT_EQ(account("6200-GENERAL"), -6400);  // over: a credit to cash over/short
  EXPECT_EQ(accounts_like("1020"), 8000 + 1000 + 6400);

  // The deposit slip: currency and coin (counted less float), the check listed, the card.
  auto ready = send("GET", "/api/v1/deposits", "", "supervisor");
  ASSERT_EQ(ready.status, 200) << ready.raw;
  const auto& slip = ready.body.at("ready").at(0);
  EXPECT_EQ(slip.at("bank_account").as_string(), "OPERATING");
  EXPECT_EQ(slip.at("currency").as_string(), "94.00");
  EXPECT_EQ(slip.at("coin").as_string(), "0.00");
  EXPECT_EQ(slip.at("checks").at(0).at("number").as_string(), "1042");
  EXPECT_EQ(slip.at("checks_total").as_string(), "50.00");
  EXPECT_EQ(slip.at("electronic").as_string(), "10.00");
  EXPECT_EQ(slip.at("total").as_string(), "154.00");
  auto prepared = send("POST", "/api/v1/deposits", R"({"bank_account":"OPERATING"})", "supervisor");
  ASSERT_EQ(prepared.status, 201) << prepared.raw;
  std::string deposit = "/api/v1/deposits/" + std::to_string(prepared.body.at("id").as_int64());
  auto same_person =
      send("POST", deposit + "/close", R"({"bank_reference":"DEP-88123"})", "supervisor", "dep-1");
  EXPECT_EQ(same_person.status, 403);
  auto dual =
      send("POST", deposit + "/close", R"({"bank_reference":"DEP-88123"})", "finance", "dep-2");
  ASSERT_EQ(dual.status, 200) << dual.raw;
  EXPECT_EQ(str(dual, "status"), "closed");
  EXPECT_EQ(str(dual, "bank_reference"), "DEP-88123");
  EXPECT_EQ(accounts_like("1020"), 0);
  EXPECT_EQ(accounts_like("1030"), 15400);
  EXPECT_EQ(
      send("POST", "/api/v1/deposits", R"({"bank_account":"OPERATING"})", "supervisor").status,
      422);  // nothing left to deposit

  // End-of-day reports.
  auto bal = send("GET", "/api/v1/reports/balancing?date=2026-11-26", "", "finance");
  ASSERT_EQ(bal.status, 200) << bal.raw;
  const auto& office = bal.body.at("offices").at(0);
  EXPECT_EQ(office.at("office").as_string(), "City Hall");
  EXPECT_EQ(office.at("totals").at("by_tender").at("check").as_string(), "50.00");
  EXPECT_EQ(office.at("totals").at("by_tender").at("card").as_string(), "10.00");
  EXPECT_EQ(office.at("totals").at("over_short").as_string(), "64.00");
  auto daily = send("GET", "/api/v1/reports/daily-receipts?date=2026-11-26", "", "finance");
  ASSERT_EQ(daily.status, 200) << daily.raw;
  EXPECT_EQ(str(daily, "received"), "172.37");  // 82.37 + 80 + 10
  EXPECT_EQ(str(daily, "voided"), "82.37");
  EXPECT_EQ(str(daily, "net"), "90.00");
  EXPECT_EQ(send("GET", "/api/v1/reports/daily-receipts", "", "csr2").status, 403);
}

// A drawer counted below its float: the deposit slip carries no negative cash; the part of the
// float not returned leaves the change fund (1040) and the books still equal the bank's deposit.
TEST_P(CounterTest, ADrawerCountedBelowItsFloatDepositsOnlyItsChecks) {
  std::int64_t session = open_drawer();  // float $150.00
  ASSERT_GT(session, 0);
  auto by_check = send("POST", "/api/v1/counter/transactions",
                       cart({item(ann_, water2_, "50.00")},
                            R"([{"kind":"check","amount":"50.00","check_number":"2001",)"
                            R"("bank":"First Riverton Bank","payer":"Ann Lee"}])"),
                       "csr2", "short-1");
  ASSERT_EQ(by_check.status, 201) << by_check.raw;
  auto in_cash = send("POST", "/api/v1/counter/transactions",
                      cart({item(bo_, license_, "15.00")}, R"([{"kind":"cash","amount":"15.00"}])"),
                      "csr2", "short-2");
  ASSERT_EQ(in_cash.status, 201) << in_cash.raw;
  // Expected cash $165.00 (float + $15); counted $140.00: $25.00 short, $10.00 of it the float's.
  auto counted = send("POST", "/api/v1/sessions/" + std::to_string(session) + "/count",
                      R"({"count":{"20":5,"5":2,"1":20,"0.25":40}})", "csr2", "short-count");
  ASSERT_EQ(counted.status, 200) << counted.raw;
  EXPECT_EQ(counted.body.at("session").at("over_short").as_string(), "-25.00");
  auto closed = send("POST", "/api/v1/sessions/" + std::to_string(session) + "/close",
                     R"({"reason":"miscounted change"})", "csr2", "short-close");
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(account("6200-GENERAL"), 2500);   // the shortage, an expense
  EXPECT_EQ(account("1040-GENERAL"), -1000);  // the float not returned, for replenishment
  EXPECT_EQ(accounts_like("1010"), 0);
  EXPECT_EQ(accounts_like("1020"), 5000);  // the check: what the bank will get

  auto ready = send("GET", "/api/v1/deposits", "", "supervisor");
  ASSERT_EQ(ready.status, 200) << ready.raw;
  const auto& slip = ready.body.at("ready").at(0);
  EXPECT_EQ(slip.at("currency").as_string(), "0.00");
  EXPECT_EQ(slip.at("coin").as_string(), "0.00");
  EXPECT_EQ(slip.at("checks_total").as_string(), "50.00");
  EXPECT_EQ(slip.at("total").as_string(), "50.00");
  auto prepared = send("POST", "/api/v1/deposits", R"({"bank_account":"OPERATING"})", "supervisor");
  ASSERT_EQ(prepared.status, 201) << prepared.raw;
  auto done = send(
      "POST", "/api/v1/deposits/" + std::to_string(prepared.body.at("id").as_int64()) + "/close",
      R"({"bank_reference":"DEP-2001"})", "finance", "short-dep");
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(accounts_like("1020"), 0);
  EXPECT_EQ(accounts_like("1030"), 5000);
}

TEST_P(CounterTest, RetriesWithTheSameKeyPostOnce) {
  open_drawer();
  std::string body = cart({item(ann_, water_, "42.37")}, R"([{"kind":"cash","amount":"50.00"}])");
  auto first = send("POST", "/api/v1/counter/transactions", body, "csr2", "same");
  ASSERT_EQ(first.status, 201) << first.raw;
  auto again = send("POST", "/api/v1/counter/transactions", body, "csr2", "same");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.raw, first.raw);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(send("POST", "/api/v1/counter/transactions", body, "csr2", "").status, 400);
  EXPECT_EQ(send("POST", "/api/v1/counter/transactions",
                 cart({item(ann_, water_, "1.00")}, R"([{"kind":"cash","amount":"1.00"}])"), "csr2",
                 "same")
                .status,
            422);
  // Below the HTTP layer (a key left in flight by a crashed process): the service replays.
  cashiering::CounterRequest r{
      {{ann_, citation_, usd(2500)}}, {{.kind = "cash", .amount = usd(2500)}}, "", "svc-key"};
  auto a = app_->counter().transact(as("csr2"), r);
  auto b = app_->counter().transact(as("csr2"), r);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->replayed);
  EXPECT_TRUE(b->replayed);
  EXPECT_EQ(a->receipt, b->receipt);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM counter_transactions"), 2);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM payments"), 2);
  EXPECT_EQ(count_rows("SELECT next_receipt FROM drawers WHERE code = 'CH-1'"), 3);
}

TEST_P(CounterTest, CardsApprovedDeclinedAndLostAreNeverGuessed) {
  std::int64_t session = open_drawer();
  auto declined =
      send("POST", "/api/v1/counter/transactions",
           cart({item(ann_, water_, "42.37")}, "[" + card("4000000000000002", "42.37") + "]"),
           "csr2", "c-1");
  EXPECT_EQ(declined.status, 422);
  EXPECT_EQ(declined.body.at("error").at("details").at("transaction").at("status").as_string(),
            "declined");
  EXPECT_EQ(balance(water_), 4237);
  // The answer is lost: the payment is unknown, nothing posted, no receipt, the count waits.
  auto lost =
      send("POST", "/api/v1/counter/transactions",
           cart({item(ann_, water_, "42.37")}, "[" + card("4000000000009995", "42.37") + "]"),
           "csr2", "c-2");
  ASSERT_EQ(lost.status, 202) << lost.raw;
  EXPECT_EQ(str(lost, "status"), "card_unknown");
  EXPECT_TRUE(lost.body.at("receipt").is_null());
  EXPECT_EQ(balance(water_), 4237);
  auto lost2 =
      send("POST", "/api/v1/counter/transactions",
           cart({item(ann_, citation_, "25.00")}, "[" + card("4000000000000119", "25.00") + "]"),
           "csr2", "c-3");
  ASSERT_EQ(lost2.status, 202) << lost2.raw;
  EXPECT_EQ(send("POST", "/api/v1/sessions/" + std::to_string(session) + "/count",
                 R"({"count":{"20":5,"5":4,"1":20,"0.25":40}})", "csr2", "k-1")
                .status,
            422);
  // The gateway is still down: the reconciler leaves both unknown.
  sandbox().set_reachable(false);
  auto still = send("POST", "/api/v1/counter/reconcile", "{}", "supervisor", "r-1");
  ASSERT_EQ(still.status, 200) << still.raw;
  EXPECT_EQ(still.body.at("still_unknown").as_int64(), 2);
  sandbox().set_reachable(true);
  auto resolved = send("POST", "/api/v1/counter/reconcile", "{}", "supervisor", "r-2");
  ASSERT_EQ(resolved.status, 200) << resolved.raw;
  EXPECT_EQ(resolved.body.at("approved").as_int64(), 1);
  EXPECT_EQ(resolved.body.at("declined").as_int64(), 1);
  EXPECT_EQ(balance(water_), 0);        // the lost answer was an approval: posted now
  EXPECT_EQ(balance(citation_), 2500);  // the other never went through
  auto txn =
      send("GET", "/api/v1/counter/transactions/" + std::to_string(lost.body.at("id").as_int64()),
           "", "csr2");
  EXPECT_EQ(str(txn, "status"), "posted");
  EXPECT_EQ(str(txn, "receipt"), "CH-1-000001");  // declined and unknown used no number
  std::string reference =
      "civicdesk:counter:" + std::to_string(users_["csr2"].id.value) + ":c-2:card";
  EXPECT_EQ(sandbox().charges_seen(reference), 1);
  // Balanced count with no card left unknown closes at once.
  auto count = send("POST", "/api/v1/sessions/" + std::to_string(session) + "/count",
                    R"({"count":{"20":5,"5":4,"1":20,"0.25":40}})", "csr2", "k-2");
  ASSERT_EQ(count.status, 200) << count.raw;
  EXPECT_TRUE(count.body.at("closed").as_bool());
  // A card number typed where a token goes is refused, and never stored.
  auto typed =
      send("POST", "/api/v1/counter/transactions",
           cart({item(ann_, citation_, "25.00")},
                R"([{"kind":"card","amount":"25.00","card_token":"4111 1111 1111 1111"}])"),
           "csr2", "c-4");
  EXPECT_EQ(typed.status, 400);
  EXPECT_EQ(typed.error_field(), "tenders[0].card_token");
  // The sandbox terminal turns a test card into a token the counter takes; the number is gone.
  auto terminal = send("POST", "/api/v1/counter/card-terminal",
                       R"({"card_number":"5555 5555 5555 4444"})", "csr2", "");
  ASSERT_EQ(terminal.status, 200) << terminal.raw;
  EXPECT_EQ(str(terminal, "card_brand"), "mastercard");
  EXPECT_EQ(str(terminal, "card_last4"), "4444");
  EXPECT_FALSE(cashiering::contains_card_number(terminal.raw));
  auto bad = send("POST", "/api/v1/counter/card-terminal", R"({"card_number":"4111111111111112"})",
                  "csr2", "");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "card_number");
  EXPECT_EQ(send("POST", "/api/v1/counter/card-terminal", R"({"card_number":"4111111111111111"})",
                 "finance", "")
                .status,
            403);
}

TEST_P(CounterTest, VoidNeedsASupervisorWhoIsNotTheCashier) {
  std::int64_t session = open_drawer("supervisor", "CH-2");
  auto own = send("POST", "/api/v1/counter/transactions",
                  cart({item(ann_, water_, "42.37")}, R"([{"kind":"cash","amount":"42.37"}])"),
                  "supervisor", "s-1");
  ASSERT_EQ(own.status, 201) << own.raw;
  EXPECT_EQ(str(own, "receipt"), "CH-2-000001");
  std::string path = "/api/v1/counter/transactions/" + std::to_string(own.body.at("id").as_int64());
  auto self = send("POST", path + "/void", R"({"reason":"mine"})", "supervisor", "s-2");
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(send("POST", path + "/void", "{}", "supervisor", "s-3").status, 400);  // a reason
  // A different cashier is not a supervisor either.
  EXPECT_EQ(send("POST", path + "/void", R"({"reason":"x"})", "csr2b", "s-4").status, 403);
  EXPECT_EQ(balance(water_), 0);
  // The session's transactions, for the supervisor's void screen; not for another cashier.
  std::string list = "/api/v1/sessions/" + std::to_string(session) + "/transactions";
  auto listed = send("GET", list, "", "supervisor");
  ASSERT_EQ(listed.status, 200) << listed.raw;
  ASSERT_EQ(listed.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.body.at("items").at(0).at("receipt").as_string(), "CH-2-000001");
  EXPECT_EQ(listed.body.at("items").at(0).at("status").as_string(), "posted");
  EXPECT_EQ(send("GET", list, "", "csr2b").status, 403);
  EXPECT_EQ(send("GET", "/api/v1/sessions/999999/transactions", "", "supervisor").status, 404);
}

TEST_P(CounterTest, CashOnlyCustomersPayInCashAndRefusalsUseNoReceiptNumber) {
  open_drawer();
  ASSERT_TRUE(app_->db().write<void>([&](store::Connection& c) -> Result<void> {
    CD_TRY(c.exec("UPDATE parties SET flags = 'cash-only' WHERE id = ?", {bo_}));
    return {};
  }));
  auto check = send("POST", "/api/v1/counter/transactions",
                    cart({item(bo_, license_, "15.00")},
                         R"([{"kind":"check","amount":"15.00","check_number":"77"}])"),
                    "csr2", "co-1");
  EXPECT_EQ(check.status, 422);
  EXPECT_EQ(check.error_field(), "tenders[0].kind");
  auto short_cash =
      send("POST", "/api/v1/counter/transactions",
           cart({item(bo_, license_, "15.00")}, R"([{"kind":"cash","amount":"14.99"}])"), "csr2",
           "co-2");
  EXPECT_EQ(short_cash.status, 400);
  auto cash = send("POST", "/api/v1/counter/transactions",
                   cart({item(bo_, license_, "15.00")}, R"([{"kind":"cash","amount":"20.00"}])"),
                   "csr2", "co-3");
  ASSERT_EQ(cash.status, 201) << cash.raw;
  EXPECT_EQ(str(cash, "receipt"), "CH-1-000001");
  EXPECT_EQ(str(cash, "change_due"), "5.00");
  // No session for csr2b: refused.
  EXPECT_EQ(send("POST", "/api/v1/counter/transactions",
                 cart({item(ann_, water_, "1.00")}, R"([{"kind":"cash","amount":"1.00"}])"),
                 "csr2b", "co-4")
                .status,
            422);
}

TEST_P(CounterTest, OneOpenSessionPerDrawerAndPerCashierAndClosedSessionsAreImmutable) {
  std::int64_t session = open_drawer();
  auto taken = send("POST", "/api/v1/sessions", R"({"drawer":"CH-1","float":{"20":1}})", "csr2b");
  EXPECT_EQ(taken.status, 409);
  auto twice = send("POST", "/api/v1/sessions", R"({"drawer":"CH-2","float":{"20":1}})", "csr2");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(send("POST", "/api/v1/sessions", R"({"drawer":"CH-2","float":{"3":1}})", "csr2b")
                .error_field(),
            "float.3");
  // Another cashier may not count this drawer.
  EXPECT_EQ(send("POST", "/api/v1/sessions/" + std::to_string(session) + "/count",
                 R"({"count":{"20":5}})", "csr2b", "x-1")
                .status,
            403);
  auto closed = send("POST", "/api/v1/sessions/" + std::to_string(session) + "/count",
                     R"({"count":{"20":5,"5":4,"1":20,"0.25":40}})", "csr2", "x-2");
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_TRUE(closed.body.at("closed").as_bool());
  // The database itself refuses to edit or delete a closed session.
  auto edit = app_->db().write<void>([&](store::Connection& c) -> Result<void> {
    CD_TRY(c.exec("UPDATE cashier_sessions SET float_cents = 0 WHERE id = ?", {session}));
    return {};
  });
  EXPECT_FALSE(edit);
  auto del = app_->db().write<void>([&](store::Connection& c) -> Result<void> {
    CD_TRY(c.exec("DELETE FROM cashier_sessions WHERE id = ?", {session}));
    return {};
  });
  EXPECT_FALSE(del);
  // The drawer is free again.
  EXPECT_EQ(
      send("POST", "/api/v1/sessions", R"({"drawer":"CH-1","float":{"20":1}})", "csr2b").status,
      201);
}

TEST_P(CounterTest, ReceiptsAsJsonPdfEscPosAndPrinted) {
  open_drawer();
  auto paid = send("POST", "/api/v1/counter/transactions",
                   cart({item(ann_, water2_, "50.00"), item(bo_, 0, "5.00")},
                        R"([{"kind":"cash","amount":"60.00"}])"),
                   "csr2", "p-1");
  ASSERT_EQ(paid.status, 201) << paid.raw;
  auto j = send("GET", "/api/v1/receipts/1?drawer=CH-1", "", "csr1");
  ASSERT_EQ(j.status, 200) << j.raw;
  EXPECT_EQ(str(j, "receipt"), "CH-1-000001");
  EXPECT_EQ(j.body.at("items").at(0).at("balance_left").as_string(), "40.00");
  EXPECT_EQ(j.body.at("items").at(1).at("description").as_string(), "On account");
  EXPECT_EQ(str(j, "change_due"), "5.00");
  auto pdf = send("GET", "/api/v1/receipts/CH-1-000001?format=pdf", "", "csr2");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.raw.substr(0, 5), "%PDF-");
  auto escpos = send("GET", "/api/v1/receipts/CH-1-000001?format=escpos", "", "csr2");
  ASSERT_EQ(escpos.status, 200);
  std::string kick{'\x1b', 'p', 0, 25, static_cast<char>(250)};
  EXPECT_TRUE(escpos.raw.ends_with(kick));
  EXPECT_EQ(send("GET", "/api/v1/receipts/CH-1-000009", "", "csr2").status, 404);
  EXPECT_EQ(send("GET", "/api/v1/receipts/CH-1-000001?format=txt", "", "csr2").status, 400);
  // No printer set yet; then a local listener stands in for the printer on port 9100.
  EXPECT_EQ(send("POST", "/api/v1/receipts/CH-1-000001/print", "{}", "csr2").status, 422);
  FakePrinter printer;
  auto set = send("PATCH", "/api/v1/drawers/CH-1", R"({"printer":")" + printer.address() + R"("})",
                  "supervisor");
  ASSERT_EQ(set.status, 200) << set.raw;
  auto printed = send("POST", "/api/v1/receipts/CH-1-000001/print", "{}", "csr2");
  ASSERT_EQ(printed.status, 200) << printed.raw;
  std::string bytes = printer.wait_for_bytes();
  EXPECT_EQ(bytes, escpos.raw);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM receipt_prints"), 1);
}

TEST_P(CounterTest, RevolvingFundCountReconcilesToTheAuthorizedAmount) {
  auto funds = send("GET", "/api/v1/revolving-funds", "", "supervisor");
  ASSERT_EQ(funds.status, 200) << funds.raw;
  ASSERT_EQ(funds.body.at("items").as_array().size(), 2u);
  std::int64_t petty = 0;
  for (const auto& f : funds.body.at("items").as_array())
    if (f.at("code").as_string() == "PETTY-CH") petty = f.at("id").as_int64();
  std::string path = "/api/v1/revolving-funds/" + std::to_string(petty);
  auto ok = send("POST", path + "/counts",
                 R"({"count":{"20":10},"receipts":[{"description":"Postage","amount":"32.00"},)"
                 R"({"description":"Coffee for volunteers","amount":"18.00"}]})",
                 "supervisor");
  ASSERT_EQ(ok.status, 201) << ok.raw;
  EXPECT_TRUE(ok.body.at("balanced").as_bool());
  auto off = send("POST", path + "/counts",
                  R"({"count":{"20":9},"receipts":[{"description":"Postage","amount":"32.00"}]})",
                  "supervisor");
  ASSERT_EQ(off.status, 201) << off.raw;
  EXPECT_FALSE(off.body.at("balanced").as_bool());
  EXPECT_EQ(str(off, "difference"), "-38.00");
  // Not the custodian and not a supervisor: refused.
  EXPECT_EQ(send("POST", path + "/counts", R"({"count":{"20":10}})", "csr2").status, 403);
  auto rep = send("POST", path + "/replenishments", R"({"note":"weekly"})", "supervisor");
  ASSERT_EQ(rep.status, 201) << rep.raw;
  EXPECT_EQ(str(rep, "amount"), "32.00");
  auto made =
      send("POST", "/api/v1/revolving-funds",
           R"({"code":"CHANGE-UO","name":"Utility office change fund","kind":"change_fund",)"
           R"("custodian":"csr2","authorized_amount":"300.00"})",
           "finance");
  ASSERT_EQ(made.status, 201) << made.raw;
  // The custodian counts their own fund.
  auto own =
      send("POST",
           "/api/v1/revolving-funds/" + std::to_string(made.body.at("id").as_int64()) + "/counts",
           R"({"count":{"20":15}})", "csr2");
  EXPECT_EQ(own.status, 201) << own.raw;
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(CounterTest);

}  // namespace
}  // namespace civicdesk::testing
