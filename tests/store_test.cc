// The storage contract, run unchanged on SQLite and PostgreSQL (see test_db.h).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>

#include "store/db.h"
#include "store/faulty_database.h"
#include "test_db.h"

namespace civicdesk::store {
namespace {

using ::civicdesk::testing::fresh_database;
using ::civicdesk::testing::fresh_database_url;

constexpr std::string_view kValuesTable =
    "CREATE TABLE vals (id %ID%, n %INT%, s %TEXT%, b %BLOB%) %STRICT%";

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = fresh_database(GetParam());
    ASSERT_TRUE(db) << db.error().message;
    db_ = *db;
    auto conn = db_->acquire();
    ASSERT_TRUE(conn) << conn.error().message;
    auto made = (*conn)->exec_script(ddl(db_->dialect(), kValuesTable));
    ASSERT_TRUE(made) << made.error().message;
  }

  bool is_postgres() const { return db_->dialect() == Dialect::kPostgres; }

  std::int64_t count_rows() {
    auto conn = db_->acquire();
    EXPECT_TRUE(conn);
    auto n = (*conn)->query_int("SELECT COUNT(*) FROM vals");
    EXPECT_TRUE(n) << n.error().message;
    return n.value_or(-1);
  }

  Result<std::int64_t> insert(Connection& c, Value n) {
    return c.query_int("INSERT INTO vals (n) VALUES (?) RETURNING id", {std::move(n)});
  }

  std::shared_ptr<Database> db_;
};

TEST_P(StoreTest, RoundTripsEveryValueKind) {
  const std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::string text =
      "h\xC3\xA9llo 'single' \"double\" \\ ? \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC";
  const Blob blob{std::string("\0\x01\xFF\0x\\", 6)};
  auto conn = db_->acquire();
  ASSERT_TRUE(conn);
  Connection& c = **conn;
  auto inserted =
      c.exec("INSERT INTO vals (id, n, s, b) VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
             {std::int64_t{1}, kMin, text, blob, std::int64_t{2}, kMax, null(), null()});
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_EQ(*inserted, 2);
  auto rows = c.query("SELECT n, s, b FROM vals ORDER BY id");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  const Row& first = (*rows)[0];
  EXPECT_EQ(first.integer(0), kMin);
  EXPECT_EQ(first.text(1), text);
  EXPECT_EQ(std::get<Blob>(first.value(2)), blob);
  const Row& second = (*rows)[1];
  EXPECT_EQ(second.integer(0), kMax);
  EXPECT_TRUE(second.is_null(1));
  EXPECT_TRUE(second.is_null(2));
  auto empty_blob = c.query_one("SELECT ?", {Blob{}});
  ASSERT_TRUE(empty_blob) << empty_blob.error().message;
}

TEST_P(StoreTest, InsertReturningGivesTheNewId) {
  auto conn = db_->acquire();
  ASSERT_TRUE(conn);
  auto first = insert(**conn, std::int64_t{10});
  auto second = insert(**conn, std::int64_t{20});
  ASSERT_TRUE(first && second);
  EXPECT_GT(*second, *first);
  auto n = (*conn)->query_int("SELECT n FROM vals WHERE id = ?", {*second});
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 20);
}

TEST_P(StoreTest, UniqueViolationIsAConflict) {
  auto conn = db_->acquire();
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->exec_script(
      ddl(db_->dialect(),
          "CREATE TABLE keys (k %TEXT% NOT NULL, CONSTRAINT keys_k_unique UNIQUE (k))"
          " %STRICT%")));
  ASSERT_TRUE((*conn)->exec("INSERT INTO keys (k) VALUES (?)", {std::string("a")}));
  auto again = (*conn)->exec("INSERT INTO keys (k) VALUES (?)", {std::string("a")});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  // SQLite names the column; PostgreSQL names the constraint.
  EXPECT_NE(again.error().message.find(is_postgres() ? "keys_k_unique" : "keys.k"),
            std::string::npos)
      << again.error().message;
}

TEST_P(StoreTest, WriteCommitsOnValueAndRollsBackOnError) {
  auto committed =
      db_->write<std::int64_t>([&](Connection& c) { return insert(c, std::int64_t{1}); });
  ASSERT_TRUE(committed) << committed.error().message;
  auto refused = db_->write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    CD_TRY(insert(c, std::int64_t{2}));
    return fail(ErrorCode::kUnprocessable, "business rule says no");
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(count_rows(), 1);
}

TEST_P(StoreTest, QuestionMarkInsideLiteralIsNotAPlaceholder) {
  auto conn = db_->acquire();
  ASSERT_TRUE(conn);
  auto ok =
      (*conn)->exec("INSERT INTO vals (s, n) VALUES ('what?', ?) -- really?", {std::int64_t{7}});
  ASSERT_TRUE(ok) << ok.error().message;
  auto row =
      (*conn)->query_one("SELECT s, n FROM vals WHERE s = 'what?' AND n = ?", {std::int64_t{7}});
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(row->text(0), "what?");
}

TEST_P(StoreTest, ParameterCountMismatchIsRefused) {
  auto conn = db_->acquire();
  ASSERT_TRUE(conn);
  auto r = (*conn)->exec("INSERT INTO vals (n) VALUES (?)", {});
  ASSERT_FALSE(r);
}

