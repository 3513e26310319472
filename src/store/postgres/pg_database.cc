#include "store/postgres/pg_database.h"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/assert.h"

namespace civicdesk::store {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat; they are fixed for built-in types.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

// Beyond this many cached statements a connection forgets them all (server memory is per session).
constexpr std::size_t kStatementCacheSize = 512;
// A server that does not answer must fail the request, not hang the counter.
constexpr const char* kConnectTimeoutSeconds = "10";

constexpr std::string_view kSqlstateUniqueViolation = "23505";
constexpr std::string_view kSqlstateSerializationFailure = "40001";
constexpr std::string_view kSqlstateDeadlock = "40P01";

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

// --- placeholder rewriting ---------------------------------------------------------------------

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Length of the quoted text starting at `i` whose quote character is sql[i]; `doubled` quotes
// stay inside, and backslash escapes count only in E'...' strings. Unterminated runs to the end.
std::size_t quoted_length(std::string_view sql, std::size_t i, bool backslash_escapes) {
  const char quote = sql[i];
  std::size_t j = i + 1;
  while (j < sql.size()) {
    if (backslash_escapes && sql[j] == '\\') {
      j += 2;
    } else if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        j += 2;
      } else {
        return j + 1 - i;
      }
    } else {
      ++j;
    }
  }
  return sql.size() - i;
}

// Length of a /* ... */ comment at `i`; PostgreSQL lets them nest.
std::size_t block_comment_length(std::string_view sql, std::size_t i) {
  int depth = 0;
  std::size_t j = i;
  while (j + 1 < sql.size()) {
    if (sql[j] == '/' && sql[j + 1] == '*') {
      ++depth;
      j += 2;
    } else if (sql[j] == '*' && sql[j + 1] == '/') {
      j += 2;
      if (--depth == 0) return j - i;
    } else {
      ++j;
    }
  }
  return sql.size() - i;
}

// Length of a $tag$...$tag$ string at `i`, or 0 when `$` does not open one (e.g. `$1`).
std::size_t dollar_quoted_length(std::string_view sql, std::size_t i) {
  if (i > 0 && is_identifier_char(sql[i - 1])) return 0;
  std::size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) return 0;
  while (j < sql.size() && is_identifier_char(sql[j]) && sql[j] != '$') ++j;
  if (j >= sql.size() || sql[j] != '$') return 0;
  std::string_view tag = sql.substr(i, j + 1 - i);
  std::size_t end = sql.find(tag, j + 1);
  return end == std::string_view::npos ? sql.size() - i : end + tag.size() - i;
}

// Length of a string literal, quoted identifier or comment starting at `i`; 0 if none does.
std::size_t skip_length(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
  if (c == '\'') {
    bool escape_string = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                         (i < 2 || !is_identifier_char(sql[i - 2]));
    return quoted_length(sql, i, escape_string);
  }
  if (c == '"') return quoted_length(sql, i, false);
  if (c == '-' && next == '-') {
    std::size_t end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() - i : end - i;
  }
  if (c == '/' && next == '*') return block_comment_length(sql, i);
  if (c == '$') return dollar_quoted_length(sql, i);
  return 0;
}

std::string rewrite_placeholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::size_t skip = skip_length(sql, i); skip > 0) {
      out.append(sql.substr(i, skip));
      i += skip;
      continue;
    }
    if (sql[i] == '?') {
      out += '$';
      out += std::to_string(next++);
    } else {
      out += sql[i];
    }
    ++i;
  }
  if (count) *count = next - 1;
  return out;
}

// --- values ------------------------------------------------------------------------------------

// Parameters in libpq's parallel-array form; `storage` owns the text of integer parameters.
struct EncodedParams {
  std::vector<std::string> storage;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;  // 0 = text, 1 = binary
};

