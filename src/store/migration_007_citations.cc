// 007: parking citations — the citation register, its history, the escalation steps posted and
// the issuance file imports. (Owned by the citations context; see src/citations/citation_book.h.)
// Money is INTEGER cents; every table is STRICT on SQLite.
//
// The money itself lives in the ledger: a citation points at its fine's obligation
// (obligation_id); each late penalty is an obligation of its own (citation_steps.obligation_id)
// with the same account_ref ("plate:STATE:PLATE"). A step row is written in the same
// transaction as its ledger posting, and UNIQUE (citation_id, step_number) makes a second
// posting of the same step impossible.
#include "store/migrations.h"

namespace civicdesk::store {

Migration citations_migration() {
  return {7, "citations", R"SQL(
CREATE TABLE citations (
  id %ID%,
  number TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  dmv_hold %INT% NOT NULL DEFAULT 0 CHECK (dmv_hold IN (0, 1)),
  issued_on TEXT NOT NULL,
  issued_minute %INT%,
  location TEXT NOT NULL DEFAULT '',
  violation_code TEXT NOT NULL,
  fine_cents %INT% NOT NULL CHECK (fine_cents > 0),
  written_fine_cents %INT%,
  plate TEXT NOT NULL DEFAULT '',
  plate_state TEXT NOT NULL DEFAULT '',
  make TEXT NOT NULL DEFAULT '',
  color TEXT NOT NULL DEFAULT '',
  vin TEXT NOT NULL DEFAULT '',
  officer_id TEXT NOT NULL DEFAULT '',
  device_id TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  owner_party_id %INT% REFERENCES parties(id),
  obligation_id %INT% NOT NULL REFERENCES obligations(id),
  next_step_due_on TEXT,
  notice_mailed_on TEXT,
  decision_on TEXT,
  hearing_on TEXT,
  source TEXT NOT NULL CHECK (source IN ('import', 'manual')),
  import_id %INT%,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  updated_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX citations_plate ON citations(plate_state, plate, id);
CREATE INDEX citations_status_plate ON citations(status, plate_state, plate);
CREATE INDEX citations_owner ON citations(owner_party_id, id);
CREATE INDEX citations_next_step ON citations(next_step_due_on, id);
CREATE INDEX citations_obligation ON citations(obligation_id);

CREATE TABLE citation_events (
  id %ID%,
  citation_id %INT% NOT NULL REFERENCES citations(id),
  event TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  dmv_hold %INT% NOT NULL DEFAULT 0,
  event_on TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  actor_name TEXT NOT NULL,
  approved_by_name TEXT NOT NULL DEFAULT '',
  at_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX citation_events_citation ON citation_events(citation_id, id);

CREATE TABLE citation_steps (
  id %ID%,
  citation_id %INT% NOT NULL REFERENCES citations(id),
  step_number %INT% NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  due_on TEXT NOT NULL,
  posted_on TEXT NOT NULL,
  amount_cents %INT% NOT NULL DEFAULT 0,
  obligation_id %INT% REFERENCES obligations(id),
  without_effect %INT% NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  at_us %INT% NOT NULL,
  UNIQUE (citation_id, step_number)
) %STRICT%;

CREATE TABLE citation_suspensions (
  id %ID%,
  citation_id %INT% NOT NULL REFERENCES citations(id),
  reason TEXT NOT NULL CHECK (reason IN ('contest', 'plan')),
  from_on TEXT NOT NULL,
  until_on TEXT
) %STRICT%;
CREATE INDEX citation_suspensions_citation ON citation_suspensions(citation_id, id);

-- Until the registered owner is known (the DMV exchange), a citation's obligations sit on one
-- holding party; the plate's account_ref keeps each plate's citations apart in the ledger.
CREATE TABLE citation_holder (
  id %INT% PRIMARY KEY CHECK (id = 1),
  party_id %INT% NOT NULL REFERENCES parties(id)
) %STRICT%;

CREATE TABLE citation_imports (
  id %ID%,
  file_hash TEXT NOT NULL UNIQUE,
  rows_count %INT% NOT NULL DEFAULT 0,
  accepted_count %INT% NOT NULL DEFAULT 0,
  created_count %INT% NOT NULL DEFAULT 0,
  skipped_count %INT% NOT NULL DEFAULT 0,
  refused_count %INT% NOT NULL DEFAULT 0,
  total_cents %INT% NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('importing', 'complete')),
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  completed_us %INT%
) %STRICT%;
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
