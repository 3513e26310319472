// 003: the counter — drawers, cashier sessions, counter transactions with items and tenders,
// receipts, deposits, revolving funds. (Owned by the cashiering context.)
//
// Money is INTEGER cents. A drawer has at most one session that is not closed (a UNIQUE partial
// index), and so has a cashier. Receipt numbers are per drawer and unique (drawer, number); the
// drawer's next_receipt is advanced in the same transaction that posts the payments, so a
// rollback gives the number back and the sequence has no gaps. A closed session, and every
// transaction of a closed session, refuses UPDATE (triggers); sessions and transactions refuse
// DELETE. Card tenders hold only the gateway's token, the brand and the last four digits.
#include "store/migrations.h"

namespace civicdesk::store {
namespace {

const char* kPortable = R"SQL(
CREATE TABLE drawers (
  id %ID%,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  office TEXT NOT NULL,
  bank_account TEXT NOT NULL,
  printer TEXT NOT NULL DEFAULT '',
  next_receipt %INT% NOT NULL DEFAULT 1 CHECK (next_receipt >= 1),
  created_us %INT% NOT NULL
) %STRICT%;

CREATE TABLE cashier_sessions (
  id %ID%,
  drawer_id %INT% NOT NULL REFERENCES drawers(id),
  cashier_id %INT% NOT NULL REFERENCES users(id),
  cashier_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'counted', 'closed')),
  business_date TEXT NOT NULL,
  opened_us %INT% NOT NULL,
  float_cents %INT% NOT NULL CHECK (float_cents >= 0),
  float_count TEXT NOT NULL,
  counted_us %INT%,
  counted_by %INT%,
  counted_cents %INT%,
  counted_count TEXT,
  expected_cents %INT%,
  over_short_cents %INT%,
  over_short_reason TEXT NOT NULL DEFAULT '',
  closed_us %INT%,
  closed_by %INT%,
  over_short_entry_id %INT%,
  close_entry_id %INT%
) %STRICT%;
CREATE UNIQUE INDEX cashier_sessions_one_per_drawer ON cashier_sessions(drawer_id)
  WHERE status <> 'closed';
CREATE UNIQUE INDEX cashier_sessions_one_per_cashier ON cashier_sessions(cashier_id)
  WHERE status <> 'closed';
CREATE INDEX cashier_sessions_date ON cashier_sessions(business_date, id);

-- What a session's close moved from cash in drawers (1010) to undeposited funds (1020), per fund.
CREATE TABLE session_funds (
  session_id %INT% NOT NULL REFERENCES cashier_sessions(id),
  fund TEXT NOT NULL,
  amount_cents %INT% NOT NULL,
  PRIMARY KEY (session_id, fund)
) %STRICT%;

CREATE TABLE counter_transactions (
  id %ID%,
  session_id %INT% NOT NULL REFERENCES cashier_sessions(id),
  drawer_id %INT% NOT NULL REFERENCES drawers(id),
  cashier_id %INT% NOT NULL REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'card_unknown', 'posted', 'declined',
                                         'failed', 'voided')),
  total_cents %INT% NOT NULL CHECK (total_cents > 0),
  cash_cents %INT% NOT NULL DEFAULT 0,
  change_cents %INT% NOT NULL DEFAULT 0 CHECK (change_cents >= 0),
  tender TEXT NOT NULL,
  receipt_number %INT%,
  created_us %INT% NOT NULL,
  posted_us %INT%,
  voided_us %INT%,
  voided_by %INT%,
  voided_by_name TEXT NOT NULL DEFAULT '',
  void_reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT NOT NULL UNIQUE,
  UNIQUE (drawer_id, receipt_number)
) %STRICT%;
CREATE INDEX counter_transactions_session ON counter_transactions(session_id, id);
CREATE INDEX counter_transactions_status ON counter_transactions(status, id);

