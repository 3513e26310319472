// Numbered, versioned schema migrations, applied in order by `civicdesk migrate` and at start.
// Each migration is portable DDL (see store::ddl) plus, where the databases differ (full-text
// search), a dialect-specific part. A migration runs in one transaction with its version row,
// so a crash leaves it wholly applied or not at all. Journal tables get triggers that refuse
// UPDATE and DELETE: history is appended, never edited.
#pragma once

#include <string>
#include <vector>

#include "store/db.h"

namespace civicdesk::store {

struct Migration {
  int version;
  std::string name;
  std::string portable;  // DDL for both databases, with %ID% etc. tokens
  std::string sqlite;    // extra DDL for SQLite only
  std::string postgres;  // extra DDL for PostgreSQL only
};

const std::vector<Migration>& all_migrations();

// Migrations owned by a context live beside the others in store/ (one file each) and are listed
// in all_migrations() in version order.
Migration cashiering_migration();  // 003, store/migration_003_cashiering.cc
Migration mailroom_migration();    // 004, store/migration_004_mailroom.cc
Migration citations_migration();   // 007, store/migration_007_citations.cc
Migration dmv_migration();         // 008, store/migration_008_dmv.cc
Migration citation_notices_plans_migration();  // 009, store/migration_009_citation_notices_plans.cc
Migration billing_migration();     // 010, store/migration_010_billing.cc
Migration citation_queues_migration();  // 011, store/migration_011_citation_queues.cc
Migration bill_runs_migration();   // 012, store/migration_012_bill_runs.cc
Migration citation_boots_migration();  // 013, store/migration_013_citation_boots.cc
Migration bill_notices_migration();  // 014, store/migration_014_bill_notices.cc
Migration read_exception_range_migration();  // 017, store/migration_017_read_exception_range.cc
Migration bill_run_order_migration();  // 018, store/migration_018_bill_run_order.cc
Migration citation_plate_migration();  // 019, store/migration_019_citation_plate.cc
Migration read_exception_account_migration();  // 020, store/migration_020_read_exception_account.cc

// Applies every migration not yet applied; returns the versions applied now.
[[nodiscard]] Result<std::vector<int>> migrate(Database& db);
// The highest applied version (0 for an empty database).
[[nodiscard]] Result<int> schema_version(Database& db);

}  // namespace civicdesk::store