// Two writers doing SELECT-then-UPDATE on one row: a lost update would leave less than 400.
TEST_P(StoreTest, ConcurrentReadModifyWriteLosesNoUpdate) {
  constexpr int kIncrementsPerThread = 200;
  ASSERT_TRUE(db_->write<std::int64_t>([&](Connection& c) { return insert(c, std::int64_t{0}); }));
  std::atomic<int> failures{0};
  std::string last_error;
  auto worker = [&] {
    for (int i = 0; i < kIncrementsPerThread; ++i) {
      auto r = db_->write<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
        CD_ASSIGN(std::int64_t n, c.query_int("SELECT n FROM vals WHERE id = 1"));
        CD_TRY(c.exec("UPDATE vals SET n = ? WHERE id = 1", {n + 1}));
        return n + 1;
      });
      if (!r && failures.fetch_add(1) == 0) last_error = r.error().message;
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0) << last_error;
  auto conn = db_->acquire();
  ASSERT_TRUE(conn);
  auto total = (*conn)->query_int("SELECT n FROM vals WHERE id = 1");
  ASSERT_TRUE(total);
  EXPECT_EQ(*total, 2 * kIncrementsPerThread);
}

TEST_P(StoreTest, ReopenedDatabaseKeepsCommittedRows) {
  std::string url = fresh_database_url(GetParam());
  ASSERT_FALSE(url.empty());
  {
    auto db = open_database(url);
    ASSERT_TRUE(db) << db.error().message;
    auto conn = (*db)->acquire();
    ASSERT_TRUE(conn);
    ASSERT_TRUE((*conn)->exec_script(ddl((*db)->dialect(), kValuesTable)));
    ASSERT_TRUE((*conn)->exec("INSERT INTO vals (n) VALUES (42)"));
  }
  auto db = open_database(url);
  ASSERT_TRUE(db) << db.error().message;
  auto conn = (*db)->acquire();
  ASSERT_TRUE(conn);
  auto n = (*conn)->query_int("SELECT n FROM vals");
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 42);
}

// The fault loop: fail the 1st, 2nd, ... store call of a two-row write until it succeeds. Every
// failed attempt leaves nothing behind; the successful one leaves both rows.
TEST_P(StoreTest, FaultLoopGivesFullEffectOrNone) {
  auto faulty = std::make_shared<FaultyDatabase>(db_);
  auto operation = [&] {
    return faulty->write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
      CD_TRY(insert(c, std::int64_t{1}));
      return insert(c, std::int64_t{2});
    });
  };
  int n = 1;
  for (; n < 10; ++n) {
    faulty->fail_call(n);
    auto r = operation();
    if (r) break;
    EXPECT_EQ(r.error().message, "injected fault");
    EXPECT_EQ(count_rows(), 0) << "after failing call " << n;
  }
  EXPECT_EQ(n, 4) << "two inserts and a commit are three store calls";
  EXPECT_EQ(faulty->faults_injected(), 3);
  EXPECT_EQ(count_rows(), 2);
}

// A commit whose answer is lost: the data is saved but the caller hears a failure, which is why
// money operations carry idempotency keys.
TEST_P(StoreTest, FaultAfterCommitSavesButReportsFailure) {
  auto faulty = std::make_shared<FaultyDatabase>(db_);
  faulty->fail_call(2, FaultTiming::kAfterCall);
  auto r = faulty->write<std::int64_t>([&](Connection& c) { return insert(c, std::int64_t{1}); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kStorage);
  EXPECT_EQ(count_rows(), 1);
  EXPECT_EQ(faulty->calls(), 2);
}

// PostgreSQL aborts a transaction at its first error and answers COMMIT with ROLLBACK.
TEST_P(StoreTest, CommitAfterAnIgnoredErrorIsNotASuccess) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite keeps a transaction open after a failed statement";
  auto r = db_->write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    CD_TRY(insert(c, std::int64_t{1}));
    (void)c.exec("INSERT INTO no_such_table VALUES (1)");
    return 0;
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kStorage);
  EXPECT_EQ(count_rows(), 0);
}

TEST_P(StoreTest, LostConnectionIsNotPooled) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite has no server connection to lose";
  {
    auto victim = db_->acquire();
    ASSERT_TRUE(victim);
    auto pid = (*victim)->query_int("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid);
    auto killer = db_->acquire();
    ASSERT_TRUE(killer);
    ASSERT_TRUE((*killer)->query("SELECT pg_terminate_backend(?::int)", {*pid}));
    auto lost = (*victim)->query_int("SELECT 1");
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().code, ErrorCode::kStorage);
  }
  for (int i = 0; i < 3; ++i) {
    auto r = db_->write<std::int64_t>([&](Connection& c) { return insert(c, std::int64_t{i}); });
    EXPECT_TRUE(r) << r.error().message;
  }
}

TEST_P(StoreTest, RefusesAServerWithoutDurableCommits) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite's durability is set by the adapter itself";
  std::string url = fresh_database_url(GetParam());
  ASSERT_FALSE(url.empty());
  std::string dbname = url.substr(url.rfind('/') + 1);
  auto conn = db_->acquire();
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->exec_script("ALTER DATABASE " + dbname + " SET synchronous_commit = off"));
  auto refused = open_database(url);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kStorage);
  EXPECT_NE(refused.error().message.find("synchronous_commit=off"), std::string::npos)
      << refused.error().message;
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(StoreTest);

}  // namespace
}  // namespace civicdesk::store
