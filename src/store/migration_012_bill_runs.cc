// 012: utility billing, part 2 — bill runs and the accounts each run reached, bills with their
// explained lines, late penalties, and the two account flags that hold penalties back. (Owned by
// the billing context; see src/billing/bill_run.h.) Money is INTEGER cents; every table is STRICT
// on SQLite.
//
// The guards that make a run safe to repeat live here, not only in code:
//   bill_run_accounts UNIQUE (run_id, account_id) — an account is reached once per run;
//   bills_one_issued UNIQUE (account_id, period_from) WHERE status = 'issued' — an account has at
//     most one standing bill per period, whatever run, rebill or crash tried to write a second;
//   bill_penalties UNIQUE (bill_id) — a bill is penalised once.
#include "store/migrations.h"

namespace civicdesk::store {

Migration bill_runs_migration() {
  return {12, "bill_runs", R"SQL(
CREATE TABLE bill_runs (
  id %ID%,
  cycle_id %INT% NOT NULL REFERENCES cycles(id),
  period_end TEXT NOT NULL,
  bill_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
  accounts %INT% NOT NULL DEFAULT 0,
  billed %INT% NOT NULL DEFAULT 0,
  exceptions %INT% NOT NULL DEFAULT 0,
  skipped %INT% NOT NULL DEFAULT 0,
  total_cents %INT% NOT NULL DEFAULT 0,
  started_us %INT% NOT NULL,
  finished_us %INT%,
  started_by_name TEXT NOT NULL
) %STRICT%;
CREATE INDEX bill_runs_cycle ON bill_runs(cycle_id, period_end, status);

CREATE TABLE bills (
  id %ID%,
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  account_number %INT% NOT NULL,
  party_id %INT% NOT NULL REFERENCES parties(id),
  run_id %INT% REFERENCES bill_runs(id),
  kind TEXT NOT NULL CHECK (kind IN ('regular', 'first', 'final', 'rebill')),
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  days %INT% NOT NULL,
  usage_mccf %INT% NOT NULL DEFAULT 0,
  bill_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  obligation_id %INT%,
  total_cents %INT% NOT NULL,
  previous_balance_cents %INT% NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('issued', 'cancelled')),
  estimated %INT% NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
  read_ids TEXT NOT NULL DEFAULT '',
  rebill_of %INT% REFERENCES bills(id),
  cancel_reason TEXT NOT NULL DEFAULT '',
  cancelled_by_name TEXT NOT NULL DEFAULT '',
  cancelled_us %INT%,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX bills_account ON bills(account_id, period_to, id);
CREATE INDEX bills_run ON bills(run_id, id);
CREATE INDEX bills_due ON bills(status, due_date);
CREATE UNIQUE INDEX bills_one_issued ON bills(account_id, period_from) WHERE status = 'issued';

CREATE TABLE bill_lines (
  id %ID%,
  bill_id %INT% NOT NULL REFERENCES bills(id),
  line_no %INT% NOT NULL,
  service TEXT NOT NULL,
  component TEXT NOT NULL,
  description TEXT NOT NULL,
  amount_cents %INT% NOT NULL,
  revenue_account TEXT NOT NULL,
  explanation TEXT NOT NULL DEFAULT '',
  read_ids TEXT NOT NULL DEFAULT '',
  UNIQUE (bill_id, line_no)
) %STRICT%;

CREATE TABLE bill_run_accounts (
  run_id %INT% NOT NULL REFERENCES bill_runs(id),
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  account_number %INT% NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('billed', 'exception', 'already_billed')),
  bill_id %INT% REFERENCES bills(id),
  reason_code TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  created_us %INT% NOT NULL,
  PRIMARY KEY (run_id, account_id)
) %STRICT%;
CREATE INDEX bill_run_accounts_status ON bill_run_accounts(run_id, status, account_number);

CREATE TABLE bill_penalties (
  id %ID%,
  bill_id %INT% NOT NULL UNIQUE REFERENCES bills(id),
  obligation_id %INT% NOT NULL,
  amount_cents %INT% NOT NULL,
  assessed_on TEXT NOT NULL,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL
) %STRICT%;

ALTER TABLE utility_accounts ADD COLUMN in_dispute %INT% NOT NULL DEFAULT 0;
ALTER TABLE utility_accounts ADD COLUMN payment_arrangement %INT% NOT NULL DEFAULT 0;
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
