// The party book: creating, reading, changing and listing parties, with duplicate warnings and
// optimistic version checks. Every change writes its audit record and search document in the
// same transaction as the change.
#pragma once

#include <vector>

#include "core/actor.h"
#include "customers/party.h"
#include "store/db.h"

namespace civicdesk::customers {

struct DuplicateCandidate {
  PartyId id;
  std::string title;
  std::string subtitle;
  std::string reason;  // "same name and address" | "same phone" | "same email"
};

struct PartyPage {
  std::vector<Party> items;
  std::int64_t total = 0;
};

class PartyBook {
 public:
  PartyBook(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kInvalidInput (field named); kConflict when likely duplicates exist and the caller did not
  // confirm — `duplicates` then lists them.
  [[nodiscard]] Result<Party> create(const Actor& actor, PartyInput input, bool confirm_duplicates,
                                     std::vector<DuplicateCandidate>& duplicates);
  // kNotFound.
  [[nodiscard]] Result<Party> get(PartyId id);
  // kNotFound, kInvalidInput, kConflict when `expected_version` is stale (someone else saved).
  [[nodiscard]] Result<Party> update(const Actor& actor, PartyId id, PartyInput input,
                                     std::int64_t expected_version);
  [[nodiscard]] Result<PartyPage> list(int page, int page_size);
  [[nodiscard]] Result<std::vector<DuplicateCandidate>> find_duplicates(const PartyInput& input,
                                                                        PartyId exclude);

  // Bulk load for the demo generator and benchmarks: one transaction per call, one audit record
  // for the batch. Inputs must already be valid.
  [[nodiscard]] Result<void> create_many(const Actor& actor, const std::vector<PartyInput>& inputs);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace civicdesk::customers
