#include "customers/party.h"

#include <gtest/gtest.h>

#include "core/limits.h"

namespace civicdesk::customers {
namespace {

PartyInput person() {
  PartyInput p;
  p.first_name = "  Maria ";
  p.last_name = "Lopez";
  p.addresses.push_back({"mailing", "1420 Oak St", "", "Riverton", "ca", "95501"});
  p.phones.push_back({"mobile", "555.201.3344"});
  p.emails.push_back({"Maria@Example.org"});
  return p;
}

std::string field_of(const Result<PartyInput>& r) { return r ? "" : r.error().field; }

TEST(PartyValidate, NormalisesAValidPerson) {
  auto r = validate(person());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->first_name, "Maria");
  EXPECT_EQ(r->addresses[0].state, "CA");
  EXPECT_EQ(r->phones[0].number, "(555) 201-3344");
  EXPECT_EQ(display_name(*r), "Maria Lopez");
}

TEST(PartyValidate, NamesTheOffendingField) {
  struct Case { std::function<void(PartyInput&)> change; const char* field; };
  std::vector<Case> cases = {
      {[](PartyInput& p) { p.kind = "robot"; }, "kind"},
      {[](PartyInput& p) { p.first_name = ""; }, "first_name"},
      {[](PartyInput& p) { p.last_name = " "; }, "last_name"},
      {[](PartyInput& p) { p.kind = "business"; }, "business_name"},
      {[](PartyInput& p) { p.addresses[0].postal_code = "9550"; }, "addresses[0].postal_code"},
      {[](PartyInput& p) { p.addresses[0].state = "California"; }, "addresses[0].state"},
      {[](PartyInput& p) { p.addresses[0].line1 = ""; }, "addresses[0].line1"},
      {[](PartyInput& p) { p.addresses[0].kind = "home"; }, "addresses[0].kind"},
      {[](PartyInput& p) { p.phones[0].number = "555-1234"; }, "phones[0].number"},
      {[](PartyInput& p) { p.emails[0].address = "no-at-sign"; }, "emails[0].address"},
      {[](PartyInput& p) { p.contact_preference = "pigeon"; }, "contact_preference"},
      {[](PartyInput& p) { p.contact_preference = "email"; p.emails.clear(); }, "emails"},
      {[](PartyInput& p) { p.preferred_language = "x"; }, "preferred_language"},
  };
  for (const auto& c : cases) {
    PartyInput p = person();
    c.change(p);
    EXPECT_EQ(field_of(validate(p)), c.field);
  }
}

TEST(PartyValidate, LimitsAtTheLimitAndOnePast) {
  PartyInput p = person();
  p.last_name = std::string(kMaxNameLength, 'x');
  EXPECT_TRUE(validate(p));
  p.last_name += "x";
  EXPECT_EQ(field_of(validate(p)), "last_name");

  p = person();
  p.addresses.assign(kMaxAddressesPerParty, p.addresses[0]);
  EXPECT_TRUE(validate(p));
  p.addresses.push_back(p.addresses[0]);
  EXPECT_EQ(field_of(validate(p)), "addresses");

  p = person();
  p.phones.assign(kMaxPhonesPerParty + 1, p.phones[0]);
  EXPECT_EQ(field_of(validate(p)), "phones");
  p = person();
  p.emails.assign(kMaxEmailsPerParty + 1, p.emails[0]);
  EXPECT_EQ(field_of(validate(p)), "emails");

  p = person();
  p.addresses[0].line1 = std::string(kMaxAddressLineLength, 'a');
  EXPECT_TRUE(validate(p));
  p.addresses[0].line1 += "a";
  EXPECT_EQ(field_of(validate(p)), "addresses[0].line1");
}

TEST(PartyKeys, MatchDespiteCaseAndPunctuation) {
  PartyInput a = *validate(person());
  PartyInput b = a;
  b.first_name = "MARIA";
  b.addresses[0].line1 = "1420 oak st.";
  EXPECT_EQ(name_key(a), name_key(b));
  EXPECT_EQ(address_key(a.addresses[0]), address_key(b.addresses[0]));
  EXPECT_EQ(email_key(Email{"Maria@Example.org"}), email_key(Email{"maria@example.org"}));
}

}  // namespace
}  // namespace civicdesk::customers
