// The day's journal as CSV for the City's general-ledger system: one row per journal line of
// every entry posted on the date, in entry then line order, under a header row:
//
//   posting_date,entry_id,entry_kind,account,fund,debit,credit,memo
//
// RFC 4180: CRLF line ends; a field holding a comma, a double quote, CR or LF is enclosed in
// double quotes with each quote doubled. Amounts are plain decimals ("1234.56", "0.00"); exactly
// one of debit and credit is non-zero. Text is exported as stored (UTF-8), unaltered.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "store/db.h"

namespace civicdesk::reports {

// A day's journal in memory: about 100 bytes a line, so the cap is ~100 MB — well above the
// busiest day of a large City (a few hundred thousand lines); past it the export is refused
// rather than truncated. (Candidate for core/limits.h.)
inline constexpr std::int64_t kMaxJournalExportLines = 1'000'000;

// One CSV field, quoted when RFC 4180 requires it.
std::string csv_field(std::string_view text);

// Errors: kTooLarge past kMaxJournalExportLines; kStorage.
[[nodiscard]] Result<std::string> journal_csv(store::Database& db, CivilDate date);

// `civicdesk ledger export --date YYYY-MM-DD [--out FILE]`: writes the CSV to FILE (through a
// temporary file renamed into place, so a reader never sees half a file) or to `out`. Messages
// go to `err`. Returns the exit code: 0 done, 2 bad input (the date), 1 anything else.
int cmd_ledger_export(const std::string& db_url, const std::string& date,
                      const std::string& out_path, std::ostream& out, std::ostream& err);

}  // namespace civicdesk::reports
