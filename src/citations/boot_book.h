// Boots and tows of scofflaw plates in the store (migration 013): the field crew records a boot
// placed (or a tow), and the release is refused until check_boot_release (scofflaw.h) finds
// every citation of the plate that counts toward the scofflaw list paid, dismissed or on a plan.
// The citations are read through CitationBook::by_plate, so the rule sees exactly what the
// citation page shows. A record is written once and released once (released_on, released_by,
// release_reason); each is audited (citation_boot.place, citation_boot.release).
//
// Result codes: kInvalidInput (field named), kNotFound (no such boot), kConflict (already
// released), kUnprocessable (field "citations": the count and amount still owed, e.g. "3
// citations unpaid: $312.00 due; pay or enrol in a payment plan"), kStorage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "citations/citation_book.h"
#include "core/actor.h"
#include "core/clock.h"
#include "store/db.h"

namespace civicdesk::citations {

inline constexpr int kMaxBootsListed = 200;
inline constexpr std::size_t kMaxBootNoteBytes = 500;

struct BootPlacement {
  std::string plate_state, plate;
  std::string kind = "boot";  // boot | tow
  std::string placed_on;      // "" = today
  std::string note;
};

struct BootRecord {
  std::int64_t id = 0;
  std::string plate_state, plate, kind, note;
  std::string placed_on, placed_by;
  std::string released_on, released_by, release_reason;  // "" while active
  bool active() const { return released_on.empty(); }
};

class BootBook {
 public:
  // `today` is the City's business date (Ledger::today).
  BootBook(store::Database& db, CitationBook& citations, const Clock& clock, CivilDate today);

  [[nodiscard]] Result<BootRecord> place(const Actor& actor, const BootPlacement& request);
  // Refused (kUnprocessable) while a counting citation of the plate is unpaid and off a plan.
  [[nodiscard]] Result<BootRecord> release(const Actor& actor, std::int64_t id);
  [[nodiscard]] Result<BootRecord> boot(std::int64_t id);
  // Newest first, at most kMaxBootsListed; status "" = any, else active | released.
  [[nodiscard]] Result<std::vector<BootRecord>> boots(const std::string& status);

 private:
  store::Database& db_;
  CitationBook& citations_;
  const Clock& clock_;
  CivilDate today_;
};

}  // namespace civicdesk::citations
