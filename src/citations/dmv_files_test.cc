// The DMV exchange's files (docs/formats/dmv-exchange.md): each written file reads back as
// written; files refused whole (no header, wrong type, a trailer missing or miscounting, records
// after it); lines refused one by one with their line and field (truncated, unknown status, bad
// plate, date, ZIP, name); and the sandbox DMV's answers, which depend on the plate alone.
#include "citations/dmv_files.h"

#include <gtest/gtest.h>

namespace civicdesk::citations {
namespace {

DmvRequestFile two_plates() {
  DmvRequestFile f;
  f.requester = "RIVERTON-PK";
  f.dmv_state = "CA";
  f.file_date = {2026, 11, 26};
  f.file_id = 7;
  f.lines.push_back({41, "7ABC123", "CA", "95455643", {2026, 8, 3}});
  f.lines.push_back({42, "NF1234", "CA", "95455650", {2026, 9, 1}});
  return f;
}

DmvResponseLine found_line() {
  DmvResponseLine r;
  r.request_id = 41;
  r.plate = "7ABC123";
  r.plate_state = "CA";
  r.status = DmvMatch::kFound;
  r.owner_type = "I";
  r.owner_name = "GARCIA,MARIA ELENA";
  r.address_line1 = "1420 OAK ST";
  r.address_line2 = "APT 3, REAR";  // a comma: quoted in the file
  r.city = "RIVERTON";
  r.state = "CA";
  r.zip = "95501-1234";
  r.make = "TOYT";
  r.vin = "1HGCM82633A004352";
  r.registration_expires_on = CivilDate{2027, 3, 14};
  r.owner_since = CivilDate{2019, 3, 14};
  return r;
}

std::string response_text(const std::vector<std::string>& details, int trailer_count) {
  std::string out = "H,DMVRS,RIVERTON-PK,CA,2026-11-27,7\n";
  for (const auto& d : details) out += d + "\n";
  return out + "T," + std::to_string(trailer_count) + "\n";
}

const std::string kFound =
    "D,41,7ABC123,CA,F,I,\"GARCIA,MARIA\",,1420 OAK ST,,RIVERTON,CA,95501,TOYT,"
    "1HGCM82633A004352,2027-03-14,2019-03-14";

TEST(DmvFiles, ARequestFileIsHeaderDetailsTrailerAndReadsBack) {
  const std::string text = write_request_file(two_plates());
  EXPECT_EQ(text,
            "H,DMVRQ,RIVERTON-PK,CA,2026-11-26,7\n"
            "D,41,7ABC123,CA,95455643,2026-08-03\n"
            "D,42,NF1234,CA,95455650,2026-09-01\n"
            "T,2\n");
  auto back = parse_request_file(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->problems.empty());
  ASSERT_EQ(back->file.lines.size(), 2u);
  EXPECT_EQ(back->file.file_id, 7);
  EXPECT_EQ(back->file.lines[1].plate, "NF1234");
  EXPECT_EQ(back->file.lines[1].violation_on, (CivilDate{2026, 9, 1}));
}

TEST(DmvFiles, AResponseFileReadsBackWithQuotedFields) {
  DmvResponseFile f{"RIVERTON-PK", "CA", {2026, 11, 27}, 7, {found_line()}};
  DmvResponseLine none;
  none.request_id = 42;
  none.plate = "NF1234";
  none.plate_state = "CA";
  none.status = DmvMatch::kNotFound;
  f.lines.push_back(none);
  const std::string text = write_response_file(f);
  EXPECT_NE(text.find("\"GARCIA,MARIA ELENA\""), std::string::npos) << text;
  EXPECT_NE(text.find("D,42,NF1234,CA,N,,,,,,,,,,,,\n"), std::string::npos) << text;
  auto back = parse_response_file(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->problems.empty()) << back->problems[0].message;
  EXPECT_EQ(back->records, 2);
  ASSERT_EQ(back->file.lines.size(), 2u);
  const auto& r = back->file.lines[0];
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.owner_name, "GARCIA,MARIA ELENA");
  EXPECT_EQ(r.address_line2, "APT 3, REAR");
  EXPECT_EQ(r.zip, "95501-1234");
  EXPECT_EQ(r.owner_since, (CivilDate{2019, 3, 14}));
  EXPECT_EQ(back->file.lines[1].status, DmvMatch::kNotFound);
  EXPECT_EQ(back->file.response_date, (CivilDate{2026, 11, 27}));
  EXPECT_EQ(back->file.request_file_id, 7);
}

TEST(DmvFiles, AFileIsRefusedWholeWhenItsTrailerOrHeaderCannotBeTrusted) {
  struct Case {
    std::string text, field, message_part;
  };
  const std::vector<Case> cases = {
      {"", "header", "empty"},
      {"D,41,7ABC123,CA,N,,,,,,,,,,,,\nT,1\n", "header", "line 1"},
      {"H,DMVRQ,RIVERTON-PK,CA,2026-11-27,7\nT,0\n", "header", "not DMVRS"},
      {"H,DMVRS,RIVERTON-PK,CA,2026-11-27\nT,0\n", "header", "6 fields"},
      {"H,DMVRS,RIVERTON-PK,CA,27/11/2026,7\nT,0\n", "header", "YYYY-MM-DD"},
      // No trailer: the transfer stopped early.
      {"H,DMVRS,RIVERTON-PK,CA,2026-11-27,7\n" + kFound + "\n", "trailer", "truncated"},
      // The trailer counts three records, the file holds two.
      {response_text({kFound, "D,42,NF1234,CA,N,,,,,,,,,,,,"}, 3), "trailer",
       "line 4: the trailer counts 3 detail records, the file has 2"},
      {response_text({kFound}, 0), "trailer", "counts 0"},
      {"H,DMVRS,RIVERTON-PK,CA,2026-11-27,7\nT,two\n", "trailer", "T,<number"},
      {response_text({kFound}, 1) + kFound + "\n", "trailer", "after the trailer"},
  };
  for (const auto& c : cases) {
    auto r = parse_response_file(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << c.text;
    EXPECT_EQ(r.error().field, c.field) << c.text << " -> " << r.error().message;
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos)
        << c.text << " -> " << r.error().message;
  }
}

TEST(DmvFiles, BadLinesAreRefusedOneByOneNamingLineAndField) {
  const std::vector<std::string> details = {
      kFound,                                                       // line 2: fine
      "D,43,8XYZ999,CA,F,I,\"SMITH,ANA\",,1 MAIN ST,,RIVERTON,CA",  // 3: truncated
      "D,44,8XYZ998,CA,X,,,,,,,,,,,,",                              // 4: unknown status
      "D,45,8XYZ997,CA,F,I,SMITH ANA,,1 MAIN ST,,RIVERTON,CA,95501,,,,2019-01-01",  // 5: name
      "D,46,8XYZ996,CA,F,B,ACME INC,,1 MAIN ST,,RIVERTON,CA,9550,,,,2019-01-01",    // 6: zip
      "D,47,8XYZ995,CA,F,B,ACME INC,,1 MAIN ST,,RIVERTON,CA,95501,,,,",             // 7: since
      "D,48,,CA,N,,,,,,,,,,,,",                                                     // 8: plate
      "D,0,8XYZ994,CA,N,,,,,,,,,,,,",                                               // 9: request id
      "D,50,8XYZ993,California,O,,,,,,,,,,,,",  // 10: plate state
      "D,51,8XYZ992,CA,F,B,ACME INC,,1 MAIN ST,,RIVERTON,CA,95501,,,2027-13-01,2019-01-01",
      "Q,52,8XYZ991,CA,N",              // 12: record type
      "D,53,8XYZ990,CA,C,,,,,,,,,,,,",  // 13: fine (confidential)
  };
  auto r = parse_response_file(response_text(details, static_cast<int>(details.size())));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->records, 12);
  ASSERT_EQ(r->file.lines.size(), 2u);
  EXPECT_EQ(r->file.lines[1].status, DmvMatch::kConfidential);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& p : r->problems) got.emplace_back(p.line, p.field);
  const std::vector<std::pair<int, std::string>> want = {
      {3, "record"},      {4, "status"},       {5, "owner_name"},
      {6, "zip"},         {7, "owner_since"},  {8, "plate"},
      {9, "request_id"},  {10, "plate_state"}, {11, "registration_expires_on"},
      {12, "record_type"}};
  EXPECT_EQ(got, want);
  EXPECT_NE(r->problems[0].message.find("truncated"), std::string::npos);
  EXPECT_NE(r->problems[1].message.find("unknown status 'X'"), std::string::npos);
}

