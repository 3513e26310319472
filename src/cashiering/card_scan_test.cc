#include "cashiering/card_scan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace civicdesk::cashiering {
namespace {

TEST(CardScan, FindsNumbersInRawBytesWithOffsetsAndMasks) {
  std::string bytes("\x00\x01tender 4111111111111111\x00pad", 29);
  bytes += "|5555-5555-5555-4444|";
  auto found = find_card_numbers(bytes);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].offset, 9u);
  EXPECT_EQ(found[0].masked, "411111******1111");
  EXPECT_EQ(found[1].masked, "555555******4444");
}

TEST(CardScan, IgnoresWhatIsNotACardNumber) {
  // Fails Luhn; too short; a 21-digit scanline; inside a hex word; the last four alone.
  EXPECT_TRUE(find_card_numbers("4111111111111112 411111111111 000000100100000042504 "
                                "ab4111111111111111 card_last4=1111 [ 32 0 0 9 4 1 1 1 1 1 1 ]")
                  .empty());
}

TEST(CardScan, OnlyNumbersACardSchemeIssuesCount) {
  // Luhn-valid, 13-19 digits, but no card scheme issues them: a microsecond timestamp (16 digits
  // starting with 1), a 7- (petroleum) and a 9- (national) prefix.
  EXPECT_TRUE(find_card_numbers("\"created_us\":1795696025906605,").empty());
  EXPECT_TRUE(find_card_numbers("fleet 7000000000000005.").empty());
  EXPECT_TRUE(find_card_numbers("id 9000000000000001.").empty());
  EXPECT_EQ(find_card_numbers("visa 4000000000000002.").size(), 1u);
  // A UATP airline card (1, 15 digits) and an Amex (3, 15 digits) do.
  EXPECT_EQ(find_card_numbers("uatp 135410014004955").size(), 1u);
  EXPECT_EQ(find_card_numbers("amex 378282246310005").size(), 1u);
}

TEST(CardScan, CommandScansDirectoriesAndReportsByExitCode) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("card-scan-" + std::to_string(::getpid()));
  fs::create_directories(dir / "wal");
  std::ofstream(dir / "clean.log") << "paid by card ending 1111, token tok_sbx_visa_1111\n";
  std::ostringstream out, err;
  EXPECT_EQ(cmd_pci_scan({dir.string()}, out, err), 0) << out.str() << err.str();
  std::ofstream(dir / "wal" / "db-wal") << std::string("\x13\x01", 2) << "378282246310005";
  std::ostringstream out2, err2;
  EXPECT_EQ(cmd_pci_scan({dir.string()}, out2, err2), 1);
  EXPECT_NE(out2.str().find("db-wal:2: possible card number 378282*****0005"), std::string::npos)
      << out2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(cmd_pci_scan({(dir / "missing").string()}, out3, err3), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace civicdesk::cashiering
