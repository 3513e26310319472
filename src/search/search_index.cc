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
// Matches ranked per query, newest first: bounds the work of a broad query ("smith", "riverton").
constexpr std::int64_t kMaxRanked = 200;
// A word with at most this many indexed completions is matched as those exact words (FTS5 reads
// exact-term doclists lazily); beyond it, as an FTS5 prefix query.
constexpr std::int64_t kMaxExpansions = 32;

bool has_digit(std::string_view w) {
  return std::any_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

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

// Indexed words (letters only) starting with `word`, at most kMaxExpansions + 1 of them.
Result<std::vector<std::string>> completions(store::Connection& c, const std::string& word) {
  CD_ASSIGN(auto rows, c.query("SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT ?",
                               {word, prefix_end(word), kMaxExpansions + 1}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

// Query words: a phone number typed with punctuation becomes one digits word.
std::vector<std::string> query_words(std::string_view text) {
  std::string digits = phone_digits(text);
  bool phone_like = digits.size() >= 7 &&
                    std::all_of(text.begin(), text.end(), [](char ch) {
                      return std::string_view("0123456789()-. +").find(ch) != std::string_view::npos;
                    });
  if (phone_like) return {digits};
  // An email address: its domain (example.org, gmail.com) is shared by a large part of the City
  // and only costs time; the local part finds the party.
  auto at = text.find('@');
  if (at != std::string_view::npos && text.find(' ') == std::string_view::npos) text = text.substr(0, at);
  auto words = tokenize(text);
  if (words.size() > kMaxQueryWords) words.resize(kMaxQueryWords);
  return words;
}

struct Group {
  std::string prefix;              // matched as a prefix when non-empty
  std::vector<std::string> exact;  // or as any of these words
};

std::string sqlite_match(const std::vector<Group>& groups) {
  std::string m;
  for (const auto& g : groups) {
    if (!m.empty()) m += " AND ";
    std::string alt;
    if (!g.prefix.empty()) alt = "\"" + g.prefix + "\"*";
    for (const auto& e : g.exact) alt += (alt.empty() ? "\"" : " OR \"") + e + "\"";
    m += "(" + alt + ")";
  }
  return m;
}

// Ranks the candidates: per query word, an exact word beats a correction beats a prefix, a match in
// the title (the name) counts double; then the shorter document, then the newest.
struct Candidate {
  int score = 0;
  std::size_t length = 0;
  std::int64_t doc_id = 0;
  SearchHit hit;
};

int word_score(const Group& g, const std::string& original, const std::vector<std::string>& tokens) {
  int best = 0;
  for (const auto& t : tokens) {
    if (t == original) return 3;
    if (std::find(g.exact.begin(), g.exact.end(), t) != g.exact.end()) best = std::max(best, 2);
    else if (t.starts_with(original)) best = std::max(best, 1);
  }
  return best;
}

std::string postgres_tsquery(const std::vector<Group>& groups) {
  std::string m;
  for (const auto& g : groups) {
    if (!m.empty()) m += " & ";
    std::string alt = g.prefix.empty() ? "" : g.prefix + ":*";
    for (const auto& e : g.exact) alt += (alt.empty() ? "" : " | ") + e;
    m += "(" + alt;
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
  // The typo vocabulary holds words only: numbers (phones, house numbers, email digits) are never
  // corrected, and without them the vocabulary of a 1M-party City is hundreds of words, not 2M.
  for (const auto& w : words)
    if (!has_digit(w))
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
      Group g;
      if (has_digit(w) || w.size() <= 3) {
        g.prefix = w;  // numbers are never corrected; 1-3 letters use FTS5's prefix index
      } else {
        CD_ASSIGN(auto words_like, completions(c, w));
        if (words_like.empty()) {
          CD_ASSIGN(g.exact, corrections(c, w));
          if (g.exact.empty()) return std::vector<SearchHit>{};
        } else if (static_cast<std::int64_t>(words_like.size()) > kMaxExpansions) {
          g.prefix = w;
        } else {
          g.exact = std::move(words_like);
        }
      }
      groups.push_back(std::move(g));
    }
    bool sqlite = c.dialect() == store::Dialect::kSqlite;
    std::string sql =
        sqlite ? "SELECT d.doc_id, d.kind, d.entity_id, d.title, d.subtitle, d.body FROM search_docs d "
                 "WHERE d.doc_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
                 "ORDER BY rowid DESC LIMIT ?)"
               : "SELECT doc_id, kind, entity_id, title, subtitle, body FROM search_docs "
                 "WHERE tsv @@ to_tsquery('simple', ?) ORDER BY doc_id DESC LIMIT ?";
    std::string expr = sqlite ? sqlite_match(groups) : postgres_tsquery(groups);
    CD_ASSIGN(auto rows, c.query(sql, {expr, kMaxRanked}));
    std::vector<Candidate> ranked;
    ranked.reserve(rows.size());
    for (const auto& r : rows) {
      Candidate cand;
      cand.doc_id = r.integer(0);
      cand.hit = {r.text(1), r.integer(2), r.text(3), r.text(4), 0};
      std::string body = r.text(5);
      cand.length = body.size();
      auto tokens = tokenize(body);
      auto title = tokenize(cand.hit.title);
      for (std::size_t i = 0; i < groups.size(); ++i)
        cand.score += word_score(groups[i], words[i], tokens) + word_score(groups[i], words[i], title);
      ranked.push_back(std::move(cand));
    }
    std::sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.length != b.length) return a.length < b.length;
      return a.doc_id > b.doc_id;
    });
    if (static_cast<int>(ranked.size()) > limit) ranked.resize(limit);
    std::vector<SearchHit> hits;
    int n = static_cast<int>(ranked.size());
    for (int i = 0; i < n; ++i) {
      ranked[i].hit.score = 100 - (i * 100) / (n + 1);
      hits.push_back(std::move(ranked[i].hit));
    }
    return hits;
  });
}

}  // namespace civicdesk::search
