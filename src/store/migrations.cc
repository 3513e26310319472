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

// 002: the ledger — obligations and their charge lines, the append-only journal, payments,
// O(1) balances (recomputable from the journal), approvals, refunds, idempotency keys.
const char* kLedger = R"SQL(
CREATE TABLE obligations (
  id %ID%,
  party_id %INT% NOT NULL REFERENCES parties(id),
  account_ref TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'written_off', 'cancelled')),
  original_cents %INT% NOT NULL,
  balance_cents %INT% NOT NULL,
  written_off_cents %INT% NOT NULL DEFAULT 0,
  source_ref TEXT NOT NULL DEFAULT '',
  created_us %INT% NOT NULL,
  charge_entry_id %INT% NOT NULL DEFAULT 0
) %STRICT%;
CREATE INDEX obligations_party ON obligations(party_id, status);
CREATE INDEX obligations_open_due ON obligations(status, due_date);

CREATE TABLE charge_lines (
  id %ID%,
  obligation_id %INT% NOT NULL REFERENCES obligations(id),
  line_no %INT% NOT NULL,
  description TEXT NOT NULL,
  revenue_account TEXT NOT NULL,
  fund TEXT NOT NULL,
  amount_cents %INT% NOT NULL,
  balance_cents %INT% NOT NULL,
  is_penalty %INT% NOT NULL DEFAULT 0,
  UNIQUE (obligation_id, line_no)
) %STRICT%;

CREATE TABLE journal_entries (
  id %ID%,
  kind TEXT NOT NULL,
  posting_date TEXT NOT NULL,
  at_us %INT% NOT NULL,
  memo TEXT NOT NULL,
  party_id %INT%,
  reverses_entry_id %INT%,
  user_id %INT%,
  username TEXT NOT NULL,
  request_id TEXT NOT NULL,
  idempotency_key TEXT UNIQUE
) %STRICT%;
CREATE INDEX journal_entries_party ON journal_entries(party_id, id);
CREATE INDEX journal_entries_date ON journal_entries(posting_date, id);

CREATE TABLE journal_lines (
  id %ID%,
  entry_id %INT% NOT NULL REFERENCES journal_entries(id),
  account TEXT NOT NULL,
  fund TEXT NOT NULL,
  debit_cents %INT% NOT NULL CHECK (debit_cents >= 0),
  credit_cents %INT% NOT NULL CHECK (credit_cents >= 0),
  party_id %INT%,
  obligation_id %INT%,
  charge_line_id %INT%,
  payment_id %INT%,
  CHECK ((debit_cents = 0) <> (credit_cents = 0))
) %STRICT%;
CREATE INDEX journal_lines_entry ON journal_lines(entry_id);
CREATE INDEX journal_lines_obligation ON journal_lines(obligation_id);
CREATE INDEX journal_lines_payment ON journal_lines(payment_id);

CREATE TABLE payments (
  id %ID%,
  party_id %INT% NOT NULL REFERENCES parties(id),
  entry_id %INT%,
  tender TEXT NOT NULL,
  channel TEXT NOT NULL,
  cash_account_prefix TEXT NOT NULL,
  amount_cents %INT% NOT NULL,
  unapplied_cents %INT% NOT NULL,
  payer TEXT NOT NULL,
  reference TEXT NOT NULL,
  received_us %INT% NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('posted', 'returned', 'transferred')),
  transferred_from_payment_id %INT%,
  closing_entry_id %INT%
) %STRICT%;
CREATE INDEX payments_party ON payments(party_id, id);

CREATE TABLE account_balances (
  account TEXT PRIMARY KEY,
  fund TEXT NOT NULL,
  debit_cents %INT% NOT NULL,
  credit_cents %INT% NOT NULL
) %STRICT%;

CREATE TABLE party_balances (
  party_id %INT% PRIMARY KEY REFERENCES parties(id),
  receivable_cents %INT% NOT NULL DEFAULT 0,
  credit_cents %INT% NOT NULL DEFAULT 0,
  returned_payments %INT% NOT NULL DEFAULT 0
) %STRICT%;

CREATE TABLE approvals (
  id %ID%,
  kind TEXT NOT NULL CHECK (kind IN ('adjustment', 'refund')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
  party_id %INT% NOT NULL,
  obligation_id %INT%,
  amount_cents %INT% NOT NULL,
  reason TEXT NOT NULL,
  note TEXT NOT NULL,
  payload TEXT NOT NULL,
  requested_by %INT% NOT NULL,
  requested_by_name TEXT NOT NULL,
  requested_us %INT% NOT NULL,
  decided_by %INT%,
  decided_by_name TEXT,
  decided_us %INT%,
  decision_note TEXT,
  result_entry_id %INT%,
  idempotency_key TEXT UNIQUE
) %STRICT%;
CREATE INDEX approvals_status ON approvals(status, id);

CREATE TABLE refunds (
  id %ID%,
  party_id %INT% NOT NULL REFERENCES parties(id),
  approval_id %INT% NOT NULL REFERENCES approvals(id),
  amount_cents %INT% NOT NULL,
  method TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'issued', 'denied')),
  payable_entry_id %INT%,
  issued_entry_id %INT%,
  check_number TEXT NOT NULL DEFAULT '',
  requested_us %INT% NOT NULL,
  issued_us %INT%
) %STRICT%;
CREATE INDEX refunds_party ON refunds(party_id);

CREATE TABLE idempotency_keys (
  user_id %INT% NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  instance TEXT NOT NULL,
  status TEXT NOT NULL,
  response_status %INT%,
  response_body TEXT,
  created_us %INT% NOT NULL,
  PRIMARY KEY (user_id, idem_key)
) %STRICT%;
)SQL";

const char* kLedgerSqlite = R"SQL(
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only'); END;
CREATE TRIGGER journal_lines_no_update BEFORE UPDATE ON journal_lines
BEGIN SELECT RAISE(ABORT, 'journal_lines is append-only'); END;
CREATE TRIGGER journal_lines_no_delete BEFORE DELETE ON journal_lines
BEGIN SELECT RAISE(ABORT, 'journal_lines is append-only'); END;
)SQL";

const char* kLedgerPostgres = R"SQL(
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION civicdesk_refuse_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION civicdesk_refuse_change();
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
  FOR EACH ROW EXECUTE FUNCTION civicdesk_refuse_change();
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
  FOR EACH STATEMENT EXECUTE FUNCTION civicdesk_refuse_change();
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
      {2, "ledger", kLedger, kLedgerSqlite, kLedgerPostgres},
      cashiering_migration(),
      mailroom_migration(),
      // 005: the typo vocabulary holds words only; numbers are never corrected (decision 002).
      {5, "search_terms_words_only", "",
       "DELETE FROM search_terms WHERE term GLOB '*[0-9]*';",
       "DELETE FROM search_terms WHERE term ~ '[0-9]';"},
      // 006: a party's journal lines by party, in entry order (statements, the ledger tab).
      {6, "journal_lines_by_party",
       "CREATE INDEX journal_lines_party ON journal_lines(party_id, entry_id, account, "
       "debit_cents, credit_cents);",
       "", ""},
      citations_migration(),
      dmv_migration(),
      citation_notices_plans_migration(),
      billing_migration(),
      citation_queues_migration(),
      bill_runs_migration(),
      citation_boots_migration(),
      bill_notices_migration(),
      read_exception_range_migration(),
      bill_run_order_migration(),
      citation_plate_migration(),
      read_exception_account_migration(),
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
      if (!m.portable.empty()) CD_TRY(c.exec_script(ddl(c.dialect(), m.portable)));
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
