#include "customers/party_book.h"

#include <algorithm>
#include <map>

#include "audit/audit_log.h"
#include "core/crash_point.h"
#include "core/limits.h"
#include "customers/party_json.h"
#include "search/search_index.h"
#include "search/text.h"

namespace civicdesk::customers {
namespace {

constexpr const char* kPartyColumns =
    "id, kind, first_name, last_name, business_name, display_name, preferred_language, "
    "contact_preference, flags, created_us, updated_us, version";

Party party_from_row(const store::Row& r) {
  Party p;
  p.id = PartyId{r.integer(0)};
  p.kind = r.text(1);
  p.first_name = r.text(2);
  p.last_name = r.text(3);
  p.business_name = r.text(4);
  p.display_name = r.text(5);
  p.preferred_language = r.text(6);
  p.contact_preference = r.text(7);
  std::string flags = r.text(8);
  for (std::size_t start = 0; start < flags.size();) {
    auto end = flags.find(',', start);
    if (end == std::string::npos) end = flags.size();
    if (end > start) p.flags.push_back(flags.substr(start, end - start));
    start = end + 1;
  }
  p.created_us = r.integer(9);
  p.updated_us = r.integer(10);
  p.version = r.integer(11);
  return p;
}

Result<void> load_children(store::Connection& c, Party& p) {
  CD_ASSIGN(auto addrs, c.query("SELECT kind, line1, line2, city, state, postal_code FROM "
                                "party_addresses WHERE party_id = ? ORDER BY position",
                                {p.id.value}));
  for (const auto& r : addrs)
    p.addresses.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)});
  CD_ASSIGN(auto phones, c.query("SELECT kind, number FROM party_phones WHERE party_id = ? "
                                 "ORDER BY position",
                                 {p.id.value}));
  for (const auto& r : phones) p.phones.push_back({r.text(0), r.text(1)});
  CD_ASSIGN(auto emails, c.query("SELECT address FROM party_emails WHERE party_id = ? ORDER BY "
                                 "position",
                                 {p.id.value}));
  for (const auto& r : emails) p.emails.push_back({r.text(0)});
  return {};
}

Result<Party> load(store::Connection& c, PartyId id) {
  CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kPartyColumns +
                                   " FROM parties WHERE id = ?",
                               {id.value}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no customer with id " + std::to_string(id.value));
  Party p = party_from_row(rows[0]);
  CD_TRY(load_children(c, p));
  return p;
}

Result<void> write_children(store::Connection& c, PartyId id, const PartyInput& p) {
  for (const char* table : {"party_addresses", "party_phones", "party_emails"})
    CD_TRY(c.exec(std::string("DELETE FROM ") + table + " WHERE party_id = ?", {id.value}));
  for (std::size_t i = 0; i < p.addresses.size(); ++i) {
    const auto& a = p.addresses[i];
    CD_TRY(c.exec("INSERT INTO party_addresses (party_id, position, kind, line1, line2, city, "
                  "state, postal_code, address_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {id.value, static_cast<std::int64_t>(i), a.kind, a.line1, a.line2, a.city,
                   a.state, a.postal_code, address_key(a)}));
  }
  for (std::size_t i = 0; i < p.phones.size(); ++i)
    CD_TRY(c.exec("INSERT INTO party_phones (party_id, position, kind, number, digits) "
                  "VALUES (?, ?, ?, ?, ?)",
                  {id.value, static_cast<std::int64_t>(i), p.phones[i].kind, p.phones[i].number,
                   search::phone_digits(p.phones[i].number)}));
  for (std::size_t i = 0; i < p.emails.size(); ++i)
    CD_TRY(c.exec("INSERT INTO party_emails (party_id, position, address, address_key) "
                  "VALUES (?, ?, ?, ?)",
                  {id.value, static_cast<std::int64_t>(i), p.emails[i].address,
                   email_key(p.emails[i])}));
  return {};
}

