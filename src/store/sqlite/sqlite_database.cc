#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "core/assert.h"

namespace civicdesk::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr std::size_t kStatementCacheSize = 256;

Error storage_error(sqlite3* db, int rc, std::string_view sql) {
  int ext = sqlite3_extended_errcode(db);
  std::string msg = sqlite3_errmsg(db);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error::make(ErrorCode::kConflict, "duplicate: " + msg);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    return Error::make(ErrorCode::kUnavailable, "database busy: " + msg, "sqlite_busy");
  (void)sql;
  return Error::make(ErrorCode::kStorage, "database error: " + msg);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [_, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    auto stmt = prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    CD_TRY(bind(*stmt, params, sql));
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    }
    auto err = rc == SQLITE_DONE ? std::optional<Error>{} : storage_error(db_, rc, sql);
    sqlite3_reset(*stmt);
    sqlite3_clear_bindings(*stmt);
    if (err) return std::unexpected(*err);
    return sqlite3_changes64(db_);
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto stmt = prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    CD_TRY(bind(*stmt, params, sql));
    Rows rows;
    int rc;
    int ncol = sqlite3_column_count(*stmt);
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
      std::vector<Value> cols;
      cols.reserve(ncol);
      for (int i = 0; i < ncol; ++i) cols.push_back(column(*stmt, i));
      rows.emplace_back(std::move(cols));
    }
    auto err = rc == SQLITE_DONE ? std::optional<Error>{} : storage_error(db_, rc, sql);
    sqlite3_reset(*stmt);
    sqlite3_clear_bindings(*stmt);
    if (err) return std::unexpected(*err);
    return rows;
  }

  Result<void> exec_script(std::string_view sql) override {
    std::string s(sql);
    char* errmsg = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &errmsg);
    if (rc != SQLITE_OK) {
      std::string msg = errmsg ? errmsg : "unknown";
      sqlite3_free(errmsg);
      return fail(ErrorCode::kStorage, "database error: " + msg);
    }
    return {};
  }

  Result<void> begin_write() override { return simple("BEGIN IMMEDIATE"); }
  Result<void> begin_read() override { return simple("BEGIN DEFERRED"); }
  Result<void> commit() override { return simple("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)simple("ROLLBACK");
  }

 private:
  Result<void> simple(const char* sql) {
    auto r = exec(sql, {});
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return std::unexpected(storage_error(db_, rc, sql));
    if (cache_.size() >= kStatementCacheSize) {
      for (auto& [_, s] : cache_) sqlite3_finalize(s);
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  Result<void> bind(sqlite3_stmt* stmt, const Params& params, std::string_view sql) {
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
      return fail(ErrorCode::kInternal, "parameter count mismatch for: " + std::string(sql));
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      int rc = std::visit(
          [&](const auto& v) -> int {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::monostate>) return sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<V, std::int64_t>) return sqlite3_bind_int64(stmt, idx, v);
            else if constexpr (std::is_same_v<V, std::string>)
              return sqlite3_bind_text64(stmt, idx, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            else return sqlite3_bind_blob64(stmt, idx, v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT);
          },
          params[i]);
      if (rc != SQLITE_OK) return std::unexpected(storage_error(db_, rc, sql));
    }
    return {};
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_NULL: return Value{};
      case SQLITE_INTEGER: return Value{static_cast<std::int64_t>(sqlite3_column_int64(stmt, i))};
      case SQLITE_BLOB: {
        auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        return Value{Blob{std::string(p ? p : "", sqlite3_column_bytes(stmt, i))}};
      }
      case SQLITE_FLOAT:
        // Never used for money; a float column is a schema bug.
        CD_ASSERT(false && "floating-point column in civicdesk schema");
        return Value{};
      default: {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return Value{std::string(p ? p : "", sqlite3_column_bytes(stmt, i))};
      }
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string describe() const override { return "sqlite:" + path_; }

 protected:
  Result<std::unique_ptr<Connection>> open_connection() override {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path_.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close_v2(db);
      return fail(ErrorCode::kStorage, "cannot open " + path_ + ": " + msg, "db");
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    auto conn = std::make_unique<SqliteConnection>(db);
    // Safe defaults (SQLite, TigerBeetle): durable commits, enforced references.
    auto r = conn->exec_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
    if (!r) return std::unexpected(r.error());
    auto mode = conn->query("PRAGMA journal_mode", {});
    if (!mode || mode->empty() || mode->front().text(0) != "wal")
      return fail(ErrorCode::kStorage, "SQLite refused WAL mode for " + path_, "db");
    return std::unique_ptr<Connection>(std::move(conn));
  }

  bool is_retryable(const Error& e) const override {
    return e.code == ErrorCode::kUnavailable && e.field == "sqlite_busy";
  }

 private:
  std::string path_;
};

}  // namespace

Result<std::shared_ptr<Database>> open_sqlite(std::string_view path) {
  if (path.empty()) return fail(ErrorCode::kInvalidInput, "sqlite: needs a file path", "db");
  auto db = std::make_shared<SqliteDatabase>(std::string(path));
  // Open one connection now so a bad path fails at start, not at the first request.
  auto probe = db->acquire();
  if (!probe) return std::unexpected(probe.error());
  return std::shared_ptr<Database>(db);
}

}  // namespace civicdesk::store
