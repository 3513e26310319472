// Test-only helpers for the citations tests: where the shared citation samples are, and a City
// calendar with the demo City's holidays.
//
// The samples live beside the clone, in ../shared/testdata (the same layout on every
// workstation and in CI). Tests find it from CIVICDESK_SOURCE_DIR (set by CTest), else from the
// working directory or this file's location; when it is absent they FAIL, never skip.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "citations/citation_book.h"
#include "core/actor.h"
#include "core/calendar.h"

namespace civicdesk::citations::testing {

inline std::filesystem::path shared_testdata() {
  std::vector<std::filesystem::path> roots;
  if (const char* dir = std::getenv("CIVICDESK_SOURCE_DIR")) roots.emplace_back(dir);
  roots.push_back(std::filesystem::current_path());
  roots.push_back(std::filesystem::path(__FILE__).parent_path().parent_path().parent_path());
  for (const auto& root : roots) {
    const auto candidate = root / ".." / "shared" / "testdata";
    if (std::filesystem::is_directory(candidate / "sf-parking-citations-sample")) {
      return std::filesystem::weakly_canonical(candidate);
    }
  }
  ADD_FAILURE() << "shared test data not found: set CIVICDESK_SOURCE_DIR to the civicdesk "
                   "source tree, with shared/testdata beside it (../shared/testdata)";
  return {};
}

// config/demo-city.yaml, found the same way.
inline std::string demo_city_path() {
  std::vector<std::filesystem::path> roots;
  if (const char* dir = std::getenv("CIVICDESK_SOURCE_DIR")) roots.emplace_back(dir);
  roots.push_back(std::filesystem::current_path());
  roots.push_back(std::filesystem::path(__FILE__).parent_path().parent_path().parent_path());
  for (const auto& root : roots) {
    if (std::filesystem::exists(root / "config/demo-city.yaml"))
      return (root / "config/demo-city.yaml").string();
  }
  ADD_FAILURE() << "config/demo-city.yaml not found: set CIVICDESK_SOURCE_DIR";
  return "config/demo-city.yaml";
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The demo City's 2026 holidays and New Year's Day 2027 (config/demo-city.yaml), which the
// deadline and escalation tables use.
inline BusinessCalendar riverton_2026() {
  return BusinessCalendar({{2026, 1, 1},
                           {2026, 1, 19},
                           {2026, 2, 12},
                           {2026, 2, 16},
                           {2026, 3, 31},
                           {2026, 5, 25},
                           {2026, 6, 19},
                           {2026, 7, 3},
                           {2026, 9, 7},
                           {2026, 9, 25},
                           {2026, 10, 12},
                           {2026, 11, 11},
                           {2026, 11, 26},
                           {2026, 11, 27},
                           {2026, 12, 25},
                           {2027, 1, 1}});
}

// A citation entered by hand as a CSR enters one (CitationBook::create) at 706 CHESTNUT ST by
// officer PCO 123; a refusal is a test failure and an empty Citation.
inline Citation enter_citation(CitationBook& book, const Actor& who, const std::string& number,
                               const std::string& issued_at, const std::string& plate,
                               const std::string& code, const std::string& state = "CA") {
  CitationInput in;
  in.number = number;
  in.issued_at = issued_at;
  in.location = "706 CHESTNUT ST";
  in.violation_code = code;
  in.plate = plate;
  in.plate_state = state;
  in.officer_id = "PCO 123";
  auto ct = book.create(who, in);
  EXPECT_TRUE(ct) << ct.error().field << ": " << ct.error().message;
  return ct ? *ct : Citation{};
}

// The citation as stored now; a failure and an empty Citation when it cannot be read.
inline Citation load_citation(CitationBook& book, const std::string& number) {
  auto ct = book.citation(number);
  EXPECT_TRUE(ct) << ct.error().message;
  return ct ? *ct : Citation{};
}

}  // namespace civicdesk::citations::testing
