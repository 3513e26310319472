#include "core/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace civicdesk {
namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text,
                                               std::vector<int>* lines = nullptr,
                                               std::vector<std::string>* errors = nullptr) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  for (auto s = reader.next(&fields); s != CsvReader::Status::kEnd; s = reader.next(&fields)) {
    if (s == CsvReader::Status::kError) {
      if (errors) errors->push_back(std::to_string(reader.line()) + ": " + reader.error());
      if (reader.fatal()) break;
      continue;
    }
    rows.push_back(fields);
    if (lines) lines->push_back(reader.line());
  }
  return rows;
}

TEST(CsvReader, QuotesLineBreaksAndLineNumbers) {
  std::vector<int> lines;
  const auto rows = read_all(
      "\xEF\xBB\xBF"
      "a,b,c\r\n"
      "\"x, y\",\"say \"\"hi\"\"\",\r\n"
      "\r\n"
      "\"two\nlines\",2,3\n"
      "last,,\"\"",
      &lines);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"two\nlines", "2", "3"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"last", "", ""}));
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 4, 6}));
}

TEST(CsvReader, AMalformedLineIsReportedAndSkipped) {
  std::vector<int> lines;
  std::vector<std::string> errors;
  const auto rows = read_all("a,b\nx\"y,1\n\"q\"z,2\nok,3\n", &lines, &errors);
  EXPECT_EQ(rows, (std::vector<std::vector<std::string>>{{"a", "b"}, {"ok", "3"}}));
  EXPECT_EQ(lines, (std::vector<int>{1, 4}));
  EXPECT_EQ(errors, (std::vector<std::string>{"2: a quote inside unquoted field 1",
                                              "3: text after the closing quote of field 1"}));
}

TEST(CsvReader, AnUnclosedQuoteEndsTheFile) {
  std::vector<std::string> errors;
  const auto rows = read_all("a,b\n\"open,1\nmore,2\n", nullptr, &errors);
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_EQ(
      errors,
      (std::vector<std::string>{"2: a quoted field is not closed before the end of the file"}));
}

TEST(CsvReader, FieldCountLimit) {
  EXPECT_EQ(read_all(std::string(kMaxCsvFields - 1, ',')).at(0).size(), kMaxCsvFields);
  std::vector<std::string> errors;
  EXPECT_TRUE(read_all(std::string(kMaxCsvFields, ','), nullptr, &errors).empty());
  EXPECT_EQ(errors, (std::vector<std::string>{"1: more than 64 fields"}));
}

}  // namespace
}  // namespace civicdesk
