// A small RFC 4180 CSV reader for the files civicdesk reads (citation imports, DMV files, meter
// reads from handhelds): fields separated by commas, fields in
// double quotes may hold commas, line breaks and doubled quotes (""), records end at LF, CRLF or
// a lone CR. A UTF-8 byte-order mark at the start is skipped; empty lines are skipped.
//
// The reader reports where each record starts (its 1-based physical line, which is what a
// person sees in an editor even when an earlier field spanned lines). A malformed record (a
// quote inside an unquoted field, text after a closing quote, too many fields) is reported as an
// error for its line and the reader continues with the next line; a quoted field that never
// closes ends the file with an error. Pure; the text must outlive the reader.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace civicdesk {

// A record with more fields than this is refused: the widest layout read has 12.
inline constexpr std::size_t kMaxCsvFields = 64;

class CsvReader {
 public:
  enum class Status { kRecord, kEnd, kError };

  explicit CsvReader(std::string_view text);

  // The next record into `fields` (cleared first). kError: error() says why and line() where.
  Status next(std::vector<std::string>* fields);
  int line() const { return record_line_; }
  const std::string& error() const { return error_; }
  // After kError: the rest of the file cannot be read (a quoted field never closed).
  bool fatal() const { return fatal_; }

 private:
  Status fail_line(std::string message);  // skips to the next line
  bool at_line_end() const;
  void consume_line_end();

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int record_line_ = 0;
  std::string error_;
  bool fatal_ = false;
};

}  // namespace civicdesk
