#include "search/search_index.h"

#include <algorithm>
#include <set>

#include "core/limits.h"
#include "search/text.h"

namespace civicdesk::search {
namespace {

constexpr std::size_t kMaxQueryWords = 8;
constexpr int kMaxCorrections = 6;
constexpr std::int64_t kMaxCandidates = 5000;

// Upper bound for a prefix range scan: "abc" → "abd".
std::string prefix_end(std::string p) {
  while (!p.empty() && static_cast<unsigned char>(p.back()) == 0x7f) p.pop_back();
  if (!p.empty()) p.back() = static_cast<char>(p.back() + 1);
  return p;
}

// Words within the typo budget of `word` (which matched nothing as a prefix).
Result<std::vector<std::string>> corrections(store::Connection& c, const std::string& word) {
  int budget = typo_budget(word.size());
  if (budget == 0) return std::vector<std::string>{};
  std::string first(1, word[0]);
  CD_ASSIGN(auto rows, c.query("SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT ?",
                               {first, prefix_end(first), kMaxCandidates}));
  std::vector<std::pair<int, std::string>> scored;
  for (const auto& r : rows) {
    std::string term = r.text(0);
    int d = edit_distance(word, term, budget);
    if (term.size() > word.size())
      d = std::min(d, edit_distance(word, std::string_view(term).substr(0, word.size()), budget));
    if (d <= budget) scored.emplace_back(d, std::move(term));
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [_, t] : scored) {
    if (static_cast<int>(out.size()) >= kMaxCorrections) break;
    out.push_back(std::move(t));
  }
  return out;
}

Result<bool> has_prefix_match(store::Connection& c, const std::string& word) {
  CD_ASSIGN(auto rows, c.query("SELECT 1 FROM search_terms WHERE term >= ? AND term < ? LIMIT 1",
                               {word, prefix_end(word)}));
  return !rows.empty();
}

// Query words: a phone number typed with punctuation becomes one digits word.
std::vector<std::string> query_words(std::string_view text) {
  std::string digits = phone_digits(text);
  bool phone_like = digits.size() >= 7 &&
                    std::all_of(text.begin(), text.end(), [](char ch) {
                      return std::string_view("0123456789()-. +").find(ch) != std::string_view::npos;
                    });
  if (phone_like) return {digits};
  auto words = tokenize(text);
  if (words.size() > kMaxQueryWords) words.resize(kMaxQueryWords);
  return words;
}

struct Group {
  std::string prefix;
  std::vector<std::string> exact;
};

std::string sqlite_match(const std::vector<Group>& groups) {
  std::string m;
  for (const auto& g : groups) {
    if (!m.empty()) m += " AND ";
    m += "(\"" + g.prefix + "\"*";
    for (const auto& e : g.exact) m += " OR \"" + e + "\"";
    m += ")";
  }
  return m;
}

std::string postgres_tsquery(const std::vector<Group>& groups) {
  std::string m;
  for (const auto& g : groups) {
    if (!m.empty()) m += " & ";
    m += "(" + g.prefix + ":*";
    for (const auto& e : g.exact) m += " | " + e;
    m += ")";
  }
  return m;
}

}  // namespace

Result<void> upsert(store::Connection& c, const SearchDoc& doc) {
  std::set<std::string> words;
  std::string body;
  for (const auto& t : doc.texts) {
    for (auto& w : tokenize(t)) {
      if (!body.empty()) body.push_back(' ');
      body += w;
      words.insert(std::move(w));
    }
  }
  CD_TRY(c.exec("INSERT INTO search_docs (kind, entity_id, title, subtitle, body) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, entity_id) DO UPDATE SET "
                "title = excluded.title, subtitle = excluded.subtitle, body = excluded.body",
                {doc.kind, doc.entity_id, doc.title, doc.subtitle, body}));
  for (const auto& w : words)
    CD_TRY(c.exec("INSERT INTO search_terms (term) VALUES (?) ON CONFLICT DO NOTHING", {w}));
  return {};
}

Result<std::vector<SearchHit>> query(store::Database& db, std::string_view text, int limit) {
  CD_TRY(check_length(text, kMaxSearchQueryLength, "q"));
  limit = std::clamp(limit, 1, static_cast<int>(kMaxSearchResults));
  auto words = query_words(text);
  if (words.empty()) return std::vector<SearchHit>{};
  return db.read<std::vector<SearchHit>>([&](store::Connection& c)
                                             -> Result<std::vector<SearchHit>> {
    std::vector<Group> groups;
    for (const auto& w : words) {
      Group g{w, {}};
      CD_ASSIGN(bool found, has_prefix_match(c, w));
      if (!found) {
        CD_ASSIGN(g.exact, corrections(c, w));
        if (g.exact.empty()) return std::vector<SearchHit>{};
      }
      groups.push_back(std::move(g));
    }
    bool sqlite = c.dialect() == store::Dialect::kSqlite;
    std::string sql =
        sqlite ? "SELECT d.kind, d.entity_id, d.title, d.subtitle FROM search_fts "
                 "JOIN search_docs d ON d.doc_id = search_fts.rowid "
                 "WHERE search_fts MATCH ? ORDER BY bm25(search_fts) LIMIT ?"
               : "SELECT kind, entity_id, title, subtitle FROM search_docs "
                 "WHERE tsv @@ to_tsquery('simple', ?) "
                 "ORDER BY ts_rank(tsv, to_tsquery('simple', ?)) DESC, entity_id LIMIT ?";
    std::string expr = sqlite ? sqlite_match(groups) : postgres_tsquery(groups);
    store::Params params = sqlite ? store::Params{expr, std::int64_t{limit}}
                                  : store::Params{expr, expr, std::int64_t{limit}};
    CD_ASSIGN(auto rows, c.query(sql, params));
    std::vector<SearchHit> hits;
    int n = static_cast<int>(rows.size());
    for (int i = 0; i < n; ++i) {
      const auto& r = rows[i];
      hits.push_back({r.text(0), r.integer(1), r.text(2), r.text(3), 100 - (i * 100) / (n + 1)});
    }
    return hits;
  });
}

}  // namespace civicdesk::search
