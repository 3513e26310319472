// 018: a cycle's accounts in number order (billing/bill_run.cc, next_accounts). The run takes the
// next batch with `cycle_id = ? AND number > ? ORDER BY number LIMIT ?`; the older index
// utility_accounts_cycle has status between the two columns, so the planner read every account
// of the cycle left to bill and sorted them for each batch of 500 — quadratic in the cycle's size
// (a 1,000,000-account cycle spent most of its run there). With this index a batch is one range
// read of its own accounts.
#include "store/migrations.h"

namespace civicdesk::store {

Migration bill_run_order_migration() {
  return {18, "bill_run_order", R"SQL(
CREATE INDEX utility_accounts_cycle_number ON utility_accounts(cycle_id, number);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
