// The one storage interface. SQLite (store/sqlite) and PostgreSQL (store/postgres) implement it.
//
// Repositories in each context write portable SQL with `?` placeholders; the PostgreSQL adapter
// rewrites them to `$1..$n`. Values are 64-bit integers (money is always integer cents), text,
// blobs or NULL — never floating point.
//
// Ownership and threads: a Database is shared by all threads. A Connection belongs to one thread
// at a time; take one with Database::acquire() and it returns to the pool when the handle dies.
// Transactions: use Database::write() / Database::read(), which run a function inside a
// transaction, commit on success and roll back on error. Writes are serialized where they must be
// (SQLite: BEGIN IMMEDIATE; PostgreSQL: SERIALIZABLE, retried a bounded number of times on
// serialization failure).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/crash_point.h"
#include "core/result.h"

namespace civicdesk::store {

enum class Dialect { kSqlite, kPostgres };

struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

using Value = std::variant<std::monostate, std::int64_t, std::string, Blob>;

inline Value null() { return Value{}; }
inline Value opt_text(const std::optional<std::string>& s) { return s ? Value{*s} : Value{}; }

// One result row. Column access is by position, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  std::size_t size() const { return cols_.size(); }
  bool is_null(std::size_t i) const;
  std::int64_t integer(std::size_t i) const;  // asserts the column is an integer
  std::string text(std::size_t i) const;       // NULL reads as ""
  std::optional<std::string> opt_text(std::size_t i) const;
  std::optional<std::int64_t> opt_integer(std::size_t i) const;
  const std::string& blob(std::size_t i) const;
  const Value& value(std::size_t i) const { return cols_.at(i); }

 private:
  std::vector<Value> cols_;
};

using Rows = std::vector<Row>;
using Params = std::vector<Value>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // Run one statement; returns the number of rows changed. Errors are kStorage, or kConflict for
  // a unique-constraint violation (the message names the constraint).
  [[nodiscard]] virtual Result<std::int64_t> exec(std::string_view sql, const Params& params = {}) = 0;
  // Run one statement returning rows.
  [[nodiscard]] virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Run several statements with no parameters (migrations).
  [[nodiscard]] virtual Result<void> exec_script(std::string_view sql) = 0;

  // Transaction control; prefer Database::write()/read().
  [[nodiscard]] virtual Result<void> begin_write() = 0;
  [[nodiscard]] virtual Result<void> begin_read() = 0;
  [[nodiscard]] virtual Result<void> commit() = 0;
  virtual void rollback() = 0;

  // False when the connection must not go back to the pool (lost, or left inside a transaction);
  // Database::release() then closes it instead.
  virtual bool healthy() const { return true; }

  // Convenience: the single row of a query, or kNotFound.
  [[nodiscard]] Result<Row> query_one(std::string_view sql, const Params& params = {});
  // Convenience: the first column of the single row as an integer.
  [[nodiscard]] Result<std::int64_t> query_int(std::string_view sql, const Params& params = {});
};

class Database;

// A pooled connection; returns itself to the pool on destruction.
class ConnectionHandle {
 public:
  ConnectionHandle(Database* owner, std::unique_ptr<Connection> conn);
  ConnectionHandle(ConnectionHandle&&) noexcept = default;
  ConnectionHandle& operator=(ConnectionHandle&&) noexcept = default;
  ~ConnectionHandle();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  Database* owner_;
  std::unique_ptr<Connection> conn_;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A human-readable description (path or host/dbname), never a password.
  virtual std::string describe() const = 0;

  [[nodiscard]] Result<ConnectionHandle> acquire();

  // Run `fn` in a write transaction: commit when it returns a value, roll back when it returns an
  // error. Retries (a bounded number of times) only when the database reports a serialization
  // failure or a busy lock, so `fn` must have no effects outside the connection.
  template <class T>
  [[nodiscard]] Result<T> write(const std::function<Result<T>(Connection&)>& fn) {
    return run_tx<T>(fn, true);
  }
  template <class T>
  [[nodiscard]] Result<T> read(const std::function<Result<T>(Connection&)>& fn) {
    return run_tx<T>(fn, false);
  }

  // Called by ConnectionHandle. Closes the connection instead of pooling it when !healthy().
  void release(std::unique_ptr<Connection> conn);

  // Whether an error from this database means "retry the whole transaction". Public so that a
  // wrapper (FaultyDatabase) can forward it.
  virtual bool is_retryable(const Error& e) const = 0;

 protected:
  [[nodiscard]] virtual Result<std::unique_ptr<Connection>> open_connection() = 0;

 private:
  template <class T>
  Result<T> run_tx(const std::function<Result<T>(Connection&)>& fn, bool write);

  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// Open by URL: "sqlite:PATH" or "postgresql://user@host:port/dbname" (libpq URI).
[[nodiscard]] Result<std::shared_ptr<Database>> open_database(std::string_view url);

// Substitutes dialect tokens in portable DDL: %ID% (auto-increment primary key), %INT%, %TEXT%,
// %BLOB%, %STRICT%. Used by migrations.
std::string ddl(Dialect d, std::string_view portable);

// --- implementation of the transaction runner -------------------------------------------------
// Enough that a writer losing races on a hot row still gets through (measured: with 8, two
// threads on one row lost about 1 increment in 4000 on PostgreSQL).
inline constexpr int kMaxTransactionAttempts = 16;

// Sleeps a random time that grows with `attempt` (at most ~64 ms), so two writers that keep
// colliding stop retrying in lockstep and the loser does not starve.
void backoff_before_retry(int attempt);

template <class T>
Result<T> Database::run_tx(const std::function<Result<T>(Connection&)>& fn, bool write) {
  Error last;
  for (int attempt = 0; attempt < kMaxTransactionAttempts; ++attempt) {
    if (attempt > 0) backoff_before_retry(attempt);
    auto handle = acquire();
    if (!handle) return std::unexpected(handle.error());
    Connection& c = **handle;
    auto began = write ? c.begin_write() : c.begin_read();
    if (!began) {
      if (is_retryable(began.error())) { last = began.error(); continue; }
      return std::unexpected(began.error());
    }
    Result<T> out = fn(c);
    if (!out) {
      c.rollback();
      if (is_retryable(out.error())) { last = out.error(); continue; }
      return out;
    }
    if (write) CRASH_POINT("tx.before_commit");  // all of fn's writes made, none committed
    auto committed = c.commit();
    if (!committed) {
      c.rollback();
      if (is_retryable(committed.error())) { last = committed.error(); continue; }
      return std::unexpected(committed.error());
    }
    return out;
  }
  last.message = "the database stayed busy; nothing was changed — please retry (" + last.message + ")";
  return std::unexpected(last);
}

}  // namespace civicdesk::store
