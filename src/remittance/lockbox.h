// Lockbox files: the bank opens the City's remittance mail at its lockbox, deposits the checks
// and sends one fixed-width file per deposit. This is the parser and writer for civicdesk's
// lockbox layout (every column in docs/formats/lockbox.md):
//
//   1  file header     destination, origin, file date/time, file id
//   5  batch header    batch number, lockbox number, deposit date
//   6  detail          batch, sequence, amount, check number, scanline, remitter
//   7  batch trailer   batch number, item count, batch total
//   9  file trailer    batch count, item count, file total
//
// parse_lockbox validates the whole file before anything is posted: structure, every field's
// format, sequence numbers, and every count and total against the trailers. An error names the
// line and the field ("line 7: amount") and says what is wrong. The scanline column is only
// checked to be printable: an unreadable or wrong scanline is a matching problem that the
// importer queues as an exception, not a reason to refuse the deposit.
//
// Pure: no I/O, thread-safe, never asserts on its input (fuzzed: fuzz/lockbox_fuzz.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace civicdesk::remittance {

inline constexpr std::size_t kLockboxRecordLength = 80;
// 250,000 payments are ~20 MiB; 128 MiB leaves room for the largest City's heaviest day while
// bounding what one import holds in memory.
inline constexpr std::size_t kMaxLockboxFileBytes = 128 * 1024 * 1024;
// Far above a day's mail for any City; bounds one import's work.
inline constexpr std::int64_t kMaxLockboxItems = 1'000'000;
// Bounded by the field widths (4 and 6 digits).
inline constexpr int kMaxLockboxBatches = 9'999;
inline constexpr int kMaxLockboxItemsPerBatch = 999'999;

struct LockboxItem {
  int line = 0;                   // 1-based line number in the file
  int batch = 0;                  // the batch number
  int seq = 0;                    // 1.. within the batch, consecutive
  std::int64_t amount_cents = 0;  // > 0
  std::string check_number;       // trimmed; may be empty
  std::string scanline;           // the 21 columns as sent, trimmed; empty: no stub
  std::string payer;              // trimmed; may be empty
};

struct LockboxBatch {
  int number = 0;
  std::string lockbox;  // 7 digits
  CivilDate deposit_date;
  std::int64_t total_cents = 0;  // = the sum of the items (validated)
  std::vector<LockboxItem> items;
};

struct LockboxFile {
  std::string destination;  // the City's customer id at the bank
  std::string origin;       // the bank's id
  CivilDate file_date;
  int file_time_hhmm = 0;
  std::string file_id;  // unique per origin and file date
  std::vector<LockboxBatch> batches;
  std::int64_t item_count = 0;
  std::int64_t total_cents = 0;
};

// kInvalidInput with field "line N: FIELD" (or "file" for the file as a whole), kTooLarge over
// kMaxLockboxFileBytes or kMaxLockboxItems.
[[nodiscard]] Result<LockboxFile> parse_lockbox(std::string_view text);

// Writes a file in the same layout (LF line ends); counts and totals are taken from the
// batches and items, so the result always parses. Fields longer than their columns are cut.
std::string format_lockbox(const LockboxFile& file);

}  // namespace civicdesk::remittance
