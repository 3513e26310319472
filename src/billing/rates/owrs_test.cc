#include "billing/rates/owrs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "billing/rates/calculator.h"
#include "billing/rates/rate_limits.h"
#include "billing/rates/rates_test_support.h"

namespace civicdesk::rates {
namespace {

namespace fs = std::filesystem;
using testing::owrs_dir;
using testing::rateparser_dir;
using testing::read_text;
using testing::shared_testdata;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Tariff load_ok(std::string_view yaml) {
  auto t = parse_owrs(yaml, "inline.owrs");
  EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
  return t.value_or(Tariff{});
}

const Error* refusal(const Tariff& t, std::string_view cls) {
  const CustomerClass* c = t.find_class(cls);
  EXPECT_NE(c, nullptr) << cls;
  return c && c->refusal ? &*c->refusal : nullptr;
}

constexpr std::string_view kHeader =
    "metadata:\n  effective_date: 2016-03-01\n  utility_name: Test\n  bill_frequency: monthly\n"
    "rate_structure:\n";

std::string tariff_with(std::string_view classes) {
  return std::string(kHeader) + std::string(classes);
}

// Every .owrs file in the shared OWRS test data: 14 City tariffs and 4 templates.
std::vector<fs::path> owrs_files() {
  std::vector<fs::path> files;
  const fs::path root = owrs_dir();
  if (root.empty()) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".owrs")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(OwrsLoad, FindsEveryCopiedTariff) {
  const auto files = owrs_files();
  const auto cities = std::count_if(files.begin(), files.end(), [](const fs::path& p) {
    return contains(p.string(), "full_utility_rates");
  });
  EXPECT_EQ(cities, 14);
  EXPECT_EQ(files.size(), 18u);  // + templates/*.owrs (3) + depends_on_multiple_template.owrs
}

// One customer with every value the 14 tariffs ask for; each class is billed for it.
BillRequest walk_customer(const std::string& cls) {
  BillRequest r;
  r.customer_class = cls;
  r.usage_ccf = Decimal::from_integer(20);
  r.meter_size = "1\"";
  r.inputs = {{"water_type", "POTABLE"},
              {"city_limits", "inside_city"},
              {"hhsize", "3"},
              {"et_amount", "4.8"},
              {"irrigable_area", "1300"},
              {"irr_area", "1300"},
              {"season", "Summer"},
              {"lot_size_group", "2"},
              {"temperature_zone", "Medium"},
              {"tax_exemption", "not_granted"},
              {"water_use_category", "peaking"},
              {"pressure_zone", "1"},
              {"meter_type", "Disc"},
              {"rate_class", "C1"},
              {"domestic_type", "domestic"},
              {"water_font", "city_delivered"},
              {"usage_indoor_budget_ccf", "0.4"},
              {"greater_than", "False"},
              {"days_in_period", "30"}};
  return r;
}

std::string relative(std::string text, const std::string& root) {
  for (std::size_t at = text.find(root); at != std::string::npos; at = text.find(root)) {
    text.erase(at, root.size());
  }
  return text;
}

// The golden walk: every file loads or is refused; every class bills the walk customer or is
// refused; every refusal names the file, the class and the key. Regenerate the golden file
// with CIVICDESK_UPDATE_GOLDEN=1 and review the diff.
TEST(OwrsWalk, EveryTariffLoadsOrIsRefusedNamingClassAndKey) {
  const std::string root = shared_testdata().string() + "/";
  std::string out =
      "# Every copied OWRS file, loaded; every class billed for one customer (usage_ccf=20,\n"
      "# meter_size=1\", water_type=POTABLE, city_limits=inside_city, hhsize=3, et_amount=4.8,\n"
      "# irrigable_area=irr_area=1300, season=Summer, lot_size_group=2, temperature_zone=Medium,\n"
      "# days_in_period=30, ...: see walk_customer in owrs_test.cc).\n";
  std::vector<fs::path> files = owrs_files();
  files.push_back(rateparser_dir() / "examples" / "smc-2016-03-01.owrs");
  files.push_back(rateparser_dir() / "tests" / "testthat" / "test_calculate_bills.yaml_rates.owrs");
  for (const auto& path : files) {
    out += "\n## " + relative(path.string(), root) + "\n";
    auto tariff = load_owrs_file(path.string());
    if (!tariff) {
      const std::string& m = tariff.error().message;
      EXPECT_TRUE(contains(m, path.string() + ":")) << m;  // names the file and line
      EXPECT_FALSE(tariff.error().field.empty()) << m;     // and the key or place
      out += "REFUSED: " + relative(m, root) + "\n";
      continue;
    }
    out += "loaded: " + std::to_string(tariff->classes.size()) + " classes, effective " +
           tariff->metadata.effective_date.iso() + ", unit " +
           std::string(to_string(tariff->metadata.bill_unit)) + "\n";
    for (const auto& w : tariff->warnings) out += "warning: " + relative(w, root) + "\n";
    for (const auto& cls : tariff->classes) {
      auto bill = compute_bill(*tariff, walk_customer(cls.name));
      if (bill) {
        out += cls.name + ": " + format_plain(bill->total) + " (exact " +
               bill->exact_total.to_string(6) + ")\n";
        continue;
      }
      const Error& e = bill.error();
      EXPECT_TRUE(contains(e.message, cls.name)) << e.message;
      EXPECT_TRUE(contains(e.message, path.string())) << e.message;
      EXPECT_TRUE(contains(e.message, ", key ") || contains(e.message, "The field ")) << e.message;
      EXPECT_TRUE(e.field.starts_with(cls.name + ".")) << e.field;
      out +=
          cls.name + (cls.refusal ? ": REFUSED: " : ": ERROR: ") + relative(e.message, root) + "\n";
    }
  }
  const fs::path golden = testing::rates_testdata() / "owrs_walk.expected";
  if (std::getenv("CIVICDESK_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden) << out;
  }
  EXPECT_EQ(out, read_text(golden)) << "regenerate with CIVICDESK_UPDATE_GOLDEN=1 and review";
}

TEST(OwrsLoad, TemplatesAreRefusedAsWholeFiles) {
  const fs::path dir = owrs_dir();
  auto t = load_owrs_file((dir / "templates" / "template.owrs").string());
  ASSERT_FALSE(t);
  EXPECT_TRUE(contains(t.error().message, "metadata.effective_date is empty")) << t.error().message;
  t = load_owrs_file((dir / "templates" / "tiered_template.owrs").string());
  ASSERT_FALSE(t);
  EXPECT_TRUE(contains(t.error().message, "'()' is not a date")) << t.error().message;
  t = load_owrs_file((dir / "depends_on_multiple_template.owrs").string());
  ASSERT_FALSE(t);
  EXPECT_TRUE(contains(t.error().message, "not valid YAML")) << t.error().message;
  // With a date, the {consumer_class} placeholder is what is refused.
  auto placeholder = parse_owrs(tariff_with("  {consumer_class}:\n    bill: 1\n"), "p.owrs");
  ASSERT_FALSE(placeholder);
  EXPECT_TRUE(contains(placeholder.error().message, "not text (a template placeholder"))
      << placeholder.error().message;
  EXPECT_TRUE(contains(placeholder.error().message, "p.owrs:6:")) << placeholder.error().message;
}

TEST(OwrsLoad, YamlErrorSaysWhereInTheRateStructure) {
  // Santa Monica 2018 indents commodity_charge by 5 spaces and tier_starts by 4.
  const fs::path smc = owrs_dir() / "full_utility_rates" / "California" /
                       "Santa Monica City of - 2581" / "smc-2018-01-03.owrs";
  auto t = load_owrs_file(smc.string());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kUnprocessable);
  EXPECT_TRUE(contains(t.error().message, "not valid YAML")) << t.error().message;
  EXPECT_TRUE(contains(t.error().message, "rate_structure > RESIDENTIAL_SINGLE"))
      << t.error().message;
  EXPECT_EQ(t.error().field, "rate_structure > RESIDENTIAL_SINGLE");
}

TEST(OwrsLoad, MetadataAndUnits) {
  auto t = load_owrs_file((rateparser_dir() / "examples" / "smc-2016-03-01.owrs").string());
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->metadata.utility_name, "City of Santa Monica");
  EXPECT_EQ(t->metadata.effective_date.iso(), "2016-03-01");
  EXPECT_EQ(t->metadata.bill_frequency, "bimonthly");
  EXPECT_EQ(t->metadata.bill_unit, BillUnit::kCcf);
  EXPECT_EQ(t->classes.size(), 6u);
  const fs::path windsor = owrs_dir() / "full_utility_rates" / "California" /
                           "Windsor  Town Of - 3226" / "07-01-2017.owrs";
  auto w = load_owrs_file(windsor.string());
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->metadata.effective_date.iso(), "2017-07-01");  // written 07/01/2017
  EXPECT_EQ(w->metadata.bill_unit, BillUnit::kKgal);
  // The data-quality trap: bill leaves out the wastewater and drought charges it defines.
  std::string warnings;
  for (const auto& s : w->warnings) warnings += s + "\n";
  EXPECT_TRUE(contains(warnings,
                       "key fixed_wastewater_charge: is defined but bill does not "
                       "include it"))
      << warnings;
  EXPECT_TRUE(contains(warnings, "key variable_drought_surcharge: is defined")) << warnings;
  EXPECT_FALSE(contains(warnings, "fixed_drought_surcharge")) << warnings;  // it is 0
  EXPECT_TRUE(contains(warnings, "top-level key capacity_charge")) << warnings;

