// 009: parking citations' delinquency notices (VC 40215) and indigent payment plans (VC 40220).
// (Owned by the citations context; see src/citations/notice_book.h and plan_book.h.) Money is
// INTEGER cents; every table is STRICT on SQLite.
//
// A notice is written by the nightly run in the same transaction as the notice step it belongs
// to: UNIQUE (citation_id, step_number) makes a second notice for the same step impossible. It
// waits ('held') while the registered owner is unknown and goes into the first batch printed
// after the owner is known; a batch is one per date (UNIQUE batch_on), so printing a date again
// prints the same batch.
//
// A plan's money is in the ledger: the processing fee is an obligation (fee_obligation_id), the
// late fees waived on enrolment are credit adjustments on the penalty obligations (one waiver
// row each), reinstated on default as a new obligation (reinstated_obligation_id).
#include "store/migrations.h"

namespace civicdesk::store {

Migration citation_notices_plans_migration() {
  return {9, "citation_notices_plans", R"SQL(
CREATE TABLE citation_notice_batches (
  id %ID%,
  batch_on TEXT NOT NULL UNIQUE,
  notice_count %INT% NOT NULL DEFAULT 0,
  total_due_cents %INT% NOT NULL DEFAULT 0,
  held_count %INT% NOT NULL DEFAULT 0,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL
) %STRICT%;

CREATE TABLE citation_notices (
  id %ID%,
  citation_id %INT% NOT NULL REFERENCES citations(id),
  step_number %INT% NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('delinquency')),
  status TEXT NOT NULL CHECK (status IN ('held', 'ready', 'printed', 'withdrawn')),
  notice_on TEXT NOT NULL,
  addressee_party_id %INT% REFERENCES parties(id),
  addressee_name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  fine_cents %INT% NOT NULL,
  penalties_cents %INT% NOT NULL,
  amount_due_cents %INT% NOT NULL,
  review_deadline TEXT NOT NULL,
  batch_id %INT% REFERENCES citation_notice_batches(id),
  mailed_on TEXT,
  note TEXT NOT NULL DEFAULT '',
  created_us %INT% NOT NULL,
  UNIQUE (citation_id, step_number)
) %STRICT%;
CREATE INDEX citation_notices_waiting ON citation_notices(status, notice_on, id);
CREATE INDEX citation_notices_batch ON citation_notices(batch_id, id);
-- The ledger's settlement hook finds a penalty's citation by its obligation on every payment
-- that pays something in full (citation_book.h settle_within).
CREATE INDEX citation_steps_obligation ON citation_steps(obligation_id);

CREATE TABLE citation_plans (
  id %ID%,
  status TEXT NOT NULL CHECK (status IN ('active', 'kept', 'defaulted')),
  ledger_party_id %INT% NOT NULL REFERENCES parties(id),
  owner_party_id %INT% REFERENCES parties(id),
  plate_state TEXT NOT NULL DEFAULT '',
  plate TEXT NOT NULL DEFAULT '',
  proof TEXT NOT NULL CHECK (proof IN ('attested', 'documented')),
  attested_by TEXT NOT NULL,
  proof_note TEXT NOT NULL DEFAULT '',
  enrolled_on TEXT NOT NULL,
  months %INT% NOT NULL CHECK (months > 0),
  fines_cents %INT% NOT NULL,
  processing_fee_cents %INT% NOT NULL,
  total_cents %INT% NOT NULL,
  max_monthly_cents %INT% NOT NULL,
  late_fees_waived_cents %INT% NOT NULL DEFAULT 0,
  fee_obligation_id %INT% REFERENCES obligations(id),
  closed_on TEXT,
  missed_installment %INT%,
  reinstated_obligation_id %INT% REFERENCES obligations(id),
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL,
  updated_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX citation_plans_status ON citation_plans(status, id);

CREATE TABLE citation_plan_citations (
  plan_id %INT% NOT NULL REFERENCES citation_plans(id),
  citation_id %INT% NOT NULL REFERENCES citations(id),
  fine_cents %INT% NOT NULL,
  PRIMARY KEY (plan_id, citation_id)
) %STRICT%;
CREATE INDEX citation_plan_citations_citation ON citation_plan_citations(citation_id);

CREATE TABLE citation_plan_installments (
  plan_id %INT% NOT NULL REFERENCES citation_plans(id),
  number %INT% NOT NULL,
  due_on TEXT NOT NULL,
  amount_cents %INT% NOT NULL,
  PRIMARY KEY (plan_id, number)
) %STRICT%;

CREATE TABLE citation_plan_waivers (
  id %ID%,
  plan_id %INT% NOT NULL REFERENCES citation_plans(id),
  citation_id %INT% NOT NULL REFERENCES citations(id),
  obligation_id %INT% NOT NULL REFERENCES obligations(id),
  amount_cents %INT% NOT NULL CHECK (amount_cents > 0),
  entry_id %INT% NOT NULL
) %STRICT%;
CREATE INDEX citation_plan_waivers_plan ON citation_plan_waivers(plan_id, id);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