CREATE TABLE counter_items (
  transaction_id %INT% NOT NULL REFERENCES counter_transactions(id),
  line_no %INT% NOT NULL,
  party_id %INT% NOT NULL REFERENCES parties(id),
  obligation_id %INT% REFERENCES obligations(id),
  amount_cents %INT% NOT NULL CHECK (amount_cents > 0),
  description TEXT NOT NULL DEFAULT '',
  balance_after_cents %INT%,
  PRIMARY KEY (transaction_id, line_no)
) %STRICT%;

CREATE TABLE counter_tenders (
  transaction_id %INT% NOT NULL REFERENCES counter_transactions(id),
  line_no %INT% NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('cash', 'check', 'money_order', 'card', 'ach')),
  amount_cents %INT% NOT NULL CHECK (amount_cents > 0),
  applied_cents %INT% NOT NULL CHECK (applied_cents >= 0),
  check_number TEXT NOT NULL DEFAULT '',
  bank TEXT NOT NULL DEFAULT '',
  payer TEXT NOT NULL DEFAULT '',
  micr TEXT NOT NULL DEFAULT '',
  card_token TEXT NOT NULL DEFAULT '',
  card_brand TEXT NOT NULL DEFAULT '',
  card_last4 TEXT NOT NULL DEFAULT '',
  card_status TEXT NOT NULL DEFAULT '' CHECK (card_status IN ('', 'pending', 'approved',
                                                             'declined', 'unknown', 'voided')),
  card_reference TEXT NOT NULL DEFAULT '',
  card_authorization TEXT NOT NULL DEFAULT '',
  ach_last4 TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (transaction_id, line_no)
) %STRICT%;

CREATE TABLE counter_payments (
  transaction_id %INT% NOT NULL REFERENCES counter_transactions(id),
  payment_id %INT% NOT NULL UNIQUE REFERENCES payments(id),
  party_id %INT% NOT NULL,
  amount_cents %INT% NOT NULL,
  void_entry_id %INT%,
  PRIMARY KEY (transaction_id, payment_id)
) %STRICT%;

CREATE TABLE receipt_prints (
  id %ID%,
  drawer_id %INT% NOT NULL REFERENCES drawers(id),
  receipt_number %INT% NOT NULL,
  printer TEXT NOT NULL,
  printed_us %INT% NOT NULL,
  printed_by %INT% NOT NULL
) %STRICT%;

CREATE TABLE deposits (
  id %ID%,
  bank_account TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('prepared', 'closed')),
  currency_cents %INT% NOT NULL,
  coin_cents %INT% NOT NULL,
  checks_cents %INT% NOT NULL,
  electronic_cents %INT% NOT NULL,
  total_cents %INT% NOT NULL,
  prepared_by %INT% NOT NULL,
  prepared_by_name TEXT NOT NULL,
  prepared_us %INT% NOT NULL,
  closed_by %INT%,
  closed_by_name TEXT NOT NULL DEFAULT '',
  closed_us %INT%,
  bank_reference TEXT NOT NULL DEFAULT '',
  entry_id %INT%,
  CHECK (status = 'prepared' OR closed_by <> prepared_by)
) %STRICT%;

CREATE TABLE deposit_sessions (
  deposit_id %INT% NOT NULL REFERENCES deposits(id),
  session_id %INT% NOT NULL UNIQUE REFERENCES cashier_sessions(id),
  PRIMARY KEY (deposit_id, session_id)
) %STRICT%;

CREATE TABLE revolving_funds (
  id %ID%,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('change_fund', 'petty_cash')),
  custodian_id %INT% NOT NULL REFERENCES users(id),
  authorized_cents %INT% NOT NULL CHECK (authorized_cents > 0),
  created_us %INT% NOT NULL
) %STRICT%;

CREATE TABLE revolving_fund_counts (
  id %ID%,
  fund_id %INT% NOT NULL REFERENCES revolving_funds(id),
  count_date TEXT NOT NULL,
  counted_us %INT% NOT NULL,
  counted_by %INT% NOT NULL,
  counted_by_name TEXT NOT NULL,
  cash_count TEXT NOT NULL,
  cash_cents %INT% NOT NULL,
  receipts_cents %INT% NOT NULL,
  difference_cents %INT% NOT NULL,
  note TEXT NOT NULL DEFAULT ''
) %STRICT%;
CREATE INDEX revolving_fund_counts_fund ON revolving_fund_counts(fund_id, id);

