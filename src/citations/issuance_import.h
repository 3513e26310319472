// The day's issuance files from the handheld citation devices, and adapters for two public data
// sets, all read into the same IssuanceRecord and checked by one function.
//
//   parse_issuance_csv   civicdesk's own layout (docs/formats/citation-issuance.md)
//   parse_sf_citations   SFMTA "Parking Citations" open data (../shared/testdata/
//                        sf-parking-citations-sample/test.csv), as published
//   parse_nyc_tickets    NYC DOF "Parking Violations Issued" extract (../shared/testdata/
//                        nyc-parking-tickets-extract/), as published
//   check_issuance       the City's rules: known violation code, fine in force on the issue
//                        date (a fine written on the citation that differs is a warning), check
//                        digit, duplicates inside the file, field lengths, no future dates
//
// Two stages, so every source gets the same rules: a parser turns text into records and refuses
// lines it cannot read (an unparseable date or amount, a wrong number of fields); check_issuance
// refuses records that break a rule and warns about records it accepts with a doubt. Every
// refusal and warning names the line (the record's first physical line; the header is line 1)
// and the field (the column name of civicdesk's layout). A refused line does not stop the
// others: the import prints accepted and refused counts and each line's error. Problems with the
// file as a whole (too large, header missing a column, an unclosed quote) refuse the file:
// kInvalidInput with field "file" or "header", kTooLarge over the limits below.
//
// Re-import is idempotent: the service compares each accepted record with a stored citation of
// the same number (compare_with_existing) and skips the same record, refusing a different one.
//
// Pure (text in, values out) and thread-safe. Never asserts on its input:
// fuzz/citation_issuance_fuzz.cc runs all three parsers and check_issuance on arbitrary bytes.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citations/citation_rules.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::citations {

// A day of New York (the largest issuer: ~41,000 citations a day) is a few MiB; 512 MiB and two
// million records leave room for a backlog of months in one file while bounding memory.
inline constexpr std::size_t kMaxIssuanceFileBytes = 512u * 1024 * 1024;
inline constexpr std::int64_t kMaxIssuanceRecords = 2'000'000;
// Field lengths (bytes, after trimming).
inline constexpr std::size_t kMaxCitationNumberLength = 20;
inline constexpr std::size_t kMaxViolationCodeLength = 20;
inline constexpr std::size_t kMaxLocationLength = 200;    // as a party's address line
inline constexpr std::size_t kMaxPlateLength = 10;        // US plates have at most 8 characters
inline constexpr std::size_t kMaxVehicleTextLength = 30;  // make, color
inline constexpr std::size_t kMaxVinLength = 17;          // ISO 3779
inline constexpr std::size_t kMaxOfficerIdLength = 20;    // officer and device ids
inline constexpr std::size_t kMaxIssuanceNotesLength = 1000;

struct IssuanceRecord {
  int line = 0;                      // 1-based line where the record starts in its file
  std::string citation_number;       // upper case
  CivilDate issued_on;               // the City's local date
  std::optional<int> issued_minute;  // minutes after local midnight; absent when not recorded
  std::string location;
  std::string violation_code;
  std::optional<Money> fine;  // as written on the citation; absent when the source has none
  std::string plate;          // normalized (normalize_plate); empty: no plate
  std::string plate_state;    // two letters; empty: unknown
  std::string make;
  std::string color;
  std::string vin;
  std::string officer_id;
  std::string device_id;
  std::string notes;
  bool operator==(const IssuanceRecord&) const = default;
};

struct LineProblem {
  int line = 0;
  std::string field;  // civicdesk's column name, or "record" for the line as a whole
  std::string message;
  std::string citation_number;  // when known
};

// What a parser read: records, and the lines it could not read.
struct ParsedIssuance {
  std::int64_t rows = 0;  // data records in the file (header excluded)
  std::vector<IssuanceRecord> records;
  std::vector<LineProblem> errors;
};

[[nodiscard]] Result<ParsedIssuance> parse_issuance_csv(std::string_view text);
[[nodiscard]] Result<ParsedIssuance> parse_sf_citations(std::string_view text);
[[nodiscard]] Result<ParsedIssuance> parse_nyc_tickets(std::string_view text);
// Reads the stream (at most kMaxIssuanceFileBytes; kTooLarge beyond) and parses it with
// parse_issuance_csv.
[[nodiscard]] Result<ParsedIssuance> read_issuance_csv(std::istream& in);

struct IssuanceChecks {
  CivilDate today;  // a citation issued after this day is refused
  // VC 40202 puts the location and the officer on every citation: required for the City's own
  // files. The public data sets publish no officer (SF, NYC) and no location (NYC), so their
  // imports turn these off.
  bool require_location = true;
  bool require_officer = true;
};

struct AcceptedCitation {
  IssuanceRecord record;
  Money fine;  // from the schedule in force on the issue date: what the obligation is charged
};

struct IssuanceReport {
  std::int64_t rows = 0;
  std::vector<AcceptedCitation> accepted;
  std::vector<LineProblem> refused;   // one per refused line, in line order
  std::vector<LineProblem> warnings;  // accepted with a doubt, in line order
};

// Checks every record against `rules` (check digit per rules.check_digit). The parser's errors
// are carried over as refusals. A repeated citation number is refused on every line after the
// first one that uses it. Warnings: a written fine that differs from the schedule (field
// "fine"); no plate and no VIN (field "plate"); a plate without a state (field "plate_state").
IssuanceReport check_issuance(ParsedIssuance parsed, const CitationRules& rules,
                              const IssuanceChecks& checks);

enum class Reimport {
  kNew,       // no stored citation has the number
  kSame,      // the stored citation is this record: skip it (a re-import)
  kConflict,  // the number is taken by a different citation: refuse the line
};
// Compares everything but the line number.
Reimport compare_with_existing(const IssuanceRecord& incoming, const IssuanceRecord* existing);

}  // namespace civicdesk::citations
