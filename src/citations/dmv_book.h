// The DMV exchange in the store: registered-owner requests and responses, and the nightly
// registration-hold file (formats: dmv_files.h, docs/formats/dmv-exchange.md; tables:
// migration 008). The thin service around the pure file writers and readers.
//
// Requests. write_owner_requests(as_of) writes one line per plate that has an open citation
// without a known owner and was not asked for in the last citations.dmv.rerequest_after_days
// days (at most max_requests_per_file plates), naming the plate's oldest such citation and its
// issue date; each line is a dmv_requests row in the same transaction as the file. A second call
// for the same date returns the stored file and asks for nothing more.
//
// Responses. read_owner_responses(content) reads a response file. For a found owner it matches a
// party by the normalised name and postal address (customers::name_key + address_key, as the
// party book's duplicate check does) or creates one, then, for every citation of that plate
// without a known owner issued on or after owner_since (while that owner held it): sets the
// citation's owner and moves each of its open obligations (fine and penalties) to the owner
// with Ledger::reassign_within, one transaction per plate. The file is identified by its
// BLAKE2b hash: the same file again changes nothing (already_read). A new party is created (in
// the party book's own transaction) before its plate's transaction; a crash in between leaves a
// party that the rerun then matches by name and address, never a second one.
//
// Owner of record. A citation entered or imported later for a plate whose owner the DMV named
// (a found response received at most owner_known_days before the issue date, with owner_since
// on or before it) is charged straight to that owner: CitationBook asks owner_of_record.
//
// Holds. write_hold_file(as_of) writes the holds to PLACE (citations whose escalation set the
// DMV-hold flag and that no earlier file placed, or whose last hold was released) and to RELEASE
// (citations a file placed that are now paid, dismissed, voided, written off or on a plan:
// lifecycle transition kReleaseHold, which clears the flag in the same transaction). A hold set
// and satisfied before any file carried it is cleared without a line (the DMV never heard of
// it). Each place and release is a dmv_holds row pointing at its file, so a citation appears once
// per change; a rerun for the same date returns the same file and writes nothing more.
//
// Result codes: kInvalidInput (a file refused as a whole: field header, trailer or file; a
// date), kTooLarge, kNotFound (a file id), kStorage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citations/citation_rules.h"
#include "citations/dmv_files.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/clock.h"
#include "customers/party_book.h"
#include "ledger/ledger.h"
#include "store/db.h"

namespace civicdesk::citations {

inline constexpr int kMaxDmvFilesListed = 200;
inline constexpr int kDmvPlatesPerTransaction = 200;

// One file exchanged, as GET /citations/dmv/files lists it.
struct DmvFileSummary {
  std::int64_t id = 0;
  std::string kind;  // request | response | holds
  std::string file_date;
  std::int64_t records = 0;
  // response:
  std::int64_t found = 0, not_found = 0, confidential = 0, out_of_state = 0;
  std::int64_t matched = 0, created = 0, citations = 0, problems = 0;
  // holds:
  std::int64_t placed = 0, released = 0;
  std::string created_by;
  Timestamp created_us = 0;
};

struct DmvFileResult {
  DmvFileSummary summary;
  std::string content;
  bool already_written = false;  // the date's file existed: returned as stored
};

struct DmvResponseResult {
  DmvFileSummary summary;  // found ... citations: what this file did
  std::vector<LineProblem> problems;
  bool already_read = false;  // the same file was read before: nothing changed
  std::int64_t obligations_moved = 0;
};

// What the citation page shows of the exchange.
struct CitationDmvView {
  std::int64_t owner_party_id = 0;
  std::string owner_name;
  struct HoldFile {
    std::string action;  // place | release
    std::int64_t file_id = 0;
    std::string file_date;
  };
  std::vector<HoldFile> hold_files;
};

// The citation page's share (inside the caller's transaction): CitationBook::citation fills
// Citation::dmv with it.
[[nodiscard]] Result<CitationDmvView> load_citation_dmv_view(store::Connection& c,
                                                             std::int64_t citation_id);

// The party the DMV named as the owner of plate_state/plate on `issued_on` (see above), 0 when
// none. Inside the caller's transaction.
[[nodiscard]] Result<std::int64_t> owner_of_record(store::Connection& c, const DmvRules& rules,
                                                   const std::string& plate_state,
                                                   const std::string& plate, CivilDate issued_on);

class DmvExchange {
 public:
  DmvExchange(store::Database& db, ledger::Ledger& ledger, customers::PartyBook& parties,
              const CityConfig& city, const Clock& clock);

  [[nodiscard]] Result<DmvFileResult> write_owner_requests(const Actor& actor, CivilDate as_of);
  [[nodiscard]] Result<DmvResponseResult> read_owner_responses(const Actor& actor,
                                                               std::string_view content);
  [[nodiscard]] Result<DmvFileResult> write_hold_file(const Actor& actor, CivilDate as_of);

  // Newest first, at most kMaxDmvFilesListed.
  [[nodiscard]] Result<std::vector<DmvFileSummary>> files();
  [[nodiscard]] Result<DmvFileResult> file(std::int64_t id);
  [[nodiscard]] Result<CitationDmvView> citation_view(std::int64_t citation_id);

 private:
  store::Database& db_;
  ledger::Ledger& ledger_;
  customers::PartyBook& parties_;
  const CityConfig& city_;
  const Clock& clock_;
};

}  // namespace civicdesk::citations
