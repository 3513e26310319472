// `civicdesk citations import FILE [--format civicdesk|sf|nyc]` and `civicdesk citations
// escalate --date D`, run as the system user.
//
//   citations import 4: 1,112 rows, 1,110 accepted (1,110 new, 0 already stored), 2 refused
//   fines charged: $98,765.00
//   line 17: violation_code: ... (one line per refused line)
//
//   citations escalate 2026-11-26: 120 steps posted (40 penalties, $1,000.00), 300 citations
//   examined
//
// Exit codes: 0 done with nothing refused; 3 imported but some lines refused; 2 the file or the
// date is invalid (the message names the field); 1 anything else. Both are safe to run again:
// a re-import posts nothing twice, an escalation posts each step once.
#pragma once

#include <string>

#include "app/app.h"

namespace civicdesk::citations {

int cmd_citations_import(App& app, const std::string& file, const std::string& format);
int cmd_citations_escalate(App& app, const std::string& date);
// `civicdesk citations notices --date D --out FILE.pdf`: prints the notice batch of D (or the
// one printed before for D) and writes its letters to FILE; with no letter in it, writes no
// file. "notices 2026-11-26: batch 3, 12 notices ($1,764.00), 2 held for an unknown owner".
int cmd_citations_notices(App& app, const std::string& date, const std::string& out);

// The DMV exchange (citations/dmv_book.h, docs/formats/dmv-exchange.md), run as the system user.
// `citations dmv-requests --date D [--out FILE]` and `citations dmv-holds --date D [--out
// FILE]` write the day's file (the same file again for a date written before) to FILE, or to
// stdout with the summary on stderr: "dmv requests 2026-11-26: file 4, 120 plates".
// `citations dmv-responses FILE` reads a response file: "dmv responses 5: 120 records, 100 found
// (20 matched, 80 created), 8 not found, 6 confidential, 6 out of state; 130 citations named,
// 190 obligations moved" and "line N: FIELD: message" per refused line; exit 3 if any.
// `citations dmv-sandbox REQUEST_FILE [--date D]` prints the sandbox DMV's response (no database).
int cmd_citations_dmv_requests(App& app, const std::string& date, const std::string& out);
int cmd_citations_dmv_responses(App& app, const std::string& file);
int cmd_citations_dmv_holds(App& app, const std::string& date, const std::string& out);
int cmd_citations_dmv_sandbox(const std::string& request_file, const std::string& date);

}  // namespace civicdesk::citations
