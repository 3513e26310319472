// Test data for the utility billing tests: a customer with a utility account at a new premise,
// its services and a meter, made through the same UtilityBook calls the CSR's screens use. One
// copy, so every billing test builds its accounts the same way.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/app.h"
#include "billing/utility_book.h"
#include "core/actor.h"
#include "customers/party_book.h"

namespace civicdesk::testing {

struct TestAccountSpec {
  std::string first_name = "Ada";
  std::string last_name;  // make it unique per test: parties are checked for duplicates
  std::string line1;      // the service address, in RIVERTON, CA 95000
  std::string parcel_number;
  std::string cycle = "C1";
  std::string opened_on;  // also the services' start and the meter's install date
  // Services started on the opening day: (kind, rate class).
  std::vector<std::pair<std::string, std::string>> services;
  std::string meter_serial;  // "" = no meter; else a 5/8" 4-dial CCF meter
  std::int64_t meter_initial = 1000;
};

struct TestAccount {
  std::int64_t number = 0;  // 0 when something was refused (the test has failed already)
  std::int64_t premise_id = 0;
};

inline TestAccount open_test_account(App& app, const Actor& who, const TestAccountSpec& spec) {
  customers::PartyInput p;
  p.first_name = spec.first_name;
  p.last_name = spec.last_name;
  p.addresses.push_back({"mailing", "PO Box 12", "", "Riverton", "CA", "95001"});
  std::vector<customers::DuplicateCandidate> dups;
  auto party = app.parties().create(who, p, true, dups);
  EXPECT_TRUE(party) << party.error().message;
  billing::Premise pr;
  pr.line1 = spec.line1;
  pr.city = "RIVERTON";
  pr.state = "CA";
  pr.postal_code = "95000";
  pr.parcel_number = spec.parcel_number;
  auto premise = app.billing().create_premise(who, pr);
  EXPECT_TRUE(premise) << premise.error().message;
  if (!party || !premise) return {};
  billing::OpenAccountInput in;
  in.party_id = party->id.value;
  in.premise_id = premise->id;
  in.cycle_code = spec.cycle;
  in.opened_on = spec.opened_on;
  in.services = spec.services;
  auto a = app.billing().open_account(who, in);
  EXPECT_TRUE(a) << a.error().message;
  if (!a) return {};
  TestAccount out{a->account.number, premise->id};
  if (!spec.meter_serial.empty()) {
    billing::Meter m;
    m.serial = spec.meter_serial;
    m.size = "5/8\"";
    m.dials = 4;
    m.unit = billing::MeterUnit::kCcf;
    auto im = app.billing().install_meter(who, out.number, m, spec.opened_on, spec.meter_initial);
    EXPECT_TRUE(im) << im.error().message;
  }
  return out;
}

}  // namespace civicdesk::testing
