// 013: boots and tows of scofflaw plates (citations/boot_book.h). A row is the field crew's
// record of a boot placed or a vehicle towed; its release is written once (released_on NULL
// while active), after check_boot_release found every counting citation paid or on a plan.
#include "store/migrations.h"

namespace civicdesk::store {

Migration citation_boots_migration() {
  return {13, "citation_boots", R"SQL(
CREATE TABLE citation_boots (
  id %ID%,
  plate_state TEXT NOT NULL,
  plate TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('boot', 'tow')),
  placed_on TEXT NOT NULL,
  placed_by TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  released_on TEXT,
  released_by TEXT,
  release_reason TEXT,
  created_us %INT% NOT NULL
) %STRICT%;
CREATE INDEX citation_boots_plate ON citation_boots(plate, plate_state, id);
CREATE INDEX citation_boots_active ON citation_boots(released_on, id);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
