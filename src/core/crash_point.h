// Named crash points for crash tests (SQLite's crash tests, TigerBeetle's simulator).
//
// CRASH_POINT("payment.after_insert") marks a place where a power cut would hurt most. When the
// environment variable CIVICDESK_CRASH_AT names that point, the process kills itself with SIGKILL
// there: no destructors, no flush, no atexit — what the disk holds is all that survives. The
// harness then restarts against the same database and checks the safety invariants.
//
//   CIVICDESK_CRASH_AT=NAME     crash the first time NAME is reached
//   CIVICDESK_CRASH_AT=NAME:K   crash the K-th time NAME is reached (K >= 1)
//
// The variable is read once, on the first crash point reached, and cached (thread-safe); a
// malformed K stops the process with an assertion, because a harness typo must not pass silently.
// With the variable unset a crash point costs one atomic increment.
#pragma once

#include <cstdint>
#include <string_view>

namespace civicdesk {

// Called by CRASH_POINT; may not return.
void crash_point(std::string_view name);

// How many crash points (of any name) this process has reached; lets tests prove a path passes
// through its points.
std::int64_t crash_points_reached();

}  // namespace civicdesk

#define CRASH_POINT(name) ::civicdesk::crash_point(name)