search::SearchDoc search_doc(PartyId id, const PartyInput& p) {
  search::SearchDoc d{"party", id.value, display_name(p), subtitle(p), {}};
  d.texts.push_back(display_name(p));
  if (p.kind == "business") d.texts.push_back(p.first_name + " " + p.last_name);
  for (const auto& a : p.addresses)
    d.texts.push_back(a.line1 + " " + a.line2 + " " + a.city + " " + a.postal_code);
  for (const auto& ph : p.phones) {
    auto digits = search::phone_digits(ph.number);
    d.texts.push_back(digits + " " + digits.substr(3));  // with and without area code
  }
  for (const auto& e : p.emails) d.texts.push_back(e.address + " " + search::normalize(e.address));
  return d;
}

// The email token "maria example org" is also indexed run together so a full address typed
// into the search box matches as one word.
Result<Party> insert_party(store::Connection& c, const PartyInput& p, Timestamp now) {
  CD_ASSIGN(auto id, c.query_int("INSERT INTO parties (kind, first_name, last_name, "
                                 "business_name, display_name, preferred_language, "
                                 "contact_preference, name_key, created_us, updated_us) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                 {p.kind, p.first_name, p.last_name, p.business_name,
                                  display_name(p), p.preferred_language, p.contact_preference,
                                  name_key(p), now, now}));
  CD_TRY(write_children(c, PartyId{id}, p));
  CD_TRY(search::upsert(c, search_doc(PartyId{id}, p)));
  CRASH_POINT("party.create.after_insert");  // row, children and search doc written; no audit yet
  Party out;
  static_cast<PartyInput&>(out) = p;
  out.id = PartyId{id};
  out.display_name = display_name(p);
  out.created_us = out.updated_us = now;
  return out;
}

Result<std::vector<DuplicateCandidate>> duplicates_in(store::Connection& c, const PartyInput& p,
                                                      PartyId exclude) {
  std::map<std::int64_t, std::string> reasons;
  auto add = [&](const store::Rows& rows, const char* reason) {
    for (const auto& r : rows)
      if (r.integer(0) != exclude.value) reasons.emplace(r.integer(0), reason);
  };
  for (const auto& a : p.addresses) {
    CD_ASSIGN(auto rows, c.query("SELECT DISTINCT p.id FROM parties p JOIN party_addresses a "
                                 "ON a.party_id = p.id WHERE p.name_key = ? AND "
                                 "a.address_key = ? LIMIT 10",
                                 {name_key(p), address_key(a)}));
    add(rows, "same name and address");
  }
  for (const auto& ph : p.phones) {
    CD_ASSIGN(auto rows, c.query("SELECT DISTINCT party_id FROM party_phones WHERE digits = ? "
                                 "LIMIT 10",
                                 {search::phone_digits(ph.number)}));
    add(rows, "same phone");
  }
  for (const auto& e : p.emails) {
    CD_ASSIGN(auto rows, c.query("SELECT DISTINCT party_id FROM party_emails WHERE "
                                 "address_key = ? LIMIT 10",
                                 {email_key(e)}));
    add(rows, "same email");
  }
  std::vector<DuplicateCandidate> out;
  for (const auto& [id, reason] : reasons) {
    CD_ASSIGN(auto party, load(c, PartyId{id}));
    out.push_back({party.id, party.display_name, subtitle(party), reason});
  }
  return out;
}

}  // namespace

Result<std::vector<DuplicateCandidate>> PartyBook::find_duplicates(const PartyInput& input,
                                                                   PartyId exclude) {
  CD_ASSIGN(auto valid, validate(input));
  return db_.read<std::vector<DuplicateCandidate>>(
      [&](store::Connection& c) { return duplicates_in(c, valid, exclude); });
}

