// 004: the mail room — mail log, department work queues, remittance batches and their items,
// the remittance exception queue, lockbox file imports. (Owned by the remittance context; see
// src/remittance/mailroom.h.) Money is INTEGER cents; every table is STRICT on SQLite.
//
// Payments themselves live in the ledger (payments, journal_*); an item here only points at the
// payment it posted (payment_id), and its posting_key is the ledger idempotency key it used, so
// a resumed post or import finds what it already posted instead of posting again.
#include "store/migrations.h"

namespace civicdesk::store {

Migration mailroom_migration() {
  return {4, "mailroom", R"SQL(
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';

CREATE INDEX obligations_account_ref ON obligations(account_ref, id);

CREATE TABLE remittance_batches (
  id %ID%,
  source TEXT NOT NULL CHECK (source IN ('mail', 'lockbox')),
  batch_date TEXT NOT NULL,
  control_count %INT% NOT NULL CHECK (control_count >= 0),
  control_total_cents %INT% NOT NULL CHECK (control_total_cents >= 0),
  status TEXT NOT NULL CHECK (status IN ('open', 'posting', 'posted')),
  note TEXT NOT NULL DEFAULT '',
  lockbox_import_id %INT%,
  bank_batch %INT%,
  lockbox_number TEXT NOT NULL DEFAULT '',
  posted_count %INT% NOT NULL DEFAULT 0,
  posted_total_cents %INT% NOT NULL DEFAULT 0,
  created_by %INT%,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  posted_us %INT%
) %STRICT%;
CREATE INDEX remittance_batches_status ON remittance_batches(status, id);
CREATE INDEX remittance_batches_import ON remittance_batches(lockbox_import_id, bank_batch);

CREATE TABLE remittance_items (
  id %ID%,
  batch_id %INT% NOT NULL REFERENCES remittance_batches(id),
  seq %INT% NOT NULL,
  entry_method TEXT NOT NULL CHECK (entry_method IN ('scanned', 'keyed', 'none', 'lockbox')),
  scanline TEXT NOT NULL DEFAULT '',
  account_number TEXT NOT NULL DEFAULT '',
  account_ref TEXT NOT NULL DEFAULT '',
  party_id %INT% REFERENCES parties(id),
  stub_amount_cents %INT%,
  check_amount_cents %INT% NOT NULL CHECK (check_amount_cents > 0),
  check_number TEXT NOT NULL DEFAULT '',
  payer TEXT NOT NULL DEFAULT '',
  mail_id %INT%,
  status TEXT NOT NULL CHECK (status IN ('ready', 'exception', 'posted', 'returned', 'removed')),
  exception_reason TEXT NOT NULL DEFAULT '',
  payment_id %INT%,
  posting_key TEXT NOT NULL UNIQUE,
  created_us %INT% NOT NULL,
  UNIQUE (batch_id, seq)
) %STRICT%;
CREATE INDEX remittance_items_status ON remittance_items(batch_id, status, seq);

CREATE TABLE remittance_exceptions (
  id %ID%,
  item_id %INT% NOT NULL UNIQUE REFERENCES remittance_items(id),
  reason TEXT NOT NULL CHECK (reason IN ('unknown_account', 'no_stub', 'amount_mismatch',
                                         'bad_check_digit', 'unreadable_scanline', 'refused')),
  message TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'assigned', 'rejected')),
  resolved_by %INT%,
  resolved_by_name TEXT NOT NULL DEFAULT '',
  resolved_us %INT%,
  resolution_note TEXT NOT NULL DEFAULT '',
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX remittance_exceptions_status ON remittance_exceptions(status, id);

CREATE TABLE mail_log (
  id %ID%,
  received_date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('payment', 'correspondence', 'returned_mail', 'dispute',
                                     'application')),
  from_name TEXT NOT NULL,
  party_id %INT% REFERENCES parties(id),
  subject TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  routed_to TEXT NOT NULL CHECK (routed_to IN ('batch', 'queue')),
  batch_id %INT% REFERENCES remittance_batches(id),
  department TEXT NOT NULL DEFAULT '',
  logged_by %INT%,
  logged_by_name TEXT NOT NULL,
  logged_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX mail_log_date ON mail_log(received_date, id);

CREATE TABLE work_queue_items (
  id %ID%,
  mail_id %INT% NOT NULL UNIQUE REFERENCES mail_log(id),
  department TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  from_name TEXT NOT NULL,
  party_id %INT%,
  received_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'done')),
  completed_by %INT%,
  completed_by_name TEXT NOT NULL DEFAULT '',
  completed_us %INT%,
  resolution TEXT NOT NULL DEFAULT '',
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX work_queue_items_department ON work_queue_items(department, status, due_date, id);

CREATE TABLE lockbox_imports (
  id %ID%,
  file_hash TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  file_id TEXT NOT NULL,
  file_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('importing', 'complete')),
  batch_count %INT% NOT NULL,
  item_count %INT% NOT NULL,
  total_cents %INT% NOT NULL,
  processed_count %INT% NOT NULL DEFAULT 0,
  posted_count %INT% NOT NULL DEFAULT 0,
  posted_cents %INT% NOT NULL DEFAULT 0,
  exception_count %INT% NOT NULL DEFAULT 0,
  exception_cents %INT% NOT NULL DEFAULT 0,
  created_by %INT%,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  completed_us %INT%,
  UNIQUE (origin, file_id, file_date)
) %STRICT%;
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