Result<EncodedParams> encode_params(const Params& params) {
  EncodedParams e;
  const std::size_t n = params.size();
  e.storage.resize(n);
  e.values.assign(n, nullptr);
  e.lengths.assign(n, 0);
  e.formats.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (auto* v = std::get_if<std::int64_t>(&params[i])) {
      e.storage[i] = std::to_string(*v);
      e.values[i] = e.storage[i].c_str();
    } else if (auto* s = std::get_if<std::string>(&params[i])) {
      // Text parameters are NUL-terminated on the wire; PostgreSQL text cannot hold NUL anyway.
      if (s->find('\0') != std::string::npos)
        return fail(ErrorCode::kInvalidInput, "text contains a NUL byte; store it as a blob");
      e.values[i] = s->c_str();
    } else if (auto* b = std::get_if<Blob>(&params[i])) {
      // Binary format for bytea is the raw bytes: no escaping, NUL bytes survive.
      e.values[i] = b->bytes.data();
      e.lengths[i] = static_cast<int>(b->bytes.size());
      e.formats[i] = 1;
    }
  }
  return e;
}

std::int64_t parse_int64(std::string_view text) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  CD_ASSERT(ec == std::errc() && end == text.data() + text.size());
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  CD_ASSERT(c >= 'A' && c <= 'F');
  return c - 'A' + 10;
}

// bytea in text results is "\x" followed by hex (the session sets bytea_output = hex).
std::string decode_bytea_hex(std::string_view text) {
  CD_ASSERT(text.starts_with("\\x") && text.size() % 2 == 0);
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2)
    out += static_cast<char>(hex_digit(text[i]) * 16 + hex_digit(text[i + 1]));
  return out;
}

Value decode_value(const PGresult* res, int row, int col, Oid type) {
  if (PQgetisnull(res, row, col)) return Value{};
  std::string_view text(PQgetvalue(res, row, col), PQgetlength(res, row, col));
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return Value{parse_int64(text)};
    case kBoolOid:
      return Value{std::int64_t{text == "t" ? 1 : 0}};
    case kByteaOid:
      return Value{Blob{decode_bytea_hex(text)}};
    default:
      return Value{std::string(text)};  // text, numeric, timestamptz, ...
  }
}

Rows read_rows(const PGresult* res) {
  const int nrows = PQntuples(res);
  const int ncols = PQnfields(res);
  std::vector<Oid> types(ncols);
  for (int c = 0; c < ncols; ++c) types[c] = PQftype(res, c);
  Rows rows;
  rows.reserve(nrows);
  for (int r = 0; r < nrows; ++r) {
    std::vector<Value> cols;
    cols.reserve(ncols);
    for (int c = 0; c < ncols; ++c) cols.push_back(decode_value(res, r, c, types[c]));
    rows.emplace_back(std::move(cols));
  }
  return rows;
}

// --- errors ------------------------------------------------------------------------------------

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string result_field(const PGresult* res, int code) {
  const char* v = PQresultErrorField(res, code);
  return v ? v : "";
}

Error server_error(const PGresult* res) {
  std::string state = result_field(res, PG_DIAG_SQLSTATE);
  std::string msg = result_field(res, PG_DIAG_MESSAGE_PRIMARY);
  if (msg.empty()) msg = trim(PQresultErrorMessage(res));
  if (state == kSqlstateUniqueViolation) {
    std::string constraint = result_field(res, PG_DIAG_CONSTRAINT_NAME);
    return Error::make(ErrorCode::kConflict, "duplicate (" + constraint + "): " + msg);
  }
  if (state == kSqlstateSerializationFailure || state == kSqlstateDeadlock)
    return Error::make(ErrorCode::kUnavailable, "database busy: " + msg, "pg_retry");
  return Error::make(ErrorCode::kStorage, "database error: " + msg + " (SQLSTATE " + state + ")");
}

