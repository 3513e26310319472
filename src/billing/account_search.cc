// UtilityBook::find_accounts_by_name: a customer's accounts found by the name the caller gives.
// The party search index (search/search_index.h) finds the candidates — the same FTS5 /
// tsvector index as the one search box, so no LIKE scan of the parties — and a candidate is kept
// only when every word given starts a word of the party's display name: the index also matches
// addresses, phones and typo corrections, which an account lookup BY NAME must not return.
#include <algorithm>

#include "billing/utility_book.h"
#include "billing/utility_book_internal.h"
#include "core/limits.h"
#include "search/search_index.h"
#include "search/text.h"

namespace civicdesk::billing {

namespace {

// Every query word starts a word of the name.
bool name_matches(const std::vector<std::string>& words, const std::string& name) {
  const auto tokens = search::tokenize(name);
  return std::all_of(words.begin(), words.end(), [&](const std::string& w) {
    return std::any_of(tokens.begin(), tokens.end(),
                       [&](const std::string& t) { return t.starts_with(w); });
  });
}

}  // namespace

Result<std::vector<AccountSummary>> UtilityBook::find_accounts_by_name(const AccountQuery& q) {
  if (q.name.size() > kMaxSearchQueryLength)
    return fail(ErrorCode::kTooLarge, "the search text is too long", "name");
  if (q.limit < 1 || q.limit > kMaxAccountsPerLookup)
    return fail(
        Error::invalid("limit", "must be between 1 and " + std::to_string(kMaxAccountsPerLookup)));
  const auto words = search::tokenize(q.name);
  if (words.empty()) return fail(Error::invalid("name", "give a name with letters or digits"));
  CD_ASSIGN(auto hits, search::query(db_, q.name, static_cast<int>(kMaxSearchResults)));
  std::vector<std::int64_t> party_ids;
  for (const auto& h : hits)
    if (h.kind == "party" && name_matches(words, h.title)) party_ids.push_back(h.entity_id);
  if (party_ids.empty()) return std::vector<AccountSummary>{};
  std::string in;
  store::Params params;
  for (std::int64_t id : party_ids) {
    in += in.empty() ? "?" : ", ?";
    params.push_back(id);
  }
  params.push_back(std::int64_t{q.limit});
  return db_.read<std::vector<AccountSummary>>(
      [&](store::Connection& c) -> Result<std::vector<AccountSummary>> {
        CD_ASSIGN(auto rows,
                  c.query("SELECT a.number, a.party_id, pa.display_name, a.premise_id, a.status, "
                          "cy.code FROM utility_accounts a JOIN parties pa ON pa.id = "
                          "a.party_id JOIN cycles cy ON cy.id = a.cycle_id WHERE a.party_id IN (" +
                              in + ") ORDER BY pa.display_name, a.number LIMIT ?",
                          params));
        std::vector<AccountSummary> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto p, detail::load_premise(c, r.integer(3)));
          out.push_back({r.integer(0), r.integer(1), r.text(2), one_line(p), r.text(4), r.text(5)});
        }
        return out;
      });
}

}  // namespace civicdesk::billing
