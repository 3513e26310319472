// The tariff and the bill calculation, with hand-computed bills for every rate feature and every
// proration boundary. The test tariff is YAML (billing.rate_versions as the City config writes
// it), so the parser is exercised too. Standard month = 30 days; every line rounds half-up once.
#include "billing/bill_calculation.h"

#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "billing/bill_run.h"
#include "billing/proration.h"
#include "billing/tariff_config.h"
#include "city/city_config.h"

namespace civicdesk::billing {
namespace {

constexpr const char* kTariff = R"(
rate_versions:
  - id: A
    effective_from: 2026-01-01
    description: Rates from January
    classes:
      - name: RES
        service: water
        fixed_charges:
          - {meter_size: 5/8", monthly: 15.00}
          - {meter_size: 1", monthly: 30.00}
        tiers:
          - {up_to_ccf: 10, price: 2.00}
          - {up_to_ccf: 20, price: 3.00}
          - {price: 5.00}
      - name: SEA
        service: water
        tiers:
          - {up_to_ccf: 10, price: 2.00}
          - {price: 3.00}
        seasons:
          - name: summer
            months: [6, 7, 8, 9]
            tiers:
              - {up_to_ccf: 10, price: 2.50}
              - {price: 4.00}
      - name: MIN
        service: water
        fixed_charges: [{meter_size: any, monthly: 10.00}]
        tiers: [{price: 2.00}]
        minimum_monthly: 25.00
      - name: RES
        service: sewer
        basis: water_use
        fixed_charges: [{meter_size: any, monthly: 12.00}]
        tiers: [{price: 4.00}]
      - name: WIN
        service: sewer
        basis: winter_average
        cap_ccf: 12
        tiers: [{price: 4.00}]
      - name: CAP
        service: sewer
        cap_ccf: 10
        tiers: [{price: 4.00}]
      - name: RES
        service: refuse
        carts:
          - {size_gallons: 32, monthly: 18.00}
          - {size_gallons: 64, pickups_per_week: 1, monthly: 24.00}
          - {size_gallons: 96, pickups_per_week: 2, monthly: 54.00}
      - name: STD
        service: stormwater
        fees: {single_family: 6.00, commercial: 24.00}
    taxes:
      - {code: UUT, name: Utility users tax, percent: 5, applies_to: [water, sewer]}
    discounts:
      - {code: HALF, name: Senior discount, percent: 50, applies_to: [water.fixed_charge]}
      - {code: CREDIT, name: Lifeline credit, fixed_monthly: 9.00, applies_to: [refuse, stormwater]}
  - id: P
    effective_from: 2027-07-01
    proposed: true
    classes:
      - name: RES
        service: water
        fixed_charges: [{meter_size: 5/8", monthly: 21.00}]
        tiers: [{price: 3.00}]
  - id: B
    effective_from: 2026-10-16
    classes:
      - name: RES
        service: water
        fixed_charges: [{meter_size: 5/8", monthly: 18.00}]
        tiers:
          - {up_to_ccf: 10, price: 2.40}
          - {up_to_ccf: 20, price: 3.60}
          - {price: 6.00}
      - name: RES
        service: refuse
        carts:
          - {size_gallons: 64, pickups_per_week: 1, monthly: 25.00}
    taxes:
      - {code: UUT, name: Utility users tax, percent: 5, applies_to: [water, sewer]}
)";

Tariff tariff() {
  auto t = parse_rate_versions(YAML::Load(kTariff)["rate_versions"], "test.yaml");
  EXPECT_TRUE(t.has_value()) << t.error().message << " at " << t.error().field;
  return *t;
}

CivilDate d(const char* iso) {
  return *parse_date(iso);
}

BillInput input(const char* from, const char* to, std::vector<BillService> services,
                std::int64_t mccf = 0) {
  BillInput in;
  in.from = d(from);
  in.to = d(to);
  in.meter_size = "5/8\"";
  in.services = std::move(services);
  in.water_usage_mccf = mccf;
  return in;
}

BillService svc(ServiceKind kind, const char* cls, const char* from = "2020-01-01",
                std::optional<const char*> to = std::nullopt) {
  BillService s;
  s.kind = kind;
  s.rate_class = cls;
  s.active_from = d(from);
  if (to) s.active_to = d(*to);
  return s;
}

BillCalculation bill(const BillInput& in) {
  auto r = calculate_bill(tariff(), in);
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return r ? *r : BillCalculation{};
}

// "service/component=amount" for every line, in order: a whole bill in one comparison.
std::vector<std::string> summary(const BillCalculation& b) {
  std::vector<std::string> out;
  for (const BillLine& l : b.lines) {
    out.push_back(l.service + "/" + l.component + "@" + l.rate_version + "=" +
                  format_plain(l.amount));
  }
  return out;
}

using V = std::vector<std::string>;
const ServiceKind W = ServiceKind::kWater;
const ServiceKind S = ServiceKind::kSewer;
const ServiceKind R = ServiceKind::kRefuse;
const ServiceKind SW = ServiceKind::kStormwater;

// --- tiers ------------------------------------------------------------------------------------

TEST(BillCalculation, TierBoundaryExactlyAtTheBoundStaysInTheLowerTier) {
  // 30 days = one standard month: fixed $15; 10 CCF all in tier 1 (0–10) at $2 = $20;
  // tax 5% of $35.00 = $1.75.
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 10'000));
  EXPECT_EQ(summary(b),
            (V{"water/fixed_charge@A=15.00", "water/tier_1@A=20.00", "water/tax@A=1.75"}));
  EXPECT_EQ(b.total, Money::from_cents(3675));
  EXPECT_EQ(b.rate_versions, (V{"A"}));
}

TEST(BillCalculation, OneThousandthAboveTheBoundIsTierTwo) {
  // 10.001 CCF: tier 1 $20.00, tier 2 0.001 × $3 = $0.003 → $0.00 (the line still shows the
  // unit); tax $1.75.
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 10'001));
  EXPECT_EQ(summary(b), (V{"water/fixed_charge@A=15.00", "water/tier_1@A=20.00",
                           "water/tier_2@A=0.00", "water/tax@A=1.75"}));
  EXPECT_EQ(*b.lines[2].units_mccf, 1);
}

TEST(BillCalculation, AtTheSecondBoundAndAcrossEveryTier) {
  // 20 CCF: $20 + 10 × $3 = $30; tax 5% of $65 = $3.25.
  auto at = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 20'000));
  EXPECT_EQ(summary(at), (V{"water/fixed_charge@A=15.00", "water/tier_1@A=20.00",
                            "water/tier_2@A=30.00", "water/tax@A=3.25"}));
  // 25.5 CCF: $20 + $30 + 5.5 × $5 = $27.50; base $92.50 × 5% = $4.625 → $4.63 (half-up).
  auto across = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 25'500));
  EXPECT_EQ(summary(across),
            (V{"water/fixed_charge@A=15.00", "water/tier_1@A=20.00", "water/tier_2@A=30.00",
               "water/tier_3@A=27.50", "water/tax@A=4.63"}));
  EXPECT_EQ(across.total, Money::from_cents(9713));
  const BillLine& t3 = across.lines[3];
  EXPECT_EQ(t3.tier, 3);
  EXPECT_EQ(t3.tier_from_ccf, "20.000");
  EXPECT_EQ(t3.tier_to_ccf, "");
  EXPECT_EQ(t3.explanation(),
            "Water use, tier 3 (20.000 CCF and above for 30/30 days): 5.500 CCF × $5.00/CCF = "
            "$27.50");
  EXPECT_EQ(across.lines[1].explanation(),
            "Water use, tier 1 (0.000 to 10.000 CCF for 30/30 days): 10.000 CCF × $2.00/CCF = "
            "$20.00");
  EXPECT_EQ(across.lines[0].explanation(),
            "Fixed charge, 5/8\" meter: $15.00/month × 30/30 days = $15.00");
  EXPECT_EQ(across.lines[4].explanation(), "Utility users tax: 5% of $92.50 = $4.63");
}

TEST(BillCalculation, ZeroUsageBillsTheFixedChargeOnly) {
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 0));
  EXPECT_EQ(summary(b), (V{"water/fixed_charge@A=15.00", "water/tax@A=0.75"}));
}

TEST(BillCalculation, FixedChargeByMeterSizeAndAMissingSize) {
  auto in = input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 0);
  in.meter_size = "1\"";
  EXPECT_EQ(summary(bill(in)), (V{"water/fixed_charge@A=30.00", "water/tax@A=1.50"}));
  in.meter_size = "3\"";
  auto r = calculate_bill(tariff(), in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "meter_size");
  EXPECT_NE(r.error().message.find("version A, class RES (water)"), std::string::npos);
}

// --- seasons and minimum ------------------------------------------------------------------------

TEST(BillCalculation, SeasonalTiers) {
  // June is summer: 10 × $2.50 + 2 × $4 = $33; tax $1.65.
  auto june = bill(input("2026-06-01", "2026-07-01", {svc(W, "SEA")}, 12'000));
  EXPECT_EQ(summary(june), (V{"water/tier_1@A=25.00", "water/tier_2@A=8.00", "water/tax@A=1.65"}));
}

TEST(BillCalculation, APeriodAcrossASeasonChangeIsSplitOnTheFirst) {
  // May 17 – June 15: 15 days of May (winter tiers), 15 of June (summer); 12 CCF split 6/6;
  // each piece's tier 1 bound is 10 × 15/30 = 5 CCF. May: 5 × $2 + 1 × $3 = $13; June:
  // 5 × $2.50 + 1 × $4 = $16.50. Tax 5% of $29.50 = $1.475 → $1.48.
  auto b = bill(input("2026-05-17", "2026-06-16", {svc(W, "SEA")}, 12'000));
  EXPECT_EQ(summary(b), (V{"water/tier_1@A=10.00", "water/tier_2@A=3.00", "water/tier_1@A=12.50",
                           "water/tier_2@A=4.00", "water/tax@A=1.48"}));
  EXPECT_EQ(b.lines[0].tier_to_ccf, "5.000");
  EXPECT_EQ(b.lines[0].days, 15);
  EXPECT_EQ(b.total, Money::from_cents(3098));
}

TEST(BillCalculation, MinimumChargeTopsUp) {
  // $10 fixed + 3 × $2 = $16 < $25 minimum: top-up $9; tax 5% of $25 = $1.25.
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "MIN")}, 3'000));
  EXPECT_EQ(summary(b), (V{"water/fixed_charge@A=10.00", "water/tier_1@A=6.00",
                           "water/minimum@A=9.00", "water/tax@A=1.25"}));
  EXPECT_EQ(b.lines[2].explanation(),
            "Minimum charge: $25.00/month × 30/30 days, charges of $16.00, top-up $9.00");
  // Above the minimum there is no top-up: $10 + $20 = $30.
  auto above = bill(input("2026-01-01", "2026-01-31", {svc(W, "MIN")}, 10'000));
  EXPECT_EQ(summary(above),
            (V{"water/fixed_charge@A=10.00", "water/tier_1@A=20.00", "water/tax@A=1.50"}));
  // Prorated: 15 days → minimum $12.50; $5 fixed + 1 × $2 = $7; top-up $5.50.
  auto half = bill(input("2026-01-01", "2026-01-16", {svc(W, "MIN")}, 1'000));
  EXPECT_EQ(summary(half), (V{"water/fixed_charge@A=5.00", "water/tier_1@A=2.00",
                              "water/minimum@A=5.50", "water/tax@A=0.63"}));
}

// --- sewer ------------------------------------------------------------------------------------

TEST(BillCalculation, SewerOnWaterUse) {
  // $12 fixed + 8 × $4 = $32; tax 5% of $44 = $2.20.
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES"), svc(S, "RES")}, 8'000));
  EXPECT_EQ(summary(b),
            (V{"water/fixed_charge@A=15.00", "water/tier_1@A=16.00", "water/tax@A=1.55",
               "sewer/fixed_charge@A=12.00", "sewer/sewer_volume@A=32.00", "sewer/tax@A=2.20"}));
  EXPECT_EQ(b.lines[4].explanation(), "Sewer volume: 8.000 CCF × $4.00/CCF = $32.00");
}

TEST(BillCalculation, SewerOnWinterAverageAndItsCap) {
  auto in = input("2026-01-01", "2026-01-31", {svc(S, "WIN")}, 0);
  // 300 mccf/day × 30 days = 9 CCF × $4 = $36; tax $1.80.
  in.winter_average_mccf_per_day = rates::Decimal::from_integer(300);
  EXPECT_EQ(summary(bill(in)), (V{"sewer/sewer_volume@A=36.00", "sewer/tax@A=1.80"}));
  // 500/day × 30 = 15 CCF, capped at 12 CCF: $48; tax $2.40.
  in.winter_average_mccf_per_day = rates::Decimal::from_integer(500);
  auto capped = bill(in);
  EXPECT_EQ(summary(capped), (V{"sewer/sewer_volume@A=48.00", "sewer/tax@A=2.40"}));
  EXPECT_EQ(capped.lines[0].description, "Sewer volume (winter average) (capped at 12.000 CCF)");
  // An exact fraction: 1000/3 mccf/day × 31 days = 10,333.3… → 10,333 mccf; × $4 = $41.332 →
  // $41.33. (31 days: Jan 1 – Feb 1; the cap is 12 × 31/30 = 12.4 CCF, not reached.)
  in.to = d("2026-02-01");
  in.winter_average_mccf_per_day = *rates::Decimal::from_fraction(1000, 3);
  auto frac = bill(in);
  EXPECT_EQ(summary(frac), (V{"sewer/sewer_volume@A=41.33", "sewer/tax@A=2.07"}));
  EXPECT_EQ(*frac.lines[0].units_mccf, 10'333);
}

TEST(BillCalculation, SewerWithoutAWinterAverageFallsBackToWaterUseWithAWarning) {
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES"), svc(S, "WIN")}, 5'000));
  EXPECT_EQ(summary(b), (V{"water/fixed_charge@A=15.00", "water/tier_1@A=10.00", "water/tax@A=1.25",
                           "sewer/sewer_volume@A=20.00", "sewer/tax@A=1.00"}));
  ASSERT_EQ(b.warnings.size(), 1u);
  EXPECT_NE(b.warnings[0].find("winter"), std::string::npos);
}

TEST(BillCalculation, SewerCapOnWaterUse) {
  // 14 CCF used, capped at 10: $40; tax $2.
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "SEA"), svc(S, "CAP")}, 14'000));
  EXPECT_EQ(summary(b), (V{"water/tier_1@A=20.00", "water/tier_2@A=12.00", "water/tax@A=1.60",
                           "sewer/sewer_volume@A=40.00", "sewer/tax@A=2.00"}));
  EXPECT_EQ(*b.lines[3].units_mccf, 10'000);
}

// --- refuse, stormwater ---------------------------------------------------------------------

TEST(BillCalculation, RefuseByCartSizeAndPickups) {
  auto in = input("2026-01-01", "2026-01-31", {svc(R, "RES")});
  in.carts = {{64, 1, 1}, {96, 2, 2}};
  // $24 + 2 × $54 = $132 (refuse is not taxed in this tariff).
  auto b = bill(in);
  EXPECT_EQ(summary(b), (V{"refuse/refuse@A=24.00", "refuse/refuse@A=108.00"}));
  EXPECT_EQ(b.lines[1].quantity, 2);
  EXPECT_EQ(b.lines[1].explanation(),
            "Refuse, 96-gallon cart, 2 pickups/week: $54.00/month × 2 × 30/30 days = $108.00");
  in.carts = {{20, 1, 1}};
  auto r = calculate_bill(tariff(), in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "carts");
  EXPECT_NE(r.error().message.find("20-gallon"), std::string::npos);
}

// A cart is charged for its own days of refuse service (README "Proration"): days / 30 of its
// monthly rate × its count, each line rounded half-up once.
BillCart cart(int size, int count, int pickups, const char* from,
              std::optional<const char*> to = std::nullopt) {
  BillCart c{size, count, pickups};
  c.active_from = d(from);
  if (to) c.active_to = d(*to);
  return c;
}

TEST(BillCalculation, ACartStartedMidPeriodPaysForItsDaysOnly) {
  // January 1–30 (30 days); the cart from the 19th: 12 days × $24/30 = $9.60.
  auto in = input("2026-01-01", "2026-01-31", {svc(R, "RES")});
  in.carts = {cart(64, 1, 1, "2026-01-19")};
  auto b = bill(in);
  EXPECT_EQ(summary(b), (V{"refuse/refuse@A=9.60"}));
  EXPECT_EQ(b.lines[0].days, 12);
  EXPECT_EQ(b.lines[0].explanation(),
            "Refuse, 64-gallon cart, 1 pickup/week: $24.00/month × 12/30 days = $9.60");
  EXPECT_TRUE(b.warnings.empty());
  // Started on the period's first day: the whole month.
  in.carts = {cart(64, 1, 1, "2026-01-01")};
  EXPECT_EQ(summary(bill(in)), (V{"refuse/refuse@A=24.00"}));
  // Started on the day after the period: nothing, and the bill says why.
  in.carts = {cart(64, 1, 1, "2026-01-31")};
  auto none = bill(in);
  EXPECT_TRUE(none.lines.empty());
  ASSERT_EQ(none.warnings.size(), 1u);
  EXPECT_NE(none.warnings[0].find("without carts"), std::string::npos);
}

TEST(BillCalculation, ACartStoppedMidPeriodPaysUntilItsStop) {
  // Two 96-gallon carts collected twice a week, stopped on the 8th: January 1–7 = 7 days,
  // $54 × 2 × 7/30 = $25.20.
  auto in = input("2026-01-01", "2026-01-31", {svc(R, "RES")});
  in.carts = {cart(96, 2, 2, "2025-12-01", "2026-01-08")};
  auto b = bill(in);
  EXPECT_EQ(summary(b), (V{"refuse/refuse@A=25.20"}));
  EXPECT_EQ(b.lines[0].quantity, 2);
  EXPECT_EQ(b.lines[0].days, 7);
  // Stopped before the period: not on the bill.
  in.carts = {cart(96, 2, 2, "2025-12-01", "2026-01-01")};
  EXPECT_TRUE(bill(in).lines.empty());
  // The refuse service stops on the 16th while the cart runs on: the cart's days are the
  // service's, January 1–15 = $24 × 15/30 = $12.00.
  auto stopped = input("2026-01-01", "2026-01-31", {svc(R, "RES", "2020-01-01", "2026-01-16")});
  stopped.carts = {cart(64, 1, 1, "2025-06-01")};
  EXPECT_EQ(summary(bill(stopped)), (V{"refuse/refuse@A=12.00"}));
}

TEST(BillCalculation, TwoOverlappingCartsAreEachChargedForTheirOwnDays) {
  // A 64-gallon cart all month ($24.00) and a 96-gallon twice-weekly cart from the 11th:
  // January 11–30 = 20 days, $54 × 20/30 = $36.00. A third cart, swapped out on the 11th
  // (January 1–10), $54 × 10/30 = $18.00.
  auto in = input("2026-01-01", "2026-01-31", {svc(R, "RES")});
  in.carts = {cart(64, 1, 1, "2025-06-01"), cart(96, 1, 2, "2026-01-11"),
              cart(96, 1, 2, "2025-06-01", "2026-01-11")};
  auto b = bill(in);
  EXPECT_EQ(summary(b),
            (V{"refuse/refuse@A=24.00", "refuse/refuse@A=18.00", "refuse/refuse@A=36.00"}));
  EXPECT_EQ(b.total, Money::from_cents(7800));
}

TEST(BillCalculation, ACartAcrossARateChangeIsChargedUnderEachVersionForItsDays) {
  // October 1–30; version B from the 16th ($25 for a 64-gallon cart). The cart runs from the
  // 6th to the 22nd: under A October 6–15 = 10 days × $24/30 = $8.00; under B October 16–22
  // = 7 days × $25/30 = $5.8333… → $5.83 (half-up, once).
  auto in = input("2026-10-01", "2026-10-31", {svc(R, "RES")});
  in.carts = {cart(64, 1, 1, "2026-10-06", "2026-10-23")};
  auto b = bill(in);
  EXPECT_EQ(summary(b), (V{"refuse/refuse@A=8.00", "refuse/refuse@B=5.83"}));
  EXPECT_EQ(b.lines[1].explanation(),
            "Refuse, 64-gallon cart, 1 pickup/week: $25.00/month × 7/30 days = $5.83");
  EXPECT_EQ(b.total, Money::from_cents(1383));
}

TEST(BillCalculation, TheRunsCalculatorPassesEachCartsDates) {
  // bill_tariff.cc: the run's carts (RefuseCart with their dates) reach the calculation. A cart
  // stopped on January 11 and its replacement from then: $24 × 10/30 = $8.00 and
  // $54 × 20/30 = $36.00.
  BillRequest req;
  req.period_from = d("2026-01-01");
  req.period_to = d("2026-01-31");
  req.premise_type = "single_family";
  req.services.push_back({ServiceKind::kRefuse, "RES", d("2025-01-01"), d("2026-01-31")});
  RefuseCart old_cart, new_cart;
  old_cart.started_on = d("2025-01-01");
  old_cart.stopped_on = d("2026-01-11");
  new_cart.size_gallons = 96;
  new_cart.pickups_per_week = 2;
  new_cart.started_on = d("2026-01-11");
  req.carts = {old_cart, new_cart};
  const Tariff t = tariff();
  auto lines = tariff_calculator(t)(req);
  ASSERT_TRUE(lines) << lines.error().message;
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].amount, Money::from_cents(800));
  EXPECT_EQ((*lines)[1].amount, Money::from_cents(3600));
  EXPECT_NE((*lines)[1].explanation.find("20/30 days"), std::string::npos);
}

TEST(BillCalculation, StormwaterFlatByPremiseType) {
  auto in = input("2026-01-01", "2026-01-31", {svc(SW, "STD")});
  EXPECT_EQ(summary(bill(in)), (V{"stormwater/stormwater@A=6.00"}));
  in.premise_type = PremiseType::kCommercial;
  EXPECT_EQ(summary(bill(in)), (V{"stormwater/stormwater@A=24.00"}));
  in.premise_type = PremiseType::kIndustrial;
  auto r = calculate_bill(tariff(), in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "premise_type");
}

// --- discounts ----------------------------------------------------------------------------------

TEST(BillCalculation, PercentDiscountOnANamedComponentAndTaxOnTheNet) {
  // 50% of the $15 fixed charge = −$7.50; the tax applies to water lines, the discount is a
  // water line: 5% of $7.50 = $0.375 → $0.38.
  auto in = input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 0);
  in.discount_codes = {"HALF"};
  auto b = bill(in);
  EXPECT_EQ(summary(b),
            (V{"water/fixed_charge@A=15.00", "water/discount@A=-7.50", "water/tax@A=0.38"}));
  EXPECT_EQ(b.total, Money::from_cents(788));
  EXPECT_EQ(b.lines[1].explanation(), "Senior discount: 50% of $15.00 = -$7.50");
}

TEST(BillCalculation, FixedDiscountIsTakenFromTheNamedLinesNeverBelowZero) {
  auto in = input("2026-01-01", "2026-01-31", {svc(R, "RES"), svc(SW, "STD")});
  in.carts = {{64, 1, 1}};
  in.discount_codes = {"CREDIT"};
  // $9 off: all from refuse ($24), first in bill order.
  auto b = bill(in);
  EXPECT_EQ(summary(b), (V{"refuse/refuse@A=24.00", "refuse/discount@A=-9.00",
                           "stormwater/stormwater@A=6.00"}));
  EXPECT_EQ(b.total, Money::from_cents(2100));
  // Stormwater alone ($6): the $9 credit stops at $6.
  auto in2 = input("2026-01-01", "2026-01-31", {svc(SW, "STD")});
  in2.discount_codes = {"CREDIT"};
  auto b2 = bill(in2);
  EXPECT_EQ(summary(b2), (V{"stormwater/stormwater@A=6.00", "stormwater/discount@A=-6.00"}));
  EXPECT_EQ(b2.total, Money::zero());
  // An unknown code is a warning, not an error.
  in2.discount_codes = {"NOPE"};
  auto b3 = bill(in2);
  EXPECT_EQ(b3.total, Money::from_cents(600));
  ASSERT_EQ(b3.warnings.size(), 1u);
  EXPECT_EQ(b3.warnings[0], "discount NOPE is not in rate version A");
}

// --- proration ----------------------------------------------------------------------------------

TEST(BillCalculation, MoveInProratesFixedChargeAndTierBounds) {
  // Moved in Jan 19: 12 days of 30. Fixed $15 × 12/30 = $6; tier 1 bound 10 × 12/30 = 4 CCF,
  // tier 2 bound 8 CCF; 6 CCF: 4 × $2 = $8, 2 × $3 = $6. Tax 5% of $20 = $1.
  auto b = bill(input("2026-01-01", "2026-01-31", {svc(W, "RES", "2026-01-19")}, 6'000));
  EXPECT_EQ(summary(b), (V{"water/fixed_charge@A=6.00", "water/tier_1@A=8.00",
                           "water/tier_2@A=6.00", "water/tax@A=1.00"}));
  EXPECT_EQ(b.lines[0].days, 12);
  EXPECT_EQ(b.lines[2].tier_from_ccf, "4.000");
  EXPECT_EQ(b.lines[2].tier_to_ccf, "8.000");
}

TEST(BillCalculation, MoveOutProratesWithBoundsRoundedToTheMccf) {
  // Moved out Jan 11 (first day not served): 10 days. Fixed $5; bounds 10 × 10/30 = 3.333… →
  // 3,333 mccf and 6.666… → 6,667 mccf. 5 CCF: 3.333 × $2 = $6.666 → $6.67; 1.667 × $3 =
  // $5.001 → $5.00. Tax 5% of $16.67 = $0.8335 → $0.83.
  auto b =
      bill(input("2026-01-01", "2026-01-31", {svc(W, "RES", "2025-01-01", "2026-01-11")}, 5'000));
  EXPECT_EQ(summary(b), (V{"water/fixed_charge@A=5.00", "water/tier_1@A=6.67",
                           "water/tier_2@A=5.00", "water/tax@A=0.83"}));
  EXPECT_EQ(b.total, Money::from_cents(1750));
}

TEST(BillCalculation, ARateChangeInsideThePeriodSplitsIt) {
  // October 1 – 30: A for 15 days, B from October 16 for 15. 24 CCF split 12/12; bounds 5 and 10.
  // A: $7.50 fixed, 5 × $2 + 5 × $3 + 2 × $5 = $35; tax 5% of $42.50 = $2.125 → $2.13.
  // B: $9.00 fixed, 5 × $2.40 + 5 × $3.60 + 2 × $6 = $42; tax 5% of $51 = $2.55.
  auto b = bill(input("2026-10-01", "2026-10-31", {svc(W, "RES")}, 24'000));
  EXPECT_EQ(
      summary(b),
      (V{"water/fixed_charge@A=7.50", "water/tier_1@A=10.00", "water/tier_2@A=15.00",
         "water/tier_3@A=10.00", "water/fixed_charge@B=9.00", "water/tier_1@B=12.00",
         "water/tier_2@B=18.00", "water/tier_3@B=12.00", "water/tax@A=2.13", "water/tax@B=2.55"}));
  EXPECT_EQ(b.total, Money::from_cents(9818));
  EXPECT_EQ(b.rate_versions, (V{"A", "B"}));
}

TEST(BillCalculation, ShortAndLongPeriods) {
  // 20 days: $10 fixed; bounds 6.667 / 13.333 CCF; 8 CCF: 6.667 × $2 = $13.334 → $13.33,
  // 1.333 × $3 = $3.999 → $4.00; tax 5% of $27.33 = $1.3665 → $1.37.
  auto short_b = bill(input("2026-02-01", "2026-02-21", {svc(W, "RES")}, 8'000));
  EXPECT_EQ(summary(short_b), (V{"water/fixed_charge@A=10.00", "water/tier_1@A=13.33",
                                 "water/tier_2@A=4.00", "water/tax@A=1.37"}));
  // 61 days (a bimonthly cycle): $15 × 61/30 = $30.50; bounds 20.333 / 40.667 CCF; 30 CCF:
  // 20.333 × $2 = $40.666 → $40.67, 9.667 × $3 = $29.001 → $29.00; tax 5% of $100.17 =
  // $5.0085 → $5.01.
  auto long_b = bill(input("2026-01-01", "2026-03-03", {svc(W, "RES")}, 30'000));
  EXPECT_EQ(summary(long_b), (V{"water/fixed_charge@A=30.50", "water/tier_1@A=40.67",
                                "water/tier_2@A=29.00", "water/tax@A=5.01"}));
  EXPECT_EQ(long_b.lines[0].explanation(),
            "Fixed charge, 5/8\" meter: $15.00/month × 61/30 days = $30.50");
}

TEST(BillCalculation, AServiceStoppedMidPeriodIsProratedTheOthersAreNot) {
  // Refuse stopped Jan 16: 15 days × $24/30 = $12; water runs the whole month.
  auto in = input("2026-01-01", "2026-01-31",
                  {svc(W, "RES"), svc(R, "RES", "2025-06-01", "2026-01-16")}, 0);
  in.carts = {{64, 1, 1}};
  auto b = bill(in);
  EXPECT_EQ(summary(b),
            (V{"water/fixed_charge@A=15.00", "water/tax@A=0.75", "refuse/refuse@A=12.00"}));
  EXPECT_EQ(b.lines[2].days, 15);
}

// --- versions and errors ------------------------------------------------------------------------

TEST(BillCalculation, WhatIfUnderTheProposedVersion) {
  // A proposed version is never in force: July 2027 bills under B.
  auto july = bill(input("2027-07-01", "2027-07-31", {svc(W, "RES")}, 10'000));
  EXPECT_EQ(july.rate_versions, (V{"B"}));
  // ...but a what-if prices the period under it: $21 + 10 × $3 = $51, no taxes in P.
  auto in = input("2026-01-01", "2026-01-31", {svc(W, "RES")}, 10'000);
  in.rate_version = "P";
  auto b = bill(in);
  EXPECT_EQ(summary(b), (V{"water/fixed_charge@P=21.00", "water/tier_1@P=30.00"}));
  in.rate_version = "Z";
  EXPECT_EQ(calculate_bill(tariff(), in).error().code, ErrorCode::kNotFound);
}

TEST(BillCalculation, ErrorsNameTheVersionClassAndField) {
  auto before = calculate_bill(tariff(), input("2025-12-01", "2025-12-31", {svc(W, "RES")}));
  ASSERT_FALSE(before.has_value());
  EXPECT_EQ(before.error().field, "from");
  auto missing = calculate_bill(tariff(), input("2026-01-01", "2026-01-31", {svc(W, "NOPE")}));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().field, "rate_class");
  EXPECT_NE(missing.error().message.find("version A, class NOPE (water)"), std::string::npos);
  EXPECT_EQ(calculate_bill(tariff(), input("2026-01-31", "2026-01-31", {})).error().field, "to");
  EXPECT_EQ(calculate_bill(tariff(), input("2026-01-01", "2027-03-01", {})).error().field, "to");
}

TEST(BillProration, UsageSplitSumsExactlyWithTheRemainderInLaterPieces) {
  EXPECT_EQ(split_usage(10, {1, 1, 1}), (std::vector<std::int64_t>{3, 3, 4}));
  EXPECT_EQ(split_usage(12'000, {15, 15}), (std::vector<std::int64_t>{6'000, 6'000}));
  EXPECT_EQ(split_usage(-10, {1, 1, 1}), (std::vector<std::int64_t>{-4, -3, -3}));
  EXPECT_EQ(split_usage(7, {30}), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(*prorated_bound_mccf(rates::Decimal::from_integer(12), 31), 12'400);
  EXPECT_EQ(*prorated_bound_mccf(rates::Decimal::from_integer(10), 31), 10'333);
}

TEST(BillTariff, VersionInForceIgnoresProposedVersions) {
  const Tariff t = tariff();
  EXPECT_EQ(t.in_force_on(d("2026-10-15"))->id, "A");
  EXPECT_EQ(t.in_force_on(d("2026-10-16"))->id, "B");
  EXPECT_EQ(t.in_force_on(d("2027-08-01"))->id, "B");
  EXPECT_EQ(t.in_force_on(d("2025-12-31")), nullptr);
  EXPECT_EQ(t.proposed()->id, "P");
  EXPECT_TRUE(selector_matches("volume", "water", "tier_2"));
  EXPECT_TRUE(selector_matches("volume", "sewer", "sewer_volume"));
  EXPECT_TRUE(selector_matches("water.fixed_charge", "water", "fixed_charge"));
  EXPECT_FALSE(selector_matches("water.fixed_charge", "sewer", "fixed_charge"));
  EXPECT_FALSE(selector_matches("refuse", "water", "tier_1"));
}

Result<Tariff> parse(const char* yaml) {
  return parse_rate_versions(YAML::Load(yaml)["rate_versions"], "city.yaml");
}

TEST(BillTariff, ConfigErrorsNameTheVersionClassAndKey) {
  auto price = parse(R"(
rate_versions:
  - id: "2026-07"
    effective_from: 2026-07-01
    classes:
      - name: RES
        service: water
        tiers:
          - {up_to_ccf: 10, price: 2.00}
          - {price: lots}
)");
  ASSERT_FALSE(price.has_value());
  EXPECT_EQ(price.error().message,
            "version 2026-07, class RES (water), tiers[1].price: must be a number (got \"lots\")");
  EXPECT_EQ(price.error().field,
            "city.yaml:10: billing.rate_versions[0].classes[0].tiers[1].price");

  auto order = parse(R"(
rate_versions:
  - id: V1
    effective_from: 2026-07-01
    classes:
      - name: RES
        service: water
        tiers: [{up_to_ccf: 10, price: 2}, {up_to_ccf: 8, price: 3}, {price: 4}]
)");
  ASSERT_FALSE(order.has_value());
  EXPECT_NE(order.error().message.find("version V1, class RES (water), tiers[1].up_to_ccf"),
            std::string::npos);

  auto twice = parse(R"(
rate_versions:
  - {id: V1, effective_from: 2026-07-01}
  - {id: V2, effective_from: 2026-07-01}
)");
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message.find("version V2, effective_from"), std::string::npos);

  auto key = parse(R"(
rate_versions:
  - id: V1
    effective_from: 2026-07-01
    classes:
      - {name: RES, service: water, tierz: []}
)");
  ASSERT_FALSE(key.has_value());
  EXPECT_NE(key.error().message.find("version V1, class"), std::string::npos);
  EXPECT_NE(key.error().message.find("tierz"), std::string::npos);

  auto discount = parse(R"(
rate_versions:
  - id: V1
    effective_from: 2026-07-01
    discounts: [{code: D, name: Both, percent: 5, fixed_monthly: 3, applies_to: [water]}]
)");
  ASSERT_FALSE(discount.has_value());
  EXPECT_NE(discount.error().message.find("exactly one of percent and fixed_monthly"),
            std::string::npos);
}

// The demo City's rate table (config/demo-city.yaml billing.rate_versions), a typical house.
TEST(BillTariff, DemoCityRateTablePricesAHouse) {
  const char* dir = std::getenv("CIVICDESK_SOURCE_DIR");
  const std::string path = std::string(dir ? dir : ".") + "/config/demo-city.yaml";
  auto t = parse_rate_versions(YAML::LoadFile(path)["billing"]["rate_versions"], path);
  ASSERT_TRUE(t.has_value()) << t.error().message << " at " << t.error().field;
  EXPECT_EQ(t->proposed()->id, "FY2028-PROPOSED");
  // September 2026 (FY2027), 5/8" meter, 14 CCF, winter average 0.1 CCF/day, one 64-gallon cart.
  // Water $18.40 + 6 × $4.12 + 8 × $5.36 = $86.00; sewer $21.75 + 3 × $5.62 = $38.61; refuse
  // $31.40; UUT 5.5%: $4.73, $2.12355 → $2.12, $1.727 → $1.73. Total $164.59.
  auto in =
      input("2026-09-01", "2026-10-01", {svc(W, "RES"), svc(S, "RES"), svc(R, "RES")}, 14'000);
  in.winter_average_mccf_per_day = rates::Decimal::from_integer(100);
  in.carts = {{64, 1, 1}};
  auto b = calculate_bill(*t, in);
  ASSERT_TRUE(b.has_value()) << b.error().message;
  EXPECT_EQ(summary(*b),
            (V{"water/fixed_charge@FY2027=18.40", "water/tier_1@FY2027=24.72",
               "water/tier_2@FY2027=42.88", "water/tax@FY2027=4.73",
               "sewer/fixed_charge@FY2027=21.75", "sewer/sewer_volume@FY2027=16.86",
               "sewer/tax@FY2027=2.12", "refuse/refuse@FY2027=31.40", "refuse/tax@FY2027=1.73"}));
  EXPECT_EQ(b->total, Money::from_cents(16459));
}

// The City config carries the tariff (billing.rate_versions), and a mistake in it names the
// file and line, the version, the class and the key.
TEST(BillTariff, TheCityConfigCarriesTheRateVersions) {
  const char* dir = std::getenv("CIVICDESK_SOURCE_DIR");
  const std::string path = std::string(dir ? dir : ".") + "/config/demo-city.yaml";
  auto config = load_city_config(path);
  ASSERT_TRUE(config.has_value()) << config.error().field << ": " << config.error().message;
  const Tariff& t = config->billing.tariff;
  ASSERT_EQ(t.versions.size(), 3u);
  EXPECT_EQ(t.in_force_on(d("2026-06-30"))->id, "FY2026");
  EXPECT_EQ(t.in_force_on(d("2026-07-01"))->id, "FY2027");
  EXPECT_EQ(t.in_force_on(d("2027-07-01"))->id, "FY2027");  // the proposed one is not in force
  ASSERT_NE(t.find("FY2027")->find_class(ServiceKind::kSewer, "RES"), nullptr);

  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string good = "            - {up_to_ccf: 18, price: 5.36}";
  const std::size_t at = text.find(good);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, good.size(), "            - {up_to_ccf: 18, price: 5.3six}");
  auto bad = parse_city_config(text, "demo-city.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "version FY2027, class RES (water), tiers[1].price: must be a number (got \"5.3six\")");
  EXPECT_TRUE(bad.error().field.starts_with("demo-city.yaml:")) << bad.error().field;
  EXPECT_TRUE(bad.error().field.ends_with("billing.rate_versions[1].classes[0].tiers[1].price"))
      << bad.error().field;
}

}  // namespace
}  // namespace civicdesk::billing
