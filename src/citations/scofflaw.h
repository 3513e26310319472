// The scofflaw list for boot and tow crews, and the boot/tow release rule.
//
// A plate is a scofflaw when it has at least `threshold` (City config: citations.scofflaw.
// threshold) citations that are unpaid and delinquent: a balance above zero and either a
// registration hold, or a status of delinquent, plan_defaulted or collections. Citations on a
// kept plan, in a pending contest, or not yet delinquent do not count. The storage query that
// builds the list for 50 million citations must count exactly what counts_toward_scofflaw
// counts (the statuses are listed in kScofflawStatuses for it).
//
// A booted or towed vehicle is released when every citation that counts is paid or on a plan.
//
// Pure and thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "citations/lifecycle.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::citations {

inline constexpr CitationStatus kScofflawStatuses[] = {
    CitationStatus::kDelinquent, CitationStatus::kPlanDefaulted, CitationStatus::kCollections};

// A plate as a key: upper case, with spaces and hyphens removed ("7abc 123" → "7ABC123").
std::string normalize_plate(std::string_view plate);

// One citation of a plate, as the lookup by plate returns it.
struct PlateCitation {
  std::string plate_state;  // "CA"
  std::string plate;        // normalized
  std::string citation_number;
  CitationState state;
  Money balance;  // fine and penalties still owed
};

bool counts_toward_scofflaw(const CitationState& state, Money balance);

struct ScofflawEntry {
  std::string plate_state;
  std::string plate;
  int delinquent_citations = 0;
  Money total_due;
  std::vector<std::string> citation_numbers;  // in input order
};

// Plates with at least `threshold` citations that count, ordered by state then plate.
// kInvalidInput (field "threshold") when threshold < 1; kInvalidInput on an overflowing total.
[[nodiscard]] Result<std::vector<ScofflawEntry>> scofflaw_list(
    std::span<const PlateCitation> citations, int threshold);

// Whether a booted or towed vehicle may be released: `citations` are the plate's. kUnprocessable
// (field "citations") naming the citations still blocking it otherwise.
[[nodiscard]] Result<void> check_boot_release(std::span<const PlateCitation> citations);

}  // namespace civicdesk::citations
