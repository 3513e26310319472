#include "citations/scofflaw.h"

#include <algorithm>
#include <map>
#include <utility>

namespace civicdesk::citations {

std::string normalize_plate(std::string_view plate) {
  std::string key;
  key.reserve(plate.size());
  for (char c : plate) {
    if (c == ' ' || c == '-') continue;
    key += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return key;
}

bool counts_toward_scofflaw(const CitationState& state, Money balance) {
  if (!balance.is_positive()) return false;
  if (state.status == CitationStatus::kOnPlan || is_contest_pending(state.status)) return false;
  if (state.dmv_hold && !is_closed(state.status)) return true;
  return std::find(std::begin(kScofflawStatuses), std::end(kScofflawStatuses), state.status) !=
         std::end(kScofflawStatuses);
}

Result<std::vector<ScofflawEntry>> scofflaw_list(std::span<const PlateCitation> citations,
                                                 int threshold) {
  if (threshold < 1)
    return fail(ErrorCode::kInvalidInput, "the scofflaw threshold must be at least 1", "threshold");
  std::map<std::pair<std::string, std::string>, ScofflawEntry> by_plate;
  for (const PlateCitation& c : citations) {
    if (c.plate.empty() || !counts_toward_scofflaw(c.state, c.balance)) continue;
    ScofflawEntry& e = by_plate[{c.plate_state, c.plate}];
    e.plate_state = c.plate_state;
    e.plate = c.plate;
    ++e.delinquent_citations;
    CD_ASSIGN(e.total_due, e.total_due.add(c.balance));
    e.citation_numbers.push_back(c.citation_number);
  }
  std::vector<ScofflawEntry> list;
  for (auto& [key, entry] : by_plate)
    if (entry.delinquent_citations >= threshold) list.push_back(std::move(entry));
  return list;
}

Result<void> check_boot_release(std::span<const PlateCitation> citations) {
  std::string blocking;
  for (const PlateCitation& c : citations) {
    if (!counts_toward_scofflaw(c.state, c.balance)) continue;
    blocking += (blocking.empty() ? "" : ", ") + c.citation_number;
  }
  if (blocking.empty()) return {};
  return fail(ErrorCode::kUnprocessable,
              "release needs payment or a payment plan for citations " + blocking, "citations");
}

}  // namespace civicdesk::citations
