// 003: the counter — drawers, cashier sessions, counter transactions with items and tenders,
// receipts, deposits, revolving funds. (Owned by the cashiering context.)
#include "store/migrations.h"

namespace civicdesk::store {

Migration cashiering_migration() {
  return {3, "cashiering", R"SQL(
CREATE TABLE drawers (
  id %ID%,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  office TEXT NOT NULL,
  next_receipt %INT% NOT NULL DEFAULT 1
) %STRICT%;
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
