// `civicdesk pci scan PATH...`: looks through files as raw bytes (database files, WAL, logs,
// exports) for anything that could be a stored card number, for the check after the test suite
// and for finance before an export leaves the building. A finding prints the file, the byte
// offset and the number masked to its first six and last four digits.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace civicdesk::cashiering {

struct CardFinding {
  std::uint64_t offset = 0;  // of the first digit
  std::string masked;        // 411111******1111
  std::string digits;        // in memory only, to compare with a baseline; never printed
};

// Every Luhn-valid run of 13–19 digits that does not stand inside a word, in raw bytes. Single
// spaces or dashes may separate groups of three or more digits (4111 1111 1111 1111). A file
// scan does not join digits one or two at a time; `join_short_groups` does, as
// contains_card_number must when it refuses input ("4 1 1 1 …" typed by a person).
std::vector<CardFinding> find_card_numbers(std::string_view bytes, bool join_short_groups = false);

// Scans each path (a directory is walked recursively; unreadable files are reported). Numbers
// also found under a `baseline` path are not reported: a PostgreSQL cluster's own catalogs carry
// a few Luhn-valid constants, so the suite passes a pristine copy made right after initdb.
// Returns the process exit code: 0 nothing found, 1 something found, 2 a path could not be read.
int cmd_pci_scan(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err,
                 const std::vector<std::string>& baselines = {});

}  // namespace civicdesk::cashiering
