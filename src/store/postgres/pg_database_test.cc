#include "store/postgres/pg_database.h"

#include <gtest/gtest.h>

namespace civicdesk::store {
namespace {

struct Case {
  const char* sql;
  const char* want;
};

TEST(ToPostgresPlaceholders, RewritesOnlyOutsideLiteralsIdentifiersAndComments) {
  const Case cases[] = {
      {"SELECT 1", "SELECT 1"},
      {"SELECT ? , ?", "SELECT $1 , $2"},
      {"INSERT INTO t VALUES ('a?b', ?)", "INSERT INTO t VALUES ('a?b', $1)"},
      {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
      {"SELECT E'\\' ?', ?", "SELECT E'\\' ?', $1"},
      {"SELECT '\\', ?", "SELECT '\\', $1"},  // standard strings: backslash is not an escape
      {"SELECT \"we?ird\"\"?\" FROM t WHERE x = ?", "SELECT \"we?ird\"\"?\" FROM t WHERE x = $1"},
      {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
      {"SELECT /* a? /* nested? */ b? */ ?", "SELECT /* a? /* nested? */ b? */ $1"},
      {"SELECT $$a?$$, $tag$ ? $tag$, ?", "SELECT $$a?$$, $tag$ ? $tag$, $1"},
      {"SELECT $1, ?", "SELECT $1, $1"},  // already-numbered text is left alone
      {"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
      {"SELECT ?-- end?", "SELECT $1-- end?"},
  };
  for (const Case& c : cases) EXPECT_EQ(to_postgres_placeholders(c.sql), c.want) << c.sql;
}

TEST(ToPostgresPlaceholders, NumbersManyPlaceholders) {
  std::string sql, want;
  for (int i = 1; i <= 12; ++i) {
    sql += i > 1 ? ",?" : "?";
    want += (i > 1 ? ",$" : "$") + std::to_string(i);
  }
  EXPECT_EQ(to_postgres_placeholders(sql), want);
}

}  // namespace
}  // namespace civicdesk::store
