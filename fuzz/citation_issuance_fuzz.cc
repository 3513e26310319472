// libFuzzer target for the citation issuance readers (citations/issuance_import.h): civicdesk's
// own layout (parse_issuance_csv), the SFMTA and NYC adapters, and check_issuance after each.
// Every input goes through all three parsers. Built with -DCIVICDESK_FUZZ=ON (libFuzzer with
// clang; else the standalone main at the end, which `make test` runs as
// citation_issuance_fuzz_smoke):
//
//   build/fuzz/citation_issuance_fuzz -max_len=8192 tests/data/citation-issuance
//   build/fuzz/citation_issuance_fuzz --mutate 100000 1 tests/data/citation-issuance/*   (GCC)
//
// Invariants checked on every input: a parser returns a value or an error for the file
// (kInvalidInput or kTooLarge, field "file" or "header"; never crashes, never asserts); every
// data row is either a record or a line error (rows = records + errors), each naming a line after
// the header and a field; records come in line order, with upper-case numbers and normalized
// plates; check_issuance accounts for every row (accepted + refused = rows), refuses each
// citation number at most once accepted, and sorts refusals by line. For the civicdesk layout,
// writing the records back as CSV and parsing that again gives the same records.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "citations/citation_rules.h"
#include "citations/issuance_import.h"
#include "citations/scofflaw.h"

using namespace civicdesk;
using namespace civicdesk::citations;

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "citation_issuance_fuzz: property violated: %s\n", what);
    std::abort();
  }
}

