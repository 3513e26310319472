// Test-only helpers for the rates tests: where the shared tariffs are, and a CSV reader.
//
// The OWRS and RateParser test data live beside the clone, in ../shared/testdata (the same
// layout on every workstation and in CI). Tests find it from CIVICDESK_SOURCE_DIR (set by CTest),
// else from the working directory; when it is absent they FAIL, never skip, so a CI job without
// the data cannot pass by testing nothing.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace civicdesk::rates::testing {

inline std::filesystem::path shared_testdata() {
  std::vector<std::filesystem::path> roots;
  if (const char* dir = std::getenv("CIVICDESK_SOURCE_DIR")) roots.emplace_back(dir);
  roots.push_back(std::filesystem::current_path());
  for (const auto& root : roots) {
    const auto candidate = root / ".." / "shared" / "testdata";
    if (std::filesystem::is_directory(candidate / "cadc-rateparser")) {
      return std::filesystem::weakly_canonical(candidate);
    }
  }
  ADD_FAILURE() << "shared test data not found: set CIVICDESK_SOURCE_DIR to the civicdesk "
                   "source tree, with shared/testdata beside it (../shared/testdata)";
  return {};
}

inline std::filesystem::path rateparser_dir() {
  return shared_testdata() / "cadc-rateparser";
}
inline std::filesystem::path owrs_dir() {
  return shared_testdata() / "cadc-open-water-rate-specification";
}

// The directory of this package's own golden files (src/billing/rates/testdata).
inline std::filesystem::path rates_testdata() {
  std::vector<std::filesystem::path> roots;
  if (const char* dir = std::getenv("CIVICDESK_SOURCE_DIR")) roots.emplace_back(dir);
  roots.push_back(std::filesystem::current_path());
  for (const auto& root : roots) {
    const auto candidate = root / "src" / "billing" / "rates" / "testdata";
    if (std::filesystem::is_directory(candidate)) return candidate;
  }
  ADD_FAILURE() << "src/billing/rates/testdata not found: set CIVICDESK_SOURCE_DIR";
  return {};
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// RFC 4180 CSV: quoted fields with "" for a quote; returns rows of fields (header included).
inline std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path) {
  const std::string text = read_text(path);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(field);
        rows.push_back(row);
      }
      row.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace civicdesk::rates::testing