  auto bad_unit = parse_owrs(
      "metadata:\n  effective_date: 2016-01-01\n  bill_unit: acre-ft\n"
      "rate_structure:\n  A:\n    bill: 1\n",
      "u.owrs");
  ASSERT_FALSE(bad_unit);
  EXPECT_EQ(bad_unit.error().field, "metadata.bill_unit");
  auto no_structure = parse_owrs("metadata:\n  effective_date: 2016-01-01\n", "n.owrs");
  ASSERT_FALSE(no_structure);
  EXPECT_EQ(no_structure.error().field, "rate_structure");
}

TEST(OwrsLoad, PeerErrorClassesAreRefusedWithThePeersMessages) {
  auto t = load_owrs_file(
      (rateparser_dir() / "tests" / "testthat" / "test_calculate_bills.yaml_rates.owrs").string());
  ASSERT_TRUE(t) << t.error().message;
  const Error* e1 = refusal(*t, "ERROR_CLASS1");
  ASSERT_NE(e1, nullptr);
  EXPECT_TRUE(contains(e1->message,
                       "tier_starts is not present in the OWRS file for customer "
                       "class ERROR_CLASS1"))
      << e1->message;
  EXPECT_EQ(e1->field, "ERROR_CLASS1.tier_starts");
  const Error* e4 = refusal(*t, "ERROR_CLASS4");
  ASSERT_NE(e4, nullptr);
  EXPECT_TRUE(contains(e4->message, "Tiers are formatted for budget-based rates")) << e4->message;
  EXPECT_TRUE(contains(e4->message, "'101%'")) << e4->message;
  EXPECT_EQ(e4->field, "ERROR_CLASS4.tier_starts");
  // ERROR_CLASS3's missing service_charge could be a customer input: refused at bill time.
  EXPECT_EQ(refusal(*t, "ERROR_CLASS3"), nullptr);
  EXPECT_EQ(t->find_class("ERROR_CLASS3")->inputs,
            (std::vector<std::string>{"meter_size", "service_charge", "usage_ccf", "water_type"}));
  EXPECT_EQ(refusal(*t, "ERROR_CLASS2"), nullptr);  // its tiers only come after the charge
}

