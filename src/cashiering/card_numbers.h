// Card numbers must never be stored (PCI DSS): civicdesk keeps only the gateway's token, the
// brand and the last four digits. These helpers find anything that looks like a card number —
// 13 to 19 digits passing the Luhn check with a card scheme's first digit (ISO/IEC 7812: 2–6, or
// 1 with 15 digits), possibly separated by spaces or dashes — so inputs
// carrying one are refused and the test suite can scan files and logs for leaks.
#pragma once

#include <string_view>

namespace civicdesk::cashiering {

bool luhn_valid(std::string_view digits);
// True when `text` contains a Luhn-valid run of exactly 13–19 digits (single spaces or dashes
// allowed between digits, as people type them).
bool contains_card_number(std::string_view text);

}  // namespace civicdesk::cashiering
