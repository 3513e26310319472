// Parties: the people and businesses the City deals with. Pure types and rules, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"

namespace civicdesk::customers {

struct Address {
  std::string kind = "mailing";  // mailing | service | other
  std::string line1;
  std::string line2;
  std::string city;
  std::string state;
  std::string postal_code;
  bool operator==(const Address&) const = default;
};

struct Phone {
  std::string kind = "mobile";  // mobile | home | work
  std::string number;
  bool operator==(const Phone&) const = default;
};

struct Email {
  std::string address;
  bool operator==(const Email&) const = default;
};

// What a CSR enters; also the body of create and update requests.
struct PartyInput {
  std::string kind = "person";  // person | business
  std::string first_name;
  std::string last_name;
  std::string business_name;
  std::string preferred_language = "en";
  std::string contact_preference = "mail";  // mail | email | phone | sms
  std::vector<Address> addresses;
  std::vector<Phone> phones;
  std::vector<Email> emails;
};

struct Party : PartyInput {
  PartyId id;
  std::string display_name;
  std::vector<std::string> flags;  // e.g. cash-only, no-shutoff (set by later contexts)
  Timestamp created_us = 0;
  Timestamp updated_us = 0;
  std::int64_t version = 1;
};

// Trims every field, uppercases the state, and checks each field; the error names the field
// as the API spells it, e.g. "addresses[1].postal_code".
[[nodiscard]] Result<PartyInput> validate(PartyInput input);

std::string display_name(const PartyInput& p);
// Keys for duplicate detection: normalised name, first line + postal code, email.
std::string name_key(const PartyInput& p);
std::string address_key(const Address& a);
std::string email_key(const Email& e);
// One line for search results: first address and phone.
std::string subtitle(const PartyInput& p);

}  // namespace civicdesk::customers
