// Fault loops (SQLite's I/O-error loops): for party creation and user creation, fail the 1st,
// 2nd, ... store call until the operation gets through. After every attempt the operation has
// had its whole effect or none — no party row without its addresses, search document and audit
// record — and it never reports success when one of its store calls failed.
//
// The services run directly over a store::FaultyDatabase (App opens its own database, so it
// cannot be handed the wrapper yet); the state is read back through the unwrapped database.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "audit/audit_log.h"
#include "city/city_config.h"
#include "customers/party_book.h"
#include "security/users.h"
#include "store/faulty_database.h"
#include "store/migrations.h"
#include "tests/app_fixture.h"
#include "tests/test_db.h"

namespace civicdesk::testing {
namespace {

using store::FaultTiming;

// More store calls than any single operation here makes; reaching it means the loop is stuck.
constexpr std::int64_t kMaxCalls = 500;

// Rows per table: what an operation may change. Compared whole, so any stray row shows.
using Snapshot = std::map<std::string, std::int64_t>;

const char* const kTables[] = {"users",        "sessions",        "audit_log",
                               "parties",      "party_addresses", "party_phones",
                               "party_emails", "search_docs",     "search_terms"};

std::string show(const Snapshot& s) {
  std::string out;
  for (const auto& [table, n] : s) out += table + "=" + std::to_string(n) + " ";
  return out;
}

// A valid party, different for each n (names, address, phone, email), so no attempt looks like
// a duplicate of another.
customers::PartyInput party(std::int64_t n) {
  customers::PartyInput p;
  p.first_name = "Pat" + std::string(1, static_cast<char>('a' + n % 26));
  p.last_name = "Fault" + std::to_string(n);
  p.addresses.push_back(
      {"mailing", std::to_string(100 + n) + " Oak St", "", "Riverton", "CA", "95501"});
  p.phones.push_back(
      {"mobile", "(555) 4" + std::to_string(10 + n % 90) + "-" + std::to_string(1000 + n)});
  p.emails.push_back({"pat" + std::to_string(n) + "@example.org"});
  return p;
}

class FaultLoopTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = fresh_database(GetParam());
    ASSERT_TRUE(db) << db.error().message;
    inner_ = *db;
    ASSERT_TRUE(store::migrate(*inner_));
    faulty_ = std::make_shared<store::FaultyDatabase>(inner_);
    auto city = load_city_config(source_dir() + "/config/demo-city.yaml");
    ASSERT_TRUE(city) << city.error().message;
    city_ = std::move(*city);
    users_ = std::make_unique<security::UserDirectory>(*faulty_, city_, clock_);
    parties_ = std::make_unique<customers::PartyBook>(*faulty_, clock_);
  }

  Snapshot snapshot() {
    Snapshot s;
    for (const char* table : kTables) {
      auto n = inner_->read<std::int64_t>([&](store::Connection& c) {
        return c.query_int(std::string("SELECT COUNT(*) FROM ") + table);
      });
      EXPECT_TRUE(n) << n.error().message;
      s[table] = n ? *n : -1;
    }
    return s;
  }

  // What one complete operation adds, per table (search_terms varies with the words, so it is
  // only checked when nothing may change).
  static Snapshot added(const Snapshot& before, const Snapshot& after) {
    Snapshot d;
    for (const auto& [table, n] : after)
      if (table != "search_terms" && n != before.at(table)) d[table] = n - before.at(table);
    return d;
  }