Result<Party> PartyBook::create(const Actor& actor, PartyInput input, bool confirm_duplicates,
                                std::vector<DuplicateCandidate>& duplicates) {
  CD_ASSIGN(auto valid, validate(std::move(input)));
  Timestamp now = clock_.now_us();
  return db_.write<Party>([&](store::Connection& c) -> Result<Party> {
    if (!confirm_duplicates) {
      CD_ASSIGN(duplicates, duplicates_in(c, valid, PartyId{0}));
      if (!duplicates.empty())
        return fail(ErrorCode::kConflict,
                    "this looks like an existing customer (" + duplicates[0].reason +
                        "); open the existing record or confirm to create a new one",
                    "confirm_duplicates");
    }
    CD_ASSIGN(auto party, insert_party(c, valid, now));
    CD_TRY(audit::append(c, actor, now, {"party.create", "party", std::to_string(party.id.value),
                                         std::nullopt, to_json_text(party)}));
    return party;
  });
}

Result<Party> PartyBook::get(PartyId id) {
  return db_.read<Party>([&](store::Connection& c) { return load(c, id); });
}

Result<Party> PartyBook::update(const Actor& actor, PartyId id, PartyInput input,
                                std::int64_t expected_version) {
  CD_ASSIGN(auto valid, validate(std::move(input)));
  Timestamp now = clock_.now_us();
  return db_.write<Party>([&](store::Connection& c) -> Result<Party> {
    CD_ASSIGN(auto before, load(c, id));
    auto stale = Error::make(ErrorCode::kConflict,
                             "this customer was changed by someone else since you opened it; "
                             "reload to see their change",
                             "version");
    if (before.version != expected_version) return fail(stale);
    CD_ASSIGN(auto n, c.exec("UPDATE parties SET kind = ?, first_name = ?, last_name = ?, "
                             "business_name = ?, display_name = ?, preferred_language = ?, "
                             "contact_preference = ?, name_key = ?, updated_us = ?, "
                             "version = version + 1 WHERE id = ? AND version = ?",
                             {valid.kind, valid.first_name, valid.last_name, valid.business_name,
                              display_name(valid), valid.preferred_language,
                              valid.contact_preference, name_key(valid), now, id.value,
                              expected_version}));
    if (n != 1) return fail(stale);
    CD_TRY(write_children(c, id, valid));
    CD_TRY(search::upsert(c, search_doc(id, valid)));
    CD_ASSIGN(auto after, load(c, id));
    CD_TRY(audit::append(c, actor, now, {"party.update", "party", std::to_string(id.value),
                                         to_json_text(before), to_json_text(after)}));
    return after;
  });
}

Result<PartyPage> PartyBook::list(int page, int page_size) {
  page_size = std::clamp(page_size, 1, static_cast<int>(kMaxPageSize));
  page = std::max(page, 1);
  return db_.read<PartyPage>([&](store::Connection& c) -> Result<PartyPage> {
    PartyPage out;
    CD_ASSIGN(out.total, c.query_int("SELECT COUNT(*) FROM parties"));
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kPartyColumns +
                                     " FROM parties ORDER BY name_key, id LIMIT ? OFFSET ?",
                                 {std::int64_t{page_size},
                                  std::int64_t{page - 1} * page_size}));
    for (const auto& r : rows) {
      Party p = party_from_row(r);
      CD_TRY(load_children(c, p));
      out.items.push_back(std::move(p));
    }
    return out;
  });
}

Result<void> PartyBook::create_many(const Actor& actor, const std::vector<PartyInput>& inputs) {
  Timestamp now = clock_.now_us();
  return db_.write<void>([&](store::Connection& c) -> Result<void> {
    std::int64_t first = 0, last = 0;
    for (const auto& p : inputs) {
      CD_ASSIGN(auto party, insert_party(c, p, now));
      if (!first) first = party.id.value;
      last = party.id.value;
    }
    return audit::append(c, actor, now,
                         {"party.bulk_create", "party",
                          std::to_string(first) + ".." + std::to_string(last), std::nullopt,
                          "{\"count\":" + std::to_string(inputs.size()) + "}"});
  });
}

}  // namespace civicdesk::customers
