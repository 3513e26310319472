// 020: an account's open read exceptions (billing/bill_run.cc, bill_one: an account with an open
// or re-read exception in its period goes on the run's exception list). read_exceptions had only
// status indexes, so each account of a run read every open exception in the City — a cost that
// grows with the queue and is paid once per account billed.
#include "store/migrations.h"

namespace civicdesk::store {

Migration read_exception_account_migration() {
  return {20, "read_exception_account", R"SQL(
CREATE INDEX read_exceptions_account ON read_exceptions(account_id, status);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
