#include "citations/issuance_import.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "citations/citations_test_support.h"
#include "city/city_config.h"
#include "core/csv.h"

namespace civicdesk::citations {
namespace {

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}
CivilDate d(int y, int m, int day) {
  return CivilDate{y, m, day};
}

// The demo City's citation rules, as config/demo-city.yaml defines them.
const CitationRules& demo_rules() {
  static const CitationRules rules = [] {
    auto config = load_city_config(testing::demo_city_path());
    EXPECT_TRUE(config) << config.error().field << " " << config.error().message;
    return config ? config->citations : CitationRules{};
  }();
  return rules;
}

// --- civicdesk's own layout ------------------------------------------------------------------

const char* const kHeader =
    "citation_number,issued_at,location,violation_code,fine,plate,plate_state,make,color,vin,"
    "officer_id,device_id,notes\n";

// Three good citations (mod7 check digits) issued around the 1 July 2022 fine change.
std::string good_file() {
  return std::string(kHeader) +
         "954556433,2022-06-30T17:56,706 CHESTNUT ST,TRC7.2.22,84.00,7tax 616,ca,TOYT,BLU,,"
         "PCO 123,HH-07,\n"
         "948620061,2022-07-01 08:00:00,293 BRANNAN ST,TRC7.2.22,,7DGR313,CA,,,,PCO 123,HH-07,"
         "\"blocked by a truck, moved\"\n"
         "956328531,2022-07-01T09:56,1055 HAYES ST,V5204A,$121.00,,,FORD,,1FTFW1ET5DFC10312,"
         "PCO 9,,\n";
}

IssuanceChecks checks_on(CivilDate today) {
  return IssuanceChecks{.today = today};
}

TEST(IssuanceCsv, ReadsEveryColumnAndChargesTheScheduleOfTheIssueDate) {
  auto parsed = parse_issuance_csv(good_file());
  ASSERT_TRUE(parsed) << parsed.error().field << " " << parsed.error().message;
  EXPECT_EQ(parsed->rows, 3);
  const IssuanceReport report = check_issuance(*parsed, demo_rules(), checks_on(d(2022, 7, 2)));
  ASSERT_EQ(report.accepted.size(), 3u) << report.refused[0].message;
  EXPECT_TRUE(report.refused.empty());
  const IssuanceRecord& first = report.accepted[0].record;
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.citation_number, "954556433");
  EXPECT_EQ(first.issued_on, d(2022, 6, 30));
  EXPECT_EQ(first.issued_minute, 17 * 60 + 56);
  EXPECT_EQ(first.location, "706 CHESTNUT ST");
  EXPECT_EQ(first.violation_code, "TRC7.2.22");
  EXPECT_EQ(first.fine, usd(8400));
  EXPECT_EQ(first.plate, "7TAX616");
  EXPECT_EQ(first.plate_state, "CA");
  EXPECT_EQ(first.make, "TOYT");
  EXPECT_EQ(first.color, "BLU");
  EXPECT_EQ(first.officer_id, "PCO 123");
  EXPECT_EQ(first.device_id, "HH-07");
  // 30 June: the January schedule ($84); 1 July: the new one ($87), no fine written.
  EXPECT_EQ(report.accepted[0].fine.cents(), 8400);
  EXPECT_EQ(report.accepted[1].fine.cents(), 8700);
  EXPECT_EQ(report.accepted[1].record.issued_minute, 8 * 60);
  EXPECT_EQ(report.accepted[1].record.notes, "blocked by a truck, moved");
  EXPECT_FALSE(report.accepted[1].record.fine);
  EXPECT_EQ(report.accepted[2].fine.cents(), 12100);
  EXPECT_EQ(report.accepted[2].record.vin, "1FTFW1ET5DFC10312");
  EXPECT_TRUE(report.warnings.empty());  // no plate, but a VIN
}

