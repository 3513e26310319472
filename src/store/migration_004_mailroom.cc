// 004: the mail room — mail log, department work queues, remittance batches and items, lockbox
// files. (Owned by the remittance context.)
#include "store/migrations.h"

namespace civicdesk::store {

Migration mailroom_migration() {
  return {4, "mailroom", R"SQL(
CREATE TABLE mail_log (
  id %ID%,
  received_date TEXT NOT NULL,
  kind TEXT NOT NULL
) %STRICT%;
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