TEST(DmvFiles, AHoldFileListsPlacesAndReleasesAndReadsBack) {
  DmvHoldFile f{"RIVERTON-PK", "CA", {2026, 11, 26}, 9, {}};
  f.lines.push_back(
      {HoldAction::kPlace, "7ABC123", "CA", "95455643", {2026, 8, 3}, Money::from_cents(147'00)});
  f.lines.push_back({HoldAction::kRelease, "8XYZ999", "CA", "95455650", {2026, 7, 1}, Money()});
  const std::string text = write_hold_file(f);
  EXPECT_EQ(text,
            "H,DMVHD,RIVERTON-PK,CA,2026-11-26,9\n"
            "D,P,7ABC123,CA,95455643,2026-08-03,147.00\n"
            "D,R,8XYZ999,CA,95455650,2026-07-01,0.00\n"
            "T,2\n");
  auto back = parse_hold_file(text);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->file.lines.size(), 2u);
  EXPECT_EQ(back->file.lines[0].amount_due.cents(), 147'00);
  EXPECT_EQ(back->file.lines[1].action, HoldAction::kRelease);
  auto bad = parse_hold_file(
      "H,DMVHD,RIVERTON-PK,CA,2026-11-26,9\nD,X,7ABC123,CA,1,2026-08-03,"
      "1.00\nT,1\n");
  ASSERT_TRUE(bad);
  ASSERT_EQ(bad->problems.size(), 1u);
  EXPECT_EQ(bad->problems[0].field, "action");
}

TEST(DmvFiles, OwnerNamesSplitAtTheComma) {
  EXPECT_EQ(split_owner_name("GARCIA,MARIA ELENA"),
            (std::pair<std::string, std::string>{"GARCIA", "MARIA ELENA"}));
  EXPECT_EQ(split_owner_name("DE LA CRUZ , JOSE"),
            (std::pair<std::string, std::string>{"DE LA CRUZ", "JOSE"}));
  EXPECT_EQ(split_owner_name("ACME INC"), (std::pair<std::string, std::string>{"ACME INC", ""}));
}

TEST(DmvSandbox, AnswersDependOnThePlateAlone) {
  DmvRequestLine q{41, "7ABC123", "CA", "95455643", {2026, 8, 3}};
  DmvResponseLine a = sandbox_answer(q, "CA");
  DmvRequestLine later = q;
  later.request_id = 99;
  later.violation_on = {2026, 11, 1};
  DmvResponseLine b = sandbox_answer(later, "CA");
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.owner_name, b.owner_name);
  EXPECT_EQ(a.address_line1, b.address_line1);
  EXPECT_EQ(a.vin, b.vin);
  EXPECT_EQ(a.owner_since, b.owner_since);
  EXPECT_EQ(b.request_id, 99);
  EXPECT_EQ(sandbox_answer({1, "NF1234", "CA", "1", {2026, 1, 1}}, "CA").status,
            DmvMatch::kNotFound);
  EXPECT_EQ(sandbox_answer({1, "CF1234", "CA", "1", {2026, 1, 1}}, "CA").status,
            DmvMatch::kConfidential);
  EXPECT_EQ(sandbox_answer({1, "7ABC123", "NV", "1", {2026, 1, 1}}, "CA").status,
            DmvMatch::kOutOfState);
}

TEST(DmvSandbox, FoundOwnersAreCompleteAndHeldTheCarBeforeTheViolation) {
  int found = 0, not_found = 0, confidential = 0;
  for (int i = 0; i < 400; ++i) {
    DmvRequestLine q{i + 1, "8T" + std::to_string(1000 + i), "CA", "1", {2026, 6, 1}};
    DmvResponseLine r = sandbox_answer(q, "CA");
    if (r.status == DmvMatch::kNotFound) ++not_found;
    if (r.status == DmvMatch::kConfidential) ++confidential;
    if (r.status != DmvMatch::kFound) continue;
    ++found;
    EXPECT_FALSE(r.owner_name.empty());
    EXPECT_EQ(r.vin.size(), 17u);
    ASSERT_TRUE(r.owner_since);
    EXPECT_LE(*r.owner_since, q.violation_on);
    ASSERT_TRUE(r.registration_expires_on);
    EXPECT_GT(*r.registration_expires_on, q.violation_on);
  }
  // About one in twenty not found and one in twenty confidential.
  EXPECT_GT(found, 320);
  EXPECT_GT(not_found, 5);
  EXPECT_GT(confidential, 5);
}

TEST(DmvSandbox, RespondsToAWholeRequestFileWithAFileThatParses) {
  auto text = sandbox_respond(write_request_file(two_plates()), {2026, 11, 27});
  ASSERT_TRUE(text) << text.error().message;
  auto r = parse_response_file(*text);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->problems.empty()) << r->problems[0].field << ": " << r->problems[0].message;
  ASSERT_EQ(r->file.lines.size(), 2u);
  EXPECT_EQ(r->file.request_file_id, 7);
  EXPECT_EQ(r->file.lines[0].request_id, 41);
  EXPECT_EQ(r->file.lines[1].status, DmvMatch::kNotFound);
  EXPECT_FALSE(sandbox_respond("H,DMVRS,X,CA,2026-11-27,7\nT,0\n", {2026, 11, 27}));
}

}  // namespace
}  // namespace civicdesk::citations
