// The rate what-if through the HTTP pipeline on both databases, priced by the demo City's rate
// table (config/demo-city.yaml billing.rate_versions): a usage figure under the current and the
// proposed version, an account's latest period, and the errors and permission.
#include <string>

#include "billing/utility_book.h"
#include "customers/party_book.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

namespace json = boost::json;

class BillingRatesApiTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3", "field", "admin"}) users_[role] = make_user(role);
  }
  Actor as(const std::string& who) {
    const auto& u = users_.at(who);
    return Actor{u.id, u.username, u.role, "test", "test"};
  }
  // "component=amount" of every line of a what-if response.
  static std::vector<std::string> summary(const ApiResult& r) {
    std::vector<std::string> out;
    for (const json::value& l : r.body.at("lines").as_array()) {
      out.push_back(std::string(l.at("service").as_string()) + "/" +
                    std::string(l.at("component").as_string()) + "=" +
                    std::string(l.at("amount").as_string()));
    }
    return out;
  }
  std::map<std::string, security::User> users_;
};

using V = std::vector<std::string>;

TEST_P(BillingRatesApiTest, PricesAUsageFigureUnderTheCurrentAndTheProposedRates) {
  Client csr1 = sign_in("csr1");
  // September 2026 is FY2027: 5/8" $18.40; 6 × $4.12 = $24.72; 8 × $5.36 = $42.88; utility
  // users tax 5.5% of $86.00 = $4.73. Total $90.73.
  const std::string body =
      R"({"rate_class":"RES","usage_ccf":"14","meter_size":"5/8\"","from":"2026-09-01"})";
  auto now = call("POST", "/api/v1/billing/what-if", body, &csr1);
  ASSERT_EQ(now.status, 200) << now.raw;
  EXPECT_EQ(now.body.at("rate_version").as_string(), "FY2027");
  EXPECT_FALSE(now.body.at("proposed").as_bool());
  EXPECT_EQ(now.body.at("to").as_string(), "2026-10-01");
  EXPECT_EQ(summary(now), (V{"water/fixed_charge=18.40", "water/tier_1=24.72", "water/tier_2=42.88",
                             "water/tax=4.73"}));
  EXPECT_EQ(now.body.at("total").as_string(), "90.73");
  const json::value& tier2 = now.body.at("lines").at(2);
  EXPECT_EQ(tier2.at("units_ccf").as_string(), "8.000");
  EXPECT_EQ(tier2.at("unit_price").as_string(), "5.36");
  EXPECT_EQ(tier2.at("tier_from_ccf").as_string(), "6.000");
  EXPECT_EQ(tier2.at("tier_to_ccf").as_string(), "18.000");
  EXPECT_EQ(tier2.at("explanation").as_string(),
            "Water use, tier 2 (6.000 to 18.000 CCF for 30/30 days): 8.000 CCF × $5.36/CCF = "
            "$42.88");
  EXPECT_EQ(now.body.at("lines").at(3).at("explanation").as_string(),
            "Utility users tax: 5.5% of $86.00 = $4.73");

  // The proposed version: $19.75 + 6 × $4.38 = $26.28 + 8 × $5.79 = $46.32 = $92.35; tax
  // 5.5% = $5.07925 → $5.08. Total $97.43.
  auto proposed =
      call("POST", "/api/v1/billing/what-if",
           R"({"rate_version":"proposed","rate_class":"RES","usage_ccf":"14","meter_size":"5/8\"",)"
           R"("from":"2026-09-01"})",
           &csr1);
  ASSERT_EQ(proposed.status, 200) << proposed.raw;
  EXPECT_EQ(proposed.body.at("rate_version").as_string(), "FY2028-PROPOSED");
  EXPECT_TRUE(proposed.body.at("proposed").as_bool());
  EXPECT_EQ(summary(proposed), (V{"water/fixed_charge=19.75", "water/tier_1=26.28",
                                  "water/tier_2=46.32", "water/tax=5.08"}));
  EXPECT_EQ(proposed.body.at("total").as_string(), "97.43");

  // A short period by days, a named version, several services and a cart.
  auto named = call("POST", "/api/v1/billing/what-if",
                    R"({"rate_version":"FY2026","services":[{"kind":"refuse","rate_class":"RES"},)"
                    R"({"kind":"stormwater","rate_class":"STD"}],"days":15,"from":"2026-01-01",)"
                    R"("carts":[{"size_gallons":96,"pickups_per_week":2}]})",
                    &csr1);
  ASSERT_EQ(named.status, 200) << named.raw;
  // Refuse $74.40 × 15/30 = $37.20, tax 5.5% = $2.046 → $2.05; stormwater $7.05 × 15/30 =
  // $3.525 → $3.53 (half-up), untaxed.
  EXPECT_EQ(summary(named),
            (V{"refuse/refuse=37.20", "refuse/tax=2.05", "stormwater/stormwater=3.53"}));
  EXPECT_EQ(named.body.at("total").as_string(), "42.78");
}

