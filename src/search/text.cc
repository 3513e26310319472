#include "search/text.h"

#include <algorithm>
#include <array>

namespace civicdesk::search {
namespace {

// Folds a two-byte UTF-8 Latin-1 Supplement / Latin Extended-A code point to ASCII, or "".
std::string_view fold(unsigned cp) {
  static const std::array<std::pair<unsigned, std::string_view>, 48> kFolds = {{
      {0xC0, "a"}, {0xC1, "a"}, {0xC2, "a"}, {0xC3, "a"}, {0xC4, "a"}, {0xC5, "a"},
      {0xC6, "ae"}, {0xC7, "c"}, {0xC8, "e"}, {0xC9, "e"}, {0xCA, "e"}, {0xCB, "e"},
      {0xCC, "i"}, {0xCD, "i"}, {0xCE, "i"}, {0xCF, "i"}, {0xD1, "n"}, {0xD2, "o"},
      {0xD3, "o"}, {0xD4, "o"}, {0xD5, "o"}, {0xD6, "o"}, {0xD8, "o"}, {0xD9, "u"},
      {0xDA, "u"}, {0xDB, "u"}, {0xDC, "u"}, {0xDD, "y"}, {0xDF, "ss"}, {0xE0, "a"},
      {0xE1, "a"}, {0xE2, "a"}, {0xE3, "a"}, {0xE4, "a"}, {0xE5, "a"}, {0xE6, "ae"},
      {0xE7, "c"}, {0xE8, "e"}, {0xE9, "e"}, {0xEA, "e"}, {0xEB, "e"}, {0xEC, "i"},
      {0xED, "i"}, {0xEE, "i"}, {0xEF, "i"}, {0xF1, "n"}, {0xF6, "o"}, {0xFC, "u"},
  }};
  for (const auto& [k, v] : kFolds)
    if (k == cp) return v;
  if (cp >= 0xF2 && cp <= 0xF8) return "o";
  if (cp >= 0xF9 && cp <= 0xFB) return "u";
  if (cp == 0xFD || cp == 0xFF) return "y";
  return "";
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur.push_back(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      cur.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c & 0xE0) == 0xC0 && i + 1 < text.size()) {
      unsigned cp = ((c & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      ++i;
      std::string_view f = fold(cp);
      if (f.empty()) flush();
      else cur.append(f);
    } else {
      // Skip the continuation bytes of longer sequences; they separate words.
      if (c >= 0xE0) {
        std::size_t len = c >= 0xF0 ? 3 : 2;
        i += std::min(len, text.size() - 1 - i);
      }
      flush();
    }
  }
  flush();
  return out;
}

std::string normalize(std::string_view text) {
  std::string out;
  for (const auto& t : tokenize(text)) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

std::string phone_digits(std::string_view number) {
  std::string d;
  for (char c : number)
    if (c >= '0' && c <= '9') d.push_back(c);
  if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
  return d;
}

int edit_distance(std::string_view a, std::string_view b, int max_distance) {
  int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_distance) return max_distance + 1;
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max_distance) return max_distance + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], max_distance + 1);
}

int typo_budget(std::size_t token_length) {
  if (token_length < 4) return 0;
  if (token_length < 8) return 1;
  return 2;
}

}  // namespace civicdesk::search