// A small schedule with the codes of the seeds (SF, NYC, civicdesk), a fine change on 1 July
// 2022, and the SFMTA check digit, so that records reach every rule.
const CitationRules& rules() {
  static const CitationRules r = [] {
    CitationRules out;
    out.check_digit = CheckDigit::kMod7;
    for (const char* code : {"TRC7.2.22", "TRC7.2.20", "TRC7.2.23A", "V5204A", "5", "21", "38"})
      out.violations.push_back({code,
                                std::string("violation ") + code,
                                {{CivilDate{2000, 1, 1}, Money::from_cents(84'00)},
                                 {CivilDate{2022, 7, 1}, Money::from_cents(87'00)}}});
    return out;
  }();
  return r;
}

std::string quoted(std::string_view v) {
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string two(int v) {
  return std::string(1, static_cast<char>('0' + v / 10)) + char('0' + v % 10);
}

// The records in civicdesk's layout (every field quoted).
std::string write_own_layout(const ParsedIssuance& p) {
  std::string out =
      "citation_number,issued_at,location,violation_code,fine,plate,plate_state,make,color,vin,"
      "officer_id,device_id,notes\n";
  for (const auto& r : p.records) {
    const int minute = r.issued_minute.value_or(0);
    const std::string at = r.issued_on.iso() + "T" + two(minute / 60) + ":" + two(minute % 60);
    for (std::string_view v : {std::string_view(r.citation_number), std::string_view(at),
                               std::string_view(r.location), std::string_view(r.violation_code)})
      out += quoted(v) + ",";
    out += (r.fine ? quoted(format_plain(*r.fine)) : std::string("\"\"")) + ",";
    for (const std::string* v :
         {&r.plate, &r.plate_state, &r.make, &r.color, &r.vin, &r.officer_id, &r.device_id})
      out += quoted(*v) + ",";
    out += quoted(r.notes) + "\n";
  }
  return out;
}

void check_parsed(const Result<ParsedIssuance>& parsed, bool own_layout, bool require_location) {
  if (!parsed) {
    const Error& e = parsed.error();
    check(e.code == ErrorCode::kInvalidInput || e.code == ErrorCode::kTooLarge,
          "a refused file is kInvalidInput or kTooLarge");
    check(e.field == "file" || e.field == "header", "a refused file names the file or header");
    check(!e.message.empty(), "a refused file says why");
    return;
  }
  const ParsedIssuance& p = *parsed;
  check(p.rows == static_cast<std::int64_t>(p.records.size() + p.errors.size()),
        "every row is a record or a line error");
  int last = 1;
  for (const auto& r : p.records) {
    check(r.line > last, "records come in line order, after the header");
    last = r.line;
    check(r.citation_number.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos,
          "numbers are upper case");
    check(r.plate == normalize_plate(r.plate), "plates are normalized");
    check(!r.issued_minute || (*r.issued_minute >= 0 && *r.issued_minute < 24 * 60),
          "a time of issue is within the day");
    check(!r.fine || !r.fine->is_negative(), "a written fine is not negative");
    check(compare_with_existing(r, &r) == Reimport::kSame, "a record is the same as itself");
  }
  for (const auto& e : p.errors) {
    check(e.line > 1, "a line error names a line after the header");
    check(!e.field.empty() && !e.message.empty(), "a line error names a field and says why");
  }

  IssuanceChecks checks;
  checks.today = CivilDate{2026, 11, 26};
  checks.require_location = require_location;
  checks.require_officer = own_layout;
  IssuanceReport report = check_issuance(*parsed, rules(), checks);
  check(report.rows == p.rows, "the report keeps the row count");
  check(static_cast<std::int64_t>(report.accepted.size() + report.refused.size()) == p.rows,
        "every row is accepted or refused");
  std::set<std::string> numbers;
  for (const auto& a : report.accepted) {
    check(numbers.insert(a.record.citation_number).second, "a number is accepted once");
    check(a.fine.is_positive(), "an accepted citation is charged a fine");
    check(check_digit_ok(rules().check_digit, a.record.citation_number),
          "an accepted number passes its check digit");
  }
  for (std::size_t i = 1; i < report.refused.size(); ++i)
    check(report.refused[i - 1].line <= report.refused[i].line, "refusals are in line order");

  if (own_layout) {
    auto again = parse_issuance_csv(write_own_layout(p));
    check(again.has_value(), "the records written back parse");
    check(again->errors.empty() && again->records.size() == p.records.size(),
          "the records written back are all read");
    for (std::size_t i = 0; i < p.records.size(); ++i)
      check(compare_with_existing(again->records[i], &p.records[i]) == Reimport::kSame,
            "the records written back are the same records");
  }
}

}  // namespace

#ifdef CIVICDESK_FUZZ_STANDALONE
#include <random>
namespace {
// A small file in one of the three layouts (1..12 records), which a mutation then breaks.
std::string random_seed_input(std::mt19937_64& rng) {
  const char* codes[] = {"TRC7.2.22", "V5204A", "5", "XX9"};
  const int layout = static_cast<int>(rng() % 3);
  const int n = 1 + static_cast<int>(rng() % 12);
  std::string out = layout == 0   ? "citation_number,issued_at,location,violation_code,fine,plate,"
                                    "plate_state,make,color,vin,officer_id,device_id,notes\n"
                    : layout == 1 ? ",Citation_Number,Citation_Issued_DateTime,Violation,"
                                    "Violation_Description,Citation_Location,Vehicle_Plate_State,"
                                    "Vehicle_Plate,Fine_Amount,Date_Added,geom,Zip_Code\n"
                                  : "Summons Number,Plate ID,Registration State,Plate Type,Issue "
                                    "Date,Violation Code,Vehicle Body Type,Vehicle Make,Violation "
                                    "Description\n";
  for (int i = 0; i < n; ++i) {
    std::int64_t base = 10'000'000 + static_cast<std::int64_t>(rng() % 89'999'999);
    std::string number = std::to_string(base) + std::to_string(base % 7);
    const std::string code = codes[rng() % 4];
    const std::string plate = std::to_string(rng() % 10) + "ABC" + std::to_string(rng() % 1000);
    const int month = 1 + static_cast<int>(rng() % 12), day = 1 + static_cast<int>(rng() % 28);
    const std::string date = "2022-" + two(month) + "-" + two(day);
    const std::string time =
        two(static_cast<int>(rng() % 24)) + ":" + two(static_cast<int>(rng() % 60));
    if (layout == 0)
      out += number + "," + date + "T" + time + ",\"" + std::to_string(rng() % 2000) +
             " OAK ST, SUITE \"\"B\"\"\"," + code + ",87.00," + plate + ",CA,TOYT,BLU,,PCO " +
             std::to_string(rng() % 100) + ",HH-07,\"line one\nline two\"\n";
    else if (layout == 1)
      out += std::to_string(i) + "," + number + "," + date + "T" + time + ":00," + code +
             ",RES/OT,706 CHESTNUT ST,CA," + plate + ",99.0,2022-10-08T00:00:00,,94133\n";
    else
      out += number + "," + plate + ",NY,PAS," + std::to_string(month) + "/" + std::to_string(day) +
             "/2016," + code + ",4D,BMW,BUS LANE VIOLATION\n";
  }
  return out;
}
}  // namespace
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_parsed(parse_issuance_csv(text), true, true);
  check_parsed(parse_sf_citations(text), false, true);
  check_parsed(parse_nyc_tickets(text), false, false);
  return 0;
}

#ifdef CIVICDESK_FUZZ_STANDALONE
#include "standalone_driver.h"
#endif