TEST(IssuanceCsv, OptionalColumnsMayBeLeftOutAndColumnsComeInAnyOrder) {
  auto parsed = parse_issuance_csv(
      "officer_id,plate_state,plate,violation_code,location,issued_at,citation_number\n"
      "PCO 1,CA,7ABC123,TRC7.2.22,1 MAIN ST,2026-03-02T10:15,954556433\n");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const IssuanceReport report = check_issuance(*parsed, demo_rules(), checks_on(d(2026, 3, 2)));
  ASSERT_EQ(report.accepted.size(), 1u);
  EXPECT_EQ(report.accepted[0].fine.cents(), 8700);
  EXPECT_EQ(report.accepted[0].record.plate, "7ABC123");
}

// Each bad value refuses its line only, naming the line and the field.
TEST(IssuanceCsv, EachRefusalNamesLineAndField) {
  struct Case {
    const char* row;
    const char* field;
    const char* message;
  };
  const std::string ok_tail = ",1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,";
  const Case cases[] = {
      {",2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "citation_number",
       "missing"},
      {"954556434,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "citation_number",
       "fails its check digit (mod7)"},
      {"954-556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "citation_number",
       "letters and digits"},
      {"954556433,2026-03-02,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "issued_at",
       "time of issue is missing"},
      {"954556433,03/02/2026 10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "issued_at",
       "YYYY-MM-DD"},
      {"954556433,2026-03-02T24:00,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "issued_at",
       "not a date and time"},
      {"954556433,2026-02-30T10:00,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "issued_at",
       "not a calendar date"},
      {"954556433,2026-03-03T00:01,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "issued_at",
       "after today"},
      {"954556433,2026-03-02T10:15,,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "location", "VC 40202"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC9.99,,7ABC123,CA,,,,PCO 1,,", "violation_code",
       "not in the City's fine schedule"},
      {"954556433,2021-06-30T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,", "violation_code",
       "no fine for TRC7.2.22 is in force on 2021-06-30"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,,,7ABC123,CA,,,,PCO 1,,", "violation_code", "missing"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,-87.00,7ABC123,CA,,,,PCO 1,,", "fine",
       "negative"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,87.001,7ABC123,CA,,,,PCO 1,,", "fine", ""},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7AB/123,CA,,,,PCO 1,,", "plate",
       "letters and digits"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,C4,,,,PCO 1,,", "plate_state",
       "two letters"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CAL,,,,PCO 1,,", "plate_state",
       "two letters"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,1FT-FW1,PCO 1,,", "vin",
       "letters and digits"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,,,", "officer_id",
       "VC 40202"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,", "record",
       "expected 13 fields, found 12"},
      {"954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO \"1\",,", "record",
       "a quote inside unquoted field 11"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.row);
    // The bad line sits between two good ones; only it is refused.
    const std::string text = std::string(kHeader) + "948620061" + ",2026-03-02T09:00" + ok_tail +
                             "\n" + c.row + "\n" + "956328531" + ",2026-03-02T11:00" + ok_tail +
                             "\n";
    auto parsed = parse_issuance_csv(text);
    ASSERT_TRUE(parsed) << parsed.error().message;
    const IssuanceReport report = check_issuance(*parsed, demo_rules(), checks_on(d(2026, 3, 2)));
    EXPECT_EQ(report.rows, 3);
    EXPECT_EQ(report.accepted.size(), 2u);
    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_EQ(report.refused[0].line, 3);
    EXPECT_EQ(report.refused[0].field, c.field);
    EXPECT_NE(report.refused[0].message.find(c.message), std::string::npos)
        << report.refused[0].message;
  }
}