CREATE TABLE revolving_fund_receipts (
  count_id %INT% NOT NULL REFERENCES revolving_fund_counts(id),
  line_no %INT% NOT NULL,
  description TEXT NOT NULL,
  amount_cents %INT% NOT NULL CHECK (amount_cents > 0),
  PRIMARY KEY (count_id, line_no)
) %STRICT%;

CREATE TABLE revolving_fund_replenishments (
  id %ID%,
  fund_id %INT% NOT NULL REFERENCES revolving_funds(id),
  count_id %INT% REFERENCES revolving_fund_counts(id),
  status TEXT NOT NULL CHECK (status IN ('requested')),
  amount_cents %INT% NOT NULL CHECK (amount_cents > 0),
  requested_by %INT% NOT NULL,
  requested_by_name TEXT NOT NULL,
  requested_us %INT% NOT NULL,
  note TEXT NOT NULL DEFAULT ''
) %STRICT%;
)SQL";

// A closed session and the transactions of a closed session are immutable; nothing is deleted.
const char* kSqlite = R"SQL(
CREATE TRIGGER cashier_sessions_closed_immutable BEFORE UPDATE ON cashier_sessions
  WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed cashier session is immutable'); END;
CREATE TRIGGER cashier_sessions_no_delete BEFORE DELETE ON cashier_sessions
BEGIN SELECT RAISE(ABORT, 'cashier_sessions are never deleted'); END;
CREATE TRIGGER counter_transactions_closed_immutable BEFORE UPDATE ON counter_transactions
  WHEN (SELECT status FROM cashier_sessions WHERE id = OLD.session_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'a transaction of a closed cashier session is immutable'); END;
CREATE TRIGGER counter_transactions_no_delete BEFORE DELETE ON counter_transactions
BEGIN SELECT RAISE(ABORT, 'counter_transactions are never deleted'); END;
CREATE TRIGGER counter_tenders_no_delete BEFORE DELETE ON counter_tenders
BEGIN SELECT RAISE(ABORT, 'counter_tenders are never deleted'); END;
CREATE TRIGGER counter_items_no_delete BEFORE DELETE ON counter_items
BEGIN SELECT RAISE(ABORT, 'counter_items are never deleted'); END;
)SQL";

const char* kPostgres = R"SQL(
CREATE FUNCTION civicdesk_closed_session_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'cashier_sessions are never deleted'; END IF;
  IF OLD.status = 'closed' THEN RAISE EXCEPTION 'a closed cashier session is immutable'; END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION civicdesk_closed_session_transaction_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'counter_transactions are never deleted'; END IF;
  IF (SELECT status FROM cashier_sessions WHERE id = OLD.session_id) = 'closed' THEN
    RAISE EXCEPTION 'a transaction of a closed cashier session is immutable';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cashier_sessions_closed_immutable BEFORE UPDATE OR DELETE ON cashier_sessions
  FOR EACH ROW EXECUTE FUNCTION civicdesk_closed_session_immutable();
CREATE TRIGGER counter_transactions_closed_immutable BEFORE UPDATE OR DELETE
  ON counter_transactions FOR EACH ROW
  EXECUTE FUNCTION civicdesk_closed_session_transaction_immutable();
CREATE TRIGGER counter_tenders_no_delete BEFORE DELETE ON counter_tenders
  FOR EACH ROW EXECUTE FUNCTION civicdesk_refuse_change();
CREATE TRIGGER counter_items_no_delete BEFORE DELETE ON counter_items
  FOR EACH ROW EXECUTE FUNCTION civicdesk_refuse_change();
)SQL";

}  // namespace

Migration cashiering_migration() { return {3, "cashiering", kPortable, kSqlite, kPostgres}; }

}  // namespace civicdesk::store
