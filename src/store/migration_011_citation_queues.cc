// 011: the hearing calendar reads citations by hearing day (CitationBook::list with
// hearing_from/hearing_to); without this index every calendar week scans the citation register.
// The contest-review queue needs none: citations_status_plate (migration 007) leads with status.
#include "store/migrations.h"

namespace civicdesk::store {

Migration citation_queues_migration() {
  return {11, "citation_queues", "CREATE INDEX citations_hearing ON citations(hearing_on, id);\n",
          "", ""};
}

}  // namespace civicdesk::store
