// The state DMV file exchange, as a City's citation processor runs it (docs/formats/dmv-
// exchange.md): the registered-owner request file civicdesk writes (one line per plate), the
// response file the DMV sends back (the owner of record, or not found / confidential / out of
// state), and the nightly registration-hold file (holds to place and to release). Each file is
// CSV with a header record (H), detail records (D) and a trailer record (T) whose count must
// equal the number of detail records.
//
// Also the sandbox responder: the state DMV is a file drop, so demos and tests answer a request
// file with `sandbox_respond`, deterministically from each plate (the same plate always gets the
// same owner; plates beginning "NF" are not found, "CF" confidential; other states' plates are
// out of state).
//
// Pure (text in, values out), thread-safe, never asserts on its input. A file that cannot be
// trusted as a whole (no header, wrong file type, missing or disagreeing trailer, records after
// the trailer, too large) is refused: kInvalidInput naming "header", "trailer" or "file", or
// kTooLarge. A detail record that cannot be read (too few or too many fields, an unknown status,
// a bad date, plate or ZIP) is a LineProblem naming its line and field; the others are read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citations/issuance_import.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::citations {

// A state's whole registration file answered at once is a few million plates.
inline constexpr std::size_t kMaxDmvFileBytes = 256u * 1024 * 1024;
inline constexpr std::int64_t kMaxDmvRecords = 2'000'000;
inline constexpr std::size_t kMaxDmvNameLength = 100;  // as a party's name
inline constexpr std::size_t kMaxDmvRequesterLength = 20;

// The DMV's answer for one plate.
enum class DmvMatch {
  kFound,         // F: the registered owner of record
  kNotFound,      // N: no registration for this plate
  kConfidential,  // C: a confidential record (CVC 1808.21): no name or address released
  kOutOfState,    // O: the plate is another state's; ask that state
};
std::string_view to_code(DmvMatch m);    // F N C O
std::string_view to_string(DmvMatch m);  // found | not_found | confidential | out_of_state

struct DmvRequestLine {
  std::int64_t request_id = 0;  // civicdesk's id; the DMV echoes it
  std::string plate, plate_state;
  std::string citation_number;  // the oldest citation of the plate without a known owner
  CivilDate violation_on;       // its issue date: the DMV answers the owner on that date
};

struct DmvRequestFile {
  std::string requester;  // the City's requester code (citations.dmv.requester_code)
  std::string dmv_state;  // the state whose DMV is asked
  CivilDate file_date;
  std::int64_t file_id = 0;
  std::vector<DmvRequestLine> lines;
};

struct DmvResponseLine {
  int line = 0;  // where it is in its file (the header is line 1)
  std::int64_t request_id = 0;
  std::string plate, plate_state;
  DmvMatch status = DmvMatch::kNotFound;
  // Found only:
  std::string owner_type;  // I (individual: "LAST,FIRST MIDDLE") | B (business)
  std::string owner_name, co_owner_name;
  std::string address_line1, address_line2, city, state, zip;
  std::string make, vin;
  std::optional<CivilDate> registration_expires_on;
  std::optional<CivilDate> owner_since;  // the owner has held the registration since
};

struct DmvResponseFile {
  std::string requester, dmv_state;
  CivilDate response_date;
  std::int64_t request_file_id = 0;  // the request file answered
  std::vector<DmvResponseLine> lines;
};

struct ParsedDmvResponse {
  DmvResponseFile file;
  std::int64_t records = 0;  // detail records in the file
  std::vector<LineProblem> problems;
};

struct ParsedDmvRequest {
  DmvRequestFile file;
  std::int64_t records = 0;
  std::vector<LineProblem> problems;
};

enum class HoldAction { kPlace, kRelease };
std::string_view to_code(HoldAction a);  // P R

struct DmvHoldLine {
  HoldAction action = HoldAction::kPlace;
  std::string plate, plate_state, citation_number;
  CivilDate violation_on;
  Money amount_due;  // for a place: what clears it; a release: 0.00
};

struct DmvHoldFile {
  std::string requester, dmv_state;
  CivilDate file_date;
  std::int64_t file_id = 0;
  std::vector<DmvHoldLine> lines;
};

struct ParsedDmvHolds {
  DmvHoldFile file;
  std::int64_t records = 0;
  std::vector<LineProblem> problems;
};

// Writers: the whole file, header to trailer, each record ending in "\n".
std::string write_request_file(const DmvRequestFile& f);
std::string write_response_file(const DmvResponseFile& f);
std::string write_hold_file(const DmvHoldFile& f);

// Readers (see the top of this file for what refuses a file and what a LineProblem).
[[nodiscard]] Result<ParsedDmvRequest> parse_request_file(std::string_view text);
[[nodiscard]] Result<ParsedDmvResponse> parse_response_file(std::string_view text);
[[nodiscard]] Result<ParsedDmvHolds> parse_hold_file(std::string_view text);

// An individual owner's "LAST,FIRST MIDDLE" as last and first names; a name without a comma is
// all last name.
std::pair<std::string, std::string> split_owner_name(std::string_view name);

// The sandbox DMV's answer for one plate (deterministic: the same plate, the same owner).
DmvResponseLine sandbox_answer(const DmvRequestLine& request, std::string_view dmv_state);
// Answers a whole request file; the request's problems (unreadable lines) are skipped, a file
// refused as a whole is refused here too.
[[nodiscard]] Result<std::string> sandbox_respond(std::string_view request_text,
                                                  CivilDate response_date);

}  // namespace civicdesk::citations
