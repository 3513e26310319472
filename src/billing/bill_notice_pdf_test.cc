// The utility notice letters: one page per notice, the text the customer must see (addressee,
// account, service address, the items past due and their total, the City's contact block, for
// a shut-off the date and what stops it), read from the uncompressed content streams.
#include "billing/bill_notice_pdf.h"

#include <gtest/gtest.h>

namespace civicdesk::billing {
namespace {

BillNoticeLetter letter(const std::string& kind, const std::string& name) {
  BillNoticeLetter n;
  n.kind = kind;
  n.city_name = "City of Riverton";
  n.contact.office = "Utility Billing and Revenue";
  n.contact.address = {"100 Civic Center Plaza", "Riverton, CA 95001"};
  n.contact.phone = "(555) 555-0100";
  n.contact.email = "utilities@riverton.example";
  n.contact.hours = "Monday-Friday 8:00-17:00";
  n.contact.pay_url = "https://pay.riverton.example";
  n.contact.remit_to = {"PO Box 9000", "Riverton, CA 95002"};
  n.reference = "Notice 7, batch 2026-10-26";
  n.mailed_on = CivilDate{2026, 10, 26};
  n.addressee_name = name;
  n.address_lines = {"PO Box 12", "Riverton, CA 95001"};
  n.account_number = 1042;
  n.service_address = "142 MAIN ST, RIVERTON, CA 95000";
  n.items = {
      {std::int64_t{11}, "Bill 11 of 2026-08-13", CivilDate{2026, 9, 3}, Money::from_cents(59'33)},
      {std::nullopt, "Late penalty on bill 11", CivilDate{2026, 10, 1}, Money::from_cents(5'93)}};
  n.past_due = Money::from_cents(65'26);
  if (kind == "shutoff") n.shutoff_on = CivilDate{2026, 11, 4};
  return n;
}

// libharu writes ( and ) in text as octal escapes: \050 and \051.
std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

std::size_t pages(const std::string& pdf) {
  // libharu writes "/Type /Page" for each page and "/Type /Pages" once.
  return count(pdf, "/Type /Page") - count(pdf, "/Type /Pages");
}

TEST(BillNoticePdf, OnePagePerNoticeWithWhatTheCustomerMustKnow) {
  std::vector<BillNoticeLetter> batch = {letter("late", "Ana Ruiz"), letter("shutoff", "Bo Chen")};
  auto pdf = render_bill_notices_pdf(batch, {.compress = false});
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_EQ(pages(*pdf), 2u);
  for (const std::string text : {"(City of Riverton) Tj",
                                 "(Utility Billing and Revenue) Tj",
                                 "(100 Civic Center Plaza) Tj",
                                 R"((Phone \050555\051 555-0100) Tj)",
                                 "(utilities@riverton.example) Tj",
                                 "(Monday-Friday 8:00-17:00) Tj",
                                 "(Ana Ruiz) Tj",
                                 "(Bo Chen) Tj",
                                 "(PO Box 12) Tj",
                                 "(LATE NOTICE - YOUR UTILITY BILL IS PAST DUE) Tj",
                                 "(SHUT-OFF NOTICE - WATER SERVICE DISCONNECTION) Tj",
                                 "(Account 1042) Tj",
                                 "(Service address: 142 MAIN ST, RIVERTON, CA 95000) Tj",
                                 "(Bill 11 of 2026-08-13) Tj",
                                 "(2026-09-03) Tj",
                                 "($59.33) Tj",
                                 "(Late penalty on bill 11) Tj",
                                 "($5.93) Tj",
                                 "(TOTAL PAST DUE) Tj",
                                 "($65.26) Tj",
                                 "(Water service will be shut off on or after 2026-11-04) Tj",
                                 "(What stops the shut-off) Tj",
                                 "(How to pay) Tj"})
    EXPECT_NE(pdf->find(text), std::string::npos) << text;
  // The shut-off date and what stops it only on the shut-off notice; the phone in each way out.
  EXPECT_EQ(count(*pdf, "(What stops the shut-off) Tj"), 1u);
  EXPECT_EQ(count(*pdf, "(TOTAL PAST DUE) Tj"), 2u);
  EXPECT_NE(pdf->find("Health and Safety Code 116908"), std::string::npos);
  EXPECT_GE(count(*pdf, R"(call \050555\051 555-0100)"), 3u);
}

TEST(BillNoticePdf, TheSameLettersGiveTheSameBytes) {
  std::vector<BillNoticeLetter> batch = {letter("shutoff", "Bo Chen")};
  auto a = render_bill_notices_pdf(batch);
  auto b = render_bill_notices_pdf(batch);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(a->find("/FlateDecode"), std::string::npos);  // compressed by default
}

TEST(BillNoticePdf, ManyItemsFoldTheOldestIntoOneLine) {
  auto n = letter("late", "Ana Ruiz");
  n.items.clear();
  for (int i = 0; i < 15; ++i)
    n.items.push_back({std::int64_t{i + 1}, "Bill " + std::to_string(i + 1),
                       CivilDate{2026, 1, 1}.plus_days(30 * i), Money::from_cents(10'00)});
  n.past_due = Money::from_cents(150'00);
  std::vector<BillNoticeLetter> one = {n};
  auto pdf = render_bill_notices_pdf(one, {.compress = false});
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pages(*pdf), 1u);
  // 15 items, 12 printed: the 3 oldest ($30.00) on one line.
  EXPECT_NE(pdf->find("(and 3 earlier items) Tj"), std::string::npos);
  EXPECT_NE(pdf->find("($30.00) Tj"), std::string::npos);
  EXPECT_EQ(pdf->find("(Bill 3) Tj"), std::string::npos);
  EXPECT_NE(pdf->find("(Bill 4) Tj"), std::string::npos);
}

TEST(BillNoticePdf, AnEmptyBatchIsRefused) {
  auto none = render_bill_notices_pdf({});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().field, "letters");
}

}  // namespace
}  // namespace civicdesk::billing