TEST(IssuanceCsv, FieldLengthsAtTheLimitAndOnePast) {
  struct Case {
    const char* column;
    std::size_t limit;
  };
  const Case cases[] = {{"location", kMaxLocationLength},
                        {"plate", kMaxPlateLength},
                        {"make", kMaxVehicleTextLength},
                        {"color", kMaxVehicleTextLength},
                        {"vin", kMaxVinLength},
                        {"officer_id", kMaxOfficerIdLength},
                        {"device_id", kMaxOfficerIdLength},
                        {"notes", kMaxIssuanceNotesLength}};
  for (const Case& c : cases) {
    for (std::size_t length : {c.limit, c.limit + 1}) {
      SCOPED_TRACE(std::string(c.column) + " " + std::to_string(length));
      std::map<std::string, std::string> row = {{"citation_number", "954556433"},
                                                {"issued_at", "2026-03-02T10:15"},
                                                {"location", "1 MAIN ST"},
                                                {"violation_code", "TRC7.2.22"},
                                                {"plate", "7ABC123"},
                                                {"plate_state", "CA"},
                                                {"officer_id", "PCO 1"}};
      row[c.column] = std::string(length, 'A');
      std::string header, values;
      for (const auto& [k, v] : row) {
        header += (header.empty() ? "" : ",") + k;
        values += (values.empty() ? "" : ",") + v;
      }
      const IssuanceReport report =
          check_issuance(parse_issuance_csv(header + "\n" + values + "\n").value(), demo_rules(),
                         checks_on(d(2026, 3, 2)));
      if (length == c.limit) {
        EXPECT_EQ(report.accepted.size(), 1u);
      } else {
        ASSERT_EQ(report.refused.size(), 1u);
        EXPECT_EQ(report.refused[0].field, c.column);
        EXPECT_NE(report.refused[0].message.find("longer than"), std::string::npos);
      }
    }
  }
  // The citation number: 20 characters (a valid mod7 number) and 21.
  const std::string body = "1234567890123456789";
  const std::string n20 = body + std::to_string(compute_check_digit(CheckDigit::kMod7, body));
  const std::string n21 = "A" + n20;
  for (const std::string& n : {n20, n21}) {
    const std::string text =
        std::string(kHeader) + n + ",2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,\n";
    const IssuanceReport report =
        check_issuance(parse_issuance_csv(text).value(), demo_rules(), checks_on(d(2026, 3, 2)));
    EXPECT_EQ(report.accepted.size(), n.size() == 20 ? 1u : 0u) << n;
  }
}

TEST(IssuanceCsv, DuplicatesInsideTheFileAreRefusedAfterTheFirst) {
  const std::string row = ",2026-03-02T10:15,1 MAIN ST,TRC7.2.22,,7ABC123,CA,,,,PCO 1,,\n";
  const std::string text = std::string(kHeader) + "954556433" + row + "948620061" + row +
                           "954556433" + row + "954556433" + row;
  const IssuanceReport report =
      check_issuance(parse_issuance_csv(text).value(), demo_rules(), checks_on(d(2026, 3, 2)));
  EXPECT_EQ(report.accepted.size(), 2u);
  ASSERT_EQ(report.refused.size(), 2u);
  EXPECT_EQ(report.refused[0].line, 4);
  EXPECT_EQ(report.refused[0].field, "citation_number");
  EXPECT_EQ(report.refused[0].message, "citation 954556433 is also on line 2");
  EXPECT_EQ(report.refused[1].line, 5);
  EXPECT_EQ(report.refused[1].citation_number, "954556433");
}

TEST(IssuanceCsv, WarningsForAWrongFineAndAMissingPlateOrState) {
  const std::string text =
      std::string(kHeader) +
      "954556433,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,84.00,7ABC123,CA,,,,PCO 1,,\n"
      "948620061,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,0,,,,,,PCO 1,,\n"
      "956328531,2026-03-02T10:15,1 MAIN ST,TRC7.2.22,87,7ABC123,,,,,PCO 1,,\n";
  const IssuanceReport report =
      check_issuance(parse_issuance_csv(text).value(), demo_rules(), checks_on(d(2026, 3, 2)));
  EXPECT_EQ(report.accepted.size(), 3u);
  ASSERT_EQ(report.warnings.size(), 4u);
  EXPECT_EQ(report.warnings[0].field, "fine");
  EXPECT_EQ(report.warnings[0].message,
            "the citation says $84.00; the schedule for TRC7.2.22 on 2026-03-02 is $87.00, which "
            "is charged");
  EXPECT_EQ(report.warnings[1].line, 3);
  EXPECT_EQ(report.warnings[1].field, "fine");
  EXPECT_EQ(report.warnings[2].field, "plate");
  EXPECT_EQ(report.warnings[3].field, "plate_state");
  EXPECT_EQ(report.warnings[3].citation_number, "956328531");
  for (const AcceptedCitation& a : report.accepted) EXPECT_EQ(a.fine.cents(), 8700);
}

