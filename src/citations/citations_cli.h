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

}  // namespace civicdesk::citations