  // Runs attempt(n) with the n-th store call failing, for n = 1, 2, ... until an attempt in
  // which no fault fired (the operation made fewer calls than n). `attempt` gets n so each try
  // can use fresh names: with kAfterCall a failed-looking attempt may have committed.
  void fault_loop(FaultTiming timing, const Snapshot& effect,
                  const std::function<bool(std::int64_t)>& attempt) {
    for (std::int64_t n = 1; n <= kMaxCalls; ++n) {
      SCOPED_TRACE("store call " + std::to_string(n) + " fails");
      Snapshot before = snapshot();
      std::int64_t faults = faulty_->faults_injected();
      faulty_->fail_call(n, timing);
      bool ok = attempt(n);
      faulty_->clear_fault();
      bool fault_fired = faulty_->faults_injected() > faults;
      Snapshot after = snapshot();
      expect_audit_intact();
      if (!fault_fired) {
        EXPECT_TRUE(ok) << "failed with no fault injected";
        EXPECT_EQ(added(before, after), effect) << show(before) << "→ " << show(after);
        EXPECT_GT(n, 1) << "the operation made no store call at all";
        return;
      }
      EXPECT_FALSE(ok) << "reported success although store call " << n << " failed";
      if (after == before) continue;
      // Only a lost response after a commit may leave an effect, and then all of it.
      EXPECT_EQ(timing, FaultTiming::kAfterCall) << show(before) << "→ " << show(after);
      EXPECT_EQ(added(before, after), effect) << show(before) << "→ " << show(after);
    }
    FAIL() << "still failing after " << kMaxCalls << " store calls";
  }

  void expect_audit_intact() {
    auto report = audit::verify(*inner_);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok) << report->problem;
  }

  ManualClock clock_{kTestStartUs};
  std::shared_ptr<store::Database> inner_;
  std::shared_ptr<store::FaultyDatabase> faulty_;
  CityConfig city_;
  std::unique_ptr<security::UserDirectory> users_;
  std::unique_ptr<customers::PartyBook> parties_;
};

const Snapshot kPartyEffect = {{"parties", 1},      {"party_addresses", 1}, {"party_phones", 1},
                               {"party_emails", 1}, {"search_docs", 1},     {"audit_log", 1}};
const Snapshot kUserEffect = {{"users", 1}, {"audit_log", 1}};

bool create_party(customers::PartyBook& book, std::int64_t n) {
  std::vector<customers::DuplicateCandidate> dups;
  auto p = book.create(Actor::system("fault-loop"), party(n), false, dups);
  // A duplicate warning would mean an earlier "failed" attempt left a party behind.
  EXPECT_TRUE(p || p.error().code == ErrorCode::kStorage) << p.error().message;
  return p.has_value();
}

bool create_user(security::UserDirectory& users, std::int64_t n) {
  auto u = users.create(Actor::system("fault-loop"),
                        {"clerk" + std::to_string(n), "Clerk", "csr1", "correct-horse-battery"});
  EXPECT_TRUE(u || u.error().code == ErrorCode::kStorage) << u.error().message;
  return u.has_value();
}

TEST_P(FaultLoopTest, PartyCreateFailingBeforeEachCall) {
  fault_loop(FaultTiming::kBeforeCall, kPartyEffect,
             [&](std::int64_t n) { return create_party(*parties_, n); });
}

TEST_P(FaultLoopTest, PartyCreateLosingEachResponse) {
  fault_loop(FaultTiming::kAfterCall, kPartyEffect,
             [&](std::int64_t n) { return create_party(*parties_, n); });
}

TEST_P(FaultLoopTest, UserCreateFailingBeforeEachCall) {
  fault_loop(FaultTiming::kBeforeCall, kUserEffect,
             [&](std::int64_t n) { return create_user(*users_, n); });
}

TEST_P(FaultLoopTest, UserCreateLosingEachResponse) {
  fault_loop(FaultTiming::kAfterCall, kUserEffect,
             [&](std::int64_t n) { return create_user(*users_, n); });
}

// The party that finally got through reads back whole, through the faulty store.
TEST_P(FaultLoopTest, ThePartyThatGetsThroughReadsBackWhole) {
  std::int64_t last = 0;
  fault_loop(FaultTiming::kBeforeCall, kPartyEffect, [&](std::int64_t n) {
    last = n;
    return create_party(*parties_, n);
  });
  auto page = parties_->list(1, 10);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 1u);
  auto expected = customers::validate(party(last));
  ASSERT_TRUE(expected);
  const customers::Party& got = page->items[0];
  EXPECT_EQ(got.last_name, expected->last_name);
  EXPECT_EQ(got.addresses, expected->addresses);
  EXPECT_EQ(got.phones, expected->phones);
  EXPECT_EQ(got.emails, expected->emails);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(FaultLoopTest);

}  // namespace
}  // namespace civicdesk::testing
