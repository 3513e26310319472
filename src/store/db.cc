#include "store/db.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "core/assert.h"
#include "store/postgres/pg_database.h"
#include "store/sqlite/sqlite_database.h"

namespace civicdesk::store {

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(cols_.at(i)); }

std::int64_t Row::integer(std::size_t i) const {
  const Value& v = cols_.at(i);
  if (auto* p = std::get_if<std::int64_t>(&v)) return *p;
  // PostgreSQL returns aggregates such as SUM(bigint) as numeric text; accept digits only.
  if (auto* s = std::get_if<std::string>(&v)) {
    CD_ASSERT(!s->empty());
    std::size_t pos = 0;
    long long out = std::stoll(*s, &pos);
    CD_ASSERT(pos == s->size());
    return out;
  }
  CD_ASSERT(false && "column is not an integer");
  return 0;
}

std::string Row::text(std::size_t i) const {
  const Value& v = cols_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return {};
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<std::int64_t> Row::opt_integer(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

const std::string& Row::blob(std::size_t i) const {
  const Value& v = cols_.at(i);
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  CD_ASSERT(false && "column is not a blob");
  static const std::string empty;
  return empty;
}

Result<Row> Connection::query_one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "not found");
  return std::move(rows->front());
}

Result<std::int64_t> Connection::query_int(std::string_view sql, const Params& params) {
  auto row = query_one(sql, params);
  if (!row) return std::unexpected(row.error());
  if (row->is_null(0)) return 0;
  return row->integer(0);
}

ConnectionHandle::ConnectionHandle(Database* owner, std::unique_ptr<Connection> conn)
    : owner_(owner), conn_(std::move(conn)) {}

ConnectionHandle::~ConnectionHandle() {
  if (owner_ && conn_) owner_->release(std::move(conn_));
}

Result<ConnectionHandle> Database::acquire() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return ConnectionHandle(this, std::move(conn));
    }
  }
  auto conn = open_connection();
  if (!conn) return std::unexpected(conn.error());
  return ConnectionHandle(this, std::move(*conn));
}

void Database::release(std::unique_ptr<Connection> conn) {
  if (!conn->healthy()) return;  // a broken connection would fail the next caller; close it
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(conn));
}

void backoff_before_retry(int attempt) {
  constexpr int kMaxShift = 6;
  thread_local std::minstd_rand random(std::random_device{}());
  int limit_us = 1000 << std::min(attempt - 1, kMaxShift);
  std::uniform_int_distribution<int> pick(0, limit_us);
  std::this_thread::sleep_for(std::chrono::microseconds(pick(random)));
}

namespace {
void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}
}  // namespace

std::string ddl(Dialect d, std::string_view portable) {
  std::string s(portable);
  bool sqlite = d == Dialect::kSqlite;
  replace_all(s, "%ID%", sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY");
  replace_all(s, "%INT%", sqlite ? "INTEGER" : "BIGINT");
  replace_all(s, "%TEXT%", "TEXT");
  replace_all(s, "%BLOB%", sqlite ? "BLOB" : "BYTEA");
  replace_all(s, "%STRICT%", sqlite ? "STRICT" : "");
  return s;
}

Result<std::shared_ptr<Database>> open_database(std::string_view url) {
  if (url.starts_with("sqlite:")) return open_sqlite(url.substr(7));
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return open_postgres(url);
  return fail(ErrorCode::kInvalidInput,
              "database URL must start with sqlite: or postgresql:// (got '" + std::string(url) + "')",
              "db");
}

}  // namespace civicdesk::store
