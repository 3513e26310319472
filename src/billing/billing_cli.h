// `civicdesk billing route-export --route R --out FILE` and `civicdesk billing reads-import
// FILE`, run as the system user: the handheld meter-read file (docs/formats/meter-reads.md).
//
//   billing route-export R01: 212 meters written to route-R01.csv
//
//   billing reads-import: 212 rows, 205 accepted, 4 exceptions, 0 already stored, 2 not read,
//   1 refused
//   line 17: read_on: must be a date YYYY-MM-DD   (one line per refused line)
//
// Exit codes: 0 done with nothing refused; 3 imported but some lines refused; 2 the file, route
// or an argument is invalid (the message names it); 1 anything else. An import is safe to run
// again: reads already stored are skipped.
#pragma once

#include <string>

#include "app/app.h"

namespace civicdesk::billing {

// A route file is a few hundred lines; a cycle's, some tens of thousands (~100 bytes a line).
inline constexpr std::uintmax_t kMaxReadFileBytes = 32 * 1024 * 1024;

int cmd_billing_route_export(App& app, const std::string& route, const std::string& out);
int cmd_billing_reads_import(App& app, const std::string& file);

// `civicdesk billing run --cycle C --period-end D` (bill_run.h): bills the cycle, resuming its
// unfinished run for that period end; a progress bar with the counts on stderr, then
//   billing run 7 C1 through 2026-02-05: 1000 accounts, 990 billed, 8 exceptions,
//   2 already billed, total 61234.56
//   exception 1042 no_read: no accepted read between ... (one line per exception)
// Exit 0 when every account is billed or already billed; 3 when some are on the exception
// list; 2 an argument (cycle, date) is invalid; 1 anything else. Safe to run again.
int cmd_billing_run(App& app, const std::string& cycle, const std::string& period_end);
// `civicdesk billing penalties --date D`: the late-penalty job (BillRun::assess_penalties).
int cmd_billing_penalties(App& app, const std::string& date);
// `civicdesk billing notices --date D --out FILE.pdf` (notice_book.h): runs (or resumes, or
// finds) the late and shut-off notice batch of mailing date D, progress on stderr, then
//   billing notices 2026-11-30 (batch 4): 1200 accounts, 310 late notices, 42 shut-off notices,
//   skipped: 3 no_shutoff, 5 in_dispute, 9 payment_arrangement, 12 below_minimum,
//   1 account_closed; 8 brought current; written to notices.pdf
// The PDF is drawn from the stored notices: a rerun writes the same file. Exit 0; 2 an argument
// is invalid; 1 anything else. A batch without notices writes no file (and says so).
int cmd_billing_notices(App& app, const std::string& date, const std::string& out);

}  // namespace civicdesk::billing