TEST_P(BillingRatesApiTest, ErrorsAndPermission) {
  Client csr1 = sign_in("csr1"), admin = sign_in("admin");
  const std::string body = R"({"rate_class":"RES","usage_ccf":"14","meter_size":"5/8\""})";
  EXPECT_EQ(call("POST", "/api/v1/billing/what-if", body, &admin).status, 403);
  auto unknown = call("POST", "/api/v1/billing/what-if",
                      R"({"rate_version":"FY1999","rate_class":"RES","usage_ccf":"1"})", &csr1);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_field(), "rate_version");
  auto cls = call("POST", "/api/v1/billing/what-if",
                  R"({"rate_class":"NOPE","usage_ccf":"1","meter_size":"5/8\""})", &csr1);
  EXPECT_EQ(cls.status, 422);
  EXPECT_EQ(cls.error_field(), "rate_class");
  EXPECT_NE(std::string(cls.body.at("error").at("message").as_string()).find("class NOPE (water)"),
            std::string::npos);
  auto size = call("POST", "/api/v1/billing/what-if",
                   R"({"rate_class":"RES","usage_ccf":"1","meter_size":"7\""})", &csr1);
  EXPECT_EQ(size.status, 422);
  EXPECT_EQ(size.error_field(), "meter_size");
  EXPECT_EQ(call("POST", "/api/v1/billing/what-if", R"({"usage_ccf":"1"})", &csr1).error_field(),
            "rate_class");
  EXPECT_EQ(
      call("POST", "/api/v1/billing/what-if", R"({"rate_class":"RES","usage_ccf":"1.2345"})", &csr1)
          .error_field(),
      "usage_ccf");
  EXPECT_EQ(call("POST", "/api/v1/billing/what-if", R"({"rate_class":"RES","colour":"red"})", &csr1)
                .error_field(),
            "colour");
}

TEST_P(BillingRatesApiTest, PricesAnAccountsLatestPeriod) {
  billing::UtilityBook& book = app_->billing();
  ASSERT_TRUE(book.create_cycle(as("csr3"), billing::Cycle{0, "C1", "Cycle 1", 5, 1}));
  customers::PartyInput p;
  p.first_name = "Ada";
  p.last_name = "Lovelace";
  p.addresses.push_back({"mailing", "PO Box 12", "", "Riverton", "CA", "95001"});
  std::vector<customers::DuplicateCandidate> dups;
  auto party = app_->parties().create(as("csr2"), p, true, dups);
  ASSERT_TRUE(party) << party.error().message;
  billing::Premise pr;
  pr.line1 = "101 MAIN ST";
  pr.city = "RIVERTON";
  pr.state = "CA";
  pr.postal_code = "95000";
  pr.parcel_number = "001-002-03";
  auto premise = book.create_premise(as("csr2"), pr);
  ASSERT_TRUE(premise) << premise.error().message;
  billing::OpenAccountInput in;
  in.party_id = party->id.value;
  in.premise_id = premise->id;
  in.cycle_code = "C1";
  in.opened_on = "2026-01-05";
  auto account = book.open_account(as("csr2"), in);
  ASSERT_TRUE(account) << account.error().message;
  const std::int64_t n = account->account.number;
  for (auto kind : {"water", "sewer"}) {
    ASSERT_TRUE(book.add_service(as("csr2"), n, kind, "RES", "2026-01-05"));
  }
  billing::Meter m;
  m.serial = "M-77";
  m.size = "5/8\"";
  m.make = "Badger";
  m.dials = 4;
  m.unit = billing::MeterUnit::kCcf;
  ASSERT_TRUE(book.install_meter(as("csr2"), n, m, "2026-01-05", 1000));
  billing::ReadEntry e;
  e.value = 1014;
  e.read_on = "2026-02-04";  // 14 CCF in 30 days
  auto read = book.enter_read(as("field"), n, e);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->read.status, "accepted");

  Client csr1 = sign_in("csr1");
  auto r = call("POST", "/api/v1/billing/what-if",
                R"({"account_number":)" + std::to_string(n) + "}", &csr1);
  ASSERT_EQ(r.status, 200) << r.raw;
  // January 5 – February 3 under FY2026. Water $17.35 + 6 × $3.89 = $23.34 + 8 × $5.06 =
  // $40.48 = $81.17, tax 5.5% $4.46435 → $4.46. Sewer: no winter average yet, so water use,
  // capped at 10 CCF: $20.50 + 10 × $5.30 = $73.50, tax $4.0425 → $4.04. Total $163.17.
  EXPECT_EQ(r.body.at("from").as_string(), "2026-01-05");
  EXPECT_EQ(r.body.at("to").as_string(), "2026-02-04");
  EXPECT_EQ(r.body.at("rate_version").as_string(), "FY2026");
  EXPECT_EQ(r.body.at("usage_ccf").as_string(), "14.000");
  EXPECT_EQ(summary(r), (V{"water/fixed_charge=17.35", "water/tier_1=23.34", "water/tier_2=40.48",
                           "water/tax=4.46", "sewer/fixed_charge=20.50", "sewer/sewer_volume=53.00",
                           "sewer/tax=4.04"}));
  EXPECT_EQ(r.body.at("total").as_string(), "163.17");
  EXPECT_EQ(r.body.at("warnings").as_array().size(), 1u);

  // "What if I had used 4 CCF?" — the account's period and services, another usage.
  auto less = call("POST", "/api/v1/billing/what-if",
                   R"({"account_number":)" + std::to_string(n) + R"(,"usage_ccf":"4"})", &csr1);
  ASSERT_EQ(less.status, 200) << less.raw;
  // Water $17.35 + 4 × $3.89 = $15.56 → $32.91, tax $1.81005 → $1.81; sewer $20.50 + $21.20 =
  // $41.70, tax $2.2935 → $2.29. Total $78.71.
  EXPECT_EQ(less.body.at("total").as_string(), "78.71");
  EXPECT_EQ(call("POST", "/api/v1/billing/what-if", R"({"account_number":99999999})", &csr1).status,
            404);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(BillingRatesApiTest);

}  // namespace
}  // namespace civicdesk::testing
