#include "cashiering/card_numbers.h"

#include <string>

namespace civicdesk::cashiering {

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return !digits.empty() && sum % 10 == 0;
}

bool contains_card_number(std::string_view text) {
  // Collect runs of digits joined by single spaces or dashes; a whole run of 13–19 digits that
  // passes Luhn is a card number. Longer runs (scanlines, MICR lines) are not, and neither are
  // digits inside a word — a hex token or id such as "ff7821507870345d" — so a run must stand
  // between non-letters, as a card number written anywhere does.
  auto is_letter = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); };
  std::string run;
  bool after_letter = false;  // the run started right after a letter
  for (std::size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : '\0';
    if (c >= '0' && c <= '9') {
      if (run.empty()) after_letter = i > 0 && is_letter(text[i - 1]);
      run.push_back(c);
    } else if ((c == ' ' || c == '-') && !run.empty() && i + 1 < text.size() &&
               text[i + 1] >= '0' && text[i + 1] <= '9') {
      continue;
    } else {
      bool in_word = after_letter || is_letter(c);
      if (!in_word && run.size() >= 13 && run.size() <= 19 && luhn_valid(run)) return true;
      run.clear();
    }
  }
  return false;
}

}  // namespace civicdesk::cashiering
