// 008: the state DMV file exchange for parking citations — the files exchanged (requests,
// responses, registration holds), each plate requested, each owner answered, and each hold
// placed and released with the file that carried it. (Owned by the citations context; see
// src/citations/dmv_book.h and docs/formats/dmv-exchange.md.)
//
// A request or hold file is unique per date (a rerun for the date returns the stored file and
// never writes a line twice); a response file is unique by its hash (the same file twice
// changes nothing). A hold row is opened by the file that places it and closed by the file
// that releases it, so each citation is in a file once per change.
#include "store/migrations.h"

namespace civicdesk::store {

Migration dmv_migration() {
  return {8, "citation_dmv", R"SQL(
CREATE TABLE dmv_files (
  id %ID%,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'response', 'holds')),
  file_date TEXT NOT NULL,
  file_hash TEXT NOT NULL UNIQUE,
  content TEXT NOT NULL,
  record_count %INT% NOT NULL DEFAULT 0,
  found_count %INT% NOT NULL DEFAULT 0,
  not_found_count %INT% NOT NULL DEFAULT 0,
  confidential_count %INT% NOT NULL DEFAULT 0,
  out_of_state_count %INT% NOT NULL DEFAULT 0,
  matched_count %INT% NOT NULL DEFAULT 0,
  created_count %INT% NOT NULL DEFAULT 0,
  citations_count %INT% NOT NULL DEFAULT 0,
  placed_count %INT% NOT NULL DEFAULT 0,
  released_count %INT% NOT NULL DEFAULT 0,
  problem_count %INT% NOT NULL DEFAULT 0,
  created_by_name TEXT NOT NULL,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE UNIQUE INDEX dmv_files_one_per_date ON dmv_files(kind, file_date) WHERE kind <> 'response';
CREATE INDEX dmv_files_by_id ON dmv_files(kind, id);

CREATE TABLE dmv_requests (
  id %ID%,
  file_id %INT% REFERENCES dmv_files(id),
  plate TEXT NOT NULL,
  plate_state TEXT NOT NULL,
  citation_id %INT% NOT NULL REFERENCES citations(id),
  violation_on TEXT NOT NULL,
  requested_on TEXT NOT NULL,
  response_id %INT%
) %STRICT%;
CREATE INDEX dmv_requests_plate ON dmv_requests(plate_state, plate, requested_on);
CREATE INDEX dmv_requests_file ON dmv_requests(file_id, id);

CREATE TABLE dmv_responses (
  id %ID%,
  file_id %INT% NOT NULL REFERENCES dmv_files(id),
  line %INT% NOT NULL,
  request_id %INT%,
  plate TEXT NOT NULL,
  plate_state TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('found', 'not_found', 'confidential', 'out_of_state')),
  owner_party_id %INT% REFERENCES parties(id),
  owner_name TEXT NOT NULL DEFAULT '',
  co_owner_name TEXT NOT NULL DEFAULT '',
  make TEXT NOT NULL DEFAULT '',
  vin TEXT NOT NULL DEFAULT '',
  registration_expires_on TEXT,
  owner_since TEXT,
  responded_on TEXT NOT NULL,
  citations_matched %INT% NOT NULL DEFAULT 0,
  UNIQUE (file_id, line)
) %STRICT%;
CREATE INDEX dmv_responses_plate ON dmv_responses(plate_state, plate, status, owner_since);

CREATE TABLE dmv_holds (
  id %ID%,
  citation_id %INT% NOT NULL REFERENCES citations(id),
  placed_file_id %INT% NOT NULL REFERENCES dmv_files(id),
  released_file_id %INT% REFERENCES dmv_files(id),
  UNIQUE (citation_id, placed_file_id)
) %STRICT%;
CREATE INDEX dmv_holds_open ON dmv_holds(released_file_id, citation_id);
CREATE INDEX dmv_holds_citation ON dmv_holds(citation_id, id);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
