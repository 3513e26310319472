// 014: utility billing, part 3 — late and shut-off notices and their print batches (owned by the
// billing context; see src/billing/notice_book.h). Money is INTEGER cents; every table is STRICT
// on SQLite.
//
// The guards that make a notice run safe to repeat live here, not only in code:
//   bill_notice_batches UNIQUE (mailed_on) — one batch per mailing date; a rerun finds it;
//   bill_notices_one_late UNIQUE (bill_id) WHERE kind = 'late' — a bill gets one late notice;
//   bill_notices_one_open_shutoff UNIQUE (account_id) WHERE kind = 'shutoff' AND status = 'open'
//     — one shut-off notice per delinquency: the next only after the open one was closed
//     (the account was brought current).
// A notice keeps what was printed (addressee, address, the items past due) so the batch's PDF
// is the same letters whenever it is drawn again; a shut-off notice's delinquency lasts while
// any ledger item it listed (bill_notice_lines.obligation_id) is unpaid.
#include "store/migrations.h"

namespace civicdesk::store {

Migration bill_notices_migration() {
  return {14, "bill_notices", R"SQL(
CREATE TABLE bill_notice_batches (
  id %ID%,
  mailed_on TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
  last_account_number %INT% NOT NULL DEFAULT 0,
  accounts %INT% NOT NULL DEFAULT 0,
  late_count %INT% NOT NULL DEFAULT 0,
  shutoff_count %INT% NOT NULL DEFAULT 0,
  held_no_shutoff %INT% NOT NULL DEFAULT 0,
  held_in_dispute %INT% NOT NULL DEFAULT 0,
  held_payment_arrangement %INT% NOT NULL DEFAULT 0,
  held_below_minimum %INT% NOT NULL DEFAULT 0,
  held_account_closed %INT% NOT NULL DEFAULT 0,
  brought_current %INT% NOT NULL DEFAULT 0,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  finished_us %INT%
) %STRICT%;

CREATE TABLE bill_notices (
  id %ID%,
  batch_id %INT% NOT NULL REFERENCES bill_notice_batches(id),
  kind TEXT NOT NULL CHECK (kind IN ('late', 'shutoff')),
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  account_number %INT% NOT NULL,
  bill_id %INT% REFERENCES bills(id),
  addressee TEXT NOT NULL,
  address TEXT NOT NULL,
  service_address TEXT NOT NULL,
  past_due_cents %INT% NOT NULL,
  delinquent_since TEXT NOT NULL,
  mailed_on TEXT NOT NULL,
  shutoff_on TEXT,
  status TEXT NOT NULL CHECK (status IN ('sent', 'open', 'closed')),
  closed_on TEXT,
  closed_reason TEXT NOT NULL DEFAULT '',
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  CHECK ((kind = 'late' AND bill_id IS NOT NULL AND shutoff_on IS NULL) OR
         (kind = 'shutoff' AND shutoff_on IS NOT NULL))
) %STRICT%;
CREATE UNIQUE INDEX bill_notices_one_late ON bill_notices(bill_id) WHERE kind = 'late';
CREATE UNIQUE INDEX bill_notices_one_open_shutoff ON bill_notices(account_id)
  WHERE kind = 'shutoff' AND status = 'open';
CREATE INDEX bill_notices_batch ON bill_notices(batch_id, account_number, id);
CREATE INDEX bill_notices_account ON bill_notices(account_id, id);
CREATE INDEX bill_notices_shutoff ON bill_notices(kind, status, shutoff_on);

CREATE TABLE bill_notice_lines (
  notice_id %INT% NOT NULL REFERENCES bill_notices(id),
  line_no %INT% NOT NULL,
  obligation_id %INT% NOT NULL REFERENCES obligations(id),
  bill_id %INT%,
  description TEXT NOT NULL,
  due_date TEXT NOT NULL,
  amount_cents %INT% NOT NULL,
  PRIMARY KEY (notice_id, line_no)
) %STRICT%;
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
