// The meter-read file exchanged with the handheld devices (docs/formats/meter-reads.md).
//
// Export: one CSV row per meter on the route, in walk order, with what the reader needs to check
// a read on the spot (previous read, and the low/high range the office would accept). Import:
// the same file back with read_value and read_on filled in (read_by and note optional); columns
// are found by their header names, so a device may drop or reorder the columns it does not use.
// A row with read_value empty was not read (skipped, not an error).
//
// parse_read_results checks each line on its own — required columns present, numbers and dates
// well formed — and reports every bad line with its number and field; the caller applies the
// good ones. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

// A route has a few hundred meters; a whole cycle imported at once a few tens of thousands.
inline constexpr std::size_t kMaxReadFileLines = 100'000;
inline constexpr std::size_t kMaxReadNoteLength = 200;

struct RouteExportRow {
  std::string route;
  int sequence = 0;
  std::int64_t account_number = 0;
  std::string service_address;
  std::string meter_serial, meter_size;
  int dials = 0;
  std::string unit;
  std::int64_t previous_read = 0;
  CivilDate previous_read_on;
  std::optional<std::int64_t> low_read, high_read;  // empty when there is no history
};

// The export header and rows (CRLF-free, "\n" line ends, fields quoted when needed).
std::string format_route_export(const std::vector<RouteExportRow>& rows);

struct ReadResultLine {
  int line = 0;
  std::optional<std::int64_t> account_number;
  std::string meter_serial;
  std::int64_t read_value = 0;
  CivilDate read_on;
  std::string reader, note;
};

struct LineProblem {
  int line = 0;  // 1-based physical line; 0 for the file as a whole
  std::string field;
  std::string message;
};

struct ParsedReadFile {
  std::vector<ReadResultLine> reads;
  std::vector<LineProblem> problems;
  std::int64_t rows = 0;    // data rows seen
  std::int64_t unread = 0;  // rows with read_value empty
};

// kInvalidInput (field "file") when there is no header, a required column is missing, or the
// file has more than kMaxReadFileLines rows; line problems otherwise.
[[nodiscard]] Result<ParsedReadFile> parse_read_results(std::string_view content);

}  // namespace civicdesk::billing
