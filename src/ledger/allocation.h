// Allocation: which open charge lines a payment (or a credit) pays, and how much of each.
// Pure: the caller loads the open lines and posts the result.
//
// Order (from the City config): obligations by kind priority (lower first), then due date
// (oldest first), then age (lower id first); within an obligation, penalty lines before
// principal when penalties_first, else after; then line order. A customer-directed payment
// considers only the named obligations, in the order named. What is left over is the remainder
// (an overpayment, which becomes unapplied credit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"

namespace civicdesk::ledger {

struct OpenLine {
  std::int64_t obligation_id = 0;
  std::int64_t line_id = 0;
  int line_no = 0;
  int kind_priority = 100;
  CivilDate due_date;
  bool is_penalty = false;
  std::string fund;
  std::int64_t balance_cents = 0;  // > 0
};

struct Allocation {
  std::int64_t obligation_id = 0;
  std::int64_t line_id = 0;
  std::string fund;
  std::int64_t amount_cents = 0;
};

struct AllocationResult {
  std::vector<Allocation> applied;
  std::int64_t remainder_cents = 0;
};

struct AllocationRules {
  bool penalties_first = true;
};

// `directed` empty: all lines by the rules; otherwise only lines of those obligations, obligation
// by obligation in the order given (lines within each by the rules). amount_cents >= 0.
AllocationResult allocate(std::vector<OpenLine> lines, std::int64_t amount_cents,
                          const AllocationRules& rules,
                          const std::vector<std::int64_t>& directed = {});

}  // namespace civicdesk::ledger