// --- connection --------------------------------------------------------------------------------

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  // A connection left inside a transaction (or in a failed one) would poison the next user.
  bool healthy() const override {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    CD_ASSIGN(PgResult res, run_prepared(sql, params));
    std::string_view count = PQcmdTuples(res.get());
    return count.empty() ? 0 : parse_int64(count);
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    CD_ASSIGN(PgResult res, run_prepared(sql, params));
    return read_rows(res.get());
  }

  Result<void> exec_script(std::string_view sql) override { return simple(std::string(sql)); }

  // Writers take one transaction-scoped advisory lock, so write transactions run one at a time —
  // the same model as SQLite's BEGIN IMMEDIATE (see docs/decisions/003-serialized-writes.md).
  // READ COMMITTED gives each statement a fresh snapshot taken after the lock was granted, so a
  // read-modify-write inside the transaction always sees the latest committed state, and hot rows
  // (the audit head, an account balance) never fail serialization and starve.
  Result<void> begin_write() override {
    return simple("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(4242)");
  }
  // Not READ ONLY: some read paths may later fill caches.
  Result<void> begin_read() override { return simple("BEGIN ISOLATION LEVEL REPEATABLE READ"); }

  Result<void> commit() override {
    // PostgreSQL answers COMMIT of a failed transaction with a silent ROLLBACK; report it, or a
    // caller that ignored an earlier error would see a false success.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR)
      return fail(ErrorCode::kStorage,
                  "the transaction failed earlier and was rolled back; nothing was saved");
    PgResult res(PQexec(conn_, "COMMIT"));
    CD_TRY(check(res.get()));
    if (std::string_view(PQcmdStatus(res.get())) != "COMMIT")
      return fail(ErrorCode::kStorage, "PostgreSQL rolled the transaction back; nothing was saved");
    return {};
  }

  void rollback() override {
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE)
      (void)simple("ROLLBACK");
  }

 private:
  struct Prepared {
    std::string name;
    int param_count = 0;
  };

  Result<void> simple(const std::string& sql) {
    PgResult res(PQexec(conn_, sql.c_str()));
    return check(res.get());
  }

  Result<void> check(const PGresult* res) const {
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
      return {};
    if (PQstatus(conn_) != CONNECTION_OK || !res)
      return fail(ErrorCode::kStorage,
                  "lost the connection to PostgreSQL: " + trim(PQerrorMessage(conn_)), "db");
    return fail(server_error(res));
  }

  Result<PgResult> run_prepared(std::string_view sql, const Params& params) {
    CD_ASSIGN(Prepared statement, prepare(sql));
    if (statement.param_count != static_cast<int>(params.size()))
      return fail(ErrorCode::kInternal, "parameter count mismatch for: " + std::string(sql));
    CD_ASSIGN(EncodedParams p, encode_params(params));
    PgResult res(PQexecPrepared(conn_, statement.name.c_str(), statement.param_count,
                                p.values.data(), p.lengths.data(), p.formats.data(),
                                /*resultFormat=*/0));
    CD_TRY(check(res.get()));
    return res;
  }

  // Prepared statements outlive transactions (they are not rolled back), so the cache stays valid
  // across a ROLLBACK; a failed PREPARE is never cached.
  Result<Prepared> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    if (cache_.size() >= kStatementCacheSize) {
      CD_TRY(simple("DEALLOCATE ALL"));
      cache_.clear();
    }
    Prepared statement{"cd_" + std::to_string(++statements_prepared_), 0};
    std::string text = rewrite_placeholders(sql, &statement.param_count);
    PgResult res(PQprepare(conn_, statement.name.c_str(), text.c_str(), 0, nullptr));
    CD_TRY(check(res.get()));
    cache_.emplace(std::move(key), statement);
    return statement;
  }

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> cache_;
  std::int64_t statements_prepared_ = 0;
};

// --- database ----------------------------------------------------------------------------------

struct UrlParts {
  std::string description;  // postgresql://user@host:port/dbname, never the password
  std::string password;     // only to scrub it from libpq's messages
};