TEST(IssuanceCsv, FileLevelProblemsRefuseTheFile) {
  struct Case {
    std::string text;
    const char* field;
    const char* message;
  };
  const Case cases[] = {
      {"", "file", "empty"},
      {"\n\n", "file", "empty"},
      {"citation_number,issued_at\n", "header", "no column \"location\""},
      {std::string(kHeader).replace(0, 15, "citation_numbr"), "header",
       "unknown column \"citation_numbr\""},
      {"plate," + std::string(kHeader), "header", "column \"plate\" appears twice"},
      {std::string(kHeader) + "\"954556433,2026-03-02T10:15\n", "file",
       "line 2: a quoted field is not closed"},
  };
  for (const Case& c : cases) {
    auto parsed = parse_issuance_csv(c.text);
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(parsed.error().field, c.field);
    EXPECT_NE(parsed.error().message.find(c.message), std::string::npos) << parsed.error().message;
  }
}

TEST(IssuanceCsv, StreamAndTextGiveTheSameRecords) {
  std::istringstream in(good_file());
  auto streamed = read_issuance_csv(in);
  auto direct = parse_issuance_csv(good_file());
  ASSERT_TRUE(streamed && direct);
  EXPECT_EQ(streamed->records, direct->records);
}

TEST(IssuanceCsv, ReimportOfTheSameRecordIsSkippedADifferentOneRefused) {
  const auto parsed = parse_issuance_csv(good_file()).value();
  IssuanceRecord stored = parsed.records[0];
  stored.line = 41;  // imported before from another file
  EXPECT_EQ(compare_with_existing(parsed.records[0], nullptr), Reimport::kNew);
  EXPECT_EQ(compare_with_existing(parsed.records[0], &stored), Reimport::kSame);
  stored.plate = "7TAX617";
  EXPECT_EQ(compare_with_existing(parsed.records[0], &stored), Reimport::kConflict);
}

// --- the SFMTA sample, as published --------------------------------------------------------

class IssuanceSf : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string text =
        testing::read_text(testing::shared_testdata() / "sf-parking-citations-sample/test.csv");
    auto parsed = parse_sf_citations(text);
    ASSERT_TRUE(parsed) << parsed.error().field << " " << parsed.error().message;
    parsed_ = new ParsedIssuance(*parsed);
    // SFMTA publishes no officer column; the location is required as for the City's own files.
    const IssuanceChecks checks{.today = d(2023, 2, 1), .require_officer = false};
    report_ = new IssuanceReport(check_issuance(*parsed, demo_rules(), checks));
  }
  static void TearDownTestSuite() {
    delete parsed_;
    delete report_;
  }
  static const AcceptedCitation* find(const std::string& number) {
    for (const AcceptedCitation& a : report_->accepted)
      if (a.record.citation_number == number) return &a;
    return nullptr;
  }
  static ParsedIssuance* parsed_;
  static IssuanceReport* report_;
};
ParsedIssuance* IssuanceSf::parsed_ = nullptr;
IssuanceReport* IssuanceSf::report_ = nullptr;

TEST_F(IssuanceSf, ReadsAllRowsWithTheReadmesTotals) {
  // README: 1,112 rows, issued 2022-01-02T08:45 to 2022-12-30T16:49; Fine_Amount sum 107,490.00.
  EXPECT_EQ(parsed_->rows, 1112);
  ASSERT_EQ(parsed_->records.size(), 1112u);
  EXPECT_TRUE(parsed_->errors.empty());
  std::int64_t written = 0;
  CivilDate first = parsed_->records[0].issued_on, last = first;
  std::map<std::string, int> by_code;
  for (const IssuanceRecord& r : parsed_->records) {
    written += r.fine.value().cents();
    first = std::min(first, r.issued_on);
    last = std::max(last, r.issued_on);
    ++by_code[r.violation_code];
  }
  EXPECT_EQ(written, 107'490'00);
  EXPECT_EQ(first, d(2022, 1, 2));
  EXPECT_EQ(last, d(2022, 12, 30));
  EXPECT_EQ(by_code["TRC7.2.22"], 507);  // street cleaning, the most common
  EXPECT_EQ(by_code.size(), 44u);        // every one of them is in the demo City's schedule
  for (const auto& [code, count] : by_code)
    EXPECT_NE(demo_rules().violation(code), nullptr) << code;
}

