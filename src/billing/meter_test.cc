// Meters, premises, services, carts and cycles: the pure rules, with hand-computed cases.
#include "billing/meter.h"

#include <gtest/gtest.h>

#include "billing/premise.h"
#include "billing/read_route.h"
#include "billing/refuse_cart.h"
#include "billing/service.h"
#include "billing/utility_account.h"

namespace civicdesk::billing {
namespace {

Meter meter(MeterUnit unit, int dials = 4, std::int64_t multiplier = 1) {
  Meter m;
  m.serial = "M1";
  m.unit = unit;
  m.dials = dials;
  m.multiplier = multiplier;
  return m;
}

TEST(BillingMeter, ConvertsToMilliCcfExactlyRoundingOnceHalfUp) {
  // CCF and cubic feet are exact.
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kCcf), 12), 12'000);
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kCubicFeet), 1234), 12'340);
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kCubicFeet, 6, 10), 1234), 123'400);
  // 1 gallon = 385/288 mccf: 1,000 gal = 1,336.805… -> 1,337; 748 gal = 999.93… -> 1,000.
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kGallons), 1000), 1337);
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kGallons), 748), 1000);
  // 144 gal = 192.5 mccf exactly: a tie, half-up -> 193; a credit of the same rounds to -193.
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kGallons), 144), 193);
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kGallons), -144), -193);
  // Multiplier before the one rounding: 100 gal × 10 = 1,000 gal -> 1,337 (not 10 × 134).
  EXPECT_EQ(*usage_mccf(meter(MeterUnit::kGallons, 6, 10), 100), 1337);
}

TEST(BillingMeter, RegisterUnitsForAnEstimateAreTheNearestWholeUnits) {
  EXPECT_EQ(register_units_for(meter(MeterUnit::kCcf), 12'499), 12);
  EXPECT_EQ(register_units_for(meter(MeterUnit::kCcf), 12'500), 13);
  EXPECT_EQ(register_units_for(meter(MeterUnit::kGallons), 1337), 1000);      // 1000.15 -> 1000
  EXPECT_EQ(register_units_for(meter(MeterUnit::kCcf, 6, 10), 125'000), 13);  // 12.5 -> 13
}

TEST(BillingMeter, DialsBoundTheRegister) {
  EXPECT_EQ(register_capacity(4), 10'000);
  EXPECT_TRUE(check_register_value(meter(MeterUnit::kCcf, 4), 9999));
  auto past = check_register_value(meter(MeterUnit::kCcf, 4), 10'000);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().field, "value");
  EXPECT_FALSE(check_register_value(meter(MeterUnit::kCcf, 4), -1));
  Meter m = meter(MeterUnit::kCcf, 2);
  EXPECT_EQ(check_meter(m).error().field, "dials");
  m = meter(MeterUnit::kCcf, 11);
  EXPECT_EQ(check_meter(m).error().field, "dials");
  m = meter(MeterUnit::kCcf, 10, kMaxMultiplier + 1);
  EXPECT_EQ(check_meter(m).error().field, "multiplier");
  EXPECT_TRUE(check_meter(meter(MeterUnit::kCcf, 10, kMaxMultiplier)));
  EXPECT_EQ(parse_meter_unit("litres").error().field, "unit");
}

TEST(BillingMeter, FormatsCcfWithThreePlaces) {
  EXPECT_EQ(format_ccf(0), "0.000");
  EXPECT_EQ(format_ccf(1337), "1.337");
  EXPECT_EQ(format_ccf(-500), "-0.500");
  EXPECT_EQ(format_ccf(12'000), "12.000");
}

TEST(BillingRecords, OneServiceStopsWithoutTheOthers) {
  const CivilDate opened{2026, 1, 1};
  Service water{1, 1, ServiceKind::kWater, "RES", opened, std::nullopt};
  Service refuse{2, 1, ServiceKind::kRefuse, "RES", opened, std::nullopt};
  ASSERT_TRUE(check_stop(refuse, CivilDate{2026, 6, 1}));
  refuse.stopped_on = CivilDate{2026, 6, 1};
  EXPECT_TRUE(refuse.active_on(CivilDate{2026, 5, 31}));
  EXPECT_FALSE(refuse.active_on(CivilDate{2026, 6, 1}));  // the stop day is not served
  EXPECT_TRUE(water.active_on(CivilDate{2026, 6, 1}));
  EXPECT_EQ(check_stop(refuse, CivilDate{2026, 7, 1}).error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(check_stop(water, CivilDate{2025, 12, 31}).error().field, "stopped_on");
  // A second water service while the first runs: refused; refuse again after its stop: fine.
  std::vector<Service> list{water, refuse};
  EXPECT_EQ(check_new_service(list, ServiceKind::kWater, "RES", CivilDate{2026, 7, 1}, opened)
                .error()
                .code,
            ErrorCode::kConflict);
  EXPECT_TRUE(check_new_service(list, ServiceKind::kRefuse, "RES", CivilDate{2026, 6, 1}, opened));
  EXPECT_FALSE(
      check_new_service(list, ServiceKind::kRefuse, "RES", CivilDate{2026, 5, 31}, opened));
  EXPECT_EQ(check_new_service({}, ServiceKind::kSewer, "", opened, opened).error().field,
            "rate_class");
  EXPECT_EQ(
      check_new_service({}, ServiceKind::kSewer, "R", CivilDate{2025, 1, 1}, opened).error().field,
      "started_on");
  EXPECT_EQ(parse_service_kind("gas").error().field, "kind");
}

TEST(BillingRecords, AccountNumbersFitTheScanline) {
  EXPECT_TRUE(check_account_number(1));
  EXPECT_TRUE(check_account_number(kMaxAccountNumber));
  EXPECT_EQ(check_account_number(kMaxAccountNumber + 1).error().field, "number");
  EXPECT_EQ(check_account_number(0).error().field, "number");
  EXPECT_EQ(ledger_account_ref(1001), "utility:1001");
  UtilityAccount a;
  a.number = 1001;
  a.mailing.city = "Riverton";
  EXPECT_EQ(check_account(a).error().field, "mailing.line1");
}

TEST(BillingRecords, PremisesCartsAndCycles) {
  Premise p;
  EXPECT_EQ(check_premise(p).error().field, "line1");
  p.line1 = "101 MAIN ST";
  p.city = "RIVERTON";
  p.state = "CA";
  p.postal_code = "95000";
  EXPECT_TRUE(check_premise(p));
  EXPECT_EQ(one_line(p), "101 MAIN ST, RIVERTON, CA 95000");
  EXPECT_EQ(parse_premise_type("castle").error().field, "premise_type");
  RefuseCart cart;
  EXPECT_TRUE(check_refuse_cart(cart));
  cart.size_gallons = 50;
  EXPECT_EQ(check_refuse_cart(cart).error().field, "size_gallons");
  Cycle c{0, "C2", "Cycle 2", 15, 2};
  EXPECT_TRUE(check_cycle(c));
  auto reads = scheduled_reads(c, CivilDate{2026, 1, 1}, CivilDate{2026, 6, 30});
  ASSERT_EQ(reads.size(), 3u);  // Jan, Mar, May
  EXPECT_EQ(reads[1], (CivilDate{2026, 3, 15}));
  EXPECT_EQ(next_scheduled_read(c, CivilDate{2026, 11, 20}), (CivilDate{2027, 1, 15}));
  c.read_day = 29;
  EXPECT_EQ(check_cycle(c).error().field, "read_day");
  EXPECT_EQ(check_code("R 1").error().field, "code");
}

}  // namespace
}  // namespace civicdesk::billing
