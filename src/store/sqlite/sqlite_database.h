// SQLite implementation of store::Database: WAL, synchronous=FULL, foreign keys, busy timeout,
// a prepared-statement cache per connection. Write transactions use BEGIN IMMEDIATE so two
// writers never deadlock on a lock upgrade; readers run in parallel under WAL.
#pragma once

#include <memory>
#include <string_view>

#include "store/db.h"

namespace civicdesk::store {

// PATH may be ":memory:"-like only for tests; the server refuses to start on a non-WAL database.
[[nodiscard]] Result<std::shared_ptr<Database>> open_sqlite(std::string_view path);

}  // namespace civicdesk::store
