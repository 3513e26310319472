#include "customers/party_json.h"

#include <boost/json.hpp>

#include "core/timestamp.h"

namespace civicdesk::customers {
namespace json = boost::json;
namespace {

Result<std::string> get_string(const json::object& o, std::string_view key, const std::string& path,
                               const std::string& fallback = "") {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) return fail(Error::invalid(path, path + " must be a string"));
  return std::string(v->as_string());
}

Result<void> only_keys(const json::object& o, std::initializer_list<std::string_view> allowed,
                       const std::string& prefix) {
  for (const auto& kv : o) {
    bool ok = false;
    for (auto a : allowed) ok = ok || kv.key() == a;
    if (!ok) {
      std::string k(kv.key());
      return fail(Error::invalid(prefix + k, "unknown field '" + prefix + k + "'"));
    }
  }
  return {};
}

template <class T, class F>
Result<std::vector<T>> get_list(const json::object& o, std::string_view key, F&& each) {
  std::vector<T> out;
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return out;
  std::string name(key);
  if (!v->is_array()) return fail(Error::invalid(name, name + " must be a list"));
  const auto& arr = v->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string path = name + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return fail(Error::invalid(path, path + " must be an object"));
    CD_ASSIGN(T item, each(arr[i].as_object(), path + "."));
    out.push_back(std::move(item));
  }
  return out;
}

Result<Address> address_from(const json::object& o, const std::string& p) {
  CD_TRY(only_keys(o, {"kind", "line1", "line2", "city", "state", "postal_code"}, p));
  Address a;
  CD_ASSIGN(a.kind, get_string(o, "kind", p + "kind", "mailing"));
  CD_ASSIGN(a.line1, get_string(o, "line1", p + "line1"));
  CD_ASSIGN(a.line2, get_string(o, "line2", p + "line2"));
  CD_ASSIGN(a.city, get_string(o, "city", p + "city"));
  CD_ASSIGN(a.state, get_string(o, "state", p + "state"));
  CD_ASSIGN(a.postal_code, get_string(o, "postal_code", p + "postal_code"));
  return a;
}

Result<Phone> phone_from(const json::object& o, const std::string& p) {
  CD_TRY(only_keys(o, {"kind", "number"}, p));
  Phone ph;
  CD_ASSIGN(ph.kind, get_string(o, "kind", p + "kind", "mobile"));
  CD_ASSIGN(ph.number, get_string(o, "number", p + "number"));
  return ph;
}

Result<Email> email_from(const json::object& o, const std::string& p) {
  CD_TRY(only_keys(o, {"address"}, p));
  Email e;
  CD_ASSIGN(e.address, get_string(o, "address", p + "address"));
  return e;
}

}  // namespace

json::object to_json(const Party& p) {
  json::object o;
  o["id"] = p.id.value;
  o["kind"] = p.kind;
  o["display_name"] = p.display_name;
  o["first_name"] = p.first_name;
  o["last_name"] = p.last_name;
  o["business_name"] = p.business_name;
  o["preferred_language"] = p.preferred_language;
  o["contact_preference"] = p.contact_preference;
  json::array addresses, phones, emails, flags;
  for (const auto& a : p.addresses)
    addresses.push_back(json::object{{"kind", a.kind}, {"line1", a.line1}, {"line2", a.line2},
                                     {"city", a.city}, {"state", a.state},
                                     {"postal_code", a.postal_code}});
  for (const auto& ph : p.phones) phones.push_back(json::object{{"kind", ph.kind}, {"number", ph.number}});
  for (const auto& e : p.emails) emails.push_back(json::object{{"address", e.address}});
  for (const auto& f : p.flags) flags.push_back(json::string(f));
  o["addresses"] = std::move(addresses);
  o["phones"] = std::move(phones);
  o["emails"] = std::move(emails);
  o["flags"] = std::move(flags);
  o["version"] = p.version;
  o["created_at"] = iso_utc(p.created_us);
  o["updated_at"] = iso_utc(p.updated_us);
  return o;
}

std::string to_json_text(const Party& p) { return json::serialize(to_json(p)); }

Result<PartyInput> party_input_from_json(const json::object& o) {
  CD_TRY(only_keys(o, {"kind", "first_name", "last_name", "business_name", "preferred_language",
                       "contact_preference", "addresses", "phones", "emails", "version",
                       "confirm_duplicates", "id", "display_name", "flags", "created_at",
                       "updated_at"},
                   ""));
  PartyInput p;
  CD_ASSIGN(p.kind, get_string(o, "kind", "kind", "person"));
  CD_ASSIGN(p.first_name, get_string(o, "first_name", "first_name"));
  CD_ASSIGN(p.last_name, get_string(o, "last_name", "last_name"));
  CD_ASSIGN(p.business_name, get_string(o, "business_name", "business_name"));
  CD_ASSIGN(p.preferred_language, get_string(o, "preferred_language", "preferred_language", "en"));
  CD_ASSIGN(p.contact_preference, get_string(o, "contact_preference", "contact_preference", "mail"));
  CD_ASSIGN(p.addresses, get_list<Address>(o, "addresses", address_from));
  CD_ASSIGN(p.phones, get_list<Phone>(o, "phones", phone_from));
  CD_ASSIGN(p.emails, get_list<Email>(o, "emails", email_from));
  return p;
}

}  // namespace civicdesk::customers