UrlParts parse_url(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (!options) {
    PQfreemem(err);
    return {"postgresql (unparseable URL)", ""};
  }
  std::unordered_map<std::string, std::string> kv;
  for (PQconninfoOption* o = options; o->keyword; ++o)
    if (o->val) kv[o->keyword] = o->val;
  PQconninfoFree(options);
  std::string user = kv.contains("user") ? kv["user"] + "@" : "";
  std::string port = kv.contains("port") ? ":" + kv["port"] : "";
  return {"postgresql://" + user + kv["host"] + port + "/" + kv["dbname"], kv["password"]};
}

std::string scrub(std::string msg, const std::string& secret) {
  if (secret.empty()) return msg;
  for (std::size_t pos = msg.find(secret); pos != std::string::npos; pos = msg.find(secret, pos))
    msg.replace(pos, secret.size(), "***");
  return msg;
}

// Refuses a server that could lose an acknowledged payment (safety promise: durable settings).
Result<void> check_durable(PGconn* conn, const std::string& description) {
  PgResult res(
      PQexec(conn, "SELECT current_setting('fsync'), current_setting('synchronous_commit')"));
  if (PQresultStatus(res.get()) != PGRES_TUPLES_OK || PQntuples(res.get()) != 1)
    return fail(ErrorCode::kStorage, "cannot read durability settings of " + description, "db");
  std::string_view fsync = PQgetvalue(res.get(), 0, 0);
  std::string_view sync_commit = PQgetvalue(res.get(), 0, 1);
  if (fsync != "on")
    return fail(ErrorCode::kStorage,
                description + " has fsync=" + std::string(fsync) +
                    "; civicdesk refuses to run without durable commits (set fsync = on)",
                "db");
  bool durable = sync_commit == "on" || sync_commit == "local" || sync_commit == "remote_write" ||
                 sync_commit == "remote_apply";
  if (!durable)
    return fail(ErrorCode::kStorage,
                description + " has synchronous_commit=" + std::string(sync_commit) +
                    "; civicdesk refuses to run without durable commits (set it to on)",
                "db");
  return {};
}

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(std::string url) : url_(std::move(url)), parts_(parse_url(url_)) {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string describe() const override { return parts_.description; }

  bool is_retryable(const Error& e) const override {
    return e.code == ErrorCode::kUnavailable && e.field == "pg_retry";
  }

 protected:
  Result<std::unique_ptr<Connection>> open_connection() override {
    CD_ASSIGN(PGconn * raw, connect());
    auto conn = std::make_unique<PgConnection>(raw);  // owns raw from here on
    CD_TRY(check_durable(raw, parts_.description));
    PgResult res(PQexec(raw, "SET client_min_messages = warning; SET bytea_output = hex"));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
      return fail(ErrorCode::kStorage, "cannot configure session on " + parts_.description, "db");
    return std::unique_ptr<Connection>(std::move(conn));
  }

 private:
  Result<PGconn*> connect() const {
    // Keywords after the expanded URL override it, so the timeout goes first as a default.
    const char* keys[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {kConnectTimeoutSeconds, url_.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!conn) return fail(ErrorCode::kStorage, "out of memory connecting to PostgreSQL", "db");
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string msg = scrub(trim(PQerrorMessage(conn)), parts_.password);
      PQfinish(conn);
      return fail(ErrorCode::kStorage, "cannot connect to " + parts_.description + ": " + msg,
                  "db");
    }
    return conn;
  }

  std::string url_;
  UrlParts parts_;
};

}  // namespace

std::string to_postgres_placeholders(std::string_view sql) {
  return rewrite_placeholders(sql, nullptr);
}

Result<std::shared_ptr<Database>> open_postgres(std::string_view url) {
  auto db = std::make_shared<PgDatabase>(std::string(url));
  // Open one connection now so a bad URL or an unsafe server fails at start, not mid-request.
  auto probe = db->acquire();
  if (!probe) return std::unexpected(probe.error());
  return std::shared_ptr<Database>(db);
}

}  // namespace civicdesk::store
