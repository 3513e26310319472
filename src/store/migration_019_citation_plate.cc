// 019: a plate looked up without its state (citations/citation_book.cc, by_plate — the counter's
// plate search when the customer does not know or the officer did not record the state). The
// indexes of 007 all lead with plate_state (or status), so that lookup read the whole citations
// table; this index makes it one range read of the plate's citations.
#include "store/migrations.h"

namespace civicdesk::store {

Migration citation_plate_migration() {
  return {19, "citation_plate", R"SQL(
CREATE INDEX citations_plate_any_state ON citations(plate, id);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
