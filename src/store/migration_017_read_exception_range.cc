// 017: what the read checks expected, kept with each read exception (billing/read_book.cc), and
// the queue's filters. The range is stored when the exception is raised, not recomputed when
// listed: the account's average moves with every accepted read and the City may change its
// tolerances, but the queue must show what the check that held the read back saw. NULL when the
// account's history was too short for the high/low checks (zero and negative reads only).
//   expected_mccf        average daily use × the days checked
//   low_mccf, high_mccf  expected × billing.low_percent / high_percent (rounded half-up)
//   average_usage_mccf, average_days  the average daily use, as its two exact sums
//   checked_days         the days since the last actual read
#include "store/migrations.h"

namespace civicdesk::store {

Migration read_exception_range_migration() {
  return {17, "read_exception_range", R"SQL(
ALTER TABLE read_exceptions ADD COLUMN expected_mccf %INT%;
ALTER TABLE read_exceptions ADD COLUMN low_mccf %INT%;
ALTER TABLE read_exceptions ADD COLUMN high_mccf %INT%;
ALTER TABLE read_exceptions ADD COLUMN average_usage_mccf %INT%;
ALTER TABLE read_exceptions ADD COLUMN average_days %INT%;
ALTER TABLE read_exceptions ADD COLUMN checked_days %INT%;
CREATE INDEX read_exceptions_status_code ON read_exceptions(status, code, id);
)SQL",
          "", ""};
}

}  // namespace civicdesk::store
