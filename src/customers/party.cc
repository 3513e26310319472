#include "customers/party.h"

#include <algorithm>
#include <cctype>

#include "core/limits.h"
#include "search/text.h"

namespace civicdesk::customers {
namespace {

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

bool one_of(const std::string& v, std::initializer_list<const char*> options) {
  return std::any_of(options.begin(), options.end(), [&](const char* o) { return v == o; });
}

Result<void> required(const std::string& v, std::size_t max, const std::string& field,
                      const std::string& label) {
  if (v.empty()) return fail(Error::invalid(field, label + " is required"));
  return check_length(v, max, field);
}

Result<void> validate_address(Address& a, const std::string& f) {
  for (auto* s : {&a.kind, &a.line1, &a.line2, &a.city, &a.state, &a.postal_code}) *s = trim(*s);
  std::transform(a.state.begin(), a.state.end(), a.state.begin(), ::toupper);
  if (!one_of(a.kind, {"mailing", "service", "other"}))
    return fail(Error::invalid(f + ".kind", "address kind must be mailing, service or other"));
  CD_TRY(required(a.line1, kMaxAddressLineLength, f + ".line1", "street address"));
  CD_TRY(check_length(a.line2, kMaxAddressLineLength, f + ".line2"));
  CD_TRY(required(a.city, kMaxAddressLineLength, f + ".city", "city"));
  if (a.state.size() != 2 || !std::all_of(a.state.begin(), a.state.end(), ::isupper))
    return fail(Error::invalid(f + ".state", "state must be a two-letter code such as CA"));
  std::string digits = search::phone_digits(a.postal_code);
  bool zip_ok = (a.postal_code.size() == 5 && digits.size() == 5) ||
                (a.postal_code.size() == 10 && digits.size() == 9 && a.postal_code[5] == '-');
  if (!zip_ok)
    return fail(Error::invalid(f + ".postal_code", "ZIP code must look like 95501 or 95501-1234"));
  return {};
}

Result<void> validate_phone(Phone& p, const std::string& f) {
  p.kind = trim(p.kind);
  p.number = trim(p.number);
  if (!one_of(p.kind, {"mobile", "home", "work"}))
    return fail(Error::invalid(f + ".kind", "phone kind must be mobile, home or work"));
  CD_TRY(check_length(p.number, kMaxPhoneLength, f + ".number"));
  auto digits = search::phone_digits(p.number);
  if (digits.size() != 10)
    return fail(Error::invalid(f + ".number", "phone number must have 10 digits, e.g. (555) 201-3344"));
  p.number = "(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6);
  return {};
}

Result<void> validate_email(Email& e, const std::string& f) {
  e.address = trim(e.address);
  CD_TRY(required(e.address, kMaxEmailLength, f + ".address", "email address"));
  auto at = e.address.find('@');
  bool ok = at != std::string::npos && at > 0 && e.address.find('@', at + 1) == std::string::npos &&
            e.address.find('.', at) != std::string::npos && e.address.back() != '.' &&
            e.address.find(' ') == std::string::npos;
  if (!ok) return fail(Error::invalid(f + ".address", "email address must look like name@example.org"));
  return {};
}

template <class T>
Result<void> validate_list(std::vector<T>& items, std::size_t max, const std::string& name,
                           Result<void> (*each)(T&, const std::string&)) {
  if (items.size() > max)
    return fail(Error::invalid(name, "at most " + std::to_string(max) + " " + name + " allowed"));
  for (std::size_t i = 0; i < items.size(); ++i)
    CD_TRY(each(items[i], name + "[" + std::to_string(i) + "]"));
  return {};
}

}  // namespace

Result<PartyInput> validate(PartyInput p) {
  for (auto* s : {&p.kind, &p.first_name, &p.last_name, &p.business_name, &p.preferred_language,
                  &p.contact_preference})
    *s = trim(*s);
  if (p.kind == "person") {
    CD_TRY(required(p.first_name, kMaxNameLength, "first_name", "first name"));
    CD_TRY(required(p.last_name, kMaxNameLength, "last_name", "last name"));
    CD_TRY(check_length(p.business_name, kMaxNameLength, "business_name"));
  } else if (p.kind == "business") {
    CD_TRY(required(p.business_name, kMaxNameLength, "business_name", "business name"));
    CD_TRY(check_length(p.first_name, kMaxNameLength, "first_name"));
    CD_TRY(check_length(p.last_name, kMaxNameLength, "last_name"));
  } else {
    return fail(Error::invalid("kind", "kind must be person or business"));
  }
  if (p.preferred_language.size() < 2 || p.preferred_language.size() > 8)
    return fail(Error::invalid("preferred_language", "preferred language must be a code such as en or es"));
  if (!one_of(p.contact_preference, {"mail", "email", "phone", "sms"}))
    return fail(Error::invalid("contact_preference",
                               "contact preference must be mail, email, phone or sms"));
  CD_TRY(validate_list(p.addresses, kMaxAddressesPerParty, "addresses", &validate_address));
  CD_TRY(validate_list(p.phones, kMaxPhonesPerParty, "phones", &validate_phone));
  CD_TRY(validate_list(p.emails, kMaxEmailsPerParty, "emails", &validate_email));
  if (p.contact_preference == "email" && p.emails.empty())
    return fail(Error::invalid("emails", "an email address is needed when email is preferred"));
  if ((p.contact_preference == "phone" || p.contact_preference == "sms") && p.phones.empty())
    return fail(Error::invalid("phones", "a phone number is needed when phone or SMS is preferred"));
  return p;
}

std::string display_name(const PartyInput& p) {
  if (p.kind == "business") return p.business_name;
  return p.first_name + " " + p.last_name;
}

std::string name_key(const PartyInput& p) {
  if (p.kind == "business") return "b:" + search::normalize(p.business_name);
  return "p:" + search::normalize(p.last_name) + "|" + search::normalize(p.first_name);
}

std::string address_key(const Address& a) {
  return search::normalize(a.line1) + "|" + a.postal_code.substr(0, 5);
}

std::string email_key(const Email& e) {
  std::string k = e.address;
  std::transform(k.begin(), k.end(), k.begin(), ::tolower);
  return k;
}

std::string subtitle(const PartyInput& p) {
  std::string out;
  if (!p.addresses.empty()) out = p.addresses[0].line1 + ", " + p.addresses[0].city;
  if (!p.phones.empty()) out += (out.empty() ? "" : " · ") + p.phones[0].number;
  if (out.empty() && !p.emails.empty()) out = p.emails[0].address;
  return out;
}

}  // namespace civicdesk::customers