TEST(OwrsLoad, ClassRefusals) {
  struct Case {
    const char* yaml;
    const char* field;
    const char* message_part;
  };
  const Case cases[] = {
      {"  A:\n    x: 1\n", "A.bill", "The field bill is not present"},
      {"  A:\n    a: b + 1\n    b: a + 1\n    bill: a\n", "A.a",
       "circular definition: a -> b -> a"},
      {"  A:\n    bill: bill\n", "A.bill", "circular definition: bill -> bill"},
      {"  A:\n    tier_starts: [0, 5]\n    bill: tier_starts * 2\n", "A.bill",
       "tier_starts is a tier list, not a number"},
      {"  A:\n    bill: 1 +* 2\n", "A.bill", "formula '1 +* 2': unexpected '*'"},
      {"  A:\n    c: Tiered\n    tier_starts_c: [0, 5]\n    tier_prices_c: [1]\n    bill: c\n",
       "A.tier_starts_c", "has 2 tiers but tier_prices_c has 1"},
      {"  A:\n    commodity_charge: Tiered\n    tier_starts: [0, 2.6, 14]\n"
       "    tier_prices: [1, 2, 3]\n    bill: commodity_charge\n",
       "A.tier_starts", "'2.6' is not a whole unit"},
      {"  A:\n    commodity_charge: Tiered\n    tier_starts: [5, 10]\n"
       "    tier_prices: [1, 2]\n    bill: commodity_charge\n",
       "A.tier_starts", "must start at 0"},
      {"  A:\n    commodity_charge: Tiered\n    tier_starts: [0, 10, 5]\n"
       "    tier_prices: [1, 2, 3]\n    bill: commodity_charge\n",
       "A.tier_starts", "decreases at '5'"},
      {"  A:\n    commodity_charge: Budget\n    tier_starts: [0, 100%]\n"
       "    tier_prices: [1, 50%]\n    bill: commodity_charge\n",
       "A.tier_prices", "'50%' is a percentage, not a price"},
      {"  A:\n    x:\n      depends_on: meter_size\n    bill: x\n", "A.x",
       "must have a corresponding 'values' clause"},
      {"  A:\n    x:\n      depends_on: meter_size\n      values:\n    bill: x\n", "A.x",
       "the depends_on table has no values"},
      {"  A:\n    x:\n    bill: x\n", "A.x", "has no value"},
      {"  A:\n    x:\n      y: 1\n    bill: x\n", "A.x", "neither a depends_on table"},
      {"  A:\n    bill: 1\n    bill: 2\n", "A.bill", "given twice with different values"},
      {"  A:\n    commodity_charge: Tiered\n    tier_starts: [0]\n    tier_starts_commodity: [0]\n"
       "    tier_prices: [1]\n    bill: commodity_charge\n",
       "A.commodity_charge", "both tier_starts and tier_starts_commodity"},
      {"  A:\n    x: 1\n    bill: x\n  A:\n    bill: 2\n", "rate_structure.A", "defined twice"},
  };
  for (const auto& c : cases) {
    auto t = parse_owrs(tariff_with(c.yaml), "c.owrs");
    const Error* e = nullptr;
    if (!t) {
      e = &t.error();
    } else {
      e = refusal(*t, "A");
    }
    ASSERT_NE(e, nullptr) << c.yaml;
    EXPECT_EQ(e->field, c.field) << c.yaml << e->message;
    EXPECT_TRUE(contains(e->message, c.message_part)) << c.yaml << "\n" << e->message;
    EXPECT_TRUE(contains(e->message, "c.owrs:")) << e->message;
  }
}