TEST_F(IssuanceSf, AcceptsAllButTheTwoWithoutALocation) {
  EXPECT_EQ(report_->rows, 1112);
  EXPECT_EQ(report_->accepted.size(), 1110u);
  ASSERT_EQ(report_->refused.size(), 2u);
  // Both are TRC7.2.101A with $0.00, no plate and no location: void entries at the source.
  EXPECT_EQ(report_->refused[0].line, 683);
  EXPECT_EQ(report_->refused[0].citation_number, "10055264T");
  EXPECT_EQ(report_->refused[0].field, "location");
  EXPECT_EQ(report_->refused[1].line, 728);
  EXPECT_EQ(report_->refused[1].citation_number, "10123772T");
  std::int64_t written = 0, charged = 0;
  for (const AcceptedCitation& a : report_->accepted) {
    written += a.record.fine->cents();
    charged += a.fine.cents();
  }
  EXPECT_EQ(written, 107'490'00);  // the refused two were $0.00
  EXPECT_EQ(charged, 107'602'00);  // the schedule's fines, which differ on 10 citations
}

TEST_F(IssuanceSf, NumbersWithALetterSeriesPassTheMod7CheckDigit) {
  int lettered = 0;
  for (const IssuanceRecord& r : parsed_->records) {
    EXPECT_TRUE(check_digit_ok(CheckDigit::kMod7, r.citation_number)) << r.citation_number;
    lettered += r.citation_number.find_first_not_of("0123456789") != std::string::npos;
  }
  EXPECT_EQ(lettered, 17);  // README: 17 not all-numeric, e.g. PD36917473
  const AcceptedCitation* pd = find("PD36917473");
  ASSERT_NE(pd, nullptr);
  EXPECT_EQ(pd->record.line, 51);
  EXPECT_EQ(pd->fine.cents(), 10800);
}

TEST_F(IssuanceSf, FinesKeyedByIssueDateEvenWhenEnteredMonthsLater) {
  struct Case {
    const char* number;
    CivilDate issued;
    std::int64_t fine;  // the schedule's, equal to what the citation says
  };
  const Case cases[] = {
      {"952488983", d(2022, 6, 30), 8400},  // street cleaning, entered 2022-11-24
      {"952536944", d(2022, 6, 27), 9600},  // residential permit, entered 2022-10-08
      {"952845471", d(2022, 7, 7), 9900},   // after the July change, entered 2023-01-22
      {"952508174", d(2022, 7, 6), 8700},
  };
  for (const Case& c : cases) {
    const AcceptedCitation* a = find(c.number);
    ASSERT_NE(a, nullptr) << c.number;
    EXPECT_EQ(a->record.issued_on, c.issued);
    EXPECT_EQ(a->fine.cents(), c.fine);
    EXPECT_EQ(a->record.fine, usd(c.fine));
  }
  for (const LineProblem& w : report_->warnings)
    for (const Case& c : cases) EXPECT_NE(w.citation_number, c.number);
}

