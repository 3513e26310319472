// Text normalisation shared by the search index and duplicate detection. Pure functions.
//
// Both databases index the same pre-normalised text (lowercase ASCII letters and digits separated
// by single spaces), so SQLite FTS5 and PostgreSQL's 'simple' configuration see identical words
// and rank the same documents.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace civicdesk::search {

// Lowercases, folds common Latin diacritics (é → e, ñ → n, ß → ss), splits on anything that is
// not a letter or digit. Never returns empty tokens.
std::vector<std::string> tokenize(std::string_view text);
// The tokens joined by single spaces.
std::string normalize(std::string_view text);
// Only the digits; a leading US country code 1 on an 11-digit number is dropped.
std::string phone_digits(std::string_view number);
// Optimal-string-alignment (Damerau–Levenshtein) distance, or max_distance + 1 once it exceeds
// max_distance (early exit keeps typo expansion cheap).
int edit_distance(std::string_view a, std::string_view b, int max_distance);
// Typo budget for a token: none under 4 characters, 1 up to 7, 2 from 8.
int typo_budget(std::size_t token_length);

}  // namespace civicdesk::search
