#include "cashiering/card_numbers.h"

#include "cashiering/card_scan.h"

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
  // Digits inside a word (a hex token, an id such as "ff7821507870345d") are not a card number,
  // nor are longer runs (scanlines, MICR lines): the same rule as the file scan, except that
  // digits typed one at a time between blanks are joined.
  return !find_card_numbers(text, /*join_short_groups=*/true).empty();
}

}  // namespace civicdesk::cashiering