TEST_F(IssuanceSf, TenWrittenFinesDifferFromTheScheduleAndNinePlatesAreMissing) {
  std::vector<std::pair<int, std::string>> fines;
  int plates = 0;
  for (const LineProblem& w : report_->warnings) {
    if (w.field == "fine") fines.emplace_back(w.line, w.citation_number);
    if (w.field == "plate") ++plates;
  }
  // Devices still on an old fine table after a change, and one $0.00 (line 710, V22500B).
  const std::vector<std::pair<int, std::string>> expected = {
      {188, "947809542"}, {254, "952264401"}, {475, "953259145"}, {499, "952222445"},
      {710, "946890954"}, {729, "947111723"}, {951, "952478170"}, {954, "952264574"},
      {955, "948449412"}, {1080, "947702523"}};
  EXPECT_EQ(fines, expected);
  EXPECT_EQ(plates, 9);  // 11 rows have no plate; 2 of them were refused
  EXPECT_EQ(report_->warnings.size(), 19u);
}

TEST_F(IssuanceSf, EmbeddedQuotesOutOfStatePlatesAndEmptyZipCodes) {
  // Line 81's description is "OVR 18 "" C" (CSV-escaped quotes); its columns still line up.
  const AcceptedCitation* a = find("954565905");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->record.line, 81);
  EXPECT_EQ(a->record.location, "580 POLK ST");
  EXPECT_EQ(a->record.plate, "PYWV37");
  EXPECT_EQ(a->record.plate_state, "FL");
  EXPECT_EQ(a->record.violation_code, "V22502A");
  EXPECT_EQ(a->record.issued_minute, 13 * 60 + 58);
  EXPECT_EQ(a->fine.cents(), 7900);
  std::map<std::string, int> states;
  for (const AcceptedCitation& c : report_->accepted) ++states[c.record.plate_state];
  EXPECT_EQ(states["CA"], 1057);
  EXPECT_EQ(states["OR"], 8);
  EXPECT_EQ(states[""], 9);
}

// --- the NYC extract, as published --------------------------------------------------------

