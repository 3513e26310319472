// A statement of account as a PDF (libharu): the City's name, the customer's name and mailing
// address, the period, the opening balance, a table of entries (continued on as many pages as it
// needs, with the header repeated and "Page N of M" on each), the closing balance and the aging
// of the open charges. Money is formatted with format_money, right-aligned.
//
// Only the PDF base-14 Helvetica fonts are used (no font files to ship), in WinAnsiEncoding;
// text is converted from UTF-8 to that encoding, and what it cannot show becomes '?'.
// Pure apart from memory: thread-safe, no I/O.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "reports/statement.h"

namespace civicdesk::reports {

// The PDF file's bytes. Errors: kInternal when libharu reports a failure (its error number).
[[nodiscard]] Result<std::string> statement_pdf(const Statement& s);

// UTF-8 to Windows-1252 (WinAnsiEncoding): ASCII and Latin-1 as is, curly quotes, dashes, the
// euro sign and the ellipsis to their code points; control characters become spaces;
// anything else, and malformed UTF-8, becomes '?'.
std::string to_win_ansi(std::string_view utf8);

}  // namespace civicdesk::reports
