// Concurrency: several staff posting to the same customer at once, on SQLite and PostgreSQL.
//
//   SameCustomerPaymentsNeverOverApply   kThreads threads x kPaymentsPerThread payments through
//       Ledger::pay, all on one customer's obligations (more money than is owed, so the last
//       ones become credit): every payment = its allocations + its unapplied credit, no charge
//       line is over-applied, each line's balance = its amount - what the journal applied.
//   SameCustomerPaymentsThroughTheApi    the same through Api::handle (distinct Idempotency-Keys,
//       one signed-in session per thread): every 201 is one payment, nothing else posts.
//   TransfersBetweenTwoCustomersConserveTheTotal   the Jepsen bank test: threads move payments
//       back and forth between two customers (Ledger::transfer) while racing each other for the
//       same payments: what was paid is conserved across the two, each payment moves at most
//       once, and `ledger check` agrees.
//
// PostgreSQL writes run SERIALIZABLE and are retried a bounded number of times (store/db.h);
// a write that still loses is reported as an error and must have posted nothing, which the
// totals check.
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

constexpr int kThreads = 4;
constexpr int kPaymentsPerThread = 50;
constexpr int kObligations = 40;
constexpr int kTransfersPerThread = 25;

// PostgreSQL: a writer that lost kMaxTransactionAttempts serialization races in a row is told
// so (store/db.h) — allowed, as long as it posted nothing.
bool stayed_busy(const std::string& message) {
  return message.find("stayed busy") != std::string::npos;
}

class LedgerConcurrencyTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    party_ = new_party("Connie", "Current");
  }
  Actor staff(int n) const {
    return Actor{UserId{100 + n}, "clerk" + std::to_string(n), "csr3", "req", "127.0.0.1"};
  }
  // kObligations obligations of $10.00 .. $49.00 in two funds; returns the total owed.
  std::int64_t charge_obligations(std::int64_t party) {
    std::int64_t total = 0;
    for (int i = 0; i < kObligations; ++i) {
      std::int64_t cents = 1000 + (i % 40) * 100;
      ledger::ChargeRequest r{
          party,
          "",
          i % 2 ? "utility_bill" : "citation",
          "Charge",
          CivilDate{2026, 10, 1 + i % 28},
          {{"Service", i % 2 ? "4000-WATER" : "4000-PARKING", Money::from_cents(cents), false}},
          "",
          ""};
      auto o = app_->ledger().charge(staff(0), r);
      EXPECT_TRUE(o) << o.error().message;
      total += cents;
    }
    return total;
  }
  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }
  template <class T>
  T read(const std::string& sql) {
    return app_->db()
        .read<T>([&](store::Connection& c) -> Result<T> {
          if constexpr (std::is_same_v<T, std::int64_t>)
            return c.query_int(sql);
          else
            return c.query(sql);
        })
        .value();
  }
  // Every payment = what the journal says it applied + its unapplied credit; no line below 0;
  // each line's balance = amount - applied (payments are the only thing moving them here).
  void expect_payments_add_up(std::int64_t paid_total) {
    EXPECT_EQ(read<std::int64_t>("SELECT COALESCE(SUM(amount_cents), 0) FROM payments"),
              paid_total);
    auto mismatched = read<store::Rows>(
        "SELECT p.id, p.amount_cents, p.unapplied_cents, COALESCE((SELECT SUM(credit_cents) - "
        "SUM(debit_cents) FROM journal_lines l WHERE l.payment_id = p.id AND l.account LIKE "
        "'1200-%'), 0) FROM payments p");
    for (const auto& r : mismatched)
      EXPECT_EQ(r.integer(1), r.integer(2) + r.integer(3))
          << "payment " << r.integer(0) << ": amount " << r.integer(1) << " but unapplied "
          << r.integer(2) << " + applied " << r.integer(3);
    EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM charge_lines WHERE balance_cents < 0"), 0)
        << "over-applied charge lines";
    auto lines = read<store::Rows>(
        "SELECT c.id, c.amount_cents, c.balance_cents, COALESCE((SELECT SUM(credit_cents) - "
        "SUM(debit_cents) FROM journal_lines l WHERE l.charge_line_id = c.id AND l.payment_id "
        "IS NOT NULL AND l.account LIKE '1200-%'), 0) FROM charge_lines c");
    for (const auto& r : lines)
      EXPECT_EQ(r.integer(1) - r.integer(2), r.integer(3)) << "charge line " << r.integer(0);
    expect_books_agree();
  }

  std::int64_t party_ = 0;
};

