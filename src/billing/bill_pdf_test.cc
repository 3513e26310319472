// The bill PDF: what a customer, the post office and the bank's lockbox must find on it, read
// from the uncompressed content streams (libharu writes each text as "(text) Tj").
#include <gtest/gtest.h>
#include <qrencode.h>
#include <zint.h>

#include <regex>
#include <string>
#include <vector>

#include "billing/bill_document.h"
#include "remittance/scanline.h"

namespace civicdesk::billing {
namespace {

BillDocument sample_bill(std::int64_t account = 1001, std::int64_t due_cents = 123'45) {
  BillDocument b;
  b.city.name = "City of Riverton Utilities";
  b.city.address = "100 Main St\nRiverton, CA 95001";
  b.city.phone = "(555) 555-0100";
  b.city.pay_url = "https://pay.riverton.example/utility";
  b.city.remit_to = "City of Riverton\nPO Box 4400\nRiverton, CA 95001-4400";
  b.account_number = account;
  b.customer_name = "Ana Ruiz";
  b.mailing_address = "12 Elm St\nApt 4\nRiverton, CA 95001";
  b.service_address = "12 Elm St, Riverton";
  b.bill_date = CivilDate{2026, 11, 5};
  b.period_start = CivilDate{2026, 10, 1};
  b.period_end = CivilDate{2026, 10, 31};
  b.due_date = CivilDate{2026, 11, 25};
  b.reads = {
      BillRead{"M-88231", CivilDate{2026, 9, 30}, 4512, CivilDate{2026, 10, 31}, 4526, false,
               14'000},
      BillRead{"M-90017", CivilDate{2026, 9, 30}, 120, CivilDate{2026, 10, 31}, 123, true, 3'500}};
  const char* months[] = {"Nov 25", "Dec 25", "Jan 26", "Feb 26", "Mar 26", "Apr 26",
                          "May 26", "Jun 26", "Jul 26", "Aug 26", "Sep 26", "Oct 26"};
  for (int i = 0; i < 12; ++i)
    b.history.push_back(BillUsagePeriod{months[i], 9'000 + i * 1'250, i == 7});
  b.charges = {
      BillServiceCharges{
          "Water",
          {BillChargeLine{"Water base charge", "5/8\" meter, monthly", Money::from_cents(18'50)},
           BillChargeLine{"Water usage tier 1", "5 CCF x $3.12", Money::from_cents(15'60)},
           BillChargeLine{"Water usage tier 2", "12.5 CCF x $4.05", Money::from_cents(50'63)}},
          Money::from_cents(84'73)},
      BillServiceCharges{
          "Sewer",
          {BillChargeLine{"Sewer", "winter average 9 CCF x $2.72", Money::from_cents(24'48)}},
          Money::from_cents(24'48)},
      BillServiceCharges{"Refuse",
                         {BillChargeLine{"Refuse 64 gal cart", "", Money::from_cents(14'24)}},
                         Money::from_cents(14'24)},
  };
  b.previous_balance = Money::from_cents(110'00);
  b.payments = Money::from_cents(110'00);
  b.current_charges = Money::from_cents(123'45);
  b.amount_due = Money::from_cents(due_cents);
  b.messages = {"Water rates change on January 1; see the enclosed notice.",
                "Sign up for autopay at the City's web site and never miss a due date."};
  return b;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

std::size_t pages(const std::string& pdf) {
  // libharu writes "/Type /Page" for each page and "/Type /Pages" once per page tree node.
  return count(pdf, "/Type /Page") - count(pdf, "/Type /Pages");
}

// libharu writes parentheses inside a string as octal escapes.
bool has(const std::string& pdf, const std::string& text) {
  std::string escaped;
  for (char c : text) escaped += c == '(' ? "\\050" : c == ')' ? "\\051" : std::string(1, c);
  return pdf.find("(" + escaped + ") Tj") != std::string::npos;
}

std::vector<std::string> printed_scanlines(const std::string& pdf) {
  static const std::regex kLine(R"(\((\d{10} \d{10} \d)\) Tj)");
  std::vector<std::string> out;
  for (std::sregex_iterator it(pdf.begin(), pdf.end(), kLine), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

Result<std::string> uncompressed(const BillDocument& b) {
  return render_bill_pdf(b, {.compress = false});
}

TEST(BillPdf, OnePageWithWhatTheCustomerAndTheBankMustRead) {
  auto pdf = uncompressed(sample_bill());
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_EQ(pages(*pdf), 1u);
  for (const std::string text : {"City of Riverton Utilities",
                                 "Utility Bill",
                                 "Account number",
                                 "1001",
                                 "Ana Ruiz",
                                 "12 Elm St",
                                 "Apt 4",
                                 "Riverton, CA 95001",
                                 "Service address: 12 Elm St, Riverton",
                                 "Service period: 2026-10-01 to 2026-10-31",
                                 "2026-11-25",
                                 "$123.45",
                                 "Previous balance",
                                 "$110.00",
                                 "-$110.00",
                                 "M-88231",
                                 "4512",
                                 "4526",
                                 "14",
                                 "3.5",
                                 "Est. (E)",
                                 "Actual",
                                 "Water",
                                 "Water usage tier 2",
                                 "12.5 CCF x $4.05",
                                 "$50.63",
                                 "Total Water",
                                 "$84.73",
                                 "Sewer",
                                 "winter average 9 CCF x $2.72",
                                 "Refuse 64 gal cart",
                                 "$123.45",
                                 "Usage history (CCF)",
                                 "Nov 25",
                                 "Oct 26",
                                 "E = estimated read (outlined bar)",
                                 "Remittance stub",
                                 "PO Box 4400",
                                 "Scan to pay online",
                                 "Water rates change on January 1; see the enclosed notice."})
    EXPECT_TRUE(has(*pdf, text)) << text;
  // The dashed cut line: a dash pattern is set on the page.
  EXPECT_NE(pdf->find("[4 3 ] 0 d"), std::string::npos);
}

TEST(BillPdf, TheScanlineCarriesAccountAmountAndALuhnDigit) {
  auto pdf = uncompressed(sample_bill(4'200'017, 98'765));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const auto lines = printed_scanlines(*pdf);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with("0004200017 0000098765 "));
  auto parsed = remittance::parse_scanline(lines[0]);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->account_number, 4'200'017);
  EXPECT_EQ(parsed->amount_due_cents, 98'765);
  EXPECT_TRUE(remittance::luhn_valid(parsed->digits));
  EXPECT_EQ(parsed->digits, remittance::make_scanline(4'200'017, 98'765));
}

TEST(BillPdf, TheCode128AndTheQrCodeAreDrawn) {
  const BillDocument b = sample_bill();
  auto pdf = uncompressed(b);
  ASSERT_TRUE(pdf) << pdf.error().message;

  // QR: one 1-bit image of the pay link's symbol plus 4 modules of quiet zone on each side.
  const std::string link = bill_pay_link(b);
  QRcode* qr = QRcode_encodeString(link.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  ASSERT_NE(qr, nullptr);
  const int side = qr->width + 8;
  QRcode_free(qr);
  EXPECT_EQ(count(*pdf, "/Subtype /Image"), 1u);
  EXPECT_NE(pdf->find("/Width " + std::to_string(side)), std::string::npos);
  EXPECT_NE(pdf->find("/BitsPerComponent 1"), std::string::npos);
  EXPECT_NE(pdf->find(" Do"), std::string::npos);

  // Code 128: every bar zint draws for the scanline is a rectangle on the page.
  zint_symbol* z = ZBarcode_Create();
  z->symbology = BARCODE_CODE128;
  z->show_hrt = 0;
  const std::string digits = remittance::make_scanline(b.account_number, b.amount_due.cents());
  ASSERT_LT(
      ZBarcode_Encode_and_Buffer_Vector(z, reinterpret_cast<const unsigned char*>(digits.data()),
                                        static_cast<int>(digits.size()), 0),
      ZINT_ERROR);
  std::size_t bars = 0;
  for (auto* r = z->vector->rectangles; r != nullptr; r = r->next) ++bars;
  ZBarcode_Delete(z);
  EXPECT_GE(bars, 20u);
  // Rectangles elsewhere: the summary box, legend squares and 11 history bars (one outlined).
  EXPECT_GE(count(*pdf, " re\n"), bars + 12);

  // Without a pay URL there is no QR code (and no image); the barcode stays.
  BillDocument no_url = b;
  no_url.city.pay_url.clear();
  auto plain = uncompressed(no_url);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(count(*plain, "/Subtype /Image"), 0u);
  EXPECT_GE(count(*plain, " re\n"), bars);
}

TEST(BillPdf, PayLinkNamesAccountAndAmount) {
  BillDocument b = sample_bill(1001, 4'250);
  EXPECT_EQ(bill_pay_link(b), "https://pay.riverton.example/utility?account=1001&amount=42.50");
  b.city.pay_url = "https://pay.example/u?city=riverton";
  EXPECT_EQ(bill_pay_link(b), "https://pay.example/u?city=riverton&account=1001&amount=42.50");
  b.amount_due = Money::from_cents(-500);
  EXPECT_EQ(bill_pay_link(b), "https://pay.example/u?city=riverton&account=1001&amount=0.00");
}

TEST(BillPdf, ABatchOfThreeIsThreePagesInOrder) {
  std::vector<BillDocument> batch = {sample_bill(1001, 10'00), sample_bill(1002, 20'00),
                                     sample_bill(1003, 30'00)};
  batch[1].customer_name = "Bo Chen";
  auto pdf = render_bills_pdf(batch, {.compress = false});
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pages(*pdf), 3u);
  const auto lines = printed_scanlines(*pdf);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].starts_with("0000001001 0000001000"));
  EXPECT_TRUE(lines[1].starts_with("0000001002 0000002000"));
  EXPECT_TRUE(lines[2].starts_with("0000001003 0000003000"));
  EXPECT_TRUE(has(*pdf, "Bo Chen"));
  // The fonts are shared: each base-14 font is embedded once for the whole batch.
  EXPECT_EQ(count(*pdf, "/BaseFont /Helvetica\n"), 1u);
  EXPECT_EQ(count(*pdf, "/BaseFont /Courier-Bold"), 1u);
  EXPECT_EQ(count(*pdf, "/Subtype /Image"), 3u);
}

TEST(BillPdf, ACreditBalanceSaysDoNotPayAndTheStubCarriesZero) {
  BillDocument b = sample_bill(1001, -25'00);
  auto pdf = uncompressed(b);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(has(*pdf, "Credit balance - do not pay"));
  EXPECT_TRUE(has(*pdf, "$25.00 credit"));
  EXPECT_TRUE(has(*pdf, "Do not pay: the credit applies to your next bill."));
  EXPECT_FALSE(has(*pdf, "Amount enclosed  $ ______________"));
  const auto lines = printed_scanlines(*pdf);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].substr(0, 21), "0000001001 0000000000");
}

TEST(BillPdf, NoHistoryNoReadsNoChargesStillRender) {
  BillDocument b = sample_bill();
  b.history.clear();
  b.reads.clear();
  b.charges.clear();
  b.messages.clear();
  b.amount_due = Money::zero();
  auto pdf = uncompressed(b);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pages(*pdf), 1u);
  EXPECT_TRUE(has(*pdf, "No usage history yet"));
  EXPECT_TRUE(has(*pdf, "No metered service on this bill."));
  EXPECT_TRUE(has(*pdf, "No charges this period."));
  EXPECT_FALSE(has(*pdf, "Messages"));
  EXPECT_EQ(printed_scanlines(*pdf).size(), 1u);
}

TEST(BillPdf, HistoryIsCutToTheNewestTwelvePeriods) {
  BillDocument b = sample_bill();
  b.history.insert(b.history.begin(), BillUsagePeriod{"Oct 25", 5'000, false});
  b.history.insert(b.history.begin(), BillUsagePeriod{"Sep 25", 5'000, false});
  auto pdf = uncompressed(b);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_FALSE(has(*pdf, "Sep 25"));
  EXPECT_FALSE(has(*pdf, "Oct 25"));
  EXPECT_TRUE(has(*pdf, "Nov 25"));
  EXPECT_TRUE(has(*pdf, "Oct 26"));
}

TEST(BillPdf, ManyChargeLinesContinueOnMorePagesWithTheStubOnPageOne) {
  BillDocument b = sample_bill();
  b.charges.clear();
  BillServiceCharges water{"Water", {}, Money::from_cents(199'00)};
  for (int i = 0; i < static_cast<int>(kMaxBillChargeLines) - 1; ++i)
    water.lines.push_back(
        BillChargeLine{"Line " + std::to_string(i + 1), "explained", Money::from_cents(100)});
  b.charges.push_back(water);  // 199 lines + the service = the limit
  auto pdf = uncompressed(b);
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::size_t n = pages(*pdf);
  EXPECT_GE(n, 3u);
  EXPECT_TRUE(has(*pdf, "Line 1"));
  EXPECT_TRUE(has(*pdf, "Line 199"));
  EXPECT_TRUE(has(*pdf, "Water (continued)"));  // the service is named again on a new page
  EXPECT_TRUE(has(*pdf, "Account 1001 - page 1 of " + std::to_string(n)));
  EXPECT_TRUE(has(*pdf, "Account 1001 - page " + std::to_string(n) + " of " + std::to_string(n)));
  EXPECT_EQ(printed_scanlines(*pdf).size(), 1u);  // one stub per bill

  b.charges[0].lines.push_back(BillChargeLine{"One too many", "", Money::from_cents(1)});
  auto refused = render_bill_pdf(b);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(refused.error().field, "charges");
}

TEST(BillPdf, BadInputIsRefusedNamingTheField) {
  BillDocument b = sample_bill();
  b.account_number = 0;
  auto r = render_bill_pdf(b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().field, "account_number");
  b.account_number = remittance::kMaxScanlineAccountNumber + 1;
  EXPECT_EQ(render_bill_pdf(b).error().field, "account_number");
  b.account_number = remittance::kMaxScanlineAccountNumber;
  EXPECT_TRUE(render_bill_pdf(b));

  b = sample_bill();
  b.amount_due = Money::from_cents(std::int64_t{10'000'000'000});
  EXPECT_EQ(render_bill_pdf(b).error().field, "amount_due");

  b = sample_bill();
  while (b.reads.size() <= kMaxBillReads) b.reads.push_back(b.reads[0]);
  EXPECT_EQ(render_bill_pdf(b).error().code, ErrorCode::kTooLarge);
  b.reads.resize(kMaxBillReads);  // the limit itself fits on page 1
  auto at_limit = uncompressed(b);
  ASSERT_TRUE(at_limit);
  EXPECT_EQ(pages(*at_limit), 1u);

  b = sample_bill();
  b.messages.assign(kMaxBillMessages + 1, "A message.");
  EXPECT_EQ(render_bill_pdf(b).error().field, "messages");

  // In a batch, the error names the bill.
  std::vector<BillDocument> batch = {sample_bill(1001), sample_bill(1002)};
  batch[1].account_number = 0;
  auto bad = render_bills_pdf(batch);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("bill 2"), std::string::npos) << bad.error().message;
  EXPECT_EQ(render_bills_pdf({}).error().field, "bills");
}

TEST(BillPdf, CompressedByDefaultAndNonLatinTextBecomesAQuestionMark) {
  BillDocument b = sample_bill();
  auto pdf = render_bill_pdf(b);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_FALSE(has(*pdf, "Ana Ruiz"));
  EXPECT_NE(pdf->find("/FlateDecode"), std::string::npos);
  b.customer_name = "José Nuñez 李";
  auto plain = uncompressed(b);
  ASSERT_TRUE(plain);
  EXPECT_NE(plain->find(R"((Jos\351 Nu\361ez ?) Tj)"), std::string::npos);
}

}  // namespace
}  // namespace civicdesk::billing
