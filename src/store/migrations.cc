#include "store/migrations.h"

#include <chrono>

namespace civicdesk::store {
namespace {

// 001: users, sessions, the audit chain, parties and the search index.
const char* kFoundation = R"SQL(
CREATE TABLE users (
  id %ID%,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled %INT% NOT NULL DEFAULT 0,
  failed_logins %INT% NOT NULL DEFAULT 0,
  locked_until_us %INT% NOT NULL DEFAULT 0,
  last_login_us %INT%,
  created_us %INT% NOT NULL,
  version %INT% NOT NULL DEFAULT 1
) %STRICT%;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id %INT% NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_us %INT% NOT NULL,
  last_seen_us %INT% NOT NULL,
  ended_us %INT%,
  client TEXT NOT NULL
) %STRICT%;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  seq %INT% PRIMARY KEY,
  at_us %INT% NOT NULL,
  user_id %INT%,
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  request_id TEXT NOT NULL,
  client TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) %STRICT%;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_user ON audit_log(username, seq);
CREATE INDEX audit_at ON audit_log(at_us);

CREATE TABLE audit_head (
  id %INT% PRIMARY KEY CHECK (id = 1),
  last_seq %INT% NOT NULL,
  last_hash TEXT NOT NULL
) %STRICT%;
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '');

CREATE TABLE parties (
  id %ID%,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'business')),
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  business_name TEXT NOT NULL DEFAULT '',
  display_name TEXT NOT NULL,
  preferred_language TEXT NOT NULL DEFAULT 'en',
  contact_preference TEXT NOT NULL DEFAULT 'mail',
  flags TEXT NOT NULL DEFAULT '',
  name_key TEXT NOT NULL,
  created_us %INT% NOT NULL,
  updated_us %INT% NOT NULL,
  version %INT% NOT NULL DEFAULT 1
) %STRICT%;
CREATE INDEX parties_name_key ON parties(name_key);

CREATE TABLE party_addresses (
  party_id %INT% NOT NULL REFERENCES parties(id),
  position %INT% NOT NULL,
  kind TEXT NOT NULL,
  line1 TEXT NOT NULL,
  line2 TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  address_key TEXT NOT NULL,
  PRIMARY KEY (party_id, position)
) %STRICT%;
CREATE INDEX party_addresses_key ON party_addresses(address_key);

CREATE TABLE party_phones (
  party_id %INT% NOT NULL REFERENCES parties(id),
  position %INT% NOT NULL,
  kind TEXT NOT NULL,
  number TEXT NOT NULL,
  digits TEXT NOT NULL,
  PRIMARY KEY (party_id, position)
) %STRICT%;
CREATE INDEX party_phones_digits ON party_phones(digits);

CREATE TABLE party_emails (
  party_id %INT% NOT NULL REFERENCES parties(id),
  position %INT% NOT NULL,
  address TEXT NOT NULL,
  address_key TEXT NOT NULL,
  PRIMARY KEY (party_id, position)
) %STRICT%;
CREATE INDEX party_emails_key ON party_emails(address_key);

CREATE TABLE search_docs (
  doc_id %ID%,
  kind TEXT NOT NULL,
  entity_id %INT% NOT NULL,
  title TEXT NOT NULL,
  subtitle TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (kind, entity_id)
) %STRICT%;

CREATE TABLE search_terms (
  term TEXT PRIMARY KEY
) %STRICT%;
)SQL";

// The audit trail is append-only: the database itself refuses edits and deletions.
const char* kFoundationSqlite = R"SQL(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE VIRTUAL TABLE search_fts USING fts5(
  body, content='search_docs', content_rowid='doc_id',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_fts(rowid, body) VALUES (new.doc_id, new.body);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
  INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.doc_id, old.body);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
  INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.doc_id, old.body);
  INSERT INTO search_fts(rowid, body) VALUES (new.doc_id, new.body);
END;
)SQL";

const char* kFoundationPostgres = R"SQL(
CREATE FUNCTION civicdesk_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION civicdesk_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION civicdesk_refuse_change();

ALTER TABLE search_docs ADD COLUMN tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED;
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
)SQL";

const char* kMigrationsTable = R"SQL(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version %INT% PRIMARY KEY,
  name TEXT NOT NULL,
  applied_us %INT% NOT NULL
) %STRICT%;
)SQL";

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> kAll = {
      {1, "foundation", kFoundation, kFoundationSqlite, kFoundationPostgres},
  };
  return kAll;
}

Result<int> schema_version(Database& db) {
  return db.write<int>([&](Connection& c) -> Result<int> {
    CD_TRY(c.exec_script(ddl(c.dialect(), kMigrationsTable)));
    return c.query_int("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  });
}

Result<std::vector<int>> migrate(Database& db) {
  std::vector<int> applied;
  for (const Migration& m : all_migrations()) {
    auto done = db.write<bool>([&](Connection& c) -> Result<bool> {
      CD_TRY(c.exec_script(ddl(c.dialect(), kMigrationsTable)));
      CD_ASSIGN(auto have, c.query_int("SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
                                       {std::int64_t{m.version}}));
      if (have > 0) return false;
      CD_TRY(c.exec_script(ddl(c.dialect(), m.portable)));
      const std::string& extra = c.dialect() == Dialect::kSqlite ? m.sqlite : m.postgres;
      if (!extra.empty()) CD_TRY(c.exec_script(extra));
      CD_TRY(c.exec("INSERT INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)",
                    {std::int64_t{m.version}, m.name, now_us()}));
      return true;
    });
    if (!done) return std::unexpected(done.error());
    if (*done) applied.push_back(m.version);
  }
  return applied;
}

}  // namespace civicdesk::store