TEST_P(LedgerConcurrencyTest, SameCustomerPaymentsNeverOverApply) {
  std::int64_t owed = charge_obligations(party_);
  std::atomic<std::int64_t> posted_cents{0}, applied_cents{0}, unapplied_cents{0};
  std::atomic<int> posted{0}, busy{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(1000 + t);
      for (int i = 0; i < kPaymentsPerThread; ++i) {
        // $1.00 .. $20.00: in total more than is owed, so later payments leave credit.
        std::int64_t cents = 100 + static_cast<std::int64_t>(rng() % 1901);
        ledger::PaymentRequest r{party_,
                                 Money::from_cents(cents),
                                 "cash",
                                 "counter",
                                 "",
                                 "",
                                 "",
                                 {},
                                 "t" + std::to_string(t) + "-" + std::to_string(i)};
        auto p = app_->ledger().pay(staff(t), r);
        if (!p && stayed_busy(p.error().message)) {
          ++busy;  // retried kMaxTransactionAttempts times, reported; must have posted nothing
          continue;
        }
        if (!p) {
          std::lock_guard lock(errors_mutex);
          errors.push_back(p.error().message);
          continue;
        }
        std::int64_t applied = 0;
        for (const auto& a : p->allocations) applied += a.amount_cents;
        ++posted;
        posted_cents += cents;
        applied_cents += applied;
        unapplied_cents += p->payment.unapplied.cents();
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& e : errors) ADD_FAILURE() << "payment refused: " << e;
  EXPECT_EQ(posted.load() + busy.load(), kThreads * kPaymentsPerThread);
  EXPECT_LE(busy.load(), kThreads * kPaymentsPerThread / 10) << "most writers gave up";
  if (busy) std::cerr << "  " << busy.load() << " payments reported the database busy\n";
  EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM payments"), posted.load());
  EXPECT_EQ(posted_cents.load(), applied_cents.load() + unapplied_cents.load());
  EXPECT_LE(applied_cents.load(), owed) << "more applied than was ever owed";
  auto balance = app_->ledger().balance_of(party_);
  ASSERT_TRUE(balance);
  EXPECT_EQ(balance->receivable.cents(), owed - applied_cents.load());
  EXPECT_EQ(balance->credit.cents(), unapplied_cents.load());
  // More was paid than owed: everything is paid, the rest is credit.
  ASSERT_GT(posted_cents.load(), owed) << "the test should overpay; raise the amounts";
  EXPECT_EQ(balance->receivable.cents(), 0);
  expect_payments_add_up(posted_cents.load());
}

TEST_P(LedgerConcurrencyTest, SameCustomerPaymentsThroughTheApi) {
  std::int64_t owed = charge_obligations(party_);
  std::vector<Client> clients;
  for (int t = 0; t < kThreads; ++t) {
    make_user("csr2", "clerk" + std::to_string(t));
    clients.push_back(sign_in("clerk" + std::to_string(t)));
  }
  constexpr int kPerThread = kPaymentsPerThread / 2;
  std::atomic<std::int64_t> acknowledged_cents{0};
  std::atomic<int> acknowledged{0}, busy{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(2000 + t);
      for (int i = 0; i < kPerThread; ++i) {
        std::int64_t cents = 100 + static_cast<std::int64_t>(rng() % 1901);
        http::Request req;
        req.method = "POST";
        req.target = req.path = "/api/v1/payments";
        req.body = R"({"party_id":)" + std::to_string(party_) + R"(,"amount":")" +
                   format_plain(Money::from_cents(cents)) +
                   R"(","tender":"cash","channel":"counter"})";
        req.client = "127.0.0.1";
        req.request_id = "concurrency";
        req.headers["Content-Type"] = "application/json";
        req.headers["Cookie"] = clients[t].cookie;
        req.headers["X-CSRF-Token"] = clients[t].csrf;
        req.headers["Idempotency-Key"] = "api-" + std::to_string(t) + "-" + std::to_string(i);
        http::Response resp = api_->handle(req);
        if (resp.status == 201) {
          ++acknowledged;
          acknowledged_cents += cents;
        } else if (stayed_busy(resp.body)) {
          ++busy;  // reported, not acknowledged: must have posted nothing
        } else {
          std::lock_guard lock(failures_mutex);
          failures.push_back(std::to_string(resp.status) + " " + resp.body);
        }
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& f : failures) ADD_FAILURE() << "payment answered " << f;
  if (busy) std::cerr << "  " << busy.load() << " requests were answered: database busy\n";
  EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM payments"), acknowledged.load());
  EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM journal_entries WHERE kind = 'payment'"),
            acknowledged.load());
  auto balance = app_->ledger().balance_of(party_);
  ASSERT_TRUE(balance);
  std::int64_t applied = owed - balance->receivable.cents();
  EXPECT_EQ(applied + balance->credit.cents(), acknowledged_cents.load());
  expect_payments_add_up(acknowledged_cents.load());
}

