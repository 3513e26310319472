#include "ledger/allocation.h"

#include <algorithm>
#include <tuple>

namespace civicdesk::ledger {

AllocationResult allocate(std::vector<OpenLine> lines, std::int64_t amount_cents,
                          const AllocationRules& rules, const std::vector<std::int64_t>& directed) {
  auto penalty_rank = [&](const OpenLine& l) {
    return rules.penalties_first ? (l.is_penalty ? 0 : 1) : (l.is_penalty ? 1 : 0);
  };
  auto directed_rank = [&](const OpenLine& l) -> std::ptrdiff_t {
    auto it = std::find(directed.begin(), directed.end(), l.obligation_id);
    return it == directed.end() ? -1 : it - directed.begin();
  };
  if (!directed.empty())
    std::erase_if(lines, [&](const OpenLine& l) { return directed_rank(l) < 0; });
  std::stable_sort(lines.begin(), lines.end(), [&](const OpenLine& a, const OpenLine& b) {
    if (!directed.empty() && directed_rank(a) != directed_rank(b))
      return directed_rank(a) < directed_rank(b);
    return std::tuple(a.kind_priority, a.due_date, a.obligation_id, penalty_rank(a), a.line_no) <
           std::tuple(b.kind_priority, b.due_date, b.obligation_id, penalty_rank(b), b.line_no);
  });
  AllocationResult out;
  std::int64_t left = amount_cents;
  for (const auto& l : lines) {
    if (left <= 0) break;
    if (l.balance_cents <= 0) continue;
    std::int64_t take = std::min(left, l.balance_cents);
    out.applied.push_back({l.obligation_id, l.line_id, l.fund, take});
    left -= take;
  }
  out.remainder_cents = left;
  return out;
}

}  // namespace civicdesk::ledger