// New York's codes are numbers; the extract has no fines, so the test City charges a few real
// NYC fines and $65 for the rest (a stand-in: the schedule is not what is tested here).
CitationRules nyc_rules() {
  CitationRules rules;
  const std::map<int, std::int64_t> fines = {
      {14, 115'00}, {21, 65'00}, {36, 50'00}, {38, 65'00}, {46, 115'00}};
  for (int code = 1; code <= 99; ++code) {
    const auto it = fines.find(code);
    rules.violations.push_back({std::to_string(code),
                                "NYC code " + std::to_string(code),
                                {{d(2016, 7, 1), usd(it == fines.end() ? 65'00 : it->second)}}});
  }
  return rules;
}

class IssuanceNyc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    text_ = new std::string(
        testing::read_text(testing::shared_testdata() /
                           "nyc-parking-tickets-extract/nyc_parking_tickets_extract.csv"));
    auto parsed = parse_nyc_tickets(*text_);
    ASSERT_TRUE(parsed) << parsed.error().field << " " << parsed.error().message;
    parsed_ = new ParsedIssuance(*parsed);
  }
  static void TearDownTestSuite() {
    delete text_;
    delete parsed_;
  }
  static IssuanceChecks extract_checks() {
    // The extract has no location or officer columns.
    return IssuanceChecks{
        .today = d(2017, 7, 1), .require_location = false, .require_officer = false};
  }
  static std::string* text_;
  static ParsedIssuance* parsed_;
};
std::string* IssuanceNyc::text_ = nullptr;
ParsedIssuance* IssuanceNyc::parsed_ = nullptr;

TEST_F(IssuanceNyc, ReadsTheThousandRecordsWithThePeersCounts) {
  // README: 1 header + 1000 rows (CRLF); HONDA 106, CHEVR 76; top makes and codes.
  EXPECT_EQ(parsed_->rows, 1000);
  ASSERT_EQ(parsed_->records.size(), 1000u);
  EXPECT_TRUE(parsed_->errors.empty());
  std::map<std::string, int> makes, codes;
  for (const IssuanceRecord& r : parsed_->records) {
    ++makes[r.make];
    ++codes[r.violation_code];
    EXPECT_FALSE(r.fine);
    EXPECT_FALSE(r.issued_minute);
    EXPECT_EQ(r.location, "");
  }
  EXPECT_EQ(makes["HONDA"], 106);
  EXPECT_EQ(makes["CHEVR"], 76);
  EXPECT_EQ(makes["TOYOT"], 112);
  EXPECT_EQ(makes["FORD"], 104);
  EXPECT_EQ(makes["NISSA"], 70);
  EXPECT_EQ(makes[""], 5);
  EXPECT_EQ(codes["21"], 162);
  EXPECT_EQ(codes["36"], 140);
  EXPECT_EQ(codes["38"], 121);
  EXPECT_EQ(codes["14"], 86);
  EXPECT_EQ(codes["46"], 54);
  EXPECT_EQ(codes.size(), 45u);
  // Counting by streaming the file's lines gives the same number as counting records.
  std::istringstream lines(*text_);
  int count = 0;
  for (std::string line; std::getline(lines, line);) count += !line.empty();
  EXPECT_EQ(count - 1, parsed_->rows);
}

TEST_F(IssuanceNyc, DatesWithoutZeroPaddingAndNycPlaceholders) {
  const IssuanceRecord& first = parsed_->records[0];
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.citation_number, "4006478550");
  EXPECT_EQ(first.issued_on, d(2016, 10, 5));  // "10/5/2016"
  EXPECT_EQ(first.plate, "VAD7274");
  EXPECT_EQ(first.plate_state, "VA");
  EXPECT_EQ(first.violation_code, "5");
  EXPECT_EQ(first.make, "BMW");
  EXPECT_EQ(first.notes, "plate type PAS; body 4D");
  std::map<int, const IssuanceRecord*> by_line;
  for (const IssuanceRecord& r : parsed_->records) by_line[r.line] = &r;
  // "BLANKPLATE" and state "99" are NYC's placeholders for none.
  EXPECT_EQ(by_line[844]->plate, "");
  EXPECT_EQ(by_line[844]->plate_state, "");
  EXPECT_EQ(by_line[254]->plate, "53468JZ");
  EXPECT_EQ(by_line[254]->plate_state, "");
  // Line 891: the description a peer's copy quoted with an extra comma; here it is plain.
  EXPECT_EQ(by_line[891]->citation_number, "8480309064");
  EXPECT_EQ(by_line[891]->violation_code, "64");
  EXPECT_EQ(by_line[1001]->citation_number, "1420795430");  // the last line
}

TEST_F(IssuanceNyc, AllAcceptedUnderANycScheduleWithWarningsForPlaceholders) {
  const IssuanceReport report = check_issuance(*parsed_, nyc_rules(), extract_checks());
  EXPECT_EQ(report.accepted.size(), 1000u);
  EXPECT_TRUE(report.refused.empty());
  std::int64_t charged = 0;
  for (const AcceptedCitation& a : report.accepted) charged += a.fine.cents();
  EXPECT_EQ(charged, 69'900'00);  // 162×65 + 140×50 + 121×65 + 86×115 + 54×115 + 437×65
  std::vector<std::pair<int, std::string>> warnings;
  for (const LineProblem& w : report.warnings) warnings.emplace_back(w.line, w.field);
  EXPECT_EQ(warnings,
            (std::vector<std::pair<int, std::string>>{
                {254, "plate_state"}, {842, "plate_state"}, {844, "plate"}, {976, "plate"}}));
}

TEST_F(IssuanceNyc, TheCitysOwnRulesRefuseWhatTheExtractLacks) {
  // Under the demo City's rules every line is refused (no location; unknown codes after that),
  // each with its line and field: nothing is half-applied.
  const IssuanceReport report = check_issuance(*parsed_, demo_rules(), checks_on(d(2017, 7, 1)));
  EXPECT_TRUE(report.accepted.empty());
  ASSERT_EQ(report.refused.size(), 1000u);
  EXPECT_EQ(report.refused[0].line, 2);
  EXPECT_EQ(report.refused[0].field, "citation_number");  // NYC numbers fail the mod7 check
  int location = 0;
  for (const LineProblem& p : report.refused) location += p.field == "location";
  EXPECT_GT(location, 0);
}

}  // namespace
}  // namespace civicdesk::citations