TEST_P(LedgerConcurrencyTest, TransfersBetweenTwoCustomersConserveTheTotal) {
  std::int64_t other = new_party("Otto", "Other");
  std::int64_t owed = charge_obligations(party_) + charge_obligations(other);
  // Each customer pays 20 payments of $15.00..$34.00 (part applied, part credit on the way).
  std::int64_t paid = 0;
  for (int i = 0; i < 40; ++i) {
    std::int64_t cents = 1500 + (i % 20) * 100;
    ledger::PaymentRequest r{
        i % 2 ? other : party_,     Money::from_cents(cents), "check", "mail", "", "", "", {},
        "seed-" + std::to_string(i)};
    ASSERT_TRUE(app_->ledger().pay(staff(0), r));
    paid += cents;
  }
  std::atomic<int> moved{0}, refused{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(3000 + t);
      for (int i = 0; i < kTransfersPerThread; ++i) {
        std::int64_t from = rng() % 2 ? other : party_;
        auto payments = app_->ledger().payments_of(from);
        if (!payments || payments->empty()) continue;
        // Threads race for the same few payments: the newest posted ones.
        std::vector<std::int64_t> posted;
        for (const auto& p : *payments)
          if (p.status == "posted" && posted.size() < 3) posted.push_back(p.id);
        if (posted.empty()) continue;
        ledger::TransferRequest r{posted[rng() % posted.size()],
                                  from == party_ ? other : party_,
                                  {},
                                  "bank test",
                                  "move-" + std::to_string(t) + "-" + std::to_string(i)};
        auto res = app_->ledger().transfer(staff(t), r);
        if (res) {
          ++moved;
        } else if (res.error().code == ErrorCode::kUnprocessable) {
          ++refused;  // another thread moved it first
        } else if (stayed_busy(res.error().message)) {
          ++refused;  // retried, reported; posted nothing (the totals below check it)
        } else {
          std::lock_guard lock(errors_mutex);
          errors.push_back(res.error().message);
        }
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& e : errors) ADD_FAILURE() << "transfer failed: " << e;
  EXPECT_GT(moved.load(), 0);
  // Each transfer closes one payment and opens one of the same amount.
  EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM payments WHERE status = 'transferred'"),
            moved.load());
  EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM payments WHERE status = 'posted'"), 40);
  EXPECT_EQ(read<std::int64_t>(
                "SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE status = 'posted'"),
            paid);
  EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM payments WHERE status = 'transferred' AND "
                               "unapplied_cents <> 0"),
            0);
  // Conservation: what is no longer owed plus the credit held = what was paid.
  auto a = app_->ledger().balance_of(party_);
  auto b = app_->ledger().balance_of(other);
  ASSERT_TRUE(a && b);
  std::int64_t receivable = a->receivable.cents() + b->receivable.cents();
  std::int64_t credit = a->credit.cents() + b->credit.cents();
  EXPECT_EQ(owed - receivable + credit, paid)
      << "owed " << owed << ", still owed " << receivable << ", credit " << credit;
  EXPECT_EQ(read<std::int64_t>("SELECT COUNT(*) FROM charge_lines WHERE balance_cents < 0"), 0);
  expect_books_agree();
  std::cerr << "  bank test: " << moved.load() << " transfers, " << refused.load()
            << " refused (payment already moved)\n";
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(LedgerConcurrencyTest);

}  // namespace
}  // namespace civicdesk::testing
