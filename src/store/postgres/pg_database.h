// PostgreSQL implementation of store::Database through libpq: prepared statements (cached per
// connection), write transactions serialized by an advisory lock at READ COMMITTED (retried on
// deadlock or serialization failure),
// and a check at open that fsync and synchronous_commit are on (the server refuses otherwise).
#pragma once

#include <memory>
#include <string_view>

#include "store/db.h"

namespace civicdesk::store {

[[nodiscard]] Result<std::shared_ptr<Database>> open_postgres(std::string_view url);

// Rewrites `?` placeholders (outside quoted strings) to $1..$n.
std::string to_postgres_placeholders(std::string_view sql);

}  // namespace civicdesk::store
