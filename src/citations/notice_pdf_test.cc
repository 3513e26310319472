// The delinquency notice letters: one page per notice, and the text a registered owner must see
// (addressee, citation, money, the date to pay or contest, how to pay and contest), read from the
// uncompressed content streams.
#include "citations/notice_pdf.h"

#include <gtest/gtest.h>

namespace civicdesk::citations {
namespace {

NoticeLetter letter(const std::string& number, const std::string& name) {
  NoticeLetter n;
  n.city_name = "City of Riverton";
  n.reference = "Notice 7, batch 2026-11-30";
  n.mailed_on = CivilDate{2026, 11, 30};
  n.addressee_name = name;
  n.address_lines = {"12 Elm St", "Apt 4", "Riverton, CA 95001"};
  n.citation_number = number;
  n.issued_on = CivilDate{2026, 11, 2};
  n.issued_minute = 9 * 60 + 15;
  n.location = "706 CHESTNUT ST";
  n.violation_code = "TRC7.2.22";
  n.violation_description = "Street cleaning";
  n.plate_state = "CA";
  n.plate = "7ABC123";
  n.fine = Money::from_cents(87'00);
  n.penalties = Money::from_cents(25'00);
  n.amount_due = Money::from_cents(112'00);
  n.respond_by = CivilDate{2026, 12, 14};
  n.respond_by_reason = "Monday 2026-12-14: 14 days after the notice was mailed (VC 40215(a))";
  return n;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

TEST(NoticePdf, OnePagePerNoticeWithWhatTheOwnerMustKnow) {
  std::vector<NoticeLetter> batch = {letter("954556436", "Ana Ruiz"),
                                     letter("954556443", "Bo Chen")};
  batch[1].amount_due = Money::from_cents(62'00);  // $50.00 paid so far
  auto pdf = notice_pdf(batch, {.compress = false});
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  // libharu writes "/Type /Page" for each page and "/Type /Pages" once.
  EXPECT_EQ(count(*pdf, "/Type /Page") - count(*pdf, "/Type /Pages"), 2u);
  for (const std::string text :
       {"(City of Riverton) Tj", "(NOTICE OF DELINQUENT PARKING VIOLATION) Tj", "(Ana Ruiz) Tj",
        "(Bo Chen) Tj", "(12 Elm St) Tj", "(Riverton, CA 95001) Tj", "(Citation 954556436) Tj",
        "(Issued 2026-11-02 09:15) Tj", "(At 706 CHESTNUT ST) Tj",
        "(Violation TRC7.2.22 - Street cleaning) Tj", "(Vehicle plate CA 7ABC123) Tj",
        "($87.00) Tj", "($25.00) Tj", "($112.00) Tj", "($62.00) Tj", "($50.00) Tj",
        "(Pay or request a review by 2026-12-14) Tj", "(How to pay) Tj", "(How to contest) Tj"})
    EXPECT_NE(pdf->find(text), std::string::npos) << text;
  // Paid so far appears only on the letter with a payment.
  EXPECT_EQ(count(*pdf, "(Paid so far) Tj"), 1u);
}

TEST(NoticePdf, CompressedByDefaultAndAnEmptyBatchIsRefused) {
  std::vector<NoticeLetter> one = {letter("954556436", "Ana Ruiz")};
  auto pdf = notice_pdf(one);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->find("(Ana Ruiz) Tj"), std::string::npos);
  EXPECT_NE(pdf->find("/FlateDecode"), std::string::npos);
  auto none = notice_pdf({});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().field, "letters");
}

TEST(NoticePdf, TextOutsideWinAnsiBecomesAQuestionMark) {
  std::vector<NoticeLetter> one = {letter("954556436", "José Nuñez 李")};
  auto pdf = notice_pdf(one, {.compress = false});
  ASSERT_TRUE(pdf) << pdf.error().message;
  // libharu writes bytes above 0x7E as octal escapes: é is \351, ñ is \361.
  EXPECT_NE(pdf->find(R"((Jos\351 Nu\361ez ?) Tj)"), std::string::npos);
}

}  // namespace
}  // namespace civicdesk::citations
