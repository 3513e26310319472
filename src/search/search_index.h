// The one search box: a document per searchable thing (party now; accounts, citations, plates,
// licenses and permits as their contexts arrive), indexed by SQLite FTS5 or PostgreSQL full-text
// search over the same normalised words (see search/text.h).
//
// Matching: every query word must match (AND) as a prefix. A word of 4+ letters that matches
// nothing is expanded to the indexed words within its typo budget (1 edit up to 7 letters, 2 from
// 8; the first letter must match — a deliberate limit that keeps expansion cheap). Results are
// ranked by BM25 (SQLite) or ts_rank (PostgreSQL).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/db.h"

namespace civicdesk::search {

struct SearchDoc {
  std::string kind;  // "party", later "account", "citation", ...
  std::int64_t entity_id = 0;
  std::string title;
  std::string subtitle;
  std::vector<std::string> texts;  // raw text to index (names, addresses, numbers...)
};

struct SearchHit {
  std::string kind;
  std::int64_t entity_id = 0;
  std::string title;
  std::string subtitle;
  int score = 0;  // 100 for the best hit, falling with rank
};

// Inserts or replaces the document within the caller's write transaction.
[[nodiscard]] Result<void> upsert(store::Connection& c, const SearchDoc& doc);

// Query text is limited by kMaxSearchQueryLength (longer → kInvalidInput naming "q").
[[nodiscard]] Result<std::vector<SearchHit>> query(store::Database& db, std::string_view text,
                                                   int limit);

}  // namespace civicdesk::search