TEST(OwrsLoad, DuplicateKeyWithTheSameValueIsAWarning) {
  Tariff t = load_ok(tariff_with("  A:\n    bill: 1\n    bill: 1\n"));
  EXPECT_EQ(refusal(t, "A"), nullptr);
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_TRUE(contains(t.warnings[0], "given twice (same value)")) << t.warnings[0];
}

TEST(OwrsLoad, UsageCcfInAKgalTariffIsRefused) {
  const std::string yaml =
      "metadata:\n  effective_date: 07/01/2017\n  bill_unit: kgal\nrate_structure:\n"
      "  A:\n    commodity_charge: 3.677*usage_ccf\n    bill: commodity_charge\n"
      "  B:\n    commodity_charge: 3.677*usage_kgal\n    bill: commodity_charge\n";
  Tariff t = load_ok(yaml);
  const Error* e = refusal(t, "A");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->field, "A.commodity_charge");
  EXPECT_TRUE(contains(e->message, "prices are per kgal")) << e->message;
  EXPECT_EQ(refusal(t, "B"), nullptr);
}

TEST(OwrsLoad, TierKeysAreFoundUnderEveryNamingTheFilesUse) {
  Tariff t = load_ok(tariff_with(
      "  A:\n    commodity_charge: Tiered\n    tier_starts_commodity: [0, 5]\n"
      "    tier_prices_commodity: [1, 2]\n    sewer_charge: Budget\n    sewer_budget: 10\n"
      "    sewer_tier_starts: [0, 101%]\n    sewer_tier_prices: [2, 0]\n"
      "    variable_drought_surcharge: Tiered\n    tier_starts_drought: [0, 4]\n"
      "    tier_prices_drought: [3, 4]\n"
      "    bill: commodity_charge + sewer_charge + variable_drought_surcharge\n"));
  const CustomerClass* a = t.find_class("A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->refusal, std::nullopt);
  EXPECT_EQ(a->find("commodity_charge")->starts_key, "tier_starts_commodity");
  EXPECT_EQ(a->find("sewer_charge")->starts_key, "sewer_tier_starts");
  EXPECT_EQ(a->find("sewer_charge")->budget_key, "sewer_budget");
  EXPECT_EQ(a->find("variable_drought_surcharge")->prices_key, "tier_prices_drought");
  EXPECT_TRUE(a->has_budget_charge);
}

TEST(OwrsLimits, ClassesAtTheLimitAndOnePast) {
  auto build = [](std::size_t n) {
    std::string yaml(kHeader);
    for (std::size_t i = 0; i < n; ++i) yaml += "  C" + std::to_string(i) + ":\n    bill: 1\n";
    return yaml;
  };
  EXPECT_TRUE(parse_owrs(build(kMaxCustomerClasses), "l.owrs").has_value());
  auto over = parse_owrs(build(kMaxCustomerClasses + 1), "l.owrs");
  ASSERT_FALSE(over);
  EXPECT_TRUE(contains(over.error().message, "more than 500 customer classes"));
}

TEST(OwrsLimits, TiersAtTheLimitAndOnePast) {
  auto build = [](std::size_t n) {
    std::string starts, prices;
    for (std::size_t i = 0; i < n; ++i) {
      starts += (i ? ", " : "") + std::to_string(i * 10);
      prices += (i ? ", " : "") + std::to_string(i + 1);
    }
    return tariff_with("  A:\n    commodity_charge: Tiered\n    tier_starts: [" + starts +
                       "]\n    tier_prices: [" + prices + "]\n    bill: commodity_charge\n");
  };
  Tariff ok = load_ok(build(kMaxTiers));
  EXPECT_EQ(refusal(ok, "A"), nullptr);
  Tariff over = load_ok(build(kMaxTiers + 1));
  const Error* e = refusal(over, "A");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(contains(e->message, "more than 50 tiers")) << e->message;
}

TEST(OwrsLimits, FileSizeAtTheLimitAndOnePast) {
  std::string yaml = tariff_with("  A:\n    bill: 1\n");
  yaml.resize(kMaxOwrsFileBytes, '\n');
  EXPECT_TRUE(parse_owrs(yaml, "big.owrs").has_value());
  auto over = parse_owrs(yaml + "\n", "big.owrs");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kTooLarge);
  auto missing = load_owrs_file("/nonexistent/tariff.owrs");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace civicdesk::rates
