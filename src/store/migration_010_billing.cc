// 010: utility billing, part 1 — premises, utility accounts, their services, meters and where
// they are installed, refuse carts, billing cycles, read routes, meter reads, the read exception
// queue and field work (re-reads). (Owned by the billing context; see
// src/billing/utility_book.h.) Money is INTEGER cents; usage is INTEGER thousandths of a CCF
// (mccf, billing/meter.h); every table is STRICT on SQLite.
//
// A read row keeps what a bill run needs without recomputing: the usage since the previous
// accepted read on the same meter (usage_mccf, may be negative for a true-up) and the days of
// that period. Reads are never deleted: a corrected, estimated-over or re-read read is marked
// superseded and points nowhere; its replacement points at it (replaces_read_id).
#include "store/migrations.h"

namespace civicdesk::store {

Migration billing_migration() {
  return {10, "billing", R"SQL(
CREATE TABLE premises (
  id %ID%,
  line1 TEXT NOT NULL,
  line2 TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  address_key TEXT NOT NULL UNIQUE,
  parcel_number TEXT NOT NULL DEFAULT '',
  premise_type TEXT NOT NULL,
  dwelling_units %INT% NOT NULL DEFAULT 1,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX premises_parcel ON premises(parcel_number);

CREATE TABLE cycles (
  id %ID%,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  read_day %INT% NOT NULL CHECK (read_day BETWEEN 1 AND 28),
  period_months %INT% NOT NULL CHECK (period_months BETWEEN 1 AND 3),
  created_us %INT% NOT NULL
) %STRICT%;

CREATE TABLE utility_accounts (
  id %ID%,
  number %INT% NOT NULL UNIQUE CHECK (number BETWEEN 1 AND 9999999999),
  party_id %INT% NOT NULL REFERENCES parties(id),
  premise_id %INT% NOT NULL REFERENCES premises(id),
  cycle_id %INT% NOT NULL REFERENCES cycles(id),
  status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
  opened_on TEXT NOT NULL,
  closed_on TEXT,
  mail_line1 TEXT NOT NULL DEFAULT '',
  mail_line2 TEXT NOT NULL DEFAULT '',
  mail_city TEXT NOT NULL DEFAULT '',
  mail_state TEXT NOT NULL DEFAULT '',
  mail_postal_code TEXT NOT NULL DEFAULT '',
  deposit_cents %INT% NOT NULL DEFAULT 0 CHECK (deposit_cents >= 0),
  cash_only %INT% NOT NULL DEFAULT 0 CHECK (cash_only IN (0, 1)),
  no_shutoff %INT% NOT NULL DEFAULT 0 CHECK (no_shutoff IN (0, 1)),
  landlord %INT% NOT NULL DEFAULT 0 CHECK (landlord IN (0, 1)),
  created_us %INT% NOT NULL,
  updated_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX utility_accounts_party ON utility_accounts(party_id, number);
CREATE INDEX utility_accounts_premise ON utility_accounts(premise_id, status);
CREATE INDEX utility_accounts_cycle ON utility_accounts(cycle_id, status, number);

CREATE TABLE services (
  id %ID%,
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  kind TEXT NOT NULL CHECK (kind IN ('water', 'sewer', 'refuse', 'stormwater')),
  rate_class TEXT NOT NULL,
  started_on TEXT NOT NULL,
  stopped_on TEXT,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX services_account ON services(account_id, kind);

CREATE TABLE meters (
  id %ID%,
  serial TEXT NOT NULL UNIQUE,
  size TEXT NOT NULL DEFAULT '',
  make TEXT NOT NULL DEFAULT '',
  dials %INT% NOT NULL CHECK (dials BETWEEN 3 AND 10),
  multiplier %INT% NOT NULL CHECK (multiplier >= 1),
  unit TEXT NOT NULL CHECK (unit IN ('gallons', 'cubic_feet', 'ccf')),
  created_us %INT% NOT NULL
) %STRICT%;

CREATE TABLE meter_installs (
  id %ID%,
  meter_id %INT% NOT NULL REFERENCES meters(id),
  premise_id %INT% NOT NULL REFERENCES premises(id),
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  installed_on TEXT NOT NULL,
  initial_read %INT% NOT NULL,
  removed_on TEXT,
  final_read %INT%,
  removal_reason TEXT NOT NULL DEFAULT '',
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX meter_installs_meter ON meter_installs(meter_id, id);
CREATE INDEX meter_installs_account ON meter_installs(account_id, id);
-- A meter is installed in one place at a time.
CREATE UNIQUE INDEX meter_installs_one_open ON meter_installs(meter_id) WHERE removed_on IS NULL;

CREATE TABLE refuse_carts (
  id %ID%,
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  size_gallons %INT% NOT NULL,
  cart_count %INT% NOT NULL CHECK (cart_count BETWEEN 1 AND 10),
  pickups_per_week %INT% NOT NULL CHECK (pickups_per_week BETWEEN 1 AND 7),
  started_on TEXT NOT NULL,
  stopped_on TEXT,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX refuse_carts_account ON refuse_carts(account_id);

CREATE TABLE read_routes (
  id %ID%,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  cycle_id %INT% NOT NULL REFERENCES cycles(id),
  created_us %INT% NOT NULL
) %STRICT%;

-- A premise is on one route, once.
CREATE TABLE route_stops (
  route_id %INT% NOT NULL REFERENCES read_routes(id),
  premise_id %INT% NOT NULL UNIQUE REFERENCES premises(id),
  sequence %INT% NOT NULL CHECK (sequence >= 1),
  PRIMARY KEY (route_id, sequence)
) %STRICT%;

CREATE TABLE reads (
  id %ID%,
  meter_id %INT% NOT NULL REFERENCES meters(id),
  install_id %INT% NOT NULL REFERENCES meter_installs(id),
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  read_on TEXT NOT NULL,
  value %INT% NOT NULL CHECK (value >= 0),
  kind TEXT NOT NULL CHECK (kind IN ('actual', 'estimated', 'initial', 'final')),
  source TEXT NOT NULL CHECK (source IN ('manual', 'handheld', 'estimate', 'install',
                                         'exchange', 'correction')),
  status TEXT NOT NULL CHECK (status IN ('accepted', 'exception', 'superseded')),
  register_units %INT% NOT NULL DEFAULT 0,
  usage_mccf %INT% NOT NULL DEFAULT 0,
  days %INT% NOT NULL DEFAULT 0,
  rollover %INT% NOT NULL DEFAULT 0 CHECK (rollover IN (0, 1)),
  true_up %INT% NOT NULL DEFAULT 0 CHECK (true_up IN (0, 1)),
  check_code TEXT NOT NULL DEFAULT 'ok',
  reader TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  replaces_read_id %INT% REFERENCES reads(id),
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX reads_meter ON reads(meter_id, status, read_on, id);
CREATE INDEX reads_account ON reads(account_id, status, read_on, id);

CREATE TABLE read_exceptions (
  id %ID%,
  read_id %INT% NOT NULL UNIQUE REFERENCES reads(id),
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'reread', 'accepted', 'corrected', 'estimated',
                                         'superseded')),
  resolution_note TEXT NOT NULL DEFAULT '',
  resolved_by_name TEXT NOT NULL DEFAULT '',
  resolved_us %INT%,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX read_exceptions_status ON read_exceptions(status, id);

CREATE TABLE field_work (
  id %ID%,
  kind TEXT NOT NULL CHECK (kind IN ('re_read')),
  account_id %INT% NOT NULL REFERENCES utility_accounts(id),
  meter_id %INT% NOT NULL REFERENCES meters(id),
  read_id %INT% REFERENCES reads(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
  note TEXT NOT NULL DEFAULT '',
  requested_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  completed_us %INT%
) %STRICT%;
CREATE INDEX field_work_status ON field_work(status, id);
CREATE INDEX field_work_meter ON field_work(meter_id, status);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
