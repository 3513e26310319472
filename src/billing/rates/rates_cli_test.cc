#include "billing/rates/rates_cli.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <sstream>

#include "billing/rates/rates_test_support.h"

namespace civicdesk::rates {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string san_diego() {
  return (testing::owrs_dir() / "full_utility_rates" / "California" / "San Diego  City Of - 2514" /
          "sdc-2016-08-01.owrs")
      .string();
}

std::string peer_tariff() {
  return (testing::rateparser_dir() / "tests" / "testthat" / "test_calculate_bills.yaml_rates.owrs")
      .string();
}

struct CliRun {
  int status;
  std::string out;
  std::string err;
};

CliRun run(const RatesBillArgs& args) {
  std::ostringstream out, err;
  const int status = cmd_rates_bill(args, out, err);
  return {status, out.str(), err.str()};
}

TEST(RatesCli, JsonIsExactlyTheIssuesShape) {
  RatesBillArgs a;
  a.owrs_path = san_diego();
  a.customer_class = "RESIDENTIAL_SINGLE";
  a.usage_ccf = "20";
  a.meter_size = "5/8\"";
  a.json = true;
  const CliRun r = run(a);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with(R"({"lines":[{"name":"service_charge","amount":"23.92",)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, R"({"name":"commodity_charge","amount":"121.87","exact":"121.872",)"))
      << r.out;
  EXPECT_TRUE(r.out.ends_with(R"(],"total":"145.79"})"
                              "\n"))
      << r.out;
  EXPECT_TRUE(contains(
      r.out,
      R"("tiers":[{"tier":1,"from":"0","to":"4","units":"4","price":"4.504","amount":"18.016"})"))
      << r.out;
}

TEST(RatesCli, TextShowsLinesTiersAndTotal) {
  RatesBillArgs a;
  a.owrs_path = peer_tariff();
  a.customer_class = "RESIDENTIAL_SINGLE";
  a.usage_ccf = "27.3";
  a.meter_size = "5/8\"";
  const CliRun r = run(a);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "City of Example, customer class RESIDENTIAL_SINGLE, rates "
                       "effective 2016-03-01"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "121.28  Tiered (fixed blocks) on 27.3 ccf")) << r.out;
  EXPECT_TRUE(contains(r.out, "(exact 121.281)")) << r.out;
  EXPECT_TRUE(contains(r.out, "tier 4: 2.3 ccf above 25 x 10.07 = 23.161")) << r.out;
  EXPECT_TRUE(contains(r.out, "152.28  (exact 152.281; each line rounded once to the cent"))
      << r.out;
}

TEST(RatesCli, SetInputsAndErrors) {
  RatesBillArgs a;
  a.owrs_path = peer_tariff();
  a.customer_class = "IRRIGATION";
  a.usage_ccf = "41";
  a.meter_size = "1\"";
  a.set = {"water_type=RECYCLED", "et_amount=4.8", "irrigable_area=4500"};
  a.json = true;
  CliRun r = run(a);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.ends_with(R"("total":"308.32"})"
                              "\n"))
      << r.out;

  a.set = {"water_type=RECYCLED", "et_amount=4.8"};  // irrigable_area missing
  r = run(a);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err,
                       "The field irrigable_area is not present in the OWRS file for "
                       "customer class IRRIGATION"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "[IRRIGATION.irrigable_area]")) << r.err;
  EXPECT_TRUE(r.out.empty());

  a.customer_class = "ERROR_CLASS4";
  r = run(a);
  EXPECT_EQ(r.status, 1);  // the tariff refuses the class
  EXPECT_TRUE(contains(r.err, "Tiers are formatted for budget-based rates")) << r.err;

  a.customer_class = "RESIDENTIAL_MULTI";
  r = run(a);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "No rate information for customer class RESIDENTIAL_MULTI")) << r.err;

  for (const char* bad : {"=3", "hh size=3", "hhsize", "1x=2"}) {
    a.set = {bad};
    r = run(a);
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_TRUE(contains(r.err, "--set")) << r.err;
  }
  a.set = {"hhsize=3", "hhsize=4"};
  EXPECT_EQ(run(a).status, 2);
  a.set = {};
  a.usage_ccf = "2.5e1.0";
  r = run(a);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--usage-ccf")) << r.err;
  a.usage_ccf = "41";
  a.owrs_path = "/nonexistent.owrs";
  EXPECT_EQ(run(a).status, 1);
}

TEST(RatesCli, WhatIfAgainstAProposedTariff) {
  RatesBillArgs a;
  a.owrs_path = (testing::rateparser_dir() / "examples" / "smc-2016-03-01.owrs").string();
  a.compare_owrs = peer_tariff();
  a.customer_class = "RESIDENTIAL_SINGLE";
  a.usage_ccf = "27.3";
  a.meter_size = "5/8\"";
  a.json = true;
  const CliRun r = run(a);
  ASSERT_EQ(r.status, 0) << r.err;
  // Santa Monica 2016: 14 x 2.87 + 13.3 x 4.29 = 97.237; the example adds service and sewer.
  EXPECT_TRUE(contains(r.out, R"("current":{"lines":[{"name":"commodity_charge","amount":"97.24")"))
      << r.out;
  EXPECT_TRUE(r.out.ends_with(R"("total":"152.28"},"difference":"55.04"})"
                              "\n"))
      << r.out;
}

// The built binary, once `rates bill` is wired into src/cli/main.cc.
TEST(RatesCli, BinaryPrintsTheBill) {
  std::array<char, 4096> self{};
  const ssize_t n = readlink("/proc/self/exe", self.data(), self.size() - 1);
  ASSERT_GT(n, 0);
  const fs::path binary =
      fs::path(std::string(self.data(), static_cast<std::size_t>(n))).parent_path() / "civicdesk";
  ASSERT_TRUE(fs::exists(binary)) << binary;
  auto capture = [](const std::string& command, int* status) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
    const int raw = pclose(pipe);
    *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return out;
  };
  int status = 0;
  const std::string help = capture("'" + binary.string() + "' --help 2>&1", &status);
  ASSERT_NE(help.find("\n  rates "), std::string::npos) << help;
  const std::string command = "'" + binary.string() + "' rates bill --owrs '" + san_diego() +
                              "' --class RESIDENTIAL_SINGLE --usage-ccf 20 --meter-size '5/8\"' "
                              "--json 2>&1";
  const std::string out = capture(command, &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_TRUE(out.ends_with(R"(],"total":"145.79"})"
                            "\n"))
      << out;
  const std::string missing =
      capture("'" + binary.string() + "' rates bill --owrs '" + san_diego() +
                  "' --class RESIDENTIAL_SINGLE --usage-ccf 20 2>&1",
              &status);
  EXPECT_EQ(status, 2) << missing;
  EXPECT_TRUE(contains(missing, "The field meter_size is not present")) << missing;
}

}  // namespace
}  // namespace civicdesk::rates
