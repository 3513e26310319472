// Test helpers shared by every storage test: run the same test on SQLite and PostgreSQL.
//
// Backends: "sqlite" always; "postgres" when CIVICDESK_TEST_PG holds a libpq URL of a server where
// the tests may CREATE DATABASE (scripts/with-postgres.sh starts one and sets it). When
// CIVICDESK_REQUIRE_PG=1 (make test sets it) and CIVICDESK_TEST_PG is unset, "postgres" is still
// listed and every PostgreSQL test fails with a message saying why, so PostgreSQL can never be
// skipped silently.
//
// Usage, for a fixture parameterized by backend name:
//
//   class LedgerStoreTest : public ::testing::TestWithParam<std::string> {};
//   TEST_P(LedgerStoreTest, Posts) {
//     auto db = civicdesk::testing::fresh_database(GetParam());
//     ASSERT_TRUE(db) << db.error().message;
//     ...
//   }
//   CIVICDESK_INSTANTIATE_FOR_BACKENDS(LedgerStoreTest);
//
// which expands to INSTANTIATE_TEST_SUITE_P(Backends, LedgerStoreTest,
// ::testing::ValuesIn(test_backends()), <name the test by backend>).
//
// To simulate `restart`, keep the URL and reopen it:
//   std::string url = fresh_database_url(GetParam());
//   auto db = store::open_database(url);  ... db->reset(); ... store::open_database(url);
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/db.h"

namespace civicdesk::testing {

// The backends to run storage tests on, in a stable order: {"sqlite"} or {"sqlite", "postgres"}.
std::vector<std::string> test_backends();

// The URL of a new, empty database on `backend` ("sqlite:/tmp/cd_test_XXXXXX/test.db" or
// "postgresql://.../cd_test_<pid>_<n>"). On failure records a gtest failure and returns "".
std::string fresh_database_url(const std::string& backend);

// Like fresh_database_url, but already migrated to the current schema (PostgreSQL clones a
// migrated template; SQLite migrates at open, which is fast). For tests of the App, not of the
// migrations themselves.
std::string fresh_migrated_database_url(const std::string& backend);

// A new, empty database on `backend`, opened. Errors: kStorage/kInvalidInput with the reason
// (e.g. no PostgreSQL server configured).
[[nodiscard]] Result<std::shared_ptr<store::Database>> fresh_database(const std::string& backend);

}  // namespace civicdesk::testing

#define CIVICDESK_INSTANTIATE_FOR_BACKENDS(fixture)                                        \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture,                                              \
                           ::testing::ValuesIn(::civicdesk::testing::test_backends()),     \
                           [](const ::testing::TestParamInfo<std::string>& backend_info) { \
                             return backend_info.param;                                    \
                           })
